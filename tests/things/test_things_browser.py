"""A thing's page in Chromium: properties in name order on every visit, a deletion said and
its confirmation never reopened on the card that takes its place, and the type chooser
cleared once a property is made."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..app_server import new_property
from ..browser import create_property, from_menu, open_thing, settle, signed_in


def card_names(page, names=("Alpha", "beta", "Delta", "gamma")) -> list[str]:
    """The property cards' bold names, in the order a person reads them (rows, then left to
    right: the cards stand two by two)."""
    found, before = None, []
    # a card's contents may still move for a moment after the run ends (seen: Alpha's name
    # 25 px low for one read): the places are read until two reads 200 ms apart agree
    while found != before:
        before, found = found, []
        for bold in page.locator("[data-testid=stMarkdownContainer] strong").all():
            text = bold.inner_text().strip()
            if text in names:
                box = bold.bounding_box()
                found.append((box["y"], box["x"], text))
        page.wait_for_timeout(200)
    # a row's two cards may sit a pixel or two apart (a name wraps, a font loads): a row is
    # the cards within 20 px of its first card's top
    rows, top = [], None
    for y, x, text in sorted(found):
        if top is None or y - top > 20:
            top = y
            rows.append([])
        rows[-1].append((x, text))
    return [text for row in rows for _x, text in sorted(row)]


def test_cards_in_name_order_a_deletion_said_and_nothing_reopened(browser, zero_config_app):
    client, thing, _first = new_property(zero_config_app, "Greenhouse", "beta", "TEMPERATURE")
    for name in ("Alpha", "gamma", "Delta"):
        client.create_property(thing.id, name, "TEMPERATURE")
    context = browser.new_context(viewport={"width": 1300, "height": 1200})
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    for _visit in range(2):  # Bucket answers in no order; the page's order is the same
        page.goto(f"{zero_config_app.url}/things?thing={thing.id}")
        page.get_by_role("heading", name="Greenhouse").wait_for()
        settle(page)
        assert card_names(page) == ["Alpha", "beta", "Delta", "gamma"]

    page.get_by_role("button", name="Delete", exact=True).first.click()  # Alpha's bin
    page.get_by_text("Yes, delete it for good").click()
    settle(page)
    page.get_by_role("button", name="Delete property").click()
    page.get_by_text("Deleted Alpha and its 0 data points").wait_for(timeout=30_000)
    settle(page)
    assert card_names(page) == ["beta", "Delta", "gamma"]
    assert page.get_by_text("Yes, delete it for good").count() == 0  # no popover reopened
    assert sorted(p.name for p in client.list_properties(thing.id)) == ["Delta", "beta", "gamma"]

    # the list of things, sorted by the person: most data first, as the API counts them
    page.goto(zero_config_app.url + "/things")
    page.get_by_text("Most data").click()
    settle(page)
    rows = page.locator("table.things-list tbody tr")
    counts = [
        int(rows.nth(i).locator("td").nth(3).inner_text().replace(",", ""))
        for i in range(rows.count())
    ]
    assert counts == sorted(counts, reverse=True) and len(counts) >= 4
    things, by_property = client.list_things_with_counts()
    totals = sorted((sum(by_property[p.id] for p in t.properties) for t in things), reverse=True)
    assert counts == totals
    page.goto(f"{zero_config_app.url}/things?thing={thing.id}")
    page.get_by_role("heading", name="Greenhouse").wait_for()
    settle(page)
    page.get_by_text("New property").click()
    create_property(page, "Humidity", "Air")
    assert page.get_by_text("Property name").count() == 0  # the form went with its type
    context.close()


def test_types_listed_by_name_and_a_fresh_link_opens(browser, zero_config_app):
    """The type chooser lists Bucket's types by name (Bucket answers them in no order); a
    link to a property a notebook made a moment ago (newer than the cached list) is charted."""
    client, thing, _prop = new_property(zero_config_app, "Notebook rig", "First", "TEMPERATURE")
    context, page = open_thing(browser, zero_config_app.url, thing)
    page.get_by_text("New property").click()
    settle(page)
    box = page.get_by_role("combobox").last
    box.click()
    try:
        page.get_by_role("option").nth(7).wait_for(timeout=5_000)
    except PlaywrightTimeout:  # the list shut under a rerun, as a person sees: open it again
        box.click()
        page.get_by_role("option").nth(7).wait_for()
    options = [o.inner_text() for o in page.get_by_role("option").all()]
    names = [o.split(" (")[0] for o in options]
    # the list shows its first few (it draws only what is in view): in name order
    assert len(names) >= 8 and names == sorted(names, key=lambda n: (n.casefold(), n))
    page.keyboard.press("Escape")

    page.goto(zero_config_app.url + "/explore")  # the property list is cached now
    settle(page)
    fresh = client.create_property(thing.id, "Made in a notebook", "TEMPERATURE")
    client.write_values(thing.id, fresh.id, [[1_700_000_000_000, 21.5]], prop=fresh)
    page.goto(f"{zero_config_app.url}/explore?p={thing.id}~{fresh.id}&range=all")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_text("cannot see").count() == 0
    page.get_by_text("1 point drawn").first.wait_for()
    context.close()


def test_on_a_phone_the_things_table_scrolls_to_every_column(browser, zero_config_app):
    """At 390x844 the Things table is wider than the screen: it scrolls sideways inside its
    box (a shadow at the edge says there is more), and a swipe brings "Updated" into view
    while the names stay in view."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    from_menu(page, "Things")
    page.get_by_text("Click a row to open it").wait_for()
    region = page.get_by_role("region", name="Things")
    updated = region.get_by_role("columnheader", name="Updated")
    assert not fully_in(updated, region)  # cut at first, but...
    assert "gradient" in region.evaluate("r => getComputedStyle(r).backgroundImage")  # cue
    box = region.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20)
    page.mouse.wheel(400, 0)  # a sideways swipe
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
    assert fully_in(updated, region)
    # the name column stays put while the rest scrolls: each row still says which thing
    assert fully_in(region.get_by_role("columnheader", name="Name"), region)
    assert fully_in(region.get_by_role("cell").first, region)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself fits
    context.close()


def fully_in(locator, region) -> bool:
    """Whether ``locator`` is laid out wholly inside ``region``'s visible box."""
    inner, outer = locator.bounding_box(), region.bounding_box()
    return outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"]

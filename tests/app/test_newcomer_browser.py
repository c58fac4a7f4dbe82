"""What a newcomer tripped over (issue 39), each as they met it: a laptop at 1400x900 in
Europe/Amsterdam with a Dutch locale, or a phone at 390x844 in New York."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, quote, urlsplit

import pandas as pd
import pytest

from dashboard.shared.data import choice_key

from .. import student_files as files
from ..accessibility import focused_name, tab_to
from ..app_server import new_property
from ..browser import (
    PHONE_NEW_YORK,
    choose,
    from_menu,
    open_csv,
    open_explore,
    settle,
    signed_in,
)
from ..upload.test_csv_questions_browser import at_the_file

AMSTERDAM_NL = {"timezone_id": "Europe/Amsterdam", "locale": "nl-NL"}


def ms(text: str) -> int:
    return pd.Timestamp(text).value // 1_000_000


def url_from_to(page) -> tuple[int, int]:
    query = parse_qs(urlsplit(page.url).query)
    return int(query["from"][0]), int(query["to"][0])


@pytest.fixture(scope="module")
def greenhouse(zero_config_app):
    """Sixty hourly soil temperatures from 20 Nov 2026 10:00 UTC."""
    client, thing, prop = new_property(zero_config_app, "Greenhouse", "Soil", "TEMPERATURE")
    index = pd.date_range("2026-11-20T10:00Z", periods=60, freq="1h", name="timestamp")
    client.write_values(thing.id, prop.id, pd.DataFrame({"Temperature": range(60)}, index))
    return client, thing, prop


def test_a_from_date_typed_with_the_keyboard_is_used(browser, zero_config_app, greenhouse):
    """Custom range: the From day typed into the field (not picked in the calendar), then
    "Show this range" reached with Tab and pressed with Enter: the address and the chart
    take it, in Amsterdam's time; a later change of To keeps it."""
    _client, thing, prop = greenhouse
    start, end = ms("2026-11-21T00:00+01:00"), ms("2026-11-22T00:00+01:00")
    context, page = open_explore(
        browser,
        zero_config_app.url,
        f"thing={thing.id}&property={prop.id}&range=custom&from={start}&to={end}",
        width=1400,
        height=900,
        **AMSTERDAM_NL,
    )
    field = page.get_by_label("From", exact=True)
    tab_to(page, field)  # the keyboard alone: Tab to From, type, Tab to the button, Enter
    page.keyboard.press("Control+a")
    page.keyboard.type("2026-11-20 00:00")
    tab_to(page, page.get_by_role("button", name="Show this range"))
    page.keyboard.press("Enter")
    page.wait_for_function(f"!location.search.includes('from={start}')", timeout=30_000)
    settle(page)
    assert url_from_to(page) == (ms("2026-11-20T00:00+01:00"), end)

    # the next change (To, typed, then Tab out of it, then the button clicked) keeps From
    to = page.get_by_label("To", exact=True)
    to.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("2026-11-23 06:30")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Show this range").click()
    page.wait_for_function(f"!location.search.includes('to={end}')", timeout=30_000)
    settle(page)
    assert url_from_to(page) == (ms("2026-11-20T00:00+01:00"), ms("2026-11-23T06:30+01:00"))
    assert field.input_value() == "2026-11-20 00:00"

    # what cannot be read is said, with the field and what it holds; the range stays
    to.fill("2026-13-01 10:00")
    page.get_by_role("button", name="Show this range").click()
    page.get_by_text("To: “2026-13-01 10:00” is not a date and time like").wait_for()
    assert url_from_to(page) == (ms("2026-11-20T00:00+01:00"), ms("2026-11-23T06:30+01:00"))
    context.close()


def test_explore_keeps_the_view_when_left_and_opened_from_the_menu(
    browser, zero_config_app, greenhouse
):
    """Properties chosen in Explore, then Things, then Explore from the menu: the same
    properties and range are drawn again (the address says so too)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, **AMSTERDAM_NL)
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    from_menu(page, "Explore")
    choose(page, "Properties", "Greenhouse · Soil (TEMPERATURE)")
    page.keyboard.press("Escape")
    page.get_by_role("radio", name="All data").click()
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    chosen = parse_qs(urlsplit(page.url).query)

    from_menu(page, "Things")
    page.get_by_role("heading", name="Things").first.wait_for()
    from_menu(page, "Explore")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    assert parse_qs(urlsplit(page.url).query) == chosen
    assert chosen["range"] == ["all"] and len(chosen["p"]) == 1, chosen
    page.get_by_text("60 points, all shown").first.wait_for()
    context.close()


def test_an_upload_undone_from_the_recent_list_is_said_on_another_propertys_page(
    browser, zero_config_app
):
    """A value written to one property, undone from "Your recent uploads" while the Upload
    page shows another: what the undo did is said there, naming the property it undid."""
    client, thing, desk = new_property(zero_config_app, "Office", "Desk", "TEMPERATURE")
    window = client.create_property(thing.id, "Window", "TEMPERATURE")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, **AMSTERDAM_NL)
    page = context.new_page()
    signed_in(page, zero_config_app.url, f"/upload?thing={thing.id}&property={desk.id}")
    page.get_by_label("Temperature (°C)").fill("21.5")
    page.get_by_role("button", name="Write value").click()
    page.get_by_text("Stored 1 row: Temperature 21.5").wait_for(timeout=30_000)

    page.goto(f"{zero_config_app.url}/upload?thing={thing.id}&property={window.id}")
    page.get_by_text("Your recent uploads").first.click(timeout=30_000)
    page.get_by_role("button", name="Undo", exact=True).first.click()
    page.get_by_role("button", name="Yes, undo it").click(timeout=30_000)
    page.get_by_text("Office / Desk: Undone: 1 added value deleted").wait_for(timeout=60_000)
    assert client.count_values(thing.id, desk.id) == 0  # by the API
    context.close()


def test_access_allowed_once_is_not_asked_again_from_a_new_browser(browser, zero_config_app):
    """Alex allows the app once (the provider's "Remember this" is shown, ticked); signing
    in from a second browser (no session with the provider) goes straight to the app."""
    first = browser.new_context(**AMSTERDAM_NL).new_page()
    first.goto(zero_config_app.url)
    first.get_by_text("Sign in with Bucket").click()
    first.get_by_label("Email").fill("alex@bucket.sandbox")
    first.get_by_label("Password").fill("alex-password")
    first.get_by_role("button", name="Sign in").click()
    remember = first.get_by_label("Remember this")
    assert remember.is_checked()
    first.get_by_role("button", name="Allow access").click()
    first.get_by_role("link", name="Things").first.wait_for(timeout=30_000)

    second = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    second.goto(zero_config_app.url)
    second.get_by_text("Sign in with Bucket").click()
    second.get_by_label("Email").fill("alex@bucket.sandbox")
    second.get_by_label("Password").fill("alex-password")
    second.get_by_role("button", name="Sign in").click()
    second.get_by_role("link", name="Things").first.wait_for(timeout=30_000)
    assert "Alex" in second.inner_text("body")
    first.context.close()
    second.context.close()


def test_dutch_column_names_are_matched_in_a_spreadsheet_and_a_csv(
    browser, zero_config_app, tmp_path
):
    """A Dutch logger's sheet ("Tijdstip", "Temperatuur (°C)") and CSV ("Tijd",
    "Luchtvochtigheid (%)", semicolons and decimal commas): the columns are matched with
    nothing asked, and what is stored is read back by the API."""
    client, thing, air = new_property(zero_config_app, "Kas", "Lucht", "TEMPERATURE")
    damp = client.create_property(thing.id, "Vocht", "RELATIVE_HUMIDITY")
    times = [dt.datetime(2026, 11, 20, 9, m) for m in (0, 10, 20)]
    sheet = files.write_xlsx(
        tmp_path / "kas.xlsx",
        [["Tijdstip", "Temperatuur (°C)"], *([t, 18.5 + i] for i, t in enumerate(times))],
    )
    context, page = at_the_file(browser, zero_config_app, thing, air, sheet, **AMSTERDAM_NL)
    page.get_by_label("Sheet", exact=True).click()
    page.keyboard.type("Log")
    page.keyboard.press("Enter")
    page.get_by_text("Read from the sheet Log · header on row 1 · 3 rows under it").wait_for(
        timeout=30_000
    )
    page.get_by_role("button", name="Write 3 rows to Lucht").click(timeout=60_000)
    page.get_by_text("3 rows written and verified").first.wait_for(timeout=60_000)
    stored = client.read_values(thing.id, air.id, "2026-11-20", "2026-11-21")
    assert stored["Temperature"].tolist() == [18.5, 19.5, 20.5]
    assert list(stored.index) == list(pd.date_range("2026-11-20T08:00Z", periods=3, freq="10min"))

    csv_file = tmp_path / "vocht.csv"
    csv_file.write_text(
        "Tijd;Luchtvochtigheid (%)\n2026-11-20 09:00;61,5\n2026-11-20 09:10;62,25\n"
    )
    open_csv(page, zero_config_app.url, thing.id, damp.id, csv_file)
    page.get_by_role("button", name="Write 2 rows to Vocht").click(timeout=60_000)
    page.get_by_text("2 rows written and verified").first.wait_for(timeout=60_000)
    stored = client.read_values(thing.id, damp.id, "2026-11-20", "2026-11-21")
    assert stored.iloc[:, 0].tolist() == [61.5, 62.25]
    context.close()


def test_on_a_phone_the_charts_hover_label_stays_on_the_screen(
    browser, zero_config_app, greenhouse
):
    """New York, 390 px: the hover label of the first, middle and last point is inside the
    screen (it was cut off at the left edge)."""
    client, thing, prop = greenhouse
    corner = client.create_thing("Greenhouse, north-east corner by the door", "Logger")
    far = client.create_property(corner.id, "Soil temperature under the bench", "TEMPERATURE")
    index = pd.date_range("2026-11-20T10:00Z", periods=60, freq="1h", name="timestamp")
    client.write_values(corner.id, far.id, pd.DataFrame({"Temperature": range(60)}, index))
    keys = ",".join([choice_key(thing.id, prop.id), choice_key(corner.id, far.id)])
    context = browser.new_context(**PHONE_NEW_YORK)
    page = context.new_page()
    signed_in(page, zero_config_app.url, f"/explore?p={quote(keys)}&range=all")
    plot = page.locator(".js-plotly-plot .nsewdrag").first
    plot.wait_for(timeout=30_000)
    settle(page)
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    for share in (0.01, 0.5, 0.99):
        page.mouse.move(box["x"] + box["width"] * share, box["y"] + box["height"] / 2)
        label = page.locator(".js-plotly-plot .hoverlayer .legend").first
        label.wait_for(timeout=10_000)
        shown = label.bounding_box()
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= 390, (share, shown)
    context.close()


def test_with_the_keyboard_focus_goes_into_what_opens_and_back_and_stays_after_a_rerun(
    browser, zero_config_app
):
    """Keyboard only (Amsterdam laptop): "New thing" opens its popover with the focus on
    Name, and Escape gives it back to "New thing"; "New property" opens with the focus on
    its first field, and after "Create property" the focus is on what opened it, not the
    page's top; Share opens its panel with the focus in it, Enter in the group field shares,
    and "Close sharing" gives the focus back to Share; "Undo this upload" opens its question
    with the focus in it, and Tab and Enter undo the value."""
    from bucket_sandbox.demo import DEMO_GROUP

    client, thing, _prop = new_property(zero_config_app, "Keyboard bench", "Lamp", "TEMPERATURE")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, **AMSTERDAM_NL)
    page = context.new_page()
    signed_in(page, zero_config_app.url, "/things")
    settle(page)
    tab_to(page, page.get_by_role("button", name="New thing"))
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.closest('[data-testid=stPopoverBody]')")
    assert focused_name(page) == "Name"
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('[data-testid=stPopoverBody]')")
    page.wait_for_timeout(300)
    assert "New thing" in focused_name(page)

    page.goto(f"{zero_config_app.url}/things?thing={thing.id}")
    settle(page)
    opener = page.locator("summary", has_text="New property")
    tab_to(page, opener)
    page.keyboard.press("Enter")
    settle(page)
    # the expander's first field has the focus (WAI-ARIA: into what opens)
    page.wait_for_function(
        "document.activeElement.closest('details') && document.activeElement.tagName !== 'SUMMARY'"
    )
    assert focused_name(page) == "My sensor's type is not listed: define a new type"
    tab_to(page, page.get_by_role("combobox").last)
    page.keyboard.type("Temperature")
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, page.get_by_label("Property name"))
    page.keyboard.type("Window")
    tab_to(page, page.get_by_role("button", name="Create property"))
    page.keyboard.press("Enter")
    page.get_by_text("Created Window").wait_for(timeout=30_000)
    settle(page)
    page.wait_for_timeout(300)
    assert "New property" in focused_name(page)  # what opened the form, not the page's top

    # sharing: Share opens its panel with the focus in it, then the group id and Enter;
    # "Close sharing" gives the focus back to Share
    in_panel = "document.activeElement.closest('[class*=st-key-bucket_opens_sharing]')"
    tab_to(page, page.get_by_role("button", name="Share", exact=True).first)
    page.keyboard.press("Enter")
    page.wait_for_function(in_panel)
    assert focused_name(page) == "Group id"  # its first field (the radio is set already)
    tab_to(page, page.get_by_role("textbox", name="Group id"))
    page.keyboard.type(DEMO_GROUP)
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"^Shared: .* can read its values\.$")).wait_for(timeout=30_000)
    settle(page)
    tab_to(page, page.get_by_role("button", name="Close sharing"))
    page.keyboard.press("Enter")
    page.wait_for_function(f"!({in_panel}) && document.activeElement !== document.body")
    assert focused_name(page).endswith("Share")

    # a value written, then undone, by Tab and Enter
    lamp = next(p for p in client.list_properties(thing.id) if p.name == "Lamp")
    page.goto(f"{zero_config_app.url}/upload?thing={thing.id}&property={lamp.id}")
    settle(page)
    tab_to(page, page.get_by_label("Temperature (°C)"))
    page.keyboard.type("19.5")
    tab_to(page, page.get_by_role("button", name="Write value"))
    page.keyboard.press("Enter")
    page.get_by_text("Stored 1 row: Temperature 19.5").wait_for(timeout=30_000)
    settle(page)
    tab_to(page, page.get_by_role("button", name="Undo this upload"))
    page.keyboard.press("Enter")
    # "Undo this upload?" takes the focus: its first link, the copy saved before it
    page.wait_for_function("document.activeElement.closest('[class*=st-key-bucket_opens_undo]')")
    page.wait_for_function(
        "document.activeElement.innerText === 'Download the values it removes (CSV)'"
    )  # its first link, once the run that drew it is done
    tab_to(page, page.get_by_role("button", name="Yes, undo it"))
    page.keyboard.press("Enter")
    page.get_by_text("Undone: 1 added value deleted").wait_for(timeout=60_000)
    assert client.count_values(thing.id, lamp.id) == 0  # by the API
    context.close()


def test_all_data_of_a_single_value_shows_an_hour_around_it(browser, zero_config_app):
    """One value, "All data": the axis spans an hour centred on it (not 1 ms), and the
    statistics say "1 point", not "1 points"."""
    client, thing, prop = new_property(zero_config_app, "Porch", "Once", "TEMPERATURE")
    client.write_values(thing.id, prop.id, [[ms("2026-11-20T12:00Z"), 7.5]])
    context, page = open_explore(
        browser,
        zero_config_app.url,
        f"thing={thing.id}&property={prop.id}&range=all",
        **AMSTERDAM_NL,
    )
    first, last = page.evaluate(
        "document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range.map(String)"
    )
    span = pd.Timestamp(last) - pd.Timestamp(first)
    assert pd.Timedelta(minutes=50) <= span <= pd.Timedelta(minutes=70), (first, last)
    middle = pd.Timestamp(first) + span / 2  # the axis reads Amsterdam's wall clock
    assert abs(middle - pd.Timestamp("2026-11-20 13:00")) < pd.Timedelta(minutes=5)
    page.get_by_text("1 point, shown").first.wait_for()
    assert "1 points" not in page.inner_text("body")
    context.close()


def test_a_property_cards_actions_are_named_in_words_and_not_cut(browser, zero_config_app):
    """At 1400x900 (two cards a row): every action of a card is a whole word ("Explore",
    "Upload", "Rename", "Delete", "Share", "Phone"), none cut off ("Explor"), and no button
    is named by its icon ("share", "qr_code_2")."""
    client, thing, _prop = new_property(zero_config_app, "Bench rig", "Tilt", "ACCELEROMETER")
    client.create_property(thing.id, "Air", "TEMPERATURE")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, **AMSTERDAM_NL)
    page = context.new_page()
    signed_in(page, zero_config_app.url, f"/things?thing={thing.id}")
    page.get_by_role("heading", name="Bench rig").wait_for(timeout=30_000)
    settle(page)
    main = page.get_by_role("main")
    main.get_by_role("button", name="Phone", exact=True).first.wait_for(timeout=30_000)
    for name in ("Explore", "Upload"):
        for link in main.get_by_role("link", name=name, exact=True).all():
            cut = link.evaluate(
                "a => [...a.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)"
            )
            assert not cut, f"{name} is cut off"
    for name in ("Rename", "Delete", "Share", "Phone"):
        main.get_by_role("button", name=name, exact=True).first.wait_for(timeout=30_000)
    icons = {"share", "edit", "delete", "qr_code_2", "monitoring", "upload"}
    named = [b.evaluate("b => (b.getAttribute('aria-label') || b.innerText).trim()")
             for b in main.get_by_role("button").all()]  # fmt: skip
    assert not [n for n in named if n in icons], named
    context.close()

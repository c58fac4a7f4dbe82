"""The seed's story as a student lives it, in Chromium on the zero-config app, using only
what a person sees: sign in, make a thing and two properties, add values by form and
grid, see them on the card and on Explore, rename, sign out, and the next student."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

import pytest

from ..app_server import AppServer, embedded_sandbox_client
from ..browser import choose, create_property, create_thing, from_menu, settle, sign_in, signed_in

# (screen, browser zone): a laptop in Delft, and a phone in New York
WORLDS = [((1280, 800), "Europe/Amsterdam"), ((390, 844), "America/New_York")]


@pytest.fixture(scope="module")
def story_app(tmp_path_factory):
    """The zero-config app, its log read after the story: it must hold no traceback and no
    warning (a Streamlit warning on every drag, and an Authlib one on every sign-in, once
    went unseen)."""
    app = AppServer(
        tmp_path_factory.mktemp("story"), {"BUCKET_SANDBOX_RATE_LIMIT_PER_MINUTE": "5000"}
    )
    yield app
    app.stop()


def log_problems(app: AppServer) -> list[str]:
    text = app.log.read_text(errors="replace")
    return [
        line
        for line in text.splitlines()
        if "Traceback" in line or "Warning" in line or "WARNING" in line or "Error" in line
    ]


def write_form_value(page, label: str, value: str) -> None:
    page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Write value").click()
    name = label.split(" (")[0]
    page.get_by_text(f"Stored 1 row: {name} {value} ").wait_for(timeout=30_000)


def type_grid_rows(page, rows: list[list[str]]) -> None:
    """Type into the grid's cells with the keyboard: the first row's time, Tab to its first
    value, then Tab across a row and Enter to the next, as in a spreadsheet. Each cell is
    typed once the page is idle: an edit reruns the page, and keys that arrive while the
    grid is drawn again can land in another cell (seen on a loaded 2-core machine: the
    second row's 5 in the first row's first cell)."""
    grid = page.get_by_text("Type values into the cells").locator("xpath=following::canvas[1]")
    grid.wait_for()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + 54)  # row 1, its time
    page.wait_for_timeout(300)
    page.keyboard.press("Tab")  # the first value (a phone's narrow grid scrolls to it)
    page.wait_for_timeout(300)
    for row in rows:
        for i, value in enumerate(row):
            settle(page)
            page.keyboard.type(value, delay=120)
            page.keyboard.press("Tab" if i < len(row) - 1 else "Enter")
            page.wait_for_timeout(300)
        for _ in row[1:]:
            page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(200)


CLIPPED_JS = """() => [...document.querySelectorAll('a, button, p, h1, h2, h3, label, span')]
  .filter(e => e.offsetParent !== null && e.children.length === 0 && e.textContent.trim())
  .filter(e => e.clientWidth > 2 && !e.closest('[data-testid=stIconMaterial]'))
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
  .map(e => e.textContent.trim())"""


def clipped(page) -> list[str]:
    """Texts on the page cut off by their box (what a person would see truncated)."""
    return page.evaluate(CLIPPED_JS)


def stat(page, dimension: str, column: int) -> str:
    """A cell of Explore's statistics tables: the row of ``dimension``, the column-th cell."""
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=dimension, exact=True)
    )
    return row.get_by_role("cell").nth(column).inner_text()


@pytest.mark.parametrize("screen, zone", WORLDS, ids=["laptop-Amsterdam", "phone-New_York"])
def test_the_seed_story(browser, story_app, screen, zone):
    zero_config_app = story_app
    thing_name = "Seed lamp " + uuid.uuid4().hex[:6]  # a rerun starts from a fresh thing
    width, height = screen
    context = browser.new_context(viewport={"width": width, "height": height}, timezone_id=zone)
    page = context.new_page()
    sign_in(page, zero_config_app.url)

    # a thing, an accelerometer and a temperature
    create_thing(page, thing_name, "Lamp")
    create_property(page, "Accelerometer", "Frame")
    page.get_by_text("New property").click()
    create_property(page, "Temperature", "Room")

    # three values by the form, one after another: each stamped now, none overwritten
    page.goto(zero_config_app.url + "/upload")  # a typed address works
    choose(page, "Property", f"{thing_name} · Room")
    for value in ("21.5", "22", "23"):
        write_form_value(page, "Temperature (°C)", value)
    direct = embedded_sandbox_client(zero_config_app)
    thing = next(t for t in direct.list_things() if t.name == thing_name)
    room = next(p for p in thing.properties if p.name == "Room")
    frame = next(p for p in thing.properties if p.name == "Frame")
    assert direct.count_values(thing.id, room.id) == 3
    page.get_by_text("3 data points stored").wait_for()  # the page's count, after the write
    # the time the page said is the instant Bucket holds, on the person's clock
    newest = direct.last_values(thing.id, room.id)
    when = newest.timestamp.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    page.get_by_text(f"Stored 1 row: Temperature 23 °C at {when} ({zone}).").wait_for()

    # a write onto a time that already holds a value asks first
    page.get_by_text("Choose the time").click()
    write_form_value(page, "Temperature (°C)", "24")
    page.get_by_label("Temperature (°C)").fill("25")
    page.get_by_role("button", name="Write value").click()
    page.get_by_text("would land on times that already hold a value").wait_for()
    page.get_by_role("button", name="Replace the stored values").click()
    page.get_by_text("Stored 1 row: Temperature 25 ").wait_for()
    assert direct.count_values(thing.id, room.id) == 4
    stored = direct.read_values(thing.id, room.id, 0, "2100-01-01")["Temperature"]
    assert sorted(stored) == [21.5, 22.0, 23.0, 25.0]  # 24 replaced by 25, nothing else

    # three rows typed into the grid
    choose(page, "Property", f"{thing_name} · Frame")
    page.get_by_role("tab", name="A few rows").click()
    type_grid_rows(
        page, [["1.5", "2.5", "3.5"], ["11.5", "12.5", "13.5"], ["21.5", "22.5", "23.5"]]
    )
    page.get_by_role("button", name="Check and write rows").click()
    page.get_by_text("Stored 3 rows").wait_for(timeout=30_000)
    assert direct.count_values(thing.id, frame.id) == 3
    assert direct.last_values(thing.id, frame.id).values == {"x": 21.5, "y": 22.5, "z": 23.5}

    # the card: right count and last value
    from_menu(page, "Things")
    page.get_by_text("Click a row to open it").wait_for()
    page.get_by_role("link", name=thing_name, exact=True).first.click()
    newest = direct.last_values(thing.id, room.id).values["Temperature"]
    page.get_by_text(f"Last: Temperature {newest:.4g} ").wait_for(timeout=30_000)
    page.get_by_text("Last: x 21.5, y 22.5, z 23.5").wait_for()
    page.get_by_text("4 data points", exact=True).wait_for()
    page.get_by_text("3 data points", exact=True).wait_for()
    assert clipped(page) == [], clipped(page)  # on a laptop and on a phone alike

    # Explore: every value is there, single points drawn as markers
    from_menu(page, "Explore")
    choose(page, "Properties", f"{thing_name} · Room")
    page.keyboard.press("Escape")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.get_by_text("4 points drawn").wait_for()
    assert float(stat(page, "Temperature", -1)) in (23.0, 25.0)  # Last value
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 4  # markers
    choose(page, "Properties", f"{thing_name} · Frame")  # and the three grid rows beside them
    page.keyboard.press("Escape")
    page.get_by_text("13 points drawn").wait_for(timeout=30_000)  # 4, and 3 on each of x, y, z
    settle(page)
    assert clipped(page) == [], clipped(page)  # chips, statistics: wrapped or scrolled
    assert [float(stat(page, d, -1)) for d in "xyz"] == [21.5, 22.5, 23.5]

    # rename, reload: the new name at once
    from_menu(page, "Things")
    page.get_by_text("Click a row to open it").wait_for()
    page.get_by_role("link", name=thing_name, exact=True).first.click()
    page.get_by_role("heading", name=thing_name).wait_for()
    settle(page)
    page.get_by_text("Edit name and description").click()
    page.get_by_label("Name").first.fill(thing_name + " 2")
    settle(page)
    page.get_by_role("button", name="Save").first.click()
    page.get_by_role("heading", name=thing_name + " 2").wait_for(timeout=30_000)
    page.reload()
    page.get_by_role("heading", name=thing_name + " 2").wait_for()

    # sign out; the next student signs in as themselves and sees none of it
    from_menu(page, "Sign out", role="button")
    page.get_by_text("You are signed out").wait_for()
    page.get_by_text("Last signed in on this browser: Demo Designer").wait_for()
    sign_in(page, zero_config_app.url, "alex@bucket.sandbox", "alex-password")
    from_menu(page, "Things")
    page.get_by_text("Alex Second").first.wait_for(state="attached")
    page.get_by_text("You have no things yet").wait_for()
    assert page.get_by_text(thing_name).count() == 0
    page.goto(
        f"{zero_config_app.url}/explore?thing={thing.id}&property={room.id}"
    )  # a link shared by demo
    page.get_by_text("This link points to a property you cannot see").wait_for()
    context.close()
    assert log_problems(zero_config_app) == []


def test_a_change_in_one_tab_shows_in_another_on_its_next_load(browser, zero_config_app):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    first, second = context.new_page(), context.new_page()
    signed_in(first, zero_config_app.url)
    second.goto(zero_config_app.url + "/things")
    second.get_by_text("Wheelchair prototype").first.wait_for()
    first.goto(zero_config_app.url + "/things")
    create_thing(first, "From tab one", "x")
    second.reload()
    second.get_by_text("From tab one").first.wait_for(timeout=15_000)
    context.close()


def test_back_returns_to_the_previous_view(browser, zero_config_app):
    """One history entry per action: a page, a property, a range; Back walks them back
    (Explore's default view after a range, the thing's page, the list)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    signed_in(page, zero_config_app.url, "/things")
    page.get_by_text("Plant monitor").first.click()
    page.get_by_role("heading", name="Plant monitor").wait_for()
    page.get_by_role("link", name="Explore").and_(
        page.locator("a[href*='property=']")
    ).first.click()
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    assert "range=" not in page.url  # the default view writes nothing
    page.get_by_text("Last 7 days", exact=True).click()
    settle(page)
    page.wait_for_url("**range=7d**")
    page.go_back()
    page.wait_for_url(lambda url: "range=" not in url and "/explore" in url)
    settle(page)
    assert "range=" not in page.url  # still the previous view, not pushed again
    page.go_back()
    page.get_by_role("heading", name="Plant monitor").wait_for()
    page.go_back()  # the row was a plain link: the browser goes back to the list
    page.get_by_text("Click a row to open it").wait_for()
    context.close()

"""Boards in Chromium, as a team makes one (Amsterdam laptop): a board made on the Boards
page, a panel of each kind added from the form, each panel's value checked against the API;
the board read back from Bucket by the API (its TEXT property's newest value, the JSON), a
second visit draws it again; a panel removed is put back by "Undo the last change"; the
board shared with the class opens for Alex (New York phone); screen mode at 1920x1080 has no
menu and says its pace."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bucket_client import sharing
from bucket_sandbox.demo import DEMO_GROUP
from dashboard.boards import board_store
from dashboard.boards.board_document import Board, Panel
from dashboard.shared.text import WORD_JOINER

from ..app_server import embedded_sandbox_client
from ..browser import PHONE_NEW_YORK, choose, from_menu, settle, signed_in

AMSTERDAM = {"timezone_id": "Europe/Amsterdam", "locale": "nl-NL"}
ALEX = ("alex@bucket.sandbox", "alex-password")


def stored_board(client, key: str) -> dict:
    """The newest document of board ``key`` in the person's Bucket, read by the API."""
    for thing in client.list_things():
        if thing.type == board_store.THING_TYPE:
            for prop in client.list_properties(thing.id):
                if prop.id == key:
                    frame = client.read_values(thing.id, prop.id, 0, 4_102_444_800_000)
                    return json.loads(frame.iloc[-1, 0])
    raise AssertionError(f"no board {key}")


def add_panel(page, kind: str, title: str, fill) -> None:
    """Add a panel as a person does: "Add a panel" opened (once), the kind picked among
    the kinds shown, the form filled, "Add panel"."""
    kind_button = page.get_by_role("radio", name=kind, exact=True)
    if not kind_button.is_visible():
        page.locator("summary", has_text="Add a panel").click()
    kind_button.click()
    settle(page)  # the form of that kind, alone (the last kind's form goes as it comes)
    page.wait_for_function(
        "document.querySelectorAll('input[aria-label=\"Panel title\"]').length === 1"
    )
    page.get_by_label("Panel title").fill(title)
    fill()
    page.get_by_role("button", name="Add panel").click()
    page.get_by_text(f"Added “{title}”.").wait_for(timeout=30_000)
    settle(page)


def test_a_team_makes_a_board_of_every_panel_kind(browser, zero_config_app):
    client = embedded_sandbox_client(zero_config_app)
    thing = client.create_thing("Greenhouse <i>rig</i>", "Logger")
    soil = client.create_property(thing.id, "Soil", "TEMPERATURE")
    now = (time.time_ns() // 1_000_000 // 60_000) * 60_000
    client.write_values(
        thing.id, soil.id, [[now - (30 - i) * 60_000, 15 + i / 2] for i in range(30)]
    )
    last = client.last_values(thing.id, soil.id)
    soil_label = "Greenhouse <i>rig</i> · Soil"

    context = browser.new_context(viewport={"width": 1400, "height": 900}, **AMSTERDAM)
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    from_menu(page, "Boards")
    page.get_by_text("No boards yet").wait_for()
    page.get_by_label("New board's name").fill("Our <b>prototype</b>")
    page.get_by_role("button", name="Make board").click()
    page.get_by_text("Made the board “Our <b>prototype</b>”: add its panels.").wait_for(
        timeout=30_000
    )
    settle(page)
    page.get_by_text("Change this board", exact=True).click()
    settle(page)

    add_panel(page, "Last value", "Soil now",
              lambda: choose(page, "Property and dimension", f"{soil_label} · Temperature (°C)"))  # fmt: skip
    add_panel(
        page, "Text note", "Read me", lambda: page.get_by_label("Text").fill("<b>water</b> at 9")
    )
    add_panel(page, "Time chart", "Soil today",
              lambda: (choose(page, "Properties", soil_label), page.keyboard.press("Escape")))  # fmt: skip
    add_panel(page, "Newest values", "Latest", lambda: choose(page, "Property", soil_label))

    # each panel against the API
    value = last.values["Temperature"]
    page.get_by_text(f"{value} °C", exact=True).wait_for()
    page.get_by_text("<b>water</b> at 9", exact=True).wait_for()  # shown as text
    page.locator(".js-plotly-plot").first.wait_for()
    drawn = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data"
        ".flatMap(t => Array.from(t.y || [])).filter(v => v !== null)"
    )
    stored = client.read_values(thing.id, soil.id, 0, 4_102_444_800_000)["Temperature"]
    assert sorted(drawn) == sorted(stored.tolist())  # every value of the window, by the API
    newest = last.timestamp.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"))
    page.get_by_text(newest.strftime("%Y-%m-%d %H:%M:%S")).first.wait_for()

    # stored in Bucket, read by the API
    key = parse_qs(urlsplit(page.url).query)["board"][0]
    document = stored_board(client, key)
    assert document["format"] == "bucket-dashboard/board" and document["version"] == 1
    assert document["title"] == "Our <b>prototype</b>"
    assert [p["kind"] for p in document["panels"]] == ["last", "note", "chart", "table"]
    assert document["panels"][0]["properties"] == [{"thing": thing.id, "property": soil.id}]

    # a second visit draws it again; a panel removed comes back with undo
    page.reload()
    settle(page)
    page.get_by_text("Soil today").wait_for()
    page.get_by_text("Change this board", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Remove").nth(1).click()
    page.get_by_text("Removed “Read me”.").wait_for(timeout=30_000)
    settle(page)
    assert [p["kind"] for p in stored_board(client, key)["panels"]] == ["last", "chart", "table"]
    page.locator("summary", has_text="Undo the last change").click()
    page.get_by_role("button", name="Undo the last change").click()
    page.get_by_text("Undone: the version before is back.").wait_for(timeout=30_000)
    settle(page)
    assert [p["kind"] for p in stored_board(client, key)["panels"]] == [
        "last",
        "note",
        "chart",
        "table",
    ]

    # renamed: the property Bucket lists and the document's title both (by the API)
    page.locator("summary", has_text="Rename").click()
    page.get_by_label("Board's name").fill("Our prototype, week 2")
    page.get_by_role("button", name="Rename board").click()
    page.get_by_text("Renamed to “Our prototype, week 2”.").wait_for(timeout=30_000)
    settle(page)
    assert stored_board(client, key)["title"] == "Our prototype, week 2"
    names = {
        p.id: p.name
        for t in client.list_things()
        if t.type == board_store.THING_TYPE
        for p in client.list_properties(t.id)
    }
    assert names[key] == "Our prototype, week 2"

    # shared with the class: Alex opens it on his phone, values as the owner's
    page.locator("summary", has_text="Share with a group").click()
    page.get_by_label("Group id").fill(DEMO_GROUP)
    page.get_by_role("button", name="Share board").click()
    said = page.get_by_text(re.compile(r"^Shared with .*: 2 newly shared")).inner_text(
        timeout=30_000
    )
    assert said.replace(WORD_JOINER, "").startswith(f"Shared with {DEMO_GROUP}: 2 newly shared")
    consents = sharing.consents(client, thing.id, soil.id)  # by the API
    assert [c.subjects for c in consents] == [(DEMO_GROUP,)]
    # a panel added after the share shows a property the class was never given
    add_panel(page, "Last value", "Air, not shared",
              lambda: choose(page, "Property and dimension", "Plant monitor · Air humidity"))  # fmt: skip
    context.close()

    phone = browser.new_context(**PHONE_NEW_YORK)
    alex = phone.new_page()
    signed_in(alex, zero_config_app.url, "/boards", *ALEX)
    settle(alex)
    alex.get_by_text("Shared with me (1)").wait_for(timeout=30_000)
    alex.get_by_role("link", name="Open").last.click()
    settle(alex)
    alex.get_by_text(f"{value} °C", exact=True).wait_for(timeout=30_000)
    alex.get_by_text("<b>water</b> at 9", exact=True).wait_for()
    alex.get_by_text(
        "1 property of this panel cannot be read", exact=False
    ).wait_for()  # said on its panel: not shared with him through a group he is in
    alex.get_by_text("not shared with you through a group you are in").wait_for()
    # the grid reflows: side by side on the laptop, one under the other on the phone
    first = alex.get_by_text("Soil now", exact=True).bounding_box()
    second = alex.get_by_text("Read me", exact=True).bounding_box()
    assert abs(first["x"] - second["x"]) < 2 and second["y"] > first["y"] + 50
    phone.close()


def test_a_board_written_elsewhere_opens_on_a_projector_and_says_what_is_wrong(
    browser, zero_config_app
):
    """Boards written by another copy of the app (here: by the API, as any copy writes
    them) open here: a board that is not JSON says so in the list; on a projector
    (1920x1080, screen mode) a board shows no menu, states its pace, draws a bar and a map
    from the API's values, and a panel whose property was deleted says so."""
    client = embedded_sandbox_client(zero_config_app)
    things = {t.name: t for t in client.list_things()}
    bike = things["Cargo bike tracker"]
    route = next(p for p in client.list_properties(bike.id) if p.name == "Route")
    rig = client.create_thing("Hall", "Logger")
    hall = client.create_property(rig.id, "Hall temp", "TEMPERATURE")
    client.write_values(rig.id, hall.id, [[int(time.time() * 1000) - 60_000, 21.5]])
    gone = client.create_property(rig.id, "Old sensor", "TEMPERATURE")
    client.delete_property(rig.id, gone.id)

    boards = board_store.make_thing(client)
    ref = lambda thing, prop: {"thing": thing.id, "property": prop.id}  # noqa: E731
    document = {
        "format": "bucket-dashboard/board",
        "version": 1,
        "title": "Class screen",
        "panels": [
            {
                "kind": "gauge",
                "title": "Hall",
                "size": "small",
                "properties": [ref(rig, hall)],
                "dimension": "Temperature",
                "low": 10,
                "high": 30,
            },  # fmt: skip
            {"kind": "map", "title": "The bike", "size": "large", "properties": [ref(bike, route)]},
            {"kind": "last", "title": "Old", "size": "small", "properties": [ref(rig, gone)]},
        ],
    }
    screen = client.create_property(boards.id, "Class screen", "TEXT")
    client.write_values(boards.id, screen.id, [[int(time.time() * 1000), json.dumps(document)]])
    broken = client.create_property(boards.id, "Half written", "TEXT")
    client.write_values(boards.id, broken.id, [[int(time.time() * 1000), '{"format": "bucket-']])

    projector = browser.new_context(viewport={"width": 1920, "height": 1080}, **AMSTERDAM)
    page = projector.new_page()
    signed_in(page, zero_config_app.url, f"/boards?board={screen.id}&screen=1")
    settle(page)
    page.get_by_text("Class screen").first.wait_for(timeout=30_000)
    page.get_by_text("Temperature: 21.5 °C on 10 to 30 °C").wait_for(timeout=30_000)
    bar = page.get_by_role("progressbar")
    assert bar.get_attribute("aria-valuenow") in ("57", "57.5", "58")  # (21.5-10)/(30-10)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    drawn = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data"
        ".reduce((n, t) => n + (t.lat ? t.lat.length : 0), 0)"
    )
    assert drawn == client.count_values(bike.id, route.id)  # the whole track, by the API
    page.get_by_text("1 property of this panel cannot be read").wait_for()
    page.get_by_text(
        re.compile(r"^Read again every \d+ s: at most \d+ requests? a minute")
    ).wait_for()
    assert not page.get_by_role("link", name="Things").is_visible()  # no menu
    projector.close()

    # the list, read again since the link found the board: the one that is not JSON says so
    context = browser.new_context(viewport={"width": 1400, "height": 900}, **AMSTERDAM)
    page = context.new_page()
    signed_in(page, zero_config_app.url, "/boards")
    settle(page)
    page.get_by_text("This board cannot be read: it is not JSON").wait_for(timeout=30_000)
    context.close()


def test_a_board_deleted_is_restored_and_deleted_for_good_after_its_copy(browser, zero_config_app):
    """Boards are listed in their order, and "Down" moves one (stored in each board's
    document); delete says what it does and keeps the board as a deleted version; Restore
    brings it back; "Delete for good" shows what goes, offers every version as a file first, and only
    then removes the property (checked by the API each time)."""
    client = embedded_sandbox_client(zero_config_app)
    boards = board_store.make_thing(client)
    key = board_store.create(client, boards, Board("Old board", (Panel("note", text="keep"),)))
    other = board_store.create(client, boards, Board("Second board", (), position=1))

    def deleted() -> bool | None:
        props = [p.id for p in client.list_properties(boards.id)]
        return stored_board(client, key)["deleted"] if key in props else None

    context = browser.new_context(viewport={"width": 1400, "height": 900}, **AMSTERDAM)
    page = context.new_page()
    signed_in(page, zero_config_app.url)

    def delete_from_its_page() -> None:
        page.goto(f"{zero_config_app.url}/boards?board={key}")
        settle(page)
        page.get_by_text("Change this board", exact=True).click()
        settle(page)
        page.locator("summary", has_text="Delete this board").click()
        page.get_by_text("It stays in your Bucket as a deleted board").wait_for()
        page.get_by_role("button", name="Delete board").click()
        page.get_by_text("Deleted “Old board”: restore it under Deleted boards.").wait_for(
            timeout=30_000
        )
        settle(page)

    # the list in its order; "Down" moves the first board below the second (by the API too)
    page.goto(f"{zero_config_app.url}/boards?board={other}")  # a link reads the list again
    settle(page)
    page.get_by_role("button", name="All boards").click()
    settle(page)
    order = "() => [...document.querySelectorAll('strong')].map(e => e.innerText)"
    listed = [t for t in page.evaluate(order) if t != "Boards"]
    assert listed.index("Old board") < listed.index("Second board")
    below = listed[listed.index("Old board") + 1]  # "Down" swaps it with the board below
    row = page.locator("[data-testid=stHorizontalBlock]").filter(
        has=page.get_by_text("Old board", exact=True)
    )
    row.last.get_by_role("button", name="Down").click()
    page.wait_for_function(
        f"(below) => {{ const t = ({order})(); "
        "return t.indexOf(below) < t.indexOf('Old board'); }",
        arg=below,
        timeout=30_000,
    )
    settle(page)
    if below == "Second board":  # by the API: the positions say the same
        assert stored_board(client, other)["position"] < stored_board(client, key)["position"]

    delete_from_its_page()
    assert deleted() is True
    page.locator("summary", has_text="Deleted boards (1)").click()
    page.get_by_role("button", name="Restore").click()
    page.get_by_text("Restored “Old board”.").wait_for(timeout=30_000)
    settle(page)
    assert deleted() is False

    delete_from_its_page()
    page.locator("summary", has_text="Deleted boards (1)").click()
    page.get_by_role("button", name="Delete for good").click()
    page.get_by_text("this cannot be undone").wait_for(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download its versions (JSON)").click()
    versions = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(versions) >= 4  # made, (moved down,) deleted, restored, deleted
    assert json.loads(versions[-1]["board"])["panels"][0]["text"] == "keep"
    assert deleted() is True  # nothing removed yet
    page.get_by_role("button", name="Yes, delete for good").click()
    page.get_by_text("Deleted “Old board” for good").wait_for(timeout=30_000)
    assert deleted() is None  # the property is gone, by the API
    context.close()

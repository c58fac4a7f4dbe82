"""A type of one's own in Chromium (Amsterdam): each thing Bucket would do harmfully is
refused on the page before anything is sent (the catalogue read by the API is unchanged);
a clean type is created, a property of it made, values written by the form, the grid and
a CSV file (read back by the API) and charted with its unit; the type is offered for deletion only once no property uses it."""

from __future__ import annotations

import pandas as pd

from ..app.test_student_story_browser import type_grid_rows
from ..app_server import embedded_sandbox_client
from ..browser import open_csv, open_thing, settle


def type_dimension(page, cells: list[str]) -> None:
    """Type a dimension row into the editor's first row, as in a spreadsheet."""
    grid = page.get_by_text("Dimensions: one row each").locator("xpath=following::canvas[1]")
    grid.wait_for()
    box = grid.bounding_box()
    for _ in range(3):  # a first click after a rerun may only focus the grid, not the cell
        page.mouse.click(box["x"] + 40, box["y"] + 54)  # row 1, its id
        page.wait_for_timeout(300)
        if page.evaluate("document.activeElement.getAttribute('role')") == "gridcell":
            break
    for i, value in enumerate(cells):
        page.keyboard.type(value, delay=80)
        page.keyboard.press("Tab" if i < len(cells) - 1 else "Enter")
        page.wait_for_timeout(300)
    settle(page)


def fill(page, name: str, value: str) -> None:
    """Type into a text box and commit it (Enter), then let the page's run finish: a commit
    left for the next click reruns the page under that click."""
    page.get_by_role("textbox", name=name).fill(value)
    page.keyboard.press("Enter")
    settle(page)


def error_says(page, text: str) -> None:
    try:
        page.get_by_text(text).first.wait_for(timeout=30_000)  # a loaded 2-core machine
    except Exception as error:
        raise AssertionError(page.inner_text("body")[-2500:]) from error


def test_a_type_of_ones_own_refused_then_made_and_used(browser, zero_config_app, tmp_path):
    client = embedded_sandbox_client(zero_config_app)
    thing = client.create_thing("Studio", "Room")
    before = sorted(t.id for t in client.list_property_types())
    context, page = open_thing(
        browser, zero_config_app.url, thing, height=1200, timezone_id="Europe/Amsterdam"
    )
    page.get_by_text("My sensor's type is not listed: define a new type").click()
    fill(page, "Type id", "TEMPERATURE")
    fill(page, "Type name", "Mine")
    page.get_by_role("button", name="Check and create type").click()
    error_says(page, "a type TEMPERATURE exists, and Bucket would overwrite it for everyone")
    error_says(page, "a type needs at least one dimension")

    fill(page, "Type id", "MY-TYPE")
    type_dimension(page, ["temperature", "Heat", "K"])
    page.get_by_role("button", name="Check and create type").click()
    error_says(page, "must be capital letters")
    error_says(page, "belongs to TEMPERATURE, and Bucket would rename that dimension for everyone")
    assert sorted(t.id for t in client.list_property_types()) == before  # nothing was sent

    page.reload()  # a fresh form
    page.get_by_text("My sensor's type is not listed: define a new type").click()
    fill(page, "Type id", "STUDIO_NOISE")
    fill(page, "Type name", "Studio noise")
    type_dimension(page, ["noise_level", "Level", "dB"])
    assert "timestamp,Level" in page.inner_text("body")  # the CSV template it will have
    page.get_by_role("button", name="Check and create type").click()
    error_says(page, "Created the type Studio noise (STUDIO_NOISE): choose it as the type")
    page.get_by_role("textbox", name="Type id").wait_for(state="detached")  # the form is put away
    assert page.get_by_text("Created the type Studio noise").first.is_visible()  # said here
    made = {t.id: t for t in client.list_property_types()}["STUDIO_NOISE"]  # by the API
    assert [(d.id, d.name, d.unit) for d in made.dimensions] == [("noise_level", "Level", "dB")]

    page.get_by_text("Types you made (1)").click()
    page.get_by_role("button", name="Delete type").wait_for()  # unused: deletable
    page.get_by_role("combobox", name="Type (type to search)").fill("Studio noise")
    page.keyboard.press("Enter")
    page.get_by_role("textbox", name="Property name").fill("Window")
    page.get_by_role("button", name="Create property").click()
    error_says(page, "Created Window")
    prop = next(p for p in client.get_thing(thing.id).properties if p.name == "Window")

    page.goto(f"{zero_config_app.url}/upload?thing={thing.id}&property={prop.id}")
    page.get_by_label("Level (dB)").fill("42.5")
    page.get_by_role("button", name="Write value").click()
    error_says(page, "Stored 1 row: Level 42.5 dB")
    assert client.read_values(thing.id, prop.id, 0, "2100-01-01")["Level"].tolist() == [42.5]

    page.get_by_role("tab", name="A few rows").click()  # the grid
    type_grid_rows(page, [["51"]])
    page.get_by_role("button", name="Check and write rows").click()
    error_says(page, "Stored 1 row: Level 51 dB")

    csv_file = tmp_path / "noise.csv"  # the template's columns, times of the last hour
    now = pd.Timestamp.now(tz="Europe/Amsterdam").floor("min") - pd.Timedelta(minutes=30)
    csv_file.write_text(
        "timestamp,Level\n"
        + "".join(
            f"{now + pd.Timedelta(minutes=i):%Y-%m-%dT%H:%M:%S%z},{60 + i}\n" for i in range(5)
        )
    )
    open_csv(page, zero_config_app.url, thing.id, prop.id, csv_file)
    page.get_by_role("button", name="Write 5 rows to Window").click(timeout=60_000)
    error_says(page, "5 rows written and verified")
    levels = client.read_values(thing.id, prop.id, 0, "2100-01-01")["Level"]
    assert sorted(levels.tolist()) == [42.5, 51.0, 60.0, 61.0, 62.0, 63.0, 64.0]  # by the API

    page.goto(f"{zero_config_app.url}/explore?thing={thing.id}&property={prop.id}")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    assert "dB" in page.locator(".js-plotly-plot").first.inner_text()  # the axis's unit

    page.goto(f"{zero_config_app.url}/things?thing={thing.id}")
    page.get_by_text("New property").click()
    page.get_by_text("Types you made (1)").click()
    page.get_by_text("in use by a property").wait_for()  # not deletable now
    context.close()


def test_a_type_made_by_someone_else_after_the_form_opened_is_not_overwritten(
    browser, zero_config_app
):
    """The page's list of types is cached (an hour, per replica); the check at the click
    reads Bucket's own list, so a type another person made meanwhile is refused by name."""
    import uuid

    from bucket_client import PropertyType
    from bucket_client import property_types as types

    type_id = "DESK_NOISE_" + uuid.uuid4().hex[:6].upper()  # a type is global: a fresh id
    client = embedded_sandbox_client(zero_config_app)
    thing = client.create_thing("Desk", "Room")
    context, page = open_thing(
        browser, zero_config_app.url, thing, height=1200, timezone_id="Europe/Amsterdam"
    )
    page.get_by_text("My sensor's type is not listed: define a new type").click()
    fill(page, "Type id", type_id)
    fill(page, "Type name", "Mine")
    type_dimension(page, ["desk_level", "Level", "dB"])

    theirs = PropertyType(
        type_id,
        "Theirs",
        "made elsewhere",
        dimensions=(types.dimension("desk_db", "Loudness", "dB", "number"),),
    )
    types.create(client, theirs, client.list_property_types())  # another person, by the API
    page.get_by_role("button", name="Check and create type").click()
    error_says(page, f"a type {type_id} exists, and Bucket would overwrite it for everyone")
    stored = {t.id: t for t in client.list_property_types()}[type_id]
    assert stored.name == "Theirs"  # theirs, untouched
    context.close()

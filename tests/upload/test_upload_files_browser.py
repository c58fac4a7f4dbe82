"""The files students have, uploaded in Chromium and read back through the API: a workbook
(.xlsx, .ods) with a title above its header and date cells across the night the clocks go
back in Amsterdam (each repeated hour stored once per instant, as the CSV path does); a
phyphox export (.zip on a laptop in Amsterdam, .xls on a phone in New York) stored exactly
at its samples' times, with no time asked."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from .. import student_files as files
from ..app_server import new_property
from ..browser import settle
from ..upload.test_csv_questions_browser import at_the_file

# wall-clock times in Amsterdam across 25 October 2026, 03:00 CEST -> 02:00 CET
WALL = (
    [dt.datetime(2026, 10, 25, 1, 30)]
    + [dt.datetime(2026, 10, 25, 2, m) for m in (0, 30, 0, 30)]
    + [dt.datetime(2026, 10, 25, 3, 0)]
)
VALUES = [11.5, 11.25, 11.0, 10.75, 10.5, 10.25]
STORED_UTC = pd.date_range("2026-10-24T23:30:00Z", periods=6, freq="30min")


def write_and_verify(page, rows: int, prop_name: str) -> None:
    settle(page)
    page.get_by_role("button", name=f"Write {rows} rows to {prop_name}").click()
    page.get_by_text(f"{rows} rows written and verified").first.wait_for(timeout=60_000)


@pytest.mark.parametrize("write", [files.write_xlsx, files.write_ods], ids=["xlsx", "ods"])
def test_a_workbooks_dates_are_stored_as_the_csv_path_stores_them(
    browser, zero_config_app, tmp_path, write
):
    client, thing, prop = new_property(zero_config_app, "Greenhouse", "Air", "TEMPERATURE")
    suffix = ".xlsx" if write is files.write_xlsx else ".ods"
    path = write(tmp_path / f"greenhouse{suffix}", files.rows_with_dates(WALL, VALUES))
    context, page = at_the_file(
        browser, zero_config_app, thing, prop, path, timezone_id="Europe/Amsterdam"
    )
    sheet = page.get_by_label("Sheet", exact=True)
    sheet.wait_for(timeout=30_000)
    page.get_by_text("The sheet Read me has no rows of values under a header.").wait_for()
    sheet.click()  # the workbook opens on its "Read me" sheet: the person picks "Log"
    page.keyboard.type("Log")
    page.keyboard.press("Enter")
    page.get_by_text("The table's header is on row 4 of the sheet").wait_for(timeout=30_000)
    page.get_by_text("The times carry no time zone; they are in").wait_for()
    # the browser's zone, shown to the person as the answer they may change
    assert page.get_by_label("The times carry no time zone").input_value() == "Europe/Amsterdam"
    page.get_by_text("Will store 6 rows").wait_for()
    # what was read: the sheet, its header's row, its rows; no CSV separator or encoding
    page.get_by_text("Read from the sheet Log · header on row 4 · 6 rows under it").wait_for()
    assert "separator" not in page.inner_text("body")
    write_and_verify(page, 6, "Air")
    stored = client.read_values(thing.id, prop.id, "2026-10-24", "2026-10-26")
    assert list(stored.index) == list(STORED_UTC)
    assert stored["Temperature"].tolist() == VALUES
    context.close()


def test_a_phyphox_zip_is_stored_at_its_samples_times_with_nothing_asked(
    browser, zero_config_app, tmp_path
):
    client, thing, prop = new_property(zero_config_app, "Pendulum", "Bob", "ACCELEROMETER")
    path = files.write_phyphox_zip(tmp_path / "Pendulum 2026-11-30 01-53-20.zip")
    context, page = at_the_file(
        browser, zero_config_app, thing, prop, path, timezone_id="Europe/Amsterdam"
    )
    page.get_by_text("A phyphox recording, started 2026-11-30 01:53:20").wait_for(timeout=30_000)
    assert page.get_by_text("The times carry no time zone").count() == 0
    rows = len(files.ACC_ROWS)
    write_and_verify(page, rows, "Bob")
    stored = client.read_values(thing.id, prop.id, 0, "2100-01-01")
    assert [int(t.value // 1_000_000) for t in stored.index] == files.expected_phyphox_ms(
        files.ACC_ROWS
    )
    written = [[float(files._phyphox_number(v)) for v in r[1:]] for r in files.ACC_ROWS]
    assert stored[["x", "y", "z"]].values.tolist() == written
    context.close()


def test_a_phyphox_workbook_on_a_phone_offers_only_the_table_that_fits(
    browser, zero_config_app, tmp_path
):
    client, thing, prop = new_property(zero_config_app, "Spinner", "Rate", "GYROSCOPE")
    path = files.write_phyphox_xls(tmp_path / "Spinner.xls")
    context, page = at_the_file(
        browser,
        zero_config_app,
        thing,
        prop,
        path,
        timezone_id="America/New_York",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
    )
    page.get_by_text("A phyphox recording, started 2026-11-29 19:53:20").wait_for(timeout=30_000)
    table = page.get_by_label("Table", exact=True)
    assert table.input_value() == f"Gyroscope ({len(files.GYR_ROWS)} rows)"
    table.click()  # its list: the accelerometer's table is not offered for a gyroscope
    assert page.get_by_role("option").all_inner_texts() == [
        f"Gyroscope ({len(files.GYR_ROWS)} rows)"
    ]
    page.keyboard.press("Escape")
    rows = len(files.GYR_ROWS)
    write_and_verify(page, rows, "Rate")
    stored = client.read_values(thing.id, prop.id, 0, "2100-01-01")
    assert [int(t.value // 1_000_000) for t in stored.index] == files.expected_phyphox_ms(
        files.GYR_ROWS
    )
    assert stored.values.tolist() == [r[1:] for r in files.GYR_ROWS]
    context.close()


def test_a_proximity_stopwatch_recording_asks_which_stopwatch_before_it_is_stored(
    browser, zero_config_app, tmp_path
):
    """phyphox's Optical and Proximity Stopwatch write the same table ("Illuminance (lx)"):
    nothing is offered until the person says which recorded it; then the distances go into
    the Proximity property at their times (a phone in New York)."""
    from .. import phyphox_corpus as corpus

    client, thing, prop = new_property(zero_config_app, "Door", "Gap", "PROXIMITY")
    path = corpus.write_zip(tmp_path / "Proximity Stopwatch.zip", "proximity_stopwatch")
    context, page = at_the_file(
        browser, zero_config_app, thing, prop, path, timezone_id="America/New_York",
        viewport={"width": 390, "height": 844}, is_mobile=True,
    )  # fmt: skip
    page.get_by_text("Which phyphox experiment recorded this file?").wait_for(timeout=30_000)
    assert page.get_by_role("button", name=re.compile(r"^Write \d+ rows")).count() == 0
    page.get_by_text("phyphox's Optical Stopwatch (illuminance, lx)").click()
    page.get_by_text("belongs in a Light (LIGHT) property").wait_for()
    page.get_by_text("phyphox's Proximity Stopwatch (distance, cm)").click()
    write_and_verify(page, corpus.ROWS, "Gap")
    stored = client.read_values(thing.id, prop.id, 0, "2100-01-01")
    rows = corpus.rows_of(corpus.EXPERIMENTS["proximity_stopwatch"][1])
    assert [int(t.value // 1_000_000) for t in stored.index] == files.expected_phyphox_ms(rows)
    assert stored["Distance"].tolist() == [r[1] for r in rows]
    context.close()


def test_a_recording_that_fits_no_table_says_which_type_to_make(browser, zero_config_app, tmp_path):
    """A light recording chosen for an accelerometer (a laptop in Amsterdam): the page says
    its table fits a Light property and offers that type's CSV template; nothing is written."""
    from .. import phyphox_corpus as corpus

    client, thing, prop = new_property(zero_config_app, "Desk", "Tilt", "ACCELEROMETER")
    path = corpus.write_xls(tmp_path / "Light.xls", "light")
    context, page = at_the_file(
        browser, zero_config_app, thing, prop, path, timezone_id="Europe/Amsterdam"
    )
    # "an Accelerometer", not "a Accelerometer" (one helper chooses the article)
    page.get_by_text(
        "No table of this recording has the columns of an Accelerometer property"
    ).wait_for(timeout=30_000)
    page.get_by_text("Raw Data: fits a Light (LIGHT) property").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Template CSV for Light").click()
    template = download.value.path().read_text()
    assert template.splitlines()[0] == "timestamp,Illuminance"
    assert len(client.read_values(thing.id, prop.id, 0, "2100-01-01")) == 0
    context.close()

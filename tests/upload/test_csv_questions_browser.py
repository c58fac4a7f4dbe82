"""The CSV wizard's questions, in Chromium: dates that read both day first and month first
are asked (nothing can be written before), and the answer is what gets stored, checked
through the API."""

from __future__ import annotations

import pandas as pd

from ..app_server import new_property
from ..browser import open_csv, settle, signed_in


def at_the_file(browser, app, thing, prop, csv_file, **options):
    """A person signed in, on the property's CSV tab with the file chosen (a laptop's
    window unless ``options`` give another: a phone's)."""
    context = browser.new_context(**{"viewport": {"width": 1300, "height": 1100}, **options})
    page = context.new_page()
    signed_in(page, app.url)
    open_csv(page, app.url, thing.id, prop.id, csv_file)
    return context, page


def test_day_or_month_is_asked_and_the_answer_stored(browser, zero_config_app, tmp_path):
    client, thing, prop = new_property(zero_config_app, "Cellar", "Wine", "TEMPERATURE")
    csv_file = tmp_path / "cellar.csv"
    csv_file.write_text("time,Temperature\n01/02/2026 10:00,12.5\n02/02/2026 10:00,13\n")
    context, page = at_the_file(browser, zero_config_app, thing, prop, csv_file, timezone_id="UTC")
    page.get_by_text("Every date reads both ways. Which is it?").wait_for()
    page.get_by_text("Day first: 01/02/2026 10:00 is 1 February 2026").wait_for()
    page.get_by_text("Month first: 01/02/2026 10:00 is 2 January 2026").wait_for()
    settle(page)
    assert page.get_by_role("button", name="Write 2 rows to Wine").count() == 0
    page.get_by_text("Month first: 01/02/2026 10:00 is 2 January 2026").click()
    settle(page)
    page.get_by_text("Will store 2 rows from 2 Jan 2026 10:00 to 2 Feb 2026 10:00").wait_for()
    page.get_by_role("button", name="Write 2 rows to Wine").click()
    page.get_by_text("2 rows written and verified").first.wait_for(timeout=60_000)
    stored = client.read_values(thing.id, prop.id, "2026-01-01", "2026-03-01")
    assert list(stored.index) == [
        pd.Timestamp("2026-01-02T10:00:00Z"),
        pd.Timestamp("2026-02-02T10:00:00Z"),
    ]
    assert stored["Temperature"].tolist() == [12.5, 13.0]
    context.close()


def test_a_column_no_name_matches_is_chosen_by_the_person(browser, zero_config_app, tmp_path):
    client, thing, prop = new_property(zero_config_app, "Drone", "Frame", "ACCELEROMETER")
    csv_file = tmp_path / "drone.csv"
    csv_file.write_text("time,battery,ax,ay,c\n1700000000000,3.7,1,2,3\n")
    context, page = at_the_file(browser, zero_config_app, thing, prop, csv_file)
    page.get_by_text("No column's name says which holds z").wait_for()
    settle(page)
    assert page.get_by_role("button", name="Write 1 row to Frame").count() == 0
    page.get_by_role("combobox", name="z (m/s²)").click()
    page.get_by_role("option", name="c", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Write 1 row to Frame").click()
    page.get_by_text("1 rows written and verified").or_(
        page.get_by_text("1 row written and verified")
    ).first.wait_for(timeout=60_000)
    last = client.last_values(thing.id, prop.id)  # by name, through /last
    assert last.values == {"x": 1.0, "y": 2.0, "z": 3.0}  # battery never became x
    context.close()


def test_times_before_2000_need_a_ticked_box(browser, zero_config_app, tmp_path):
    """UNIX seconds from 1995 look like a counter; read as UNIX time after all, they are
    written only once the person ticks that they really are that old."""
    client, thing, prop = new_property(zero_config_app, "Museum", "Vault", "TEMPERATURE")
    csv_file = tmp_path / "vault.csv"
    csv_file.write_text("time,Temperature\n800000000,10\n800000060,11\n")
    context, page = at_the_file(browser, zero_config_app, thing, prop, csv_file, timezone_id="UTC")
    page.get_by_text("looks like time since the start of the recording").wait_for()
    settle(page)
    page.get_by_role("combobox", name="Time format").click()
    page.get_by_role("option", name="UNIX time in seconds (since 1 Jan 1970)").click()
    settle(page)
    tick = page.get_by_text("Yes, 2 rows really date from before 2000")
    tick.wait_for()
    assert page.get_by_role("button", name="Write 2 rows to Vault").count() == 0
    tick.click()
    settle(page)
    page.get_by_role("button", name="Write 2 rows to Vault").click()
    page.get_by_text("2 rows written and verified").first.wait_for(timeout=60_000)
    stored = client.read_values(thing.id, prop.id, 799_999_000_000, 800_001_000_000)
    assert list(stored.index.as_unit("ms").asi8) == [800_000_000_000, 800_000_060_000]
    context.close()


def test_values_already_stored_are_overwritten_when_asked(browser, zero_config_app, tmp_path):
    client, thing, prop = new_property(zero_config_app, "Kiln", "Chamber", "TEMPERATURE")
    t0 = 1_700_000_000_000
    client.write_values(thing.id, prop.id, [[t0, 1.0], [t0 + 60_000, 2.0]], prop=prop)
    csv_file = tmp_path / "kiln.csv"
    csv_file.write_text(f"time,Temperature\n{t0},100\n{t0 + 60_000},200\n{t0 + 120_000},300\n")
    context, page = at_the_file(browser, zero_config_app, thing, prop, csv_file)
    page.get_by_text("2 of the file’s times already hold values in Bucket").wait_for()
    settle(page)
    assert page.get_by_role("button", name="Write 3 rows to Chamber").count() == 0
    page.get_by_text("Overwrite them with the file's values").click()
    settle(page)
    page.get_by_role("button", name="Write 3 rows to Chamber").click()
    page.get_by_text("2 existing values overwritten").first.wait_for(timeout=60_000)
    stored = client.read_values(thing.id, prop.id, t0, t0 + 120_000)
    assert stored["Temperature"].tolist() == [100.0, 200.0, 300.0]  # read back by name
    context.close()


def test_times_in_the_future_need_a_ticked_box(browser, zero_config_app, tmp_path):
    """A logger on UTC read as Amsterdam's clock is fine; one read 11 hours ahead is asked
    about: nothing is written until the person ticks that the times are meant."""
    client, thing, prop = new_property(zero_config_app, "Tokyo logger", "Desk", "TEMPERATURE")
    ahead = pd.Timestamp.now(tz="UTC").floor("min") + pd.Timedelta(hours=11)
    csv_file = tmp_path / "ahead.csv"
    csv_file.write_text(f"time,Temperature\n{ahead.value // 10**6},20\n")
    context, page = at_the_file(
        browser, zero_config_app, thing, prop, csv_file, timezone_id="Europe/Amsterdam"
    )
    tick = page.get_by_text("Yes, 1 row lies in the future")
    tick.wait_for(timeout=60_000)
    settle(page)
    assert page.get_by_role("button", name="Write 1 row to Desk").count() == 0
    tick.click()
    settle(page)
    page.get_by_role("button", name="Write 1 row to Desk").click()
    page.get_by_text("1 row written and verified").or_(
        page.get_by_text("1 rows written and verified")
    ).first.wait_for(timeout=60_000)
    assert client.last_values(thing.id, prop.id).values == {"Temperature": 20.0}  # by name
    context.close()

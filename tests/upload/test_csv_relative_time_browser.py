"""An Arduino's ``millis()`` file in Chromium: the wizard takes it for a counter (never for
1970), asks when the recording started, says in words what it will store, writes it; the
stored first and last rows are read through the API. A second upload of the same file is
asked about the values already there, and skipping them says so."""

from __future__ import annotations

import pandas as pd

from ..app_server import new_property
from ..browser import settle, signed_in

ROWS = 301  # one a second for five minutes


def type_into(page, part: str, label: str, text: str) -> None:
    """A date or time field's part (its spin buttons are named "year, <label>" and so on)."""
    page.get_by_role("spinbutton", name=f"{part}, {label}").first.click()
    page.keyboard.type(text)


def choose_file(page, csv_file) -> None:
    """The CSV tab, the file, and the start of the recording when the wizard asks."""
    page.get_by_role("tab", name="CSV file").click()
    page.locator("input[type=file]").set_input_files(str(csv_file))
    page.get_by_text("looks like time since the start of the recording").wait_for()
    settle(page)
    enter_start(page)


def enter_start(page) -> None:
    """2 March 2026, 09:00, as a person types it into the two fields."""
    for part, text in (("year", "2026"), ("month", "03"), ("day", "02")):
        type_into(page, part, "Recording started on", text)
    page.keyboard.press("Tab")
    settle(page)
    time_field = page.get_by_role("spinbutton", name="hour, at")
    if time_field.count():
        type_into(page, "hour", "at", "09")
        type_into(page, "minute", "at", "00")
        page.keyboard.press("Tab")
    else:  # a select of times
        page.get_by_label("at", exact=True).click()
        page.keyboard.type("09:00")
        page.keyboard.press("Enter")
    settle(page)


def test_a_counter_file_is_stored_from_the_start_entered(browser, zero_config_app, tmp_path):
    client, thing, prop = new_property(zero_config_app, "Bike computer", "Frame", "ACCELEROMETER")
    csv_file = tmp_path / "DATALOG.TXT"
    csv_file.write_text(
        "millis,ax,ay,az\n" + "".join(f"{i * 1000},{i},{-i},{i / 10}\n" for i in range(ROWS))
    )
    context = browser.new_context(
        viewport={"width": 1300, "height": 1100}, timezone_id="Europe/Amsterdam"
    )
    page = context.new_page()
    signed_in(page, zero_config_app.url, f"/upload?thing={thing.id}&property={prop.id}")
    choose_file(page, csv_file)
    page.get_by_text("Will store 301 rows from 2 Mar 2026 09:00 to 09:05 (5 minutes)").wait_for()
    page.get_by_role("button", name="Write 301 rows to Frame").click()
    page.get_by_text("301 rows written and verified").first.wait_for(timeout=60_000)

    start = pd.Timestamp("2026-03-02T08:00:00Z")  # 09:00 in Amsterdam
    stored = client.read_values(thing.id, prop.id, start, start + pd.Timedelta(minutes=5))
    assert len(stored) == ROWS
    assert stored.index[0] == start and stored.index[-1] == start + pd.Timedelta(minutes=5)
    last = client.last_values(thing.id, prop.id)
    assert last.timestamp == start + pd.Timedelta(minutes=5)
    assert last.values == {"x": 300.0, "y": -300.0, "z": 30.0}  # by name, through /last

    page.reload()
    choose_file(page, csv_file)
    page.get_by_text("301 of the file’s times already hold values in Bucket").wait_for()
    page.get_by_text("Skip those rows and keep what Bucket has").click()
    settle(page)
    page.get_by_text("Every row's time already holds a value: nothing to write.").wait_for()
    assert client.count_values(thing.id, prop.id) == ROWS
    context.close()

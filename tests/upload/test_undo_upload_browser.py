"""Undo an upload, in Chromium as students do it: a CSV that overwrote values, undone from
"Undo this upload" in Amsterdam (the values it removes downloaded first, the earlier state
back exactly, read by the API); a value from the form on a phone in New York, undone from
a second tab's recent uploads; a second user sees none of it."""

from __future__ import annotations

import pandas as pd

from ..app_server import SECOND_STUDENT, new_property
from ..browser import open_csv, settle, signed_in

AMSTERDAM, NEW_YORK = "Europe/Amsterdam", "America/New_York"


def minutes(day: str, clock: str, n: int, zone: str) -> pd.DatetimeIndex:
    start = pd.Timestamp(f"{day} {clock}").tz_localize(zone)
    return pd.DatetimeIndex([start + pd.Timedelta(minutes=i) for i in range(n)])


def test_a_csv_that_overwrote_values_is_undone_exactly(browser, class_app, tmp_path):
    client, thing, prop = new_property(class_app, "Undo bench", "Room", "TEMPERATURE")
    earlier = minutes("2026-11-20", "10:00", 5, AMSTERDAM)  # 10:00 to 10:04
    client.write_values(
        thing.id, prop.id, pd.DataFrame({"Temperature": [10.0, 11, 12, 13, 14]}, index=earlier)
    )
    original = client.read_values(thing.id, prop.id, "2026-11-01", "2026-12-01")
    wrong = minutes("2026-11-20", "10:02", 8, AMSTERDAM)  # 10:02 to 10:09: 3 overlap, 5 new
    csv_file = tmp_path / "shifted.csv"
    csv_file.write_text(
        "time,Temperature\n"
        + "".join(f"{t:%Y-%m-%d %H:%M:%S},{50 + i}\n" for i, t in enumerate(wrong))
    )
    context = browser.new_context(
        viewport={"width": 1300, "height": 1100}, timezone_id=AMSTERDAM, accept_downloads=True
    )
    page = context.new_page()
    signed_in(page, class_app.url)
    open_csv(page, class_app.url, thing.id, prop.id, csv_file)
    page.get_by_text("Overwrite them with the file's values").click(timeout=60_000)
    settle(page)
    page.get_by_role("button", name="Write 8 rows to Room").click()
    page.get_by_text("8 rows written and verified").first.wait_for(timeout=60_000)
    assert client.count_values(thing.id, prop.id) == 10  # by the API: 5 + 5 new

    page.get_by_text("Last upload: 8 rows to Undo bench / Room by the file shifted.csv").wait_for()
    page.get_by_text("5 new values, 3 values overwritten").first.wait_for()
    page.get_by_role("button", name="Undo this upload").click()
    page.get_by_text(
        "Undo deletes the 5 values it added and writes back the 3 values it replaced"
    ).wait_for(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the values it removes (CSV)").click()
    removed = pd.read_csv(download.value.path())
    assert removed["Temperature"].tolist() == [50.0 + i for i in range(8)]  # what the file wrote
    assert removed["time_ms"].tolist() == list(wrong.tz_convert("UTC").as_unit("ms").asi8)
    page.get_by_role("button", name="Yes, undo it").click()
    said = page.get_by_text(
        "Undone: 5 added values deleted and 3 earlier values written back; verified"
    )
    try:
        said.wait_for(timeout=60_000)
    except Exception as error:  # what the page said instead
        raise AssertionError(page.inner_text("body")[-3000:]) from error

    after = client.read_values(thing.id, prop.id, "2026-11-01", "2026-12-01")  # by the API
    pd.testing.assert_frame_equal(after, original)
    page.get_by_text("Your recent uploads (1)").click()
    page.get_by_text("undone", exact=True).wait_for()
    assert page.get_by_role("button", name="Undo", exact=True).count() == 0  # nothing left
    context.close()


def test_a_value_from_the_form_is_undone_on_a_phone_from_a_second_tab(browser, class_app):
    client, thing, prop = new_property(class_app, "Pocket sensor", "Desk", "TEMPERATURE")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, timezone_id=NEW_YORK, is_mobile=True
    )
    page = context.new_page()
    signed_in(page, class_app.url, f"/upload?thing={thing.id}&property={prop.id}")
    page.get_by_label("Temperature (°C)").fill("21.5")
    page.get_by_role("button", name="Write value").click()
    page.get_by_text("Stored 1 row: Temperature 21.5").wait_for(timeout=30_000)
    assert client.count_values(thing.id, prop.id) == 1

    second = context.new_page()  # the same student, another tab
    second.goto(f"{class_app.url}/upload?thing={thing.id}&property={prop.id}")
    second.get_by_text("Your recent uploads").first.click(timeout=30_000)
    line = second.get_by_text("1 row to Pocket sensor / Desk by the form")
    line.first.wait_for()
    assert f"({NEW_YORK})" in line.first.inner_text()  # the time on the phone's clock
    second.get_by_role("button", name="Undo", exact=True).first.click()
    second.get_by_text("Undo deletes the 1 value it added").wait_for(timeout=30_000)
    second.get_by_role("button", name="Yes, undo it").click()
    second.get_by_text("Undone: 1 added value deleted").wait_for(timeout=60_000)
    assert client.count_values(thing.id, prop.id) == 0  # by the API
    overflow = second.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390  # nothing cut or pushed sideways on the phone
    context.close()

    other = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id=NEW_YORK)
    sams = other.new_page()
    signed_in(sams, class_app.url, "/upload", *SECOND_STUDENT)
    sams.get_by_role("heading", name="Upload").wait_for()
    settle(sams)
    assert sams.get_by_text("Your recent uploads").count() == 0  # alex's uploads are alex's
    other.close()

"""Explore's "Delete the values in this range" in Chromium (Amsterdam): what it will do is
said, the values are saved first (the downloaded CSV is what the API held), a typed name arms
the button, the range is empty afterwards and the values around it untouched (read by the
API), "Restore" writes back exactly what was there, and a reload part way resumes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ..app_server import AppServer, new_property
from ..browser import open_explore, settle

START = 1_790_000_000_000
EVERY = 1_000  # 12,000 values a second apart
FROM, TO = START + 2_000_000, START + 9_999_000  # the middle 8,000


def test_a_range_is_deleted_after_saving_and_can_be_restored(browser, zero_config_app):
    client, thing, prop = new_property(
        zero_config_app, "Shifted logger", "Clock off", "TEMPERATURE"
    )
    times = range(START, START + 12_000 * EVERY, EVERY)
    client.write_values(thing.id, prop.id, [[t, (t // EVERY) % 100 / 4] for t in times], prop=prop)
    before = client.read_values(thing.id, prop.id, FROM, TO, prop=prop)
    assert len(before) == 8_000

    query = f"thing={thing.id}&property={prop.id}&range=custom&from={FROM}&to={TO}"
    context, page = open_explore(
        browser, zero_config_app.url, query, timezone_id="Europe/Amsterdam", accept_downloads=True
    )
    page.get_by_text("Delete the values in this range").first.click()
    first = before.index[0].tz_convert("Europe/Amsterdam")
    page.get_by_text(f"8,000 values of Clock off from {first:%Y-%m-%d %H:%M:%S}").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the values first (CSV)").click()
    saved = pd.read_csv(download.value.path())
    assert saved["time_ms"].tolist() == list(before.index.as_unit("ms").asi8)
    assert saved["Temperature"].tolist() == before["Temperature"].tolist()

    button = page.get_by_role("button", name="Delete 8,000 values")
    assert button.is_disabled()  # not before the name is typed
    page.get_by_label("Type the property's name (Clock off) to confirm").fill("Clock off")
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_role("button", name="Delete 8,000 values").click()
    page.get_by_text("Deleted 8,000 values; verified: nothing is left in this range").wait_for(
        timeout=60_000
    )
    assert client.read_values(thing.id, prop.id, FROM, TO, prop=prop).empty  # by the API
    assert client.count_values(thing.id, prop.id) == 4_000  # around it, untouched

    page.get_by_role("button", name="Restore them (write the saved values back)").click()
    page.get_by_text("Restored 8,000 values from the saved copy").wait_for(timeout=60_000)
    after = client.read_values(thing.id, prop.id, FROM, TO, prop=prop)
    pd.testing.assert_frame_equal(after, before)
    assert client.count_values(thing.id, prop.id) == 12_000
    context.close()


@pytest.fixture(scope="module")
def slow_delete_app(tmp_path_factory):
    """The app on a sandbox that deletes as slowly as the real server (2 ms a time)."""
    server = AppServer(
        tmp_path_factory.mktemp("app-slow-delete"),
        {
            "BUCKET_SANDBOX_RATE_LIMIT_PER_MINUTE": "5000",
            "BUCKET_SANDBOX_DELETE_SECONDS_PER_TIME": "0.002",
        },
    )
    yield server
    server.stop()


def test_a_deletion_cut_short_by_a_reload_resumes_where_it_stopped(browser, slow_delete_app):
    """12,000 times at 2 ms each take 24 s in three chunks; the person, on a phone in New
    York, reloads after the first. The page says where it stopped (what Bucket holds agrees) and resumes there."""
    client, thing, prop = new_property(slow_delete_app, "Slow logger", "Clock off", "TEMPERATURE")
    times = range(START, START + 16_000 * EVERY, EVERY)
    client.write_values(thing.id, prop.id, [[t, 1.5] for t in times], prop=prop)
    last = START + 13_999_000  # the range holds 12,000
    query = f"thing={thing.id}&property={prop.id}&range=custom&from={FROM}&to={last}"
    context, page = open_explore(  # a phone in New York
        browser,
        slow_delete_app.url,
        query,
        width=390,
        height=844,
        timezone_id="America/New_York",
        is_mobile=True,
    )
    page.get_by_text("Delete the values in this range").first.click()
    page.get_by_label("Type the property's name (Clock off) to confirm").fill("Clock off")
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_role("button", name="Delete 12,000 values").click()
    page.get_by_text("5,000 of 12,000 deleted").wait_for(timeout=60_000)
    page.reload()  # mid-deletion
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    page.get_by_text("Delete the values in this range").first.click()
    said = page.get_by_text(re.compile(r"A deletion stopped after [\d,]+ of 12,000 values"))
    said.wait_for(timeout=30_000)
    done = int(re.search(r"after ([\d,]+) of", said.inner_text()).group(1).replace(",", ""))
    assert done in (5_000, 10_000)
    held = client.read_values(thing.id, prop.id, FROM, last, prop=prop)  # by the API
    assert 0 < len(held) <= 12_000 - done  # the chunk in flight at the reload may be gone
    page.get_by_label("Type the property's name (Clock off) to confirm").fill("Clock off")
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_role("button", name=f"Delete {12_000 - done:,} values").click()
    page.get_by_text("Deleted 12,000 values; verified: nothing is left in this range").wait_for(
        timeout=60_000
    )
    assert client.read_values(thing.id, prop.id, FROM, last, prop=prop).empty
    assert client.count_values(thing.id, prop.id) == 4_000
    context.close()

"""Explore in Chromium, as a person uses it: a drag on the chart becomes the range and is
fetched finer (Back returns), "Raw points" draws every point, and an aggregated view says
what it is (hover, exports, stats), checked against the API by another path."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import requests

from bucket_client import BucketClient
from bucket_sandbox.tokens import issue_token

from ..app_server import app_on_own_sandbox, embedded_sandbox_client
from ..browser import settle, sign_in, signed_in
from ..conftest import DEMO_EMAIL
from ..explore.test_explore_page import CHAIR, PLANT_H, demo_id


def plot_x_pixel(page, when_ms: int, start_ms: int, end_ms: int) -> tuple[float, float]:
    """The page position of a time on the chart's x axis (the axis spans the range)."""
    box = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    x = box["x"] + (when_ms - start_ms) / (end_ms - start_ms) * box["width"]
    return x, box["y"] + box["height"] / 2


def url_range(page) -> tuple[int, int]:
    found = dict(re.findall(r"[?&](from|to)=(\d+)", page.url))
    return int(found["from"]), int(found["to"])


def chair_last_hour(browser, app):
    """A signed-in page on the demo accelerometer's last hour of data (10 Hz, downsampled),
    with the API client that reads it by another path."""
    client = embedded_sandbox_client(app)
    thing, prop = demo_id("things", "wheelchair"), demo_id("properties", "wheelchair-acc")
    end = int(client.last_values(thing, prop).timestamp.timestamp() * 1000)
    start = end - 3_600_000
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    signed_in(page, app.url, f"/explore?p={CHAIR}&range=custom&from={start}&to={end}")
    page.get_by_text("by MinMaxLTTB downsampling").first.wait_for(timeout=30_000)
    settle(page)
    return context, page, client, thing, prop, start, end


def test_a_drag_fetches_that_range_finer_and_back_returns(browser, zero_config_app):
    context, page, client, thing, prop, start, end = chair_last_hour(browser, zero_config_app)

    a = plot_x_pixel(page, end - 40 * 60_000, start, end)
    b = plot_x_pixel(page, end - 35 * 60_000, start, end)
    page.mouse.move(*a)
    page.mouse.down()
    page.mouse.move(b[0], b[1], steps=8)
    page.mouse.up()
    page.get_by_text("points, all shown").first.wait_for(timeout=30_000)
    settle(page)
    first, last = url_range(page)
    assert 4.5 * 60_000 < last - first < 5.5 * 60_000
    stored = len(client.read_values(thing, prop, first, last))  # by the API, not the page
    assert 2_700 <= stored <= 3_300
    page.get_by_text(f"{stored:,} points, all shown").first.wait_for()
    drawn = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullData[0].x.length")
    assert drawn == stored

    page.go_back()
    page.get_by_text("by MinMaxLTTB downsampling").first.wait_for(timeout=30_000)
    assert url_range(page) == (start, end)

    page.get_by_text("Raw points").first.click()
    every = len(client.read_values(thing, prop, start, end))
    page.get_by_text(
        f"{every:,} points, every one drawn (Raw points, up to 200,000 values)"
    ).first.wait_for(timeout=60_000)
    settle(page)
    drawn = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullData[0].x.length")
    assert drawn == every
    context.close()


def test_the_wheel_fetches_finer_and_a_double_click_returns(browser, zero_config_app):
    """The other ways a person zooms: the mouse wheel over the chart becomes the range (once
    the hand rests), and a double click returns to the view before, as a box's does."""
    context, page, client, thing, prop, start, end = chair_last_hour(browser, zero_config_app)

    page.mouse.move(*plot_x_pixel(page, end - 30 * 60_000, start, end))
    for _ in range(3):
        page.mouse.wheel(0, -300)
    page.wait_for_function(f"() => !location.search.includes('from={start}')")
    settle(page)
    first, last = url_range(page)
    assert start < first < last < end and last - first < 50 * 60_000
    page.get_by_text(
        f"{len(client.read_values(thing, prop, first, last)):,} points"
    ).first.wait_for()

    area = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    page.mouse.dblclick(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    page.wait_for_function(f"() => location.search.includes('from={start}')")
    page.get_by_text("by MinMaxLTTB downsampling").first.wait_for(timeout=30_000)
    assert url_range(page) == (start, end)
    context.close()


@pytest.fixture(scope="module")
def big_property_app(tmp_path_factory):
    """An app on a sandbox with a 300,000-row temperature property (too many to fetch raw)."""
    app, bucket = app_on_own_sandbox(tmp_path_factory.mktemp("big"))
    client = BucketClient(bucket.api_url, issue_token(bucket.app, DEMO_EMAIL))
    thing = client.create_thing("Boiler", "Logger")
    prop = client.create_property(thing.id, "Water", "TEMPERATURE")
    end = (pd.Timestamp.now(tz="UTC").floor("min") - pd.Timedelta(hours=1)).value // 1_000_000
    stamps = end - np.arange(300_000)[::-1] * 1_000  # one a second, for 83 hours
    values = np.round(50 + 10 * np.sin(np.arange(300_000) / 3_000), 3)
    values[-1] = 77.125  # the last reading, which no bucket mean shows
    frame = pd.DataFrame(
        {"Temperature": values},
        index=pd.DatetimeIndex(stamps.astype("datetime64[ms]"), name="timestamp").tz_localize(
            "UTC"
        ),
    )
    client.write_values(thing.id, prop.id, frame, prop=prop)
    yield app, client, thing.id, prop.id, int(stamps[0]), int(stamps[-1])
    app.stop()
    bucket.stop()


def test_an_aggregated_view_says_what_it_is(browser, big_property_app, tmp_path):
    app, client, thing, prop, first, last = big_property_app
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    page = context.new_page()
    signed_in(page, app.url, f"/explore?thing={thing}&property={prop}&range=all")
    page.get_by_text("means with min-max band").first.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    bucket = re.search(r"shown as (\S+) means", page.inner_text("body")).group(1)

    hover = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data"
        ".map(t => t.hovertemplate || '').join('|')"
    )
    assert "mean %{y:.6~g}" in hover and "min %{customdata[0]" in hover
    assert f"{bucket} bucket from" in hover

    newest = client.last_values(thing, prop)  # /last: the last reading, by name
    table = page.locator("[data-testid=stTable]").first.inner_text()
    assert "77.125" in table and str(newest.values["Temperature"]) == "77.125"

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV of what you see")).first.click()
    assert f"-{bucket}-mean-min-max" in download.value.suggested_filename
    header = next(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert header[:2] == ["bucket start", "bucket start ms"]
    assert header[2:] == [
        f"Temperature mean per {bucket} bucket",
        f"Temperature min per {bucket} bucket",
        f"Temperature max per {bucket} bucket",
    ]

    page.get_by_role("button", name=re.compile("Raw values in this range")).first.click()
    page.get_by_role("link", name="Download the raw values (CSV)").wait_for(timeout=120_000)
    with page.expect_download() as raw:
        page.get_by_role("link", name="Download the raw values (CSV)").click()
    rows = Path(raw.value.path()).read_text().splitlines()
    assert rows[0].startswith("time,time_ms,Temperature")
    assert len(rows) - 1 == client.count_values(thing, prop) == 300_000
    assert rows[-1].endswith(",77.125")
    # the file is this signed-in session's: no cookie, another session, or after sign-out, no
    link = page.get_by_role("link", name="Download the raw values (CSV)").get_attribute("href")
    assert link.startswith(app.url + "/exports/")  # the app's address, as the browser has it
    assert requests.get(link, timeout=30).status_code == 404
    other = browser.new_context()
    sign_in(other.new_page(), app.url)
    assert other.request.get(link).status == 404
    other.close()
    assert context.request.get(link).status == 200
    page.get_by_role("button", name="Sign out").first.click()
    page.get_by_text("You are signed out").wait_for()
    assert context.request.get(link).status == 404
    context.close()


AXIS = (
    "() => { const g = document.querySelector('.js-plotly-plot');"
    " return [g._fullLayout.xaxis.range, g._fullData[0].x[0], g._fullData[0].x.at(-1)]; }"
)


def test_the_axis_is_the_chosen_window_so_silence_shows(browser, zero_config_app):
    """ "Last 24 hours" of a device that sent for 3 hours and stopped: the x axis spans the 24
    hours ending now, and the data sits in its 3 hours, the rest empty."""
    client = embedded_sandbox_client(zero_config_app)
    thing, prop = demo_id("things", "wheelchair"), demo_id("properties", "wheelchair-acc")
    last = int(client.last_values(thing, prop).timestamp.timestamp() * 1000)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    opened = pd.Timestamp.now(tz="UTC").value // 1_000_000
    page.goto(f"{zero_config_app.url}/explore?p={CHAIR}&range=24h")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    settle(page)
    (axis_start, axis_end), first_x, last_x = page.evaluate(AXIS)
    to_ms = lambda v: pd.Timestamp(v).value // 1_000_000 if isinstance(v, str) else float(v)  # noqa: E731
    axis_start, axis_end = to_ms(axis_start), to_ms(axis_end)
    # the window: 24 hours ending now (rounded up to the minute), in the chart's zone (UTC)
    assert abs(axis_end - opened) < 2 * 60_000
    assert abs((axis_end - axis_start) - 86_400_000) < 60_000
    # the data: its 3 hours only, the rest of the axis empty (silence is visible)
    # (it ends on the hour before the sandbox started: up to an hour before now)
    assert abs(to_ms(first_x) - (last - 3 * 3_600_000)) < 5 * 60_000
    assert to_ms(first_x) - axis_start > 19 * 3_600_000
    assert abs(to_ms(last_x) - last) < 5 * 60_000
    context.close()


def test_a_location_track_is_drawn_offline_coloured_by_time(browser, tmp_path):
    """Map tiles out of reach (the app's HTTPS goes to a closed port): the bike's GPS track
    on a plain background, coloured by time, and the page says why there are no tiles."""
    from ..app_server import AppServer

    app = AppServer(tmp_path / "offline", {"HTTPS_PROXY": "http://127.0.0.1:9"})
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        signed_in(page, app.url)
        bike = demo_id("things", "bike") + "~" + demo_id("properties", "bike-location")
        page.goto(f"{app.url}/explore?p={bike}&range=all")
        page.get_by_text("Map tiles (OpenStreetMap) cannot be reached from here").wait_for(
            timeout=30_000
        )
        settle(page)
        page.get_by_text("Time (UTC)").first.wait_for()  # the colour bar's title
        style, points, colours = page.evaluate(
            "() => { const g = [...document.querySelectorAll('.js-plotly-plot')]"
            ".find(e => e._fullLayout.map); const t = g._fullData[0];"
            " return [g._fullLayout.map.style, t.lat.length, new Set(t.marker.color).size]; }"
        )
        assert style == "white-bg"
        assert points == 720  # two hours every 10 s, all drawn
        assert colours == points  # each point its own time colour
        context.close()
    finally:
        app.stop()


def test_hover_reads_a_value_with_its_unit_and_the_chart_goes_full_screen(browser, zero_config_app):
    """The person's pointer on the humidity line: the value with "%RH" as the unit says
    (Plotly has no "%%" escape: it showed "%%RH"); the tool bar's "Full screen" fills the
    screen with the chart, and the same button brings it back."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    signed_in(page, zero_config_app.url, f"/explore?p={PLANT_H}&range=7d")
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=30_000)
    settle(page)
    area = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    hover = page.locator(".js-plotly-plot .hoverlayer").first
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot .hoverlayer').textContent.includes('RH')"
    )
    text = hover.text_content()
    assert re.search(r"\d %RH", text) and "%%" not in text, text

    page.mouse.move(area["x"] + area["width"] - 20, area["y"] - 10)  # the tool bar shows
    page.get_by_role("button", name="Full screen").click()
    # polled on a timer: a full-screen headless page draws no animation frames to poll on
    page.wait_for_function("() => document.fullscreenElement !== null", polling=100)
    page.wait_for_function(  # redrawn to the screen's size
        "() => document.querySelector('.js-plotly-plot .main-svg').getBoundingClientRect()"
        ".height > 900",
        polling=100,
    )
    box = chart.bounding_box()
    assert box["width"] > 1300 and box["height"] > 900, box
    page.get_by_role("button", name="Full screen").click()  # the same button leaves it
    page.wait_for_function("() => document.fullscreenElement === null", polling=100)
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot').getBoundingClientRect().height < 700",
        polling=100,
    )
    context.close()


def test_the_chart_library_is_served_compressed_and_kept(zero_config_app):
    """Plotly.js comes from the app itself (no internet needed), gzipped for a browser that
    accepts it, under a versioned name a browser may keep for a year."""
    from dashboard.shared.chart_library import PLOTLY_JS, plotly_js_url

    url = zero_config_app.url + plotly_js_url()
    packed = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    assert packed.status_code == 200
    assert packed.headers["Content-Type"].startswith("text/javascript")
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "immutable" in packed.headers["Cache-Control"]
    assert int(packed.headers["Content-Length"]) < PLOTLY_JS.stat().st_size / 2
    assert packed.content == PLOTLY_JS.read_bytes()  # requests undoes the gzip
    plain = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in plain.headers and plain.content == PLOTLY_JS.read_bytes()

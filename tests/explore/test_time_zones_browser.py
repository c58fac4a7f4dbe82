"""Explore in the zones students live in: Chromium set to Europe/Amsterdam, New York and UTC,
over the two autumn nights their clocks go back. What the page shows (axis, hover, table,
From/To, a dragged box) is compared with the instants the API holds."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ..app.test_student_story_browser import log_problems
from ..app_server import new_property
from ..browser import open_explore, settle, signed_in

ZONES = ["Europe/Amsterdam", "America/New_York", "UTC"]
# Amsterdam's clocks go back on 25 Oct 2026 (02:30 happens twice), New York's on 1 Nov
TIMES = [
    "2026-10-25T00:30:00Z",  # 02:30 CEST
    "2026-10-25T01:30:00Z",  # 02:30 CET, an hour later
    "2026-10-28T12:00:00Z",  # a plain Wednesday noon
    "2026-11-01T05:30:00Z",  # 01:30 EDT
    "2026-11-01T06:30:00Z",  # 01:30 EST
]
NOON = pd.Timestamp(TIMES[2])
FROM, TO = pd.Timestamp("2026-10-24T00:00:00Z"), pd.Timestamp("2026-11-02T00:00:00Z")


def ms(t: pd.Timestamp) -> int:
    return t.value // 1_000_000


@pytest.fixture(scope="module")
def autumn(zero_config_app):
    """A thermometer with a value on each side of both autumn changes, and a plain noon."""
    client, thing, prop = new_property(zero_config_app, "Autumn logger", "Porch", "TEMPERATURE")
    index = pd.DatetimeIndex(pd.to_datetime(TIMES), name="timestamp")
    values = pd.DataFrame({"Temperature": [10.0, 11.0, 12.5, 13.0, 14.0]}, index=index)
    client.write_values(thing.id, prop.id, values)
    return client, thing, prop


def wall(t: pd.Timestamp, zone: str) -> pd.Timestamp:
    """The wall clock a person in ``zone`` reads for the instant ``t`` (no zone attached)."""
    return t.tz_convert(zone).tz_localize(None)


def axis_x(page, when: pd.Timestamp, zone: str) -> tuple[float, float]:
    """Where a person finds ``when`` on the chart: the axis spans From..To's wall clock."""
    box = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    a, b, t = wall(FROM, zone), wall(TO, zone), wall(when, zone)
    return box["x"] + (t - a) / (b - a) * box["width"], box["y"] + box["height"] / 2


@pytest.mark.parametrize("zone", ZONES)
def test_times_on_explore_are_the_apis_instants_in_the_browsers_zone(
    browser, zero_config_app, autumn, zone
):
    client, thing, prop = autumn
    stored = client.read_values(thing.id, prop.id, ms(FROM), ms(TO))  # by the API
    assert list(stored.index) == list(pd.to_datetime(TIMES))
    query = f"thing={thing.id}&property={prop.id}&range=custom&from={ms(FROM)}&to={ms(TO)}"
    context, page = open_explore(browser, zero_config_app.url, query, timezone_id=zone)
    page.get_by_text(f"Time ({zone})").first.wait_for()

    # the axis is From..To as the person's clock reads them, the points at the API's instants
    axis, xs = page.evaluate(
        "() => { const g = document.querySelector('.js-plotly-plot');"
        " return [g._fullLayout.xaxis.range, g._fullData[0].x]; }"
    )
    assert [pd.Timestamp(v) for v in axis] == [wall(FROM, zone), wall(TO, zone)]
    assert [pd.Timestamp(v) for v in xs] == [wall(t, zone) for t in stored.index]

    # the pointer on Wednesday noon reads that instant on the person's clock
    page.mouse.move(*axis_x(page, NOON, zone))
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot .hoverlayer').textContent.includes('12.5')"
    )
    hover = page.locator(".js-plotly-plot .hoverlayer").first.text_content()
    assert wall(NOON, zone).strftime("%Y-%m-%d %H:%M:%S") in hover, hover

    # the table: first and last as instants with their offsets (both sides of a change)
    table = page.locator("[data-testid=stTable]").first.inner_text()
    assert (
        stored.index[0].tz_convert(zone).isoformat() in table.replace("T", " ").replace(" ", "T", 1)
        or str(stored.index[0].tz_convert(zone)) in table
    ), table
    assert str(stored.index[-1].tz_convert(zone)) in table, table

    # From and To read the person's clock
    assert (
        page.get_by_label("From", exact=True).input_value() == f"{wall(FROM, zone):%Y-%m-%d %H:%M}"
    )

    # a box dragged from six hours before noon to six after fetches exactly that value
    a = axis_x(page, NOON - pd.Timedelta(hours=6), zone)
    b = axis_x(page, NOON + pd.Timedelta(hours=6), zone)
    page.mouse.move(*a)
    page.mouse.down()
    page.mouse.move(b[0], b[1], steps=8)
    page.mouse.up()
    page.wait_for_function(f"() => !location.search.includes('from={ms(FROM)}')")
    settle(page)
    found = dict(re.findall(r"[?&](from|to)=(\d+)", page.url))
    first, last = int(found["from"]), int(found["to"])
    six, slack = 6 * 3_600_000, 3_600_000  # a pixel is about 20 minutes here
    assert abs(first - (ms(NOON) - six)) < slack and abs(last - (ms(NOON) + six)) < slack
    assert list(client.read_values(thing.id, prop.id, first, last)["Temperature"]) == [12.5]
    page.get_by_text("1 point drawn").first.wait_for()
    assert log_problems(zero_config_app) == []  # a drag once logged a warning and its trace
    # and From/To follow the box
    shown = f"{pd.Timestamp(first, unit='ms', tz='UTC').tz_convert(zone):%Y-%m-%d %H:%M}"
    assert page.get_by_label("From", exact=True).input_value().startswith(shown)
    context.close()


REPEATED_HOUR = {  # a logger's local clock through the night it goes back, in file order
    "Europe/Amsterdam": ("2026-10-25", ["01:30", "02:00", "02:30", "02:00", "02:30", "03:00"]),
    "America/New_York": ("2026-11-01", ["00:30", "01:00", "01:30", "01:00", "01:30", "02:00"]),
}


@pytest.mark.parametrize("zone", list(REPEATED_HOUR))
def test_a_csv_of_local_times_is_stored_at_the_instants_its_clock_meant(
    browser, zero_config_app, tmp_path, zone
):
    """A CSV without offsets is read in the browser's zone; the hour its clock repeats is
    placed by the file's order (the second 02:00 is an hour after the first), and Bucket
    holds six instants half an hour apart. Each zone's logger has the same names ("Night
    logger · Hall"): the Upload page's select box once took the other one for it."""
    from ..browser import open_csv

    client, thing, prop = new_property(zero_config_app, "Night logger", "Hall", "TEMPERATURE")
    day, clock = REPEATED_HOUR[zone]
    csv_file = tmp_path / "night.csv"
    csv_file.write_text(
        "time,Temperature\n" + "".join(f"{day} {t},{i + 1}\n" for i, t in enumerate(clock))
    )
    context = browser.new_context(viewport={"width": 1300, "height": 1100}, timezone_id=zone)
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    open_csv(page, zero_config_app.url, thing.id, prop.id, csv_file)
    first = pd.Timestamp(f"{day} {clock[0]}").tz_localize(zone)
    said = page.get_by_text(f"Will store 6 rows from {first:%-d %b %Y %H:%M}")
    try:
        said.wait_for(timeout=60_000)
    except Exception as error:  # what the page said instead
        raise AssertionError(page.inner_text("body")[-3000:]) from error
    settle(page)
    page.get_by_text("6 rows in one request").first.wait_for()  # a small file's wait, said
    page.get_by_text("That takes under a second.").first.wait_for()  # plainly: not "about 1 s"
    page.get_by_role("button", name="Write 6 rows to Hall").click()
    page.get_by_text("6 rows written and verified").first.wait_for(timeout=60_000)
    stored = client.read_values(thing.id, prop.id, "2026-10-01", "2026-12-01")  # by the API
    expected = [first + pd.Timedelta(minutes=30 * i) for i in range(6)]
    assert list(stored.index) == [t.tz_convert("UTC") for t in expected]
    assert stored["Temperature"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    context.close()


def test_utc_chosen_in_an_amsterdam_browser_shows_utc(browser, zero_config_app, autumn):
    """The toggle "UTC" in a Delft browser: the axis, the points and the hover read UTC's
    clock (the hover once stayed shifted with it on)."""
    client, thing, prop = autumn
    stored = client.read_values(thing.id, prop.id, ms(FROM), ms(TO))
    query = f"thing={thing.id}&property={prop.id}&range=custom&from={ms(FROM)}&to={ms(TO)}"
    context, page = open_explore(
        browser, zero_config_app.url, query + "&tz=utc", timezone_id="Europe/Amsterdam"
    )
    page.get_by_text("Time (UTC)").first.wait_for()
    axis, xs = page.evaluate(
        "() => { const g = document.querySelector('.js-plotly-plot');"
        " return [g._fullLayout.xaxis.range, g._fullData[0].x]; }"
    )
    assert [pd.Timestamp(v) for v in axis] == [wall(FROM, "UTC"), wall(TO, "UTC")]
    assert [pd.Timestamp(v) for v in xs] == [wall(t, "UTC") for t in stored.index]
    page.mouse.move(*axis_x(page, NOON, "UTC"))
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot .hoverlayer').textContent.includes('12.5')"
    )
    hover = page.locator(".js-plotly-plot .hoverlayer").first.text_content()
    assert "2026-10-28 12:00:00" in hover, hover
    context.close()


def test_all_data_spans_the_first_value_to_the_last(browser, zero_config_app, autumn):
    """ "All data": the axis from the first stored value to the last, exactly (it started at
    the first weekly count bucket, days before the data)."""
    client, thing, prop = autumn
    stored = client.read_values(thing.id, prop.id, 0, "2100-01-01")  # by the API
    context, page = open_explore(
        browser,
        zero_config_app.url,
        f"thing={thing.id}&property={prop.id}&range=all",
        timezone_id="Europe/Amsterdam",
    )
    axis = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range")
    zone = "Europe/Amsterdam"
    assert [pd.Timestamp(v) for v in axis] == [
        wall(stored.index[0], zone),
        wall(stored.index[-1], zone),
    ]
    context.close()

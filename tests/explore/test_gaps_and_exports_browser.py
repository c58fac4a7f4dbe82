"""What Explore says and hands over about a night with a silence in it, in Chromium set to
Amsterdam and New York: the gap named on the person's clock and drawn as a break in the line,
the downloaded CSV's times the API's instants in that zone, a second property's axis ticked
in round numbers. Amsterdam's clocks go back inside the silence."""

from __future__ import annotations

import math

import nbformat
import pandas as pd
import pytest

from ..app_server import new_property
from ..browser import open_explore, settle

# an hour of values a minute apart, three hours of silence over Amsterdam's clock change
# (01:00 UTC on 25 Oct 2026), then another hour
BEFORE = pd.date_range("2026-10-24T23:00:00Z", periods=60, freq="1min")
AFTER = pd.date_range("2026-10-25T03:00:00Z", periods=60, freq="1min")
FROM, TO = pd.Timestamp("2026-10-24T22:00:00Z"), pd.Timestamp("2026-10-25T05:00:00Z")


def ms(t: pd.Timestamp) -> int:
    return t.value // 1_000_000


@pytest.fixture(scope="module")
def night(zero_config_app):
    """A greenhouse's temperature (10-12 °C) and humidity (40-90 %) with the same silence."""
    client, thing, temperature = new_property(
        zero_config_app, "Night greenhouse", "Air", "TEMPERATURE"
    )
    humidity = client.create_property(thing.id, "Damp", "RELATIVE_HUMIDITY")
    index = BEFORE.append(AFTER).rename("timestamp")
    steps = [i % 60 for i in range(len(index))]
    client.write_values(
        thing.id,
        temperature.id,
        pd.DataFrame({"Temperature": [10 + s / 30 for s in steps]}, index=index),
    )
    client.write_values(
        thing.id,
        humidity.id,
        pd.DataFrame({"Relative Humidity": [40 + s * 5 / 6 for s in steps]}, index=index),
    )
    return client, thing, temperature, humidity


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "America/New_York"])
def test_a_silence_is_named_on_the_persons_clock_and_breaks_the_line(
    browser, zero_config_app, night, zone
):
    client, thing, prop, _ = night
    stored = client.read_values(thing.id, prop.id, ms(FROM), ms(TO))  # by the API
    assert len(stored) == 120
    query = f"thing={thing.id}&property={prop.id}&range=custom&from={ms(FROM)}&to={ms(TO)}"
    context, page = open_explore(browser, zero_config_app.url, query, timezone_id=zone)
    page.get_by_text("120 points drawn").first.wait_for()

    # the silence starts at the last value before it, as the person's clock reads it
    silent_from = BEFORE[-1].tz_convert(zone).strftime("%Y-%m-%d %H:%M")
    caption = page.get_by_text("Gaps (the line breaks there)").first.inner_text()
    assert f"{silent_from} for 3.0 hours" in caption, caption
    assert caption.count(" for ") == 1, caption  # values a minute apart are no gaps
    # and the line is two strokes, one per hour of values (Plotly draws a path per stroke)
    trace = page.locator(".js-plotly-plot .scatterlayer .trace").first
    assert trace.locator("path.js-line").count() == 2

    # the CSV of what you see: named by the person's clock, its times the API's instants
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of what you see").first.click()
    span = "-".join(t.tz_convert(zone).strftime("%Y-%m-%d_%H%M") for t in (FROM, TO))
    assert span in download.value.suggested_filename
    table = pd.read_csv(download.value.path())
    assert table["time_ms"].tolist() == [ms(t) for t in stored.index]
    assert table["time"].tolist() == [
        t.tz_convert(zone).strftime("%Y-%m-%dT%H:%M:%S.%f%z") for t in stored.index
    ]
    assert table["Temperature"].tolist() == stored["Temperature"].tolist()

    # and the view as a notebook: valid, for this property and range (executed elsewhere:
    # test_explore_notebook.py)
    page.get_by_text("Show the code").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a notebook").first.click()
    assert download.value.suggested_filename.endswith(f"{span}.ipynb")
    notebook = nbformat.read(download.value.path(), as_version=4)
    nbformat.validate(notebook)
    code = "\n".join(c.source for c in notebook.cells)
    assert f"START_MS, END_MS = {ms(FROM)}, {ms(TO)}" in code and prop.id in code
    context.close()


def round_steps(ticks: list[str]) -> bool:
    """Ticks a person reads as round: evenly spaced by 1, 2, 2.5 or 5 times a power of ten,
    each a whole number of steps."""
    values = [float(t.replace("\u2212", "-")) for t in ticks]
    steps = {round(b - a, 9) for a, b in zip(values, values[1:])}
    if len(steps) != 1:
        return False
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))  # 1 <= mantissa < 10
    return any(abs(mantissa - m) < 1e-6 for m in (1, 2, 2.5, 5)) and all(
        abs(v / step - round(v / step)) < 1e-6 for v in values
    )


TEXTS = "texts => texts.map(t => t.textContent)"  # an SVG text has no inner text


def test_an_overlaid_propertys_axis_is_ticked_in_round_numbers(browser, zero_config_app, night):
    """Two properties of different ranges on one chart: the right axis once read 0.01, 1.51,
    3.01 (ticks placed to line up with the left axis)."""
    client, thing, temperature, humidity = night
    query = f"p={thing.id}~{temperature.id},{thing.id}~{humidity.id}&range=custom&from={ms(FROM)}&to={ms(TO)}"
    context, page = open_explore(
        browser, zero_config_app.url, query, timezone_id="Europe/Amsterdam"
    )
    page.get_by_text("240 points drawn").first.wait_for()
    settle(page)
    page.locator(".js-plotly-plot .y2tick text").first.wait_for(state="attached")  # drawn
    left, right = (
        page.locator(f".js-plotly-plot .{axis}tick text").evaluate_all(TEXTS)
        for axis in ("y", "y2")
    )
    assert len(left) >= 3 and len(right) >= 3, (left, right)
    assert round_steps(left), left
    assert round_steps(right), right
    context.close()

"""The figure builders and resolution rules: DataFrames in, figures and decisions out."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bucket_client import Dimension, PropertyType
from dashboard.explore.charts import (
    SeriesView,
    axis_title,
    kind_for,
    points_in,
    timeseries_figure,
)
from dashboard.explore.resolution import (
    MAX_POINTS,
    Resolution,
    choose,
    downsample,
    gaps,
    interval_words,
    nice_interval,
)
from dashboard.explore.statistics import stats_table
from dashboard.explore.track_map import map_figure

from ..conftest import ACC, TEMP


def frame(n: int, dims=ACC, freq="100ms") -> pd.DataFrame:
    index = pd.date_range("2026-01-01", periods=n, freq=freq, tz="UTC", name="timestamp")
    rng = np.random.default_rng(n)
    return pd.DataFrame({d.name: rng.normal(0, 1, n) for d in dims}, index=index)


def test_trace_names_and_axis_units():
    fig = timeseries_figure([SeriesView("Chair · Frame", ACC, frame(100))])
    assert [t.name for t in fig.data] == [
        "Chair · Frame · x",
        "Chair · Frame · y",
        "Chair · Frame · z",
    ]
    assert fig.layout.yaxis.title.text == "x, y, z (m/s²)"
    assert not fig.layout.xaxis.rangeslider.visible  # it would draw every trace twice
    assert fig.layout.dragmode == "select"  # a drag draws the box that becomes the range
    assert "m/s²" in fig.data[0].hovertemplate


def test_point_cap_per_trace():
    big = frame(100_000)
    view = SeriesView("big", ACC, big, thinned=downsample(big))
    counts = points_in(timeseries_figure([view]))
    assert max(counts.values()) <= MAX_POINTS and min(counts.values()) > MAX_POINTS // 2
    unthinned = points_in(timeseries_figure([SeriesView("raw", ACC, big)]))
    assert max(unthinned.values()) <= MAX_POINTS  # the builder's own guard


def test_downsampling_keeps_extremes():
    data = frame(50_000, TEMP)
    data.iloc[12_345, 0] = 99.0
    kept = downsample(data)["Temperature"]
    assert len(kept) <= MAX_POINTS and kept.max() == 99.0


def test_aggregated_view_has_a_band_and_a_label():
    mean = frame(500, TEMP, freq="5min")
    view = SeriesView(
        "Plant · Soil",
        TEMP,
        mean,
        mean - 1,
        mean + 1,
        note=Resolution("buckets", "5m", 300_000).describe(1_234_567, 500),
    )
    fig = timeseries_figure([view])
    assert [t.name for t in fig.data] == [
        "Plant · Soil · Temperature min",
        "Plant · Soil · Temperature max",
        "Plant · Soil · Temperature",
    ]
    assert fig.data[1].fill == "tonexty"
    assert view.note == "1,234,567 points, shown as 5-minute means with min-max band"


def test_overlay_gives_each_property_its_axis_and_stacked_shares_x():
    views = [SeriesView("A", ACC, frame(50)), SeriesView("B", TEMP, frame(50, TEMP))]
    overlay = timeseries_figure(views, "overlay")
    assert (
        overlay.layout.yaxis2.overlaying == "y"
        and overlay.layout.yaxis2.title.text == "Temperature (°C)"
    )
    stacked = timeseries_figure(views, "stacked")
    assert stacked.layout.xaxis.matches == "x2" or stacked.layout.xaxis2.matches == "x"
    assert stacked.layout.xaxis2.title.text == "Time (UTC)"


def test_time_zone_is_applied():
    fig = timeseries_figure([SeriesView("A", TEMP, frame(10, TEMP))], tz="Europe/Amsterdam")
    shown = pd.to_datetime(fig.data[0].x, unit="ms")  # the wall clock, as the axis shows
    utc = frame(10, TEMP).index
    assert (shown - utc.tz_localize(None) == pd.Timedelta(hours=1)).all()  # winter, UTC+1
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.xaxis.title.text == "Time (Europe/Amsterdam)"


@pytest.mark.parametrize(
    ("type_id", "dims", "kind"),
    [
        ("LOCATION", (Dimension("lon", "Longitude"), Dimension("lat", "Latitude")), "map"),
        ("STATE", (Dimension("v", "Value"),), "step"),
        ("CLASS", (Dimension("c", "Class", type="string"),), "step"),
        ("ACCELEROMETER", ACC, "line"),
    ],
)
def test_chart_kind_by_type(type_id, dims, kind):
    assert kind_for(PropertyType(type_id, type_id, dimensions=dims)) == kind


def test_state_draws_as_steps_and_location_as_map():
    state = SeriesView(
        "S", (Dimension("v", "Value"),), frame(20, (Dimension("v", "Value"),)), kind="step"
    )
    assert timeseries_figure([state]).data[0].line.shape == "hv"
    dims = (Dimension("lon", "Longitude", unit="°"), Dimension("lat", "Latitude", unit="°"))
    track = SeriesView("Bike", dims, frame(30, dims), kind="map")
    fig = map_figure(track)
    assert fig.data[0].type == "scattermap" and len(fig.data[0].lat) == 30


def test_stats_and_gaps():
    data = frame(100, TEMP, freq="1min")
    data = pd.concat([data.iloc[:50], data.iloc[50:].shift(freq="2h")])
    table = stats_table(SeriesView("T", TEMP, data), total=100)
    row = table.iloc[0]
    assert row["Count"] == 100 and row["Min"] == data["Temperature"].min()
    assert row["Last value"] == data["Temperature"].iloc[-1]
    ((start, length),) = gaps(data.index)
    assert start == data.index[49] and length == pd.Timedelta("2h1min")


def test_resolution_rules():
    assert choose(60_000, 100).kind == "raw"
    assert choose(3_600_000, 36_000).kind == "lttb"
    big = choose(30 * 86_400_000, 2_000_000)
    assert big.kind == "buckets" and big.interval == "1h"
    assert nice_interval(3 * 3_600_000) == ("10s", 10_000)
    assert interval_words("15m") == "15-minute"
    assert axis_title(TEMP) == "Temperature (°C)"


def test_a_box_on_the_chart_narrows_the_range():
    from dashboard.explore.controls import narrowed_range

    box = ("2026-01-01 10:00:00", "2026-01-01 09:00:00")  # as Plotly writes a date axis
    assert narrowed_range(box) == (1767258000000, 1767261600000)
    # the axis shows Amsterdam's wall clock (UTC+1 in January): read the box in it
    amsterdam = narrowed_range(box, "Europe/Amsterdam")
    assert amsterdam == (1767258000000 - 3_600_000, 1767261600000 - 3_600_000)
    assert narrowed_range(None) is None


def test_export_has_iso_time_in_the_chosen_zone_and_unix_ms():
    from dashboard.explore.exports import export_frame

    data = frame(2, TEMP, freq="1s")
    table = export_frame(SeriesView("T", TEMP, data), "Europe/Amsterdam")
    assert list(table.columns) == ["time", "time_ms", "Temperature"]
    assert table["time"][0] == "2026-01-01T01:00:00.000000+0100"
    assert table["time_ms"].tolist() == [1767225600000, 1767225601000]


def test_a_single_value_and_isolated_points_get_markers():
    from dashboard.explore.charts import FEW_POINTS, marker_sizes

    one = pd.Series([21.5], index=pd.DatetimeIndex(["2026-03-02T09:00:00Z"]))
    assert marker_sizes(one) == 6
    many = pd.Series(np.arange(FEW_POINTS + 10, dtype=float))
    many[[4, 6]] = np.nan  # index 5 stands alone between two gaps
    sizes = marker_sizes(many)
    assert sizes[5] == 6 and sizes[0] == 0 and sizes[100] == 0


def test_the_x_axis_spans_the_chosen_window():
    from dashboard.explore.charts import SeriesView, timeseries_figure

    frame = pd.DataFrame({"x": [1.0]}, index=pd.DatetimeIndex(["2026-03-02T09:00:00Z"]))
    view = SeriesView("One", (Dimension("x", "x"),), frame)
    start = int(pd.Timestamp("2026-03-02T08:00:00Z").value // 1_000_000)
    end = int(pd.Timestamp("2026-03-02T10:00:00Z").value // 1_000_000)
    fig = timeseries_figure([view], tz="UTC", window=(start, end))
    low, high = fig.layout.xaxis.range
    assert (low, high) == (start, end)  # in UTC, the wall clock is the UTC time


def test_a_figure_crosses_to_the_browser_as_float64_bytes():
    """The chart element's payload: numbers as aligned little-endian float64 (NaN stays a
    gap), text and 2-D custom data in the JSON header as Plotly writes them."""
    import struct

    import plotly.graph_objects as go

    from dashboard.explore.chart_element import pack, unpack

    y = np.array([1.5, np.nan, -2.25])
    fig = go.Figure(
        go.Scatter(
            x=np.array([1.0e12, 1.0e12 + 1, 1.0e12 + 2]),
            y=y,
            marker={"size": np.array([6, 0, 6])},
            customdata=np.ones((3, 2)),
            text=["<b>a</b>", "b", "c"],
        )
    )
    payload = pack(fig, {"scrollZoom": True})
    (length,) = struct.unpack_from("<I", payload)
    header = json.loads(payload[4 : 4 + length])
    assert header["body"] % 8 == 0 and len(payload) == header["body"] + 3 * 3 * 8
    offset, n = header["arrays"][header["figure"]["data"][0]["y"]["$array"]]
    sent = np.frombuffer(payload, dtype="<f8", count=n, offset=header["body"] + offset)
    assert sent[0] == 1.5 and np.isnan(sent[1]) and sent[2] == -2.25

    trace = unpack(payload)["data"][0]
    assert trace["x"] == [1.0e12, 1.0e12 + 1, 1.0e12 + 2]
    assert trace["y"][0] == 1.5 and np.isnan(trace["y"][1]) and trace["y"][2] == -2.25
    assert trace["marker"]["size"] == [6.0, 0.0, 6.0]
    assert trace["customdata"]["shape"].replace(" ", "") == "3,2"  # Plotly's own 2-D form
    assert trace["text"] == ["<b>a</b>", "b", "c"]
    config = unpack(payload)["config"]
    assert config["scrollZoom"] is True and "sendChartToCloud" in config["modeBarButtonsToRemove"]


def test_a_silence_breaks_the_line_and_a_few_values_have_no_gaps():
    """The line stops across a silence (a missing value in its middle, where Plotly breaks
    it); grid rows typed a second apart, or any handful of values, list no gaps."""
    data = frame(100, TEMP, freq="1min")
    data = pd.concat([data.iloc[:50], data.iloc[50:].shift(freq="2h")])
    view = SeriesView("T", TEMP, data, breaks=gaps(data.index, limit=None))
    (trace,) = timeseries_figure([view]).data
    y = np.asarray(trace.y, dtype=float)
    assert len(y) == 101 and np.isnan(y[50]) and not np.isnan(y[:50]).any()
    typed = pd.DatetimeIndex(
        pd.to_datetime(
            [
                "2026-01-01 10:00:00",
                "2026-01-01 10:00:01",
                "2026-01-01 10:00:02",
                "2026-01-01 12:00:00",
            ]
        )
    )
    assert gaps(typed.tz_localize("UTC")) == []


def test_an_overlaid_axis_ticks_round_numbers_of_its_own():
    """Plotly 4 syncs an overlaying axis's ticks to the first axis unless told (0.01, 0.91,
    1.81 ... seen in Chromium): each overlaid axis is ``tickmode: auto``."""
    first = SeriesView("A", TEMP, frame(50, TEMP))
    second = SeriesView("B", ACC[:1], frame(50, ACC[:1]) * 0.01)
    fig = timeseries_figure([first, second], "overlay")
    assert fig.layout.yaxis2.tickmode == "auto" and fig.layout.yaxis2.overlaying == "y"

"""Figures from DataFrames: plain functions (data in, Plotly figure out), no Streamlit.

Each dimension is a trace named "<property> · <dimension>", its axis titled with the
units; aggregated views add a min-max band; state-like types draw as steps and a
LOCATION track as a map. No trace carries more than ``MAX_POINTS`` points.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bucket_client import Dimension, PropertyType
from dashboard.explore.resolution import MAX_POINTS, RAW_DRAW_LIMIT

STEP_TYPES = {"STATE", "BINARY", "CLASS", "MQTT_STATUS", "TEXT", "COUNT"}
PALETTE = ["#0b6bcb", "#e4572e", "#29a36a", "#a259c4", "#f2a541", "#17a2b8", "#6c757d", "#c2185b"]


@dataclass
class SeriesView:
    """One property's data as it will be drawn."""

    label: str
    dimensions: tuple[Dimension, ...]
    frame: pd.DataFrame
    low: pd.DataFrame | None = None
    high: pd.DataFrame | None = None
    kind: str = "line"
    note: str = ""
    thinned: dict[str, pd.Series] = field(default_factory=dict)
    bucket: str = ""  # "2-minute" when each point is a bucket's mean
    every_point: bool = False  # "Raw points": nothing thinned, up to RAW_DRAW_LIMIT
    counts: pd.DataFrame | None = None  # per bucket, when aggregated: the server's counts
    last_reading: pd.Series | None = None  # the range's last raw row, when aggregated
    breaks: list = field(default_factory=list)  # (start, length) of each silence: no line


def kind_for(ptype: PropertyType) -> str:
    """``map`` for a location track, ``step`` for states and classes, else ``line``."""
    names = {d.name.lower() for d in ptype.dimensions}
    if ptype.id == "LOCATION" or {"latitude", "longitude"} <= names:
        return "map"
    if ptype.id in STEP_TYPES or any(not d.is_number for d in ptype.dimensions):
        return "step"
    return "line"


def chart_text(text: str) -> str:
    """A user's string for Plotly, which reads labels as its own HTML subset (a name
    ``<a href=...>`` would become a link in the legend): escaped, shown as typed."""
    return html.escape(str(text), quote=False)


def axis_title(dimensions: tuple[Dimension, ...]) -> str:
    units = sorted({d.unit_text for d in dimensions if d.unit})
    names = ", ".join(d.name for d in dimensions)
    return chart_text(f"{names} ({', '.join(units)})" if units else names)


def _cap(series: pd.Series, limit: int = MAX_POINTS) -> pd.Series:
    """A last guard: never send more than ``limit`` points for one trace."""
    if len(series) <= limit:
        return series
    return series.iloc[np.linspace(0, len(series) - 1, limit).astype(int)]


def _x(index: pd.DatetimeIndex, tz: str) -> np.ndarray:
    """Times for Plotly as float64 milliseconds of the local wall clock on a date axis: sent
    as a typed array (8 bytes a point, no text to parse) instead of ISO strings (26 bytes,
    and 1.9 s to serialise 108,000 of them against 0.01 s)."""
    return local_times(index, tz).tz_localize(None).as_unit("ms").asi8.astype("float64")


def local_times(index: pd.DatetimeIndex, tz: str) -> pd.DatetimeIndex:
    return index.tz_convert(tz) if index.tz is not None else index.tz_localize("UTC").tz_convert(tz)


def _traces(view: SeriesView, tz: str, color_offset: int) -> list[go.Scatter]:
    traces = []
    limit = RAW_DRAW_LIMIT if view.every_point else MAX_POINTS
    for i, dim in enumerate(view.dimensions):
        if dim.name not in view.frame.columns:
            continue
        color = PALETTE[(color_offset + i) % len(PALETTE)]
        thinned = view.thinned.get(dim.name)
        series = _broken(
            _cap(view.frame[dim.name] if view.every_point or thinned is None else thinned, limit),
            view.breaks,
        )
        unit = chart_text(f" {dim.unit_text}") if dim.unit else ""
        name = chart_text(f"{view.label} · {dim.name}")
        number = ":.6~g" if pd.api.types.is_numeric_dtype(series) else ""
        when = "%{x|%Y-%m-%d %H:%M:%S.%L}"
        # Plotly has no escape for a literal "%{" (and "%%" shows as "%%", as "%%RH" did):
        # a zero-width space keeps a unit's "%{" from reading as a template
        u = unit.replace("%{", "%\u200b{")
        hover = f"%{{y{number}}}{u}<br>{when}"
        customdata = None
        if view.low is not None and view.high is not None and dim.name in view.low:
            low, high = _cap(view.low[dim.name]), _cap(view.high[dim.name])
            traces.append(_band_edge(low, name + " min", tz))
            traces.append(_band_edge(high, name + " max", tz, fillcolor=_transparent(color)))
            customdata = np.column_stack(
                [low.reindex(series.index).to_numpy(), high.reindex(series.index).to_numpy()]
            )
            hover = (
                f"mean %{{y:.6~g}}{u}<br>min %{{customdata[0]:.6~g}}{u}"
                f"<br>max %{{customdata[1]:.6~g}}{u}<br>{chart_text(view.bucket)} bucket from {when}"
            )
        # SVG, whatever the count: lines draw 190,000 points in 1-2 s in Chromium, where its
        # software WebGL (no GPU, or a blocked one) took 19-24 s (measured, issue 14)
        sizes = marker_sizes(series)
        lone = isinstance(sizes, int) or bool(np.any(sizes))
        traces.append(
            go.Scatter(
                x=_x(series.index, tz),
                y=series.to_numpy(),
                customdata=customdata,
                # markers only where a line shows nothing: thousands of invisible ones cost
                # the browser a DOM node each
                mode="lines+markers" if lone else "lines",
                marker={"color": color, "size": sizes} if lone else {"color": color},
                name=name,
                legendgroup=name,
                line={
                    "color": color,
                    "width": 1.4,
                    "shape": "hv" if view.kind == "step" else "linear",
                },
                # the name by reference: a "%{" in it is not a template
                hovertemplate=hover + "<extra>%{fullData.name}</extra>",
            )
        )
    return traces


def _broken(series: pd.Series, breaks: list) -> pd.Series:
    """The series with a missing value in the middle of each silence, where Plotly stops the
    line: a device that was off is not drawn as a straight line across the hours."""
    if not breaks:
        return series
    middles = pd.DatetimeIndex([start + length / 2 for start, length in breaks])  # its zone
    numeric = pd.api.types.is_numeric_dtype(series)
    gap = pd.Series(
        np.nan if numeric else None,
        index=middles.as_unit(series.index.unit),
        dtype="float64" if numeric else object,
    )
    return pd.concat([series, gap]).sort_index(kind="stable")


FEW_POINTS = 300  # up to this many, every point gets a marker


def marker_sizes(series: pd.Series) -> int | np.ndarray:
    """Markers where a line alone would show nothing: every point of a short series, and
    otherwise each isolated point (no value on either side), which a line cannot draw."""
    values = series.to_numpy()
    present = ~pd.isna(values)
    if present.sum() <= FEW_POINTS:
        return 6
    before = np.concatenate([[False], present[:-1]])
    after = np.concatenate([present[1:], [False]])
    return np.where(present & ~before & ~after, 6, 0)


def _band_edge(series: pd.Series, name: str, tz: str, fillcolor: str | None = None) -> go.Scatter:
    """One edge of a min-max band; the upper edge fills down to the lower one."""
    return go.Scatter(
        x=_x(series.index, tz),
        y=series.to_numpy(),
        mode="lines",
        line={"width": 0},
        fill="tonexty" if fillcolor else None,
        fillcolor=fillcolor,
        hoverinfo="skip",
        showlegend=False,
        legendgroup=name.rsplit(" ", 1)[0],
        name=name,
    )


def _transparent(hex_color: str, alpha: float = 0.18) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def timeseries_figure(
    views: list[SeriesView],
    layout: str = "overlay",
    tz: str = "UTC",
    window: tuple[int, int] | None = None,
) -> go.Figure:
    """All views on one time axis: ``overlay`` (own y-axes) or ``stacked`` (shared x).

    ``window`` (ms) is the chosen range: the x axis spans exactly it, so a device that
    stopped sending shows as empty space, and a single value sits in a readable axis."""
    views = [v for v in views if v.kind != "map"]
    if layout == "stacked" and len(views) > 1:
        fig = make_subplots(rows=len(views), cols=1, shared_xaxes=True, vertical_spacing=0.04)
        offset = 0
        for row, view in enumerate(views, start=1):
            for trace in _traces(view, tz, offset):
                fig.add_trace(trace, row=row, col=1)
            fig.update_yaxes(title_text=axis_title(view.dimensions), row=row, col=1)
            offset += len(view.dimensions)
        fig.update_xaxes(title_text=f"Time ({tz})", row=len(views), col=1)
        height = 260 * len(views) + 120
    else:
        fig = go.Figure()
        offset = 0
        for i, view in enumerate(views):
            axis = "y" if i == 0 else f"y{i + 1}"
            for trace in _traces(view, tz, offset):
                trace.yaxis = axis
                fig.add_trace(trace)
            key = "yaxis" if i == 0 else f"yaxis{i + 1}"
            spec = {"title": {"text": axis_title(view.dimensions)}}
            if i:
                spec.update(
                    overlaying="y",
                    side="right" if i % 2 else "left",
                    autoshift=True,
                    anchor="free",
                    showgrid=False,
                    # Plotly 4 syncs an overlaying axis's ticks to the first one's grid by
                    # default: 0.01, 1.51, 3.01 ... ; round numbers of its own instead
                    tickmode="auto",
                )
            fig.update_layout({key: spec})
            offset += len(view.dimensions)
        # no range slider: it draws every trace a second time; a drag or a preset moves
        fig.update_xaxes(title_text=f"Time ({tz})")
        height = 520
    fig.update_xaxes(type="date")
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 40, "t": 30, "b": 30},
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        dragmode="select",  # a drag draws a box: its span is fetched at a finer resolution
        selectdirection="h",
        uirevision="keep",
    )
    if window is not None:
        ends = _x(pd.DatetimeIndex(pd.to_datetime(list(window), unit="ms", utc=True)), tz)
        fig.update_xaxes(range=[float(ends[0]), float(ends[1])], autorange=False)
        fig.update_layout(uirevision=f"{window[0]}-{window[1]}")  # a new window resets zoom
    return fig


def points_in(fig: go.Figure) -> dict[str, int]:
    """How many points each trace draws: the values it holds, not the empty point that
    breaks its line at a gap (which said "121 points drawn" of 120 values)."""
    out = {}
    for trace in fig.data:
        if getattr(trace, "lat", None) is not None:
            out[trace.name] = len(trace.lat)
            continue
        ys = trace.y if getattr(trace, "y", None) is not None else (trace.x or [])
        out[trace.name] = int(pd.notna(pd.Series(ys, dtype=object)).sum())
    return out

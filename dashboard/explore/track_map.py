"""A LOCATION track as a map: its fixes in order, on map tiles (or on a plain background
where tiles cannot be fetched), with each fix's time on the person's clock."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dashboard.explore.charts import SeriesView, chart_text, local_times
from dashboard.explore.resolution import MAX_POINTS


def map_figure(view: SeriesView, tz: str = "UTC", tiles: bool = True) -> go.Figure:
    """A location track coloured by time (a colour bar names the first and last time), on
    OpenStreetMap tiles when they can be reached, else on a plain background."""
    cols = {d.name.lower(): d.name for d in view.dimensions}
    frame = view.frame.dropna()
    if len(frame) > MAX_POINTS:
        frame = frame.iloc[np.linspace(0, len(frame) - 1, MAX_POINTS).astype(int)]
    lat, lon = frame[cols["latitude"]], frame[cols["longitude"]]
    local = local_times(frame.index, tz)
    times = local.strftime("%Y-%m-%d %H:%M:%S")
    order = np.arange(len(frame))
    ticks = [0, max(len(frame) - 1, 0)]
    fig = go.Figure(
        go.Scattermap(
            lat=lat,
            lon=lon,
            mode="lines+markers",
            name=chart_text(view.label),
            text=times,
            line={"color": "#9aa5b1", "width": 1},
            marker={
                "size": 6,
                "color": order,
                "colorscale": "Viridis",
                "colorbar": {
                    "title": {"text": f"Time ({tz})"},
                    "tickvals": ticks,
                    "ticktext": [times[i] for i in ticks] if len(frame) else [],
                },
            },
            hovertemplate="%{lat:.6f}, %{lon:.6f}<br>%{text}<extra></extra>",
        )
    )
    center = (
        {"lat": float(lat.mean()), "lon": float(lon.mean())}
        if len(frame)
        else {"lat": 52, "lon": 4.37}
    )
    fig.update_layout(
        template="plotly_white",
        map={"style": "open-street-map" if tiles else "white-bg", "center": center, "zoom": 13},
        height=480,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
    )
    return fig

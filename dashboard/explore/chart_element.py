"""Explore's charts on the page: a Plotly figure handed to the browser's ``Plotly.react``
with its numbers as raw float64 bytes.

Why not ``st.plotly_chart``: for each new figure its element parses the figure, writes it
back to text and parses it again to theme it, draws it, then themes the drawn figure once
more after mounting, which makes new arrays: Plotly computes and draws everything twice.
Measured in Chromium on the plant pair's 86,000 raw values (issue 14): two full passes of
0.2-0.35 s each, plus a margin pass. Here the figure crosses as bytes (a JSON header and
the arrays, no text for numbers), ``Plotly.react`` runs once on the same element, and a range
chosen on the chart, or a double click, comes back as a trigger. Plotly.js is the one the Python package ships,
served by the app (``/assets``) with a long cache life, and loaded by the sidebar ahead of
the first chart (``dashboard/shared/preload.py``).
"""

from __future__ import annotations

import base64
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io.json as plotly_json
import streamlit as st

from dashboard.shared.chart_library import plotly_js_url
from dashboard.shared.preload import LOADING

JS = (Path(__file__).with_name("chart_element.js")).read_text()
FONT = {"family": '"Source Sans", "Source Sans Pro", sans-serif', "size": 13, "color": "#1b1f24"}
BASE_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "doubleClick": False,  # a double click returns to the previous view: the page does it
    # "Share chart" would send the data to Plotly's cloud
    "modeBarButtonsToRemove": ["lasso2d", "sendDataToCloud", "sendChartToCloud"],
}


def pack(fig: go.Figure, config: dict | None = None) -> bytes:
    """The figure as bytes: a little-endian length, a JSON header with ``{"$array": i}``
    where each 1-D numeric array was, then the arrays as float64, each 8-byte aligned.
    Plotly's own typed arrays (``bdata``) are unpacked into the same float64 body; anything
    else (text, 2-D custom data) stays in the header as Plotly's JSON writes it."""
    arrays: list[np.ndarray] = []

    def take(value: Any) -> Any:
        if isinstance(value, dict) and "bdata" in value and "shape" not in value:
            value = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "fiu":
            arrays.append(np.ascontiguousarray(value, dtype="<f8"))
            return {"$array": len(arrays) - 1}
        if isinstance(value, dict):
            return {k: take(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [take(v) for v in value]
        return value

    figure = take(fig.to_plotly_json())
    figure["config"] = {**BASE_CONFIG, **(config or {})}
    layout = figure.setdefault("layout", {})
    layout.setdefault("font", FONT)
    layout.setdefault("autosize", True)
    offsets, position = [], 0
    for array in arrays:
        offsets.append([position, len(array)])
        position += array.nbytes
    header = {
        "figure": figure,
        "arrays": offsets,
        "plotly": plotly_js_url(),
        "loading": LOADING,
        "body": 0,
    }
    text = plotly_json.to_json_plotly(header).encode()
    body = 4 + len(text) + 16  # room for the body's own offset, written below
    body += -body % 8
    header["body"] = body
    text = plotly_json.to_json_plotly(header).encode()
    head = struct.pack("<I", len(text)) + text
    if len(head) > body:  # the offset's digits grew past the room left (never in practice)
        raise ValueError("chart header larger than its room")
    return b"".join([head, b" " * (body - len(head)), *(a.tobytes() for a in arrays)])


def unpack(payload: bytes) -> dict:
    """The figure ``pack`` wrote, arrays as lists: for tests that read a figure's structure."""
    (length,) = struct.unpack_from("<I", payload)
    header = json.loads(payload[4 : 4 + length])
    body = payload[header["body"] :]
    arrays = [
        np.frombuffer(body, dtype="<f8", count=n, offset=offset).tolist()
        for offset, n in header["arrays"]
    ]

    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            if "$array" in value:
                return arrays[value["$array"]]
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value

    return fill(header["figure"])


@dataclass(frozen=True)
class ChartEvents:
    """What the person did on the chart, in the run that follows it."""

    # the x range they chose (a box, a zoom, a pan, the wheel), as Plotly writes it
    span: tuple[str, str] | None = None
    back: bool = False  # a double click: back to the view before


def chart(fig: go.Figure, *, key: str, config: dict | None = None) -> ChartEvents:
    """Draw ``fig``; a range chosen on it, or a double click, reruns the page and is
    returned once."""
    # registered on every run, as a script would: the same definition again is a no-op, and
    # a new runtime (a test's, a restarted server's) learns it from its first run
    element = st.components.v2.component(
        "bucket_chart",
        html='<div class="bucket-chart"></div>',
        css=".bucket-chart { width: 100%; } .bucket-chart:fullscreen { background: #fff; }",
        js=JS,
        isolate_styles=False,
    )
    result = element(
        key=key,
        data=pack(fig, config),
        on_span_change=lambda: None,
        on_back_change=lambda: None,
    )
    span = getattr(result, "span", None)
    back = getattr(result, "back", None) is not None
    if isinstance(span, (list, tuple)) and len(span) == 2:
        return ChartEvents(span=(str(span[0]), str(span[1])), back=back)
    return ChartEvents(back=back)

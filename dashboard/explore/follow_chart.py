"""Explore's live view of properties a phone is streaming into: a chart that follows the
relayed samples as they arrive (``follow_chart.js``), drawn once and extended, never
rebuilt, and reading the app's relay rather than Bucket (the live view of a demo costs
Bucket no requests: see ``dashboard/phone/capacity.py``)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import streamlit as st

from bucket_client import Property
from dashboard.phone import live_tickets, streaming
from dashboard.shared.chart_library import plotly_js_url
from dashboard.shared.config import app_config
from dashboard.shared.public_address import public_root
from dashboard.signin import gate

JS = Path(__file__).with_name("follow_chart.js").read_text()
KEEP_POINTS = 3000  # per trace: five minutes at 10 Hz
RECENT_MS = 60_000  # a property counts as streamed when the relay holds samples this new


def streamed(props: list[Property]) -> list[Property]:
    """The properties a phone has streamed into in the last minute."""
    config, after = app_config(), int(time.time() * 1000) - RECENT_MS
    return [p for p in props if streaming.live_rows(config, p.id, after)]


def follow_chart(props: list[Property], labels: list[str], zone: str) -> None:
    element = st.components.v2.component(
        "bucket_follow_chart",
        html='<div class="bucket-follow"></div><p class="bucket-follow-said" aria-live="polite"></p>',
        css=".bucket-follow { width: 100%; min-height: 360px; }",
        js=JS,
        isolate_styles=False,
    )
    traces = []
    for prop, label in zip(props, labels):
        fields = streaming.SENSOR_FIELDS.get(prop.type.id, ())
        by_id = {d.id: d for d in prop.dimensions}
        for i, field in enumerate(fields):
            name = by_id[field].name if field in by_id else field
            traces.append({"property": prop.id, "index": i + 1, "name": f"{label} · {name}"})
    units = {d.unit_text for p in props for d in p.dimensions if d.unit}
    sid = (st.session_state.get(gate.AUTH_KEY) or {}).get("sid") or ""
    spec = {
        "ticket": live_tickets.ticket(app_config(), sid, [p.id for p in props]),
        "traces": traces,
        "recent_ms": RECENT_MS,  # not a time: the same chart on every run is not drawn again
        "zone": zone,
        "unit": ", ".join(sorted(units)),
        "keep": KEEP_POINTS,
        "plotly": plotly_js_url(),
        "live": public_root() + "/phone/live",
    }
    st.caption("Following the phone: new samples are drawn as they arrive.")
    element(key="explore_follow_" + "_".join(p.id for p in props), data=json.dumps(spec))

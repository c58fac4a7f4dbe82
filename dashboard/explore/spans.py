"""Where a property's values start and end, found without reading them all: "All data"
draws exactly that span, an empty range says where the newest value is, and the take-home
zip reads a day at a time between them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from bucket_client import BucketClient, Property
from dashboard.explore.data import (
    ALL_TIME,
    cached_fetch,
    client_for,
    now_ms,
    read_whole,
    side_by_side,
)
from dashboard.shared import data

WEEK_MS, MINUTE_MS = 7 * 86_400_000, 60_000


def _counts(client, prop: Property, start: int, end: int, interval: str) -> pd.Series:
    """Values per bucket by the property's dimension names (the values route; ``/count``
    answers every field of the type's measurement), non-empty buckets only."""
    frame = client.read_values(
        prop.thing_id, prop.id, start, end, interval=interval, agg="count", prop=prop
    )
    per_bucket = frame.max(axis=1) if len(frame.columns) else pd.Series(dtype="float64")
    return per_bucket[per_bucket.fillna(0) > 0]


def _edge(client, prop: Property, minute: pd.Timestamp, newest: bool) -> int:
    """The first (or last) value's exact time within a minute known to hold some."""
    start = int(minute.value // 1_000_000)
    rows = client.read_values(prop.thing_id, prop.id, start, start + MINUTE_MS - 1, prop=prop)
    if not len(rows):
        return start + (MINUTE_MS - 1 if newest else 0)
    return int(rows.index[-1 if newest else 0].value // 1_000_000)


@st.cache_data(ttl=300, show_spinner=False, max_entries=500)
def data_span(
    _client: BucketClient,
    user: str,
    version: int,
    thing_id: str,
    property_id: str,
    _prop: Property | None = None,
) -> tuple[int, int] | None:
    """``find_span``, kept per user for 5 minutes (a write from this app moves ``version``)."""
    prop = _prop if _prop is not None else _client.get_property(thing_id, property_id)
    return find_span(_client, prop)


def find_span(client: BucketClient, prop: Property) -> tuple[int, int] | None:
    """The first and last value's exact times; None when there are none. Found in 3 to 5
    small requests, never by reading everything: counts per week over all time, per minute
    in the first and last week, then the raw values of the first and last minute."""
    weeks = _counts(client, prop, 0, now_ms() + WEEK_MS, "1w")
    if weeks.empty:
        return None
    first_week = int(weeks.index[0].value // 1_000_000)
    last_week = int(weeks.index[-1].value // 1_000_000)
    minutes = _counts(client, prop, first_week, first_week + WEEK_MS - 1, "1m")
    late = minutes
    if last_week != first_week:
        late = _counts(client, prop, last_week, last_week + WEEK_MS - 1, "1m")
    if minutes.empty or late.empty:  # counted, yet nothing read back by minute: the weeks
        return first_week, last_week + WEEK_MS - 1
    first = _edge(client, prop, minutes.index[0], newest=False)
    last = _edge(client, prop, late.index[-1], newest=True)
    return first, max(last, first + 1)


def load_span(prop: Property) -> tuple[int, int] | None:
    return data_span(
        client_for(prop), data.user_key(), data.version(), prop.thing_id, prop.id, prop
    )


def load_spans(
    props: list[Property], labels: list[str], totals: list[int | None]
) -> list[tuple[int, int] | None]:
    """Each property's span, side by side: "All data" of two properties waits for one
    property's two round trips, not four. A property small enough to read raw is read whole
    (the chart's own cached read, ``load_all(whole=True)``) and its span is its rows'."""
    clients, user, version = {p.id: client_for(p) for p in props}, data.user_key(), data.version()

    def one(prop: Property, label: str, total: int | None) -> tuple[int, int] | None:
        client = clients[prop.id]
        if not read_whole(total):
            return data_span(client, user, version, prop.thing_id, prop.id, prop)
        frame = cached_fetch(client, user, version, prop, label, *ALL_TIME, total).view.frame
        if not len(frame):
            return None
        first, last = (int(t.value // 1_000_000) for t in (frame.index[0], frame.index[-1]))
        return first, max(last, first + 1)

    return side_by_side(one, props, labels, totals)

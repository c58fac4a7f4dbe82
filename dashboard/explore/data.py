"""Fetching what the Explore chart shows: count the range, pick a resolution, read.

A small property costs 1 request (its raw values; its count comes with the things
list); a big one 4 parallel requests (count, mean, min, max per bucket). Results are
cached per user for a minute.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from bucket_client import BucketClient, BucketError, Property
from dashboard.explore.charts import SeriesView, kind_for
from dashboard.explore.resolution import (
    RAW_DRAW_LIMIT,
    RAW_FETCH_LIMIT,
    Resolution,
    choose,
    downsample,
    interval_words,
    nice_interval,
)
from dashboard.shared import data
from dashboard.signin import gate

T = TypeVar("T")

PRESETS = {
    "15m": ("Last 15 minutes", 15 * 60_000),
    "1h": ("Last hour", 3_600_000),
    "24h": ("Last 24 hours", 86_400_000),
    "7d": ("Last 7 days", 7 * 86_400_000),
    "30d": ("Last 30 days", 30 * 86_400_000),
    "all": ("All data", None),
}


@dataclass
class Fetched:
    view: SeriesView
    total: int
    resolution: Resolution
    requests: int


VIA_KEY = "explore_read_via"  # this run's shared properties: id -> the group read through


def client_for(prop: Property) -> BucketClient:
    """The client that reads ``prop``: the user's own, or, for a property shared with them,
    one reading through the group whose consent opens it (set by the page each run)."""
    client = gate.client()
    via = (st.session_state.get(VIA_KEY) or {}).get(prop.id)
    return client.shared_through(via) if via else client


def is_shared(prop: Property) -> bool:
    return prop.id in (st.session_state.get(VIA_KEY) or {})


def now_ms() -> int:
    return int(time.time() * 1000)


PRESET_STEP_MS = 60_000  # a preset's end is now rounded up to the minute: a view is the
# same (and served from the cache, no request) for everyone who opens it within that minute


def preset_window(preset: str, now: int | None = None) -> tuple[int, int]:
    """``Last ...`` ending at the next whole minute, so the cache can serve it."""
    now = now_ms() if now is None else now
    end = -(-now // PRESET_STEP_MS) * PRESET_STEP_MS
    return end - PRESETS[preset][1], end


# "All data" of a property small enough to read raw is read whole, once: its first and last
# value are then the rows' own, and the chart's fetch is the same cached read (the span by
# counts and edges cost four requests more per student: issue 42)
ALL_TIME = (0, 4_102_444_800_000)  # 1970 to 2100, all Bucket holds


def read_whole(total: int | None) -> bool:
    """Whether a property of ``total`` values is read whole for "All data"."""
    return total is not None and total <= RAW_FETCH_LIMIT


def _drawn_per_time(prop: Property) -> int:
    """Values drawn for one time: a trace per dimension (a map draws one point)."""
    return 1 if kind_for(prop.type) == "map" else max(1, len(prop.dimensions))


def _raw(
    client: BucketClient,
    prop: Property,
    label: str,
    start: int,
    end: int,
    kind: str,
    total_hint: int | None = None,
) -> tuple[SeriesView, int, Resolution]:
    frame = client.read_values(prop.thing_id, prop.id, start, end, prop=prop, at_most=total_hint)
    view = SeriesView(label, prop.dimensions, frame, kind=kind)
    resolution = choose(end - start, len(frame), force_raw=True)
    if resolution.kind == "lttb" and kind != "map":
        view.thinned = downsample(frame)
    return view, len(frame), resolution


def fetch(
    client: BucketClient,
    prop: Property,
    label: str,
    start: int,
    end: int,
    total_hint: int | None = None,
) -> Fetched:
    """Raw points when the property is small (``total_hint``: its count, known for free from
    the things list); else count, mean, min and max per bucket, fetched in parallel, and raw
    points after all if the range turns out to hold few. The same whether "Raw points" is
    on or not (see ``drawn_as``): turning it on draws the rows already fetched."""
    before = client.transport.requests_sent
    kind = kind_for(prop.type)
    if total_hint is not None and total_hint <= RAW_FETCH_LIMIT:
        view, total, resolution = _raw(client, prop, label, start, end, kind, total_hint)
    else:
        interval, interval_ms = nice_interval(end - start)

        def read(agg: str) -> pd.DataFrame:
            return client.read_values(
                prop.thing_id, prop.id, start, end, interval=interval, agg=agg, prop=prop
            )

        with ThreadPoolExecutor(4) as pool:
            counts, mean, low, high = pool.map(read, ["count", "mean", "min", "max"])
        total = int(counts.max(axis=1).sum()) if len(counts) else 0
        if total <= RAW_FETCH_LIMIT:
            view, total, resolution = _raw(client, prop, label, start, end, kind, total)
        else:
            resolution = Resolution("buckets", interval, interval_ms)
            view = SeriesView(label, prop.dimensions, mean, low, high, kind=kind)
            view.bucket = interval_words(interval)
            view.counts = counts
            view.last_reading = _last_reading(client, prop, counts, interval_ms, end)
    shown = max((len(s) for s in view.thinned.values()), default=len(view.frame))
    view.note = resolution.describe(total, shown)
    return Fetched(view, total, resolution, client.transport.requests_sent - before)


def drawn_as(fetched: Fetched, prop: Property, force_raw: bool) -> Fetched:
    """What the chart draws of a fetched view: with "Raw points", every row fetched when
    the range holds at most ``RAW_DRAW_LIMIT`` values, else the same view saying why not.
    No request: the rows are those already fetched."""
    if not force_raw:
        return fetched
    view, total = fetched.view, fetched.total
    per_time = _drawn_per_time(prop)
    raw_rows = fetched.resolution.kind != "buckets"
    if raw_rows and total * per_time <= RAW_DRAW_LIMIT:
        note = f"{total:,} points, every one drawn (Raw points, up to {RAW_DRAW_LIMIT:,} values)"
        view = dataclasses.replace(view, every_point=True, note=note)
        return dataclasses.replace(fetched, view=view, resolution=Resolution("raw"))
    note = view.note + (
        f" (Raw points draws up to {RAW_DRAW_LIMIT:,} values at once"
        + (
            f", {RAW_DRAW_LIMIT // per_time:,} times of {per_time} dimensions"
            if per_time > 1
            else ""
        )
        + "; this range holds more)"
    )
    return dataclasses.replace(fetched, view=dataclasses.replace(view, note=note))


def _last_reading(client, prop, counts: pd.DataFrame, interval_ms: int, end: int):
    """The last reading in the range (not the last bucket's mean): the raw points of the
    last bucket that holds any, one small request."""
    filled = counts[counts.max(axis=1) > 0]
    if filled.empty:
        return None
    bucket = int(filled.index[-1].value // 1_000_000)
    tail = client.read_values(
        prop.thing_id, prop.id, bucket, min(end, bucket + interval_ms), prop=prop
    )
    return tail.iloc[-1] if len(tail) else None


@st.cache_data(ttl=60, show_spinner=False, max_entries=200)
def cached_fetch(
    _client: BucketClient,
    user: str,
    version: int,
    prop: Property,
    label: str,
    start: int,
    end: int,
    total_hint: int | None,
) -> Fetched:
    return fetch(_client, prop, label, start, end, total_hint)


class FetchFailed(Exception):
    """One property of several could not be read: which one, and Bucket's error."""

    def __init__(self, label: str, error: BucketError):
        super().__init__(label)
        self.label, self.error = label, error


def side_by_side(one: Callable[..., T], *columns: list) -> list[T]:
    """``one`` over the columns' rows, in up to four threads that carry the script's context
    (Streamlit's own way for threads); a single row runs in the script's thread."""
    rows = list(zip(*columns))
    if len(rows) == 1:
        return [one(*rows[0])]
    ctx = get_script_run_ctx()

    def in_context(*row):
        add_script_run_ctx(threading.current_thread(), ctx)
        return one(*row)

    with ThreadPoolExecutor(min(4, len(rows))) as pool:
        return list(pool.map(in_context, *columns))


def load_all(
    props: list[Property],
    labels: list[str],
    totals: list[int | None],
    start: int,
    end: int,
    force_raw: bool = False,
    live: bool = False,
    whole: bool = False,
) -> list[Fetched]:
    """Every chosen property's view, fetched side by side: a chart of two properties waits
    for one round trip, not two. ``live``: fresh from Bucket, every point (no cache).
    ``whole`` ("All data"): a property small enough is fetched whole (``ALL_TIME``), the read
    its span was found by. The session's client, user and version are read here, in the
    script's thread."""
    clients, user, version = {p.id: client_for(p) for p in props}, data.user_key(), data.version()

    def one(prop: Property, label: str, total: int | None) -> Fetched:
        client = clients[prop.id]
        try:
            if live:  # every point the window holds, as it comes
                return drawn_as(fetch(client, prop, label, start, end), prop, force_raw=True)
            a, b = ALL_TIME if whole and read_whole(total) else (start, end)
            fetched = cached_fetch(client, user, version, prop, label, a, b, total)
            return drawn_as(fetched, prop, force_raw)
        except BucketError as error:
            raise FetchFailed(label, error) from error

    return side_by_side(one, props, labels, totals)

"""The Explore page: one or more properties over the chosen window as an interactive
chart with statistics, exports and a live mode."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pandas as pd
import requests
import streamlit as st

from bucket_client import BucketError, Property
from dashboard.explore import data as explore_data
from dashboard.explore.chart_element import chart
from dashboard.explore.chart_words import chart_in_words
from dashboard.explore.charts import (
    points_in,
    timeseries_figure,
)
from dashboard.explore.controls import (
    BACK_KEY,
    NARROW_KEY,
    SHARED_KEY,
    SHARED_PARAM,
    controls_ui,
    narrowed_range,
    remember,
    resolve_range,
    return_to_last_view,
)
from dashboard.explore.data import PRESETS, now_ms
from dashboard.explore.delete_range import delete_range_ui
from dashboard.explore.exports import draw_exports
from dashboard.explore.follow_chart import follow_chart, streamed
from dashboard.explore.no_values import hint_latest
from dashboard.explore.resolution import gaps
from dashboard.explore.statistics import stats_table
from dashboard.explore.track_map import map_figure
from dashboard.shared import budget, data, shared_data
from dashboard.shared.errors import show_error
from dashboard.shared.text import count_of, duration, plain, plain_table


def draw_view(fetched, prop: Property, start: int, end: int, tz: str) -> None:
    view = fetched.view
    st.markdown(f"**{plain(view.label)}**")
    st.caption(view.note)
    stats = stats_table(view, fetched.total, tz)
    st.caption(chart_in_words(view.label, stats, fetched.total))
    st.table(
        plain_table(stats.set_index("Dimension"))
    )  # a few rows: plain text a person can read and copy
    silences = sorted(view.breaks, key=lambda gap: gap[1], reverse=True)[:GAPS_LISTED]
    if silences:
        st.caption(
            "Gaps (the line breaks there): "
            + "; ".join(
                f"{_fmt(t, tz)} for {duration(d.total_seconds())}" for t, d in sorted(silences)
            )
        )
    draw_exports(fetched, prop, start, end, tz)
    if not explore_data.is_shared(prop):  # someone else's: theirs to delete
        delete_range_ui(prop, start, end, fetched.total, tz)


GAPS_LISTED = 5  # the longest silences named under a chart; every one breaks its line


def silences(fetched, start: int, end: int) -> list[tuple[pd.Timestamp, pd.Timedelta]]:
    """Every silence of a view, in time order: steps over 5 sampling intervals; aggregated,
    over 3 buckets and 5 samples (empty buckets are left out of the server's answer)."""
    view = fetched.view
    if fetched.resolution.kind != "buckets":
        return gaps(view.frame.index, limit=None)
    sampling = pd.Timedelta(milliseconds=end - start) / max(fetched.total, 1)
    bucket = pd.Timedelta(milliseconds=3 * fetched.resolution.interval_ms)
    filled = view.frame.dropna(how="all").index
    return gaps(filled, factor=3, limit=None, at_least=max(5 * sampling, bucket))


def _fmt(t: pd.Timestamp, tz: str) -> str:
    return t.tz_convert(tz).strftime("%Y-%m-%d %H:%M")


def shared_choices() -> dict[str, data.PropertyChoice]:
    """Properties shared with the user, offered beside their own once they ask (the toggle,
    or a link from "Shared with me"): a teacher overlays a team's sensors. Only those whose
    values Bucket lets them read (through a group they are in)."""
    if not st.toggle(
        "Also show what others share with me",
        value=st.query_params.get(SHARED_PARAM) == "1",
        key=SHARED_KEY,
    ):
        return {}
    try:
        readable = shared_data.readable_choices()
    except BucketError as error:
        show_error(error, "list what is shared with you")
        return {}
    return {
        k: data.PropertyChoice(c.thing, c.prop, c.count or 0, c.via) for k, c in readable.items()
    }


def explore_page() -> None:
    return_to_last_view()
    st.title("Explore")
    options = data.choices_for_page(shared_choices())
    if not options:
        return
    choice = controls_ui(options)
    if not choice["keys"]:
        st.info("Choose one or more properties to chart.")
        return
    st.session_state[explore_data.VIA_KEY] = {
        options[k].prop.id: options[k].via for k in choice["keys"] if options[k].via
    }
    labels = [options[k].label for k in choice["keys"]]
    totals = [options[k].count for k in choice["keys"]]
    try:
        props = [data.full_property(options[k].prop) for k in choice["keys"]]
    except BucketError as error:
        show_error(error, "load the chosen properties")
        st.stop()
    try:
        start, end = resolve_range(choice, props, labels, totals)
    except BucketError as error:
        show_error(error, "find the range of your data")
        st.stop()
    remember(choice, start, end)
    live = st.session_state.get("explore_live", False)
    if live:
        live_view(props, labels, totals, choice)
        return
    draw_chart(props, labels, totals, start, end, choice)


def draw_chart(
    props, labels, totals, start, end, choice, cache: bool = True, reuse: bool = False
) -> None:
    """``cache=False``: live, always fetched (and kept for ``reuse``, live's slow pace)."""
    fetched = st.session_state.get("_live_fetched", []) if reuse else []
    with st.spinner("Fetching values..."):
        try:
            if not (reuse and fetched):
                fetched = explore_data.load_all(
                    props,
                    labels,
                    totals,
                    start,
                    end,
                    choice["raw"],
                    live=not cache,
                    whole=choice["preset"] == "all",
                )
        except explore_data.FetchFailed as failed:
            show_error(failed.error, f"read {failed.label}")
            return
    if not cache:
        st.session_state["_live_fetched"] = fetched
    tz = choice["tz"]
    empty = all(f.total == 0 for f in fetched)
    if empty:
        st.warning(
            f"No values between {_fmt(pd.Timestamp(start, unit='ms', tz='UTC'), tz)} and "
            f"{_fmt(pd.Timestamp(end, unit='ms', tz='UTC'), tz)} ({tz}). Zoom out on the "
            "chart, double-click it or go back to return.",
            icon=":material/event_busy:",
        )
        hint_latest(props)
    for f in fetched:
        f.view.breaks = silences(f, start, end) if f.total else []
    series = [f.view for f in fetched if f.view.kind != "map" and f.total]
    maps = [f for f in fetched if f.view.kind == "map" and f.total]
    if series or empty:  # an empty range keeps its frame: the window is still the axis
        fig = timeseries_figure(series, choice["layout"], tz, window=(start, end))
        events = chart(fig, key="explore_chart", config={"scrollZoom": True})
        st.caption(
            "Drag a box on the chart (or zoom, pan, scroll) to fetch that range at a finer "
            "resolution; a double click returns. "
            f"{count_of(sum(points_in(fig).values()), 'point')} drawn."
            + (
                " Preset ranges end at the next whole minute and are kept for a minute "
                "(no new request meanwhile); turn on Live to follow new values."
                if choice["preset"] in PRESETS and choice["preset"] != "all"
                else ""
            )
        )
        narrowed = narrowed_range(events.span, tz)
        if narrowed or events.back:  # applied before the widgets exist, on the rerun
            st.session_state[NARROW_KEY if narrowed else BACK_KEY] = narrowed or True
            st.rerun()
    for f in maps:
        tiles = tiles_reachable()
        if not tiles:
            st.caption(
                "Map tiles (OpenStreetMap) cannot be reached from here: the track is drawn on "
                "a plain background, coloured by time."
            )
        chart(map_figure(f.view, tz, tiles), key=f"explore_map_{f.view.label}")
    for f, prop in zip(fetched, props):
        if f.total:
            with st.container(border=True):
                draw_view(f, prop, start, end, tz)
        else:
            st.caption(f"{plain(f.view.label)}: no values in this range.")
            if not explore_data.is_shared(prop):
                delete_range_ui(prop, start, end, 0, tz)  # a deletion just done: its result


@st.cache_data(ttl=600, show_spinner=False)
def tiles_reachable() -> bool:
    """Whether OpenStreetMap's tiles answer from this server (checked every 10 minutes)."""
    try:
        return requests.head(TILE_CHECK_URL, timeout=1.5).status_code < 400
    except requests.RequestException:
        return False


TILE_CHECK_URL = "https://tile.openstreetmap.org/0/0/0.png"


LOW_BUDGET_EVERY_S = 60  # live refresh when Bucket's shared budget is low


def live_view(props, labels, totals, choice) -> None:
    following = streamed(props)
    if following:  # a phone streams into some: follow them as they arrive, at no Bucket cost
        follow_chart(following, [labels[props.index(p)] for p in following], choice["tz"])
        kept = [i for i, p in enumerate(props) if p not in following]
        if not kept:
            return
        props, labels = [props[i] for i in kept], [labels[i] for i in kept]
        totals = [totals[i] for i in kept]
    cols = st.columns(2)
    minutes = cols[0].select_slider(
        "Window",
        [1, 5, 15, 30, 60],
        value=15,
        key="explore_live_window",
        format_func=lambda m: f"last {m} min",
    )
    every = cols[1].select_slider(
        "Refresh every",
        [5, 10, 30, 60],
        value=10,
        key="explore_live_every",
        format_func=lambda s: f"{s} s",
    )
    if budget.is_low():
        every = max(every, LOW_BUDGET_EVERY_S)
    per_minute = len(props) * 60 // every
    st.caption(
        f"Live mode costs about {count_of(per_minute, 'request')} a minute of the server's shared budget."
    )

    @st.fragment(run_every=every)
    def refresh():
        if streamed(props):  # a phone began streaming into one: follow it (a whole run)
            st.rerun()
        end, fresh = now_ms(), True
        last = st.session_state.get("_live_last")
        if budget.is_low():
            # background work gives way first: at most one fetch a minute, the last
            # window again (from memory) in between
            st.info(
                f"Bucket's shared request budget is low ({budget.words()}): live refresh "
                f"fetches at most every {LOW_BUDGET_EVERY_S} s, so that people's clicks do not wait.",
                icon=":material/hourglass_top:",
            )
            if last and time.monotonic() - last[1] < LOW_BUDGET_EVERY_S:
                end, fresh = last[0], False
        if fresh:
            st.session_state["_live_last"] = (end, time.monotonic())
        draw_chart(
            props, labels, totals, end - minutes * 60_000, end, choice, cache=False, reuse=not fresh
        )
        st.caption(f"Updated {dt.datetime.now(ZoneInfo(choice['tz'])):%H:%M:%S}")

    refresh()

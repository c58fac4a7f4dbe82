"""The Explore page: one or more properties over the chosen window as an interactive
chart with statistics, exports and a live mode."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property
from dashboard.explore import data as explore_data
from dashboard.explore.charts import (
    SeriesView,
    map_figure,
    points_in,
    stats_table,
    timeseries_figure,
)
from dashboard.explore.controls import (
    NARROW_KEY,
    controls_ui,
    narrowed_range,
    remember,
    resolve_range,
)
from dashboard.explore.data import PRESETS, now_ms
from dashboard.explore.resolution import gaps
from dashboard.shared import data
from dashboard.shared.errors import show_error
from dashboard.shared.spreadsheet import neutralised
from dashboard.shared.text import ago, count_of, duration, plain, plain_table
from dashboard.signin import gate


def export_frame(view: SeriesView, tz: str) -> pd.DataFrame:
    frame = view.frame.copy()
    out = pd.DataFrame(
        {
            "time": frame.index.tz_convert(tz).strftime("%Y-%m-%dT%H:%M:%S.%f%z"),
            "time_ms": frame.index.as_unit("ms").asi8,
        }
    )
    for column in frame.columns:
        out[column] = frame[column].to_numpy()
    return out


def draw_exports(
    view: SeriesView, prop: Property, start: int, end: int, tz: str, resolution
) -> None:
    table = export_frame(view, tz)
    name = f"{prop.name}-{start}-{end}".replace(" ", "_")
    cols = st.columns(3)
    cols[0].download_button(
        "CSV",
        neutralised(table).to_csv(index=False),
        f"{name}.csv",
        "text/csv",
        key=f"explore_csv_{prop.id}",
        icon=":material/download:",
    )
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    cols[1].download_button(
        "Parquet",
        buffer.getvalue(),
        f"{name}.parquet",
        "application/octet-stream",
        key=f"explore_parquet_{prop.id}",
        icon=":material/download:",
    )
    with st.expander("Show the code", icon=":material/code:"):
        agg = (
            f', interval="{resolution.interval}", agg="mean"'
            if resolution.kind == "buckets"
            else ""
        )
        st.code(
            "from bucket_client import BucketClient\n\n"
            "client = BucketClient.from_env()  # your .env, or BUCKET_ACCESS_TOKEN\n"
            f'df = client.read_values(\n    "{prop.thing_id}",\n    "{prop.id}",\n'
            f"    {start},  # {pd.Timestamp(start, unit='ms', tz='UTC').isoformat()}\n"
            f"    {end}{agg},\n)\n",
            language="python",
        )


def draw_view(fetched, prop: Property, start: int, end: int, tz: str) -> None:
    view = fetched.view
    st.markdown(f"**{plain(view.label)}**")
    st.caption(view.note)
    stats = stats_table(view, fetched.total, tz)
    st.table(
        plain_table(stats.set_index("Dimension"))
    )  # a few rows: plain text a person can read and copy
    silences = (
        gaps(view.frame.index)
        if fetched.resolution.kind != "buckets"
        else gaps(view.frame.dropna().index, 3)
    )
    if silences:
        st.caption(
            "Gaps: "
            + "; ".join(f"{_fmt(t, tz)} for {duration(d.total_seconds())}" for t, d in silences)
        )
    draw_exports(view, prop, start, end, tz, fetched.resolution)


def _fmt(t: pd.Timestamp, tz: str) -> str:
    return t.tz_convert(tz).strftime("%Y-%m-%d %H:%M")


def explore_page() -> None:
    st.title("Explore")
    options = data.choices_for_page()
    if not options:
        return
    choice = controls_ui(options)
    if not choice["keys"]:
        st.info("Choose one or more properties to chart.")
        return
    labels = [options[k].label for k in choice["keys"]]
    totals = [options[k].count for k in choice["keys"]]
    try:
        props = [data.full_property(options[k].prop) for k in choice["keys"]]
    except BucketError as error:
        show_error(error, "load the chosen properties")
        st.stop()
    try:
        start, end = resolve_range(choice, props)
    except BucketError as error:
        show_error(error, "find the range of your data")
        st.stop()
    remember(choice, start, end)
    live = st.session_state.get("explore_live", False)
    if live:
        live_view(props, labels, totals, choice)
        return
    draw_chart(props, labels, totals, start, end, choice)


def draw_chart(props, labels, totals, start, end, choice, cache: bool = True) -> None:
    fetched = []
    with st.spinner("Fetching values..."):
        for prop, label, total in zip(props, labels, totals):
            try:
                if cache:
                    fetched.append(explore_data.load(prop, label, start, end, choice["raw"], total))
                else:  # live: always fresh
                    fetched.append(
                        explore_data.fetch(gate.client(), prop, label, start, end, force_raw=True)
                    )
            except BucketError as error:
                show_error(error, f"read {label}")
                return
    tz = choice["tz"]
    if all(f.total == 0 for f in fetched):
        st.warning(
            f"No values between {_fmt(pd.Timestamp(start, unit='ms', tz='UTC'), tz)} and "
            f"{_fmt(pd.Timestamp(end, unit='ms', tz='UTC'), tz)} ({tz})."
        )
        hint_latest(props)
        return
    series = [f.view for f in fetched if f.view.kind != "map" and f.total]
    maps = [f for f in fetched if f.view.kind == "map" and f.total]
    if series:
        fig = timeseries_figure(series, choice["layout"], tz, window=(start, end))
        event = st.plotly_chart(
            fig,
            on_select="rerun",
            selection_mode="box",
            key="explore_chart",
            config={"displaylogo": False, "scrollZoom": True},
        )
        st.caption(
            "Drag a box on the chart to zoom in and fetch that range at a finer resolution. "
            f"{count_of(sum(points_in(fig).values()), 'point')} drawn."
            + (
                " Preset ranges end at the next whole minute and are kept for a minute "
                "(no new request meanwhile); turn on Live to follow new values."
                if choice["preset"] in PRESETS and choice["preset"] != "all"
                else ""
            )
        )
        narrowed = narrowed_range(event)
        if narrowed:  # applied before the widgets exist, on the rerun
            st.session_state[NARROW_KEY] = narrowed
            st.rerun()
    for f in maps:
        st.plotly_chart(map_figure(f.view, tz), key=f"explore_map_{f.view.label}")
    for f, prop in zip(fetched, props):
        if f.total:
            with st.container(border=True):
                draw_view(f, prop, start, end, tz)
        else:
            st.caption(f"{plain(f.view.label)}: no values in this range.")


def hint_latest(props: list[Property]) -> None:
    for prop in props:
        span = explore_data.load_span(prop)
        if span is None:
            st.info(f"{plain(prop.name)} has no values yet: add some on the Upload page.")
            continue
        last = pd.Timestamp(span[1], unit="ms", tz="UTC")
        st.info(
            f"{prop.name}: the newest value is from {ago(last.to_pydatetime())}. "
            "Choose **All data** or a longer range."
        )


def live_view(props, labels, totals, choice) -> None:
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
    per_minute = len(props) * 60 // every
    st.caption(
        f"Live mode costs about {count_of(per_minute, 'request')} a minute of the server's shared budget."
    )

    @st.fragment(run_every=every)
    def refresh():
        end = now_ms()
        draw_chart(props, labels, totals, end - minutes * 60_000, end, choice, cache=False)
        st.caption(f"Updated {dt.datetime.now(ZoneInfo(choice['tz'])):%H:%M:%S}")

    refresh()

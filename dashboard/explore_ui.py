"""The Explore page: choose properties and a range, see the chart, its numbers, export.

The view lives in the URL (``p``, ``range``, ``from``, ``to``, ``res``, ``layout``,
``tz``), so a copied link opens the same chart.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property

from . import data, explore_data, gate
from .charts import SeriesView, map_figure, points_in, stats_table, timeseries_figure
from .errors_ui import show_error
from .explore_data import PRESETS, now_ms
from .resolution import gaps
from .text import ago, count_of, duration
from .zones import browser_tz

NARROW_KEY = "explore_narrow"
URL_KEY = "explore_url"  # the query this page last wrote or saw
WIDGET_KEYS = (
    "explore_props",
    "explore_range",
    "explore_utc",
    "explore_raw",
    "explore_layout",
    "explore_from_d",
    "explore_from_t",
    "explore_to_d",
    "explore_to_t",
)


def follow_url() -> None:
    """The address is the view: when it changed under the page (Back, Forward, a pasted
    link), forget the widgets' own memory so they take their values from the URL."""
    url = st.query_params.to_dict()
    if st.session_state.get(URL_KEY) not in (None, url):
        for key in WIDGET_KEYS:
            st.session_state.pop(key, None)
    st.session_state[URL_KEY] = url


def write_url(state: dict) -> None:
    """One update of the address for one action: one history entry, none when unchanged."""
    if st.query_params.to_dict() != state:
        st.query_params.from_dict(state)
    st.session_state[URL_KEY] = state


def selected_keys(options: dict) -> list[str]:
    params = st.query_params
    keys = [k for k in (params.get("p") or "").split(",") if k in options]
    linked = data.linked_key()
    if not keys and linked in options:
        keys = [linked]
    return keys


def apply_narrowing() -> None:
    """A box drawn on the chart last run becomes the custom range, finer resolution."""
    narrowed = st.session_state.pop(NARROW_KEY, None)
    if not narrowed:
        return
    write_url(
        {
            **st.query_params.to_dict(),
            "range": "custom",
            "from": str(narrowed[0]),
            "to": str(narrowed[1]),
        }
    )
    st.session_state["explore_range"] = "custom"
    for key in (
        "explore_chart",
        "explore_from_d",
        "explore_from_t",
        "explore_to_d",
        "explore_to_t",
    ):
        st.session_state.pop(key, None)


def controls_ui(options: dict) -> dict:
    """Draw the choices; return them (and keep them in the URL)."""
    follow_url()
    apply_narrowing()
    params = st.query_params
    keys = st.multiselect(
        "Properties",
        list(options),
        default=selected_keys(options),
        format_func=lambda k: f"{options[k].label} ({options[k].prop.type.id})",
        key="explore_props",
        placeholder="Choose one or more properties",
    )
    range_options = list(PRESETS) + ["custom"]
    current = params.get("range") if params.get("range") in range_options else "24h"
    preset = st.segmented_control(
        "Time range",
        range_options,
        default=current,
        key="explore_range",
        format_func=lambda k: PRESETS[k][0] if k in PRESETS else "Custom",
    )
    cols = st.columns(4)
    utc = cols[0].toggle(
        "UTC",
        value=params.get("tz") == "utc",
        key="explore_utc",
        help="Times in UTC instead of your browser's time zone",
    )
    raw = cols[1].toggle(
        "Raw points",
        value=params.get("res") == "raw",
        key="explore_raw",
        help="Fetch every point (downsampled with MinMaxLTTB for the chart)",
    )
    layout = "overlay"
    if len(keys) > 1:
        layout = cols[3].radio(
            "Layout",
            ["overlay", "stacked"],
            horizontal=True,
            key="explore_layout",
            index=1 if params.get("layout") == "stacked" else 0,
        )
    cols[2].toggle("Live", key="explore_live", help="Refresh the last minutes every few seconds")
    tz = "UTC" if utc else browser_tz()
    return {
        "keys": keys,
        "preset": preset or current,
        "tz": tz,
        "utc": utc,
        "raw": raw,
        "layout": layout,
    }


def custom_range_ui(tz: str, start: int, end: int) -> tuple[int, int]:
    zone = ZoneInfo(tz)
    a = dt.datetime.fromtimestamp(start / 1000, zone)
    b = dt.datetime.fromtimestamp(end / 1000, zone)
    cols = st.columns(4)
    d1 = cols[0].date_input("From", a.date(), key="explore_from_d")
    t1 = cols[1].time_input(
        "at", a.time().replace(second=0, microsecond=0), key="explore_from_t", step=60
    )
    d2 = cols[2].date_input("To", b.date(), key="explore_to_d")
    t2 = cols[3].time_input(
        "at ", b.time().replace(second=0, microsecond=0), key="explore_to_t", step=60
    )
    # The inputs show minutes; a range narrowed on the chart is finer. Keep the exact
    # bound unless the visitor changed that input.
    first = _exact_or(start, dt.datetime.combine(d1, t1, zone), a)
    last = _exact_or(end, dt.datetime.combine(d2, t2, zone), b)
    st.caption(f"Times in {tz}.")
    return first, max(first + 1, last)


def _exact_or(exact_ms: int, chosen: dt.datetime, shown: dt.datetime) -> int:
    if chosen.replace(second=0, microsecond=0) == shown.replace(second=0, microsecond=0):
        return exact_ms
    return int(chosen.timestamp() * 1000)


def resolve_range(choice: dict, props: list[Property]) -> tuple[int, int]:
    params = st.query_params
    end = now_ms()
    if choice["preset"] == "custom":
        try:
            start, stop = int(params.get("from", end - 86_400_000)), int(params.get("to", end))
        except ValueError:
            start, stop = end - 86_400_000, end
        return custom_range_ui(choice["tz"], start, stop)
    if choice["preset"] == "all":
        spans = [s for s in (explore_data.load_span(p) for p in props) if s]
        if not spans:
            return end - 86_400_000, end
        return min(s[0] for s in spans), max(s[1] for s in spans)
    return end - PRESETS[choice["preset"]][1], end


def remember(choice: dict, start: int, end: int) -> None:
    """Keep the view in the address, with only what differs from the defaults, so the
    first visit writes nothing and Back returns to the previous view."""
    linked = data.linked_key()
    if choice["keys"] == [linked]:  # opened from a property's link: keep that link
        state = {"thing": st.query_params["thing"], "property": st.query_params["property"]}
    else:
        state = {"p": ",".join(choice["keys"])} if choice["keys"] else {}
    if choice["preset"] != "24h":
        state["range"] = choice["preset"]
    if choice.get("utc"):
        state["tz"] = "utc"
    if choice["raw"]:
        state["res"] = "raw"
    if choice["layout"] != "overlay":
        state["layout"] = choice["layout"]
    if choice["preset"] == "custom":
        state.update({"from": str(start), "to": str(end)})
    write_url(state)


def narrowed_range(event) -> tuple[int, int] | None:
    """A box drawn on the chart: its time span, to fetch at a finer resolution."""
    try:
        boxes = event.selection.box
    except AttributeError:
        return None
    if not boxes:
        return None
    xs = boxes[0].get("x") or []
    if len(xs) < 2:
        return None
    a, b = (pd.Timestamp(x) for x in xs[:2])
    a = a.tz_localize("UTC") if a.tzinfo is None else a
    b = b.tz_localize("UTC") if b.tzinfo is None else b
    first, last = sorted((int(a.value // 1_000_000), int(b.value // 1_000_000)))
    return (first, last) if last > first else None


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
        table.to_csv(index=False),
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
    st.markdown(f"**{view.label}**")
    st.caption(view.note)
    stats = stats_table(view, fetched.total, tz)
    st.table(stats.set_index("Dimension"))  # a few rows: plain text a person can read and copy
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
    try:
        options = data.property_choices()
    except BucketError as error:
        show_error(error, "load your properties")
        st.stop()
    if data.linked_but_unseen(options):
        st.warning(data.SHARED_LINK_GONE, icon=":material/link_off:")
    if not options:
        st.info("You have no properties yet: create a thing and a property on the Things page.")
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
            st.caption(f"{f.view.label}: no values in this range.")


def hint_latest(props: list[Property]) -> None:
    for prop in props:
        span = explore_data.load_span(prop)
        if span is None:
            st.info(f"{prop.name} has no values yet: add some on the Upload page.")
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

"""Drawing a board's panels: each kind from the same reads Explore makes (its cache, its
windows, aggregates said, gaps as gaps, the person's zone), and what a panel cannot show
said on the panel (a property gone, one not shared with this person), never a crash.

A panel finds its properties among ``Reachable``: the person's own and those shared with
them through a group (read with ``?sharedWith=``, as Explore reads them)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property
from dashboard.boards.board_document import Panel
from dashboard.boards.board_store import THING_NAME, THING_TYPE
from dashboard.explore import data as explore_data
from dashboard.explore.chart_element import chart
from dashboard.explore.charts import timeseries_figure
from dashboard.explore.controls import resolve_range
from dashboard.explore.follow_chart import follow_chart, streamed
from dashboard.explore.page import silences, tiles_reachable
from dashboard.explore.track_map import map_figure
from dashboard.shared import data, shared_data
from dashboard.shared.errors import show_error
from dashboard.shared.text import ago, count_of, plain, plain_table


@dataclass(frozen=True)
class Reachable:
    """A property a panel may show: its thing's name, its data-point count, and the group
    that opens it when it is someone else's."""

    prop: Property
    thing_name: str
    count: int
    via: str | None = None

    @property
    def label(self) -> str:
        return f"{self.thing_name} · {self.prop.name}"


def reachable() -> dict[str, Reachable]:
    """Every property this person can read, by property id: their own, then shared ones."""
    found = {
        c.prop.id: Reachable(c.prop, c.thing.name, c.count)
        for c in data.property_choices().values()
        if c.thing.type != THING_TYPE  # the boards themselves are not something to chart
    }
    try:
        for c in shared_data.readable_choices().values():
            if c.thing.name != THING_NAME:
                found.setdefault(c.prop.id, Reachable(c.prop, c.thing.name, c.count or 0, c.via))
    except BucketError:
        pass  # shared ones are an extra: a board of one's own still draws
    return found


def _missing(panel: Panel, props: dict[str, Reachable], owner: str | None) -> list[str]:
    return [r.property for r in panel.properties if r.property not in props]


def draw_panel(panel: Panel, number: int, props: dict[str, Reachable], tz: str, owner=None):
    """One panel in its bordered box: title, then what it shows or what stops it."""
    with st.container(border=True):
        if panel.title:
            st.markdown(f"**{plain(panel.title)}**")
        if panel.problem:
            st.warning(
                f"This panel cannot be drawn: {plain(panel.problem)}.", icon=":material/error:"
            )
            return
        missing = _missing(panel, props, owner)
        if missing:
            whose = (
                "it is not shared with you through a group you are in: ask the board's owner "
                "to share the board with your group again"
                if owner
                else "it was deleted, or it is not yours"
            )
            st.warning(
                f"{count_of(len(missing), 'property')} of this panel cannot be "
                f"read ({plain(', '.join(missing))}): {whose}.",
                icon=":material/visibility_off:",
            )
            if len(missing) == len(panel.properties):
                return
        shown = [props[r.property] for r in panel.properties if r.property in props]
        try:
            DRAW[panel.kind](panel, number, shown, tz)
        except BucketError as error:
            show_error(error, f"read panel {number}")


def _full(items: list[Reachable]) -> list[Property]:
    st.session_state[explore_data.VIA_KEY] = st.session_state.get(explore_data.VIA_KEY) or {}
    for r in items:
        if r.via:
            st.session_state[explore_data.VIA_KEY][r.prop.id] = r.via
    full = []
    for r in items:
        if r.prop.dimensions:
            full.append(r.prop)
        elif r.via:
            client = shared_data.client_for(r.via)
            full.append(client.get_property(r.prop.thing_id, r.prop.id))
        else:
            full.append(data.full_property(r.prop))
    return full


def _chart(panel: Panel, number: int, items: list[Reachable], tz: str) -> None:
    props = _full(items)
    labels, totals = [r.label for r in items], [r.count for r in items]
    following = streamed(props)
    if following:  # a phone streams into it: its samples as Explore's Live view draws them
        follow_chart(following, [labels[props.index(p)] for p in following], tz)
        st.caption("Live: the phone's samples as they arrive (no Bucket request).")
        kept = [i for i, p in enumerate(props) if p not in following]
        if not kept:
            return
        props, labels = [props[i] for i in kept], [labels[i] for i in kept]
        totals = [totals[i] for i in kept]
    start, end = resolve_range({"preset": panel.range, "tz": tz}, props, labels, totals)
    try:
        fetched = explore_data.load_all(
            props, labels, totals, start, end, whole=panel.range == "all"
        )
    except explore_data.FetchFailed as failed:
        show_error(failed.error, f"read {failed.label}")
        return
    for f in fetched:
        f.view.breaks = silences(f, start, end) if f.total else []
    series = [f.view for f in fetched if f.total]
    window = explore_data.PRESETS[panel.range][0]
    if not series:
        st.caption(f"No values in this window ({window.lower()}).")
        return
    fig = timeseries_figure(series, "overlay", tz, window=(start, end))
    fig.update_layout(height=260 if panel.size == "small" else 320)
    chart(fig, key=f"board_chart_{number}")
    st.caption(window + " · " + " · ".join(plain(v.note) for v in series if v.note))


def _last(items: list[Reachable]):
    """The newest value, from the cache every page shares (30 s per user and change). One's
    own property goes with its dimensions (its thing's cached detail): without them the
    client reads the property first, a request more. A shared one goes without: that read
    then happens inside the cache, not on every run."""
    r = items[0]
    client = shared_data.client_for(r.via)
    full = None if r.via else data.full_property(r.prop)
    return r, data.last_value(
        client, data.user_key(), data.version(), r.prop.thing_id, r.prop.id, r.count, full
    )


WHOLE_UP_TO = 5_000  # values: a property this small is read whole for its table


@st.cache_data(ttl=30, show_spinner=False, max_entries=500)
def _newest_rows(
    _client,
    user: str,
    version: int,
    thing_id: str,
    property_id: str,
    newest: int,
    rows: int,
    count: int,
) -> pd.DataFrame:
    """The newest ``rows`` values up to ``newest`` (ms) in as few requests as the count
    allows: a small property whole (one request), a big one a day before it, else a month
    (a sensor that wrote less than ``rows`` values that day)."""
    windows = (None,) if count <= WHOLE_UP_TO else (1, 30)
    frame = pd.DataFrame()
    for days in windows:
        start = 0 if days is None else newest - days * 86_400_000
        frame = _client.read_values(thing_id, property_id, start, newest)
        if len(frame) >= rows:
            break
    return frame.tail(rows)


def _dimension(panel: Panel, values: dict) -> tuple[str, object]:
    if panel.dimension and panel.dimension in values:
        return panel.dimension, values[panel.dimension]
    name = next(iter(values), "")
    return name, values.get(name)


def _unit(prop: Property, name: str) -> str:
    unit = next((d.unit for d in prop.dimensions if d.name == name), "")
    return f" {unit}" if unit else ""


def _when(at, tz: str) -> str:
    stamp = pd.Timestamp(at).tz_convert(tz)
    return f"at {stamp:%Y-%m-%d %H:%M:%S} ({tz}), {ago(stamp)}"


def _newest(panel: Panel, items: list[Reachable]):
    """(label, dimension, value, unit, time) of the panel's newest value; None (said) when
    the property has none."""
    r, last = _last(items)
    if last is None:
        st.caption(f"{plain(r.label)}: no values yet.")
        return None
    name, value = _dimension(panel, last.values)
    return r.label, name, value, _unit(_full(items)[0], name), last.timestamp


def _last_value(panel: Panel, number: int, items: list[Reachable], tz: str) -> None:
    newest = _newest(panel, items)
    if newest is None:
        return
    label, name, value, unit, at = newest
    shown = "no value" if value is None else f"{value}{unit}"
    over = isinstance(value, (int, float)) and panel.above is not None and value > panel.above
    st.metric(f"{plain(label)} · {plain(name)}", shown)
    if over:
        st.markdown(f":red-background[Above {panel.above:g}{unit}]")
    st.caption(_when(at, tz))


def _gauge(panel: Panel, number: int, items: list[Reachable], tz: str) -> None:
    newest = _newest(panel, items)
    if newest is None:
        return
    _label, name, value, unit, at = newest
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        st.caption(f"{plain(name)}: the last value is not a number ({plain(str(value))}).")
        return
    share = min(1.0, max(0.0, (value - panel.low) / (panel.high - panel.low)))
    outside = " (outside the bar's range)" if not panel.low <= value <= panel.high else ""
    st.progress(
        share,
        text=f"{plain(name)}: {value:g}{unit} on {panel.low:g} to {panel.high:g}{unit}{outside}",
    )
    st.caption(_when(at, tz))


def _map(panel: Panel, number: int, items: list[Reachable], tz: str) -> None:
    props = _full(items)
    labels, totals = [r.label for r in items], [r.count for r in items]
    start, end = resolve_range({"preset": "all", "tz": tz}, props, labels, totals)
    fetched = explore_data.load_all(props, labels, totals, start, end, whole=True)[0]
    if not fetched.total:
        st.caption(f"{plain(labels[0])}: no track yet.")
        return
    if fetched.view.kind != "map":
        st.caption(f"{plain(labels[0])} is not a location: a map needs latitude and longitude.")
        return
    chart(map_figure(fetched.view, tz, tiles_reachable()), key=f"board_map_{number}")


def _table(panel: Panel, number: int, items: list[Reachable], tz: str) -> None:
    r, last = _last(items)
    if last is None:
        st.caption(f"{plain(r.label)}: no values yet.")
        return
    client = shared_data.client_for(r.via)
    newest = int(pd.Timestamp(last.timestamp).timestamp() * 1000)
    frame = _newest_rows(
        client,
        data.user_key(),
        data.version(),
        r.prop.thing_id,
        r.prop.id,
        newest,
        panel.rows,
        r.count,
    )
    shown = frame.tail(panel.rows).iloc[::-1]
    table = pd.DataFrame({f"Time ({tz})": shown.index.tz_convert(tz).strftime("%Y-%m-%d %H:%M:%S")})
    for column in shown.columns:
        table[column] = shown[column].to_numpy()
    st.table(plain_table(table.set_index(f"Time ({tz})")))
    st.caption(
        f"{plain(r.label)}: the {count_of(len(shown), 'newest value')}, newest first ({tz})."
    )


def _note(panel: Panel, number: int, items: list[Reachable], tz: str) -> None:
    st.text(panel.text)  # as written: a note is a person's text, never markup


DRAW = {
    "chart": _chart,
    "last": _last_value,
    "gauge": _gauge,
    "map": _map,
    "table": _table,
    "note": _note,
}

"""Explore's choices (properties, range, zone, resolution, layout) and the address that
holds them: only what differs from the defaults, written once per action, and the URL
wins when it changed under the page (Back, Forward, a pasted link)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from bucket_client import Property
from dashboard.explore.custom_range import EARLIEST_MS, LATEST_MS, MIN_ALL_MS, custom_range_ui
from dashboard.explore.data import PRESETS, now_ms, preset_window
from dashboard.explore.spans import load_spans
from dashboard.shared import data
from dashboard.shared.text import plain
from dashboard.shared.zones import browser_tz

NARROW_KEY = "explore_narrow"
BACK_KEY = "explore_back"  # a double click on the chart asks for the view before
ZOOMS_KEY = "explore_zooms"  # the views chart gestures left, newest last
ZOOMS_KEPT = 50


URL_KEY = "explore_url"  # the query this page last wrote or saw


WIDGET_KEYS = (
    "explore_props",
    "explore_range",
    "explore_utc",
    "explore_raw",
    "explore_layout",
    "explore_from",
    "explore_to",
)


SHARED_PARAM, SHARED_KEY = "shared", "explore_include_shared"  # properties shared with me


def return_to_last_view() -> None:
    """Explore opened from the menu (an address with no view in it) shows the view this
    session left, as its address had it: a person who went to Things and came back found
    nothing chosen. Streamlit forgets a page's widgets when another page runs; the address
    this page last wrote is kept (``URL_KEY``)."""
    last = st.session_state.get(URL_KEY)
    if not st.query_params.to_dict() and last:
        st.query_params.from_dict(last)


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


def apply_back() -> None:
    """A double click on the chart last run: the view the last chart gesture left comes
    back, as a new history entry (Back still walks every step). Nothing to return to,
    nothing happens: the chart already shows the chosen window."""
    if not st.session_state.pop(BACK_KEY, False):
        return
    zooms, current = st.session_state.get(ZOOMS_KEY, []), st.query_params.to_dict()
    while zooms:
        previous = zooms.pop()
        if previous != current:
            st.query_params.from_dict(previous)  # follow_url then resets the widgets
            return


def apply_narrowing() -> None:
    """A range chosen on the chart last run becomes the custom range, finer resolution."""
    narrowed = st.session_state.pop(NARROW_KEY, None)
    if not narrowed:
        return
    zooms = st.session_state.setdefault(ZOOMS_KEY, [])
    zooms.append(st.query_params.to_dict())
    del zooms[:-ZOOMS_KEPT]
    write_url(
        {
            **st.query_params.to_dict(),
            "range": "custom",
            "from": str(narrowed[0]),
            "to": str(narrowed[1]),
        }
    )
    st.session_state["explore_range"] = "custom"
    st.session_state.pop("explore_chart", None)


def controls_ui(options: dict) -> dict:
    """Draw the choices; return them (and keep them in the URL)."""
    apply_back()
    follow_url()
    apply_narrowing()
    params = st.query_params
    labels = data.option_labels(options)
    keys = st.multiselect(
        "Properties",
        list(options),
        default=selected_keys(options),
        format_func=labels.__getitem__,
        key="explore_props",
        placeholder="Choose one or more properties",
    )
    range_options = list(PRESETS) + ["custom"]
    current = params.get("range") if params.get("range") in range_options else "24h"
    # its value through the Session State API only (a default beside it warns on every zoom)
    st.session_state.setdefault("explore_range", current)
    preset = st.segmented_control(
        "Time range",
        range_options,
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


def resolve_range(
    choice: dict, props: list[Property], labels: list[str], totals: list[int | None]
) -> tuple[int, int]:
    params = st.query_params
    end = now_ms()
    if choice["preset"] == "custom":
        start, stop = end - 86_400_000, end
        try:
            asked = int(params.get("from", start)), int(params.get("to", stop))
        except ValueError:
            asked = None
        if asked and all(EARLIEST_MS <= t <= LATEST_MS for t in asked):
            start, stop = asked
        else:
            st.warning(
                "The range in this address is not a time between 1970 and 2100 (from="
                + plain(str(params.get("from", ""))[:40])
                + ", to="
                + plain(str(params.get("to", ""))[:40])
                + "): showing the last 24 hours instead.",
                icon=":material/event_busy:",
            )
        return custom_range_ui(choice["tz"], start, stop)
    if choice["preset"] == "all":
        spans = [s for s in load_spans(props, labels, totals) if s]
        if not spans:
            return end - 86_400_000, end
        first, last = min(s[0] for s in spans), max(s[1] for s in spans)
        if last - first < MIN_ALL_MS:  # one value, or a burst: an hour around it, not 1 ms
            middle = (first + last) // 2
            return middle - MIN_ALL_MS // 2, middle + MIN_ALL_MS // 2
        return first, last
    return preset_window(choice["preset"], end)


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
    if st.session_state.get(SHARED_KEY):
        state[SHARED_PARAM] = "1"
    write_url(state)


def narrowed_range(box: tuple[str, str] | None, tz: str = "UTC") -> tuple[int, int] | None:
    """A range chosen on the chart (a box, a zoom, a pan): its time span, to fetch at a finer
    resolution. The chart's axis is the wall clock of ``tz``, so its times are read in it; a
    time the clock shows twice counts from its first to its second reading. Clamped to what
    Bucket can hold (1970 to 2100): a zoom out of 400 wheel notches is no error."""
    if not box or len(box) < 2:
        return None
    a, b = _axis_ms(box[0], tz, earlier=True), _axis_ms(box[1], tz, earlier=False)
    if a is None or b is None:
        return None
    first, last = sorted((a, b))
    return (first, last) if last > first else None


def _axis_ms(text: str, tz: str, earlier: bool) -> int | None:
    """Milliseconds since 1970 of a time read off the axis, clamped to EARLIEST..LATEST."""
    try:
        moment = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(moment):
        return None
    if moment.tzinfo is None:
        if not 1970 < moment.year < 2100:  # far out: no zone rule needed to clamp it
            return EARLIEST_MS if moment.year <= 1970 else LATEST_MS
        moment = moment.tz_localize(tz, ambiguous=earlier, nonexistent="shift_forward")
    ms = int(moment.as_unit("ms").asm8.view("i8"))
    return min(max(ms, EARLIEST_MS), LATEST_MS)

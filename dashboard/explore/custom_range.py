"""Explore's custom range: From and To typed in the person's zone, in a form of its own,
read back to the instants they name (what cannot be read is said, with the field)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard.shared.text import plain

EARLIEST_MS = 0  # 1970-01-01: Bucket's times are UNIX milliseconds
LATEST_MS = 4_102_444_800_000  # 2100-01-01
MIN_ALL_MS = 3_600_000  # "All data" shows at least an hour, centred on what there is


SHOWN_KEY = "explore_range_shown"  # the range (and zone) the From/To fields were set to
TYPED_FORMAT = "%Y-%m-%d %H:%M"
TYPED_SECONDS = "%Y-%m-%d %H:%M:%S"


def custom_range_ui(tz: str, start: int, end: int) -> tuple[int, int]:
    """From and To as text in the chosen zone (``2026-11-20 14:30``), in a form with its own
    button. Streamlit's date field took a typed date only on some ways out of it (a date
    typed, then Tab to its calendar button, then a click elsewhere, was dropped), so the
    fields are text, which every way of leaving keeps; Enter or "Show this range" applies
    them. Their values are set through the Session State API whenever the range changes
    under them (a zoom, Back, a link): a widget's own memory outlives a new default."""
    zone = ZoneInfo(tz)
    a = dt.datetime.fromtimestamp(start / 1000, zone)
    b = dt.datetime.fromtimestamp(end / 1000, zone)
    keys = ("explore_from", "explore_to")
    shown = (start, end, tz)
    if st.session_state.get(SHOWN_KEY) != shown or any(k not in st.session_state for k in keys):
        st.session_state.update({keys[0]: _typed(a), keys[1]: _typed(b)})
        st.session_state[SHOWN_KEY] = shown
    with st.form("explore_custom_range", border=False):
        cols = st.columns([2, 2, 1.3], vertical_alignment="bottom")
        hint = f"A date and time on the clock of {tz}, like {_typed(b)}."
        typed_from = cols[0].text_input("From", key=keys[0], help=hint, max_chars=19)
        typed_to = cols[1].text_input("To", key=keys[1], help=hint, max_chars=19)
        cols[2].form_submit_button("Show this range", icon=":material/date_range:")
    # The fields show minutes; a range narrowed on the chart is finer. Keep the exact bound
    # unless the visitor changed that field.
    first = _read_typed("From", typed_from, start, a, zone)
    last = _read_typed("To", typed_to, end, b, zone)
    st.caption(f"Times in {tz}.")
    first, last = (min(max(t, EARLIEST_MS), LATEST_MS) for t in (first, last))
    last = max(first + 1, last)
    # the fields now say this range: the next run, reading it from the address, must not
    # set them back (a typed From was reverted by the change after it)
    st.session_state[SHOWN_KEY] = (first, last, tz)
    return first, last


def _typed(moment: dt.datetime) -> str:
    return moment.strftime(TYPED_SECONDS if moment.second else TYPED_FORMAT)


def _read_typed(label: str, text: str, exact_ms: int, shown: dt.datetime, zone) -> int:
    """The instant a field names, read in ``zone`` (a time the clocks pass twice reads as
    its first); the bound shown when the field is unchanged or cannot be read (said)."""
    text = " ".join(str(text or "").replace("T", " ").split())
    if text == _typed(shown):
        return exact_ms
    for pattern in (TYPED_FORMAT, TYPED_SECONDS, "%Y-%m-%d"):
        try:
            chosen = dt.datetime.strptime(text, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
        return int(chosen.timestamp() * 1000)
    st.error(
        f"{label}: “{plain(text[:40])}” is not a date and time like {_typed(shown)}: "
        f"showing {_typed(shown)} instead.",
        icon=":material/event_busy:",
    )
    return exact_ms

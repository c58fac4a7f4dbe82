"""Times that are possible but rarely meant: asked about before anything is written.

A file's times before 2000 are usually a counter read as UNIX time; times in the future
usually a clock in another zone than the one the file was read in (a logger on UTC read as
Amsterdam's time, or the other way round). Either is stored only once the person ticks that
they are meant, never on a guess.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.shared.text import count_of, duration

EARLIEST = pd.Timestamp("2000-01-01", tz="UTC")
AHEAD_ALLOWED = pd.Timedelta(minutes=5)  # a clock a little fast is no question


def times_confirmed(index: pd.DatetimeIndex, tz: str) -> bool:
    """Whether the rows' times may be written: the unusual ones confirmed by a tick."""
    if index.min() < EARLIEST:
        early = int((index < EARLIEST).sum())
        if not st.checkbox(
            f"Yes, {count_of(early, 'row')} really {'dates' if early == 1 else 'date'} from "
            "before 2000 (the first: "
            f"{index.min().tz_convert(tz):%-d %b %Y %H:%M}): store them as they are",
            key="upload_pre_2000",
        ):
            st.warning(
                "Times before 2000 are usually a counter read as UNIX time (1970) or a wrong "
                "unit: check the time format above. Nothing is written until you confirm.",
                icon=":material/history:",
            )
            return False
    now = pd.Timestamp.now(tz="UTC")
    if index.max() > now + AHEAD_ALLOWED:
        ahead = int((index > now + AHEAD_ALLOWED).sum())
        lead = duration((index.max() - now).total_seconds())
        if not st.checkbox(
            f"Yes, {count_of(ahead, 'row')} {'lies' if ahead == 1 else 'lie'} in the future "
            "(the last: "
            f"{index.max().tz_convert(tz):%-d %b %Y %H:%M}, {lead} from now): store them as "
            "they are",
            key="upload_future",
        ):
            st.warning(
                f"Times in the future usually mean the file's clock is in another zone than "
                f"{tz}, the zone it was read in (a logger on UTC, or on the zone of another "
                "place): check the time format above. Nothing is written until you confirm.",
                icon=":material/update:",
            )
            return False
    return True

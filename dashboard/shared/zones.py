"""The visitor's time zone, as the browser reports it (``st.context.timezone``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st


def browser_tz() -> str:
    """The browser's IANA zone, or UTC when it is unknown or not a zone Python knows."""
    try:
        zone = st.context.timezone or "UTC"
        ZoneInfo(zone)
        return zone
    except Exception:
        return "UTC"

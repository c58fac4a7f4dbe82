"""The word that an action worked ("Created Frame"), said on the page after the rerun the
action ends with, once.

Not a toast: a toast's coming and going closed a selectbox's list under the typing of the
next entry (seen in Chromium: after "Create property", the type list of the next property
shut while its name was typed, one time in three).
"""

from __future__ import annotations

import streamlit as st

KEY = "_done_notice"


def tell_after_rerun(text: str) -> None:
    """``text`` is shown by the next ``show_done`` (the page the rerun draws)."""
    st.session_state[KEY] = text


def show_done() -> None:
    # the slot is there on every run, said or not: the elements below keep their place, and
    # with it their state (an expander a person opened stays open on the next run)
    slot = st.empty()
    text = st.session_state.pop(KEY, None)
    if text:
        slot.success(text, icon=":material/check_circle:")

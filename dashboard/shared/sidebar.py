"""The sidebar of a signed-in session: who, where, and sign out."""

from __future__ import annotations

import streamlit as st

from dashboard.shared.config import AppConfig


def draw_sidebar(config: AppConfig, auth: dict, menu=()) -> None:
    """The menu (one link per page), who is signed in, where the data lives, sign out."""
    user = auth.get("user") or {}
    with st.sidebar:
        for page in menu:
            st.page_link(page)
        if menu:
            st.divider()
        st.markdown(f"**{user.get('name') or 'Signed in'}**")
        if user.get("email"):
            st.caption(user["email"])
        where = (
            "Local sandbox (demo data on this machine)"
            if config.sandbox
            else config.settings.api_url
        )
        st.caption(f"Bucket: {where}", help="Where this app reads and writes.")
        st.markdown('<a href="/auth/logout" target="_self">Sign out</a>', unsafe_allow_html=True)

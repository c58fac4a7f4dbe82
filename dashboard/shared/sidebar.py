"""The sidebar of a signed-in session: who, where, and sign out."""

from __future__ import annotations

import html

import streamlit as st

from dashboard.shared.config import AppConfig
from dashboard.shared.page_style import shared_style
from dashboard.shared.preload import preload_chart_library
from dashboard.shared.public_address import public_root, root_path
from dashboard.shared.text import plain
from dashboard.signin import cookies


def draw_sidebar(config: AppConfig, auth: dict, menu=()):
    """The menu (one link per page), who is signed in, where the data lives, sign out;
    unseen, the chart library starts loading.
    Returns a placeholder for the request budget, filled once the page has run."""
    user = auth.get("user") or {}
    with st.sidebar:
        for page in menu:
            st.page_link(page)
        if menu:
            st.divider()
        st.markdown(f"**{plain(user.get('name') or 'Signed in')}**")
        if user.get("email"):
            st.caption(plain(user["email"]))
        where = (
            "Local sandbox (demo data on this machine)"
            if config.sandbox
            else config.settings.api_url
        )
        st.caption(f"Bucket: {where}", help="Where this app reads and writes.")
        budget_slot = st.empty()
        st.markdown(sign_out_form(config, auth), unsafe_allow_html=True)
        preload_chart_library()  # drawn before the page runs: loads while its data is fetched
    shared_style()
    return budget_slot


def sign_out_form(config: AppConfig, auth: dict) -> str:
    """Sign-out is a POST carrying a token signed for this session (a link or an image on
    another site cannot sign anyone out: they cannot know it)."""
    token = cookies.sign(config.cookie_secret, cookies.SIGN_OUT_PURPOSE, auth.get("sid") or "")
    return (
        f'<form method="post" action="{html.escape(public_root(), quote=True)}/auth/logout" '
        'target="_top" style="margin:0">'
        f'<input type="hidden" name="csrf" value="{html.escape(token, quote=True)}">'
        f'<input type="hidden" name="root" value="{html.escape(root_path(), quote=True)}">'
        '<button type="submit" style="background:none;border:none;padding:0;'
        'color:inherit;text-decoration:underline;cursor:pointer;font:inherit">'
        "Sign out</button></form>"
    )

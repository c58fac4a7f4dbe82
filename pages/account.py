"""Account: who is signed in, where, what the app may do, and sign out."""

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard.account.download_everything import download_everything_ui
from dashboard.router import guard
from dashboard.shared.budget import current as current_budget
from dashboard.shared.config import app_config
from dashboard.shared.sidebar import sign_out_form
from dashboard.shared.text import plain
from dashboard.shared.zones import browser_tz
from dashboard.signin.page import require_sign_in
from dashboard.signin.scopes import granted_scopes

config = app_config()
guard()
auth = require_sign_in()
user = auth.get("user") or {}
token = auth.get("token") or {}

st.title("Account")
left, right = st.columns(2)
with left:
    st.subheader(plain(user.get("name") or "Signed in"))
    st.text(user.get("email") or "")
    st.caption(f"Person id: {plain(str(user.get('sub', '')))}")
with right:
    st.metric("Bucket", "Local sandbox" if config.sandbox else "Real Bucket")
    st.caption(config.settings.api_url if not config.sandbox else "Runs inside this app")
scopes = granted_scopes(token) or []
st.write("**What this app may do:** " + (", ".join(f"`{s}`" for s in scopes) or "unknown"))
if token.get("expires_at"):
    tz = browser_tz()  # the app's one convention: the browser's zone, always named
    expiry = dt.datetime.fromtimestamp(float(token["expires_at"]), ZoneInfo(tz))
    st.caption(
        "The current access pass renews itself automatically "
        f"(next renewal after {expiry:%Y-%m-%d %H:%M}, {tz})."
    )
budget = current_budget()
if budget.remaining is not None:
    st.caption(
        f"Bucket request budget of this server: {budget.remaining} of {budget.limit} left this minute."
    )
download_everything_ui()
st.divider()
# the sidebar's form (a POST with this session's token): a link could not sign out
st.markdown(sign_out_form(config, auth), unsafe_allow_html=True)
st.caption("Signing out revokes this app's access to your Bucket and forgets the session.")

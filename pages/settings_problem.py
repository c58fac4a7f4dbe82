"""Shown instead of everything else when a setting is missing or malformed."""

import streamlit as st

from dashboard.router import guard
from dashboard.shared.config import app_config

guard()
config = app_config()
st.title("Bucket Dashboard needs its settings fixed")
st.write(f"Settings were read from **{config.source}**. What is wrong:")
for problem in config.problems:
    st.error(problem, icon=":material/settings:")
st.markdown(
    "**How to fix it.** On a laptop, put the settings in a `.env` file next to `app.py` "
    "(copy `.env.example`). On a hosted Streamlit server, put them in the app's secrets "
    "(see `.streamlit/secrets.toml.example`). A student needs only `OAUTH2_CLIENT_ID`, "
    "`OAUTH2_CLIENT_SECRET` and `OAUTH2_REDIRECT_URL` (this app's address + `/auth/callback`); "
    "the other URLs default to the real Bucket. Remove `OAUTH2_CLIENT_ID` to use the local "
    "sandbox instead. Then restart the app."
)

"""Sign in: one button that takes the browser to Bucket in the same tab."""

import streamlit as st

from dashboard import gate
from dashboard.config import app_config

config = app_config()
st.title("Bucket Dashboard")
st.write("Manage your Bucket things and properties, upload values, and explore them as charts.")

message = gate.flash_message(config)
if message:
    (st.success if "signed out" in message.lower() else st.warning)(message)

if config.sandbox:
    st.info(
        "**Local sandbox.** No Bucket credentials are configured, so this app runs on a Bucket "
        "sandbox on this machine, with demo data. Sign in as `demo@bucket.sandbox` with password "
        "`demo-password`. Configure `OAUTH2_CLIENT_ID` and friends to use the real Bucket.",
        icon=":material/science:",
    )
else:
    st.caption(f"Signing in at {config.settings.auth_url}")

st.markdown(
    '<a href="/auth/login" target="_self" class="bucket-signin" '
    'style="display:inline-block;padding:.6rem 1.2rem;border-radius:.5rem;background:#0b6bcb;'
    'color:white;text-decoration:none;font-weight:600">Sign in with Bucket</a>',
    unsafe_allow_html=True,
)

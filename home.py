"""The router and the gate: session keys, the page list for the signed-in state, navigation.

``streamlit run app.py`` serves this script (``app.py`` adds the HTTP routes).
AppTest runs it directly.
"""

import streamlit as st

from dashboard import gate
from dashboard.config import app_config
from dashboard.sidebar import draw_sidebar

st.set_page_config(page_title="Bucket Dashboard", page_icon=":material/sensors:", layout="wide")

config = app_config()
if config.problems:
    pages = [
        st.Page(
            "pages/settings_problem.py",
            title="Settings",
            icon=":material/settings:",
            url_path="settings",
        )
    ]
elif gate.signed_in(config):
    pages = [
        st.Page(
            "pages/things.py",
            title="Things",
            icon=":material/devices:",
            url_path="things",
            default=True,
        ),
        st.Page(
            "pages/explore.py", title="Explore", icon=":material/monitoring:", url_path="explore"
        ),
        st.Page("pages/upload.py", title="Upload", icon=":material/upload:", url_path="upload"),
        st.Page("pages/account.py", title="Account", icon=":material/person:", url_path="account"),
    ]
    draw_sidebar(config, st.session_state[gate.AUTH_KEY])
else:
    pages = [
        st.Page("pages/sign_in.py", title="Sign in", icon=":material/login:", url_path="sign-in")
    ]

st.navigation(pages).run()

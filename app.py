"""Bucket Dashboard's entry point: ``streamlit run app.py``.

An ASGI app: the sign-in routes (``/auth/*``) and, in zero-config mode, the embedded
sandbox (``/sandbox``) beside the Streamlit UI, all on the app's one port. The UI
itself is ``home.py``, which runs the navigation over ``pages/``.
"""

import streamlit as st

from dashboard.server import app_routes

app = st.App("home.py", routes=app_routes())

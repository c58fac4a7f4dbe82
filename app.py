"""Bucket Dashboard's entry point: ``streamlit run app.py``.

An ASGI app: the sign-in routes (``/auth/*``) and, in zero-config mode, the embedded
sandbox (``/sandbox``) beside the Streamlit UI, all on the app's one port. The UI
itself is ``home.py``, which runs the navigation over ``pages/``.
"""

import os

import streamlit as st
from starlette.middleware import Middleware

from dashboard.shared import memory
from dashboard.shared.body_limits import BodyLimits
from dashboard.shared.server import app_routes
from dashboard.shared.session_reaper import lifespan

# The data folder holds sign-in sessions, the cookie key and (zero-config) the sandbox's
# tokens: everything this process creates is readable by its own user only (0700/0600).
os.umask(0o077)

# Arrow's tables (a CSV being checked) on the system's allocator: freed memory goes back to
# the system after a session ends (dashboard/shared/memory.py).
memory.use_system_allocator()
memory.limit_arenas()  # sessions' script threads share malloc's arenas (memory.py)

# closed tabs' sessions are ended and their memory returned (see session_reaper); every
# body sent to the app's own routes is limited before it is read (see body_limits)
app = st.App("home.py", routes=app_routes(), middleware=[Middleware(BodyLimits)], lifespan=lifespan)

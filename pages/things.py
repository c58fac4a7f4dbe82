"""Things: the user's things, one thing's properties, and every change to them."""

import streamlit as st

from dashboard.router import guard
from dashboard.signin.page import require_sign_in
from dashboard.things.detail import thing_view
from dashboard.things.listing import THING_PARAM, list_view

guard()
require_sign_in()

thing_id = st.query_params.get(THING_PARAM)
if thing_id:
    thing_view(thing_id)
else:
    list_view()

import streamlit as st

from dashboard.gate import require_sign_in

require_sign_in()

st.title("Explore")
st.info("Coming soon.")

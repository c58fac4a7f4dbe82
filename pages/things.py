import streamlit as st

st.title("Things")
st.info("Coming soon.")

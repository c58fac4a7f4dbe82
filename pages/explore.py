import streamlit as st

st.title("Explore")
st.info("Coming soon.")

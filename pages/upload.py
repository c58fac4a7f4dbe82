import streamlit as st

st.title("Upload")
st.info("Coming soon.")

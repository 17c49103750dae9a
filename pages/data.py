import streamlit as st

from compute_ledger import ui

ui.context()
st.info("Coming soon: this page is being built.", icon=":material/construction:")

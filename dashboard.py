"""AI Compute Ledger: the entry file. Loads the data, draws the shared filters, runs the chosen page."""
import streamlit as st

from compute_ledger import ui
from compute_ledger.load import data_location

st.set_page_config(page_title="AI Compute Ledger", page_icon=":material/bolt:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/diversification.py", title="Diversification", icon=":material/hub:", url_path="diversification"),
    st.Page("pages/commitments.py", title="Commitments", icon=":material/timeline:", url_path="commitments"),
    st.Page("pages/capacity.py", title="Capacity", icon=":material/bolt:", url_path="capacity"),
    st.Page("pages/gap.py", title="Infrastructure gap", icon=":material/trending_down:", url_path="gap"),
    st.Page("pages/data.py", title="Data and sources", icon=":material/table:", url_path="data"),
]

with ui.first_runs_in_turn():
    page = st.navigation(PAGES)
    st.sidebar.caption("**AI Compute Ledger** · who buys AI compute from whom, for how much, and how much is built.")

    location = data_location()
    # The build's stored Overview carries the filter's options: with it, the first page a visitor opens
    # does not wait for the whole ledger to load (pages that need it load it; it is loaded once).
    stored = ui.stored_view(location)
    if stored:
        options = stored[1]
    else:
        ledger = ui.ledger(location)
        options = ui.filter_options_of(ledger) if ledger.has("deals", "companies") else None
    deal_filter = ui.sidebar_filter(options) if options else None
    if deal_filter is None:
        st.sidebar.error("Filters are unavailable: the deals or companies data could not be loaded.")
    ui.user_deals_notice()
    ui.set_context(location, deal_filter)
    page.run()

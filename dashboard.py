"""AI Compute Ledger: the entry file. Draws the shared filters, then runs the chosen page."""
import streamlit as st

# Imported in full before any session builds a chart: Plotly and narwhals look pandas up in sys.modules without
# importing it, so a session building a chart while another is still importing pandas (st.dataframe does on first
# use) would find it half imported ("partially initialized module 'pandas'").
import pandas  # noqa: F401

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis.metrics import checked_words
from compute_ledger.app import loading, sidebar
from compute_ledger.i18n import t
from compute_ledger.views.embed import QP_CHART

st.set_page_config(page_title="AI Compute Ledger", page_icon=":material/bolt:", layout="wide")

# The reader's language first, before anything is written (page titles included): from the sidebar's choice, or
# for a chart alone (no sidebar) from the link or the browser. It holds for this script run (i18n.set_language).
embedded = QP_CHART in st.query_params
i18n.set_language(sidebar.link_language()[0] if embedded else sidebar.language_choice())

PAGES = [
    st.Page("pages/overview.py", title=t("Overview"), icon=":material/dashboard:", default=True),
    st.Page("pages/diversification.py", title=t("Diversification"), icon=":material/hub:",
            url_path="diversification"),
    st.Page("pages/exposure.py", title=t("Exposure"), icon=":material/account_tree:", url_path="exposure"),
    st.Page("pages/commitments.py", title=t("Commitments"), icon=":material/timeline:", url_path="commitments"),
    st.Page("pages/capacity.py", title=t("Capacity"), icon=":material/bolt:", url_path="capacity"),
    st.Page("pages/gap.py", title=t("Infrastructure gap"), icon=":material/trending_down:", url_path="gap"),
    st.Page("pages/data.py", title=t("Data and sources"), icon=":material/table:", url_path="data"),
    st.Page("pages/company.py", title=t("Company profiles"), icon=":material/domain:", url_path="company"),
]

# One chart alone, for an <iframe> (views/embed.py): outside the navigation, and drawn without the sidebar.
EMBED = st.Page("pages/embed.py", title=t("Chart"), icon=":material/bar_chart:", url_path="embed",
                visibility="hidden")

# A chart alone shows no navigation either: Streamlit's `?embed=true` hides the header but not the pages' list. The
# `chart` parameter is the embed page's own, so it says, before the navigation is drawn, that this run is one.
page = st.navigation([*PAGES, EMBED], position="hidden" if embedded else "sidebar")
options = loading.filter_options()
if page.url_path == EMBED.url_path:
    loading.set_page_filter(sidebar.link_filter(options) if options else None)
    page.run()
    st.stop()
st.sidebar.caption(t("**AI Compute Ledger** · who buys AI compute from whom, for how much, and how much is built. "
                     "Data as of **{as_of}** (the newest source in the data); {checked}.",
                     as_of=fmt.day(loading.as_of()), checked=checked_words(loading.checked())))
deal_filter = sidebar.sidebar_filter(options) if options else None
if deal_filter is None:
    st.sidebar.error(t("Filters are unavailable: the deals or companies data could not be loaded."))
loading.user_deals_notice()
loading.set_page_filter(deal_filter)
page.run()

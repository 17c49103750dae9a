"""Multi-cloud diversification: how each lab's compute supply is spread, and since when."""
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.app import link_form, loading, messages, share, sidebar, tables, text
from compute_ledger.charts.common import plotly_config
from compute_ledger.i18n import t
from compute_ledger.views.common import link_in_reader_language, period_labels
from compute_ledger.views.diversification import (
    Chart, Table, buyer_view, concentration_title, controls_link_problems, diversification_view,
)

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals")
BOUND = {"bind": "query-params"}  # each control is kept in the page's link under its key

text.title(t("Multi-cloud diversification"))
# A link another language's binding wrote (`div_period=Jahr`) is first put in the reader's labels, then checked.
link_form.use_reader_language("div", lambda params: link_in_reader_language(params, {"div_period": period_labels}))
link_form.drop_unusable("div", controls_link_problems)
periods = period_labels()
intro = st.container()
with st.container(horizontal=True, vertical_alignment="bottom"):
    include_equity = st.toggle(
        t("Count suppliers' investments as supply"), value=True, key="div_equity",
        help=t("Microsoft's 2019-2023 investments in OpenAI, Amazon's and Google's in Anthropic came with (and were "
               "largely spent on) their clouds. Off: only purchase commitments count."), **BOUND)
    period = st.segmented_control(t("Period"), list(periods), default="quarter", key="div_period", required=True,
                                  format_func=periods.get, **BOUND)

view = loading.page_view(diversification_view, deal_filter, include_equity, period)
text.caption(where=intro, body=t("{scope}. OpenAI bought from Azure alone until 2024; since then Oracle, CoreWeave, "
                                  "Google Cloud, AWS and chipmakers have joined, while AWS sells to both OpenAI and "
                                  "Anthropic.", scope=view.scope))
if view.clear_provider:
    st.button(text.md(view.clear_provider), key="div_clear_provider", icon=":material/close:",
              on_click=sidebar.clear_provider_filter)
if view.supply_deals == 0:
    messages.no_rows(t("No supply deals match this filter. Widen the dates or clear a filter in the sidebar."))
    st.stop()


def sources(table: Table | None, key: str) -> None:
    if table:
        tables.sources_expander(table.rows, table.columns, label=table.label, newest_by=table.newest_by, key=key,
                                companies=data["companies"] if table.named else None)


def show(chart: Chart, chart_key: str, table_key: str, embed_name: str) -> None:
    if chart.figure is None:
        text.info(chart.empty)
        return
    st.plotly_chart(chart.figure, key=chart_key, config=plotly_config())
    share.embed_share(embed_name)
    if chart.caption:
        text.caption(chart.caption)
    sources(chart.table, table_key)


# 1. Shares by provider, in dollars and in gigawatts: a click on a segment filters every page by its provider
text.subheader(view.shares_title)
EMBED_SHARES = ("diversification-share-usd", "diversification-share-gw")  # untranslated: the charts' ids in links
for column, chart, key, embed_name in zip(st.columns(2), view.shares, ("div_share_usd", "div_share_gw"),
                                         EMBED_SHARES):
    with column:
        text.markdown(fmt.markdown("**{heading}**", heading=chart.heading))
        if chart.figure is None:
            text.info(chart.empty)
            continue
        event = st.plotly_chart(chart.figure, key=key, on_select="rerun", selection_mode="points",
                                config=plotly_config())
        share.embed_share(embed_name)
        sidebar.filter_by_chart_selection(key, event)
text.caption(view.shares_caption)
sources(view.supply, "div_sources")

# 2. Share over time for one buyer
text.subheader(t("How one buyer's supply spread out"))
link_form.drop_unusable("div_buyer", view.buyer_link_problems)
focus = st.selectbox(t("Buyer"), view.buyers, index=view.buyers.index(view.default_buyer) if view.buyers else None,
                     format_func=view.buyer_names.get, key="div_buyer", **BOUND)
as_percent = st.toggle(t("Show as shares (%)"), key="div_percent", **BOUND)
if focus is not None:
    show(loading.page_view(buyer_view, deal_filter, include_equity, period, focus, as_percent).history,
         "div_history", "div_buyer_sources",
         "diversification-buyer-history")  # untranslated: the chart's id in links

# 3. Concentration over time
text.subheader(concentration_title(view, focus))
text.markdown(fmt.md(t("**How to read it:** the Herfindahl-Hirschman index (HHI) adds up the squared percentage shares "
                       "of a buyer's suppliers, on a 0-10,000 scale. Azure-only = 10,000; five equal suppliers = "
                       "2,000. *Effective suppliers* = 10,000 ÷ HHI: how many equal-sized suppliers would give the "
                       "same concentration.")))
show(view.concentration, "div_hhi", "div_concentration_data",
     "diversification-concentration")  # untranslated: the chart's id in links

# 4. Money flows
text.subheader(view.flows_title)
show(view.flows, "div_sankey", "div_links_data", "diversification-flows")  # untranslated: the chart's id in links

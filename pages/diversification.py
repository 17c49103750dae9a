"""Multi-cloud diversification: how each lab's compute supply is spread, and since when."""
import streamlit as st

from compute_ledger.analysis import diversification as dv
from compute_ledger.charts import diversification as charts
from compute_ledger.analysis import metrics
from compute_ledger.app import loading, messages, sidebar, tables
from compute_ledger import formatting as fmt
from compute_ledger.analysis.commitments import cumulative_commitments
from compute_ledger.analysis.filters import apply_deal_filter, describe

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals")
companies = data["companies"]
options = loading.filter_options()
names = dict(companies.select("company_id", "name").iter_rows())

st.title("Multi-cloud diversification")
st.caption(f"Showing {fmt.escape_markdown(describe(deal_filter, options))}. OpenAI bought from Azure alone until "
           "2024; since then Oracle, CoreWeave, Google Cloud, AWS and chipmakers have joined, while AWS sells to "
           "both OpenAI and Anthropic.")

with st.container(horizontal=True, vertical_alignment="bottom"):
    include_equity = st.toggle(
        "Count suppliers' investments as supply", value=True, key="div_equity",
        help="Microsoft's 2019-2023 investments in OpenAI, Amazon's and Google's in Anthropic came with (and were "
             "largely spent on) their clouds. Off: only purchase commitments count.")
    period = st.segmented_control("Period", ["quarter", "year"], default="quarter", key="div_period", required=True,
                                  format_func=str.capitalize)

if deal_filter.providers:
    st.button(f"Clear provider filter ({', '.join(options.label(p) for p in deal_filter.providers)})",
              key="div_clear_provider", icon=":material/close:", on_click=sidebar.clear_provider_filter)

supply = metrics.with_names(
    dv.supply_rows(apply_deal_filter(data["deals"], deal_filter), companies, include_equity),
    companies, {"buyer_id": "buyer", "provider_id": "provider"})
if supply.is_empty():
    st.info("No supply deals match this filter. Widen the dates or clear a filter in the sidebar.",
            icon=":material/search_off:")
    st.stop()

MAX_BUYERS = 12
SOURCE_COLUMNS = ["announced", "buyer", "provider", "deal_type", "value_usd_bn", "capacity_gw", "status",
                  "description", "source_title", "source_url"]

# 1. Shares by provider, in dollars and in gigawatts
usd_all = dv.provider_shares(supply, "usd")
concentration = dv.concentration_by_buyer(usd_all)
shown_buyers = concentration.head(MAX_BUYERS)["buyer_id"].implode()  # the largest buyers; all of them at this data size
usd_shares, gw_shares = (
    metrics.with_names(dv.top_providers(shares.filter(shares["buyer_id"].is_in(shown_buyers))), companies,
                       {"buyer_id": "buyer", "provider_id": "provider"})
    for shares in (usd_all, dv.provider_shares(supply, "gw")))
st.subheader(charts.shares_takeaway(concentration, names))


left, right = st.columns(2)
for column, shares, weight, key in ((left, usd_shares, "usd", "div_share_usd"), (right, gw_shares, "gw", "div_share_gw")):
    with column:
        st.markdown(f"**By {charts.WEIGHT_WORDS[weight]}**")
        if shares.filter(shares["amount"] > 0).is_empty():
            st.info(f"No deal in this selection discloses its {'value' if weight == 'usd' else 'capacity'}.")
            continue
        event = st.plotly_chart(charts.share_bars(shares, weight), key=key, on_select="rerun",
                                selection_mode="points")
        sidebar.filter_by_chart_selection(key, event)
undisclosed = usd_shares.filter(usd_shares["undisclosed"] > 0)
st.caption("Click a segment to filter every page by that provider. Deals without a disclosed value (not in the "
           "dollar bars): " + ("; ".join(f"{r['buyer']} ← {r['provider']} {r['undisclosed']}"
                                        for r in undisclosed.iter_rows(named=True)) or "none") + ".")
tables.sources_expander(supply, SOURCE_COLUMNS, newest_by="announced", key="div_sources")

# 2. Share over time for one buyer
st.subheader("How one buyer's supply spread out")
buyers = concentration["buyer_id"].to_list() or supply["buyer_id"].unique().sort().to_list()
focus = st.selectbox("Buyer", buyers, index=buyers.index("openai") if "openai" in buyers else 0,
                     format_func=options.label, key="div_buyer")
as_percent = st.toggle("Show as shares (%)", key="div_percent")
history = metrics.with_names(
    cumulative_commitments(supply.filter(supply["buyer_id"] == focus), by="provider_id", measure="usd", period=period,
                           rows_are_commitments=True), companies, {"provider_id": "provider"})
if history.is_empty():
    st.info(f"{options.label(focus)} has no supply with a disclosed value in this selection.")
else:
    st.plotly_chart(charts.share_over_time(history, as_percent), key="div_history")
    tables.sources_expander(supply.filter(supply["buyer_id"] == focus).sort("announced"), SOURCE_COLUMNS,
                        key="div_buyer_sources")

# 3. Concentration over time
over_time = metrics.with_names(dv.concentration_over_time(supply, "usd", period), companies, {"buyer_id": "buyer"})
st.subheader(charts.concentration_takeaway(over_time, options.label(focus)))
st.markdown("**How to read it:** the Herfindahl-Hirschman index (HHI) adds up the squared percentage shares of a "
            "buyer's suppliers, on a 0-10,000 scale. Azure-only = 10,000; five equal suppliers = 2,000. "
            "*Effective suppliers* = 10,000 ÷ HHI: how many equal-sized suppliers would give the same concentration.")
if over_time.is_empty():
    st.info("No concentration history in this selection.")
else:
    st.plotly_chart(charts.concentration_chart(over_time), key="div_hhi")
    st.caption("Computed on cumulative disclosed dollars at the end of each period. Bands: US merger-guideline "
               "thresholds (1,500 and 2,500).")
    tables.sources_expander(over_time, ["buyer", "period", "hhi", "effective_suppliers", "suppliers", "total"],
                        label="Data: concentration by buyer and period (the deals are in the first table)",
                        key="div_concentration_data")

# 4. Money flows
st.subheader("Money flows: who pays whom, and who invests back")
flows = dv.money_flows(apply_deal_filter(data["deals"], deal_filter), companies)
circular = dv.circular_pairs(flows)
if flows.is_empty():
    st.info("No deal in this selection has a disclosed value.")
else:
    st.plotly_chart(charts.money_flow_sankey(flows), key="div_sankey")
    st.caption(f"The {flows.height} largest links. Grey bands: purchase commitments, buyer → provider. Amber bands: equity, drawn on the same path; the "
               "money flows the other way (the provider invested in the buyer). Where both appear, money goes round: "
               + ("; ".join(f"{names.get(b, b)} ↔ {names.get(p, p)}" for b, p in circular.iter_rows()) or "none here")
               + ". Hover a band for the deals and sources behind it.")
    tables.sources_expander(flows.with_columns(flows["deal_ids"].list.join(", ")),
                        ["buyer", "provider", "flow", "value_usd_bn", "deals", "deal_ids"],
                        label="Data: the links (each deal and its source is in the first table)",
                        key="div_links_data")

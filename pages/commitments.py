"""Commitments over time: the deal timeline, running totals, contract terms and the spend schedule."""
import streamlit as st

from compute_ledger.charts import commitments as charts
from compute_ledger.analysis import commitments
from compute_ledger.analysis import metrics
from compute_ledger.app import loading, messages, sidebar, tables
from compute_ledger import formatting as fmt
from compute_ledger.analysis.filters import apply_deal_filter, describe

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "milestones")
companies = data["companies"]
deals = metrics.with_names(apply_deal_filter(data["deals"], deal_filter), companies,
                           {"buyer_id": "buyer", "provider_id": "provider"})

st.title("Commitments over time")
st.caption(f"Showing {fmt.escape_markdown(describe(deal_filter, loading.filter_options()))}. From Microsoft's "
           "first USD 1B in 2019 to the multi-hundred-billion contracts of 2025 and 2026.")
if deals.is_empty():
    st.info("No deals match this filter. Widen the dates or clear a filter in the sidebar.", icon=":material/search_off:")
    st.stop()

with st.container(horizontal=True, vertical_alignment="bottom"):
    measure = st.segmented_control("Measure", ["usd", "gw"], default="usd", key="cmt_measure", required=True,
                                   format_func={"usd": "US dollars", "gw": "Gigawatts"}.get)
    period = st.segmented_control("Period", ["quarter", "year"], default="quarter", key="cmt_period", required=True,
                                  format_func=str.capitalize)
    group = st.segmented_control("Group by", ["provider", "buyer"], default="provider", key="cmt_group",
                                 required=True, format_func=str.capitalize)
    log_y = st.toggle("Log scale", key="cmt_log", help="Spreads out the small deals next to the USD 100B+ ones.")

SOURCE_COLUMNS = ["announced", "buyer", "provider", "deal_type", "value_usd_bn", "capacity_gw", "status",
                  "start_year", "end_year", "term_years", "description", "source_title", "source_url", "source_date"]

MAX_DEALS_DRAWN, MAX_TERMS_DRAWN = 1_500, 60

# 1. Timeline
st.subheader(fmt.md(charts.timeline_takeaway(deals, measure)))
drawn, left_out = commitments.largest(deals, MAX_DEALS_DRAWN, "value_usd_bn" if measure == "usd" else "capacity_gw")
st.plotly_chart(charts.deal_timeline_chart(drawn, colour_by=group, measure=measure, log_y=log_y),
                key="cmt_timeline")
st.caption("Marker size grows with GW where known. Filled: signed, announced or completed; diamond: letter of "
           "intent; open circle: rumoured; square: paused; ×: cancelled. Undisclosed deals sit in the bottom lane."
           + (f" Drawn: the {MAX_DEALS_DRAWN:,} largest of {deals.height:,} deals; the totals below count all."
              if left_out else ""))
tables.sources_expander(deals, SOURCE_COLUMNS, newest_by="announced", key="cmt_sources")

# 2. Cumulative commitments
cumulative = commitments.cumulative_commitments(deals, by=group, measure=measure, period=period)
if cumulative.is_empty():
    st.subheader("Cumulative commitments")
    st.info("No commitment in this selection has a disclosed " + ("value." if measure == "usd" else "capacity."))
else:
    events = commitments.key_events(data["deals"], data["milestones"])
    st.subheader(fmt.md(charts.cumulative_takeaway(cumulative, measure)))
    st.plotly_chart(charts.cumulative_chart(cumulative, group, events, measure), key="cmt_cumulative")
    st.caption("Key events (dotted lines): " + " · ".join(
        f"**{i}** {fmt.escape_markdown(e['label'])} ({fmt.month(e['date'])})"
        for i, e in enumerate(events.iter_rows(named=True), start=1))
        + ". Equity investments and cancelled deals are not commitments and are left out.")
    tables.sources_expander(cumulative, ["period", group, "added", "cumulative"],
                        label="Data: running totals by period (the deals are in the first table)",
                        key="cmt_running_data")

# 3. Contract terms
terms = commitments.contract_terms(deals)
if terms.is_empty():
    st.subheader("Contract terms")
    st.info("No deal in this selection has a reported term.")
else:
    st.subheader(charts.terms_takeaway(terms))
    terms_drawn, terms_left_out = commitments.largest(terms, MAX_TERMS_DRAWN)
    st.plotly_chart(charts.contract_terms_chart(terms_drawn.sort("buyer_id", "first_year", "deal_id"),
                              loading.today()), key="cmt_terms")
    st.caption("Only deals with a reported end year or contract length; a year-level term is drawn from 1 January "
               "to 31 December." + (f" Drawn: the {MAX_TERMS_DRAWN} largest of {terms.height:,}." if terms_left_out
                                    else ""))
    tables.sources_expander(terms, ["deal_id", "buyer", "provider", "value_usd_bn", "first_year", "last_year",
                                "term_basis", "description", "source_title", "source_url"], newest_by="announced",
                        key="cmt_terms_sources")

# 4. Annual spend schedule
st.subheader("When the money falls due")
default_term = st.slider("Assumed length for deals that report none (years)", 1, 15,
                         commitments.DEFAULT_TERM_YEARS, key="cmt_term")
schedule = commitments.annual_spend_schedule(deals, default_term, period, by=(group,))
unscheduled = commitments.unscheduled_count(deals)
st.markdown(
    "**Assumption:** each deal's value is spread evenly over its term, because no deal publishes a payment "
    "profile. The term runs from the start year (else the announcement year) to the end year; without one, "
    f"over the reported length; without that, over **{default_term} years** (set above). "
    f"{unscheduled} commitments have no disclosed value and cannot be scheduled.")
if schedule.is_empty():
    st.info("No commitment in this selection has a disclosed value to schedule.")
else:
    spend = commitments.spend_by_period(schedule, group)
    st.markdown(fmt.md(f"##### {charts.schedule_takeaway(spend, period)}"))
    st.plotly_chart(charts.spend_schedule_chart(spend, group, period), key="cmt_schedule")
    if measure == "gw":
        st.caption("The schedule is in dollars: capacity has no payment profile.")
    spread = commitments.scheduled_deals(deals, default_term)
    assumed = spread.filter(spread["term_basis"] == commitments.TERM_ASSUMED).height
    st.caption(f"{assumed} of {spread.height} scheduled deals use the assumed length.")
    tables.sources_expander(spread, ["deal_id", "buyer", "provider", "value_usd_bn", "first_year", "last_year",
                                 "term_basis", "source_title", "source_url"], newest_by="announced",
                        key="cmt_spend_sources")

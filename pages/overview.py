"""Overview: the headline numbers for executives, under the shared filter."""
import streamlit as st

from compute_ledger import charts, ui
from compute_ledger import formatting as fmt
from compute_ledger.filters import apply_deal_filter, describe

location, deal_filter = ui.chosen_filter()
view, options = ui.overview(location, deal_filter)  # unfiltered: stored by the build, so no deal is read first

st.title("The AI compute build-out")
st.markdown(fmt.md(view.story))
st.caption(f"Showing {fmt.escape_markdown(describe(deal_filter, options))} · data as of {fmt.day(view.as_of)} · "
           "every figure links to its source below and on the Data page.")

numbers, cover, fleet = view.numbers, view.cover, view.fleet
if numbers.deals == 0:
    st.info("No deals match this filter. Widen the dates or clear a filter in the sidebar.", icon=":material/search_off:")
    st.stop()

with st.container(horizontal=True):
    st.metric("Committed", fmt.usd_bn(numbers.committed_usd_bn), border=True,
              help="Sum of disclosed values of compute, chip, data-centre, power and manufacturing deals "
                   f"that are not cancelled. {numbers.undisclosed} such deals have no disclosed value and add nothing. "
                   "Equity investments are counted separately; overlapping rows only if you include them.")
    st.metric("Equity invested", fmt.usd_bn(numbers.equity_usd_bn), border=True,
              help="Capital invested in labs by their suppliers and investors: not a purchase of compute.")
    st.metric("Deals", fmt.count(numbers.deals), border=True)
    st.metric("Providers", fmt.count(numbers.providers), border=True)
    st.metric("Contracted capacity", fmt.gw(numbers.contracted_gw), border=True,
              help="Compute capacity named in deals that are not cancelled or paused: planned, not built. "
                   "Power purchase agreements are not counted.")
    fleet_label = ("Operating fleet" if fleet.is_empty() else
                   f"Operating fleet ({', '.join(options.label(c) for c in fleet['company_id'])}, "
                   f"{fmt.month(fleet['fleet_date'].max())})")
    st.metric(fleet_label, fmt.gw(fleet["fleet_gw"].sum()) if fleet.height else fmt.UNDISCLOSED, border=True,
              help="Latest operating compute fleet the company itself reported. Only OpenAI reports one so far.")
    if cover:
        st.metric(f"{options.label(cover.buyer_id)} commitments ÷ {cover.revenue_label}", fmt.multiple(cover.ratio),
                  border=True,
                  help=fmt.md(f"{fmt.usd_bn(cover.commitments_usd_bn)} of disclosed commitments in this filter, "
                              f"divided by {fmt.usd_bn(cover.revenue_usd_bn)} of {cover.revenue_label}."))
    else:
        st.metric("Commitments ÷ revenue", "n/a", border=True,
                  help="Pick one buyer with published revenue (OpenAI, Anthropic) to see how many years of "
                       "revenue its commitments represent.")

by_provider = view.by_provider
st.subheader(fmt.md(charts.commitments_takeaway(by_provider)))
st.plotly_chart(ui.figure(charts.commitments_by_provider_chart, view.bars, view.segments), key="ovw_by_provider")
hidden = by_provider.filter(by_provider["committed_usd_bn"] == 0)
if hidden.height:
    st.caption("Deals with no disclosed value (not drawn): "
               + ", ".join(f"{r['provider']} ({r['undisclosed']})" for r in hidden.iter_rows(named=True)) + ".")


def filtered_deals():
    return apply_deal_filter(ui.context()[0]["deals"], deal_filter)


ui.sources_expander(filtered_deals, ["announced", "buyer", "provider", "deal_type", "value_usd_bn", "capacity_gw",
                                     "status", "description", "source_title", "source_url", "source_date"],
                    newest_by="announced", companies=lambda: ui.context()[0]["companies"], key="ovw_sources")
st.page_link("pages/data.py", label="All sources, the data dictionary and downloads", icon=":material/table:")

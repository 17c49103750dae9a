"""Overview: the headline numbers for executives, under the shared filter."""
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.app import loading, messages, tables
from compute_ledger.views.overview import overview_view

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "milestones", "financials")
view = loading.page_view(overview_view, deal_filter)

st.title("The AI compute build-out")
st.markdown(fmt.md(view.story))
st.caption(fmt.escape_markdown(view.scope) + " · every figure links to its source below and on the Data page.")
if view.deals == 0:
    messages.no_rows()
    st.stop()

with st.container(horizontal=True):
    for total in view.totals:
        shown = fmt.usd_bn(total.value) if total.unit == "usd_bn" else fmt.gw(total.value)
        beside = (f"+ {fmt.usd_bn(total.beside) if total.unit == 'usd_bn' else fmt.gw(total.beside)} "
                  f"{' or '.join(total.beside_tiers)}, not counted") if total.beside else None
        st.metric(total.label, shown, delta=beside, delta_color="off", delta_arrow="off", border=True,
                  help=fmt.md(total.counts + (f" {total.undisclosed} such deals have no disclosed figure and add "
                                              "nothing." if total.undisclosed else "")))
    for card in view.cards:
        st.metric(card.label, card.value, border=True, help=fmt.md(card.help))
for i, total in enumerate(view.totals):
    tables.how_built(total, data["companies"], key=f"ovw_how_built_{i}")

st.subheader(fmt.md(view.takeaway))
st.plotly_chart(view.chart, key="ovw_by_provider")
if view.undisclosed_caption:
    st.caption(fmt.escape_markdown(view.undisclosed_caption))
tables.sources_expander(view.sources, ["announced", "buyer", "provider", "deal_type", "layer", "firmness", "value_usd_bn",
                                      "capacity_gw", "status", "description", "source_title", "source_url",
                                      "source_kind", "source_date"],
                        newest_by="announced", companies=data["companies"], key="ovw_sources")
st.page_link("pages/data.py", label="All sources, the data dictionary and downloads", icon=":material/table:")

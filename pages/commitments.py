"""Commitments over time: the deal timeline, running totals, contract terms and the spend schedule."""
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.analysis.commitments import DEFAULT_TERM_YEARS
from compute_ledger.app import link_form, loading, messages, share, tables, text
from compute_ledger.views.commitments import (
    GROUPS, MEASURES, PERIODS, TERM_RANGE, Section, commitments_view, controls_link_problems,
)

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "milestones")
BOUND = {"bind": "query-params"}  # each control is kept in the page's link under its key

text.title("Commitments over time")
link_form.drop_unusable("cmt", controls_link_problems)
intro = st.container()
# The controls are drawn before the view they choose, then taken away again if the filter keeps no deal.
controls = st.empty()
with controls.container(horizontal=True, vertical_alignment="bottom"):
    measure = st.segmented_control("Measure", list(MEASURES), default="usd", key="cmt_measure", required=True,
                                   format_func=MEASURES.get, **BOUND)
    period = st.segmented_control("Period", list(PERIODS), default="quarter", key="cmt_period", required=True,
                                  format_func=PERIODS.get, **BOUND)
    group = st.segmented_control("Group by", list(GROUPS), default="provider", key="cmt_group",
                                 required=True, format_func=GROUPS.get, **BOUND)
    log_y = st.toggle("Log scale", key="cmt_log", help="Spreads out the small deals next to the USD 100B+ ones.",
                      **BOUND)
upper = st.container()
schedule_controls = st.empty()
with schedule_controls.container():
    text.subheader("When the money falls due")
    default_term = st.slider("Assumed length for deals that report none (years)", int(TERM_RANGE.low),
                             int(TERM_RANGE.high), DEFAULT_TERM_YEARS, int(TERM_RANGE.step), key="cmt_term", **BOUND)

view = loading.page_view(commitments_view, deal_filter, measure, period, group, log_y, default_term, loading.today())
text.caption(where=intro, body=view.scope + ". From Microsoft's first USD 1B in 2019 to the multi-hundred-billion "
              "contracts of 2025 and 2026.")
if view.deals == 0:
    controls.empty()
    schedule_controls.empty()
    with intro:
        messages.no_rows()
    st.stop()


def show(section: Section, chart_key: str, table_key: str, heading: bool = True) -> None:
    if heading:
        text.subheader(section.title)
    elif section.title:
        text.markdown(fmt.md("##### ") + section.title)
    if section.figure is None:
        text.info(section.empty)
        return
    st.plotly_chart(section.figure, key=chart_key)
    share.embed_share("commitments-" + chart_key.removeprefix("cmt_"))
    for caption in section.captions:
        text.caption(caption)
    if section.table:
        tables.sources_expander(section.table.rows, section.table.columns, label=section.table.label,
                                newest_by=section.table.newest_by, key=table_key,
                                companies=data["companies"] if section.table.named else None)


with upper:
    show(view.timeline, "cmt_timeline", "cmt_sources")
    show(view.cumulative, "cmt_cumulative", "cmt_running_data")
    show(view.terms, "cmt_terms", "cmt_terms_sources")
text.markdown(view.assumption)
show(view.schedule, "cmt_schedule", "cmt_spend_sources", heading=False)

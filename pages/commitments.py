"""Commitments over time: the deal timeline, running totals, contract terms and the spend schedule."""
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.analysis.commitments import DEFAULT_TERM_YEARS
from compute_ledger.app import link_form, loading, messages, share, tables, text
from compute_ledger.charts.common import plotly_config
from compute_ledger.i18n import t
from compute_ledger.views.common import link_in_reader_language, period_labels
from compute_ledger.views.commitments import (
    TERM_RANGE, Section, commitments_view, controls_link_problems, group_choice_labels, link_labels, measure_labels,
)

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "milestones")
BOUND = {"bind": "query-params"}  # each control is kept in the page's link under its key

text.title(t("Commitments over time"))
# A link another language's binding wrote (`cmt_group=Käufer`) is first put in the reader's labels, then checked.
link_form.use_reader_language("cmt", lambda params: link_in_reader_language(params, link_labels()))
link_form.drop_unusable("cmt", controls_link_problems)
measures, periods, groups = measure_labels(), period_labels(), group_choice_labels()
intro = st.container()
# The controls are drawn before the view they choose, then taken away again if the filter keeps no deal.
controls = st.empty()
with controls.container(horizontal=True, vertical_alignment="bottom"):
    measure = st.segmented_control(t("Measure"), list(measures), default="usd", key="cmt_measure", required=True,
                                   format_func=measures.get, **BOUND)
    period = st.segmented_control(t("Period"), list(periods), default="quarter", key="cmt_period", required=True,
                                  format_func=periods.get, **BOUND)
    group = st.segmented_control(t("Group by"), list(groups), default="provider", key="cmt_group",
                                 required=True, format_func=groups.get, **BOUND)
    log_y = st.toggle(t("Log scale"), key="cmt_log", help=t("Spreads out the small deals next to the USD 100B+ ones."),
                      **BOUND)
upper = st.container()
schedule_controls = st.empty()
with schedule_controls.container():
    text.subheader(t("When the money falls due"))
    default_term = st.slider(t("Assumed length for deals that report none (years)"), int(TERM_RANGE.low),
                             int(TERM_RANGE.high), DEFAULT_TERM_YEARS, int(TERM_RANGE.step), key="cmt_term", **BOUND)

view = loading.page_view(commitments_view, deal_filter, measure, period, group, log_y, default_term, loading.today())
text.caption(where=intro, body=t("{scope}. From Microsoft's first USD 1B in 2019 to the multi-hundred-billion "
                                  "contracts of 2025 and 2026.", scope=view.scope))
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
    st.plotly_chart(section.figure, key=chart_key, config=plotly_config())
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

"""Overview: the headline numbers for executives, under the shared filter; what is new since a date; the brief."""
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.app import loading, messages, tables, text
from compute_ledger.app.share import embed_share
from compute_ledger.brief import link as brief_link
from compute_ledger.brief import make_brief
from compute_ledger.brief import render as brief_render
from compute_ledger.i18n import t
from compute_ledger.views.overview import (
    QP_SINCE, beside_note, card_help, largest_column_labels, overview_view, shown_value, since_choice,
)

KEY_SINCE_WARNING, KEY_SINCE_SEEDED = "ovw_since_warning", "ovw_since_seeded"

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "milestones", "financials")

# "New since": the link's date on a session's first visit (every bad value named; the last good one, or the default,
# used). The address is rewritten to the date used, so the URL binding, which reads the address on every rerun and
# would take a refused "2025-1-1" as 1 Jan, agrees with the warning.
choice = loading.page_view(since_choice, None, tuple(st.query_params.get_all(QP_SINCE)))
if st.session_state.get(QP_SINCE) is None:
    st.session_state[QP_SINCE] = choice.value
    if not st.session_state.get(KEY_SINCE_SEEDED):
        st.session_state[KEY_SINCE_WARNING] = choice.warning
        st.session_state[KEY_SINCE_SEEDED] = True
        if choice.warning:  # and run again: the binding reads the address as the run starts
            st.query_params[QP_SINCE] = choice.value.isoformat()
            st.rerun()
view = loading.page_view(overview_view, deal_filter, st.session_state[QP_SINCE])

text.title(t("The AI compute build-out"))
text.markdown(view.story)
text.caption(t("{scope} · every figure links to its source below and on the Data page.", scope=view.scope))
if st.session_state.get(KEY_SINCE_WARNING):
    text.warning(st.session_state[KEY_SINCE_WARNING], icon=":material/link_off:")

problem = brief_render.renderer_problem()
share = brief_link.share_link(brief_link.base_url(st.context.url), deal_filter, view.since, i18n.language())
if problem:
    st.download_button(t("Download brief (PDF)"), data=b"", disabled=True, key="ovw_brief", help=text.md(problem),
                       icon=":material/picture_as_pdf:")
    text.caption(problem)
else:
    # Made on click (Streamlit runs the callable when the button is pressed and shows it working meanwhile). If its
    # chart cannot be drawn, the brief comes without it and says why; so does this button, on the next rerun.
    chart_failure = brief_render.recent_failure()
    # The language goes with the callable: Streamlit may run it on the click, outside this run's language.
    language = i18n.language()
    st.download_button(t("Download brief (PDF)"), data=lambda: make_brief(view, share, loading.today(), language),
                       file_name=t("ai-compute-brief-{date}.pdf", date=view.as_of), mime="application/pdf",
                       key="ovw_brief", on_click="ignore", icon=":material/picture_as_pdf:",
                       help=t("Two A4 pages for this filter and firmness choice: the cards, the chart, the largest "
                              "deals, what is new, the counting rules and a link back to this view; then where each "
                              "figure comes from. The last brief's chart could not be drawn: {reason}.",
                              reason=chart_failure) if chart_failure else
                       t("Two A4 pages for this filter and firmness choice: the cards, the chart, the largest deals, "
                         "what is new, the counting rules and a link back to this view; then where each figure comes "
                         "from."))
    if chart_failure:
        text.caption(t("The last brief was made without its chart: {reason}. It is tried again on each click.",
                       reason=chart_failure))
if view.deals == 0:
    messages.no_rows()
    st.stop()

with st.container(horizontal=True):
    for total in view.totals:
        text.metric(total.label, shown_value(total), delta=beside_note(total), delta_color="off", delta_arrow="off",
                  border=True, help=card_help(total))
    for card in view.cards:
        text.metric(card.label, card.value, border=True, help=card.help)
if view.financing_note:
    text.caption(view.financing_note)
for i, total in enumerate(view.totals):
    tables.how_built(total, data["companies"], key=f"ovw_how_built_{i}")

text.subheader(view.takeaway)
st.plotly_chart(view.chart, key="ovw_by_provider")
embed_share("overview-by-provider")  # untranslated: the chart's id in links
if view.undisclosed_caption:
    text.caption(view.undisclosed_caption)

text.subheader(view.largest_heading)
# The frame keeps its English column names (the brief reads them); the reader sees them in their language.
headers = largest_column_labels()
st.dataframe(view.largest, hide_index=True, key="ovw_largest",
             column_config={**headers, "Source": st.column_config.LinkColumn(
                 headers["Source"], display_text=r"https?://(?:www\.)?([^/]+)")})

text.subheader(view.news_heading)
st.date_input(t("New since"), min_value=choice.earliest, max_value=choice.latest, key=QP_SINCE,
              format="YYYY-MM-DD", bind="query-params",
              on_change=lambda: st.session_state.update({KEY_SINCE_WARNING: None}),
              help=t("Deals announced, and deals or milestones whose status changed, after this date. "
                     "Defaults to 30 days before the data's 'as of' date."))
text.markdown(view.news_summary)
for line in view.news:
    text.markdown(fmt.markdown("**{day}** · {text}  \n:{colour}[{effect}] · [{title}]({url})", day=fmt.day(line.date),
                               text=line.text, colour=fmt.md("green" if line.counted else "gray"),
                               effect=line.effect, title=line.source_title, url=fmt.link_target(line.source_url)))
text.caption(" ".join(view.rules))

tables.sources_expander(view.sources, ["announced", "buyer", "provider", "deal_type", "layer", "firmness", "value_usd_bn",
                                      "capacity_gw", "status", "description", "source_title", "source_url",
                                      "source_kind", "source_date"],
                        newest_by="announced", companies=data["companies"], key="ovw_sources")
text.page_link("pages/data.py", label=t("All sources, the data dictionary and downloads"), icon=":material/table:")

"""One chart alone, for an <iframe>: `/embed?chart=<name>&…filter and page inputs…` (open with `&embed=true`).

Hidden from the navigation; dashboard.py draws no sidebar for it and reads the filter from the link instead.
"""
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.app import link_form, loading, messages, share, sidebar, text
from compute_ledger.charts.capacity import MAP_CONFIG
from compute_ledger.i18n import t
from compute_ledger.views.embed import CHARTS, QP_CHART, embed_view, input_problems

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "milestones", "financials")
for warning in sidebar.link_filter_warnings():
    text.warning(warning, icon=":material/link_off:")

name = st.query_params.get(QP_CHART)
if name in CHARTS:
    link_form.drop_unusable("embed", lambda params: input_problems(data.tables, deal_filter, name, params))
params = tuple(sorted((key, tuple(st.query_params.get_all(key))) for key in share.current_params()))
view = loading.page_view(embed_view, deal_filter, name, params, loading.today())
if view.unknown:
    text.warning(view.unknown, icon=":material/link_off:")
    st.stop()

chart, shown = view.chart, view.shown
full_view = share.view_link(share.app_address(share.EMBED_PATH), chart.url_path, share.current_params())
if shown.title:
    text.markdown(fmt.markdown("**{title}**", title=shown.title))
# Under the title, so a frame of any height shows where the chart comes from and how to open the rest.
text.caption(fmt.markdown(t("Data as of {day} · Source: AI Compute Ledger, compiled from the reports cited row by "
                            "row (CC BY 4.0) · [Open the full view]({url})"), day=fmt.day(loading.as_of()),
                          url=fmt.link_target(full_view)))
if shown.figure is None:
    messages.no_rows(shown.empty)
else:
    st.plotly_chart(shown.figure, key="embed_chart", config=MAP_CONFIG if chart.is_map else None)
if shown.caption:
    text.caption(shown.caption)

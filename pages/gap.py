"""The infrastructure gap: revenue against commitments, and a scenario model whose inputs live in the URL."""
import streamlit as st
from streamlit.errors import StreamlitAPIException

from compute_ledger import i18n
from compute_ledger.app import link_form, loading, messages, share, tables, text
from compute_ledger.i18n import t
from compute_ledger.views.gap import (
    KEY_BUYER, KEY_PRESET, comparison_columns, gap_controls, gap_view, year_columns,
)

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "financials")
controls = loading.page_view(gap_controls, deal_filter)

text.title(t("The infrastructure gap"))
text.caption(controls.intro)
if not controls.buyers:
    messages.no_rows(controls.no_buyer)
    st.stop()

# A link's preset named in the other language (the binding writes the label shown) is put in this language's words
# before the inputs are first drawn, so a German link opens the same scenario in English and the other way round.
if not st.session_state.get("gap_link_checked"):
    preset_label = controls.preset_in_this_language({KEY_PRESET: st.query_params.get_all(KEY_PRESET)})
    if preset_label:
        try:
            st.query_params[KEY_PRESET] = preset_label
        except StreamlitAPIException:  # already bound: the binding keeps the address itself
            pass
        else:
            st.rerun()  # the binding reads the address as a run starts

# A shared link's values the inputs cannot take (past a slider's end, off its step, not a number, an unknown buyer
# or preset) are dropped and named before the inputs are first drawn.
link_form.drop_unusable("gap", controls.link_problems)


def apply_preset() -> None:
    """Move every slider to the chosen buyer's chosen preset (on buyer/preset change and on reset)."""
    st.session_state.update(controls.preset_values(st.session_state[KEY_BUYER], st.session_state[KEY_PRESET]))


with st.container(horizontal=True, vertical_alignment="bottom"):
    buyer = st.selectbox(t("Buyer"), controls.buyers, index=controls.buyers.index(controls.preferred),
                         format_func=controls.label, key=KEY_BUYER, bind="query-params", on_change=apply_preset)
    preset = st.selectbox(t("Preset"), list(controls.preset_names), format_func=controls.preset_names.get,
                          key=KEY_PRESET, bind="query-params", on_change=apply_preset)
    st.button(t("Reset to preset"), key="gap_reset", on_click=apply_preset, icon=":material/restart_alt:")

sliders = controls.sliders(buyer, preset)
inputs = {}
for column, group in zip(st.columns(2), (sliders[:3], sliders[3:])):
    with column:
        for s in group:
            inputs[s.name] = st.slider(text.md(s.label), s.low, s.high, s.value, s.step, key=s.key, bind="query-params",
                                       format=s.format, help=text.md(s.help) if s.help else None)

view = loading.page_view(gap_view, deal_filter, buyer, preset, *(inputs[s.name] for s in sliders))
if view.empty:
    messages.no_rows(view.empty)
    st.stop()
if view.thin_data:
    text.info(view.thin_data, icon=":material/info:")

with st.container(horizontal=True):
    for metric in view.metrics:
        text.metric(metric.label, metric.value, border=True, help=metric.help)

# 1. Revenue vs commitments
text.subheader(view.revenue_title)
st.plotly_chart(view.revenue_chart, key="gap_revenue")
share.embed_share("gap-revenue")
text.caption(view.revenue_caption)
tables.sources_expander(view.reported, ["year", "metric", "period", "value_usd_bn", "is_projection", "estimator",
                                        "description", "source_title", "source_url"], key="gap_reported_sources")

# 2. The scenario
text.subheader(view.scenario_title)
st.plotly_chart(view.scenario_chart, key="gap_scenario")
share.embed_share("gap-scenario")
with st.expander(t("The preset's assumptions and where each comes from")):
    headers = year_columns()
    st.dataframe(view.assumptions, hide_index=True, placeholder=tables.MISSING,
                 column_config={"input": headers["input"], "source": headers["source"]})
    # German amounts are written by the reader's browser (Streamlit's "dollar" format is English).
    money_format = "localized" if i18n.language() == "de" else "dollar"
    money = {column: st.column_config.NumberColumn(headers[column], format=money_format)
             for column in ("revenue", "compute_budget", "spend", "funding_need", "cumulative_need", "cumulative_gap")}
    st.dataframe(view.years, hide_index=True, placeholder=tables.MISSING, column_config={
        **money, "year": st.column_config.NumberColumn(headers["year"], format="%d"),
        "covered": st.column_config.CheckboxColumn(headers["covered"])})

# 3. Uncertainty
text.subheader(view.uncertainty_title)
st.plotly_chart(view.fan_chart, key="gap_fan")
share.embed_share("gap-fan")
text.caption(view.fan_caption)

# 4. Comparison with published estimates
text.subheader(t("Beside published estimates"))
estimates = comparison_columns()
st.dataframe(view.comparison, hide_index=True, placeholder=tables.MISSING, column_config={
    "estimate": estimates["estimate"], "scope": estimates["scope"], "amount": estimates["amount"],
    "what": st.column_config.TextColumn(estimates["what"], width="large"),
    "source_url": tables.column_config()["source_url"]})
if view.cross_check:
    text.markdown(view.cross_check)

"""Exposure: who depends on whom, what happens if a buyer stops paying, and where money goes round."""
from functools import partial

import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.app import link_form, loading, messages, share, tables, text
from compute_ledger.i18n import t
from compute_ledger.views.exposure import (
    KEY_BUYERS, KEY_LOOP, KEY_PAID, KEY_PRESET, KEY_START, PAID_RANGE, START_RANGE, Table, exposure_controls,
    exposure_view, page_link_problems, stress_view,
)

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "financials")
BOUND = {"bind": "query-params"}  # each input is kept in the page's link under its key


def _number(label: str, english_format: str) -> dict:
    """A number column: in English as the page has always written it; in German the header names the unit and the
    reader's browser writes the number (Streamlit's printf formats know only the decimal point)."""
    return st.column_config.NumberColumn(label, format="localized" if i18n.language() == "de" else english_format)


def page_columns() -> dict:
    """Columns of the page's own tables beyond the shared ones (tables.column_config()), in the reader's language.
    Shares are Streamlit's "percent", which the browser writes in the reader's locale."""
    money = {column: _number(label, "$%.2f bn") for column, label in (
        ("backlog_usd_bn", t("Backlog (USD bn)")), ("from_end_users", t("From end users")),
        ("from_providers", t("From providers")), ("beside_usd_bn", t("Not counted (other tiers)")),
        ("financed_usd_bn", t("Invested or lent (beside)")), ("reported_rpo", t("Reported RPO / backlog")),
        ("reported_revenue", t("Reported revenue")), ("reported_capex", t("Reported capex")),
        ("reported_total_debt", t("Reported total debt")), ("unpaid_usd_bn", t("Not paid (USD bn)")),
        ("due_usd_bn", t("Falls due (USD bn)")), ("peak_year_usd_bn", t("Worst year (USD bn)")),
        ("link_usd_bn", t("Link (USD bn)")), ("due_from_start_usd_bn", t("Falls due from start")),
        ("unfunded_usd_bn", t("Left unfunded")))}
    shares = {column: st.column_config.NumberColumn(label, format="percent") for column, label in (
        ("largest_share", t("Largest customer's share")), ("share", t("Share of its backlog")),
        ("ledger_of_reported_rpo", t("Ledger ÷ reported RPO")), ("peak_of_revenue", t("Worst year ÷ revenue")),
        ("of_reported_backlog", t("Not paid ÷ reported RPO")))}
    other = {"hhi": _number("HHI", "%.0f"),
             "effective_customers": _number(t("Effective customers"), "%.1f"),
             "largest_customer": t("Largest customer"), "reported_by": t("Figures reported by"),
             "customer": t("Customer"), "customers": t("Customers"), "undisclosed": t("Undisclosed"),
             "first_year": st.column_config.NumberColumn(t("From"), format="%d"),
             "last_year": st.column_config.NumberColumn(t("To"), format="%d"),
             "loop": t("Loop"), "step": t("Step"), "payer": t("Payer"), "payee": t("Payee"),
             "link_deals": t("Rows in link"), "exposure": t("Exposure"), "holder": t("Who holds it"),
             "counterparty": t("Counterparty"), "stressed_buyer": t("Buyer stressed")}
    return {**money, **shares, **other}


def data_table(table: Table, key: str) -> None:
    """A table of the page's own numbers, one click away (not a list of deals: no names to add)."""
    if table.rows.is_empty():
        return
    with st.expander(text.md(table.label), key=key):
        st.dataframe(table.rows.select(table.columns), hide_index=True, placeholder=tables.MISSING,
                     column_config={**tables.column_config(), **page_columns()})


controls = loading.page_view(exposure_controls, deal_filter)
view = loading.page_view(exposure_view, deal_filter)

text.title(t("Who is exposed to whom"))
text.caption(controls.intro)
text.caption(view.scope)
# A shared link's preset named in the other language (the sender's) is put as this language names it, and the
# values the inputs cannot take are dropped and named, before the inputs are first drawn.
if not st.session_state.get("exp_link_checked"):
    in_this_language = controls.link_in_this_language({KEY_PRESET: st.query_params.get_all(KEY_PRESET)})
    if in_this_language:
        link_form.use_binding_form(in_this_language, [KEY_PRESET])
link_form.drop_unusable("exp", partial(page_link_problems, controls, view))

with st.container(horizontal=True):
    for card in view.cards:
        text.metric(card.label, card.value, border=True, help=card.help)

# 1. Backlog by customer, concentration
text.subheader(view.takeaway)
if view.empty:
    text.info(view.empty)
else:
    st.plotly_chart(view.backlog_chart, key="exp_backlog")
    share.embed_share("exposure-backlog")  # untranslated: the chart's id in links
    text.caption(view.backlog_caption)
    text.markdown(fmt.md(t("**How to read it:** the Herfindahl-Hirschman index (HHI) adds up the squared percentage "
                           "shares of a provider's customers (0-10,000): one customer = 10,000. *Effective customers* "
                           "= 10,000 ÷ HHI. Reported figures are the provider's own (or its parent's), the latest in "
                           "the ledger.")))
    data_table(view.providers, "exp_providers_data")
    data_table(view.customers, "exp_customers_data")
    data_table(view.figures, "exp_figures_data")
    tables.sources_expander(view.backlog_rows, ["deal_id", "announced", "buyer", "provider", "deal_type", "layer",
                                                "firmness", "status", "value_usd_bn", "source_title", "source_url"],
                            key="exp_backlog_sources",
                            label=t("Data: the contracts behind the backlog (largest first)"),
                            companies=data["companies"])

# 2. The stress test
text.subheader(t("If a buyer does not pay"))


def apply_preset() -> None:
    """Move every input to the chosen preset (on a preset change and on reset); the custom preset moves none."""
    st.session_state.update(controls.preset_values(st.session_state[KEY_PRESET]))


presets = list(controls.presets)
preset = st.selectbox(t("Preset"), presets, index=presets.index(controls.default_preset),
                      format_func=controls.preset_label, key=KEY_PRESET, on_change=apply_preset, **BOUND)
chosen = controls.preset_values(preset) or controls.preset_values(controls.default_preset)
with st.container(horizontal=True, vertical_alignment="bottom"):
    buyers = st.multiselect(t("Buyers who do not pay in full"), controls.buyers, default=chosen[KEY_BUYERS],
                            format_func=controls.label, key=KEY_BUYERS, **BOUND)
    paid = st.slider(t("Share of what falls due that they pay (%)"), int(PAID_RANGE.low), int(PAID_RANGE.high),
                     chosen[KEY_PAID], int(PAID_RANGE.step), key=KEY_PAID, **BOUND)
    start = st.slider(t("From the year"), int(START_RANGE.low), int(START_RANGE.high), chosen[KEY_START],
                      key=KEY_START, **BOUND)
    st.button(t("Reset to preset"), key="exp_reset", on_click=apply_preset, icon=":material/restart_alt:")

stress = loading.page_view(stress_view, deal_filter, tuple(buyers), paid, start)
if stress.empty:
    text.info(stress.empty)
else:
    text.markdown(fmt.markdown("**{title}**", title=stress.title))
    with st.container(horizontal=True):
        for card in stress.cards:
            text.metric(card.label, card.value, border=True, help=card.help)
    st.plotly_chart(stress.chart, key="exp_unpaid")
    share.embed_share("exposure-unpaid")  # untranslated: the chart's id in links
    text.caption(stress.caption)
    data_table(stress.by_provider, "exp_stress_providers")
    data_table(stress.by_year, "exp_stress_years")
    text.markdown(fmt.markdown("**{title}**", title=stress.chain_title))
    data_table(stress.chain, "exp_chain")
    tables.sources_expander(stress.schedule.rows, stress.schedule.columns, key="exp_schedule_sources",
                            label=stress.schedule.label, newest_by="announced", companies=data["companies"])

# 3. Money loops
text.subheader(view.loops_title)
if view.loops:
    labels = view.loop_labels
    loop = st.selectbox(t("Loop drawn"), list(labels), format_func=labels.get, key=KEY_LOOP, **BOUND)
    st.plotly_chart(view.loop_figure(loop), key="exp_loop_graph")
    share.embed_share("exposure-loops")  # untranslated: the chart's id in links
    text.caption(t("Arrows: money from payer to payee, purchases (buyer → provider) and financing (investor or lender "
                   "→ investee); counted tiers only, never a cancelled row. Amber: the loop chosen. A loop is valued "
                   "at its smallest link: no more than that can go all the way round."))
    data_table(view.loop_rows, "exp_loop_rows")

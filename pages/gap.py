"""The infrastructure gap: revenue against commitments, and a scenario model whose inputs live in the URL."""
import dataclasses

import polars as pl
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.charts import gap as charts
from compute_ledger.analysis import gap_model as model
from compute_ledger.app import loading, messages, sidebar, tables
from compute_ledger.analysis.filters import DealFilter, apply_deal_filter

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "financials")
financials, options = data["financials"], loading.filter_options()

st.title("The infrastructure gap")
st.caption("Compute commitments are paid over years; revenue has to grow into them. Recognised revenue, "
           "run-rates and projections are kept apart. Test your own assumptions below: every input is in the "
           "link, so a shared URL reproduces the exact scenario.")

candidates = [b for b in ("openai", "anthropic") if model.presets(financials, b)]
if not candidates:
    st.info("No buyer in the data has both revenue and commitments to model.")
    st.stop()
preferred = next((b for b in (deal_filter.buyers if deal_filter else ()) if b in candidates), candidates[0])

# Link values: warn about any that cannot be used (the widgets would otherwise drop them silently).
if "gap_link_checked" not in st.session_state:
    st.session_state["gap_link_checked"] = True
    link = {k: st.query_params.get(k) for k in st.query_params if k.startswith("gap_")}
    warnings = []
    # Bound select boxes write their shown label into the link (gap_buyer=OpenAI, gap_preset=Analyst+bear).
    buyer_labels = [options.label(b) for b in candidates]
    if "gap_buyer" in link and link["gap_buyer"] not in buyer_labels:
        warnings.append(f"The link's gap_buyer '{str(link['gap_buyer'])[:40]}' cannot be modelled (choose "
                        f"{' or '.join(buyer_labels)}); showing {options.label(preferred)}.")
    if "gap_preset" in link and link["gap_preset"] not in model.PRESET_NAMES.values():
        warnings.append(f"The link's gap_preset '{str(link['gap_preset'])[:40]}' is not one of: "
                        f"{', '.join(model.PRESET_NAMES.values())}; using the company plan.")
    st.session_state["gap_link_warnings"] = warnings + model.read_scenario_params(
        link, model.presets(financials, preferred)[model.PRESET_PLAN].scenario)[1]
for warning in st.session_state.get("gap_link_warnings", []):
    st.warning(fmt.escape_markdown(warning), icon=":material/link_off:")

SLIDERS = ("growth", "growth_decay", "compute_share", "pacing", "external_funding", "default_term_years")


def apply_preset() -> None:
    """Move every slider to the chosen buyer's chosen preset (on buyer/preset change and on reset)."""
    chosen = model.presets(financials, st.session_state["gap_buyer"])[st.session_state["gap_preset"]].scenario
    for name in SLIDERS:
        st.session_state[f"gap_{name}"] = getattr(chosen, name)
    st.session_state["gap_link_warnings"] = []


with st.container(horizontal=True, vertical_alignment="bottom"):
    buyer = st.selectbox("Buyer", candidates, index=candidates.index(preferred), format_func=options.label,
                         key="gap_buyer", bind="query-params", on_change=apply_preset)
    preset_name = st.selectbox("Preset", list(model.PRESET_NAMES), format_func=model.PRESET_NAMES.get,
                               key="gap_preset", bind="query-params", on_change=apply_preset)
    st.button("Reset to preset", key="gap_reset", on_click=apply_preset, icon=":material/restart_alt:")
presets = model.presets(financials, buyer)
preset = presets[preset_name]
base = preset.scenario

left, right = st.columns(2)
with left:
    growth = st.slider("Revenue growth in the first year", 0.0, 3.0, base.growth, 0.01, key="gap_growth",
                       bind="query-params", format="percent", help=preset.notes["growth"])
    decay = st.slider("Growth slowdown per year", 0.0, 0.9, base.growth_decay, 0.01, key="gap_growth_decay",
                      bind="query-params", format="percent",
                      help="Each year's growth is this much lower than the year before's. " + preset.notes["growth_decay"])
    share = st.slider("Share of revenue available for compute", 0.05, 1.0, base.compute_share, 0.05,
                      key="gap_compute_share", bind="query-params", format="percent", help=preset.notes["compute_share"])
with right:
    pacing = st.slider("Pacing: share of what falls due that is drawn each year", 0.3, 1.0, base.pacing, 0.05,
                       key="gap_pacing", bind="query-params", format="percent",
                       help="Below 100 %, part of each year's spend slips to the next (a slower build-out).")
    funding = st.slider("External funding raised", 0.0, 2000.0, base.external_funding, 10.0, format="$%.0f bn",
                        key="gap_external_funding", bind="query-params", help=preset.notes["external_funding"])
    term = st.slider("Assumed length of deals without one (years)", 1, 15, base.default_term_years,
                     key="gap_default_term_years", bind="query-params")

scenario = dataclasses.replace(base, growth=growth, growth_decay=decay, compute_share=share, pacing=pacing,
                               external_funding=funding, default_term_years=int(term))
commitments = apply_deal_filter(data["deals"], dataclasses.replace(deal_filter or DealFilter(), buyers=(buyer,)))
schedule = model.schedule_for(commitments, buyer, scenario.default_term_years)
if schedule.is_empty():
    st.info(f"{options.label(buyer)} has no commitment with a disclosed value under the current filter.")
    st.stop()
result = model.run_scenario(schedule, scenario)
covered = model.coverage_year(result)
gap_2030 = model.gap_in(result, 2030)
peak = result.sort("funding_need", descending=True).row(0, named=True)

thin = []
if not presets[model.PRESET_PLAN].notes["start_revenue"].split(" (")[0].endswith("revenue"):
    thin.append(f"{options.label(buyer)} publishes no full-year recognised revenue: the model starts from its "
                f"latest annualised run-rate ({fmt.usd_bn(base.start_revenue)}), which overstates the year's revenue.")
if "none in the data" in preset.notes["external_funding"]:
    thin.append("No equity raised is recorded for it, so external funding starts at zero.")
if thin:
    st.info(fmt.md(" ".join(thin)), icon=":material/info:")

with st.container(horizontal=True):
    st.metric("Cumulative gap by 2030", fmt.usd_bn(max(gap_2030, 0)) if gap_2030 is not None else "n/a", border=True,
              help=fmt.md("Spend drawn minus revenue available for compute up to 2030, less external funding "
                          "raised. " + ("A surplus of " + fmt.usd_bn(-gap_2030) + "."
                                        if gap_2030 is not None and gap_2030 < 0 else "")))
    st.metric("Revenue covers spend from", str(covered) if covered else f"not by {scenario.end_year}", border=True)
    st.metric(f"Largest yearly shortfall ({peak['year']})", fmt.usd_bn(max(peak["funding_need"], 0)), border=True)
    st.metric(f"Revenue in {scenario.end_year}", fmt.usd_bn(result["revenue"][-1]), border=True)

# 1. Revenue vs commitments
due = schedule.group_by("year").agg(pl.col("spend_usd_bn").sum()).sort("year")
st.subheader(fmt.md(f"{options.label(buyer)}: {fmt.usd_bn(due['spend_usd_bn'].sum())} of disclosed commitments against "
             f"{fmt.usd_bn(base.start_revenue)} of {presets[model.PRESET_PLAN].notes['start_revenue'].split(' (')[0]}"))
reported = model.reported_revenue(financials, buyer)
st.plotly_chart(charts.revenue_vs_commitments(reported, due, result, buyer), key="gap_revenue")
st.caption("Solid: recognised revenue. Diamonds: annualised run-rates (not the same thing). Dashed: the company's own "
           "projections; dotted: analysts'. Bars: the commitments' annual schedule (straight-line, see the Commitments "
           "page). Shaded: the scenario's cumulative gap.")
tables.sources_expander(reported, ["year", "metric", "period", "value_usd_bn", "is_projection", "estimator", "description",
                               "source_title", "source_url"], key="gap_reported_sources")

# 2. The scenario
st.subheader(f"{model.PRESET_NAMES[preset_name]} scenario: "
             + (f"revenue covers spend from {covered}" if covered else f"revenue never covers spend by {scenario.end_year}"))
st.plotly_chart(charts.scenario_chart(result), key="gap_scenario")
with st.expander("The preset's assumptions and where each comes from"):
    st.dataframe(pl.DataFrame({"input": list(preset.notes), "source": list(preset.notes.values())}), hide_index=True,
                 placeholder=tables.MISSING)
    money = {column: st.column_config.NumberColumn(label, format="dollar")
             for column, label in (("revenue", "Revenue (USD bn)"), ("compute_budget", "For compute (USD bn)"),
                                   ("spend", "Spend drawn (USD bn)"), ("funding_need", "Funding need (USD bn)"),
                                   ("cumulative_need", "Cumulative need (USD bn)"),
                                   ("cumulative_gap", "Cumulative gap after funding (USD bn)"))}
    st.dataframe(result, hide_index=True, placeholder=tables.MISSING, column_config={
        **money, "year": st.column_config.NumberColumn("Year", format="%d"),
        "covered": st.column_config.CheckboxColumn("Revenue covers spend")})

# 3. Uncertainty
band = model.monte_carlo(schedule, scenario)
at_2030 = band.years.index(2030) if 2030 in band.years else -1
st.subheader(fmt.md(f"Uncertainty: by 2030 the gap is {fmt.usd_bn(band.p50[at_2030])} in the median case, "
             f"{fmt.usd_bn(band.p10[at_2030])} to {fmt.usd_bn(band.p90[at_2030])} in 8 of 10 outcomes"))
st.plotly_chart(charts.fan_chart(band), key="gap_fan")
st.caption("4,000 seeded draws: first-year growth varies by ±25 % (1 s.d.), the slowdown by ±0.05, pacing by ±0.1 "
           "around your inputs. Negative values are a surplus.")

# 4. Comparison with published estimates
rows = []
for name, each in presets.items():
    alt = dataclasses.replace(each.scenario, default_term_years=scenario.default_term_years)
    value = model.gap_in(model.run_scenario(model.schedule_for(commitments, buyer, alt.default_term_years), alt), 2030)
    rows.append({"estimate": f"This model, {model.PRESET_NAMES[name].lower()}", "scope": options.label(buyer),
                 "value_usd_bn": value, "what": "cumulative gap 2025-2030 after funding raised (negative = surplus)",
                 "source_url": None})
for row in model.published_estimates(financials, buyer).iter_rows(named=True):
    rows.append({"estimate": row["estimator"] or "", "scope": options.label(row["company_id"]),
                 "value_usd_bn": row["value_usd_bn"], "what": row["description"], "source_url": row["source_url"]})
st.subheader("Beside published estimates")
# Amounts as text: a table of six rows needs no numeric sort, and "-$183 bn" or "$2 tn" read better than "$-183 bn".
estimates = pl.DataFrame(rows).with_columns(
    amount=pl.col("value_usd_bn").map_elements(fmt.usd_bn, return_dtype=pl.String, skip_nulls=False))
st.dataframe(estimates.select("estimate", "scope", "amount", "what", "source_url"), hide_index=True,
             placeholder=tables.MISSING, column_config={
                 "estimate": "Estimate", "scope": "Scope", "amount": "Amount",
                 "what": st.column_config.TextColumn("What it measures", width="large"),
                 "source_url": tables.COLUMN_CONFIG["source_url"]})

check = model.sequoia_check(financials)
if check:
    st.markdown(fmt.md(
        f"**Cross-check in the style of Sequoia's 'AI's $600B question':** Nvidia's data-centre revenue ran at "
        f"{fmt.usd_bn(check['accelerator_run_rate'])} a year (quarter to {fmt.day(check['as_of'])}, × 4). Double it for "
        f"the rest of the data centre (buildings, power), double again for the end users' margin: the industry must "
        f"earn about **{fmt.usd_bn(check['needed'])} of AI revenue a year**. The two largest labs' latest run-rates "
        f"add up to {fmt.usd_bn(check['labs_run_rate'])} ("
        + ", ".join(f"{options.label(c)} {fmt.usd_bn(v)}" for c, v in check["labs"]) + ")."))

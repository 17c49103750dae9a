"""Everything the Infrastructure gap page shows, as values. No Streamlit here.

Two steps, as the page's inputs depend on the data: `gap_controls(tables, deal_filter)` says which buyers can be
modelled and what each input's range, default and help are; `gap_view(tables, deal_filter, buyer, preset, …)`
works out the page for the inputs chosen.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis import gap_model as model
from compute_ledger.analysis.filters import DealFilter, apply_deal_filter, options_with_names
from compute_ledger.charts import gap as charts
from compute_ledger.i18n import t

MODELLED_BUYERS = ("openai", "anthropic")  # the labs with revenue and commitments in the ledger
LINK_PREFIX = "gap_"  # widget keys and link parameters: gap_buyer, gap_growth …
KEY_BUYER, KEY_PRESET = LINK_PREFIX + "buyer", LINK_PREFIX + "preset"
CROSS_CHECK_YEAR = 2030


# The page's fixed sentences are functions, not constants: each is written in the language of the run that calls it.
def intro() -> str:
    return t("Compute commitments are paid over years; revenue has to grow into them. Recognised revenue, run-rates "
             "and projections are kept apart. Test your own assumptions below: every input is in the link, so a "
             "shared URL reproduces the exact scenario.")


def revenue_caption() -> str:
    return t("Solid: recognised revenue. Diamonds: annualised run-rates (not the same thing). Dashed: the company's "
             "own projections; dotted: analysts'. Bars: the commitments' annual schedule (straight-line, see the "
             "Commitments page). Shaded: the scenario's cumulative gap.")


def fan_caption() -> str:
    return t("4,000 seeded draws: first-year growth varies by ±25 % (1 s.d.), the slowdown by ±0.05, pacing by ±0.1 "
             "around your inputs. Negative values are a surplus.")


def no_buyer() -> str:
    return t("No buyer in the data has both revenue and commitments to model.")


@dataclass(frozen=True)
class Slider:
    """One scenario input as the page draws it; range and step from `gap_model.INPUT_RANGES`."""

    name: str  # the Scenario field
    key: str  # widget key and link parameter
    label: str
    low: float
    high: float
    step: float
    value: float  # the preset's value
    format: str
    help: str


def slider_text() -> dict[str, tuple[str, str, str]]:
    """name -> (label, number format, help before the preset's own note), in the reader's language; the order is
    the page's."""
    return {
        "growth": (t("Revenue growth in the first year"), "percent", ""),
        "growth_decay": (t("Growth slowdown per year"), "percent",
                         t("Each year's growth is this much lower than the year before's. ")),
        "compute_share": (t("Share of revenue available for compute"), "percent", ""),
        "pacing": (t("Pacing: share of what falls due that is drawn each year"), "percent",
                   t("Below 100 %, part of each year's spend slips to the next (a slower build-out). ")),
        # Streamlit's slider formats are printf's: the German amount is "%.0f Mrd. USD".
        "external_funding": (t("External funding raised"), t("$%.0f bn"), ""),
        "default_term_years": (t("Assumed length of deals without one (years)"), "%d",
                               t("Deals that publish neither an end year nor a length are spread over this many "
                                 "years. ")),
    }


SLIDER_NAMES = ("growth", "growth_decay", "compute_share", "pacing", "external_funding", "default_term_years")


def input_names() -> dict[str, str]:
    """The preset table's inputs as the reader reads them (English shows the scenario's field names)."""
    return {"start_revenue": t("start_revenue"), "growth": t("growth"), "growth_decay": t("growth_decay"),
            "compute_share": t("compute_share"), "pacing": t("pacing"), "external_funding": t("external_funding")}


def year_columns() -> dict[str, str]:
    """The scenario table's headers, in the reader's language (the frame keeps its column names)."""
    return {"revenue": t("Revenue (USD bn)"), "compute_budget": t("For compute (USD bn)"),
            "spend": t("Spend drawn (USD bn)"), "funding_need": t("Funding need (USD bn)"),
            "cumulative_need": t("Cumulative need (USD bn)"),
            "cumulative_gap": t("Cumulative gap after funding (USD bn)"), "year": t("Year"),
            "covered": t("Revenue covers spend"), "input": t("input"), "source": t("source")}


def comparison_columns() -> dict[str, str]:
    return {"estimate": t("Estimate"), "scope": t("Scope"), "amount": t("Amount"), "what": t("What it measures")}


@dataclass(frozen=True)
class GapControls:
    intro: str
    buyers: tuple[str, ...]  # ids the Buyer box offers (empty: the page says `no_buyer` and stops)
    names: Mapping[str, str]  # buyer id -> display name
    preferred: str | None  # the sidebar's buyer if it can be modelled, else the first
    preset_names: Mapping[str, str]
    presets: Mapping[str, Mapping[str, model.Preset]]  # buyer -> preset id -> scenario and notes
    no_buyer: str = ""

    def label(self, buyer: str) -> str:
        return self.names.get(buyer, buyer)

    def sliders(self, buyer: str, preset: str) -> tuple[Slider, ...]:
        chosen = self.presets[buyer][preset]
        return tuple(
            Slider(name, LINK_PREFIX + name, label, model.INPUT_RANGES[name].low, model.INPUT_RANGES[name].high,
                   model.INPUT_RANGES[name].step, getattr(chosen.scenario, name), number_format,
                   (help_text + chosen.notes.get(name, "")).strip())
            for name, (label, number_format, help_text) in slider_text().items())

    def preset_values(self, buyer: str, preset: str) -> dict[str, float]:
        """The slider values of a preset, keyed by widget key (what 'Reset to preset' puts back)."""
        return {s.key: s.value for s in self.sliders(buyer, preset)}

    def link_problems(self, params: Mapping[str, str]) -> list[model.LinkProblem]:
        """The link's values these inputs cannot take; select boxes are bound by the labels they show."""
        if not self.buyers:
            return []
        return model.link_problems(params, LINK_PREFIX, {
            KEY_BUYER: (tuple(self.label(b) for b in self.buyers), self.label(self.preferred)),
            KEY_PRESET: (tuple(self.preset_names.values()), self.preset_names[model.PRESET_PLAN]),
        })

    def preset_in_this_language(self, params: Mapping[str, str | list[str]]) -> str | None:
        """A link's preset named in another language ("Unternehmensplan" opened in English) as this language's
        label, which the preset box shows and binds; None when there is nothing to rewrite."""
        raw = params.get(KEY_PRESET)
        values = [raw] if isinstance(raw, str) else list(raw or [])
        if len(values) != 1 or values[0] in self.preset_names.values():
            return None
        preset = i18n.labels_in_every_language(model.preset_names).get(values[0])
        return self.preset_names.get(preset) if preset else None


def gap_controls(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None) -> GapControls:
    financials = tables["financials"]
    presets = {b: p for b in MODELLED_BUYERS if (p := model.presets(financials, b))}
    buyers = tuple(presets)
    wanted = deal_filter.buyers if deal_filter else ()
    preferred = next((b for b in wanted if b in buyers), buyers[0] if buyers else None)
    return GapControls(intro=intro(), buyers=buyers, names=options_with_names(tables["companies"]).names,
                       preferred=preferred, preset_names=model.preset_names(), presets=presets, no_buyer=no_buyer())


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str


@dataclass(frozen=True)
class GapView:
    buyer: str
    empty: str  # non-empty: nothing to model under this filter; the page says this and nothing more
    thin_data: str  # what the model has to stand in for (a run-rate for revenue, no funding), or ""
    metrics: tuple[Metric, ...]
    revenue_title: str
    revenue_chart: go.Figure | None
    revenue_caption: str
    reported: pl.DataFrame  # the revenue figures drawn, with their sources
    scenario_title: str
    scenario_chart: go.Figure | None
    assumptions: pl.DataFrame  # input, where its value comes from
    years: pl.DataFrame  # the scenario year by year
    uncertainty_title: str
    fan_chart: go.Figure | None
    fan_caption: str
    comparison: pl.DataFrame  # estimate, scope, amount, what, source_url
    cross_check: str  # the Sequoia-style paragraph (markdown), or ""


def _gap_2030_card(gap: float | None) -> Metric:
    help_text = t("Spend drawn minus revenue available for compute up to {year}, less external funding raised.",
                  year=CROSS_CHECK_YEAR)
    if gap is not None and gap < 0:
        help_text = t("{help} A surplus of {amount}.", help=help_text, amount=fmt.usd_bn(-gap))
    return Metric(t("Cumulative gap by {year}", year=CROSS_CHECK_YEAR),
                  fmt.usd_bn(max(gap, 0)) if gap is not None else t("n/a"), help_text)


def _cross_check(financials: pl.DataFrame, label) -> str:
    check = model.sequoia_check(financials)
    if not check:
        return ""
    labs = fmt.md(", ").join(fmt.markdown("{name} {amount}", name=label(c), amount=fmt.md(fmt.usd_bn(v)))
                             for c, v in check["labs"])
    return fmt.markdown(
        t("**Cross-check in the style of Sequoia's 'AI's $600B question':** Nvidia's data-centre revenue ran at "
          "{run_rate} a year (quarter to {day}, × 4). Double it for the rest of the data centre (buildings, power), "
          "double again for the end users' margin: the industry must earn about **{needed} of AI revenue a year**. "
          "The labs' latest run-rates add up to {labs_total} ({labs})."),
        run_rate=fmt.md(fmt.usd_bn(check["accelerator_run_rate"])), day=fmt.md(fmt.day(check["as_of"])),
        needed=fmt.md(fmt.usd_bn(check["needed"])), labs_total=fmt.md(fmt.usd_bn(check["labs_run_rate"])), labs=labs)


def _model_estimate_names() -> dict[str, str]:
    return {model.PRESET_PLAN: t("This model, company plan"), model.PRESET_BEAR: t("This model, analyst bear"),
            model.PRESET_BULL: t("This model, bull")}


def _comparison(commitments: pl.DataFrame, financials: pl.DataFrame, buyer: str, presets: Mapping[str, model.Preset],
                term: int, label) -> pl.DataFrame:
    rows = []
    estimate_names = _model_estimate_names()
    for name, each in presets.items():
        alt = dataclasses.replace(each.scenario, default_term_years=term)
        gap = model.gap_in(model.run_scenario(model.schedule_for(commitments, buyer, term), alt), CROSS_CHECK_YEAR)
        rows.append({"estimate": estimate_names[name], "scope": label(buyer),
                     "amount": fmt.usd_bn(gap) if gap is not None else t("n/a"),
                     "what": t("cumulative gap to {year} after funding raised (negative = surplus)",
                               year=CROSS_CHECK_YEAR),
                     "source_url": None})
    for row in model.published_estimates(financials, buyer).iter_rows(named=True):
        rows.append({"estimate": row["estimator"] or "", "scope": label(row["company_id"]),
                     "amount": fmt.usd_bn(row["value_usd_bn"]), "what": row["description"],
                     "source_url": row["source_url"]})
    # Amounts as text: a table of a few rows needs no numeric sort, and "-$183 bn" reads better than "$-183 bn".
    # The amount second, so a phone shows it without scrolling the table sideways.
    return pl.DataFrame(rows, schema={"estimate": pl.String, "amount": pl.String, "scope": pl.String,
                                      "what": pl.String, "source_url": pl.String})


def gap_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None, buyer: str, preset: str,
             growth: float, growth_decay: float, compute_share: float, pacing: float, external_funding: float,
             default_term_years: int) -> GapView:
    """The gap for `buyer` under the filter (its own buyer filter replaced by `buyer`) and the chosen inputs."""
    financials, companies = tables["financials"], tables["companies"]
    label = options_with_names(companies).label
    presets = model.presets(financials, buyer) or {}
    chosen = presets.get(preset) or presets.get(model.PRESET_PLAN)
    empty = dataclasses.replace(
        _empty(), buyer=buyer,
        empty=t("{buyer} has no revenue in the data to model.", buyer=label(buyer)) if chosen is None else "")
    if chosen is None:
        return empty
    scenario = dataclasses.replace(chosen.scenario, growth=growth, growth_decay=growth_decay,
                                   compute_share=compute_share, pacing=pacing, external_funding=external_funding,
                                   default_term_years=int(default_term_years))
    commitments = apply_deal_filter(tables["deals"], dataclasses.replace(deal_filter or DealFilter(), buyers=(buyer,)))
    schedule = model.schedule_for(commitments, buyer, scenario.default_term_years)
    if schedule.is_empty():
        return dataclasses.replace(empty, empty=t("{buyer} has no commitment with a disclosed value under the "
                                                  "current filter.", buyer=label(buyer)))

    result = model.run_scenario(schedule, scenario)
    covered = model.coverage_year(result)
    # The earliest year of the largest shortfall, so equal shortfalls always name the same year.
    peak = result.sort(["funding_need", "year"], descending=[True, False]).row(0, named=True)
    plan = presets[model.PRESET_PLAN]
    thin = []
    if plan.from_run_rate:
        thin.append(t("{buyer} publishes no full-year recognised revenue: the model starts from its latest annualised "
                      "run-rate ({amount}), which overstates the year's revenue.", buyer=label(buyer),
                      amount=fmt.usd_bn(scenario.start_revenue)))
    if not chosen.funding_recorded:
        thin.append(t("No equity raised is recorded for it, so external funding starts at zero."))

    due = schedule.group_by("year").agg(pl.col("spend_usd_bn").sum()).sort("year")
    reported = model.reported_revenue(financials, buyer)
    band = model.monte_carlo(schedule, scenario)
    at = band.years.index(CROSS_CHECK_YEAR) if CROSS_CHECK_YEAR in band.years else -1
    name = model.preset_names()[preset if preset in presets else model.PRESET_PLAN]
    end_year = scenario.end_year
    inputs = input_names()
    return GapView(
        buyer=buyer,
        empty="",
        thin_data=" ".join(thin),
        metrics=(
            _gap_2030_card(model.gap_in(result, CROSS_CHECK_YEAR)),
            Metric(t("Revenue covers spend from"), str(covered) if covered else t("not by {year}", year=end_year),
                   t("The first year from which revenue available for compute pays for the year's spend in every "
                     "later year of the model.")),
            Metric(t("Largest yearly shortfall ({year})", year=peak["year"]), fmt.usd_bn(max(peak["funding_need"], 0)),
                   t("Spend drawn minus revenue available for compute, in the worst year.")),
            Metric(t("Revenue in {year}", year=end_year), fmt.usd_bn(result["revenue"][-1]),
                   t("Revenue at the end of the model, after growth and its slowdown.")),
        ),
        revenue_title=t("{buyer}: {commitments} of disclosed commitments against {revenue} of {start}",
                        buyer=label(buyer), commitments=fmt.usd_bn(due["spend_usd_bn"].sum()),
                        revenue=fmt.usd_bn(plan.scenario.start_revenue), start=plan.start_label),
        revenue_chart=charts.revenue_vs_commitments(reported, due, result, buyer),
        revenue_caption=revenue_caption(),
        reported=reported,
        scenario_title=(t("{preset} scenario: revenue covers spend from {year}", preset=name, year=covered) if covered
                        else t("{preset} scenario: revenue never covers spend by {year}", preset=name,
                               year=end_year)),
        scenario_chart=charts.scenario_chart(result),
        assumptions=pl.DataFrame({"input": [inputs.get(key, key) for key in chosen.notes],
                                  "source": list(chosen.notes.values())}),
        years=result,
        uncertainty_title=t("Uncertainty: by {year} the gap is {median} in the median case, {low} to {high} in 8 of "
                            "10 outcomes", year=CROSS_CHECK_YEAR, median=fmt.usd_bn(band.p50[at]),
                            low=fmt.usd_bn(band.p10[at]), high=fmt.usd_bn(band.p90[at])),
        fan_chart=charts.fan_chart(band),
        fan_caption=fan_caption(),
        comparison=_comparison(commitments, financials, buyer, presets, scenario.default_term_years, label),
        cross_check=_cross_check(financials, label),
    )


def _empty() -> GapView:
    return GapView(buyer="", empty="", thin_data="", metrics=(), revenue_title="", revenue_chart=None,
                   revenue_caption=revenue_caption(), reported=pl.DataFrame(), scenario_title="", scenario_chart=None,
                   assumptions=pl.DataFrame(), years=pl.DataFrame(), uncertainty_title="", fan_chart=None,
                   fan_caption=fan_caption(), comparison=pl.DataFrame(), cross_check="")

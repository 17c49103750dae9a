"""The infrastructure-gap scenario model: can a lab's revenue pay for the compute it has committed to?

Per year from the start year:
- revenue grows by `growth` in the first year, and each later year's growth is (1 - `growth_decay`) times
  the year before's (fast growth that slows down);
- `compute_share` of revenue is available to pay for compute;
- spend is the commitments' annual schedule (Commitments page). `pacing` is the share of what falls due
  that is drawn in the year; the rest slips to the next year (1.0 = on schedule);
- funding need = spend - compute budget; cumulative gap = running sum of the need - `external_funding`
  (money raised from investors), so a positive gap is money still to be found.
Pure functions of numbers and frames; the Monte Carlo is vectorised and seeded.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis import links
from compute_ledger.analysis.commitments import annual_spend_schedule
from compute_ledger.analysis.links import Accepts, Choice, InputRange, LinkProblem, Number
from compute_ledger.analysis.metrics import latest_revenue
from compute_ledger.i18n import t

END_YEAR = 2032
PRESET_PLAN, PRESET_BEAR, PRESET_BULL = "plan", "bear", "bull"
PRESET_NAMES = {PRESET_PLAN: "Company plan", PRESET_BEAR: "Analyst bear", PRESET_BULL: "Bull"}  # English


def preset_names() -> dict[str, str]:
    """The presets' names in the reader's language (the Gap page's choice box shows them, and its link holds them)."""
    return {PRESET_PLAN: t("Company plan"), PRESET_BEAR: t("Analyst bear"), PRESET_BULL: t("Bull")}


# What each scenario input may be. The Gap page's sliders are drawn from these, and a shared link's values are
# checked against them, so the two never disagree.
INPUT_RANGES = {"growth": InputRange(0.0, 3.0, 0.01), "growth_decay": InputRange(0.0, 0.9, 0.01),
                "compute_share": InputRange(0.05, 1.0, 0.05), "pacing": InputRange(0.3, 1.0, 0.05),
                "external_funding": InputRange(0.0, 2_000.0, 10.0), "default_term_years": InputRange(1, 15, 1)}
BOUNDS = {name: (r.low, r.high) for name, r in INPUT_RANGES.items()}


@dataclass(frozen=True)
class Scenario:
    start_year: int
    start_revenue: float
    growth: float
    growth_decay: float
    compute_share: float
    pacing: float
    external_funding: float
    default_term_years: int = 5
    end_year: int = END_YEAR

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


def revenue_path(s: Scenario) -> np.ndarray:
    """Revenue for each model year, start year first (USD bn)."""
    steps = np.arange(len(s.years) - 1)
    growth = s.growth * (1 - s.growth_decay) ** steps
    return s.start_revenue * np.concatenate([[1.0], np.cumprod(1 + growth)])


def spend_by_year(schedule: pl.DataFrame, years: list[int]) -> np.ndarray:
    """The schedule's spend in each model year; years before the first model year count as already paid."""
    totals = dict(schedule.group_by("year").agg(pl.col("spend_usd_bn").sum()).iter_rows())
    return np.array([totals.get(y, 0.0) for y in years])


def paced(due: np.ndarray, pacing: float | np.ndarray) -> np.ndarray:
    """Draw `pacing` of what is due each year; the rest slips to the next. Works on one path or many (rows)."""
    due = np.atleast_2d(due)
    pacing = np.asarray(pacing, dtype=float).reshape(-1, 1) if np.ndim(pacing) else np.full((due.shape[0], 1), pacing)
    drawn = np.zeros(np.broadcast_shapes(due.shape, (pacing.shape[0], due.shape[1])))
    carry = np.zeros(drawn.shape[0])
    for year in range(drawn.shape[1]):
        owed = due[:, year] + carry if due.shape[0] > 1 else due[0, year] + carry
        drawn[:, year] = pacing[:, 0] * owed
        carry = owed - drawn[:, year]
    return drawn


def run_scenario(schedule: pl.DataFrame, s: Scenario) -> pl.DataFrame:
    """One row per model year: revenue, compute budget, spend drawn, funding need, cumulative gap."""
    revenue = revenue_path(s)
    spend = paced(spend_by_year(schedule, s.years), s.pacing)[0]
    budget = revenue * s.compute_share
    need = spend - budget
    return pl.DataFrame({
        "year": s.years, "revenue": revenue, "compute_budget": budget, "spend": spend, "funding_need": need,
        "cumulative_need": np.cumsum(need), "cumulative_gap": np.cumsum(need) - s.external_funding,
        "covered": budget >= spend,
    })


def coverage_year(result: pl.DataFrame) -> int | None:
    """First year from which the compute budget covers spend in every later model year, if any."""
    covered = result["covered"].to_list()
    for i, year in enumerate(result["year"].to_list()):
        if all(covered[i:]):
            return year
    return None


def gap_in(result: pl.DataFrame, year: int) -> float | None:
    row = result.filter(pl.col("year") == year)
    return row["cumulative_gap"][0] if row.height else None


@dataclass(frozen=True)
class Band:
    years: list[int]
    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray


def monte_carlo(schedule: pl.DataFrame, s: Scenario, draws: int = 4000, seed: int = 7) -> Band:
    """Cumulative gap under uncertain growth, decay and pacing: median and 10-90 % band per year.

    growth ~ normal around the scenario's (sd 25 % of it), decay ~ normal (sd 0.05), pacing ~ uniform
    ±0.1 around the scenario's; all clipped to the slider bounds. Seeded: the same inputs give the same band.
    """
    rng = np.random.default_rng(seed)
    growth = np.clip(rng.normal(s.growth, 0.25 * max(s.growth, 0.05), draws), *BOUNDS["growth"])
    decay = np.clip(rng.normal(s.growth_decay, 0.05, draws), *BOUNDS["growth_decay"])
    pacing = np.clip(rng.uniform(s.pacing - 0.1, s.pacing + 0.1, draws), *BOUNDS["pacing"])
    steps = np.arange(len(s.years) - 1)
    growth_paths = growth[:, None] * (1 - decay[:, None]) ** steps[None, :]
    revenue = s.start_revenue * np.hstack([np.ones((draws, 1)), np.cumprod(1 + growth_paths, axis=1)])
    spend = paced(np.tile(spend_by_year(schedule, s.years), (draws, 1)), pacing)
    gap = np.cumsum(spend - revenue * s.compute_share, axis=1) - s.external_funding
    p10, p50, p90 = np.percentile(gap, [10, 50, 90], axis=0)
    return Band(s.years, p10, p50, p90)


# --- presets, derived from the data where it speaks --------------------------------------------

@dataclass(frozen=True)
class Preset:
    scenario: Scenario
    notes: dict[str, str]  # input -> where its value comes from ("assumption" when from nowhere)
    start_label: str = ""  # what the start revenue is: "2025 revenue", or "run-rate, Mar 2026"
    from_run_rate: bool = False  # no full-year recognised revenue: the model starts from an annualised run-rate
    funding_recorded: bool = True  # equity raised since the start year is in the data


def _usd(value: float) -> str:
    """An amount in a preset's note: "USD 20B" as the notes have always said it; German "20 Mrd. USD"."""
    return fmt.usd_bn(value) if i18n.language() == "de" else f"USD {value:g}B"


def fit_decay(start_revenue: float, growth: float, years_ahead: int, target_revenue: float) -> float:
    """The growth decay that takes revenue from `start_revenue` to `target_revenue` in `years_ahead` years."""
    def reached(decay: float) -> float:
        steps = np.arange(years_ahead)
        return start_revenue * float(np.prod(1 + growth * (1 - decay) ** steps))

    low, high = 0.0, 0.99
    if reached(low) <= target_revenue:
        return 0.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if reached(mid) > target_revenue else (low, mid)
    return round((low + high) / 2, 3)


def _company_projections(financials: pl.DataFrame, buyer: str) -> pl.DataFrame:
    return (financials.filter((pl.col("company_id") == buyer) & (pl.col("metric") == "revenue")
                              & (pl.col("period") == "full_year") & pl.col("is_projection") & pl.col("estimator").is_null())
            .sort("year", "source_date").group_by("year", maintain_order=True).last())


def schedule_for(deals: pl.DataFrame, buyer: str, default_term_years: int) -> pl.DataFrame:
    """The buyer's yearly spend schedule (one row per year and provider)."""
    return annual_spend_schedule(deals.filter(pl.col("buyer_id") == buyer), default_term_years,
                                 by=("buyer_id", "provider_id"))


def presets(financials: pl.DataFrame, buyer: str) -> dict[str, Preset] | None:
    """Plan, bear and bull scenarios for a buyer, or None when the data is too thin (no revenue at all)."""
    start = latest_revenue(financials, buyer)
    if start is None:
        return None
    start_revenue, label = start
    own = financials.filter(pl.col("company_id") == buyer)
    recognised = own.filter((pl.col("metric") == "revenue") & (pl.col("period") == "full_year")
                            & ~pl.col("is_projection") & pl.col("estimator").is_null())
    from_run_rate = recognised.is_empty()  # latest_revenue fell back to the run-rate
    start_year = (int(recognised["year"].max()) if not from_run_rate
                  else own.filter(pl.col("metric") == "revenue_run_rate").sort("as_of")["as_of"][-1].year)
    projections = _company_projections(financials, buyer).filter(pl.col("year") > start_year)
    notes: dict[str, str] = {"start_revenue": t("{revenue} (financials)", revenue=label)}
    next_year = projections.filter(pl.col("year") == start_year + 1)
    if next_year.height:
        growth = next_year["value_usd_bn"][0] / start_revenue - 1
        notes["growth"] = t("company target for {year}: {amount}", year=start_year + 1,
                            amount=_usd(next_year["value_usd_bn"][0]))
    elif projections.height:
        far = projections.row(-1, named=True)
        growth = (far["value_usd_bn"] / start_revenue) ** (1 / (far["year"] - start_year)) - 1
        notes["growth"] = t("even growth to the company's {amount} for {year}", amount=_usd(far["value_usd_bn"]),
                            year=far["year"])
    else:
        growth = 0.5
        notes["growth"] = t("assumption (no company projection in the data)")
    growth = max(round(growth, 3), 0.0)
    decay = 0.0
    if next_year.height and projections.height > 1:
        far = projections.row(-1, named=True)
        decay = fit_decay(start_revenue, growth, far["year"] - start_year, far["value_usd_bn"])
        notes["growth_decay"] = t("fitted to reach the company's {amount} in {year}", amount=_usd(far["value_usd_bn"]),
                                  year=far["year"])
    else:
        notes["growth_decay"] = t("assumption: none")
    raised = own.filter((pl.col("metric") == "equity_raised") & (pl.col("year") >= start_year))["value_usd_bn"].sum()
    notes["external_funding"] = (t("equity raised since {year} (financials)", year=start_year) if raised
                                 else t("none in the data"))
    notes["compute_share"] = t("assumption")
    notes["pacing"] = t("assumption: on schedule")
    plan = Scenario(start_year, start_revenue, growth, decay, 0.6, 1.0, float(raised))
    bear = dataclasses.replace(plan, growth=round(growth * 0.5, 3), growth_decay=min(round(decay + 0.1, 3), 0.9),
                               compute_share=0.5)
    bull = dataclasses.replace(plan, growth=round(min(growth * 1.2, BOUNDS["growth"][1]), 3),
                               growth_decay=max(round(decay - 0.05, 3), 0.0), compute_share=0.75, pacing=0.9)
    bear_notes = {**notes, "growth": t("half the plan's first-year growth (assumption)"),
                  "growth_decay": t("the plan's decay + 0.1 (assumption)"), "compute_share": t("assumption")}
    bull_notes = {**notes, "growth": t("the plan's growth × 1.2 (assumption)"),
                  "growth_decay": t("the plan's decay − 0.05 (assumption)"),
                  "pacing": t("assumption: 10% slips a year")}
    facts = {"start_label": label, "from_run_rate": from_run_rate, "funding_recorded": bool(raised)}
    return {PRESET_PLAN: Preset(plan, notes, **facts), PRESET_BEAR: Preset(bear, bear_notes, **facts),
            PRESET_BULL: Preset(bull, bull_notes, **facts)}


def link_problems(params: Mapping[str, str], prefix: str,
                  choices: Mapping[str, tuple[Sequence[str], str]]) -> list[LinkProblem]:
    """The values of a shared link that the Gap page's inputs cannot take, each named in a sentence.

    A scenario input (`{prefix}growth` …) must be a number on its slider's range and step (INPUT_RANGES); a
    choice (`choices`: param -> (the labels offered, the one shown instead)) must be one of its labels."""
    inputs: dict[str, Accepts] = {prefix + name: Number(allowed, t("the preset's value is used"))
                                  for name, allowed in INPUT_RANGES.items()}
    inputs |= {param: Choice(tuple(labels), fallback) for param, (labels, fallback) in choices.items()}
    return links.link_problems(params, inputs)


def sequoia_check(financials: pl.DataFrame) -> dict | None:
    """David Cahn's 'AI's $600B question' arithmetic on our data: accelerator revenue run-rate × 2 (the rest of
    the data centre: buildings, power) × 2 (the end users' margin) = AI revenue the industry must earn a year,
    against the labs' own latest run-rates."""
    quarter = financials.filter((pl.col("company_id") == "nvidia") & (pl.col("metric") == "datacenter_revenue")
                                & (pl.col("period") == "quarter")).sort("as_of")
    if quarter.is_empty():
        return None
    row = quarter.row(-1, named=True)
    run_rate = row["value_usd_bn"] * 4
    labs = (financials.filter((pl.col("metric") == "revenue_run_rate") & ~pl.col("is_projection"))
            .sort("as_of").group_by("company_id", maintain_order=True).last().sort("company_id"))
    return {"accelerator_run_rate": run_rate, "as_of": row["as_of"], "needed": run_rate * 2 * 2,
            "labs_run_rate": float(labs["value_usd_bn"].sum()),
            "labs": labs.select("company_id", "value_usd_bn").rows()}


def reported_revenue(financials: pl.DataFrame, buyer: str) -> pl.DataFrame:
    """A buyer's revenue figures for the chart, each with its kind: recognised, run_rate, company, analyst.

    Run-rates are placed at their date as a fraction of the year, so they sit apart from annual figures."""
    rows = financials.filter((pl.col("company_id") == buyer) & pl.col("metric").is_in(["revenue", "revenue_run_rate"])
                             & pl.col("period").is_in(["full_year", "point_in_time"]))
    # A run-rate's label names its month as the reader writes it ("Run-rate, Mar 2026"; German "März 2026").
    run_rate_labels = pl.Series("label", [t("Run-rate, {month}", month=fmt.month(day)) if day else None
                                          for day in rows["as_of"]], dtype=pl.String)
    return rows.with_columns(
        kind=pl.when(pl.col("metric") == "revenue_run_rate").then(pl.lit("run_rate"))
        .when(~pl.col("is_projection")).then(pl.lit("recognised"))
        .when(pl.col("estimator").is_null()).then(pl.lit("company"))
        .otherwise(pl.lit("analyst")),
        x=pl.when(pl.col("as_of").is_not_null())
        .then(pl.col("as_of").dt.year() + (pl.col("as_of").dt.ordinal_day() - 1) / 365)
        .otherwise(pl.col("year").cast(pl.Float64)),
        label=pl.when(pl.col("as_of").is_not_null()).then(run_rate_labels)
        .when(pl.col("estimator").is_not_null()).then(pl.col("year").cast(pl.String) + " (" + pl.col("estimator") + ")")
        .otherwise(pl.col("year").cast(pl.String)),
    ).sort("x")


def published_estimates(financials: pl.DataFrame, buyer: str) -> pl.DataFrame:
    """Outside estimates of the gap to set beside the model's (analyst rows, plus industry-wide ones)."""
    return financials.filter(
        ((pl.col("company_id") == buyer) & (pl.col("metric") == "funding_gap_estimate"))
        | ((pl.col("company_id") == "industry") & pl.col("metric").is_in(["revenue_shortfall", "revenue_needed"]))
    ).select("estimator", "company_id", "metric", "year", "value_usd_bn", "description", "source_title", "source_url")

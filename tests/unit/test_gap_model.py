"""The scenario model on cases small enough to work out by hand."""
from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from compute_ledger.analysis import gap_model as m
from compute_ledger.data.load import load_ledger
from tests.conftest import DATA

ONE_DEAL = pl.DataFrame({"year": [2025, 2026, 2027], "spend_usd_bn": [10.0, 10.0, 10.0]})  # USD 30B over 3 years
FLAT = m.Scenario(start_year=2025, start_revenue=10.0, growth=0.0, growth_decay=0.0, compute_share=0.5, pacing=1.0,
                  external_funding=20.0, end_year=2027)


def test_constant_revenue_and_one_deal():
    result = m.run_scenario(ONE_DEAL, FLAT)
    # revenue 10 a year, half of it (5) for compute, spend 10: need 5 a year -> 5, 10, 15; less 20 raised
    assert result["revenue"].to_list() == [10.0, 10.0, 10.0]
    assert result["funding_need"].to_list() == [5.0, 5.0, 5.0]
    assert result["cumulative_gap"].to_list() == [-15.0, -10.0, -5.0]
    assert m.coverage_year(result) is None
    assert m.gap_in(result, 2027) == -5.0 and m.gap_in(result, 2040) is None


def test_growth_with_decay():
    scenario = FLAT.__class__(**{**FLAT.__dict__, "growth": 1.0, "growth_decay": 0.5})
    # growth 100 % then 50 %: 10 -> 20 -> 30; budgets 5, 10, 15 against spend 10: covered from 2026
    assert m.revenue_path(scenario).tolist() == [10.0, 20.0, 30.0]
    result = m.run_scenario(ONE_DEAL, scenario)
    assert result["covered"].to_list() == [False, True, True]
    assert m.coverage_year(result) == 2026


def test_pacing_lets_spend_slip():
    # half of what is due is drawn each year: 5 (5 slips), then half of 15 = 7.5, then half of 17.5 = 8.75
    assert m.paced(np.array([10.0, 10.0, 10.0]), 0.5)[0].tolist() == [5.0, 7.5, 8.75]
    assert m.paced(np.array([10.0, 10.0, 10.0]), 1.0)[0].tolist() == [10.0, 10.0, 10.0]


def test_spend_before_the_first_model_year_counts_as_paid():
    schedule = pl.DataFrame({"year": [2023, 2025], "spend_usd_bn": [7.0, 3.0]})
    assert m.spend_by_year(schedule, [2025, 2026]).tolist() == [3.0, 0.0]


LEDGER = load_ledger(str(DATA))
SCHEDULE = m.schedule_for(LEDGER["deals"].filter(pl.col("counts_in_totals")), "openai", 5)
PLAN = m.presets(LEDGER["financials"], "openai")[m.PRESET_PLAN].scenario


def test_more_growth_never_widens_the_gap():
    gaps = [m.gap_in(m.run_scenario(SCHEDULE, m.Scenario(**{**PLAN.__dict__, "growth": g})), 2030)
            for g in np.linspace(0, 3, 31)]
    assert all(later <= earlier for earlier, later in zip(gaps, gaps[1:]))


def test_monte_carlo_is_reproducible_and_brackets_the_median():
    first, again = m.monte_carlo(SCHEDULE, PLAN, seed=11), m.monte_carlo(SCHEDULE, PLAN, seed=11)
    assert np.array_equal(first.p50, again.p50) and np.array_equal(first.p10, again.p10)
    assert not np.array_equal(first.p90, m.monte_carlo(SCHEDULE, PLAN, seed=12).p90)
    assert (first.p10 <= first.p50).all() and (first.p50 <= first.p90).all()


def test_openai_plan_comes_from_the_data():
    preset = m.presets(LEDGER["financials"], "openai")[m.PRESET_PLAN]
    assert (PLAN.start_year, PLAN.start_revenue) == (2025, 13.07)
    assert PLAN.growth == pytest.approx(30 / 13.07 - 1, abs=1e-3)  # company target USD 30B for 2026
    assert m.revenue_path(PLAN)[5] == pytest.approx(200, rel=0.01)  # fitted to reach USD 200B in 2030
    assert PLAN.external_funding == 150  # equity raised 2025 (40) + 2026 (110)
    assert "assumption" in preset.notes["compute_share"]


def test_fit_decay():
    decay = m.fit_decay(10.0, 1.0, 2, 30.0)  # 10 -> 20 -> 30 needs the second year's growth at 50 %
    assert decay == pytest.approx(0.5, abs=1e-3)
    assert m.fit_decay(10.0, 0.1, 3, 1_000.0) == 0.0  # unreachable target: no slowdown


def test_thin_data_gives_no_presets():
    assert m.presets(LEDGER["financials"], "meta") is None
    anthropic = m.presets(LEDGER["financials"], "anthropic")[m.PRESET_PLAN]
    assert anthropic.scenario.start_revenue == 50.0 and "run-rate" in anthropic.notes["start_revenue"]


def test_scenario_params_from_a_link():
    values, warnings = m.read_scenario_params(
        {"gap_growth": "0.9", "gap_pacing": "7", "gap_compute_share": "lots", "gap_default_term_years": "8"}, PLAN)
    assert values == {"growth": 0.9, "default_term_years": 8}
    assert warnings == ["The link's gap_compute_share 'lots' is not a number from 0.05 to 1; the preset's value is used.",
                        "The link's gap_pacing '7' is not a number from 0.3 to 1; the preset's value is used."]


def test_sequoia_style_check():
    check = m.sequoia_check(LEDGER["financials"])
    assert check["accelerator_run_rate"] == pytest.approx(62.3 * 4)
    assert check["needed"] == pytest.approx(62.3 * 16)
    assert check["labs_run_rate"] == 75.0  # Anthropic 50 (Jun 2026) + OpenAI 25 (Mar 2026)

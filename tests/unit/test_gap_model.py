"""The scenario model on cases small enough to work out by hand."""
from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl
import pytest

from compute_ledger.analysis import gap_model as m
from compute_ledger.data.load import load_ledger
from tests.unit.test_gap_view import write_gap_ledger

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


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    """The Gap page's hand-made ledger (tests/unit/test_gap_view.py): its numbers are worked out there."""
    return load_ledger(str(write_gap_ledger(tmp_path_factory.mktemp("gap") / "ledger")))


@pytest.fixture(scope="module")
def plan(ledger):
    return m.presets(ledger["financials"], "openai")[m.PRESET_PLAN].scenario


@pytest.fixture(scope="module")
def schedule(ledger):
    return m.schedule_for(ledger["deals"].filter(pl.col("counts_in_totals")), "openai", 5)


def test_more_growth_never_widens_the_gap(schedule, plan):
    gaps = [m.gap_in(m.run_scenario(schedule, dataclasses.replace(plan, growth=g)), 2030) for g in np.linspace(0, 3, 31)]
    assert all(later <= earlier for earlier, later in zip(gaps, gaps[1:]))


def test_monte_carlo_is_reproducible_and_brackets_the_median(schedule, plan):
    first, again = m.monte_carlo(schedule, plan, seed=11), m.monte_carlo(schedule, plan, seed=11)
    assert np.array_equal(first.p50, again.p50) and np.array_equal(first.p10, again.p10)
    assert not np.array_equal(first.p90, m.monte_carlo(schedule, plan, seed=12).p90)
    assert (first.p10 <= first.p50).all() and (first.p50 <= first.p90).all()


def test_openai_plan_comes_from_the_data(ledger, plan):
    preset = m.presets(ledger["financials"], "openai")[m.PRESET_PLAN]
    assert (plan.start_year, plan.start_revenue) == (2025, 10)  # 2025 revenue
    assert plan.growth == 1.0  # company target of 20 for 2026: 20 / 10 - 1
    assert plan.growth_decay == 0.0 and preset.notes["growth_decay"] == "assumption: none"  # one projection only
    assert plan.external_funding == 20  # equity raised in 2025
    assert "assumption" in preset.notes["compute_share"]


def test_decay_is_fitted_to_a_later_projection(ledger):
    # A second company projection, 30 for 2027: 10 -> 20 -> 30 needs the second year's growth at 50 %.
    later = pl.DataFrame([{**ledger["financials"].filter(pl.col("metric") == "revenue").row(-1, named=True),
                           "year": 2027, "value_usd_bn": 30.0}], schema=ledger["financials"].schema)
    plan = m.presets(pl.concat([ledger["financials"], later]), "openai")[m.PRESET_PLAN].scenario
    assert (plan.growth, plan.growth_decay) == (1.0, pytest.approx(0.5, abs=1e-3))
    assert m.revenue_path(plan)[:3] == pytest.approx([10, 20, 30], abs=0.05)


def test_fit_decay():
    decay = m.fit_decay(10.0, 1.0, 2, 30.0)  # 10 -> 20 -> 30 needs the second year's growth at 50 %
    assert decay == pytest.approx(0.5, abs=1e-3)
    assert m.fit_decay(10.0, 0.1, 3, 1_000.0) == 0.0  # unreachable target: no slowdown


def test_thin_data_gives_no_presets(ledger):
    assert m.presets(ledger["financials"], "meta") is None
    anthropic = m.presets(ledger["financials"], "anthropic")[m.PRESET_PLAN]
    assert anthropic.scenario.start_revenue == 5.0 and "run-rate" in anthropic.notes["start_revenue"]


def test_input_ranges_accept_only_their_steps():
    share = m.INPUT_RANGES["compute_share"]  # 0.05 to 1 in steps of 0.05
    assert share.accepts(0.05) and share.accepts(0.55) and share.accepts(1.0)
    assert not share.accepts(0.07) and not share.accepts(1.05) and not share.accepts(0.0)
    assert m.INPUT_RANGES["default_term_years"].accepts(7) and not m.INPUT_RANGES["default_term_years"].accepts(7.5)


def test_sequoia_style_check(ledger):
    check = m.sequoia_check(ledger["financials"])
    assert check["accelerator_run_rate"] == 200  # a data-centre quarter of 50, x 4
    assert check["needed"] == 800  # x 2 for the rest of the data centre, x 2 for the end users' margin
    assert check["labs_run_rate"] == 25.0  # Anthropic 5 (Jun 2026) + OpenAI 20 (Mar 2026)

"""The Gap page: presets, sliders restored from a shared link, warnings for bad link values."""
from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from compute_ledger import formatting as fmt
from compute_ledger.analysis import gap_model as m
from compute_ledger.data.load import load_ledger
from tests.app.conftest import metrics_of, plain
from tests.conftest import DATA

PAGE = "pages/gap.py"
LEDGER = load_ledger(str(DATA))


def expected(buyer: str, preset: str = m.PRESET_PLAN, **changes) -> pl.DataFrame:
    scenario = dataclasses.replace(m.presets(LEDGER["financials"], buyer)[preset].scenario, **changes)
    deals = LEDGER["deals"].filter(pl.col("counts_in_totals"))
    return m.run_scenario(m.schedule_for(deals, buyer, scenario.default_term_years), scenario)


def test_default_is_openai_company_plan(open_app):
    at = open_app(page=PAGE)
    assert not at.exception and not at.warning
    result = expected("openai")
    shown = metrics_of(at)
    assert shown["Cumulative gap by 2030"] == fmt.usd_bn(m.gap_in(result, 2030))
    assert shown["Revenue covers spend from"] == str(m.coverage_year(result))
    assert plain(at.subheader[0].value) == "OpenAI: $757 bn of disclosed commitments against $13.1 bn of 2025 revenue"
    assert len(at.get("plotly_chart")) == 3
    table = at.dataframe[-1].value
    assert "HSBC" in set(table["estimate"]) and "This model, company plan" in set(table["estimate"])


def test_shared_link_reproduces_a_scenario(open_app):
    at = open_app({"gap_preset": "Analyst bear", "gap_growth": "0.9", "gap_compute_share": "0.5"}, page=PAGE)
    assert not at.exception and not at.warning
    assert at.selectbox(key="gap_preset").value == "bear"
    assert at.slider(key="gap_growth").value == pytest.approx(0.9)
    assert at.slider(key="gap_compute_share").value == pytest.approx(0.5)
    result = expected("openai", m.PRESET_BEAR, growth=0.9, compute_share=0.5)
    assert metrics_of(at)["Cumulative gap by 2030"] == fmt.usd_bn(max(m.gap_in(result, 2030), 0))
    assert metrics_of(at)[f"Revenue in {m.END_YEAR}"] == fmt.usd_bn(result["revenue"][-1])


def test_bad_link_values_are_named(open_app):
    at = open_app({"gap_growth": "fast", "gap_buyer": "meta", "gap_preset": "moon"}, page=PAGE)
    assert not at.exception
    warnings = [plain(w.value) for w in at.warning]
    assert "The link's gap_growth 'fast' is not a number from 0 to 3; the preset's value is used." in warnings
    assert "The link's gap_buyer 'meta' cannot be modelled (choose OpenAI or Anthropic); showing OpenAI." in warnings
    assert any("gap_preset 'moon'" in w for w in warnings)
    assert at.selectbox(key="gap_buyer").value == "openai"


def test_preset_and_reset_move_the_sliders(open_app):
    at = open_app(page=PAGE)
    bull = m.presets(LEDGER["financials"], "openai")[m.PRESET_BULL].scenario
    at.selectbox(key="gap_preset").set_value("bull").run()
    assert not at.exception
    assert at.slider(key="gap_growth").value == pytest.approx(bull.growth)
    assert at.slider(key="gap_pacing").value == pytest.approx(bull.pacing)
    at.slider(key="gap_growth").set_value(0.2).run()
    at.button(key="gap_reset").click().run()
    assert at.slider(key="gap_growth").value == pytest.approx(bull.growth)


def test_anthropic_explains_thin_data(open_app):
    at = open_app({"gap_buyer": "Anthropic"}, page=PAGE)
    assert not at.exception
    assert "publishes no full-year recognised revenue" in plain(at.info[0].value)
    assert "No equity raised is recorded" in plain(at.info[0].value)


def test_sequoia_cross_check_uses_the_data(open_app):
    at = open_app(page=PAGE)
    text = plain(at.markdown[-1].value)
    assert "$249 bn a year" in text and "$997 bn of AI revenue a year" in text

"""The Gap page's view on a small hand-made ledger, with every expected number worked out by hand below.

The ledger (`write_gap_ledger`) is also the one the Gap page's AppTests open, so the two agree by construction.

OpenAI's commitments (end users' purchases for themselves, not cancelled, definitive and announced by default):
  G1 Oracle   $400 bn, 2025-2029            -> $80 bn a year
  G2 AWS      $30 bn, from 2026, 3 years    -> $10 bn a year 2026-2028
  G3 CoreWeave $50 bn, announced 2025, no term: the assumed 5 years -> $10 bn a year 2025-2029
  not scheduled: G4 (reported only), G5 (undisclosed), G6 (cancelled), G7 (financing); G8 is Anthropic's,
  G9 Meta's (no revenue in the data: not modelled)
  schedule: 2025 90 · 2026 100 · 2027 100 · 2028 100 · 2029 90 · later 0; total $480 bn
OpenAI's company plan (from its financials): 2025 revenue 10, company target 20 for 2026 -> growth 100 %; one
projection only -> no slowdown; compute share 60 %; on schedule; equity raised since 2025: 20.
  revenue 10, 20, 40, 80, 160, 320, 640, 1280 (2025-2032); for compute (60 %): 6, 12, 24, 48, 96, 192, 384, 768
  need = spend - for compute: 84, 88, 76, 52, -6, -192, -384, -768
  cumulative need: 84, 172, 248, 300, 294, 102, -282, -1050; less 20 raised: 64, 152, 228, 280, 274, 82, -302, -1070
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from compute_ledger.analysis import gap_model as m
from compute_ledger.analysis.filters import DealFilter
from compute_ledger.data.build import build
from compute_ledger.data.load import REPO_DATA_DIR, load_ledger
from compute_ledger.data.schema import TABLES
from compute_ledger.views.gap import gap_controls, gap_view

SOURCE = {"source_title": "Fixture source (test data)", "source_url": "https://example.org/fixture/article",
          "source_date": "2025-11-01", "source_kind": "company"}

# id, buyer, provider, type, value, start, end, term, status, layer, firmness
GAP_DEALS = [
    ("G1", "openai", "oracle-oci", "cloud_compute", "400", "2025", "2029", "", "signed", "end_user", "definitive"),
    ("G2", "openai", "aws", "cloud_compute", "30", "2026", "", "3", "signed", "end_user", "definitive"),
    ("G3", "openai", "coreweave", "cloud_compute", "50", "", "", "", "letter_of_intent", "end_user", "announced"),
    ("G4", "openai", "google-cloud", "cloud_compute", "100", "2026", "2027", "", "rumored", "end_user", "reported"),
    ("G5", "openai", "nvidia", "chips", "", "2026", "2027", "", "signed", "end_user", "definitive"),
    ("G6", "openai", "crusoe", "cloud_compute", "40", "2025", "2026", "", "cancelled", "end_user", "definitive"),
    ("G7", "openai", "softbank", "equity_investment", "40", "", "", "", "completed", "financing", "definitive"),
    ("G8", "anthropic", "google-cloud", "cloud_compute", "20", "2026", "2027", "", "signed", "end_user", "definitive"),
    ("G9", "meta", "oracle-oci", "cloud_compute", "20", "2026", "2027", "", "signed", "end_user", "definitive"),
]

GAP_FINANCIALS = [
    # company, year, period, as_of, metric, value, projection, estimator
    ("openai", "2025", "full_year", "", "revenue", "10", "false", ""),
    ("openai", "2026", "full_year", "", "revenue", "20", "true", ""),
    ("openai", "2025", "full_year", "", "equity_raised", "20", "false", ""),
    ("openai", "2026", "point_in_time", "2026-03-01", "revenue_run_rate", "20", "false", ""),
    ("openai", "2030", "multi_year", "", "funding_gap_estimate", "207", "true", "HSBC"),
    ("anthropic", "2026", "point_in_time", "2026-06-30", "revenue_run_rate", "5", "false", ""),
    ("nvidia", "2025", "quarter", "2025-10-26", "datacenter_revenue", "50", "false", ""),
]

GAP_MILESTONES = [
    {"milestone_id": "F01", "date": "2025-12-31", "company_id": "openai", "site": "OpenAI compute fleet",
     "milestone_type": "compute_capacity", "scope": "fleet", "capacity_gw": "1.9", "stage": "operational",
     "description": "OpenAI's operating fleet at the end of 2025 (fixture)."},
]


def deal_row(row: tuple) -> dict:
    deal_id, buyer, provider, deal_type, value, start, end, term, status, layer, firmness = row
    return {"deal_id": deal_id, "announced": "2025-03-01", "buyer_id": buyer, "provider_id": provider,
            "deal_type": deal_type, "value_usd_bn": value, "value_basis": "contract" if value else "",
            "is_estimate": "false", "start_year": start, "end_year": end, "term_years": term, "status": status,
            "layer": layer, "firmness": firmness, "counts_in_totals": "true",
            "description": f"Fixture deal {deal_id}: {buyer} and {provider}.", **SOURCE}


def financial_row(row: tuple) -> dict:
    company, year, period, as_of, metric, value, projection, estimator = row
    return {"company_id": company, "year": year, "period_basis": "calendar", "period": period, "as_of": as_of,
            "metric": metric, "value_usd_bn": value, "is_projection": projection, "estimator": estimator,
            "description": f"{company} {metric} {year} (fixture).", **SOURCE}


def write_table(path: Path, table: str, rows: list[dict]) -> None:
    from tests.fixtures.small_ledger import _write

    _write(path, table, [{**SOURCE, **row} for row in rows])


def write_ledger(folder: Path, deals: list[dict], milestones: list[dict], financials: list[dict]) -> Path:
    """Build a ledger of these rows (bundled companies) into `folder`: sources/*.csv and validated parquet."""
    sources = folder / "sources"
    sources.mkdir(parents=True)
    shutil.copy(REPO_DATA_DIR / "sources" / "companies.csv", sources / "companies.csv")
    write_table(sources / "deals.csv", "deals", deals)
    write_table(sources / "milestones.csv", "milestones", milestones)
    write_table(sources / "financials.csv", "financials", financials)
    problems = build(folder)
    assert problems == [], problems
    return folder


def write_gap_ledger(folder: Path) -> Path:
    return write_ledger(folder, [deal_row(r) for r in GAP_DEALS], GAP_MILESTONES,
                        [financial_row(r) for r in GAP_FINANCIALS])


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return load_ledger(str(write_gap_ledger(tmp_path_factory.mktemp("gap") / "ledger"))).tables


PLAN_INPUTS = (1.0, 0.0, 0.6, 1.0, 20.0, 5)  # growth, slowdown, compute share, pacing, funding, assumed term


def view(tables, *inputs, deal_filter=DealFilter(), buyer="openai", preset=m.PRESET_PLAN):
    return gap_view(tables, deal_filter, buyer, preset, *(inputs or PLAN_INPUTS))


def cards(v) -> dict[str, str]:
    return {c.label: c.value for c in v.metrics}


def test_controls_offer_the_modelled_buyers_with_their_presets(tables):
    controls = gap_controls(tables, DealFilter())
    assert controls.buyers == ("openai", "anthropic") and controls.preferred == "openai"
    assert gap_controls(tables, DealFilter(buyers=("anthropic",))).preferred == "anthropic"
    plan = {s.name: s.value for s in controls.sliders("openai", m.PRESET_PLAN)}
    assert plan == dict(zip(("growth", "growth_decay", "compute_share", "pacing", "external_funding",
                             "default_term_years"), PLAN_INPUTS))
    # Bear: half the growth (50 %), slowdown + 0.1, half the revenue for compute.
    bear = {s.name: s.value for s in controls.sliders("openai", m.PRESET_BEAR)}
    assert (bear["growth"], bear["growth_decay"], bear["compute_share"]) == (0.5, 0.1, 0.5)
    growth = controls.sliders("openai", m.PRESET_PLAN)[0]
    assert (growth.key, growth.low, growth.high, growth.step) == ("gap_growth", 0.0, 3.0, 0.01)
    assert "company target for 2026" in growth.help


def test_company_plan_by_hand(tables):
    v = view(tables)
    assert v.empty == "" and v.thin_data == ""
    assert cards(v) == {
        "Cumulative gap by 2030": "$82 bn",            # 2030 in the module docstring
        "Revenue covers spend from": "2029",           # 96 for compute >= 90 due, and every later year
        "Largest yearly shortfall (2026)": "$88 bn",   # 100 - 12
        "Revenue in 2032": "$1.28 tn",                 # 10 doubled seven times
    }
    assert v.years["cumulative_gap"].to_list() == pytest.approx([64, 152, 228, 280, 274, 82, -302, -1070])
    assert v.revenue_title == "OpenAI: $480 bn of disclosed commitments against $10 bn of 2025 revenue"
    assert v.scenario_title == "Company plan scenario: revenue covers spend from 2029"


def test_inputs_move_the_numbers(tables):
    # Flat revenue (no growth), half of it (5) for compute, 100 raised:
    # need 85, 95, 95, 95, 85, -5, -5, -5; cumulative 85, 180, 275, 370, 455, 450, 445, 440; less 100 -> 2030: 350
    v = view(tables, 0.0, 0.0, 0.5, 1.0, 100.0, 5, preset=m.PRESET_BEAR)
    assert cards(v) == {"Cumulative gap by 2030": "$350 bn", "Revenue covers spend from": "2030",
                        "Largest yearly shortfall (2026)": "$95 bn",  # 2026, 2027 and 2028 tie: the first is named
                        "Revenue in 2032": "$10 bn"}
    assert v.scenario_title == "Analyst bear scenario: revenue covers spend from 2030"


def test_a_surplus_is_shown_as_no_gap_and_said_in_the_help(tables):
    # The plan with 300 raised instead of 20: 2030 cumulative need 102 - 300 = -198, a surplus.
    v = view(tables, 1.0, 0.0, 0.6, 1.0, 300.0, 5)
    card = v.metrics[0]
    assert card.value == "$0 bn" and "A surplus of $198 bn." in card.help


def test_assumed_term_spreads_undated_deals(tables):
    # G3's $50 bn over 10 years instead of 5: 5 a year 2025-2034, so 5 less due 2025-2029 and 5 more 2030-2032.
    # Due: 85, 95, 95, 95, 85, 5, 5, 5. Plan: need 79, 83, 71, 47, -11, -187, -379, -763;
    # cumulative to 2030: 79 + 83 + 71 + 47 - 11 - 187 = 82; less 20 -> 62.
    v = view(tables, 1.0, 0.0, 0.6, 1.0, 20.0, 10)
    assert cards(v)["Cumulative gap by 2030"] == "$62 bn"
    assert v.revenue_title.startswith("OpenAI: $480 bn")  # the same commitments, spread differently


def test_the_firmness_filter_counts_reported_deals_when_asked(tables):
    # G4 (reported only, $100 bn over 2026-2027) joins: 50 more due in 2026 and 2027 -> cumulative gap +100.
    v = view(tables, deal_filter=DealFilter(tiers=("definitive", "announced", "reported")))
    assert v.revenue_title.startswith("OpenAI: $580 bn")
    assert cards(v)["Cumulative gap by 2030"] == "$182 bn"


def test_comparison_sets_the_presets_beside_published_estimates(tables):
    v = view(tables)
    rows = {r["estimate"]: r["amount"] for r in v.comparison.iter_rows(named=True)}
    assert rows["This model, company plan"] == "$82 bn"
    assert rows["HSBC"] == "$207 bn"
    assert set(rows) == {"This model, company plan", "This model, analyst bear", "This model, bull", "HSBC"}


def test_sequoia_cross_check(tables):
    # Nvidia's data-centre quarter of 50 x 4 = 200 a year; x 2 x 2 = 800 needed; labs' run-rates 20 + 5 = 25.
    text = view(tables).cross_check.replace("\\$", "$")  # Markdown: dollars escaped (two would start maths)
    assert "ran at $200 bn a year (quarter to 26 Oct 2025, × 4)" in text
    assert "about **$800 bn of AI revenue a year**" in text
    assert "add up to $25 bn (Anthropic $5 bn, OpenAI $20 bn)" in text


def test_thin_data_is_named(tables):
    # Anthropic: only a run-rate (5, Jun 2026) and no equity raised in the data.
    v = view(tables, 0.5, 0.0, 0.6, 1.0, 0.0, 5, buyer="anthropic")
    assert "publishes no full-year recognised revenue" in v.thin_data and "($5 bn)" in v.thin_data
    assert "No equity raised is recorded" in v.thin_data


def test_nothing_to_model_is_said_not_raised(tables):
    v = view(tables, deal_filter=DealFilter(date_to=dt.date(2024, 12, 31)))
    assert v.empty == "OpenAI has no commitment with a disclosed value under the current filter."
    assert v.metrics == () and v.revenue_chart is None


LINK_CHOICES = {"gap_buyer": (("OpenAI", "Anthropic"), "OpenAI"),
                "gap_preset": (("Company plan", "Analyst bear", "Bull"), "Company plan")}


@pytest.mark.parametrize("param, raw", [
    ("gap_growth", "99"),              # past the slider's end (3)
    ("gap_growth", "-0.5"),            # below its start
    ("gap_growth", "fast"),            # not a number
    ("gap_growth", "nan"),
    ("gap_compute_share", "0.07"),     # between two 0.05 steps
    ("gap_default_term_years", "7.5"),  # the slider takes whole years
    ("gap_external_funding", "inf"),
])
def test_link_values_the_sliders_cannot_take_are_named(param, raw):
    problems = m.link_problems({param: raw}, "gap_", LINK_CHOICES)
    assert [p.param for p in problems] == [param]
    assert problems[0].message.startswith(f"The link's {param} '{raw}' is not a number from ")
    assert problems[0].message.endswith("; the preset's value is used.")


def test_link_values_the_sliders_can_take_pass():
    ok = {"gap_growth": "3", "gap_growth_decay": "0.35", "gap_compute_share": "0.55", "gap_pacing": "0.3",
          "gap_external_funding": "1990", "gap_default_term_years": "15", "gap_buyer": "Anthropic",
          "gap_preset": "Bull", "provider": "aws"}
    assert m.link_problems(ok, "gap_", LINK_CHOICES) == []


def test_unknown_choices_are_named():
    problems = m.link_problems({"gap_buyer": "meta", "gap_preset": "moon", "gap_growth": "2"}, "gap_", LINK_CHOICES)
    assert [p.message for p in problems] == [
        "The link's gap_buyer 'meta' is not one of OpenAI, Anthropic; showing OpenAI.",
        "The link's gap_preset 'moon' is not one of Company plan, Analyst bear, Bull; showing Company plan."]

"""The Capacity page's view on a small hand-made ledger (`write_capacity_ledger`, also opened by the page's AppTests),
with the expected numbers worked out by hand from the milestones below.

OpenAI: fleet 0.6 GW (Dec 2024) then 1.9 GW (Dec 2025), its own figure. Sites, each counted once at its latest size:
  Abilene (Stargate) 0.2 running, full size 1.2 · Milam County (Stargate) 1.5 · Michigan 1.0 · Stargate UK 0.5, then
  paused (halted: shown, never counted) -> planned at named sites 1.2 + 1.5 + 1.0 = 3.7 GW, halted 0.5 GW.
  A first AMD gigawatt (tranche, 1.0) is shown apart, never added to the sites.
  Stargate: goal 10 GW, 8 GW announced as planned (Oct 2025); running at its sites: Abilene's 0.2.
  The US manufacturing RFP: published Jan 2026, proposals due Jun 2026, partners chosen Mar 2027.
Anthropic: one campus of 2.0 GW planned, nothing running.
Located (on the map): Abilene, Milam, Stargate UK, Michigan, Anthropic's campus = 5.
"""
from __future__ import annotations

import datetime as dt

import pytest

from compute_ledger.analysis.filters import DealFilter
from compute_ledger.data.load import load_ledger
from compute_ledger.views.capacity import capacity_view
from tests.unit.test_gap_view import GAP_DEALS, GAP_FINANCIALS, deal_row, financial_row, write_ledger

TODAY = dt.date(2026, 5, 1)


def milestone(milestone_id, date, company, site, scope, gw, stage, milestone_type, source_date, program="",
              lat="", lon="", headline="") -> dict:
    return {"milestone_id": milestone_id, "date": date, "company_id": company, "program": program, "site": site,
            "country": "US" if lat else "", "lat": lat, "lon": lon, "milestone_type": milestone_type, "scope": scope,
            "capacity_gw": gw, "stage": stage, "headline": headline, "source_date": source_date,
            "description": f"{site}: {stage} (fixture)."}


CAPACITY_MILESTONES = [
    milestone("F1", "2024-12-31", "openai", "OpenAI compute fleet", "fleet", "0.6", "operational", "compute_capacity",
              "2025-01-15"),
    milestone("F2", "2025-12-31", "openai", "OpenAI compute fleet", "fleet", "1.9", "operational", "compute_capacity",
              "2026-01-15"),
    milestone("P1", "2025-01-21", "openai", "Stargate programme", "programme", "10", "target", "program_target",
              "2025-01-21", program="Stargate"),
    milestone("P2", "2025-10-30", "openai", "Stargate programme", "programme", "8", "planned", "planned_capacity",
              "2025-10-30", program="Stargate"),
    milestone("A1", "2025-06-30", "openai", "Abilene, TX", "site", "0.2", "operational", "operational", "2025-06-30",
              program="Stargate", lat="32.45", lon="-99.73"),
    milestone("A2", "2026-06-30", "openai", "Abilene, TX", "site", "1.2", "under_construction", "planned_capacity",
              "2025-05-23", program="Stargate", lat="32.45", lon="-99.73"),
    milestone("M1", "2027-01-01", "openai", "Milam County, TX", "site", "1.5", "target", "capacity_target",
              "2025-09-23", program="Stargate", lat="30.8", lon="-96.9"),
    milestone("U1", "2026-01-01", "openai", "Stargate UK", "site", "0.5", "target", "capacity_target", "2025-09-16",
              program="Stargate", lat="55.0", lon="-1.6"),
    milestone("U2", "2026-04-09", "openai", "Stargate UK", "site", "", "paused", "pause", "2026-04-09",
              program="Stargate", lat="55.0", lon="-1.6"),
    milestone("N1", "2027-06-30", "openai", "Michigan campus", "site", "1.0", "target", "capacity_target", "2025-10-30",
              lat="42.2", lon="-83.6"),
    milestone("T1", "2026-07-01", "openai", "First AMD gigawatt", "tranche", "1.0", "target", "capacity_target",
              "2025-10-06"),
    milestone("R1", "2026-01-15", "openai", "US manufacturing RFP", "event", "", "completed", "procurement",
              "2026-01-15", program="US manufacturing RFP", headline="RFP published"),
    milestone("R2", "2026-06-01", "openai", "US manufacturing RFP", "event", "", "target", "procurement",
              "2026-01-15", program="US manufacturing RFP", headline="Proposals due"),
    milestone("R3", "2027-03-01", "openai", "US manufacturing RFP", "event", "", "target", "procurement",
              "2026-01-15", program="US manufacturing RFP", headline="Partners chosen"),
    milestone("C1", "2026-12-31", "anthropic", "Anthropic campus", "site", "2.0", "target", "capacity_target",
              "2025-11-12", lat="31.0", lon="-97.0"),
]


def write_capacity_ledger(folder):
    return write_ledger(folder, [deal_row(r) for r in GAP_DEALS], CAPACITY_MILESTONES,
                        [financial_row(r) for r in GAP_FINANCIALS])


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return load_ledger(str(write_capacity_ledger(tmp_path_factory.mktemp("capacity") / "ledger"))).tables


def cards(view) -> dict[str, str]:
    return {m.label: m.value for m in view.metrics}


def test_headline_numbers_by_hand(tables):
    view = capacity_view(tables, DealFilter(), TODAY)
    assert view.empty == ""
    assert cards(view) == {"OpenAI operating (Dec 2025)": "1.9 GW", "OpenAI planned at named sites": "3.7 GW",
                           "Stargate goal": "10 GW", "Stargate announced as planned": "8 GW",
                           "Halted (paused or cancelled)": "0.5 GW"}
    assert all(m.help for m in view.metrics)  # each headline says what it counts
    assert "Oct 2025" in [m for m in view.metrics if m.label == "Stargate announced as planned"][0].help


def test_section_titles_by_hand(tables):
    view = capacity_view(tables, DealFilter(), TODAY)
    assert view.timeline_title == "OpenAI plans 3.7 GW at named sites; 1.9 GW is running"
    assert view.stargate_title == "Stargate: 8 GW announced of a 10 GW goal; 0.2 GW reported running at its sites"
    assert view.map_title == "5 sites on the map, sized by planned GW"
    assert view.rfp_title == "OpenAI's US manufacturing RFP: next step Jun 2026"
    assert view.stargate_caption.startswith("Halted sites stay in the list and count for nothing: Stargate UK (paused).")
    assert all(f is not None for f in (view.timeline_chart, view.stargate_chart, view.map_chart, view.rfp_chart))


def test_tranches_stay_apart_from_sites(tables):
    openai = capacity_view(tables, DealFilter(), TODAY).by_company.row(0, named=True)
    assert (openai["company"], openai["planned_gw"], openai["tranche_gw"]) == ("OpenAI", pytest.approx(3.7), 1.0)


def test_today_decides_the_next_rfp_step(tables):
    assert capacity_view(tables, DealFilter(), dt.date(2026, 7, 1)).rfp_title.endswith("next step Mar 2027")
    assert capacity_view(tables, DealFilter(), dt.date(2027, 6, 1)).rfp_title.endswith("all steps have passed")


def test_buyer_filter_narrows_the_companies(tables):
    view = capacity_view(tables, DealFilter(buyers=("anthropic",)), TODAY)
    assert view.timeline_title == "Anthropic plans 2 GW at named sites; 0 GW is running"
    assert "OpenAI operating (Dec 2025)" not in cards(view) and cards(view)["Halted (paused or cancelled)"] == "0 GW"
    assert view.map_title == "1 site on the map, sized by planned GW"
    assert view.intro.endswith("Showing: Anthropic.")


def test_a_buyer_without_milestones_is_said_not_raised(tables):
    view = capacity_view(tables, DealFilter(buyers=("meta",)), TODAY)
    assert view.empty == "No capacity milestones for the selected buyers." and view.metrics == ()


def test_no_deal_filter_shows_everyone(tables):
    # The deals could not be loaded: the sidebar has no filter, the page still shows every company.
    assert cards(capacity_view(tables, None, TODAY))["OpenAI planned at named sites"] == "3.7 GW"

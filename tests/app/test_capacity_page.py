"""The Capacity page as a user sees it, on the small hand-made ledger of tests/unit/test_capacity_view.py (the
numbers are worked out by hand in that module's docstring), with today frozen at 1 May 2026."""
from __future__ import annotations

import datetime as dt

import pytest

from compute_ledger.app import loading
from tests.app.conftest import metrics_of, open_page, plain
from tests.unit.test_capacity_view import write_capacity_ledger

PAGE = "pages/capacity.py"


@pytest.fixture
def capacity(tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGER_DATA", str(write_capacity_ledger(tmp_path / "ledger")))
    monkeypatch.setattr(loading, "today", lambda: dt.date(2026, 5, 1))

    return lambda params=None: open_page(PAGE, params)


def test_page_shows_planned_vs_running(capacity):
    at = capacity()
    assert metrics_of(at) == {"OpenAI operating (Dec 2025)": "1.9 GW", "OpenAI planned at named sites": "3.7 GW",
                              "Stargate goal": "10 GW", "Stargate announced as planned": "8 GW",
                              "Halted (paused or cancelled)": "0.5 GW"}
    assert all(m.help for m in at.metric)
    assert [plain(s.value) for s in at.main.subheader] == [
        "OpenAI plans 3.7 GW at named sites; 1.9 GW is running",
        "Stargate: 8 GW announced of a 10 GW goal; 0.2 GW reported running at its sites",
        "5 sites on the map, sized by planned GW",
        "OpenAI's US manufacturing RFP: next step Jun 2026",  # today is frozen at 1 May 2026
    ]
    assert len(at.get("plotly_chart")) == 4
    halted = [plain(c.value) for c in at.caption if plain(c.value).startswith("Halted sites")]
    assert halted and "Stargate UK (paused)" in halted[0]


def test_buyer_filter_narrows_companies(capacity):
    at = capacity({"buyer": "anthropic"})
    assert at.main.subheader[0].value == "Anthropic plans 2 GW at named sites; 0 GW is running"
    assert "OpenAI operating (Dec 2025)" not in metrics_of(at)


def test_buyer_without_milestones(capacity):
    at = capacity({"buyer": "meta"})
    assert "No capacity milestones for the selected buyers" in at.main.info[0].value
    assert not at.get("plotly_chart") and not at.metric


def test_bundled_data_renders(open_app):
    # The real ledger: no numbers asserted (researchers update it), only that every section draws.
    at = open_app(page=PAGE)
    assert not at.exception and len(at.get("plotly_chart")) == 5  # the power chart too


@pytest.fixture
def power_ledger(tmp_path, monkeypatch):
    from tests.fixtures.small_ledger import DEALS, write_small_ledger
    from tests.unit.test_power_and_pledges import EXTRA
    monkeypatch.setenv("LEDGER_DATA", str(write_small_ledger(tmp_path / "ledger", DEALS + EXTRA)))
    monkeypatch.setattr(loading, "today", lambda: dt.date(2026, 5, 1))
    return lambda params=None: open_page(PAGE, params)


def test_power_is_shown_beside_the_sites_never_added(power_ledger):
    # Worked out in tests/unit/test_power_and_pledges.py: sites 9.5 GW; power 0.835 + 6.6 + 2.67 GW (+1 GW
    # reported beside); pledges $30 bn.
    at = power_ledger()
    cards = metrics_of(at)
    assert cards["Contracted site capacity"] == "9.5 GW"
    assert cards["Power contracted for AI data centres"] == "10.1 GW"
    assert cards["Pledged investment (not contracts)"] == "$30 bn"
    assert ("10.1 GW of power contracted for AI data centres, beside 9.5 GW of contracted sites: two series, "
            "never added") in [plain(s.value) for s in at.main.subheader]
    power = [m for m in at.metric if m.label == "Power contracted for AI data centres"][0]
    assert "never added to site or chip GW" in power.help
    assert any("never added" in plain(c.value) and "Pledges" in plain(c.value) for c in at.caption)


def test_the_power_total_lists_its_rows_with_their_source_of_power(power_ledger):
    at = power_ledger()
    at.session_state["cap_how_built_1"] = True  # what opening the power total's table in the browser does
    at.run()
    (box,) = [e for e in at.expander if plain(e.label) == "How this total is built: Power contracted for AI data centres"]
    table = box.dataframe[0].value
    assert sorted(table["deal_id"].tolist()) == ["L13", "L14", "L15"]
    assert sorted(table["power_type"].tolist()) == ["gas", "nuclear", "nuclear"]
    assert table["amount"].sum() == pytest.approx(10.105)


def test_a_buyer_without_power_rows_sees_no_power_chart(power_ledger):
    at = power_ledger({"buyer": "anthropic"})
    assert "Power contracted for AI data centres" not in metrics_of(at)

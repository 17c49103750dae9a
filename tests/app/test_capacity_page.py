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
    assert not at.exception and len(at.get("plotly_chart")) == 4

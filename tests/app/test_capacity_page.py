"""The Capacity page with the bundled data (figures from data/sources/milestones.csv)."""
from __future__ import annotations

from tests.app.conftest import metrics_of

PAGE = "pages/capacity.py"


def test_page_shows_planned_vs_running(open_app):
    at = open_app(page=PAGE)
    assert not at.exception
    shown = metrics_of(at)
    assert shown["OpenAI operating (Dec 2025)"] == "1.9 GW"   # M017
    # Korea 0.02 + Milam 1.2 + UAE 0.2 + India 0.1 + Abilene 1.2 + Shackelford 1.4 + Jupiter 1 + Norway 0.23
    # + Argentina 0.1 + Michigan 1 + Port Washington 0.9 = 7.35
    assert shown["OpenAI planned at named sites"] == "7.4 GW"
    assert shown["Stargate goal"] == "10 GW" and shown["Stargate announced as planned"] == "8 GW"
    assert shown["Halted (paused or cancelled)"] == "0.6 GW"  # Abilene expansion (M031); Stargate UK has no GW
    titles = [s.value for s in at.subheader]
    assert titles[0] == "OpenAI plans 7.4 GW at named sites; 1.9 GW is running"
    assert titles[1] == "Stargate: 8 GW announced of a 10 GW goal; 0.2 GW reported running at its sites"
    assert titles[3] == "OpenAI's US manufacturing RFP: next step Mar 2027"
    assert len(at.get("plotly_chart")) == 4
    halted = [c.value for c in at.caption if c.value.startswith("Halted sites")][0]
    assert "Stargate UK (paused)" in halted and "(cancelled)" in halted


def test_buyer_filter_narrows_companies(open_app):
    at = open_app({"buyer": "anthropic"}, page=PAGE)
    assert not at.exception
    assert at.subheader[0].value == "Anthropic plans 0 GW at named sites; 0 GW is running"
    assert "OpenAI operating (Dec 2025)" not in metrics_of(at)


def test_buyer_without_milestones(open_app):
    at = open_app({"buyer": "humain"}, page=PAGE)
    assert not at.exception
    assert "No capacity milestones for the selected buyers" in at.info[0].value

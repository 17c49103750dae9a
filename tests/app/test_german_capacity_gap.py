"""The Capacity and Infrastructure gap pages in German (issue 29), on the small hand-made ledgers of
tests/unit/test_capacity_view.py and tests/unit/test_gap_view.py: the same hand-worked numbers as the English tests
(tests/app/test_capacity_page.py, tests/app/test_gap_page.py), written the German way; charts with German separators
and ticks; a preset named in a link in either language opens the same scenario; and the German view is never the
English one from the cache (or the other way round)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from compute_ledger.app import loading
from tests.app.conftest import metrics_of, open_page, plain
from tests.unit.test_capacity_view import write_capacity_ledger
from tests.unit.test_gap_view import write_gap_ledger

CAPACITY, GAP = "pages/capacity.py", "pages/gap.py"
NBSP = "\u00a0"


@pytest.fixture
def capacity(tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGER_DATA", str(write_capacity_ledger(tmp_path / "ledger")))
    monkeypatch.setattr(loading, "today", lambda: dt.date(2026, 5, 1))
    return lambda params=None: open_page(CAPACITY, params)


@pytest.fixture
def gap(tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGER_DATA", str(write_gap_ledger(tmp_path / "ledger")))
    return lambda params=None: open_page(GAP, params)


def spec(at, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def test_the_capacity_page_in_german(capacity):
    at = capacity({"lang": "de"})
    # The English test's cards (1.9 GW, 3.7 GW, 10 GW, 8 GW, 0.5 GW; OpenAI's fleet as of Dec 2025), in German.
    assert metrics_of(at) == {"OpenAI in Betrieb (Dez. 2025)": f"1,9{NBSP}GW",
                              "OpenAI geplant an benannten Standorten": f"3,7{NBSP}GW",
                              "Stargate-Ziel": f"10{NBSP}GW", "Stargate, als geplant angekündigt": f"8{NBSP}GW",
                              "Gestoppt (pausiert oder abgesagt)": f"0,5{NBSP}GW"}
    assert [plain(s.value) for s in at.main.subheader] == [
        f"OpenAI plant 3,7{NBSP}GW an benannten Standorten; 1,9{NBSP}GW sind in Betrieb",
        f"Stargate: 8{NBSP}GW des Ziels von 10{NBSP}GW angekündigt; 0,2{NBSP}GW laut Berichten an seinen Standorten "
        "in Betrieb",
        "5 Standorte auf der Karte, Größe nach geplanten GW",
        "OpenAIs Ausschreibung für US-Fertigung: nächster Schritt Juni 2026",  # today is frozen at 1 May 2026
    ]
    halted = [plain(c.value) for c in at.caption if plain(c.value).startswith("Gestoppte Standorte")]
    assert halted and "Stargate UK (pausiert)" in halted[0]
    timeline = spec(at, 0)
    assert timeline["layout"]["separators"] == ",."
    # Date ticks written by Babel (Plotly's own month names are English), the "today" line in German.
    assert timeline["layout"]["xaxis"]["ticktext"] and all(t.isdigit() or t.startswith("Q")
                                                             for t in timeline["layout"]["xaxis"]["ticktext"])
    assert [a["text"] for a in timeline["layout"]["annotations"]] == ["heute"]
    assert "GW bis %{customdata[1]}" in timeline["data"][0]["hovertemplate"]


def test_the_gap_page_in_german(gap):
    at = gap({"lang": "de"})
    # The English test's numbers ($82 bn, 2029, $88 bn, $1.28 tn), in German.
    assert metrics_of(at) == {"Kumulierte Lücke bis 2030": f"82{NBSP}Mrd.{NBSP}USD",
                              "Umsatz deckt Ausgaben ab": "2029",
                              "Größte jährliche Lücke (2026)": f"88{NBSP}Mrd.{NBSP}USD",
                              "Umsatz 2032": f"1,28{NBSP}Bio.{NBSP}USD"}
    titles = [plain(s.value) for s in at.main.subheader]
    assert titles[0] == (f"OpenAI: 480{NBSP}Mrd.{NBSP}USD offengelegte Zusagen gegenüber 10{NBSP}Mrd.{NBSP}USD "
                         "(Umsatz 2025)")
    assert titles[1] == "Szenario „Unternehmensplan“: Der Umsatz deckt die Ausgaben ab 2029"
    for index in range(3):
        layout = spec(at, index)["layout"]
        assert layout["separators"] == ",." and layout["yaxis"]["ticksuffix"] == f"{NBSP}Mrd."
        assert "tickprefix" not in layout["yaxis"]
    assumptions = at.dataframe[0].value
    assert dict(zip(assumptions["input"], assumptions["source"]))["Startumsatz"] == "Umsatz 2025 (Finanzdaten)"
    table = at.dataframe[-1].value
    assert dict(zip(table["estimate"], table["amount"]))["Dieses Modell, Unternehmensplan"] == f"82{NBSP}Mrd.{NBSP}USD"
    assert at.selectbox(key="gap_preset").value == "plan"
    assert plain(at.slider(key="gap_growth").help) == f"Unternehmensziel für 2026: 20{NBSP}Mrd.{NBSP}USD"


@pytest.mark.parametrize("params, preset, shown", [
    ({"gap_preset": "Analysten, pessimistisch"}, "bear", "Analyst bear"),  # a German link, opened in English
    ({"lang": "de", "gap_preset": "Analyst bear"}, "bear", "Analysten, pessimistisch"),  # and the other way round
])
def test_a_preset_named_in_the_other_language_opens_the_same_scenario(gap, params, preset, shown):
    at = gap(params)
    assert not at.warning
    assert at.selectbox(key="gap_preset").value == preset
    assert at.query_params["gap_preset"] == [shown] or at.query_params["gap_preset"] == shown


def test_an_unknown_preset_is_still_named(gap):
    at = gap({"gap_preset": "Sunshine"})
    warnings = [plain(w.value) for w in at.warning]
    assert len(warnings) == 1 and "'Sunshine'" in warnings[0]
    assert at.selectbox(key="gap_preset").value == "plan"


@pytest.mark.parametrize("page, english_title", [(CAPACITY, "Capacity: planned vs running"),
                                                 (GAP, "The infrastructure gap")])
def test_each_language_gets_its_own_view_from_the_cache(page, english_title, monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    english = open_page(page, {"lang": "en"})
    german = open_page(page, {"lang": "de"})
    again = open_page(page, {"lang": "en"})
    assert plain(english.title[0].value) == plain(again.title[0].value) == english_title
    assert [m.label for m in english.metric] == [m.label for m in again.metric]
    assert [m.value for m in english.metric] == [m.value for m in again.metric]
    assert not {m.label for m in german.metric} & {m.label for m in english.metric}
    assert all("GW" in v or "USD" in v or v.isdigit() for v in (m.value for m in german.metric))
    assert not [v for v in (m.value for m in german.metric) if "$" in v or " bn" in v]

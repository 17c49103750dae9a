"""Who backs each number, where numbers are read (issue 25): the citation count and first reporter in the Overview's
"How this total is built" tables and on the Data page, the Source strength panel, and both dates.

The small ledger (tests/fixtures/small_ledger.py), with two more pages written here: L02 (OpenAI-Oracle, USD 300 bn)
gets a Reuters page relaying The Wall Street Journal as its primary, beside the fixture's company page; L06
(Meta-Oracle USD 20 bn, rumoured) rests on one aggregator page with a recorded reason.
"""
from __future__ import annotations

import csv

import polars as pl
import pytest

from compute_ledger.data.build import build
from tests.app.conftest import new_app, plain
from tests.fixtures.small_ledger import CHECKED, write_small_ledger

WSJ = "The Wall Street Journal"


def _append(path, rows: list[dict]) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        columns = next(csv.reader(handle))
    with open(path, "a", newline="", encoding="utf-8") as handle:
        csv.DictWriter(handle, fieldnames=columns, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    folder = write_small_ledger(tmp_path_factory.mktemp("shown") / "ledger")
    sources = folder / "sources"
    citations = pl.read_csv(sources / "citations.csv", infer_schema=False).with_columns(
        is_primary=pl.when(pl.col("record_id").is_in(["L02", "L06"])).then(pl.lit("false"))
        .otherwise(pl.col("is_primary")))
    # L06: its only page becomes an aggregator's (the fixture's company page is dropped).
    citations.filter(pl.col("record_id") != "L06").write_csv(sources / "citations.csv")
    _append(sources / "citations.csv", [
        {"record_table": "deals", "record_id": "L02", "url": "https://www.reuters.com/technology/l02",
         "title": "OpenAI signs cloud deal with Oracle", "published": "2025-09-10", "supports": "value;parties",
         "first_reported_by": WSJ, "is_primary": "true"},
        {"record_table": "deals", "record_id": "L06", "url": "https://aggregator.example/l06",
         "title": "Meta in talks with Oracle", "published": "2025-06-01", "supports": "value",
         "is_primary": "true"}])
    _append(sources / "publishers.csv", [{"host": "reuters.com", "publisher": "Reuters", "kind": "major_outlet"},
                                         {"host": "aggregator.example", "publisher": "Aggregator",
                                          "kind": "aggregator"}])
    deals = pl.read_csv(sources / "deals.csv", infer_schema=False)
    deals.with_columns(single_source_reason=pl.when(pl.col("deal_id") == "L06").then(
        pl.lit("Only an aggregator reported the talks"))).write_csv(sources / "deals.csv")
    assert build(folder) == []
    return folder


@pytest.fixture
def open_on(ledger, monkeypatch):
    monkeypatch.setenv("LEDGER_DATA", str(ledger))

    def _open(page: str | None = None, params: dict | None = None):
        at = new_app()
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception
        return at

    return _open


def test_how_built_tables_show_the_citations_and_first_reporter(open_on):
    at = open_on(params={"firmness": "definitive,announced,reported"})
    boxes = [e for e in at.expander if plain(e.label).startswith("How this total is built: ")]
    for i in range(len(boxes)):
        at.session_state[f"ovw_how_built_{i}"] = True
    at.run()
    labs = next(e for e in at.expander if plain(e.label) == "How this total is built: AI labs' compute commitments")
    rows = labs.dataframe[0].value.set_index("deal_id")
    assert {"source_publisher", "source_kind", "citation_count", "first_reported_by"} <= set(rows.columns)
    assert rows.loc["L02", "citation_count"] == 2 and rows.loc["L02", "first_reported_by"] == WSJ
    assert rows.loc["L02", "source_publisher"] == "Reuters" and rows.loc["L02", "source_kind"] == "major_outlet"
    # A page that relays no one: its own publisher reported it first.
    assert rows.loc["L01", "citation_count"] == 1 and rows.loc["L01", "first_reported_by"] == "Publisher of example.org"
    assert rows.loc["L06", "source_kind"] == "aggregator"
    assert "Select a row to list every page that backs it." in [plain(c.value) for c in labs.caption]


def test_the_sidebar_and_overview_give_both_dates(open_on):
    at = open_on()
    checked = f"last checked against the published reports on {pl.Series([CHECKED]).str.to_date()[0]:%-d %b %Y}"
    assert checked in at.sidebar.caption[0].value and "Data as of" in at.sidebar.caption[0].value
    scope = plain(at.caption[0].value)
    assert "data as of 1 Nov 2025 (the newest source)" in scope and checked in scope


def test_the_data_explorer_shows_who_backs_each_row(open_on):
    at = open_on("pages/data.py")
    rows = at.dataframe[0].value
    assert list(rows.columns[:5]) == ["deal_id", "source_publisher", "source_kind", "citation_count",
                                      "first_reported_by"]
    by_id = rows.set_index("deal_id")
    assert by_id.loc["L02", "citation_count"] == 2 and by_id.loc["L02", "first_reported_by"] == WSJ


def test_the_citations_table_is_one_of_the_explorer_tables(open_on):
    at = open_on("pages/data.py", {"data_table": "citations", "data_search": "Oracle"})
    rows = at.dataframe[0].value
    assert set(rows["record_id"]) == {"L02", "L06"}
    assert set(rows["publisher"]) == {"Reuters", "Aggregator"}


def test_source_strength_panel_adds_up_and_lists_single_sourced_rows(open_on):
    at = open_on("pages/data.py", {"firmness": "definitive,announced,reported"})
    assert "Source strength" in [s.value for s in at.subheader]
    panel = next(d.value for d in at.dataframe if "company_or_filing" in d.value.columns)
    shares = panel[["company_or_filing", "corroborated", "single_report"]].sum(axis=1)
    assert (shares.round(6) == 100).all()
    # AI labs' commitments, every tier: L01 250 + L02 300 + L06 20 + L07 100 + L11 100 = 770 (L03 undisclosed,
    # L09 cancelled, L10 overlaps). Company pages back all but L06, the aggregator's USD 20 bn: 20 / 770.
    labs = panel.set_index("total").loc["AI labs' compute commitments"]
    assert labs["single_report"] == pytest.approx(100 * 20 / 770)
    assert labs["company_or_filing"] == pytest.approx(100 * 750 / 770)
    todo = next(d.value for d in at.dataframe if "single_source_reason" in d.value.columns
                and "record_id" in d.value.columns)
    assert list(todo["record_id"]) == ["L06"]
    assert todo["single_source_reason"][0] == "Only an aggregator reported the talks"
    assert any(m.value.startswith("**1 row the source rule covers") for m in at.markdown)

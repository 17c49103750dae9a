"""Each rule of the schema, shown failing on one cell of otherwise good data.

The message must name the file, the CSV line (header = line 1) and the column.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from compute_ledger.data.citations import read_sources
from compute_ledger.data.load import read_tables
from tests.conftest import read_text_csv, set_cell


def problems_after(data_dir: Path, table: str, row: int, column: str, value: str | None):
    csv = data_dir / "sources" / f"{table}.csv"
    set_cell(csv, row, column, value)
    tables, problems = read_sources(data_dir / "sources")
    return str(csv), tables, problems


CASES = [
    # table, data row, column, bad value, words the message must contain[, column the problem is reported on]
    ("deals", 0, "value_usd_bn", "-3", "outside the allowed range 0 to 5000"),
    ("deals", 1, "value_usd_bn", "NaN", "not a finite number"),
    ("deals", 2, "value_usd_bn", "inf", "not a finite number"),
    ("deals", 3, "value_usd_bn", "38000", "outside the allowed range"),
    ("deals", 4, "value_usd_bn", "about 40", "cannot read 'about 40' as a number"),
    ("deals", 5, "capacity_gw", "-1", "outside the allowed range"),
    ("deals", 6, "announced", "1900-01-01", "outside the allowed range 2015-01-01 to 2035-12-31"),
    ("deals", 7, "announced", "2999-01-01", "outside the allowed range"),
    ("deals", 8, "announced", "03/11/2025", "cannot read '03/11/2025' as a date"),
    ("deals", 9, "buyer_id", "open-ai", "'open-ai' is not a known company_id in companies"),
    ("deals", 10, "provider_id", "amazon-aws", "'amazon-aws' is not a known company_id in companies"),
    ("deals", 11, "deal_type", "cloud", "'cloud' is not one of: cloud_compute"),
    ("deals", 12, "status", "done", "'done' is not one of:"),
    ("citations", 13, "url", "javascript:alert(1)", "is not an http(s) web address"),
    ("citations", 14, "url", None, "is required but empty"),
    ("citations", 15, "supports", "figures", "has the wrong form"),
    ("citations", 16, "is_primary", "perhaps", "cannot read 'perhaps' as true/false"),
    ("publishers", 3, "kind", "blog", "'blog' is not one of: company, filing, major_outlet, trade_press, aggregator, "
                                      "blog_or_summary"),
    ("publishers", 4, "host", "www.example.org", "a host is written without a leading www."),
    ("dataset", 0, "checked_against_reports", "yesterday", "cannot read 'yesterday' as a date"),
    ("deals", 15, "is_estimate", "maybe", "cannot read 'maybe' as true/false"),
    ("deals", 16, "counts_in_totals", "false", "must name the row it overlaps", "overlaps_with"),
    ("deals", 17, "overlaps_with", "D999", "'D999' is not a known deal_id in deals"),
    ("deals", 18, "term_years", "2.5", "cannot read '2.5' as a whole number"),
    ("deals", 19, "start_year", "2014", "outside the allowed range 2015 to 2035"),
    ("deals", 20, "description", "<b>x", "must be 10 to 2000 characters long"),
    ("deals", 21, "value_basis", "guess", "'guess' is not one of:"),
    ("milestones", 0, "stage", "built", "'built' is not one of:"),
    ("milestones", 1, "company_id", "nobody", "'nobody' is not a known company_id in companies"),
    ("milestones", 4, "lat", "123", "outside the allowed range -90 to 90"),
    ("milestones", 4, "lat", None, "lat and lon must be given together", "lon"),
    ("milestones", 2, "country", "USA", "is not a two-letter ISO country code"),
    ("financials", 0, "as_of", None, "a point-in-time or single-quarter figure needs an as_of date"),
    ("financials", 1, "metric", "profit", "'profit' is not one of:"),
    ("financials", 2, "year", "2036", "outside the allowed range 2015 to 2035"),
    ("financials", 3, "is_projection", None, "is required but empty"),
    ("companies", 0, "kind", "startup", "'startup' is not one of: lab"),
    ("companies", 6, "parent", "microsoft-corp", "'microsoft-corp' is not a known company_id in companies"),
    ("companies", 2, "company_id", "Meta Platforms", "is not a lowercase slug"),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}.{c[2]}={c[3]}" for c in CASES])
def test_rule_reports_file_row_and_column(data_dir, case):
    table, row, column, value, words, *reported_column = case
    csv, _, problems = problems_after(data_dir, table, row, column, value)
    reported = reported_column[0] if reported_column else column  # a rule across columns names the one to fix
    found = [p for p in problems if p.file == csv and p.row == row + 2 and p.column == reported]
    assert found, f"no problem at {csv}:{row + 2}:{reported}; got {[str(p) for p in problems]}"
    assert any(words in p.message for p in found), [p.message for p in found]


def test_end_year_before_start_year(data_dir):
    csv = data_dir / "sources" / "deals.csv"
    set_cell(csv, 8, "start_year", "2030")
    set_cell(csv, 8, "end_year", "2026")
    _, problems = read_sources(data_dir / "sources")
    assert [str(p) for p in problems] == [f"{csv}:10:end_year: end_year must not be before start_year"]


def test_duplicate_deal_id_is_reported_on_both_rows(data_dir):
    csv = data_dir / "sources" / "deals.csv"
    first = read_text_csv(csv)["deal_id"][0]
    set_cell(csv, 5, "deal_id", first)
    _, problems = read_sources(data_dir / "sources")
    assert {(p.row, p.column) for p in problems} == {(2, "deal_id"), (7, "deal_id")}
    assert all(f"duplicate value '{first}'" in p.message for p in problems)


def test_duplicate_financial_key_is_reported(data_dir):
    csv = data_dir / "sources" / "financials.csv"
    frame = read_text_csv(csv)
    pl.concat([frame, frame.head(1)]).write_csv(csv)
    _, problems = read_sources(data_dir / "sources")
    assert problems and all("duplicate value" in p.message for p in problems)  # the key is financial_id
    assert {p.row for p in problems} == {2, frame.height + 2}


def test_missing_and_unknown_columns(data_dir):
    csv = data_dir / "sources" / "deals.csv"
    read_text_csv(csv).drop("status").rename({"chips": "chip"}).write_csv(csv)
    tables, problems = read_sources(data_dir / "sources")
    assert "deals" not in tables
    messages = {(p.column, p.message.split(" (")[0]) for p in problems}
    assert ("status", "required column is missing") in messages
    assert ("chip", "unknown column") in messages


def test_a_broken_table_leaves_the_others_loaded(data_dir):
    set_cell(data_dir / "sources" / "deals.csv", 0, "value_usd_bn", "-1")
    tables, problems = read_sources(data_dir / "sources")
    assert set(tables) == {"companies", "milestones", "financials", "citations", "publishers", "dataset"}
    assert len(problems) == 1


def test_a_huge_html_cell_gives_a_short_message(data_dir):
    _, _, problems = problems_after(data_dir, "deals", 0, "status", "<script>alert(1)</script>" * 400)
    (problem,) = problems
    assert len(problem.message) < 300
    assert problem.message.startswith("'<script>alert(1)</script>")


def test_the_bundled_sources_are_clean():
    from tests.conftest import SOURCES
    tables, problems = read_sources(SOURCES)
    assert problems == []
    # Every row of the sources is in the built tables (the counts move as the researchers add rows).
    assert {name: t.height for name, t in tables.items()} == {
        name: pl.read_parquet(SOURCES.parent / f"{name}.parquet").height for name in tables}


POWER_CASES = [
    # deal id (a power deal unless said), column, bad value, words the message must contain, column reported on
    ("D008", "power_type", None, "must say what its power comes from", "power_type"),
    ("D096", "power_type", "coal", "'coal' is not one of: nuclear", "power_type"),
    ("D058", "capacity_kind", "site", "a power deal's GW are power", "capacity_kind"),
    ("D001", "power_type", "gas", "only a power deal (layer power) has a power_type", "power_type"),
    ("D029", "capacity_kind", "power", "a power deal's GW are power", "capacity_kind"),
]


@pytest.mark.parametrize("case", POWER_CASES, ids=[f"{c[0]}.{c[1]}={c[2]}" for c in POWER_CASES])
def test_power_rules_report_file_row_and_column(data_dir, case):
    deal_id, column, value, words, reported = case
    row = read_text_csv(data_dir / "sources" / "deals.csv")["deal_id"].to_list().index(deal_id)
    csv, _, problems = problems_after(data_dir, "deals", row, column, value)
    found = [p for p in problems if p.file == csv and p.row == row + 2 and p.column == reported]
    assert any(words in p.message for p in found), [str(p) for p in problems]

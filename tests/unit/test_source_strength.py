"""Source strength (analysis/sources.py) on a small hand-made ledger, worked out by hand."""
from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from compute_ledger.analysis import sources

# A total's rows: amount (USD bn) and what backs each.
ROWS = pl.DataFrame({
    "deal_id": ["A", "B", "C", "D", "E"],
    "amount": [300.0, 100.0, 50.0, 50.0, None],  # E: undisclosed, adds nothing
    "source_strength": ["company_or_filing", "corroborated", "single_report", "single_report", "single_report"],
})


def test_shares_of_a_total_by_hand():
    shares = sources.strength_shares(ROWS)
    # 300 + 100 + 50 + 50 = 500: company or filing 300/500 = 60 %, corroborated 100/500 = 20 %, single 100/500 = 20 %.
    assert shares.rows() == [("company_or_filing", 300.0, 1, 0.6), ("corroborated", 100.0, 1, 0.2),
                             ("single_report", 100.0, 3, 0.2)]
    assert shares["share"].sum() == pytest.approx(1.0)


def test_a_strength_with_no_rows_is_listed_at_zero():
    shares = sources.strength_shares(ROWS.filter(pl.col("deal_id").is_in(["A", "C"])))
    # 300 + 50 = 350: 300/350 and 50/350; nothing corroborated.
    assert shares.select("strength", "amount").rows() == [("company_or_filing", 300.0), ("corroborated", 0.0),
                                                          ("single_report", 50.0)]
    assert shares["share"].to_list() == pytest.approx([300 / 350, 0.0, 50 / 350])


def test_rows_without_a_recorded_strength_are_named_and_still_add_up():
    """An analyst's upload has no citations: its USD 100 bn is 'not recorded', never counted as single-sourced."""
    mixed = pl.concat([ROWS, pl.DataFrame({"deal_id": ["U"], "amount": [100.0],
                                           "source_strength": [None]}, schema=ROWS.schema)])
    shares = sources.strength_shares(mixed)
    # 500 + 100 = 600.
    assert dict(zip(shares["strength"], shares["share"])) == pytest.approx(
        {"company_or_filing": 0.5, "corroborated": 100 / 600, "single_report": 100 / 600, "not_recorded": 100 / 600})


def test_an_empty_total_is_zero_everywhere():
    shares = sources.strength_shares(ROWS.head(0))
    assert shares["share"].to_list() == [0.0, 0.0, 0.0] and shares["rows"].to_list() == [0, 0, 0]


def test_single_sourced_lists_the_rows_the_rule_covers_largest_first():
    deals = pl.DataFrame({
        "deal_id": ["S1", "S2", "S3", "S4", "S5"],
        "announced": [dt.date(2025, 1, 1)] * 5,
        "description": ["a", "b", "c", "d", "e"],
        "value_usd_bn": [9.0, 40.0, None, 300.0, 12.0],
        "capacity_gw": [None, None, 2.0, None, None],
        "source_strength": ["single_report", "single_report", "single_report", "company_or_filing", "single_report"],
        "source_publisher": ["P"] * 5, "source_kind": ["aggregator"] * 5, "citation_count": [1] * 5,
        "first_reported_by": [None] * 5, "single_source_reason": ["why"] * 5, "source_url": ["https://x.org/a"] * 5,
    })
    # S1 is below USD 10 bn (not covered), S4 has a company page: left out. S2 40 > S5 12 > S3 (GW only).
    assert sources.single_sourced(deals)["record_id"].to_list() == ["S2", "S5", "S3"]


def test_a_rows_citations_primary_first_then_newest():
    citations = pl.DataFrame({
        "record_table": ["deals"] * 3 + ["milestones"], "record_id": ["D1", "D1", "D1", "D1"],
        "url": ["https://a.org/1", "https://b.org/2", "https://c.org/3", "https://d.org/4"],
        "title": ["one", "two", "three", "milestone"], "published": [dt.date(2025, 1, 1), dt.date(2025, 3, 1),
                                                                    dt.date(2025, 2, 1), dt.date(2025, 1, 1)],
        "supports": ["value"] * 4, "first_reported_by": [None] * 4, "is_primary": [False, False, True, True],
        "note": [None] * 4, "publisher": ["A", "B", "C", "D"], "kind": ["trade_press"] * 4,
    })
    assert sources.citations_of(citations, "deals", "D1")["title"].to_list() == ["three", "two", "one"]
    assert sources.citations_of(None, "deals", "D1").is_empty()


def test_credit_says_who_backs_a_row():
    assert sources.credit({"source_publisher": "Reuters", "source_kind": "major_outlet", "citation_count": 3,
                           "first_reported_by": "The Wall Street Journal"}) == (
        "Reuters (major outlet) · 3 citations · first reported by The Wall Street Journal")
    assert sources.credit({"source_publisher": "OpenAI", "source_kind": "company", "citation_count": 1,
                           "first_reported_by": "OpenAI"}) == "OpenAI (company) · 1 citation"
    assert sources.credit({"source_kind": "company"}) == ""

"""Spend schedule and cumulative sums, checked against hand-worked cases."""
from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from compute_ledger.analysis import commitments as c

SCHEMA = {"deal_id": pl.String, "announced": pl.Date, "buyer_id": pl.String, "provider_id": pl.String,
          "deal_type": pl.String, "status": pl.String, "value_usd_bn": pl.Float64, "capacity_gw": pl.Float64,
          "start_year": pl.Int64, "end_year": pl.Int64, "term_years": pl.Int64, "layer": pl.String}


def deals(*rows: dict) -> pl.DataFrame:
    base = {"announced": dt.date(2025, 1, 1), "buyer_id": "openai", "provider_id": "aws", "deal_type": "cloud_compute",
            "status": "signed", "value_usd_bn": None, "capacity_gw": None, "start_year": None, "end_year": None,
            "term_years": None, "layer": "end_user"}
    # Equity is financing, not an end user's purchase (the counting model's layers).
    return pl.DataFrame([{**base, **({"layer": "financing"} if row.get("deal_type") == "equity_investment" else {}),
                          **row} for row in rows], schema=SCHEMA)


def test_seventy_over_seven_years_is_ten_a_year():
    schedule = c.annual_spend_schedule(deals({"deal_id": "a", "value_usd_bn": 70.0, "start_year": 2024, "end_year": 2030}))
    assert schedule["year"].to_list() == list(range(2024, 2031))
    assert schedule["spend_usd_bn"].to_list() == [10.0] * 7
    assert schedule["term_basis"].unique().to_list() == [c.TERM_REPORTED]


def test_quarters_split_each_year_in_four():
    schedule = c.annual_spend_schedule(deals({"deal_id": "a", "value_usd_bn": 70.0, "start_year": 2024, "end_year": 2030}),
                                       period="quarter")
    assert schedule.height == 28
    assert schedule["spend_usd_bn"].to_list() == [2.5] * 28
    assert schedule["period"][:2].to_list() == [dt.date(2024, 1, 1), dt.date(2024, 4, 1)]


def test_term_from_reported_length_and_announcement_year():
    # USD 38B, 7 years, no start year: starts in the announcement year (2025) and ends 2031.
    schedule = c.annual_spend_schedule(deals({"deal_id": "aws", "value_usd_bn": 38.0, "term_years": 7}))
    assert (schedule["year"].min(), schedule["year"].max()) == (2025, 2031)
    assert schedule["spend_usd_bn"].sum() == pytest.approx(38.0)
    assert schedule["term_basis"][0] == c.TERM_FROM_LENGTH


def test_open_ended_deal_uses_the_assumed_term():
    schedule = c.annual_spend_schedule(deals({"deal_id": "azure", "value_usd_bn": 250.0, "start_year": 2025}),
                                       default_term_years=5)
    assert schedule["spend_usd_bn"].to_list() == [50.0] * 5
    assert schedule["term_basis"][0] == c.TERM_ASSUMED
    assert c.annual_spend_schedule(deals({"deal_id": "azure", "value_usd_bn": 250.0, "start_year": 2025}),
                                   default_term_years=10)["spend_usd_bn"].to_list() == [25.0] * 10


def test_undisclosed_equity_cancelled_and_other_layers_are_not_scheduled():
    rows = deals(
        {"deal_id": "undisclosed", "start_year": 2025, "end_year": 2027},
        {"deal_id": "equity", "value_usd_bn": 10.0, "deal_type": "equity_investment"},
        {"deal_id": "cancelled", "value_usd_bn": 10.0, "status": "cancelled"},
        {"deal_id": "resale", "value_usd_bn": 10.0, "layer": "resale"},  # a cloud's purchase to serve a lab
        {"deal_id": "resale-undisclosed", "layer": "resale"},
        {"deal_id": "kept", "value_usd_bn": 3.0, "start_year": 2025, "end_year": 2027},
    )
    assert c.annual_spend_schedule(rows)["deal_id"].unique().to_list() == ["kept"]
    assert c.unscheduled_count(rows) == 1  # the undisclosed commitment: the rest are not commitments


def test_end_before_start_is_clamped_to_one_year():
    schedule = c.annual_spend_schedule(deals({"deal_id": "x", "value_usd_bn": 4.0, "start_year": 2027, "end_year": 2027}))
    assert schedule["spend_usd_bn"].to_list() == [4.0]


def test_cumulative_sums_per_group_and_fills_gaps():
    rows = deals(
        {"deal_id": "a", "value_usd_bn": 10.0, "announced": dt.date(2025, 1, 15)},
        {"deal_id": "b", "value_usd_bn": 5.0, "announced": dt.date(2025, 7, 2), "provider_id": "oracle-oci"},
        {"deal_id": "c", "value_usd_bn": 2.0, "announced": dt.date(2025, 8, 30)},
        {"deal_id": "d", "announced": dt.date(2025, 9, 1)},  # undisclosed: adds nothing
    )
    out = c.cumulative_commitments(rows, by="provider_id", period="quarter")
    aws = out.filter(pl.col("provider_id") == "aws")
    assert aws["period"].to_list() == [dt.date(2025, 1, 1), dt.date(2025, 4, 1), dt.date(2025, 7, 1)]
    assert aws["cumulative"].to_list() == [10.0, 10.0, 12.0]
    assert out.filter(pl.col("provider_id") == "oracle-oci")["cumulative"].to_list() == [0.0, 0.0, 5.0]


def test_cumulative_gw_ignores_power_and_empty_gives_empty():
    rows = deals({"deal_id": "a", "capacity_gw": 1.2}, {"deal_id": "p", "capacity_gw": 6.6, "deal_type": "power"})
    out = c.cumulative_commitments(rows, by="buyer_id", measure="gw", period="year")
    assert out["cumulative"].to_list() == [1.2]
    assert c.cumulative_commitments(rows.head(0), by="buyer_id").is_empty()


def test_contract_terms_keep_only_known_terms():
    rows = deals({"deal_id": "known", "start_year": 2025, "end_year": 2030},
                 {"deal_id": "length", "term_years": 3},
                 {"deal_id": "open", "start_year": 2026})
    terms = c.contract_terms(rows)
    assert terms["deal_id"].to_list() == ["known", "length"]
    assert terms["bar_end"].to_list() == [dt.date(2030, 12, 31), dt.date(2027, 12, 31)]


def test_key_events_count_each_distinct_headline_once():
    # Two copies of one headline row (a replicated or re-uploaded deal) are one event; a target milestone is none.
    rows = deals({"deal_id": "b", "announced": dt.date(2025, 3, 1)}, {"deal_id": "a", "announced": dt.date(2025, 3, 1)},
                 {"deal_id": "z", "announced": dt.date(2024, 1, 1)}).with_columns(
        headline=pl.Series(["Big deal", "Big deal", "First deal"]), source_url=pl.lit("https://example.org"))
    milestones = pl.DataFrame({"milestone_id": ["m1", "m2"], "date": [dt.date(2026, 1, 1), dt.date(2027, 1, 1)],
                               "headline": ["Site live", "Target"], "stage": ["operational", "target"],
                               "source_url": ["https://example.org/m"] * 2})
    events = c.key_events(rows, milestones)
    assert events.select("date", "label", "row_id").rows() == [
        (dt.date(2024, 1, 1), "First deal", "z"), (dt.date(2025, 3, 1), "Big deal", "a"),
        (dt.date(2026, 1, 1), "Site live", "m1")]


def test_group_labels_fold_all_but_the_largest():
    # Committed value per provider: aws 30, oracle 20, coreweave 5, nebius 1 (+ a resale deal, not counted).
    rows = deals({"deal_id": "1", "provider_id": "aws", "value_usd_bn": 30.0},
                 {"deal_id": "2", "provider_id": "oracle", "value_usd_bn": 20.0},
                 {"deal_id": "3", "provider_id": "coreweave", "value_usd_bn": 5.0},
                 {"deal_id": "4", "provider_id": "nebius", "value_usd_bn": 1.0},
                 {"deal_id": "5", "provider_id": "nebius", "value_usd_bn": 90.0, "layer": "resale"})
    names = {"aws": "AWS", "oracle": "Oracle"}
    labels = rows.select(c.group_labels(rows, names, "provider_id", 2, "Other providers"))["provider_id"].to_list()
    assert labels == ["AWS", "Oracle", "Other providers (2)", "Other providers (2)", "Other providers (2)"]
    # Three providers kept of four: one left over is not folded alone, it keeps its name.
    assert rows.select(c.group_labels(rows, names, "provider_id", 3, "Other"))["provider_id"].to_list() == [
        "AWS", "Oracle", "coreweave", "nebius", "nebius"]

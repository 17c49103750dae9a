"""Headline metrics on small frames whose answers are worked out by hand in the comments."""
from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from compute_ledger.analysis import metrics

COMPANIES = pl.DataFrame({"company_id": ["openai", "anthropic", "aws", "oracle-oci", "nvidia"],
                          "name": ["OpenAI", "Anthropic", "AWS", "Oracle", "Nvidia"]})


LAYER_OF_TYPE = {"equity_investment": "financing", "power": "power"}  # every other type here is an end user's


def deals(*rows: tuple) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={"buyer_id": pl.String, "provider_id": pl.String, "deal_type": pl.String,
                                       "status": pl.String, "value_usd_bn": pl.Float64, "capacity_gw": pl.Float64},
                         orient="row")
    return frame.with_columns(layer=pl.col("deal_type").replace_strict(LAYER_OF_TYPE, default="end_user"))


SAMPLE = deals(
    ("openai", "aws", "cloud_compute", "signed", 38.0, None),
    ("openai", "aws", "cloud_compute", "signed", 100.0, 2.0),
    ("openai", "oracle-oci", "cloud_compute", "signed", None, 4.5),   # undisclosed: counted, not summed
    ("openai", "aws", "equity_investment", "signed", 50.0, None),     # financing layer: not a commitment
    ("anthropic", "nvidia", "chips", "cancelled", 10.0, 1.0),         # cancelled: neither
    ("anthropic", "aws", "power", "signed", None, 6.6),               # power GW: not compute capacity
    ("openai", "nvidia", "chips", "paused", 5.0, 0.5),                # paused: committed $, not building GW
)


def test_committed_counts_the_end_user_layer_and_not_cancelled_deals():
    assert metrics.committed_usd_bn(SAMPLE) == 38 + 100 + 5  # = 143: the financing row and the cancelled one are out
    assert metrics.committed_usd_bn(SAMPLE.lazy()) == 143


def test_commitments_by_provider_keeps_undisclosed_providers():
    table = metrics.commitments_by_provider(SAMPLE, COMPANIES)
    assert table.select("provider", "committed_usd_bn", "deals", "undisclosed").rows() == [
        ("AWS", 138.0, 2, 0),      # 38 + 100; the financing and the power rows are other layers
        ("Nvidia", 5.0, 1, 0),     # the cancelled chip deal is gone, the paused one stays
        ("Oracle", 0.0, 1, 1),
    ]


def test_commitments_by_provider_and_buyer_only_positive_values():
    table = metrics.commitments_by_provider_and_buyer(SAMPLE, COMPANIES)
    assert table.select("provider", "buyer", "committed_usd_bn").rows() == [("AWS", "OpenAI", 138.0),
                                                                            ("Nvidia", "OpenAI", 5.0)]


def test_fold_small_buyers_adds_up_all_but_the_largest():
    pairs = deals(
        ("openai", "aws", "cloud_compute", "signed", 100.0, None),
        ("anthropic", "aws", "cloud_compute", "signed", 30.0, None),
        ("anthropic", "nvidia", "chips", "signed", 20.0, None),    # Anthropic in all: 50
        ("meta", "aws", "cloud_compute", "signed", 7.0, None),      # Meta 7 and xAI 3 + 4 = 7 fold...
        ("xai", "aws", "cloud_compute", "signed", 3.0, None),
        ("xai", "nvidia", "chips", "signed", 4.0, None),
    )
    folded = metrics.fold_small_buyers(metrics.commitments_by_provider_and_buyer(pairs, COMPANIES), keep=2)
    # ...into one "Other buyers" bar per provider: AWS 7 + 3 = 10 from 2 deals, Nvidia 4 from 1
    assert folded.select("provider_id", "buyer", "committed_usd_bn", "deals").rows() == [
        ("aws", "Anthropic", 30.0, 1), ("aws", "OpenAI", 100.0, 1), ("aws", metrics.OTHER_BUYERS, 10.0, 2),
        ("nvidia", "Anthropic", 20.0, 1), ("nvidia", metrics.OTHER_BUYERS, 4.0, 1),
    ]
    assert metrics.fold_small_buyers(folded, keep=5).equals(folded)  # few enough buyers: left as they are


def test_fold_small_providers_adds_up_all_but_the_largest():
    rows = deals(
        ("openai", "aws", "cloud_compute", "signed", 100.0, None),
        ("anthropic", "aws", "cloud_compute", "signed", 30.0, None),         # AWS 130: kept
        ("anthropic", "nvidia", "chips", "signed", 20.0, None),
        ("openai", "nvidia", "chips", "signed", None, None),                  # Nvidia 20, one undisclosed
        ("openai", "oracle-oci", "cloud_compute", "signed", 8.0, None),
        ("anthropic", "oracle-oci", "cloud_compute", "signed", 4.0, None),    # Oracle 12
    )
    by_provider = metrics.commitments_by_provider(rows, COMPANIES)
    by_pair = metrics.commitments_by_provider_and_buyer(rows, COMPANIES)
    bars, parts = metrics.fold_small_providers(by_provider, by_pair, keep=1)
    # Nvidia and Oracle become one bar: 20 + 12 = 32 from 2 + 2 deals, one of them undisclosed.
    assert bars.select("provider_id", "provider", "committed_usd_bn", "deals", "undisclosed").rows() == [
        ("aws", "AWS", 130.0, 2, 0), (None, "Other providers (2)", 32.0, 4, 1)]
    # Its segments per buyer: Anthropic 20 (Nvidia) + 4 (Oracle), OpenAI 8 (Oracle).
    assert parts.select("provider", "buyer", "committed_usd_bn", "deals").rows() == [
        ("AWS", "Anthropic", 30.0, 1), ("AWS", "OpenAI", 100.0, 1),
        ("Other providers (2)", "Anthropic", 24.0, 2), ("Other providers (2)", "OpenAI", 8.0, 1)]
    # One provider beyond `keep` is left as it is: folding it alone would only lose its name.
    bars, parts = metrics.fold_small_providers(by_provider, by_pair, keep=2)
    assert bars["provider"].to_list() == ["AWS", "Nvidia", "Oracle"] and parts.equals(by_pair)


def test_empty_selection_gives_zeroes():
    empty = SAMPLE.head(0)
    assert metrics.committed_usd_bn(empty) == 0
    assert metrics.commitments_by_provider(empty, COMPANIES).is_empty()


FINANCIALS = pl.DataFrame({
    "company_id": ["openai", "openai", "openai", "openai", "anthropic", "anthropic"],
    "year": [2024, 2025, 2026, 2030, 2025, 2026],
    "metric": ["revenue", "revenue", "revenue_run_rate", "revenue", "revenue_run_rate", "revenue_run_rate"],
    "period": ["full_year", "full_year", "point_in_time", "full_year", "point_in_time", "point_in_time"],
    "as_of": [None, None, dt.date(2026, 3, 1), None, dt.date(2025, 12, 31), dt.date(2026, 6, 1)],
    "value_usd_bn": [3.7, 13.07, 25.0, 200.0, 9.0, 50.0],
    "is_projection": [False, False, False, True, False, False],
    "estimator": [None] * 6,
    "source_date": [dt.date(2026, 6, 1)] * 6,
}, schema_overrides={"estimator": pl.String})


def test_latest_revenue_prefers_recognised_full_year_over_run_rate_and_projection():
    assert metrics.latest_revenue(FINANCIALS, "openai") == (13.07, "2025 revenue")
    assert metrics.latest_revenue(FINANCIALS, "anthropic") == (50.0, "run-rate, Jun 2026")
    assert metrics.latest_revenue(FINANCIALS, "meta") is None


def test_commitments_to_revenue():
    cover = metrics.commitments_to_revenue(SAMPLE, FINANCIALS, "openai")
    # OpenAI's commitments: 38 + 100 + 5 (paused still committed) = 143; 143 / 13.07 = 10.94
    assert cover.commitments_usd_bn == 143
    assert cover.ratio == pytest.approx(143 / 13.07)
    assert metrics.commitments_to_revenue(SAMPLE, FINANCIALS, "meta") is None

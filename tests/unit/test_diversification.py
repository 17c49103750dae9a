"""Shares and concentration (HHI, 0-10,000) on hand-worked cases."""
from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from compute_ledger.analysis import diversification as dv

COMPANIES = pl.DataFrame({
    "company_id": ["openai", "azure", "aws", "oracle", "softbank", "nvidia"],
    "name": ["OpenAI", "Azure", "AWS", "Oracle", "SoftBank", "Nvidia"],
    "kind": ["lab", "hyperscaler", "hyperscaler", "hyperscaler", "investor", "chipmaker"],
})
SCHEMA = {"deal_id": pl.String, "announced": pl.Date, "buyer_id": pl.String, "provider_id": pl.String,
          "deal_type": pl.String, "status": pl.String, "value_usd_bn": pl.Float64, "capacity_gw": pl.Float64,
          "source_title": pl.String, "layer": pl.String}


def deals(*rows: tuple) -> pl.DataFrame:
    """rows: (id, date, buyer, provider, type, status, usd, gw); equity is financing, the rest end users' purchases."""
    return pl.DataFrame([(*r, f"source of {r[0]}", "financing" if r[4] == "equity_investment" else "end_user")
                         for r in rows], schema=SCHEMA, orient="row")


@pytest.mark.parametrize(("amounts", "hhi", "effective"), [
    ([10], 10_000, 1),                      # a single supplier
    ([5, 5], 5_000, 2),                     # 50^2 + 50^2
    ([1, 1, 1, 1, 1], 2_000, 5),            # five equal suppliers: 5 x 20^2
    ([3, 1], 6_250, 1.6),                   # 75^2 + 25^2 = 5,625 + 625
    ([2, 2, 0, None], 5_000, 2),            # zero and undisclosed suppliers do not count
])
def test_concentration(amounts, hhi, effective):
    got_hhi, got_effective = dv.concentration(amounts)
    assert got_hhi == pytest.approx(hhi)
    assert got_effective == pytest.approx(effective)


def test_concentration_of_nothing_is_undefined():
    assert all(math.isnan(v) for v in dv.concentration([None, 0]))


D = dt.date
SAMPLE = deals(
    ("e1", D(2019, 7, 1), "openai", "azure", "equity_investment", "completed", 1.0, None),
    ("c1", D(2025, 3, 1), "openai", "oracle", "cloud_compute", "signed", 3.0, 4.5),
    ("c2", D(2025, 11, 1), "openai", "aws", "cloud_compute", "signed", 1.0, None),
    ("c3", D(2025, 12, 1), "openai", "aws", "cloud_compute", "signed", None, 2.0),       # undisclosed value
    ("s1", D(2025, 3, 1), "openai", "softbank", "equity_investment", "completed", 40.0, None),  # investor: never supply
    ("x1", D(2025, 5, 1), "openai", "nvidia", "chips", "cancelled", 9.0, None),          # cancelled
)


def test_supply_rows_with_and_without_supplier_equity():
    assert dv.supply_rows(SAMPLE, COMPANIES)["deal_id"].to_list() == ["c1", "c2", "c3"]
    assert dv.supply_rows(SAMPLE, COMPANIES, include_supplier_equity=True)["deal_id"].to_list() == ["e1", "c1", "c2", "c3"]


def test_shares_keep_undisclosed_counts():
    shares = dv.provider_shares(dv.supply_rows(SAMPLE, COMPANIES), "usd")
    assert shares.select("provider_id", "amount", "share", "deals", "undisclosed").rows() == [
        ("oracle", 3.0, 0.75, 1, 0), ("aws", 1.0, 0.25, 2, 1)]
    gw = dv.provider_shares(dv.supply_rows(SAMPLE, COMPANIES), "gw")
    assert gw.select("provider_id", "share").rows() == [("oracle", pytest.approx(4.5 / 6.5)),
                                                         ("aws", pytest.approx(2 / 6.5))]


def test_concentration_by_buyer():
    shares = dv.provider_shares(dv.supply_rows(SAMPLE, COMPANIES), "usd")
    row = dv.concentration_by_buyer(shares).row(0, named=True)
    assert row["hhi"] == pytest.approx(6_250)  # 75% / 25%
    assert row["effective_suppliers"] == pytest.approx(1.6)


def test_concentration_over_time_shows_the_azure_era():
    rows = dv.supply_rows(SAMPLE, COMPANIES, include_supplier_equity=True)
    history = dv.concentration_over_time(rows, "usd", period="year")
    assert history.select("period", "hhi").rows() == [
        (D(2019, 1, 1), 10_000.0), (D(2020, 1, 1), 10_000.0), (D(2021, 1, 1), 10_000.0), (D(2022, 1, 1), 10_000.0),
        (D(2023, 1, 1), 10_000.0), (D(2024, 1, 1), 10_000.0),
        # 2025: Azure 1, Oracle 3, AWS 1 of 5 -> 20^2 + 60^2 + 20^2 = 4,400
        (D(2025, 1, 1), pytest.approx(4_400.0)),
    ]


def test_money_flows_split_purchase_and_equity():
    rows = SAMPLE.vstack(deals(("e2", D(2026, 2, 1), "openai", "aws", "equity_investment", "signed", 50.0, None)))
    flows = dv.money_flows(rows, COMPANIES)
    assert flows.select("buyer_id", "provider_id", "flow", "value_usd_bn").rows() == [
        ("openai", "aws", "equity", 50.0), ("openai", "softbank", "equity", 40.0),
        ("openai", "oracle", "purchase", 3.0), ("openai", "aws", "purchase", 1.0), ("openai", "azure", "equity", 1.0)]
    # ties in value are ordered by buyer, provider and flow, so the chart is stable
    assert flows.filter(pl.col("provider_id") == "aws", pl.col("flow") == "purchase")["sources"].to_list() == [
        ["source of c2"]]


def test_history_keeps_the_largest_providers_and_folds_the_rest():
    # Final totals: oracle 3, aws 1, azure 1 (equity): keep 1 -> oracle, and aws + azure as one "Other" layer.
    rows = dv.supply_rows(SAMPLE, COMPANIES, include_supplier_equity=True)
    history = dv.cumulative_commitments(rows, by="provider_id", period="year", rows_are_commitments=True)
    folded = dv.top_providers_over_time(history, keep=1, other="Other")
    last = folded.filter(pl.col("period") == D(2025, 1, 1)).sort("provider_id")
    assert last.select("provider_id", "cumulative").rows() == [("Other", 2.0), ("oracle", 3.0)]
    assert dv.top_providers_over_time(history, keep=2).equals(history)  # one left over keeps its own layer

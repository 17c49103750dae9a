"""How spread each buyer's compute supply is: shares by provider, concentration, money flows.

Concentration is the Herfindahl-Hirschman index on the 0-10,000 scale: the sum of squared percentage
shares. One supplier gives 10,000; five equal suppliers give 5 x 20^2 = 2,000. The effective number of
suppliers is 10,000 / HHI (1 for a single supplier, 5 for five equal ones).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl
import polars.selectors as cs

from compute_ledger.analysis.commitments import Period, cumulative_commitments
from compute_ledger.analysis.metrics import EQUITY, NOT_COMMITTED, OTHER_PROVIDERS, POWER, is_commitment

Weight = Literal["usd", "gw", "deals"]
HHI_MAX = 10_000.0
# Equity from companies that also sell compute is often spent with them (cloud credits, chips).
SUPPLIER_KINDS = ("hyperscaler", "neocloud", "chipmaker")
WEIGHT_COLUMN = {"usd": "value_usd_bn", "gw": "capacity_gw", "deals": "deal_count"}


def concentration(amounts: Sequence[float]) -> tuple[float, float]:
    """(HHI on 0-10,000, effective number of suppliers) of non-negative amounts; (nan, nan) if all zero."""
    total = sum(a for a in amounts if a and a > 0)
    if total <= 0:
        return float("nan"), float("nan")
    hhi = sum((100 * a / total) ** 2 for a in amounts if a and a > 0)
    return hhi, HHI_MAX / hhi


# What supply is measured by, and what its source table shows: copying the deals' other columns for every
# kept row cost a third of the page's computing at a million deals. (`origin` marks a session's uploaded rows.)
SUPPLY_COLUMNS = ("deal_id", "announced", "buyer_id", "provider_id", "deal_type", "status", "value_usd_bn",
                  "capacity_gw", "description", "source_title", "source_url", "origin")


def supply_rows(deals: pl.DataFrame | pl.LazyFrame, companies: pl.DataFrame,
                include_supplier_equity: bool = False) -> pl.DataFrame:
    """The deals that count as buying supply: commitments, plus (optionally) equity from suppliers.

    Adds `deal_count` = 1 so that 'number of deals' can be weighed like dollars or gigawatts.
    """
    supplier_ids = companies.filter(pl.col("kind").is_in(SUPPLIER_KINDS))["company_id"].implode()
    supplier_equity = ((pl.col("deal_type") == EQUITY) & pl.col("provider_id").is_in(supplier_ids)
                       & ~pl.col("status").is_in(NOT_COMMITTED))
    keep = is_commitment() | supplier_equity if include_supplier_equity else is_commitment()
    return (deals.lazy().filter(keep & (pl.col("deal_type") != POWER))
            .select(cs.by_name(*SUPPLY_COLUMNS, require_all=False)).with_columns(deal_count=pl.lit(1.0)).collect())


def provider_shares(rows: pl.DataFrame, weight: Weight) -> pl.DataFrame:
    """Per buyer and provider: amount, share of the buyer's total (0-1), deals, deals with no value for `weight`."""
    column = WEIGHT_COLUMN[weight]
    return (
        rows.lazy()
        .group_by("buyer_id", "provider_id")
        .agg(amount=pl.col(column).sum(), deals=pl.len(), undisclosed=pl.col(column).is_null().sum())
        .with_columns(share=(pl.col("amount") / pl.col("amount").sum().over("buyer_id")).fill_nan(None))
        .sort("buyer_id", "amount", descending=[False, True])
        .collect()
    )


def top_providers(shares: pl.DataFrame, keep: int = 12, other: str = OTHER_PROVIDERS) -> pl.DataFrame:
    """Shares with all but the `keep` largest providers (across buyers) folded into one 'other' row per buyer,
    so a chart stays readable however many providers there are. Shares still add up to 100 %."""
    largest = (shares.group_by("provider_id").agg(pl.col("amount").sum())
               .sort(["amount", "provider_id"], descending=[True, False])  # ties at the cut: always the same side
               .head(keep)["provider_id"].implode())
    kept = shares.filter(pl.col("provider_id").is_in(largest))
    folded = (shares.filter(~pl.col("provider_id").is_in(largest))
              .group_by("buyer_id").agg(pl.col("amount", "share", "deals", "undisclosed").sum())
              .with_columns(provider_id=pl.lit(other)))
    # A fixed row order: the chart's spec, and so Streamlit's id for it (which keeps a click selection across
    # reruns), must not change when the data has not.
    return (pl.concat([kept, folded.select(kept.columns)], how="vertical_relaxed") if folded.height else kept).sort(
        "buyer_id", "amount", "provider_id", descending=[False, True, False])


def concentration_by_buyer(shares: pl.DataFrame) -> pl.DataFrame:
    """Current HHI and effective suppliers per buyer, from `provider_shares` (buyers with no amounts left out)."""
    return (
        shares.filter(pl.col("amount") > 0)
        .group_by("buyer_id")
        .agg(hhi=((pl.col("share") * 100) ** 2).sum(), suppliers=pl.len(), total=pl.col("amount").sum())
        .with_columns(effective_suppliers=HHI_MAX / pl.col("hhi"))
        .sort(["total", "buyer_id"], descending=[True, False])
    )


def concentration_over_time(rows: pl.DataFrame, weight: Weight, period: Period = "quarter") -> pl.DataFrame:
    """HHI of each buyer's cumulative supply at the end of every period since its first deal."""
    cumulative = cumulative_commitments(rows, by=["buyer_id", "provider_id"], measure=weight, period=period,
                                        rows_are_commitments=True)
    return (
        cumulative.filter(pl.col("cumulative") > 0)
        .with_columns(share=pl.col("cumulative") / pl.col("cumulative").sum().over("buyer_id", "period"))
        .group_by("buyer_id", "period")
        .agg(hhi=((pl.col("share") * 100) ** 2).sum(), suppliers=pl.len(), total=pl.col("cumulative").sum())
        .with_columns(effective_suppliers=HHI_MAX / pl.col("hhi"))
        .sort("buyer_id", "period")
    )


def money_flows(deals: pl.DataFrame | pl.LazyFrame, companies: pl.DataFrame, links: int = 80,
                deals_listed: int = 5) -> pl.DataFrame:
    """Buyer -> provider links with disclosed dollars, purchases and equity apart, each with (the first few of)
    the deals behind it. Only the `links` largest links are kept, so the diagram stays legible at any size."""
    names = dict(companies.select("company_id", "name").iter_rows())
    rows = deals.lazy().filter(~pl.col("status").is_in(NOT_COMMITTED) & (pl.col("value_usd_bn") > 0)).with_columns(
        flow=pl.when(pl.col("deal_type") == EQUITY).then(pl.lit("equity")).otherwise(pl.lit("purchase"))
    )
    return (
        rows.group_by("buyer_id", "provider_id", "flow")
        .agg(value_usd_bn=pl.col("value_usd_bn").sum(), deals=pl.len(),
             deal_ids=pl.col("deal_id").sort().head(deals_listed),
             sources=pl.col("source_title").sort_by("deal_id").head(deals_listed))
        .with_columns(buyer=pl.col("buyer_id").replace_strict(names, default=pl.col("buyer_id")),
                      provider=pl.col("provider_id").replace_strict(names, default=pl.col("provider_id")))
        .sort(["value_usd_bn", "buyer_id", "provider_id", "flow"], descending=[True, False, False, False])
        .head(links)
        .collect()
    )


def top_providers_over_time(cumulative: pl.DataFrame, keep: int = 12, other: str = OTHER_PROVIDERS) -> pl.DataFrame:
    """`cumulative_commitments(..., by="provider_id")` with all but the `keep` largest providers (by their final
    total) added up as one `other` row per period, so a stacked chart has at most keep + 1 layers."""
    ranked = (cumulative.group_by("provider_id").agg(pl.col("cumulative").max())
              .sort(["cumulative", "provider_id"], descending=[True, False])["provider_id"])
    if ranked.len() <= keep + 1:
        return cumulative
    kept = pl.col("provider_id").is_in(ranked.head(keep).implode())
    folded = (cumulative.filter(~kept).group_by("period").agg(pl.col("added", "cumulative").sum())
              .with_columns(provider_id=pl.lit(other)))
    return pl.concat([cumulative.filter(kept), folded.select(cumulative.columns)]).sort("period", "provider_id")

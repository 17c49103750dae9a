"""The page pipelines written in pandas, for the benchmark's side-by-side only (the product uses Polars)."""
from __future__ import annotations

import numpy as np
import pandas as pd

EQUITY = "equity_investment"


def commitments(deals: pd.DataFrame) -> pd.DataFrame:
    return deals[(deals["deal_type"] != EQUITY) & (deals["status"] != "cancelled")]


def overview(deals: pd.DataFrame) -> tuple:
    kept = deals[deals["counts_in_totals"]]
    c = commitments(kept)
    by_provider = c.groupby("provider_id").agg(committed=("value_usd_bn", "sum"), deals=("deal_id", "size"),
                                               undisclosed=("value_usd_bn", lambda s: s.isna().sum()))
    by_pair = c[c["value_usd_bn"] > 0].groupby(["provider_id", "buyer_id"])["value_usd_bn"].sum()
    return c["value_usd_bn"].sum(), by_provider.sort_values("committed", ascending=False), by_pair


def cumulative(deals: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    c = commitments(deals[deals["counts_in_totals"]]).dropna(subset=["value_usd_bn"]).copy()
    c["period"] = c["announced"].dt.to_period("Q").dt.start_time
    added = c.groupby(["period", *keys])["value_usd_bn"].sum()
    periods = pd.date_range(added.index.get_level_values(0).min(), added.index.get_level_values(0).max(), freq="QS")
    groups = added.reset_index()[keys].drop_duplicates()
    grid = groups.merge(pd.DataFrame({"period": periods}), how="cross")
    full = grid.merge(added.rename("added").reset_index(), on=["period", *keys], how="left").fillna({"added": 0.0})
    full = full.sort_values([*keys, "period"])
    full["cumulative"] = full.groupby(keys)["added"].cumsum()
    return full


def diversification(deals: pd.DataFrame) -> tuple:
    c = commitments(deals[deals["counts_in_totals"]])
    shares = c.groupby(["buyer_id", "provider_id"])["value_usd_bn"].sum().reset_index()
    shares["share"] = shares["value_usd_bn"] / shares.groupby("buyer_id")["value_usd_bn"].transform("sum")
    history = cumulative(deals, ["buyer_id", "provider_id"])
    history = history[history["cumulative"] > 0].copy()
    history["share"] = history["cumulative"] / history.groupby(["buyer_id", "period"])["cumulative"].transform("sum")
    history["sq"] = (history["share"] * 100) ** 2
    hhi = history.groupby(["buyer_id", "period"])["sq"].sum()
    return shares, hhi


def spend_schedule(deals: pd.DataFrame, default_term: int = 5) -> pd.DataFrame:
    """Same algorithm as the product: add up deals sharing a provider and a term, then spread over the years."""
    c = commitments(deals[deals["counts_in_totals"]])
    c = c[c["value_usd_bn"] > 0].copy()
    c["first"] = c["start_year"].fillna(c["announced"].dt.year).astype(int)
    c["last"] = np.where(c["end_year"].notna(), np.maximum(c["end_year"].fillna(0), c["first"]),
                         np.where(c["term_years"].notna(), c["first"] + c["term_years"].fillna(0) - 1,
                                  c["first"] + default_term - 1)).astype(int)
    grouped = c.groupby(["provider_id", "first", "last"], as_index=False)["value_usd_bn"].sum()
    grouped["year"] = [list(range(a, b + 1)) for a, b in zip(grouped["first"], grouped["last"])]
    grouped["spend"] = grouped["value_usd_bn"] / grouped["year"].map(len)
    exploded = grouped.explode("year")
    return exploded.groupby(["year", "provider_id"])["spend"].sum().reset_index()


def commitments_page(deals: pd.DataFrame) -> tuple:
    return cumulative(deals, ["provider_id"]), spend_schedule(deals)


ALL_PAGES = {"overview": overview, "diversification": diversification, "commitments": commitments_page,
             "gap (schedule)": spend_schedule}

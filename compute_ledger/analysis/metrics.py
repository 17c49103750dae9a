"""Headline numbers, as pure functions from frames to frames or numbers. No Streamlit here.

Conventions every page shares (the counting model, README "How the headline numbers are counted"):
- a *commitment* is an end user's purchase of compute for itself (layer `end_user`: cloud contracts, chips for
  its own sites, its own builds), not cancelled. Providers' purchases to serve their customers (`resale`),
  financing, power and manufacturing are other layers of the same compute and are never added to it;
- the deal filter keeps only the firmness tiers the user counts (definitive and announced by default);
- rows with counts_in_totals = false are removed by the deal filter unless the user includes them,
  so the functions here never double-count on their own account;
- undisclosed values are null and stay null: sums skip them, and counts of them are reported.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.i18n import t

EQUITY = "equity_investment"
NOT_COMMITTED = ("cancelled",)
NOT_BUILDING = ("cancelled", "paused")
POWER = "power"  # power purchase GW feed data centres; they are not compute capacity
PLEDGE = "pledge"  # a company's stated plan for a country or region: no contract, in no contracted total
END_USER, RESALE, FINANCING = "end_user", "resale", "financing"


def in_layer(layer: str) -> pl.Expr:
    """Deals of one layer of the chain that are not cancelled."""
    return (pl.col("layer") == layer) & ~pl.col("status").is_in(NOT_COMMITTED)


def is_commitment() -> pl.Expr:
    return in_layer(END_USER)


def _sum_where(keep: pl.Expr, column: str) -> pl.Expr:
    return pl.col(column).filter(keep).sum()


COMMITTED_USD_BN = _sum_where(is_commitment(), "value_usd_bn")


def committed_usd_bn(deals: pl.DataFrame | pl.LazyFrame) -> float:
    # Lazy, so only the columns named here are read: filtering a wide frame eagerly copies every column.
    return float(deals.lazy().select(COMMITTED_USD_BN).collect().item())


def commitments_by_provider(deals: pl.DataFrame | pl.LazyFrame, companies: pl.DataFrame) -> pl.DataFrame:
    """Per provider: committed USD bn, number of commitments, how many of them have no disclosed value.

    Sorted largest first; providers whose commitments are all undisclosed stay in with 0 and a count.
    """
    totals = (
        deals.lazy()
        .filter(is_commitment())
        .group_by("provider_id")
        .agg(
            committed_usd_bn=pl.col("value_usd_bn").sum(),
            deals=pl.len(),
            undisclosed=pl.col("value_usd_bn").is_null().sum(),
            capacity_gw=pl.col("capacity_gw").sum(),
        )
        .collect()
    )
    return (with_names(totals, companies, {"provider_id": "provider"})
            .sort(["committed_usd_bn", "deals", "provider"], descending=[True, True, False]))


@dataclass(frozen=True)
class RevenueCover:
    """How many years of the buyer's revenue its commitments amount to."""

    buyer_id: str
    commitments_usd_bn: float
    revenue_usd_bn: float
    revenue_label: str  # e.g. "2025 revenue" or "run-rate, Jun 2026"

    @property
    def ratio(self) -> float:
        return self.commitments_usd_bn / self.revenue_usd_bn


def latest_revenue(financials: pl.DataFrame, company_id: str) -> tuple[float, str] | None:
    """The latest full-year recognised revenue; failing that, the latest annualised run-rate."""
    own = financials.filter((pl.col("company_id") == company_id) & ~pl.col("is_projection") & pl.col("estimator").is_null())
    annual = own.filter((pl.col("metric") == "revenue") & (pl.col("period") == "full_year")).sort(["year", "source_date"])
    if annual.height:
        row = annual.row(-1, named=True)
        return row["value_usd_bn"], t("{year} revenue", year=row["year"])
    run_rate = own.filter(pl.col("metric") == "revenue_run_rate").sort(["as_of", "source_date"])
    if run_rate.height:
        row = run_rate.row(-1, named=True)
        return row["value_usd_bn"], t("run-rate, {month}", month=fmt.month(row["as_of"]))
    return None


def commitments_to_revenue(deals: pl.DataFrame | pl.LazyFrame, financials: pl.DataFrame,
                           buyer_id: str) -> RevenueCover | None:
    revenue = latest_revenue(financials, buyer_id)
    if revenue is None or revenue[0] <= 0:
        return None
    commitments = committed_usd_bn(deals.lazy().filter(pl.col("buyer_id") == buyer_id))
    return RevenueCover(buyer_id, commitments, revenue[0], revenue[1])


def checked_against_reports(tables) -> dt.date | None:
    """When the rows were last checked against the published reports: the date the data records (dataset table),
    never today's date; None when the data does not say."""
    dataset = tables.get("dataset") if tables else None
    if dataset is None or dataset.is_empty() or "checked_against_reports" not in dataset.columns:
        return None
    return dataset["checked_against_reports"].max()


def checked_words(checked: dt.date | None) -> str:
    """The sentence every page uses for that date (the data's, never today's)."""
    if checked is None:
        return t("not yet checked as a whole against the published reports")
    return t("last checked against the published reports on {date}", date=fmt.day(checked))


def data_as_of(*tables: pl.DataFrame) -> dt.date | None:
    """The newest source date in the data: what the dataset is current to."""
    dates = [t["source_date"].max() for t in tables if "source_date" in t.columns and t.height]
    return max(dates) if dates else None


def commitments_by_provider_and_buyer(deals: pl.DataFrame | pl.LazyFrame, companies: pl.DataFrame) -> pl.DataFrame:
    """Committed USD bn per (provider, buyer), with display names; only disclosed, positive values."""
    totals = (
        deals.lazy()
        .filter(is_commitment() & (pl.col("value_usd_bn") > 0))
        .group_by("provider_id", "buyer_id")
        .agg(committed_usd_bn=pl.col("value_usd_bn").sum(), deals=pl.len())
        .collect()
    )
    return with_names(totals, companies, {"provider_id": "provider", "buyer_id": "buyer"}).sort("provider_id", "buyer_id")


OTHER_BUYERS = "Other buyers"


def fold_small_buyers(by_pair: pl.DataFrame, keep: int = 8) -> pl.DataFrame:
    """`commitments_by_provider_and_buyer` with all but the `keep` largest buyers added up as "Other buyers"
    (buyer_id null), so a chart has at most keep + 1 colours however many companies the data holds."""
    totals = by_pair.group_by("buyer_id").agg(pl.col("committed_usd_bn").sum())
    if totals.height <= keep:
        return by_pair
    largest = totals.sort(["committed_usd_bn", "buyer_id"], descending=[True, False]).head(keep)["buyer_id"].implode()
    return _fold_pairs(by_pair, "buyer", largest, t("Other buyers"))


def _fold_pairs(by_pair: pl.DataFrame, side: str, kept_ids: pl.Series, label: str) -> pl.DataFrame:
    """(provider, buyer) rows whose `side` ("buyer" or "provider") is not kept, added up as `label` (id null)
    per company on the other side; sorted by provider and buyer, folded rows last."""
    other = "provider" if side == "buyer" else "buyer"
    kept = pl.col(f"{side}_id").is_in(kept_ids)
    folded = (by_pair.filter(~kept)
              .group_by(f"{other}_id", other).agg(pl.col("committed_usd_bn", "deals").sum())
              .with_columns(pl.lit(None, pl.String).alias(f"{side}_id"), pl.lit(label).alias(side)))
    return pl.concat([by_pair.filter(kept), folded.select(by_pair.columns)], how="vertical_relaxed").sort(
        "provider_id", "buyer_id", nulls_last=True)


OTHER_PROVIDERS = "Other providers"


def fold_small_providers(by_provider: pl.DataFrame, by_pair: pl.DataFrame,
                         keep: int = 15) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The providers with a disclosed value (`commitments_by_provider`, largest first) and their buyers
    (`commitments_by_provider_and_buyer`), with all but the `keep` largest added up as one last row,
    "Other providers (n)" (provider_id null): a chart then has at most keep + 1 bars however many providers the
    data holds. Two or more are folded, or none: one folded alone would only lose its name."""
    disclosed = by_provider.filter(pl.col("committed_usd_bn") > 0)
    if disclosed.height <= keep + 1:
        return disclosed, by_pair
    rest = disclosed.slice(keep)
    label = t("Other providers ({n})", n=fmt.count(rest.height))
    folded = rest.select(pl.col("committed_usd_bn", "deals", "undisclosed", "capacity_gw").sum()).with_columns(
        provider_id=pl.lit(None, pl.String), provider=pl.lit(label))
    return (pl.concat([disclosed.head(keep), folded.select(disclosed.columns)], how="vertical_relaxed"),
            _fold_pairs(by_pair, "provider", disclosed["provider_id"].head(keep).implode(), label))


def with_names(frame: pl.DataFrame, companies: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """Add display names for id columns, e.g. {"buyer_id": "buyer"}; unknown ids show as themselves."""
    # A lookup, not a join: at a million rows it is over twice as fast, and it keeps the row order.
    names = dict(companies.select("company_id", "name").iter_rows())
    return frame.with_columns(
        pl.col(id_column).replace_strict(names, default=pl.col(id_column), return_dtype=pl.String).alias(name_column)
        for id_column, name_column in columns.items())

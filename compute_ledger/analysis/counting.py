"""Headline totals that say what they count and list the rows they add up. No Streamlit here.

The rules (README "How the headline numbers are counted"):
- one layer of the chain per total: AI labs' (and other end users') purchases for themselves, or providers'
  purchases to serve them, or financing; never two, as they pay for the same compute;
- site gigawatts (buildings, capacity contracts) and chip gigawatts (a chip volume expressed in power) are two
  series, never added;
- a total counts the firmness tiers the user chose (definitive and announced by default); the rest of the same
  layer is shown beside it, never inside it;
- an undisclosed value stays empty: it adds nothing and is counted beside the sum.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from compute_ledger.analysis.filters import FIRMNESS_TIERS, DealFilter, deal_filter_expr
from compute_ledger.analysis.metrics import END_USER, FINANCING, NOT_BUILDING, PLEDGE, POWER, RESALE, in_layer
from compute_ledger.i18n import t

Unit = Literal["usd_bn", "gw"]
# untranslated: in English; financing_label() is the reader's language
FINANCING_LABEL = "Equity and financing"


def financing_label() -> str:
    return t("Equity and financing")
# The columns a "How this total is built" table shows; `amount` is what the total adds up.
ROW_COLUMNS = ("deal_id", "announced", "buyer_id", "provider_id", "deal_type", "layer", "firmness", "status",
               "power_type", "amount", "source_title", "source_url", "source_date", "source_kind", "source_publisher",
               "citation_count", "first_reported_by", "source_strength")


@dataclass(frozen=True)
class Total:
    """One headline number and exactly the rows it adds up (`largest_first(rows)["amount"].sum() == value`)."""

    label: str
    value: float
    unit: Unit
    counts: str  # what it counts, in words (the card's help)
    # ROW_COLUMNS, in no particular order; undisclosed rows have an empty amount. A query over the ledger, run
    # when a table or the brief lists the rows: at a million deals the four totals' rows weigh ~140 MB, too much
    # to keep in every cached view for a table that is seldom opened.
    rows: pl.LazyFrame
    count: int  # how many rows it adds up, undisclosed ones included
    undisclosed: int  # rows of the same scope with no disclosed amount: listed, adding nothing
    beside: float = 0.0  # the same layer in the tiers not counted (e.g. reported only): shown next to the value
    beside_tiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class TotalSpec:
    """A total before it is worked out: what it counts, in words, its unit, and which rows it keeps."""

    label: str
    counts: str
    unit: Unit
    keep: pl.Expr


def total_rows(deals: pl.LazyFrame, keep: pl.Expr, amount: str) -> pl.LazyFrame:
    """The rows a total adds up, in no particular order (`largest_first` orders them where they are shown)."""
    return deals.filter(keep).with_columns(amount=pl.col(amount)).select(ROW_COLUMNS)


def largest_first(rows: pl.DataFrame | pl.LazyFrame, limit: int | None = None) -> pl.DataFrame:
    """A total's rows as its table lists them: largest amount first, undisclosed last, ties by deal id; with
    `limit`, only the first rows (Polars then sorts just those: a total of 700,000 rows is not sorted in full for
    a table that shows 2,000)."""
    ordered = rows.lazy().sort(["amount", "deal_id"], descending=[True, False], nulls_last=True)
    return (ordered.head(limit) if limit is not None else ordered).collect()


def work_out(all_deals: pl.DataFrame, deal_filter: DealFilter, specs: Sequence[TotalSpec]) -> tuple[Total, ...]:
    """Each spec's total under the filter: its sum over the rows it keeps in the tiers counted and, beside it, the
    sum of the same rows in the tiers left out. The sums are one batch of lazy queries (`pl.collect_all` runs
    them side by side, each reading only the columns it needs); the rows stay a query until they are listed."""
    left_out = tuple(t for t in FIRMNESS_TIERS if t not in deal_filter.tiers)
    counted = all_deals.lazy().filter(deal_filter_expr(deal_filter))
    uncounted = all_deals.lazy().filter(deal_filter_expr(dataclasses.replace(deal_filter, tiers=left_out)))
    amounts = ["value_usd_bn" if spec.unit == "usd_bn" else "capacity_gw" for spec in specs]
    queries = []
    for spec, amount in zip(specs, amounts):
        queries += [counted.filter(spec.keep).select(value=pl.col(amount).sum(), count=pl.len(),
                                                     undisclosed=pl.col(amount).null_count()),
                    uncounted.filter(spec.keep).select(beside=pl.col(amount).sum())]
    sums = pl.collect_all(queries)
    return tuple(
        Total(label=spec.label, value=float(inside["value"][0]), unit=spec.unit, counts=spec.counts,
              rows=total_rows(counted, spec.keep, amount), count=int(inside["count"][0]),
              undisclosed=int(inside["undisclosed"][0]), beside=float(beside["beside"][0]), beside_tiers=left_out)
        for spec, amount, inside, beside in zip(specs, amounts, sums[::2], sums[1::2]))


def tiers_in_words(tiers: tuple[str, ...]) -> str:
    words = {"definitive": t("definitive"), "announced": t("announced"), "reported": t("reported only")}
    named = [words[tier] for tier in FIRMNESS_TIERS if tier in tiers]
    if len(named) == 1:
        return named[0]
    return t("{tiers} and {last_tier}", tiers=", ".join(named[:-1]), last_tier=named[-1])


def headline_totals(all_deals: pl.DataFrame, deal_filter: DealFilter) -> tuple[Total, ...]:
    """The Overview's totals for the filter: AI labs' commitments, site GW and chip GW beside them, financing,
    and (when asked for) providers' own purchases. Each lists exactly the rows it adds up."""
    tiers = tiers_in_words(deal_filter.tiers)
    building = ~pl.col("status").is_in(NOT_BUILDING) & pl.col("capacity_gw").is_not_null()
    specs = [
        TotalSpec(t("AI labs' compute commitments"), t(
            "Disclosed values of what AI labs and other end users buy for themselves (cloud contracts, chips, their "
            "own data centres), {tiers}, not cancelled. Providers' purchases to serve them, financing and power are "
            "other layers and are not added.", tiers=tiers),
            "usd_bn", in_layer(END_USER)),
        TotalSpec(t("Contracted site capacity"), t(
            "Gigawatts of data-centre sites and capacity contracts that end users signed for themselves, {tiers}, "
            "not paused or cancelled: contracted, not built. Chip volumes expressed in GW are a separate figure.",
            tiers=tiers),
            "gw", in_layer(END_USER) & building & (pl.col("capacity_kind") == "site")),
        TotalSpec(t("Chip volume, in GW of power"), t(
            "Chip purchases that end users expressed in power (e.g. AMD 6 GW), {tiers}, not paused or cancelled. "
            "The chips go into the sites above: never add the two.", tiers=tiers),
            "gw", in_layer(END_USER) & building & (pl.col("capacity_kind") == "chips")),
        TotalSpec(financing_label(), t(
            "Equity rounds, debt, backstops and joint-venture funding, {tiers}: money that pays for compute counted "
            "elsewhere, so never added to the commitments.", tiers=tiers),
            "usd_bn", in_layer(FINANCING)),
    ]
    if deal_filter.provider_side:
        specs.append(TotalSpec(
            t("Providers' purchases to serve customers"), t(
                "What clouds and neoclouds buy (capacity rentals, chips, data-centre contracts) to serve their "
                "customers, {tiers}, not cancelled. Much of it serves the labs' commitments above: a separate "
                "question, never added to them.", tiers=tiers),
            "usd_bn", in_layer(RESALE)))
    return work_out(all_deals, deal_filter, specs)


def power_and_pledge_totals(all_deals: pl.DataFrame, deal_filter: DealFilter) -> tuple[Total, Total, Total]:
    """The Capacity page's three series, each one layer: contracted site GW (the Overview's card), power contracted
    for data centres (GW of electricity that feeds those sites) and pledged investment (a company's stated plan for
    a country or region). Shown side by side; never added to one another."""
    tiers = tiers_in_words(deal_filter.tiers)
    building = ~pl.col("status").is_in(NOT_BUILDING) & pl.col("capacity_gw").is_not_null()
    site, *_ = (total for total in headline_totals(all_deals, deal_filter) if total.unit == "gw")
    power, pledges = work_out(all_deals, deal_filter, [
        TotalSpec(t("Power contracted for AI data centres"), t(
            "Gigawatts of electricity that labs, clouds and neoclouds contracted for their data centres (power "
            "purchases, plants built for a campus), {tiers}, not paused or cancelled. Power feeds the sites: never "
            "added to site or chip GW.", tiers=tiers),
            "gw", in_layer(POWER) & building & (pl.col("capacity_kind") == "power")),
        TotalSpec(t("Pledged investment (not contracts)"), t(
            "Dollars companies said they will invest in a country or region, {tiers}, not cancelled. A pledge binds "
            "no counterparty: never inside a contracted total.", tiers=tiers),
            "usd_bn", in_layer(PLEDGE)),
    ])
    return site, power, pledges


def power_by_type(rows: pl.LazyFrame) -> pl.DataFrame:
    """A power total's rows by what the power comes from: GW, deals, and deals with no disclosed GW; largest first
    (ties by name)."""
    return (rows.group_by("power_type")
            .agg(gw=pl.col("amount").sum(), deals=pl.len(), undisclosed=pl.col("amount").null_count())
            .sort(["gw", "power_type"], descending=[True, False]).collect())

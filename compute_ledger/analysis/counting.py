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
from dataclasses import dataclass
from typing import Literal

import polars as pl

from compute_ledger.analysis.filters import FIRMNESS_TIERS, DealFilter, apply_deal_filter
from compute_ledger.analysis.metrics import END_USER, FINANCING, NOT_BUILDING, RESALE, in_layer

Unit = Literal["usd_bn", "gw"]
# The columns a "How this total is built" table shows; `amount` is what the total adds up.
ROW_COLUMNS = ("deal_id", "announced", "buyer_id", "provider_id", "deal_type", "layer", "firmness", "status",
               "amount", "source_title", "source_url", "source_date", "source_kind")


@dataclass(frozen=True)
class Total:
    """One headline number and exactly the rows it adds up (`rows["amount"].sum() == value`)."""

    label: str
    value: float
    unit: Unit
    counts: str  # what it counts, in words (the card's help)
    rows: pl.DataFrame  # ROW_COLUMNS; undisclosed rows are listed with an empty amount
    undisclosed: int  # rows of the same scope with no disclosed amount: listed, adding nothing
    beside: float = 0.0  # the same layer in the tiers not counted (e.g. reported only): shown next to the value
    beside_tiers: tuple[str, ...] = ()


def total_rows(deals: pl.DataFrame, keep: pl.Expr, amount: str) -> pl.DataFrame:
    """The rows a total lists (its "How this total is built" table), largest amount first."""
    return (deals.lazy().filter(keep)
            .with_columns(amount=pl.col(amount))
            .select(ROW_COLUMNS)
            .sort(["amount", "deal_id"], descending=[True, False], nulls_last=True)
            .collect())


def _total(label: str, counts: str, unit: Unit, deals: pl.DataFrame, all_tiers: pl.DataFrame,
           deal_filter: DealFilter, keep: pl.Expr) -> Total:
    amount = "value_usd_bn" if unit == "usd_bn" else "capacity_gw"
    rows = total_rows(deals, keep, amount)
    left_out = [t for t in FIRMNESS_TIERS if t not in deal_filter.tiers]
    beside = total_rows(all_tiers, keep & pl.col("firmness").is_in(left_out), amount) if left_out else rows.clear()
    return Total(label=label, value=float(rows["amount"].sum()), unit=unit, counts=counts, rows=rows,
                 undisclosed=rows["amount"].null_count(), beside=float(beside["amount"].sum()),
                 beside_tiers=tuple(left_out))


def tiers_in_words(tiers: tuple[str, ...]) -> str:
    words = {"definitive": "definitive", "announced": "announced", "reported": "reported only"}
    named = [words[t] for t in FIRMNESS_TIERS if t in tiers]
    return " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 2 else named)


def headline_totals(all_deals: pl.DataFrame, deal_filter: DealFilter) -> tuple[Total, ...]:
    """The Overview's totals for the filter: AI labs' commitments, site GW and chip GW beside them, financing,
    and (when asked for) providers' own purchases. Each lists exactly the rows it adds up."""
    deals = apply_deal_filter(all_deals, deal_filter)
    # The same filter over every tier, for the less certain part shown beside each total.
    all_tiers = apply_deal_filter(all_deals, dataclasses.replace(deal_filter, tiers=FIRMNESS_TIERS))
    tiers = tiers_in_words(deal_filter.tiers)
    building = ~pl.col("status").is_in(NOT_BUILDING) & pl.col("capacity_gw").is_not_null()
    totals = [
        _total("AI labs' compute commitments", f"Disclosed values of what AI labs and other end users buy for "
               f"themselves (cloud contracts, chips, their own data centres), {tiers}, not cancelled. Providers' "
               "purchases to serve them, financing and power are other layers and are not added.",
               "usd_bn", deals, all_tiers, deal_filter, in_layer(END_USER)),
        _total("Contracted site capacity", f"Gigawatts of data-centre sites and capacity contracts that end users "
               f"signed for themselves, {tiers}, not paused or cancelled: contracted, not built. Chip volumes "
               "expressed in GW are a separate figure.",
               "gw", deals, all_tiers, deal_filter, in_layer(END_USER) & building & (pl.col("capacity_kind") == "site")),
        _total("Chip volume, in GW of power", f"Chip purchases that end users expressed in power (e.g. AMD 6 GW), "
               f"{tiers}, not paused or cancelled. The chips go into the sites above: never add the two.",
               "gw", deals, all_tiers, deal_filter, in_layer(END_USER) & building & (pl.col("capacity_kind") == "chips")),
        _total("Equity and financing", f"Equity rounds, debt, backstops and joint-venture funding, {tiers}: money "
               "that pays for compute counted elsewhere, so never added to the commitments.",
               "usd_bn", deals, all_tiers, deal_filter, in_layer(FINANCING)),
    ]
    if deal_filter.provider_side:
        totals.append(_total(
            "Providers' purchases to serve customers", f"What clouds and neoclouds buy (capacity rentals, chips, "
            f"data-centre contracts) to serve their customers, {tiers}, not cancelled. Much of it serves the labs' "
            "commitments above: a separate question, never added to them.",
            "usd_bn", deals, all_tiers, deal_filter, in_layer(RESALE)))
    return tuple(totals)

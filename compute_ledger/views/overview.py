"""Everything the Overview page shows, as one value: `overview_view(tables, deal_filter)`. No Streamlit here."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.analysis import capacity, counting, metrics, narrative
from compute_ledger.analysis.counting import Total
from compute_ledger.analysis.filters import DealFilter, apply_deal_filter, describe, options_with_names
from compute_ledger.charts.common import commitments_by_provider_chart

COVER_BUYER = "openai"  # the lab whose commitments-to-revenue card the unfiltered Overview shows


@dataclass(frozen=True)
class Card:
    """A headline card that is not a sum of deals (a count, a ratio, a reported fleet)."""

    label: str
    value: str
    help: str


@dataclass(frozen=True)
class OverviewView:
    story: str
    scope: str  # "Showing … · data as of …"
    as_of: dt.date | None
    deals: int  # deals the filter keeps (0: the page says so and shows nothing else)
    totals: tuple[Total, ...]  # the sums, each with the rows it adds up
    cards: tuple[Card, ...]  # counts, the fleet, commitments ÷ revenue
    takeaway: str
    chart: go.Figure
    undisclosed_caption: str  # providers whose commitments are all undisclosed (not drawn)
    sources: pl.DataFrame  # the deals the filter keeps, for the sources table


def commitments_takeaway(by_provider: pl.DataFrame) -> str:
    disclosed = by_provider.filter(pl.col("committed_usd_bn") > 0)
    if disclosed.is_empty():
        return "No disclosed commitment values in this selection"
    top = disclosed.row(0, named=True)
    total = disclosed["committed_usd_bn"].sum()
    if disclosed.height == 1:
        return f"All {fmt.usd_bn(total)} of AI labs' disclosed commitments go to {top['provider']}"
    share = top["committed_usd_bn"] / total
    return (f"{top['provider']} holds {share:.0%} of {fmt.usd_bn(total)} in AI labs' disclosed commitments, "
            f"spread over {disclosed.height} providers")


def _cards(deals: pl.DataFrame, tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter,
           label) -> tuple[Card, ...]:
    fleet = capacity.latest_fleet(tables["milestones"])
    if deal_filter.buyers:
        fleet = fleet.filter(pl.col("company_id").is_in(deal_filter.buyers))
    cards = [
        Card("Deals", fmt.count(deals.height), "Rows the filter keeps, of every layer and type."),
        Card("Providers", fmt.count(deals["provider_id"].n_unique()), "Counterparties in those deals."),
        Card("Operating fleet" if fleet.is_empty() else
             f"Operating fleet ({', '.join(label(c) for c in fleet['company_id'])}, {fmt.month(fleet['fleet_date'].max())})",
             fmt.gw(fleet["fleet_gw"].sum()) if fleet.height else fmt.UNDISCLOSED,
             "Latest operating compute fleet the company itself reported: built and running, unlike the "
             "contracted GW. Only OpenAI reports one so far."),
    ]
    buyers = list(deal_filter.buyers) or [COVER_BUYER]
    cover = metrics.commitments_to_revenue(deals, tables["financials"], buyers[0]) if len(buyers) == 1 else None
    if cover:
        cards.append(Card(f"{label(cover.buyer_id)} commitments ÷ {cover.revenue_label}", fmt.multiple(cover.ratio),
                          f"{fmt.usd_bn(cover.commitments_usd_bn)} of {label(cover.buyer_id)}'s disclosed commitments "
                          f"in this filter (the first card's rows with this buyer), divided by "
                          f"{fmt.usd_bn(cover.revenue_usd_bn)} of {cover.revenue_label}."))
    else:
        cards.append(Card("Commitments ÷ revenue", "n/a", "Pick one buyer with published revenue (OpenAI, "
                          "Anthropic) to see how many years of revenue its commitments represent."))
    return tuple(cards)


def overview_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter) -> OverviewView:
    """The Overview of the deals the filter keeps (the story and "as of" date are of the whole ledger)."""
    all_deals, companies, financials = tables["deals"], tables["companies"], tables["financials"]
    options = options_with_names(companies)
    deals = apply_deal_filter(all_deals, deal_filter)
    as_of = metrics.data_as_of(all_deals, tables["milestones"], financials)
    by_provider = metrics.commitments_by_provider(deals, companies)
    by_pair = metrics.fold_small_buyers(metrics.commitments_by_provider_and_buyer(deals, companies))
    bars, segments = metrics.fold_small_providers(by_provider, by_pair)
    hidden = by_provider.filter(pl.col("committed_usd_bn") == 0)
    return OverviewView(
        story=narrative.seed_story(financials, all_deals, companies),
        scope=f"Showing {describe(deal_filter, options)} · data as of {fmt.day(as_of)}",
        as_of=as_of,
        deals=deals.height,
        totals=counting.headline_totals(all_deals, deal_filter),
        cards=_cards(deals, tables, deal_filter, options.label),
        takeaway=commitments_takeaway(by_provider),
        chart=commitments_by_provider_chart(bars, segments),
        undisclosed_caption="" if hidden.is_empty() else (
            "Commitments with no disclosed value (not drawn): "
            + ", ".join(f"{r['provider']} ({r['undisclosed']})" for r in hidden.iter_rows(named=True)) + "."),
        sources=deals,
    )

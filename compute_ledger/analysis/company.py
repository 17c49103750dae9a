"""One company as the ledger knows it, on both sides of the market. Pure Polars: no Streamlit, no Plotly.

The counting model applies unchanged (README "How the headline numbers are counted"): each total adds one layer
of the chain (deals.layer), the firmness tiers the user counts (the rest shown beside, never inside), site GW and
chip GW apart. What is new here is only the side: a company is the buyer in some deals (what it buys, the money
invested in it) and the provider in others (its customers' contracts, the money it invests).

The sidebar's buyer and provider choices are replaced by the company itself: a profile is about that company
whichever companies the sidebar picked. Dates, deal types, statuses, tiers and overlaps apply as everywhere.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from compute_ledger.analysis import capacity
from compute_ledger.analysis.counting import Total, TotalSpec, tiers_in_words, work_out
from compute_ledger.analysis.filters import FIRMNESS_TIERS, DealFilter, apply_deal_filter
from compute_ledger.analysis.links import named
from compute_ledger.analysis.metrics import END_USER, FINANCING, NOT_BUILDING, PLEDGE, POWER, RESALE, in_layer
from compute_ledger.i18n import t, tn

Side = Literal["buyer", "provider"]
SIDE_COLUMN = {"buyer": "buyer_id", "provider": "provider_id"}
COUNTERPARTY_COLUMN = {"buyer": "provider_id", "provider": "buyer_id"}
MAX_COMPARED = 3
HHI_MAX = 10_000.0
# Financial figures a profile puts in its cards (the latest reported actual of each); the table lists them all.
KEY_METRICS = ("revenue", "revenue_run_rate", "capex")


def parse_ids(raw: Sequence[str], known: Sequence[str], names: dict[str, str]) -> tuple[tuple[str, ...], list[str]]:
    """The company ids a link names (ids or display names, comma-separated or repeated), at most MAX_COMPARED,
    and one warning per thing ignored."""
    by_name = {names.get(k, k): k for k in known}
    known_set = set(known)
    wanted: list[str] = []
    for item in raw:
        parts = [item.strip()] if item.strip() in by_name or item.strip() in known_set else item.split(",")
        for part in (p.strip() for p in parts):
            if part:
                wanted.append(by_name.get(part, part))
    wanted = list(dict.fromkeys(wanted))
    warnings = []
    unknown = [w for w in wanted if w not in known_set]
    if unknown:
        warnings.append(tn("The link names unknown company {names}; ignored.",
                           "The link names unknown companies {names}; ignored.", len(unknown), names=named(unknown)))
    kept = [w for w in wanted if w in known_set]
    if len(kept) > MAX_COMPARED:
        warnings.append(t("At most {n} companies are compared; the link's others ({names}) are left out.",
                          n=MAX_COMPARED, names=named([names.get(k, k) for k in kept[MAX_COMPARED:]], quote=False)))
    return tuple(kept[:MAX_COMPARED]), warnings


def profile_filter(deal_filter: DealFilter | None) -> DealFilter:
    """The sidebar's filter without its buyer and provider choices (the profile's company replaces them)."""
    return dataclasses.replace(deal_filter or DealFilter(), buyers=(), providers=())


def involving(deals: pl.DataFrame, company_id: str) -> pl.DataFrame:
    return deals.filter((pl.col("buyer_id") == company_id) | (pl.col("provider_id") == company_id))


def company_totals(all_deals: pl.DataFrame, deal_filter: DealFilter | None, company_id: str,
                   name: str) -> dict[str, Total]:
    """Every total of a profile, by a stable key; each adds one layer on one side of the market."""
    tiers = tiers_in_words(profile_filter(deal_filter).tiers)
    building = ~pl.col("status").is_in(NOT_BUILDING) & pl.col("capacity_gw").is_not_null()
    scope = profile_filter(deal_filter)

    def total(key: str, side: Side, keep: pl.Expr, label: str, counts: str, unit="usd_bn") -> tuple[str, TotalSpec]:
        return key, TotalSpec(label, counts, unit, (pl.col(SIDE_COLUMN[side]) == company_id) & keep)

    specs = dict([
        total("bought_for_itself", "buyer", in_layer(END_USER), t("Bought for its own use"),
              t("Disclosed values of what {name} buys for itself (cloud contracts, chips, its own data centres), "
                "{tiers}, not cancelled: the end-user layer, the one the Overview adds up.", name=name, tiers=tiers)),
        total("bought_sites_gw", "buyer", in_layer(END_USER) & building & (pl.col("capacity_kind") == "site"),
              t("Site capacity it contracted"),
              t("Gigawatts of sites and capacity contracts {name} signed for itself, {tiers}, not paused or "
                "cancelled: contracted, not built. Chip GW are a separate figure.", name=name, tiers=tiers), "gw"),
        total("bought_chips_gw", "buyer", in_layer(END_USER) & building & (pl.col("capacity_kind") == "chips"),
              t("Chips it bought, in GW"),
              t("Chip purchases {name} expressed in power, {tiers}, not paused or cancelled. The chips go into "
                "sites: never add the two.", name=name, tiers=tiers), "gw"),
        total("power_gw", "buyer", in_layer(POWER) & building & (pl.col("capacity_kind") == "power"),
              t("Power it contracted, in GW"),
              t("Gigawatts of electricity {name} contracted for its data centres, {tiers}, not paused or cancelled. "
                "Power feeds the sites: never added to site or chip GW.", name=name, tiers=tiers), "gw"),
        total("pledged", "buyer", in_layer(PLEDGE), t("Pledged (not contracts)"),
              t("What {name} said it will invest in a country or region, {tiers}, not cancelled: a pledge binds no "
                "counterparty, so it is in no contracted total.", name=name, tiers=tiers)),
        total("bought_to_resell", "buyer", in_layer(RESALE), t("Bought to serve its customers"),
              t("What {name} buys (capacity rentals, chips, data-centre contracts) to serve its own customers, "
                "{tiers}, not cancelled: one step up the chain from its customers' contracts, never added to them.",
                name=name, tiers=tiers)),
        total("backlog", "provider", in_layer(END_USER), t("Contracted by its customers"),
              t("Disclosed values of end users' contracts with {name} (its customers buying for themselves), "
                "{tiers}, not cancelled: the contracted backlog the ledger lists, not the company's reported "
                "backlog (that is among its financial figures).", name=name, tiers=tiers)),
        total("sold_sites_gw", "provider", in_layer(END_USER) & building & (pl.col("capacity_kind") == "site"),
              t("Site capacity its customers contracted"),
              t("Gigawatts of sites and capacity contracts end users signed with {name}, {tiers}, not paused or "
                "cancelled.", name=name, tiers=tiers), "gw"),
        total("sold_to_providers", "provider", in_layer(RESALE), t("Sold to other providers"),
              t("What other clouds and neoclouds buy from {name} to serve their customers, {tiers}, not cancelled: "
                "another layer, never added to its end-user customers' contracts.", name=name, tiers=tiers)),
        total("invested_in_it", "buyer", in_layer(FINANCING), t("Invested in it"),
              t("Equity rounds, debt, backstops and joint-venture funding {name} received, {tiers}: money that pays "
                "for compute counted elsewhere, so never added to the purchases.", name=name, tiers=tiers)),
        total("invested_by_it", "provider", in_layer(FINANCING), t("Invested by it"),
              t("Equity, debt and funding {name} put into others, {tiers}.", name=name, tiers=tiers)),
    ])
    return dict(zip(specs, work_out(all_deals, scope, list(specs.values()))))


def by_layer_and_firmness(all_deals: pl.DataFrame, deal_filter: DealFilter | None, company_id: str,
                          side: Side) -> pl.DataFrame:
    """Deals on one side, every tier, by layer and firmness: what the totals count and what they leave beside.
    Cancelled deals are listed apart (they count nowhere)."""
    scope = dataclasses.replace(profile_filter(deal_filter), tiers=FIRMNESS_TIERS)
    rows = apply_deal_filter(all_deals, scope).filter(pl.col(SIDE_COLUMN[side]) == company_id)
    return (rows.with_columns(cancelled=pl.col("status").is_in(["cancelled"]))
            .group_by("layer", "firmness", "cancelled")
            .agg(deals=pl.len(), value_usd_bn=pl.col("value_usd_bn").sum(),
                 undisclosed=pl.col("value_usd_bn").is_null().sum())
            .with_columns(counted=pl.col("firmness").is_in(list(profile_filter(deal_filter).tiers))
                          & ~pl.col("cancelled"))
            .sort("layer", "firmness", "cancelled"))


def counterparties(deals: pl.DataFrame, company_id: str, side: Side) -> pl.DataFrame:
    """Per counterparty (suppliers of a buyer, customers of a provider) over deals already filtered: deals,
    disclosed USD bn of the end-user layer (what the totals add), GW, undisclosed count, the layers involved."""
    other = COUNTERPARTY_COLUMN[side]
    committed = in_layer(END_USER)
    return (deals.lazy().filter(pl.col(SIDE_COLUMN[side]) == company_id)
            .group_by(other)
            .agg(deals=pl.len(),
                 committed_usd_bn=pl.col("value_usd_bn").filter(committed).sum(),
                 value_usd_bn=pl.col("value_usd_bn").filter(~pl.col("status").is_in(["cancelled"])).sum(),
                 capacity_gw=pl.col("capacity_gw").filter(committed & (pl.col("capacity_kind") == "site")).sum(),
                 undisclosed=pl.col("value_usd_bn").is_null().sum(),
                 layers=pl.col("layer").unique().sort().str.join(", "),
                 first=pl.col("announced").min(), last=pl.col("announced").max())
            .rename({other: "company_id"})
            .sort(["committed_usd_bn", "value_usd_bn", "deals", "company_id"], descending=[True, True, True, False])
            .collect())


def concentration_over_time(deals: pl.DataFrame, company_id: str) -> pl.DataFrame:
    """A buyer's supplier concentration year by year: the HHI (0-10,000) of its end-user commitments cumulated
    to the end of each year, over providers, with the largest supplier's share. Disclosed values only."""
    own = deals.filter((pl.col("buyer_id") == company_id) & in_layer(END_USER) & (pl.col("value_usd_bn") > 0))
    if own.is_empty():
        return pl.DataFrame(schema={"year": pl.Int32, "hhi": pl.Float64, "suppliers": pl.UInt32,
                                    "top_share": pl.Float64, "total_usd_bn": pl.Float64})
    yearly = own.group_by(year=pl.col("announced").dt.year(), provider=pl.col("provider_id")).agg(
        pl.col("value_usd_bn").sum())
    years = pl.DataFrame({"year": list(range(yearly["year"].min(), yearly["year"].max() + 1))},
                         schema={"year": pl.Int32})
    cumulative = (years.join(yearly.select("provider").unique(), how="cross")
                  .join(yearly, on=["year", "provider"], how="left")
                  .with_columns(pl.col("value_usd_bn").fill_null(0.0))
                  .sort("provider", "year")
                  .with_columns(cum=pl.col("value_usd_bn").cum_sum().over("provider"))
                  .filter(pl.col("cum") > 0))
    return (cumulative.group_by("year")
            .agg(total_usd_bn=pl.col("cum").sum(), hhi=((100 * pl.col("cum") / pl.col("cum").sum()) ** 2).sum(),
                 suppliers=pl.len(), top_share=pl.col("cum").max() / pl.col("cum").sum())
            .select("year", "hhi", "suppliers", "top_share", "total_usd_bn")
            .sort("year"))


@dataclass(frozen=True)
class CapacitySummary:
    sites: pl.DataFrame  # capacity.sites() of the company: one row per site, latest stage
    planned_gw: float  # sites not halted, latest planned size
    operational_gw: float  # sites' latest operating figures
    fleet_gw: float | None  # the company's own whole-fleet figure, where it reports one
    fleet_date: object
    milestones: pl.DataFrame  # every milestone row of the company, newest first


def company_capacity(milestones: pl.DataFrame, company_id: str) -> CapacitySummary:
    own = milestones.filter(pl.col("company_id") == company_id)
    placed = capacity.sites(own, ("site", "tranche", "power"))
    live_sites = placed.filter(~pl.col("halted") & (pl.col("scope") == "site"))
    fleet = capacity.latest_fleet(own)
    return CapacitySummary(
        sites=placed,
        planned_gw=float(live_sites["planned_gw"].sum()),
        operational_gw=float(live_sites["operational_gw"].sum()),
        fleet_gw=float(fleet["fleet_gw"][0]) if fleet.height else None,
        fleet_date=fleet["fleet_date"][0] if fleet.height else None,
        milestones=own.sort("date", descending=True),
    )


def company_financials(financials: pl.DataFrame, company_id: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(reported figures, projections and outside estimates): never mixed, as a forecast is not a fact."""
    own = financials.filter(pl.col("company_id") == company_id).sort(
        ["metric", "year", "as_of", "source_date"], descending=[False, True, True, True], nulls_last=True)
    reported = pl.col("is_projection").not_() & pl.col("estimator").is_null()
    return own.filter(reported), own.filter(~reported)


def latest_reported(reported: pl.DataFrame, metric: str) -> dict | None:
    """The latest reported figure of a metric: for a flow (revenue, capex) the latest full year, for a
    point-in-time figure (run-rate, backlog) the newest as-of date; then the newest source."""
    rows = reported.filter(pl.col("metric") == metric)
    full_year = rows.filter(pl.col("period") == "full_year")
    rows = (full_year.sort(["year", "source_date"]) if full_year.height
            else rows.sort(["as_of", "year", "source_date"], nulls_last=False))
    return rows.row(-1, named=True) if rows.height else None


SOURCE_COLUMNS = ("record", "table", "date", "about", "source_title", "source_url", "source_date", "source_kind",
                  "source_publisher", "citation_count", "first_reported_by", "record_id")
_CITED = ("source_title", "source_url", "source_date", "source_kind", "source_publisher", "citation_count",
          "first_reported_by")


def company_sources(deals: pl.DataFrame, milestones: pl.DataFrame, financials: pl.DataFrame,
                    company_id: str) -> pl.DataFrame:
    """Every source the ledger cites about the company: its deals (either side, every tier and status), its
    milestones and its financial figures, newest first."""
    deal_rows = involving(deals, company_id).select(
        record=pl.col("deal_id"), table=pl.lit("deals"), date=pl.col("announced"), about=pl.col("description"),
        *_CITED, record_id=pl.col("deal_id"))
    milestone_rows = milestones.filter(pl.col("company_id") == company_id).select(
        record=pl.col("milestone_id"), table=pl.lit("milestones"), date=pl.col("date"), about=pl.col("description"),
        *_CITED, record_id=pl.col("milestone_id"))
    financial_rows = financials.filter(pl.col("company_id") == company_id).select(
        record=pl.concat_str([pl.col("metric"), pl.col("year").cast(pl.String)], separator=" "),
        table=pl.lit("financials"), date=pl.coalesce("as_of", "source_date"), about=pl.col("description"),
        *_CITED, record_id=pl.col("financial_id"))
    return (pl.concat([deal_rows, milestone_rows, financial_rows], how="vertical_relaxed")
            .sort(["source_date", "record"], descending=[True, False]))


def financing_rows(deals: pl.DataFrame, company_id: str) -> pl.DataFrame:
    """The company's funding rounds, debt, backstops and acquisitions (already filtered), newest first, with the
    investors named: money it received (the counterparty invested) and money it put in (the counterparty
    received)."""
    return (deal_timeline(deals.filter(pl.col("layer") == FINANCING), company_id)
            .with_columns(side=pl.when(pl.col("side") == "buyer").then(pl.lit(t("received from")))
                          .otherwise(pl.lit(t("invested in"))))
            .sort(["announced", "deal_id"], descending=[True, False]))


def deal_timeline(deals: pl.DataFrame, company_id: str) -> pl.DataFrame:
    """The company's deals (already filtered), oldest first, with its side in each and the counterparty."""
    return (involving(deals, company_id)
            .with_columns(side=pl.when(pl.col("buyer_id") == company_id).then(pl.lit("buyer"))
                          .otherwise(pl.lit("provider")),
                          counterparty_id=pl.when(pl.col("buyer_id") == company_id).then(pl.col("provider_id"))
                          .otherwise(pl.col("buyer_id")))
            .sort("announced", "deal_id"))


# A profile's address, relative to the page (so it also works under a hosted app's path). The display name rides
# in the fragment, which the server never sees: a table's link column shows it (app/tables.py).
PROFILE_PATH = "company"


def profile_url(company_id: str, name: str | None = None) -> str:
    return f"{PROFILE_PATH}?id={company_id}" + (f"#{name}" if name else "")


def with_profile_links(frame: pl.DataFrame, columns: dict[str, str], companies: pl.DataFrame) -> pl.DataFrame:
    """Add, for each id column, a link to its profile, e.g. {"buyer_id": "buyer_link"}: `company?id=aws#AWS`.
    An id the companies table does not know gets no link (its profile would only warn)."""
    names = dict(companies.select("company_id", "name").iter_rows())
    return frame.with_columns(
        pl.when(pl.col(id_column).is_in(list(names)))
        .then(pl.concat_str([pl.lit(f"{PROFILE_PATH}?id="), pl.col(id_column), pl.lit("#"),
                             pl.col(id_column).replace_strict(names, default=pl.col(id_column),
                                                              return_dtype=pl.String)]))
        .alias(link_column)
        for id_column, link_column in columns.items() if id_column in frame.columns)

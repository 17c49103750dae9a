"""Capacity: planned against operational gigawatts, from the milestones table.

Each milestone's `scope` says what its capacity covers; scopes are never summed together:
- fleet: a company's whole operating compute (OpenAI's 0.2 / 0.6 / 1.9 GW). Only a reported stock
  (`compute_capacity`) is a fleet size; capacity a cloud *added* over a year (AWS's 3.99 GW in 2025) is a flow,
  shown in the tables but never taken for the fleet, and windows of it overlap;
- programme: totals such as Stargate's 10 GW goal or OpenAI's ~30 GW of commitments;
- site: one physical campus (Abilene, Milam County…);
- tranche: chips or cloud capacity that some data centre will house (a first AMD gigawatt, TPUs): they
  may sit inside the sites, so they are shown beside site totals, never added to them;
- power: a power source (a reactor restart); event: no capacity of its own.
A site may have several rows (energised, running, full-size target). Each site counts once: its planned
GW is its latest reported size, its operational GW its latest operational figure, and a site whose latest
report is a pause or cancellation is *halted*: shown, never counted.
"""
from __future__ import annotations

import polars as pl

from compute_ledger.i18n import t

HALTED_STAGES = ("paused", "cancelled")
STARGATE = "Stargate"
PLACED_SCOPES = ("site", "tranche", "power")
FLEET_SIZE = (pl.col("scope") == "fleet") & (pl.col("milestone_type") == "compute_capacity") & (
    pl.col("stage") == "operational") & pl.col("capacity_gw").is_not_null()


def sites(milestones: pl.DataFrame, scopes: tuple[str, ...] = ("site",)) -> pl.DataFrame:
    """One row per (company, site) of the given scopes: stage as last reported, planned and operational GW,
    target date."""
    rows = milestones.filter(pl.col("scope").is_in(scopes))
    is_operational = pl.col("stage") == "operational"
    has_gw = pl.col("capacity_gw").is_not_null()
    by_report = ["source_date", "date"]
    return (
        rows.sort(by_report)
        .group_by("company_id", "site", maintain_order=True)
        .agg(
            scope=pl.col("scope").last(),
            stage=pl.col("stage").last(),
            program=pl.col("program").drop_nulls().last(),
            country=pl.col("country").drop_nulls().last(),
            lat=pl.col("lat").drop_nulls().last(),
            lon=pl.col("lon").drop_nulls().last(),
            planned_gw=pl.col("capacity_gw").filter(has_gw & ~is_operational).last(),
            target_date=pl.col("date").filter(has_gw & ~is_operational).last(),
            operational_gw=pl.col("capacity_gw").filter(has_gw & is_operational).last(),
            operational_since=pl.col("date").filter(is_operational).min(),
            last_date=pl.col("date").last(),
            milestone_ids=pl.col("milestone_id"),
            source_url=pl.col("source_url").last(),
        )
        .with_columns(
            halted=pl.col("stage").is_in(HALTED_STAGES),
            planned_gw=pl.coalesce("planned_gw", "operational_gw"),
            target_date=pl.coalesce("target_date", "last_date"),
        )
        .sort("company_id", "target_date", "site")
    )


def latest_fleet(milestones: pl.DataFrame) -> pl.DataFrame:
    """The latest reported operating fleet per company (GW, date)."""
    return (
        milestones.filter(FLEET_SIZE)
        .sort("date").group_by("company_id", maintain_order=True)
        .agg(fleet_gw=pl.col("capacity_gw").last(), fleet_date=pl.col("date").last())
    )


def capacity_by_company(milestones: pl.DataFrame) -> pl.DataFrame:
    """Per company: planned GW at named sites (not halted), tranche GW (shown apart: may sit in those sites),
    operational GW (its own fleet figure where it reports one, else its operational sites and tranches),
    halted GW and site counts."""
    placed = sites(milestones, ("site", "tranche"))
    live, is_site = ~pl.col("halted"), pl.col("scope") == "site"
    per_company = placed.group_by("company_id").agg(
        planned_gw=pl.col("planned_gw").filter(live & is_site).sum(),
        tranche_gw=pl.col("planned_gw").filter(live & ~is_site).sum(),
        site_operational_gw=pl.col("operational_gw").filter(live).sum(),
        halted_gw=pl.col("planned_gw").filter(pl.col("halted")).sum(),
        sites=is_site.sum(),
        sites_without_gw=(is_site & pl.col("planned_gw").is_null()).sum(),
    )
    return (
        per_company.join(latest_fleet(milestones), on="company_id", how="full", coalesce=True)
        .with_columns(
            pl.col("planned_gw", "tranche_gw", "site_operational_gw", "halted_gw").fill_null(0.0),
            pl.col("sites", "sites_without_gw").fill_null(0),
        )
        .with_columns(operational_gw=pl.coalesce("fleet_gw", "site_operational_gw"),
                      operational_basis=pl.when(pl.col("fleet_gw").is_not_null()).then(pl.lit(t("reported fleet")))
                      .otherwise(pl.lit(t("sum of operational sites and tranches"))))
        .sort("planned_gw", descending=True)
    )


def capacity_timeline(milestones: pl.DataFrame) -> pl.DataFrame:
    """Series per company: operational GW as reported over time; planned GW at named sites expected online by
    each target date (running sum, halted sites left out); and chip/cloud tranches the same way, kept apart."""
    fleet = (milestones.filter(FLEET_SIZE)
             .select("company_id", "date", gw="capacity_gw").with_columns(series=pl.lit("operational")))
    placed = sites(milestones, ("site", "tranche")).filter(~pl.col("halted"))
    site_rows = placed.filter(pl.col("scope") == "site")
    fleet_companies = fleet["company_id"].unique().implode()
    site_operational = (
        placed.filter(pl.col("operational_gw").is_not_null() & ~pl.col("company_id").is_in(fleet_companies))
        .sort("operational_since").select("company_id", date="operational_since", added="operational_gw")
        .with_columns(gw=pl.col("added").cum_sum().over("company_id"), series=pl.lit("operational")).drop("added")
    )

    def running_total(rows: pl.DataFrame, series: str) -> pl.DataFrame:
        return (
            rows.filter(pl.col("planned_gw").is_not_null()).sort("target_date")
            .group_by("company_id", "target_date", maintain_order=True).agg(added=pl.col("planned_gw").sum())
            .with_columns(gw=pl.col("added").cum_sum().over("company_id"), series=pl.lit(series))
            .select("company_id", date="target_date", gw="gw", series="series")
        )

    return pl.concat(
        [fleet, site_operational, running_total(site_rows, "planned"),
         running_total(placed.filter(pl.col("scope") == "tranche"), "tranches")], how="diagonal",
    ).sort("company_id", "series", "date")


def stargate_progress(milestones: pl.DataFrame) -> dict[str, float | None]:
    """Stargate's goal, its announced planned capacity, and what its sites add up to (planned, operational)."""
    programme = milestones.filter((pl.col("program") == STARGATE) & (pl.col("scope") == "programme")
                                  & pl.col("capacity_gw").is_not_null()).sort("source_date")
    goal = programme.filter(pl.col("milestone_type") == "program_target")
    announced = programme.filter(pl.col("milestone_type") == "planned_capacity")
    stargate_sites = sites(milestones).filter(pl.col("program") == STARGATE)
    live = stargate_sites.filter(~pl.col("halted"))
    return {
        "goal_gw": goal["capacity_gw"][-1] if goal.height else None,
        "announced_planned_gw": announced["capacity_gw"][-1] if announced.height else None,
        "announced_planned_date": announced["source_date"][-1] if announced.height else None,
        "site_planned_gw": float(live["planned_gw"].sum()),
        "site_operational_gw": float(live["operational_gw"].sum()),
        "halted_gw": float(stargate_sites.filter(pl.col("halted"))["planned_gw"].sum()),
    }


def procurement_timeline(milestones: pl.DataFrame, program: str = "US manufacturing RFP") -> pl.DataFrame:
    return milestones.filter(pl.col("program") == program).sort("date")

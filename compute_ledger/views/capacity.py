"""Everything the Capacity page shows, as one value: `capacity_view(tables, deal_filter, today)`. No Streamlit here.

The sidebar's buyer filter narrows the companies (their fleets, sites and map); the other filters are about deals.
Stargate and the manufacturing RFP are OpenAI's programmes and are shown whatever the filter.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.analysis import capacity, counting
from compute_ledger.analysis.counting import Total
from compute_ledger.analysis.filters import DealFilter, options_with_names
from compute_ledger.analysis.metrics import with_names
from compute_ledger.charts import capacity as charts
from compute_ledger.i18n import t, tn

FLEET_COMPANY = "openai"  # the one company that reports its whole operating fleet


# The page's fixed sentences are functions, not constants: each is written in the language of the run that calls it.
def intro() -> str:
    return t("Where the money becomes power and chips. Planned capacity is announced, not built: the gap between the "
             "two is the point of this page. The sidebar's buyer filter applies here; other filters are about deals.")


def timeline_caption() -> str:
    return t("Solid: operating capacity as the company reported it. Dashed: site capacity expected online by each "
             "target date, added up. Dotted: chip and cloud tranches (a first AMD or Nvidia gigawatt, TPUs); they may "
             "be housed in the sites, so they are never added to them.")


def map_caption() -> str:
    return t("Positions are the town or county named in the reports, approximate. The base map is served by this app, "
             "so the map draws without outside network access.")


def power_caption() -> str:
    return t("Power is what the sites run on: a gigawatt of electricity contracted is not a gigawatt of data centre, "
             "and part of it may feed sites counted in the first figure. The three figures are shown side by side and "
             "never added. Pledges are what a company said it will invest in a country or region: no counterparty is "
             "bound, so they are in no contracted total.")


def rfp_text() -> fmt.Markdown:
    return fmt.md(t("The request covers **data-centre inputs** (compute, power, cooling, racks, networking), "
                    "**consumer-device** modules and final assembly, and **robotics** parts (motors, gearboxes, power "
                    "electronics). Filled: passed; open: still ahead."))


def fleet_columns() -> dict[str, str]:
    """The per-company table's headers, in the reader's language (the frame keeps its column names)."""
    return {"company": t("Company"), "operational_basis": t("Operating figure from"),
            "operational_gw": t("Operating (GW)"), "planned_gw": t("Planned at sites (GW)"),
            "tranche_gw": t("Chip/cloud tranches (GW)"), "halted_gw": t("Halted (GW)"), "sites": t("Sites"),
            "sites_without_gw": t("Sites without a GW figure")}


def stargate_columns() -> dict[str, str]:
    return {"site": t("Site"), "country": t("Country"), "stage": t("Stage (latest report)"),
            "planned_gw": t("Planned (GW)"), "target_date": t("Target date"), "operational_gw": t("Operating (GW)")}


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str  # what the number counts


@dataclass(frozen=True)
class CapacityView:
    intro: str  # what the page is, and which buyers it shows
    empty: str  # non-empty: no milestones for the selected buyers; the page says this and nothing more
    metrics: tuple[Metric, ...]
    # 1. planned against operating, per company
    timeline_title: str  # "" when no milestone has a GW figure (then `timeline_empty` is said instead)
    timeline_empty: str
    timeline_chart: go.Figure | None
    timeline_caption: str
    by_company: pl.DataFrame
    fleet_sources: pl.DataFrame  # the milestones with a GW figure behind the chart
    # 2. Stargate
    stargate_title: str  # "" when the data has no Stargate programme
    stargate_chart: go.Figure | None
    stargate_sites: pl.DataFrame
    stargate_caption: str
    # 3. sites map
    map_title: str  # "" when no site has a position (then `map_empty` is said instead)
    map_empty: str
    map_chart: go.Figure | None
    map_caption: str
    milestone_sources: pl.DataFrame  # every milestone of the selected buyers
    # 2b. power contracted for AI data centres, beside the site capacity it serves, and pledges (never added)
    power_title: str  # "" when the deals table could not be loaded
    power_totals: tuple[Total, ...]  # contracted site GW, power GW, pledged USD bn: each with the rows it adds up
    power_by_type: pl.DataFrame  # the power total's rows by what the power comes from
    power_chart: go.Figure | None  # None when no power GW is counted
    power_caption: str
    # 4. the manufacturing RFP
    rfp_title: str  # "" when the data has no RFP steps
    rfp_chart: go.Figure | None
    rfp_text: str
    rfp_steps: pl.DataFrame


def _stage_words() -> dict[str, str]:
    """Each stage value of the Stargate table as the reader reads it (the data keeps its own value)."""
    return {stage: fmt.word(stage) for stage in ("target", "planned", "under_construction", "operational",
                                                 "completed", "paused", "cancelled")}


def _metrics(by_company: pl.DataFrame, progress: dict, label) -> tuple[Metric, ...]:
    metrics = []
    own = by_company.filter(pl.col("company_id") == FLEET_COMPANY)
    if own.height:
        row, name = own.row(0, named=True), label(FLEET_COMPANY)
        if row["fleet_gw"] is not None:
            metrics.append(Metric(
                t("{company} operating ({month})", company=name, month=fmt.month(row["fleet_date"])),
                fmt.gw(row["fleet_gw"]),
                t("{company}'s own latest figure for its whole operating fleet, across all its providers: built and "
                  "running, not planned.", company=name)))
        metrics.append(Metric(
            t("{company} planned at named sites", company=name), fmt.gw(row["planned_gw"]),
            t("The latest reported size of each of {company}'s named sites, each counted once; paused or cancelled "
              "sites and chip or cloud tranches are left out.", company=name)))
    metrics += [
        Metric(t("Stargate goal"), fmt.gw(progress["goal_gw"]),
               t("The Stargate programme's own target as announced, not a sum of its sites.")),
        Metric(t("Stargate announced as planned"), fmt.gw(progress["announced_planned_gw"]),
               t("OpenAI's own tally of Stargate capacity announced as planned ({month}), not a sum of the sites "
                 "below.", month=fmt.month(progress["announced_planned_date"]))),
        Metric(t("Halted (paused or cancelled)"), fmt.gw(by_company["halted_gw"].sum()),
               t("The last reported size of the shown companies' sites and tranches whose latest report is a pause "
                 "or cancellation: on the map, never counted as planned.")),
    ]
    return tuple(metrics)


def _stargate_caption(stargate_sites: pl.DataFrame) -> str:
    halted = stargate_sites.filter(pl.col("halted"))
    rest = t("Site targets can add up to less than the announced total: not every site has a published size.")
    if not halted.height:
        return rest
    sites = "; ".join(f"{r['site']} ({r['stage']})" for r in halted.iter_rows(named=True))
    return t("Halted sites stay in the list and count for nothing: {sites}. {rest}", sites=sites, rest=rest)


def _power_title(site: Total, power: Total, pledges: Total) -> str:
    """The power section's heading; "" (no section) when the selection has no power or pledge rows at all."""
    if not (power.count or power.beside or pledges.count or pledges.beside):
        return ""
    if not power.count:
        return t("No power contracted for data centres in this selection; {site} of sites contracted",
                 site=fmt.gw(site.value))
    return t("{power} of power contracted for AI data centres, beside {site} of contracted sites: two series, never "
             "added", power=fmt.gw(power.value), site=fmt.gw(site.value))


def _rfp_title(steps: pl.DataFrame, upcoming: pl.DataFrame) -> str:
    if not steps.height:
        return ""
    if upcoming.height:
        return t("OpenAI's US manufacturing RFP: next step {month}", month=fmt.month(upcoming["date"][0]))
    return t("OpenAI's US manufacturing RFP: all steps have passed")


def capacity_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None, today: dt.date) -> CapacityView:
    """Planned against operating capacity for the filter's buyers (all companies when it names none)."""
    companies, all_milestones = tables["companies"], tables["milestones"]
    label = options_with_names(companies).label
    buyers = deal_filter.buyers if deal_filter else ()
    milestones = all_milestones.filter(pl.col("company_id").is_in(buyers)) if buyers else all_milestones
    shown_intro = (t("{intro} Showing: {buyers}.", intro=intro(), buyers=", ".join(label(b) for b in buyers))
                   if buyers else intro())
    named = {"company_id": "company"}

    by_company = with_names(capacity.capacity_by_company(milestones), companies, named)
    timeline = with_names(capacity.capacity_timeline(milestones), companies, named)
    progress = capacity.stargate_progress(all_milestones)
    stargate_sites = (with_names(capacity.sites(all_milestones).filter(pl.col("program") == capacity.STARGATE),
                                 companies, named)
                      .with_columns(pl.col("stage").replace(_stage_words())))
    has_stargate = progress["goal_gw"] is not None or progress["announced_planned_gw"] is not None or stargate_sites.height
    located = with_names(capacity.sites(milestones, capacity.PLACED_SCOPES), companies, named).filter(
        pl.col("lat").is_not_null() & pl.col("lon").is_not_null())
    steps = capacity.procurement_timeline(all_milestones).with_columns(label=pl.coalesce("headline", "site"))
    upcoming = steps.filter(pl.col("date") > today)
    top = by_company.row(0, named=True) if by_company.height else None
    power_totals = (counting.power_and_pledge_totals(tables["deals"], deal_filter or DealFilter())
                    if "deals" in tables else ())
    power_by_type = (counting.power_by_type(power_totals[1].rows) if power_totals
                     else pl.DataFrame(schema={"power_type": pl.String, "gw": pl.Float64}))

    return CapacityView(
        intro=shown_intro,
        empty="" if milestones.height else t("No capacity milestones for the selected buyers."),
        metrics=_metrics(by_company, progress, label) if milestones.height else (),
        timeline_title=t("{company} plans {planned} at named sites; {running} is running", company=top["company"],
                         planned=fmt.gw(top["planned_gw"]), running=fmt.gw(top["operational_gw"]))
        if top and timeline.height else "",
        timeline_empty=t("No milestone with a gigawatt figure for the selected buyers."),
        timeline_chart=charts.planned_vs_operational_chart(timeline, today) if timeline.height else None,
        timeline_caption=timeline_caption(),
        by_company=by_company,
        fleet_sources=with_names(milestones.filter(pl.col("capacity_gw").is_not_null()), companies, named).sort("date"),
        stargate_title=t("Stargate: {announced} announced of a {goal} goal; {running} reported running at its sites",
                         announced=fmt.gw(progress["announced_planned_gw"]), goal=fmt.gw(progress["goal_gw"]),
                         running=fmt.gw(progress["site_operational_gw"])) if has_stargate else "",
        stargate_chart=charts.stargate_chart(progress) if has_stargate else None,
        stargate_sites=stargate_sites,
        stargate_caption=_stargate_caption(stargate_sites),
        map_title=tn("{n} site on the map, sized by planned GW", "{n} sites on the map, sized by planned GW",
                     located.height, n=fmt.count(located.height)) if located.height else "",
        map_empty=t("No located sites for the selected buyers."),
        map_chart=charts.sites_map(located) if located.height else None,
        map_caption=map_caption(),
        milestone_sources=with_names(milestones, companies, named).sort("date"),
        power_title=_power_title(*power_totals) if power_totals else "",
        power_totals=power_totals,
        power_by_type=power_by_type,
        power_chart=charts.power_by_type_chart(power_by_type) if power_by_type["gw"].sum() else None,
        power_caption=power_caption(),
        rfp_title=_rfp_title(steps, upcoming),
        rfp_chart=charts.procurement_chart(steps, today) if steps.height else None,
        rfp_text=rfp_text(),
        rfp_steps=steps,
    )

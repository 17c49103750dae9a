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

FLEET_COMPANY = "openai"  # the one company that reports its whole operating fleet
INTRO = ("Where the money becomes power and chips. Planned capacity is announced, not built: the gap between the two "
         "is the point of this page. The sidebar's buyer filter applies here; other filters are about deals.")
TIMELINE_CAPTION = ("Solid: operating capacity as the company reported it. Dashed: site capacity expected online by "
                    "each target date, added up. Dotted: chip and cloud tranches (a first AMD or Nvidia gigawatt, "
                    "TPUs); they may be housed in the sites, so they are never added to them.")
MAP_CAPTION = ("Positions are the town or county named in the reports, approximate. The base map is served by this "
               "app, so the map draws without outside network access.")
POWER_CAPTION = ("Power is what the sites run on: a gigawatt of electricity contracted is not a gigawatt of data "
                 "centre, and part of it may feed sites counted in the first figure. The three figures are shown side "
                 "by side and never added. Pledges are what a company said it will invest in a country or region: "
                 "no counterparty is bound, so they are in no contracted total.")
RFP_TEXT = fmt.md("The request covers **data-centre inputs** (compute, power, cooling, racks, networking), "
            "**consumer-device** modules and final assembly, and **robotics** parts (motors, gearboxes, power "
            "electronics). Filled: passed; open: still ahead.")


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


def _metrics(by_company: pl.DataFrame, progress: dict, label) -> tuple[Metric, ...]:
    metrics = []
    own = by_company.filter(pl.col("company_id") == FLEET_COMPANY)
    if own.height:
        row, name = own.row(0, named=True), label(FLEET_COMPANY)
        if row["fleet_gw"] is not None:
            metrics.append(Metric(
                f"{name} operating ({fmt.month(row['fleet_date'])})", fmt.gw(row["fleet_gw"]),
                f"{name}'s own latest figure for its whole operating fleet, across all its providers: built and "
                "running, not planned."))
        metrics.append(Metric(
            f"{name} planned at named sites", fmt.gw(row["planned_gw"]),
            f"The latest reported size of each of {name}'s named sites, each counted once; paused or cancelled "
            "sites and chip or cloud tranches are left out."))
    metrics += [
        Metric("Stargate goal", fmt.gw(progress["goal_gw"]),
               "The Stargate programme's own target as announced, not a sum of its sites."),
        Metric("Stargate announced as planned", fmt.gw(progress["announced_planned_gw"]),
               f"OpenAI's own tally of Stargate capacity announced as planned "
               f"({fmt.month(progress['announced_planned_date'])}), not a sum of the sites below."),
        Metric("Halted (paused or cancelled)", fmt.gw(by_company["halted_gw"].sum()),
               "The last reported size of the shown companies' sites and tranches whose latest report is a pause "
               "or cancellation: on the map, never counted as planned."),
    ]
    return tuple(metrics)


def _stargate_caption(stargate_sites: pl.DataFrame) -> str:
    halted = stargate_sites.filter(pl.col("halted"))
    named = ("Halted sites stay in the list and count for nothing: "
             + "; ".join(f"{r['site']} ({r['stage']})" for r in halted.iter_rows(named=True)) + ". ") if halted.height else ""
    return named + "Site targets can add up to less than the announced total: not every site has a published size."


def _power_title(site: Total, power: Total, pledges: Total) -> str:
    """The power section's heading; "" (no section) when the selection has no power or pledge rows at all."""
    if not (power.count or power.beside or pledges.count or pledges.beside):
        return ""
    if not power.count:
        return f"No power contracted for data centres in this selection; {fmt.gw(site.value)} of sites contracted"
    return (f"{fmt.gw(power.value)} of power contracted for AI data centres, beside {fmt.gw(site.value)} of "
            "contracted sites: two series, never added")


def capacity_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None, today: dt.date) -> CapacityView:
    """Planned against operating capacity for the filter's buyers (all companies when it names none)."""
    companies, all_milestones = tables["companies"], tables["milestones"]
    label = options_with_names(companies).label
    buyers = deal_filter.buyers if deal_filter else ()
    milestones = all_milestones.filter(pl.col("company_id").is_in(buyers)) if buyers else all_milestones
    intro = INTRO + (f" Showing: {', '.join(label(b) for b in buyers)}." if buyers else "")
    named = {"company_id": "company"}

    by_company = with_names(capacity.capacity_by_company(milestones), companies, named)
    timeline = with_names(capacity.capacity_timeline(milestones), companies, named)
    progress = capacity.stargate_progress(all_milestones)
    stargate_sites = (with_names(capacity.sites(all_milestones).filter(pl.col("program") == capacity.STARGATE),
                                 companies, named)
                      .with_columns(pl.col("stage").str.replace_all("_", " ")))
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
        intro=intro,
        empty="" if milestones.height else "No capacity milestones for the selected buyers.",
        metrics=_metrics(by_company, progress, label) if milestones.height else (),
        timeline_title=(f"{top['company']} plans {fmt.gw(top['planned_gw'])} at named sites; "
                        f"{fmt.gw(top['operational_gw'])} is running") if top and timeline.height else "",
        timeline_empty="No milestone with a gigawatt figure for the selected buyers.",
        timeline_chart=charts.planned_vs_operational_chart(timeline, today) if timeline.height else None,
        timeline_caption=TIMELINE_CAPTION,
        by_company=by_company,
        fleet_sources=with_names(milestones.filter(pl.col("capacity_gw").is_not_null()), companies, named).sort("date"),
        stargate_title=(f"Stargate: {fmt.gw(progress['announced_planned_gw'])} announced of a "
                        f"{fmt.gw(progress['goal_gw'])} goal; {fmt.gw(progress['site_operational_gw'])} reported "
                        "running at its sites") if has_stargate else "",
        stargate_chart=charts.stargate_chart(progress) if has_stargate else None,
        stargate_sites=stargate_sites,
        stargate_caption=_stargate_caption(stargate_sites),
        map_title=(f"{fmt.count(located.height)} {'site' if located.height == 1 else 'sites'} on the map, sized by "
                   "planned GW") if located.height else "",
        map_empty="No located sites for the selected buyers.",
        map_chart=charts.sites_map(located) if located.height else None,
        map_caption=MAP_CAPTION,
        milestone_sources=with_names(milestones, companies, named).sort("date"),
        power_title=_power_title(*power_totals) if power_totals else "",
        power_totals=power_totals,
        power_by_type=power_by_type,
        power_chart=charts.power_by_type_chart(power_by_type) if power_by_type["gw"].sum() else None,
        power_caption=POWER_CAPTION,
        rfp_title=("OpenAI's US manufacturing RFP: " + (f"next step {fmt.month(upcoming['date'][0])}" if upcoming.height
                                                        else "all steps have passed")) if steps.height else "",
        rfp_chart=charts.procurement_chart(steps, today) if steps.height else None,
        rfp_text=RFP_TEXT,
        rfp_steps=steps,
    )

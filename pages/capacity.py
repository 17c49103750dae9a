"""Capacity: planned against operating gigawatts, Stargate's progress, the sites, and the manufacturing RFP."""
import polars as pl
import streamlit as st

from compute_ledger.analysis import capacity
from compute_ledger.analysis import metrics
from compute_ledger.app import loading, messages, sidebar, tables
from compute_ledger.charts import capacity as charts
from compute_ledger import formatting as fmt

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "milestones")
companies, options = data["companies"], loading.filter_options() if data.has("deals") else None
milestones = data["milestones"]
if deal_filter and deal_filter.buyers:
    milestones = milestones.filter(pl.col("company_id").is_in(deal_filter.buyers))

st.title("Capacity: planned vs running")
st.caption("Where the money becomes power and chips. Planned capacity is announced, not built: the gap between "
           "the two is the point of this page. The sidebar's buyer filter applies here; other filters are about deals."
           + (f" Showing: {', '.join(options.label(b) for b in deal_filter.buyers)}." if deal_filter and
              deal_filter.buyers else ""))
if milestones.is_empty():
    st.info("No capacity milestones for the selected buyers.", icon=":material/search_off:")
    st.stop()

by_company = metrics.with_names(capacity.capacity_by_company(milestones), companies, {"company_id": "company"})
progress = capacity.stargate_progress(data["milestones"])
openai = by_company.filter(pl.col("company_id") == "openai")
with st.container(horizontal=True):
    if openai.height:
        row = openai.row(0, named=True)
        st.metric(f"OpenAI operating ({fmt.month(row['fleet_date'])})", fmt.gw(row["operational_gw"]), border=True,
                  help="OpenAI's own figure for its whole fleet, across all providers.")
        st.metric("OpenAI planned at named sites", fmt.gw(row["planned_gw"]), border=True,
                  help="Latest reported size of each named site, counted once; paused or cancelled sites left out.")
    st.metric("Stargate goal", fmt.gw(progress["goal_gw"]), border=True)
    st.metric("Stargate announced as planned", fmt.gw(progress["announced_planned_gw"]), border=True,
              help="OpenAI's own tally of planned capacity; in January 2026 it said 'well over halfway' to 10 GW.")
    st.metric("Halted (paused or cancelled)", fmt.gw(by_company["halted_gw"].sum()), border=True,
              help="Sites whose latest report is a pause or cancellation: shown on the map, never counted.")

# 1. Planned vs operational over time
timeline = metrics.with_names(capacity.capacity_timeline(milestones), companies, {"company_id": "company"})
if timeline.is_empty():
    st.info("No milestone with a gigawatt figure for the selected buyers.")
else:
    top = by_company.row(0, named=True)
    st.subheader(f"{top['company']} plans {fmt.gw(top['planned_gw'])} at named sites; "
                 f"{fmt.gw(top['operational_gw'])} is running")
    st.plotly_chart(charts.planned_vs_operational_chart(timeline, loading.today()), key="cap_timeline")
    st.caption("Solid: operating capacity as the company reported it. Dashed: site capacity expected online by each "
               "target date, added up. Dotted: chip and cloud tranches (a first AMD or Nvidia gigawatt, TPUs); they "
               "may be housed in the sites, so they are never added to them.")
    st.dataframe(
        by_company.select("company", "operational_gw", "operational_basis", "planned_gw", "tranche_gw", "halted_gw",
                          "sites", "sites_without_gw"),
        hide_index=True, placeholder=tables.MISSING,
        column_config={
            "company": "Company", "operational_basis": "Operating figure from",
            "operational_gw": st.column_config.NumberColumn("Operating (GW)", format="%.2f"),
            "planned_gw": st.column_config.NumberColumn("Planned at sites (GW)", format="%.2f"),
            "tranche_gw": st.column_config.NumberColumn("Chip/cloud tranches (GW)", format="%.2f"),
            "halted_gw": st.column_config.NumberColumn("Halted (GW)", format="%.2f"),
            "sites": "Sites", "sites_without_gw": "Sites without a GW figure"})
    tables.sources_expander(metrics.with_names(milestones.filter(pl.col("capacity_gw").is_not_null()), companies,
                                           {"company_id": "company"}).sort("date"),
                        ["date", "company", "site", "scope", "stage", "capacity_gw", "description", "source_title",
                         "source_url"], key="cap_fleet_sources")

# 2. Stargate
st.subheader(f"Stargate: {fmt.gw(progress['announced_planned_gw'])} announced of a {fmt.gw(progress['goal_gw'])} goal;"
             f" {fmt.gw(progress['site_operational_gw'])} reported running at its sites")
st.plotly_chart(charts.stargate_chart(progress), key="cap_stargate")
stargate_sites = metrics.with_names(
    capacity.sites(data["milestones"]).filter(pl.col("program") == capacity.STARGATE), companies,
    {"company_id": "company"}).with_columns(pl.col("stage").str.replace_all("_", " "))
st.dataframe(
    stargate_sites.select("site", "country", "stage", "planned_gw", "target_date", "operational_gw", "source_url"),
    hide_index=True, placeholder=tables.MISSING,
    column_config={"site": st.column_config.TextColumn("Site", width="large"), "country": "Country",
                   "stage": "Stage (latest report)",
                   "planned_gw": st.column_config.NumberColumn("Planned (GW)", format="%.2f"),
                   "target_date": st.column_config.DateColumn("Target date", format="MMM YYYY"),
                   "operational_gw": st.column_config.NumberColumn("Operating (GW)", format="%.2f"),
                   "source_url": tables.COLUMN_CONFIG["source_url"]})
halted = stargate_sites.filter(pl.col("halted"))
st.caption(("Halted sites stay in the list and count for nothing: "
            + "; ".join(f"{r['site']} ({r['stage']})" for r in halted.iter_rows(named=True)) + ". " if halted.height
            else "") + "Site targets can add up to less than the announced total: not every site has a published size.")

# 3. Sites map
located = metrics.with_names(capacity.sites(milestones, capacity.PLACED_SCOPES), companies, {"company_id": "company"})
located = located.with_columns(
    planned_text=pl.col("planned_gw").map_elements(fmt.gw, return_dtype=pl.String, skip_nulls=False),
    operational_text=pl.col("operational_gw").map_elements(fmt.gw, return_dtype=pl.String, skip_nulls=False))
if located.filter(pl.col("lat").is_not_null()).is_empty():
    st.info("No located sites for the selected buyers.")
else:
    st.subheader(f"{located.filter(pl.col('lat').is_not_null()).height} sites on the map, sized by planned GW")
    st.plotly_chart(charts.sites_map(located), key="cap_map", config=charts.MAP_CONFIG)
    st.caption("Positions are the town or county named in the reports, approximate. The base map is served by this "
               "app, so the map draws without outside network access.")
tables.sources_expander(metrics.with_names(milestones, companies, {"company_id": "company"}).sort("date"),
                    ["date", "company", "site", "scope", "stage", "capacity_gw", "description", "source_title",
                     "source_url"], label="Data and sources: all milestones",
                    key="cap_milestone_sources")

# 4. Procurement and manufacturing RFP
steps = capacity.procurement_timeline(data["milestones"])
if steps.height:
    steps = steps.with_columns(label=pl.coalesce("headline", "site"))
    upcoming = steps.filter(pl.col("date") > loading.today())
    st.subheader("OpenAI's US manufacturing RFP: "
                 + (f"next step {fmt.month(upcoming['date'][0])}" if upcoming.height else "all steps have passed"))
    st.plotly_chart(charts.procurement_chart(steps, loading.today()), key="cap_rfp")
    st.markdown("The request covers **data-centre inputs** (compute, power, cooling, racks, networking), "
                "**consumer-device** modules and final assembly, and **robotics** parts (motors, gearboxes, power "
                "electronics). Filled: passed; open: still ahead.")
    tables.sources_expander(steps, ["date", "stage", "description", "source_title", "source_url"], key="cap_rfp_sources")

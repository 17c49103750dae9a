"""Capacity: planned against operating gigawatts, Stargate's progress, the sites, and the manufacturing RFP."""
import streamlit as st

from compute_ledger import i18n
from compute_ledger.app import loading, messages, share, tables, text
from compute_ledger.charts.capacity import MAP_CONFIG
from compute_ledger.i18n import t
from compute_ledger.views.capacity import capacity_view, fleet_columns, stargate_columns
from compute_ledger.views.overview import beside_note, card_help, shown_value

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "milestones")
view = loading.page_view(capacity_view, deal_filter, loading.today())

text.title(t("Capacity: planned vs running"))
text.caption(view.intro)
if view.empty:
    messages.no_rows(view.empty)
    st.stop()

with st.container(horizontal=True):
    for metric in view.metrics:
        text.metric(metric.label, metric.value, border=True, help=metric.help)

# German numbers and dates in the tables: Streamlit's printf formats know only the decimal point, and its month
# names are English, so German tables let the browser write the number and give the month as a number.
GW_FORMAT, MONTH_FORMAT = ("localized", "MM.YYYY") if i18n.language() == "de" else ("%.2f", "MMM YYYY")
MILESTONE_COLUMNS = ["date", "company", "site", "scope", "stage", "capacity_gw", "description", "source_title",
                     "source_url"]

# 1. Planned vs operational over time
if not view.timeline_title:
    messages.no_rows(view.timeline_empty)
else:
    text.subheader(view.timeline_title)
    st.plotly_chart(view.timeline_chart, key="cap_timeline")
    share.embed_share("capacity-timeline")
    text.caption(view.timeline_caption)
    headers = fleet_columns()
    st.dataframe(
        view.by_company.select("company", "operational_gw", "operational_basis", "planned_gw", "tranche_gw",
                               "halted_gw", "sites", "sites_without_gw"),
        hide_index=True, placeholder=tables.MISSING,
        column_config={
            "company": headers["company"], "operational_basis": headers["operational_basis"],
            **{column: st.column_config.NumberColumn(headers[column], format=GW_FORMAT)
               for column in ("operational_gw", "planned_gw", "tranche_gw", "halted_gw")},
            "sites": headers["sites"], "sites_without_gw": headers["sites_without_gw"]})
    tables.sources_expander(view.fleet_sources, MILESTONE_COLUMNS, key="cap_fleet_sources")

# 2. Stargate
if view.stargate_title:
    text.subheader(view.stargate_title)
    st.plotly_chart(view.stargate_chart, key="cap_stargate")
    share.embed_share("capacity-stargate")
    sg = stargate_columns()
    st.dataframe(
        view.stargate_sites.select("site", "country", "stage", "planned_gw", "target_date", "operational_gw",
                                   "source_url"),
        hide_index=True, placeholder=tables.MISSING,
        column_config={"site": st.column_config.TextColumn(sg["site"], width="large"), "country": sg["country"],
                       "stage": sg["stage"],
                       "planned_gw": st.column_config.NumberColumn(sg["planned_gw"], format=GW_FORMAT),
                       "target_date": st.column_config.DateColumn(sg["target_date"], format=MONTH_FORMAT),
                       "operational_gw": st.column_config.NumberColumn(sg["operational_gw"], format=GW_FORMAT),
                       "source_url": tables.column_config()["source_url"]})
    text.caption(view.stargate_caption)

# 2b. Power for the sites, and pledges: beside the site capacity, never added to it
if view.power_title:
    text.subheader(view.power_title)
    with st.container(horizontal=True):
        for total in view.power_totals:
            text.metric(total.label, shown_value(total), delta=beside_note(total), delta_color="off",
                        delta_arrow="off", border=True, help=card_help(total))
    if view.power_chart is not None:
        st.plotly_chart(view.power_chart, key="cap_power")
        share.embed_share("capacity-power")
    text.caption(view.power_caption)
    for i, total in enumerate(view.power_totals):
        tables.how_built(total, data["companies"], key=f"cap_how_built_{i}")

# 3. Sites map
if not view.map_title:
    messages.no_rows(view.map_empty)
else:
    text.subheader(view.map_title)
    st.plotly_chart(view.map_chart, key="cap_map", config=MAP_CONFIG)
    share.embed_share("capacity-map")
    text.caption(view.map_caption)
tables.sources_expander(view.milestone_sources, MILESTONE_COLUMNS, label=t("Data and sources: all milestones"),
                        key="cap_milestone_sources")

# 4. Procurement and manufacturing RFP
if view.rfp_title:
    text.subheader(view.rfp_title)
    st.plotly_chart(view.rfp_chart, key="cap_rfp")
    share.embed_share("capacity-rfp")
    text.markdown(view.rfp_text)
    tables.sources_expander(view.rfp_steps, ["date", "stage", "description", "source_title", "source_url"],
                            key="cap_rfp_sources")

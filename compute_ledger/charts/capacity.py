"""Charts of the Capacity page: frames in, figures out."""
from __future__ import annotations

import datetime as dt
import math
import textwrap

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.charts.common import base_layout, colour_map
from compute_ledger.i18n import t

# Relative to the page, so it works at the root of a local server and under a hosted app's path alike.
TOPOJSON_URL = "app/static/topojson/"
MAP_CONFIG = {"topojsonURL": TOPOJSON_URL}
STAGE_COLOURS = {"operational": "#15803d", "under_construction": "#ca8a04", "target": "#2563eb", "planned": "#7c3aed",
                 "paused": "#6b7280", "cancelled": "#dc2626", "completed": "#15803d"}
STAGE_SYMBOLS = {"paused": "square-open", "cancelled": "x-open"}
SERIES_DASH = {"operational": "solid", "planned": "dash", "tranches": "dot"}


def series_names() -> dict[str, str]:
    """Each timeline series in words, in the reader's language (its hover says which line it is)."""
    return {"operational": t("Operating (reported)"), "planned": t("Planned at named sites"),
            "tranches": t("Chip and cloud tranches")}


def _epoch_ms(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time()).timestamp() * 1000


def _today_line(fig: go.Figure, today: dt.date) -> None:
    fig.add_vline(x=_epoch_ms(today), line_color="#dc2626", line_width=1.5)
    # Inside the plot, just right of the line: above it, the tight top margin would clip the word.
    fig.add_annotation(x=today, y=1.0, yref="paper", text=t("today"), showarrow=False, yanchor="top", xanchor="left",
                       xshift=3, font={"color": "#dc2626", "size": 11})


def german_date_ticks(fig: go.Figure, first: dt.date, last: dt.date) -> None:
    """In German, the date axis's ticks written by Babel (Plotly draws month names in English only): one a year,
    or one a quarter when the axis spans less than two years."""
    if i18n.language() != "de":
        return
    quarterly = (last - first).days < 730
    ticks = [dt.date(year, month, 1) for year in range(first.year, last.year + 1)
             for month in ((1, 4, 7, 10) if quarterly else (1,))]
    ticks = [d for d in ticks if first <= d <= last]
    fig.update_xaxes(tickmode="array", tickvals=[_epoch_ms(d) for d in ticks],
                     ticktext=[fmt.quarter(d) if quarterly else str(d.year) for d in ticks])


def planned_vs_operational_chart(timeline: pl.DataFrame, today: dt.date) -> go.Figure:
    """Operating GW as reported (solid) against planned GW by target date (dashed) per company.

    One legend entry per company (its colour), not per line: with one per line a phone's legend outgrows the
    chart and scrolls. The line styles are told in the caption and in each hover."""
    fig = go.Figure()
    colours = colour_map(timeline["company"].unique().to_list())
    named: set[str] = set()
    labels = series_names()
    # The month is written by fmt.month (in the customdata), so the hover reads "Nov. 2026" in German too.
    hover = t("<b>%{fullData.name}</b> · %{customdata[0]}<br>%{y:.2f} GW by %{customdata[1]}<extra></extra>")
    for (company, series), part in timeline.sort("company", "series", "date").group_by("company", "series",
                                                                                      maintain_order=True):
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["gw"], name=company, legendgroup=company, showlegend=company not in named,
            mode="lines+markers",
            line={"dash": SERIES_DASH[series], "shape": "hv", "color": colours[company], "width": 2.5},
            marker={"size": 7, "symbol": "circle" if series == "operational" else "circle-open"},
            customdata=[[labels[series], fmt.month(d)] for d in part["date"]], hovertemplate=hover))
        named.add(company)
    _today_line(fig, today)
    fig.update_yaxes(title=t("Capacity, GW"), rangemode="tozero")
    fig.update_xaxes(title=None)
    german_date_ticks(fig, min(timeline["date"].min(), today), max(timeline["date"].max(), today))
    return base_layout(fig, height=460, legend_title=None)


def stargate_chart(progress: dict) -> go.Figure:
    """Bullet-style bars: Stargate's 10 GW goal against announced, site-level and operational GW."""
    bars = [
        (t("Goal (Jan 2025)"), progress["goal_gw"], "#cbd5e1"),
        (t("Announced as planned\n({month})", month=fmt.month(progress["announced_planned_date"])),
         progress["announced_planned_gw"], "#94a3b8"),
        (t("Sum of named\nsites' targets"), progress["site_planned_gw"], "#2563eb"),
        (t("Reported operating\nat the sites"), progress["site_operational_gw"], "#15803d"),
    ]
    bars = [b for b in bars if b[1] is not None]
    fig = go.Figure(go.Bar(
        x=[b[1] for b in bars], y=[b[0] for b in bars], orientation="h", marker_color=[b[2] for b in bars],
        text=[fmt.gw(b[1]) for b in bars], textposition="outside", cliponaxis=False,
        hovertemplate=t("%{y}: %{x:.2f} GW<extra></extra>")))
    if progress["goal_gw"]:
        fig.add_vline(x=progress["goal_gw"], line_dash="dot", line_color="#0f172a")
    fig.update_yaxes(autorange="reversed", title=None)
    # Room right of the longest bar for its label, on a phone too (where the bar labels take half the width).
    fig.update_xaxes(title=t("GW"), range=[0, max([b[1] for b in bars] + [1.0]) * 1.45])
    return base_layout(fig, height=260)


def sites_map(sites: pl.DataFrame) -> go.Figure:
    """Sites with coordinates, sized by planned GW, coloured by stage; paused and cancelled marked."""
    located = sites.filter(pl.col("lat").is_not_null())
    fig = go.Figure()
    hover = t("<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[4]}<br>planned %{customdata[2]} · "
              "operating %{customdata[3]}<extra></extra>")
    for (stage,), part in located.sort("stage").group_by("stage", maintain_order=True):
        size = [8 + 9 * math.sqrt(g) if g else 8 for g in part["planned_gw"].to_list()]
        fig.add_trace(go.Scattergeo(
            lat=part["lat"], lon=part["lon"], name=fmt.word(stage), mode="markers",
            marker={"size": size, "color": STAGE_COLOURS.get(stage, "#334155"), "opacity": 0.8,
                    "symbol": STAGE_SYMBOLS.get(stage, "circle"), "line": {"width": 1, "color": "white"}},
            customdata=[(fmt.hover_text(site, 200), fmt.hover_text(company, 200), fmt.gw(planned), fmt.gw(running),
                         fmt.word(stage))
                        for site, company, planned, running
                        in part.select("site", "company", "planned_gw", "operational_gw").iter_rows()],
            hovertemplate=hover))
    fig.update_geos(projection_type="natural earth", showland=True, landcolor="#eef2f7", showcountries=True,
                    countrycolor="#cbd5e1", showocean=True, oceancolor="#f8fafc", showframe=False,
                    lataxis_range=[-60, 80], resolution=110)
    return base_layout(fig, height=460, legend_title=t("Stage"))


def procurement_chart(rows: pl.DataFrame, today: dt.date) -> go.Figure:
    """Procurement steps on a line, past filled and future open, with today marked."""
    past = [d <= today for d in rows["date"]]
    # Labels wrapped, above and below in turn, the first and last turned inwards: on a phone, neighbouring
    # steps are a few pixels apart and one-line labels would run into each other and off the chart.
    labels = ["\n".join(textwrap.wrap(str(label), 16)) for label in rows["label"]]
    sides = ["top" if i % 2 == 0 else "bottom" for i in range(rows.height)]
    anchors = ["right" if i == 0 else "left" if i == rows.height - 1 else "center" for i in range(rows.height)]
    fig = go.Figure(go.Scatter(
        x=rows["date"], y=[0] * rows.height, mode="markers+text", text=labels, cliponaxis=False,
        textposition=[f"{side} {anchor}" if rows.height > 1 else "top center" for side, anchor in zip(sides, anchors)],
        marker={"size": 16, "symbol": ["circle" if p else "circle-open" for p in past], "color": "#0f766e",
                "line": {"width": 2}},
        customdata=[[fmt.day(d), fmt.hover_text(text, 60)] for d, text in zip(rows["date"], rows["description"])],
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>" if i18n.language() == "de"
        else "%{x|%d %b %Y}<br>%{customdata[1]}<extra></extra>"))
    _today_line(fig, today)
    lo, hi = min(rows["date"].min(), today), max(rows["date"].max(), today)
    fig.update_xaxes(range=[lo - dt.timedelta(days=60), hi + dt.timedelta(days=60)], title=None)
    fig.update_yaxes(visible=False, range=[-1.6, 1.6])
    german_date_ticks(fig, lo - dt.timedelta(days=60), hi + dt.timedelta(days=60))
    return base_layout(fig, height=260)


POWER_COLOURS = {"nuclear": "#7c3aed", "gas": "#ea580c", "hydro": "#0284c7", "renewables": "#16a34a",
                 "fuel_cells": "#0d9488", "mixed": "#64748b"}


def power_by_type_chart(by_type: pl.DataFrame) -> go.Figure:
    """Power contracted for data centres, one bar per source of power (GW), largest on top."""
    names = [fmt.word(kind) for kind in by_type["power_type"]]
    fig = go.Figure(go.Bar(
        x=by_type["gw"], y=names, orientation="h", cliponaxis=False, textposition="outside",
        marker_color=[POWER_COLOURS.get(kind, "#334155") for kind in by_type["power_type"]],
        text=[fmt.gw(g) for g in by_type["gw"]], customdata=by_type["deals"],
        hovertemplate=t("%{y}: %{x:.2f} GW in %{customdata} deals<extra></extra>")))
    fig.update_yaxes(autorange="reversed", title=None)
    # Room right of the longest bar for its label, on a phone too.
    fig.update_xaxes(title=t("GW of power"), range=[0, max(by_type["gw"].max() or 0, 1.0) * 1.35])
    return base_layout(fig, height=max(180, 60 + 40 * by_type.height))

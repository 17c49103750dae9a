"""Charts of the Infrastructure gap page: frames and arrays in, figures out."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from compute_ledger import i18n
from compute_ledger.analysis.gap_model import Band
from compute_ledger.charts.common import base_layout, money_ticks
from compute_ledger.i18n import t

REVENUE, SPEND, GAP, BUDGET = "#0f766e", "#94a3b8", "#dc2626", "#2563eb"


def _money_axis(title: str) -> dict:
    """A USD bn axis: "$40" ticks under the title "USD bn" in English, as always; "40 Mrd." in German."""
    return {"title": title, **(money_ticks() if i18n.language() == "de" else {"tickprefix": "$"})}


def revenue_vs_commitments(reported: pl.DataFrame, schedule_by_year: pl.DataFrame, result: pl.DataFrame,
                           buyer: str) -> go.Figure:
    """Yearly: the commitments' schedule (bars) against revenue as recognised (solid), as run-rate (dots) and as
    projected (dashed: the company; dotted: analysts), with the scenario's cumulative gap as an area."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=schedule_by_year["year"], y=schedule_by_year["spend_usd_bn"],
                         name=t("Commitments due (schedule)"), marker_color=SPEND,
                         hovertemplate=t("%{x}: $%{y:,.1f} bn due<extra></extra>")))
    fig.add_trace(go.Scatter(x=result["year"], y=result["cumulative_gap"].clip(lower_bound=0),
                             name=t("Cumulative gap (scenario)"), fill="tozeroy", mode="lines",
                             line={"color": GAP, "width": 1}, fillcolor="rgba(220,38,38,0.15)",
                             hovertemplate=t("%{x}: $%{y:,.0f} bn still to find<extra></extra>")))
    styles = {
        "recognised": ({"color": REVENUE, "width": 3}, "lines+markers", t("Revenue, recognised")),
        "run_rate": ({"color": REVENUE, "width": 0}, "markers", t("Revenue run-rate (annualised)")),
        "company": ({"color": REVENUE, "dash": "dash", "width": 2}, "lines+markers", t("Revenue, company projection")),
        "analyst": ({"color": "#7c3aed", "dash": "dot", "width": 2}, "lines+markers", t("Revenue, analyst projection")),
    }
    for kind, (line, mode, name) in styles.items():
        part = reported.filter(pl.col("kind") == kind).sort("year")
        if part.is_empty():
            continue
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["value_usd_bn"], name=name, mode=mode, line=line,
            marker={"size": 9, "symbol": "diamond-open" if kind == "run_rate" else "circle"},
            customdata=part.select("label", "source_title").rows(),
            hovertemplate=t("%{customdata[0]}: $%{y:,.1f} bn<br><i>%{customdata[1]}</i><extra></extra>")))
    fig.update_yaxes(**_money_axis(t("USD bn")))
    fig.update_xaxes(title=None, dtick=1)
    return base_layout(fig, height=460, legend_title=None)


def scenario_chart(result: pl.DataFrame) -> go.Figure:
    """The scenario year by year: spend drawn (bars), revenue and the part of it for compute, cumulative gap."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=result["year"], y=result["spend"], name=t("Compute spend drawn"), marker_color=SPEND,
                         hovertemplate=t("%{x}: $%{y:,.1f} bn<extra></extra>")))
    fig.add_trace(go.Scatter(x=result["year"], y=result["revenue"], name=t("Revenue"), mode="lines+markers",
                             line={"color": REVENUE, "width": 3},
                             hovertemplate=t("%{x}: $%{y:,.1f} bn<extra></extra>")))
    fig.add_trace(go.Scatter(x=result["year"], y=result["compute_budget"], name=t("Revenue available for compute"),
                             mode="lines", line={"color": BUDGET, "dash": "dash"},
                             hovertemplate=t("%{x}: $%{y:,.1f} bn<extra></extra>")))
    fig.add_trace(go.Scatter(x=result["year"], y=result["cumulative_gap"],
                             name=t("Cumulative gap after funding raised"), mode="lines+markers",
                             line={"color": GAP, "width": 2.5},
                             hovertemplate=t("%{x}: $%{y:,.0f} bn<extra></extra>")))
    fig.add_hline(y=0, line_color="#334155", line_width=1)
    fig.update_yaxes(**_money_axis(t("USD bn")))
    fig.update_xaxes(title=None, dtick=1)
    return base_layout(fig, height=440, legend_title=None)


def fan_chart(band: Band) -> go.Figure:
    """Median cumulative gap with its 10-90 % band from the Monte Carlo."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=band.years, y=band.p90, mode="lines", line={"width": 0}, showlegend=False,
                             hovertemplate=t("%{x}: 90th percentile $%{y:,.0f} bn<extra></extra>")))
    fig.add_trace(go.Scatter(x=band.years, y=band.p10, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(220,38,38,0.18)", name=t("10-90 % of outcomes"),
                             hovertemplate=t("%{x}: 10th percentile $%{y:,.0f} bn<extra></extra>")))
    fig.add_trace(go.Scatter(x=band.years, y=band.p50, mode="lines+markers", line={"color": GAP, "width": 3},
                             name=t("Median"), hovertemplate=t("%{x}: median $%{y:,.0f} bn<extra></extra>")))
    fig.add_hline(y=0, line_color="#334155", line_width=1)
    fig.update_yaxes(**_money_axis(t("Cumulative gap, USD bn")))
    fig.update_xaxes(title=None, dtick=1)
    return base_layout(fig, height=380, legend_title=None)

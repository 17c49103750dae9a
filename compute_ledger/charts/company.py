"""Charts of a company profile: frames in, figures out. Sized to read in a third of a laptop screen (comparison
columns) and on a 390 px phone alike."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.charts.capacity import sites_map
from compute_ledger.charts.common import base_layout

SIDE_STYLE = {"buyer": ("#0f766e", "circle", "As buyer"), "provider": ("#7c3aed", "diamond", "As provider")}


def concentration_chart(by_year: pl.DataFrame) -> go.Figure:
    """The largest supplier's share of the buyer's cumulative commitments, year by year (HHI in the hover)."""
    fig = go.Figure(go.Scatter(
        x=by_year["year"].to_list(), y=(by_year["top_share"] * 100).to_list(), mode="lines+markers",
        line={"color": "#0f766e", "width": 2.5, "shape": "hv"}, marker={"size": 8},
        customdata=[[f"{h:,.0f}", s, fmt.usd_bn(t)] for h, s, t
                    in by_year.select("hhi", "suppliers", "total_usd_bn").iter_rows()],
        hovertemplate="<b>%{x}</b><br>Largest supplier: %{y:.0f}%<br>HHI %{customdata[0]} · "
                      "%{customdata[1]} supplier(s)<br>Cumulative %{customdata[2]}<extra></extra>"))
    fig.update_yaxes(title="Largest supplier's share, %", range=[0, 105], ticksuffix="%")
    fig.update_xaxes(title=None, dtick=1, tickformat="d")
    return base_layout(fig, height=260)


def timeline_chart(timeline: pl.DataFrame) -> go.Figure:
    """Each deal at its announcement date: disclosed value up the axis, undisclosed ones on the floor (open)."""
    fig = go.Figure()
    for side, (colour, symbol, label) in SIDE_STYLE.items():
        part = timeline.filter(pl.col("side") == side)
        if part.is_empty():
            continue
        values = part["value_usd_bn"].to_list()
        fig.add_trace(go.Scatter(
            x=part["announced"].to_list(), y=[v if v is not None else 0 for v in values], mode="markers",
            name=label, marker={"size": 11, "color": colour,
                                "symbol": [symbol if v is not None else f"{symbol}-open" for v in values]},
            customdata=[[fmt.hover_text(c, 40), fmt.usd_bn(v), d.replace("_", " "), fmt.hover_text(desc, 50)]
                        for c, v, d, desc in part.select("counterparty", "value_usd_bn", "deal_type",
                                                         "description").iter_rows()],
            hovertemplate="%{x|%d %b %Y} · <b>%{customdata[0]}</b><br>%{customdata[2]}, %{customdata[1]}"
                          "<br>%{customdata[3]}<extra></extra>"))
    fig.update_yaxes(title="Value, USD bn", rangemode="tozero", tickprefix="$")
    fig.update_xaxes(title=None)
    return base_layout(fig, height=300)


def company_sites_map(sites: pl.DataFrame) -> go.Figure:
    """The Capacity page's map, for the company's own sites."""
    fig = sites_map(sites)
    fig.update_layout(height=340)
    return fig

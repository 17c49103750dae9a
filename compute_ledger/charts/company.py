"""Charts of a company profile: frames in, figures out. Sized to read in a third of a laptop screen (comparison
columns) and on a 390 px phone alike; in the reader's language (built per language, as the view is)."""
from __future__ import annotations

import html

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.charts.capacity import sites_map
from compute_ledger.charts.common import base_layout, money_ticks
from compute_ledger.i18n import t

SIDE_STYLE = {"buyer": ("#0f766e", "circle"), "provider": ("#7c3aed", "diamond")}


def side_labels() -> dict[str, str]:
    return {"buyer": t("As buyer"), "provider": t("As provider")}


def _percent_suffix() -> str:
    return "\u00a0%" if i18n.language() == "de" else "%"  # German writes "42 %"


def concentration_chart(by_year: pl.DataFrame) -> go.Figure:
    """The largest supplier's share of the buyer's cumulative commitments, year by year (HHI in the hover)."""
    fig = go.Figure(go.Scatter(
        x=by_year["year"].to_list(), y=(by_year["top_share"] * 100).to_list(), mode="lines+markers",
        line={"color": "#0f766e", "width": 2.5, "shape": "hv"}, marker={"size": 8},
        customdata=[[fmt.count(h), s, fmt.usd_bn(total)] for h, s, total
                    in by_year.select("hhi", "suppliers", "total_usd_bn").iter_rows()],
        hovertemplate=t("<b>%{x}</b><br>Largest supplier: %{y:.0f}%<br>HHI %{customdata[0]} · "
                        "%{customdata[1]} supplier(s)<br>Cumulative %{customdata[2]}<extra></extra>")))
    fig.update_yaxes(title=t("Largest supplier's share, %"), range=[0, 105], ticksuffix=_percent_suffix())
    fig.update_xaxes(title=None, dtick=1, tickformat="d")
    return base_layout(fig, height=260)


# Plotly writes month names in English only: in German the date axis and hover use numbers (03.2025).
# Yearly ticks (a dtick of 12 months or more) show the year alone.
GERMAN_DATE_TICKS = [{"dtickrange": [None, "M1"], "value": "%d.%m.%Y"},
                     {"dtickrange": ["M1", "M11"], "value": "%m.%Y"},
                     {"dtickrange": ["M12", None], "value": "%Y"}]


def timeline_chart(timeline: pl.DataFrame) -> go.Figure:
    """Each deal at its announcement date: disclosed value up the axis, undisclosed ones on the floor (open)."""
    german = i18n.language() == "de"
    fig = go.Figure()
    labels = side_labels()
    # The date leads the hover: Plotly's own date format in English (as always), the German date written here.
    date = "%{customdata[4]}" if german else "%{x|%d %b %Y}"  # untranslated: Plotly formats, not words
    hover = date + t(" · <b>%{customdata[0]}</b><br>%{customdata[2]}, %{customdata[1]}<br>%{customdata[3]}"
                     "<extra></extra>")
    for side, (colour, symbol) in SIDE_STYLE.items():
        part = timeline.filter(pl.col("side") == side)
        if part.is_empty():
            continue
        values = part["value_usd_bn"].to_list()
        fig.add_trace(go.Scatter(
            x=part["announced"].to_list(), y=[v if v is not None else 0 for v in values], mode="markers",
            name=labels[side], marker={"size": 11, "color": colour,
                                       "symbol": [symbol if v is not None else f"{symbol}-open" for v in values]},
            customdata=[[fmt.hover_text(c, 40), fmt.usd_bn(v), fmt.word(d), fmt.hover_text(desc, 50)]
                        + ([fmt.day(when)] if german else [])
                        for c, v, d, desc, when in part.select("counterparty", "value_usd_bn", "deal_type",
                                                               "description", "announced").iter_rows()],
            hovertemplate=hover))
    # English ticks keep their "$" alone (the title says USD bn); German ones say "Mrd." (money_ticks).
    fig.update_yaxes(title=t("Value, USD bn"), rangemode="tozero", **(money_ticks() if german else {"tickprefix": "$"}))
    fig.update_xaxes(title=None, **({"tickformatstops": GERMAN_DATE_TICKS} if german else {}))
    return base_layout(fig, height=300)


def company_sites_map(sites: pl.DataFrame) -> go.Figure:
    """The Capacity page's map, for the company's own sites; its words (stages, hover, legend) in the reader's
    language, written here so the profile reads whole whichever language the Capacity page's own map speaks."""
    fig = sites_map(sites)
    # sites_map draws one trace per stage, in the stages' sorted order.
    stages = sites.filter(pl.col("lat").is_not_null())["stage"].unique().sort().to_list()
    for trace, stage in zip(fig.data, stages):
        word = html.escape(fmt.word(stage), quote=False)  # drawn as Plotly's HTML, as base_layout makes names inert
        trace.name = word
        trace.hovertemplate = (t("<b>%{customdata[0]}</b><br>%{customdata[1]} · ") + word
                               + t("<br>planned %{customdata[2]} · operating %{customdata[3]}<extra></extra>"))
    fig.update_layout(height=340, legend_title=t("Stage"))
    return fig

"""Chart builders: frames in, Plotly figures out. Titles say the takeaway; axes carry units."""
from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.metrics import OTHER_BUYERS

FONT_FAMILY = "Source Sans Pro, sans-serif"
# One colour per buyer across every page, so OpenAI is the same colour everywhere.
BUYER_COLOURS = {
    "OpenAI": "#10a37f", "Anthropic": "#d97757", "Meta": "#0668e1", "xAI": "#6b7280",
    "Microsoft Azure": "#7f54b3", "Oracle Cloud (OCI)": "#c74634", "HUMAIN": "#b8860b", "Nvidia": "#76b900",
}
OTHER_COLOUR = "#cbd5e1"  # folded "other" groups: grey, so they never read as one more company
BAR_ROW_PX = 30
PALETTE = px.colors.qualitative.Dark24 + px.colors.qualitative.Light24


def colour_map(names: list[str]) -> dict[str, str]:
    """A stable colour per name: the buyer colours first, then the palette in alphabetical order."""
    others = sorted(n for n in set(names) if n not in BUYER_COLOURS)
    return {**{n: c for n, c in BUYER_COLOURS.items() if n in names},
            **{n: PALETTE[i % len(PALETTE)] for i, n in enumerate(others)}}


def base_layout(fig: go.Figure, height: int, legend_title: str | None = None) -> go.Figure:
    # The takeaway title is drawn by the page above the chart (it wraps on a phone; a Plotly title does not).
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        # Below the x-axis title whatever the chart's height: a fixed ~70 px gap, as a fraction of the plot.
        legend={"orientation": "h", "yanchor": "top", "y": -min(0.4, 75 / max(height - 40, 1)), "x": 0,
                "title": legend_title},
        font={"family": FONT_FAMILY},
        hoverlabel={"align": "left"},
    )
    return fig


def commitments_takeaway(by_provider: pl.DataFrame) -> str:
    disclosed = by_provider.filter(pl.col("committed_usd_bn") > 0)
    if disclosed.is_empty():
        return "No disclosed commitment values in this selection"
    top = disclosed.row(0, named=True)
    total = disclosed["committed_usd_bn"].sum()
    if disclosed.height == 1:
        return f"All {fmt.usd_bn(total)} of disclosed commitments go to {top['provider']}"
    share = top["committed_usd_bn"] / total
    return (f"{top['provider']} holds {share:.0%} of {fmt.usd_bn(total)} in disclosed commitments, "
            f"spread over {disclosed.height} providers")


def commitments_by_provider_chart(by_provider: pl.DataFrame, by_provider_and_buyer: pl.DataFrame) -> go.Figure:
    """Horizontal bars of committed USD bn per provider, split by buyer, largest on top.

    `by_provider` gives the order and the end-of-bar labels (total and undisclosed deals);
    providers whose values are all undisclosed are left for the caption, not drawn as zero.
    """
    shown = by_provider.filter(pl.col("committed_usd_bn") > 0)
    order = shown["provider"].to_list()
    fig = px.bar(
        by_provider_and_buyer.filter(pl.col("provider").is_in(order)).with_columns(
            label=pl.col("committed_usd_bn").map_elements(fmt.usd_bn, return_dtype=pl.String)
        ),
        x="committed_usd_bn",
        y="provider",
        color="buyer",
        orientation="h",
        color_discrete_map={**BUYER_COLOURS, OTHER_BUYERS: OTHER_COLOUR},
        category_orders={"provider": order},
        custom_data=["buyer", "label", "deals"],
    )
    fig.update_traces(
        hovertemplate="<b>%{y}</b><br>Buyer: %{customdata[0]}<br>Committed: %{customdata[1]}"
                      "<br>Deals: %{customdata[2]}<extra></extra>"
    )
    # One layout update for all the end-of-bar labels: add_annotation re-validates the layout on every call.
    fig.update_layout(annotations=[
        {"x": row["committed_usd_bn"], "y": row["provider"], "showarrow": False, "xanchor": "left", "xshift": 6,
         "font": {"size": 12},
         "text": fmt.usd_bn(row["committed_usd_bn"]) + (f" · +{row['undisclosed']} undisclosed" if row["undisclosed"] else "")}
        for row in shown.iter_rows(named=True)])
    top = shown["committed_usd_bn"].max() or 1
    fig.update_xaxes(title="Committed, USD bn", range=[0, top * 1.45], tickprefix="$", ticksuffix=" bn")
    fig.update_yaxes(title=None)  # category_orders already puts the largest first, at the top
    return base_layout(fig, height=140 + BAR_ROW_PX * max(len(order), 3), legend_title="Buyer")

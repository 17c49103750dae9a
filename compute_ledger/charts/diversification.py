"""Charts of the Diversification page: frames in, figures out."""
from __future__ import annotations

import html

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.charts.common import BAR_ROW_PX, LABEL_CHARS, base_layout, colour_map
from compute_ledger.charts.commitments import focus_range, folded_names
from compute_ledger.analysis.diversification import HHI_MAX
from compute_ledger.i18n import t

EQUITY_COLOUR, PURCHASE_COLOUR = "rgba(217, 119, 6, 0.55)", "rgba(100, 116, 139, 0.35)"


def share_axis_titles() -> dict[str, str]:
    """The x-axis title of a share chart, by what it weighs."""
    return {"usd": t("Share of disclosed dollars, %"), "gw": t("Share of contracted gigawatts, %"),
            "deals": t("Share of number of deals, %")}


def hhi_bands() -> tuple[tuple[float, float, str], ...]:
    """US merger-guideline bands, a familiar yardstick for what "concentrated" means on this scale."""
    return ((0, 1500, t("unconcentrated")), (1500, 2500, t("moderately concentrated")),
            (2500, HHI_MAX, t("highly concentrated")))


def _short(name: str) -> str:
    """A name cut to LABEL_CHARS for an axis, a legend or a node (hovers show it whole)."""
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "…"


def _percent_suffix() -> str:
    return "\u00a0%" if i18n.language() == "de" else "%"


def _amount(value: float | None, weight: str) -> str:
    if weight == "usd":
        return fmt.usd_bn(value)
    if weight == "gw":
        return fmt.gw(value)
    return t("{n} deals", n=fmt.number(value)) if value is not None else ""


def share_bars(shares: pl.DataFrame, weight: str) -> go.Figure:
    """100% stacked bars: each buyer's supply split by provider. Click a segment to filter by its provider."""
    rows = shares.filter(pl.col("amount") > 0)
    rows = rows.with_columns(
        percent=pl.col("share") * 100,
        label=pl.when(pl.col("share") >= 0.12).then(pl.col("provider")).otherwise(pl.lit("")),
        # Formatted here, not in map_elements: Polars may run those in a thread without the reader's language.
        amount_text=pl.Series([_amount(v, weight) for v in rows["amount"]], dtype=pl.String),
    )
    order = (rows.group_by("buyer").agg(pl.col("amount").sum())
             .sort(["amount", "buyer"], descending=[True, False])["buyer"].to_list())
    # go.Bar, one trace per provider in one call: Plotly Express's per-trace layout work took seconds here.
    providers = rows["provider"].unique().to_list()
    colours = colour_map(providers, folded=folded_names(providers))
    fig = go.Figure([
        go.Bar(x=part["percent"].to_list(), y=part["buyer"].to_list(), orientation="h", name=provider,
               legendgroup=provider, marker_color=colours[provider], text=part["label"].to_list(),
               customdata=part.select("provider_id", "provider", "amount_text", "deals", "undisclosed").rows(),
               textposition="inside", insidetextanchor="middle", textfont_size=11,
               hovertemplate=t("<b>%{y} ← %{customdata[1]}</b><br>%{x:.0f}% · %{customdata[2]}<br>%{customdata[3]} "
                               "deals, %{customdata[4]} without a figure<br><i>Click to filter by this provider</i>"
                               "<extra></extra>"))
        for (provider,), part in rows.group_by("provider", maintain_order=True)])
    # Long buyer names (a consortium) cut short on the axis, so the bars keep their room; the hover has them whole.
    shown = [_short(name) for name in order[::-1]]
    fig.update_layout(barmode="relative", yaxis={"categoryorder": "array", "categoryarray": order[::-1],
                                                 "tickmode": "array", "tickvals": order[::-1], "ticktext": shown})
    fig.update_xaxes(title=share_axis_titles()[weight], range=[0, 100], ticksuffix=_percent_suffix())
    fig.update_yaxes(title=None)
    # Room for the legend below as well (about two providers a row in a half-width column or on a phone): a
    # legend taller than half the figure would be cut to a scrolling box.
    legend_rows = -(-len(fig.data) // 2)
    fig = base_layout(fig, height=140 + 2 * BAR_ROW_PX * max(len(order), 2) + 26 * legend_rows,
                      legend_title=t("Provider"))
    fig.update_layout(clickmode="event+select", dragmode=False, uniformtext={"minsize": 9, "mode": "hide"})
    return fig


def share_over_time(cumulative: pl.DataFrame, as_percent: bool) -> go.Figure:
    """Stacked cumulative supply of one buyer by provider, in dollars or as shares."""
    providers = cumulative["provider"].unique().to_list()
    fig = px.area(cumulative, x="period", y="cumulative", color="provider", line_shape="hv",
                  groupnorm="percent" if as_percent else None,
                  color_discrete_map=colour_map(providers, folded=folded_names(providers)), custom_data=["provider"])
    if as_percent:
        fig.update_traces(hovertemplate=t("%{customdata[0]}: %{y:,.1f}% by %{x|%b %Y}<extra></extra>"))
        fig.update_yaxes(title=t("Cumulative supply, %"), ticksuffix=_percent_suffix())
    else:
        fig.update_traces(hovertemplate=t("%{customdata[0]}: %{y:,.1f} USD bn by %{x|%b %Y}<extra></extra>"))
        fig.update_yaxes(title=t("Cumulative supply, USD bn"), ticksuffix="")
    fig.update_xaxes(title=t("Announced"))
    return base_layout(fig, height=420, legend_title=t("Provider"))


def concentration_chart(over_time: pl.DataFrame) -> go.Figure:
    """HHI per buyer over time, on the US merger-guideline bands; effective suppliers on hover."""
    fig = go.Figure()
    for low, high, name in hhi_bands():
        fig.add_hrect(y0=low, y1=high, line_width=0, fillcolor="#94a3b8", opacity=0.06 + 0.05 * (low > 0),
                      annotation_text=name, annotation_position="top left", annotation_font_size=10)
    colours = colour_map(over_time["buyer"].unique().to_list())
    for (buyer,), part in over_time.group_by("buyer", maintain_order=True):
        fig.add_trace(go.Scatter(
            # The legend's name cut short (a consortium's name would push the legend off a phone); the hover's whole.
            x=part["period"], y=part["hhi"], name=_short(buyer), mode="lines+markers",
            line={"shape": "hv", "width": 2.5, "color": colours[buyer]}, marker={"size": 5},
            customdata=part.select("effective_suppliers", "suppliers", "buyer").rows(),
            hovertemplate=t("<b>%{customdata[2]}</b> · %{x|%b %Y}<br>HHI %{y:,.0f} · %{customdata[0]:.1f} effective "
                            "suppliers (%{customdata[1]} in all)<extra></extra>")))
    fig.update_yaxes(title=t("Concentration (HHI, 0–10,000)"), range=[0, HHI_MAX * 1.03])
    if i18n.language() == "de":
        fig.update_yaxes(tickformat=",d")  # 10.000, not Plotly's "10k"
    fig.update_xaxes(title=None, range=focus_range(over_time["period"]))
    return base_layout(fig, height=440, legend_title=t("Buyer"))


def money_flow_sankey(flows: pl.DataFrame) -> go.Figure:
    """Dollars from buyers to providers. Grey: purchases; amber: equity (the provider invested in the buyer)."""
    nodes = list(dict.fromkeys(flows["buyer"].to_list() + flows["provider"].to_list()))
    index = {name: i for i, name in enumerate(nodes)}
    hover = [
        (t("{provider} invested {amount} in {buyer}", provider=r["provider"], amount=fmt.usd_bn(r["value_usd_bn"]),
           buyer=r["buyer"]) if r["flow"] == "equity"
         else t("{buyer} buys {amount} from {provider}", buyer=r["buyer"], amount=fmt.usd_bn(r["value_usd_bn"]),
                provider=r["provider"]))
        + "\n" + "\n".join(f"{d}: {fmt.hover_text(s, 60)}" for d, s in zip(r["deal_ids"], r["sources"]))
        + ("\n" + t("… and {n} more deals", n=fmt.count(r["deals"] - len(r["deal_ids"])))
           if r["deals"] > len(r["deal_ids"]) else "")
        for r in flows.iter_rows(named=True)
    ]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        # Node labels cut short (on a phone a long one runs off the chart); the hover names each whole. Node
        # customdata is not among the texts base_layout makes inert: escaped here.
        node={"label": [_short(name) for name in nodes], "pad": 12, "thickness": 14, "color": "#475569",
              "customdata": [html.escape(name, quote=False) for name in nodes],
              "hovertemplate": t("%{customdata}: %{value:$,.0f} bn<extra></extra>")},
        link={"source": [index[b] for b in flows["buyer"]], "target": [index[p] for p in flows["provider"]],
              "value": flows["value_usd_bn"].to_list(),
              "color": [EQUITY_COLOUR if f == "equity" else PURCHASE_COLOUR for f in flows["flow"]],
              "customdata": hover, "hovertemplate": "%{customdata}<extra></extra>"},
    ))
    return base_layout(fig, height=max(420, 22 * len(nodes)))

"""Charts of the Exposure page: frames in, figures out."""
from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.charts.common import BAR_ROW_PX, LABEL_CHARS, base_layout, colour_map, money_ticks, short_label
from compute_ledger.i18n import t

LOOP_COLOUR, LINK_COLOUR = "#d97706", "rgba(100, 116, 139, 0.45)"


def backlog_bars(parts: pl.DataFrame, order: list[str]) -> go.Figure:
    """Horizontal bars of each provider's backlog in the ledger (USD bn), split by customer, the largest provider on
    top. `parts`: provider, customer, other (the folded "Other buyers" part), backlog_usd_bn, share (0-1); `order`:
    providers, largest first. Long names
    are cut short on the axis (a phone keeps room for the bars); the hover names them in full."""
    parts = parts.with_columns(label=short_label(pl.col("provider")))
    order = [name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "…" for name in order]
    customers = (parts.group_by("customer").agg(pl.col("backlog_usd_bn").sum(), pl.col("other").all())
                 .sort(["other", "backlog_usd_bn", "customer"], descending=[False, True, False])["customer"].to_list())
    colours = colour_map(customers, folded=set(parts.filter(pl.col("other"))["customer"]))
    hover = t("<b>%{customdata[3]}</b><br>Customer: %{customdata[0]}<br>Backlog: %{customdata[1]}"
              "<br>Share of its backlog: %{customdata[2]}<extra></extra>")
    fig = go.Figure()
    for customer in customers:
        part = parts.filter(pl.col("customer") == customer)
        fig.add_trace(go.Bar(
            x=part["backlog_usd_bn"].to_list(), y=part["label"].to_list(), orientation="h", name=customer,
            marker_color=colours[customer],
            customdata=[[fmt.hover_text(customer), fmt.usd_bn(v), fmt.percent(s) if s is not None else t("n/a"),
                         fmt.hover_text(p)] for v, s, p in zip(part["backlog_usd_bn"], part["share"], part["provider"])],
            hovertemplate=hover))
    fig.update_layout(barmode="stack", yaxis={"categoryorder": "array", "categoryarray": list(reversed(order)),
                                              "title": None},
                      xaxis={"title": None, **money_ticks()})
    return base_layout(fig, height=max(260, BAR_ROW_PX * len(order) + 140), legend_title=t("Customer"))


def unpaid_bars(unpaid: pl.DataFrame) -> go.Figure:
    """Stacked columns: per year, the money not paid to each provider (USD bn). `unpaid`: year, provider,
    unpaid_usd_bn."""
    providers = (unpaid.group_by("provider").agg(pl.col("unpaid_usd_bn").sum())
                 .sort(["unpaid_usd_bn", "provider"], descending=[True, False])["provider"].to_list())
    colours = colour_map(providers)
    hover = t("<b>%{x}</b><br>%{customdata[0]}: %{customdata[1]} not paid<extra></extra>")
    fig = go.Figure([
        go.Bar(x=part["year"].to_list(), y=part["unpaid_usd_bn"].to_list(), name=provider,
               marker_color=colours[provider],
               customdata=[[fmt.hover_text(provider), fmt.usd_bn(v)] for v in part["unpaid_usd_bn"]],
               hovertemplate=hover)
        for provider in providers
        for part in [unpaid.filter(pl.col("provider") == provider).sort("year")]])
    fig.update_layout(barmode="stack", xaxis={"title": None, "dtick": 1},
                      yaxis={"title": t("Not paid (USD bn a year)")})
    return base_layout(fig, height=380, legend_title=t("Provider"))


def loop_graph(names: dict[str, str], links: pl.DataFrame, loop: list[str]) -> go.Figure:
    """The companies of the largest loops on a circle, with the money links among them as arrows (payer ->
    payee); the chosen `loop`'s links drawn thick and amber. `links`: source, target, value_usd_bn, flows (the
    kinds of money on the link, in the reader's words)."""
    companies = sorted({*links["source"].to_list(), *links["target"].to_list()}, key=lambda c: names.get(c, c))
    if loop:  # the chosen loop's companies on the upper half, in its order, so it reads clockwise
        companies = [*loop, *[c for c in companies if c not in loop]]
    count = max(len(companies), 1)
    position = {c: (math.cos(math.pi / 2 - 2 * math.pi * i / count), math.sin(math.pi / 2 - 2 * math.pi * i / count))
                for i, c in enumerate(companies)}
    in_loop = set(zip(loop, [*loop[1:], *loop[:1]])) if loop else set()
    arrows = []
    for source, target, value, flows in links.select("source", "target", "value_usd_bn", "flows").iter_rows():
        (x0, y0), (x1, y1) = position[source], position[target]
        chosen = (source, target) in in_loop
        # A pair linked both ways gets two arrows, bent apart so neither hides the other.
        arrows.append({"x": x1 * 0.9 + x0 * 0.1, "y": y1 * 0.9 + y0 * 0.1, "ax": x0 * 0.9 + x1 * 0.1,
                       "ay": y0 * 0.9 + y1 * 0.1, "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
                       "showarrow": True, "arrowhead": 3, "arrowsize": 1.2 if chosen else 1,
                       "arrowwidth": 4 if chosen else 1.2, "arrowcolor": LOOP_COLOUR if chosen else LINK_COLOUR,
                       "text": "", "standoff": 4, "startstandoff": 4})
    mid = [((position[s][0] + position[t][0]) / 2, (position[s][1] + position[t][1]) / 2, s, t, v, f)
           for s, t, v, f in links.select("source", "target", "value_usd_bn", "flows").iter_rows()]
    fig = go.Figure([
        go.Scatter(x=[m[0] for m in mid], y=[m[1] for m in mid], mode="markers", marker={"size": 14, "opacity": 0},
                   customdata=[[fmt.hover_text(names.get(s, s)), fmt.hover_text(names.get(t, t)), fmt.usd_bn(v), f]
                               for _, _, s, t, v, f in mid],
                   hovertemplate="%{customdata[0]} → %{customdata[1]}<br>%{customdata[2]} (%{customdata[3]})"
                                 "<extra></extra>", showlegend=False),
        go.Scatter(x=[position[c][0] for c in companies], y=[position[c][1] for c in companies],
                   mode="markers+text", text=[fmt.hover_text(names.get(c, c), 18) for c in companies],
                   textposition="top center", showlegend=False,
                   marker={"size": 16, "color": [LOOP_COLOUR if c in loop else "#334155" for c in companies]},
                   hovertemplate="%{text}<extra></extra>"),
    ])
    fig.update_layout(annotations=arrows, xaxis={"visible": False, "range": [-1.5, 1.5]},
                      yaxis={"visible": False, "range": [-1.35, 1.35], "scaleanchor": "x"})
    return base_layout(fig, height=480)

"""Charts of the Commitments page: frames in, figures out."""
from __future__ import annotations

import datetime as dt

import plotly.express as px
import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.charts.common import FOLDED_PREFIX, base_layout, colour_map, money_ticks, short_label
from compute_ledger.i18n import t

STATUS_SYMBOLS = {"signed": "circle", "completed": "circle", "announced": "circle",
                  "letter_of_intent": "diamond-open", "rumored": "circle-open", "paused": "square-open",
                  "cancelled": "x-thin-open"}  # untranslated: Plotly marker symbols


def _folded_prefixes() -> tuple[str, ...]:
    """How a folded "Other …" group's label starts, in either language ("Weitere Anbieter (3)" in German)."""
    return (FOLDED_PREFIX, t("Other providers"), t("Other buyers"))


def folded_names(names: list[str]) -> set[str]:
    """The folded "Other …" groups among `names` (grey on every chart), in either language."""
    return {name for name in names if name.startswith(_folded_prefixes())}


def focus_range(dates: pl.Series) -> list[dt.date]:
    """Initial x-range: from just before the earliest 5% of dates to just after the last, so a lone 2019
    deal does not squash 2025-26 (double-clicking the chart shows everything)."""
    start = dates.sort()[int(len(dates) * 0.05)]
    return [start - dt.timedelta(days=120), dates.max() + dt.timedelta(days=60)]


def legend_room(entries: int) -> int:
    """Extra height for a legend of `entries` below a chart: on a phone it stacks about one entry a row, and a
    legend taller than half the figure is cut to a scrolling box."""
    return 40 + 12 * entries


def _format(value: float, measure: str) -> str:
    return fmt.usd_bn(value) if measure == "usd" else fmt.gw(value)


def _status_word(status: str) -> str:
    # English hovers show the data's own status words, as they always have; German ones the translated word.
    return status if i18n.language() == "en" else fmt.word(status)


def term_basis_words() -> dict[str, str]:
    """How a deal's term was known (analysis.commitments TERM_BASES), in the reader's language."""
    return {"reported start and end": t("reported start and end"), "reported length": t("reported length"),
            "assumed length": t("assumed length")}


def deal_timeline_chart(rows: pl.DataFrame, colour_by: str, measure: str = "usd", log_y: bool = False,
                        legend_title: str | None = None) -> go.Figure:
    """Every deal given at its announcement date. Top: disclosed value (or GW); bottom lane: not disclosed.

    `rows` needs announced, value column, capacity_gw, status, buyer, provider, description, source_title, and
    the `colour_by` column (a label per group; "Other …" labels are grey). Marker size grows with GW; status
    shows as the marker symbol (open = not firm, x = cancelled). The caller caps the rows (one marker each).
    """
    column = "value_usd_bn" if measure == "usd" else "capacity_gw"
    source_word = t("Source: ")
    rows = rows.with_columns(
        size=(8 + pl.col("capacity_gw").fill_null(0).sqrt() * 5),
        hover=pl.struct("description", "source_title").map_elements(
            lambda r: fmt.hover_text(r["description"]) + "\n" + source_word + fmt.hover_text(r["source_title"]),
            return_dtype=pl.String),
        # Formatted here, not in map_elements: Polars may run those in a thread without the reader's language.
        status_shown=pl.Series([_status_word(s) for s in rows["status"]], dtype=pl.String),
        amount=pl.Series([None if v is None else _format(v, measure) for v in rows[column]], dtype=pl.String),
    )
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.8, 0.2], vertical_spacing=0.04)
    traces, lanes = [], []
    # Folded "Other …" groups last in the legend; all traces added at once (each add_trace re-validates the figure).
    folded = folded_names(rows[colour_by].unique().to_list())
    colours = colour_map(rows[colour_by].unique().to_list(), folded=folded)
    ordered = rows.sort(pl.col(colour_by).is_in(list(folded)), colour_by)
    for (group,), part in ordered.group_by(colour_by, maintain_order=True):
        for lane, subset in ((1, part.filter(pl.col(column).is_not_null())), (2, part.filter(pl.col(column).is_null()))):
            if subset.is_empty():
                continue
            lanes.append(lane)
            traces.append(go.Scatter(
                x=subset["announced"], y=subset[column] if lane == 1 else subset["buyer"],
                mode="markers", name=group, legendgroup=group, showlegend=lane == 1 or part[column].is_null().all(),
                marker={"size": subset["size"], "color": colours[group], "symbol": subset["status"].replace_strict(
                    STATUS_SYMBOLS, default="circle"), "line": {"width": 1.5, "color": colours[group]}, "opacity": 0.85},
                customdata=subset.select("buyer", "provider", "amount", "status_shown", "hover").rows(),
                hovertemplate=t("<b>%{customdata[0]} ← %{customdata[1]}</b> · %{x|%d %b %Y}<br>%{customdata[2]} · "
                                "%{customdata[3]}<br>%{customdata[4]}<extra></extra>"),
            ))
    fig.add_traces(traces, rows=lanes, cols=[1] * len(lanes))
    fig.update_yaxes(title=t("Disclosed value, USD bn") if measure == "usd" else t("Capacity, GW"),
                     type="log" if log_y else "linear", row=1, col=1)
    fig.update_yaxes(title=t("Not disclosed"), row=2, col=1, showticklabels=True, tickfont={"size": 10})
    fig.update_xaxes(title=t("Announced"), row=2, col=1)
    fig.update_xaxes(range=focus_range(rows["announced"]))
    fig = base_layout(fig, height=560 + legend_room(len(colours)),
                      legend_title=legend_title or colour_by.capitalize())
    fig.update_layout(legend_itemsizing="constant")  # one small marker per group, not the first deal's size
    return fig


def cumulative_chart(cumulative: pl.DataFrame, group_label: str, events: pl.DataFrame, measure: str,
                     legend_title: str | None = None) -> go.Figure:
    """Stacked running totals per group, with the given key events as numbered dotted lines.

    The caller caps the events: each is one line and one label, all set in a single layout update (adding them
    one by one re-validates every shape already there, so n events cost n² work)."""
    names = cumulative[group_label].unique().to_list()
    colours = colour_map(names, folded=folded_names(names))
    fig = px.area(cumulative, x="period", y="cumulative", color=group_label, color_discrete_map=colours,
                  line_shape="hv", custom_data=[group_label])
    fig.update_traces(hovertemplate=t("%{customdata[0]}: %{y:,.1f} USD bn by %{x|%b %Y}<extra></extra>")
                      if measure == "usd" else t("%{customdata[0]}: %{y:,.1f} GW by %{x|%b %Y}<extra></extra>"))
    dates = [event["date"].isoformat() for event in events.iter_rows(named=True)]
    fig.update_layout(
        shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": date, "x1": date, "y0": 0, "y1": 1,
                 "line": {"dash": "dot", "color": "#64748b", "width": 1}} for date in dates],
        annotations=[{"x": date, "y": 1.0 + 0.07 * (number % 2), "xref": "x", "yref": "paper", "text": str(number),
                      "showarrow": False, "yanchor": "bottom", "font": {"size": 11, "color": "#334155"},
                      "bgcolor": "rgba(226,232,240,0.9)", "hovertext": f"{event['label']} ({fmt.day(event['date'])})"}
                     for number, (date, event) in enumerate(zip(dates, events.iter_rows(named=True)), start=1)],
    )
    fig.update_yaxes(title=t("Cumulative commitments, USD bn") if measure == "usd" else
                     t("Cumulative commitments, GW"), rangemode="tozero")
    fig.update_xaxes(title=t("Announced"), range=focus_range(cumulative.filter(pl.col("added") > 0)["period"]))
    fig = base_layout(fig, height=420 + legend_room(len(colours)),
                      legend_title=legend_title or group_label.capitalize())
    fig.update_layout(margin={"t": 50})
    return fig


def contract_terms_chart(terms: pl.DataFrame, today: dt.date) -> go.Figure:
    """Gantt bars of each deal's term, grouped by buyer, with today marked."""
    terms = terms.with_columns(
        # Long names cut short, so the bars keep their room on a phone (the hover has them in full).
        label=short_label(pl.col("buyer")) + " · " + short_label(pl.col("provider")) + " (" + pl.col("deal_id") + ")",
        full=pl.col("buyer") + " · " + pl.col("provider") + " (" + pl.col("deal_id") + ")",
        amount=pl.Series([fmt.usd_bn(v) for v in terms["value_usd_bn"]], dtype=pl.String),  # in the reader's language
        basis=pl.col("term_basis").replace(term_basis_words()),
    )
    fig = px.timeline(terms, x_start="bar_start", x_end="bar_end", y="label", color="buyer",
                      color_discrete_map=colour_map(terms["buyer"].unique().to_list()),
                      custom_data=["amount", "first_year", "last_year", "basis", "full"])
    fig.update_traces(hovertemplate=t("<b>%{customdata[4]}</b><br>%{customdata[0]} · "
                                      "%{customdata[1]}–%{customdata[2]}<br>term: %{customdata[3]}<extra></extra>"))
    fig.update_yaxes(title=None, autorange="reversed", tickfont={"size": 11})
    fig.update_xaxes(title=t("Contract term"))
    fig.add_vline(x=dt.datetime.combine(today, dt.time()).timestamp() * 1000, line_color="#dc2626", line_width=1.5)
    fig.add_annotation(x=today, y=1.0, yref="paper", text=t("today"), showarrow=False, yanchor="bottom",
                       font={"color": "#dc2626", "size": 11})
    fig = base_layout(fig, height=160 + 22 * terms.height, legend_title=t("Buyer"))
    fig.update_layout(margin={"t": 30})
    return fig


def _dollar_ticks() -> dict:
    # English ticks as they always were ("$40"; the title says USD bn); German ones "40 Mrd." (charts.common).
    return {"tickprefix": "$"} if i18n.language() == "en" else money_ticks()


def spend_schedule_chart(spend: pl.DataFrame, group_label: str, period: str,
                         legend_title: str | None = None) -> go.Figure:
    """Stacked bars: the cash falling due each period, per group, under the straight-line assumption."""
    names = spend[group_label].unique().to_list()
    fig = px.bar(spend, x="period", y="spend_usd_bn", color=group_label,
                 color_discrete_map=colour_map(names, folded=folded_names(names)), custom_data=[group_label])
    if period == "year":
        fig.update_traces(hovertemplate=t("%{customdata[0]}: $%{y:,.1f} bn in %{x|%Y}<extra></extra>"))
        fig.update_yaxes(title=t("Scheduled spend per year, USD bn"), **_dollar_ticks())
    else:
        fig.update_traces(hovertemplate=t("%{customdata[0]}: $%{y:,.1f} bn in %{x|%b %Y}<extra></extra>"))
        fig.update_yaxes(title=t("Scheduled spend per quarter, USD bn"), **_dollar_ticks())
    fig.update_xaxes(title=None, dtick="M12" if period == "year" else None)
    return base_layout(fig, height=400 + legend_room(spend[group_label].n_unique()),
                       legend_title=legend_title or group_label.capitalize())

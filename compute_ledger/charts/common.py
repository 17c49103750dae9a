"""Chart builders: frames in, Plotly figures out. Titles say the takeaway; axes carry units."""
from __future__ import annotations

import html
import zlib
from collections.abc import Iterable

import plotly.graph_objects as go
import polars as pl
# Not plotly.express: importing it costs ~0.2 s, and the Overview's chart (the first one a visitor waits for)
# needs only the palette.
from plotly.colors import qualitative

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.i18n import t, tn

FONT_FAMILY = "Source Sans Pro, sans-serif"
# One colour per company on every chart and page, so AWS is the same orange wherever it appears. Labs keep their
# brand colours; providers take colours chosen to stay apart from each other (after Kelly's high-contrast set).
BUYER_COLOURS = {
    "OpenAI": "#10a37f", "Anthropic": "#d97757", "Meta": "#0668e1", "xAI": "#6b7280",
    "Microsoft Azure": "#7f54b3", "Oracle Cloud (OCI)": "#c74634", "HUMAIN": "#b8860b", "Nvidia": "#76b900",
}
COMPANY_COLOURS = {
    **BUYER_COLOURS,
    "Microsoft": "#7f54b3", "Oracle": "#c74634", "AWS": "#f38400", "Amazon": "#f38400", "Google Cloud": "#0067a5",
    "Alphabet": "#0067a5", "CoreWeave": "#e68fac", "AMD": "#2b3d26", "Broadcom": "#882d17", "Cerebras": "#f3c300",
    "Nebius": "#a1caf1", "Nscale": "#c2b280", "IREN": "#654522", "Lambda": "#b3446c", "Fluidstack": "#1f2937",
    "Crusoe": "#f99379", "Blue Owl Capital": "#008856", "SB Energy": "#dcd300", "Sur Energy": "#848482",
    "Constellation Energy": "#0ea5e9", "Vistra, TerraPower and Oklo": "#a16207",
    "Samsung Electronics and SK hynix": "#1428a0", "G42 / Khazna": "#0d9488", "Tata Consultancy Services": "#4338ca",
    "US manufacturers (RFP respondents)": "#94a3b8", "SoftBank Group": "#e11d48",
    "Stargate LLC (SoftBank, OpenAI, Oracle, MGX)": "#334155", "Big-4 hyperscalers (combined)": "#64748b",
    "Industry-wide (analyst estimates)": "#475569", "Vantage Data Centers": "#7dd3fc",
    "BorderPlex Digital Assets / STACK Infrastructure": "#fda4af", "Related Digital": "#86efac",
}
OTHER_COLOUR = "#cbd5e1"  # folded "other" groups: grey, so they never read as one more company
FOLDED_PREFIX = "Other "  # how folded groups are named ("Other buyers", "Other providers")
BAR_ROW_PX = 30
PALETTE = qualitative.Dark24 + qualitative.Light24


def colour_map(names: list[str], folded: set[str] = frozenset()) -> dict[str, str]:
    """The colour of each name: its company colour, grey for folded "Other …" groups (named so, or in `folded`:
    in German they are "Weitere …"), and for a name the table does not know, a palette colour picked by a hash of
    the name, so it too is the same on every chart."""
    def colour(name: str) -> str:
        if name in COMPANY_COLOURS:
            return COMPANY_COLOURS[name]
        if name in folded or name.startswith(FOLDED_PREFIX):
            return OTHER_COLOUR
        return PALETTE[zlib.crc32(name.encode()) % len(PALETTE)]

    return {name: colour(name) for name in set(names)}


# Where a figure holds data text: Plotly draws these as its own small HTML (<a href>, <b>, <br>), so each string in
# them is escaped once, here, as the figure is built (see `inert`). Our own markup lives in hovertemplates only;
# a line break inside data text is written "\n" (`fmt.hover_text`) and becomes <br> after escaping.
TRACE_TEXT = ("name", "legendgroup", "x", "y", "text", "hovertext", "customdata", "labels")
AXIS_TEXT = ("ticktext", "tickvals", "categoryarray")


def _inert(value):
    if isinstance(value, str):
        return html.escape(value, quote=False).replace("\n", "<br>")
    if isinstance(value, dict) or value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, Iterable) and not isinstance(value, bytes):
        items = list(value)
        if not any(isinstance(v, str) or (isinstance(v, Iterable) and not isinstance(v, (str, bytes)))
                   for v in items):
            return value  # numbers or dates: left as they are (and as fast)
        return [_inert(v) for v in items]
    return value


def inert(fig: go.Figure) -> go.Figure:
    """Every data string of the figure (trace names, categories, labels, text, hover data, annotations, axis
    category text) escaped, so a company name or a description holding HTML is drawn as its characters."""
    for trace in fig.data:
        for field in TRACE_TEXT:
            if field in trace and trace[field] is not None:
                trace[field] = _inert(trace[field])
        if trace.type == "sankey":
            trace.node.label = _inert(trace.node.label)
            trace.link.customdata = _inert(trace.link.customdata)
    for annotation in fig.layout.annotations or ():
        annotation.text = _inert(annotation.text)
        for field in ("x", "y"):  # a category's name, when the annotation sits beside a bar
            if isinstance(annotation[field], str):
                annotation[field] = _inert(annotation[field])
        if annotation.hovertext is not None:
            annotation.hovertext = _inert(annotation.hovertext)
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        for field in AXIS_TEXT:
            if axis[field] is not None:
                axis[field] = _inert(axis[field])
    return fig


def base_layout(fig: go.Figure, height: int, legend_title: str | None = None) -> go.Figure:
    """The house layout, and the figure's data text made inert (every chart passes here once, as it is built)."""
    inert(fig)
    # The takeaway title is drawn by the page above the chart (it wraps on a phone; a Plotly title does not).
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        # Below the x-axis title whatever the chart's height: a fixed ~70 px gap, as a fraction of the plot.
        legend={"orientation": "h", "yanchor": "top", "y": -min(0.4, 75 / max(height - 40, 1)), "x": 0,
                "title": legend_title},
        font={"family": FONT_FAMILY},
        hoverlabel={"align": "left"},
        # Decimal and thousands separators of numbers Plotly writes itself (ticks, %{x:,.1f}): "1.234,5" in German.
        separators=SEPARATORS[i18n.language()],
    )
    return fig


SEPARATORS = {"en": ".,", "de": ",."}
ROOM_FOR_LABELS = {"en": 1.6, "de": 2.0}


def money_ticks() -> dict:
    """Tick labels of a USD bn axis: "$40 bn" in English, "40 Mrd." in German (the axis title says USD)."""
    if i18n.language() == "de":
        return {"ticksuffix": "\u00a0Mrd."}
    return {"tickprefix": "$", "ticksuffix": " bn"}


# Plotly's own words in dates it writes (date ticks, "%b %Y" in a hover), as plotly.js's German locale has them.
PLOTLY_GERMAN = {"format": {
    "days": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
    "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
    "months": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
               "November", "Dezember"],
    "shortMonths": ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
    "date": "%d.%m.%Y", "decimal": ",", "thousands": ".",
}}


def plotly_config() -> dict:
    """`st.plotly_chart(..., config=plotly_config())`: month names of date axes and hovers in the reader's language
    (none in English: Plotly's default)."""
    if i18n.language() == "de":
        return {"locale": "de", "locales": {"de": PLOTLY_GERMAN}}
    return {}


# Axis labels longer than this are cut short, so the bars keep their room on a phone (hovers show names in full).
LABEL_CHARS = 24


def short_label(name: pl.Expr, width: int = LABEL_CHARS) -> pl.Expr:
    return pl.when(name.str.len_chars() > width).then(name.str.slice(0, width - 1) + "…").otherwise(name)


def commitments_by_provider_chart(by_provider: pl.DataFrame, by_provider_and_buyer: pl.DataFrame) -> go.Figure:
    """Horizontal bars of committed USD bn per provider, split by buyer, largest on top.

    `by_provider` gives the order and the end-of-bar labels (total and undisclosed deals);
    providers whose values are all undisclosed are left for the caption, not drawn as zero.
    Built from go.Bar, not px.bar: Plotly Express's per-trace layout work made this, the first chart a
    visitor waits for, several times slower to build.
    """
    shown = by_provider.filter(pl.col("committed_usd_bn") > 0)
    order = shown["provider"].to_list()
    parts = by_provider_and_buyer.filter(pl.col("provider").is_in(order))
    # Legend: the largest buyers first, folded "Other …" buyers (no id) last.
    buyers = (parts.group_by("buyer").agg(pl.col("committed_usd_bn").sum(), other=pl.col("buyer_id").is_null().all())
              .sort(["other", "committed_usd_bn", "buyer"], descending=[False, True, False])["buyer"].to_list())
    colours = colour_map(buyers, folded=set(parts.filter(pl.col("buyer_id").is_null())["buyer"]))
    hover = t("<b>%{y}</b><br>Buyer: %{customdata[0]}<br>Committed: %{customdata[1]}<br>Deals: %{customdata[2]}"
              "<extra></extra>")
    fig = go.Figure()
    for buyer in buyers:
        part = parts.filter(pl.col("buyer") == buyer)
        fig.add_trace(go.Bar(
            x=part["committed_usd_bn"].to_list(), y=part["provider"].to_list(), orientation="h", name=buyer,
            marker_color=colours[buyer],
            customdata=[[buyer, fmt.usd_bn(v), d] for v, d in zip(part["committed_usd_bn"], part["deals"])],
            hovertemplate=hover))
    # One layout update for all the end-of-bar labels: add_annotation re-validates the layout on every call.
    # The axis runs to 1.6x the longest bar so its label ("+2 undisclosed") fits beside it on a 390 px phone; German
    # labels are longer ("300 Mrd. USD"), so 2x there.
    top = shown["committed_usd_bn"].max() or 1
    fig.update_layout(
        barmode="stack",
        annotations=[
            {"x": row["committed_usd_bn"], "y": row["provider"], "showarrow": False, "xanchor": "left", "xshift": 6,
             "font": {"size": 11}, "align": "left",
             # Two short lines rather than one long one, so the label fits beside the bar on a phone too.
             "text": fmt.usd_bn(row["committed_usd_bn"]) + (
                 "\n" + tn("+{n} undisclosed", "+{n} undisclosed", row["undisclosed"],
                            n=fmt.count(row["undisclosed"])) if row["undisclosed"] else "")}
            for row in shown.iter_rows(named=True)],
        # Few ticks, so they stay level (not slanted over the axis title) on a phone.
        xaxis={"title": {"text": t("Committed, USD bn")}, "range": [0, top * ROOM_FOR_LABELS[i18n.language()]],
               "nticks": 4,
               **money_ticks()},
        # Listed bottom-up, so the largest provider is on top; long names cut short on the axis only.
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "tickmode": "array", "tickvals": order,
               "ticktext": shown.select(short_label(pl.col("provider")))["provider"].to_list()},
    )
    fig = base_layout(fig, height=140 + BAR_ROW_PX * max(len(order), 3), legend_title=t("Buyer"))
    fig.update_layout(legend_traceorder="normal")  # Plotly reverses stacked bars' legend by default
    return fig

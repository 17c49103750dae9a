"""Everything the Diversification page shows, as two values (no Streamlit here):

- `diversification_view(tables, deal_filter, include_equity, period)`: shares by provider, concentration and money
  flows, and the buyers the page offers to look at one by one;
- `buyer_view(tables, deal_filter, include_equity, period, focus_buyer, as_percent)`: how that one buyer's supply
  spread out. Apart, because the page's buyer picker offers the first view's buyers.

Every chart draws a bounded number of things whatever the number of deals: MAX_BUYERS buyers with at most
MAX_PROVIDERS providers each (the rest folded into one "Other providers"), and the money_flows' largest links.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.analysis import diversification as dv
from compute_ledger.analysis import exposure as ex
from compute_ledger.analysis.commitments import Period, cumulative_commitments
from compute_ledger.analysis.filters import DealFilter, deal_filter_query, describe, options_with_names
from compute_ledger.analysis.links import Choice, Flag, LinkProblem, link_problems
from compute_ledger.analysis.metrics import with_names
from compute_ledger.charts import diversification as charts
from compute_ledger.i18n import t
from compute_ledger.views.common import Table, period_labels

MAX_BUYERS = 12  # buyers in the share and concentration charts: the largest by disclosed supply
MAX_PROVIDERS = 12  # providers with a colour of their own in the share charts
MAX_LOOPS_NAMED = 3  # money loops named in the flows' caption: the largest (the Exposure page lists more)
MAX_UNDISCLOSED_NAMED = 10  # buyer-provider pairs named in the caption of deals without a figure
DEFAULT_BUYER = "openai"
NAMES = {"buyer_id": "buyer", "provider_id": "provider"}
SOURCE_COLUMNS = ("announced", "buyer", "provider", "deal_type", "value_usd_bn", "capacity_gw", "status",
                  "description", "source_title", "source_url")


def controls_link_problems(params: Mapping[str, str | list[str]]) -> list[LinkProblem]:
    """The link's values the page's top controls cannot take, each named."""
    periods = period_labels()
    return link_problems(params, {"div_equity": Flag(t("investments counted as supply")),
                                  "div_period": Choice(tuple(periods.values()), periods["quarter"]),
                                  "div_percent": Flag(t("amounts"))})


def share_headings() -> dict[str, str]:
    """The heading above each share chart, by what it weighs."""
    return {"usd": t("By disclosed dollars"), "gw": t("By contracted gigawatts")}


def share_empty() -> dict[str, str]:
    """What a share chart says when no deal discloses what it weighs."""
    return {"usd": t("No deal in this selection discloses its value."),
            "gw": t("No deal in this selection discloses its capacity.")}


@dataclass(frozen=True)
class Chart:
    heading: str  # a short heading above it (may be empty)
    figure: go.Figure | None  # None: nothing to draw, and `empty` says why
    empty: str
    caption: str  # Markdown, data values already escaped
    table: Table | None


@dataclass(frozen=True)
class DiversificationView:
    scope: str  # "Showing …"
    supply_deals: int  # supply deals the filter keeps (0: the page says so and shows nothing else)
    clear_provider: str  # the label of the button that clears the provider filter ("" without one)
    shares_title: str
    shares: tuple[Chart, Chart]  # by disclosed dollars, by contracted gigawatts (click a segment to filter)
    shares_caption: str  # Markdown
    supply: Table
    buyers: tuple[str, ...]  # the buyers the page offers one by one, largest first
    buyer_names: Mapping[str, str]
    default_buyer: str | None
    concentration_titles: Mapping[str, str]  # per buyer id: the sentence above the concentration chart
    concentration: Chart
    flows_title: str
    flows: Chart

    def buyer_link_problems(self, params: Mapping[str, str | list[str]]) -> list[LinkProblem]:
        """The link's buyer if it is not one the page offers (by the name it shows)."""
        offered = tuple(self.buyer_names[b] for b in self.buyers)
        instead = (self.buyer_names.get(self.default_buyer, t("the first buyer")) if self.default_buyer
                   else t("none"))
        return link_problems(params, {"div_buyer": Choice(offered, instead)})


@dataclass(frozen=True)
class BuyerView:
    buyer: str  # the buyer shown (the one asked for)
    history: Chart


def shares_takeaway(concentration: pl.DataFrame, names: Mapping[str, str]) -> str:
    if concentration.is_empty():
        return t("No supply with a disclosed amount in this selection")
    spread = concentration.sort(["effective_suppliers", "buyer_id"], descending=[True, False]).row(0, named=True)
    return t("{buyer} has the most spread supply: {effective} effective suppliers of {suppliers}",
             buyer=names.get(spread["buyer_id"], spread["buyer_id"]),
             effective=fmt.decimal(spread["effective_suppliers"]), suppliers=fmt.count(spread["suppliers"]))


def concentration_takeaways(over_time: pl.DataFrame, names: Mapping[str, str]) -> dict[str, str]:
    """Per buyer: how its concentration moved from its first period to the last (one pass over every buyer)."""
    ends = (over_time.sort("period").group_by("buyer_id", maintain_order=True)
            .agg(first_period=pl.col("period").first(), first_hhi=pl.col("hhi").first(),
                 last_period=pl.col("period").last(), last_hhi=pl.col("hhi").last(),
                 effective=pl.col("effective_suppliers").last()))
    return {r["buyer_id"]: t("{buyer}'s supplier concentration went from {first_hhi} ({first_year}) to {last_hhi} "
                             "({last_month}): {effective} effective suppliers",
                             buyer=names.get(r["buyer_id"], r["buyer_id"]), first_hhi=fmt.number(r["first_hhi"]),
                             first_year=r["first_period"].year, last_hhi=fmt.number(r["last_hhi"]),
                             last_month=fmt.month(r["last_period"]), effective=fmt.decimal(r["effective"]))
            for r in ends.iter_rows(named=True)}


def concentration_title(view: DiversificationView, buyer: str | None) -> str:
    return view.concentration_titles.get(buyer) or t("No concentration history in this selection")


def _supply(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter, include_equity: bool) -> pl.DataFrame:
    return dv.supply_rows(deal_filter_query(tables["deals"], deal_filter), tables["companies"], include_equity)


def _undisclosed_caption(usd_shares: pl.DataFrame) -> str:
    pairs = usd_shares.filter(pl.col("undisclosed") > 0)
    named = "; ".join(f"{r['buyer']} ← {r['provider']} {fmt.count(r['undisclosed'])}"
                      for r in pairs.head(MAX_UNDISCLOSED_NAMED).iter_rows(named=True))
    more = pairs.height - MAX_UNDISCLOSED_NAMED
    if more > 0:
        return fmt.escape_markdown(t(
            "Click a segment to filter every page by that provider. Deals without a disclosed value (not in the "
            "dollar bars): {pairs}; and {n} more pairs.", pairs=named, n=fmt.count(more)))
    return fmt.escape_markdown(t(
        "Click a segment to filter every page by that provider. Deals without a disclosed value (not in the dollar "
        "bars): {pairs}.", pairs=named or t("none")))


def loops_sentence(deals: pl.DataFrame, deal_filter: DealFilter, names: Mapping[str, str]) -> str:
    """Where money goes round: the largest loops of the money graph (analysis/exposure.py), each at its smallest
    link, the same loops the Exposure page lists with their rows."""
    loops, _, _ = ex.money_loops(deals, deal_filter, listed=MAX_LOOPS_NAMED)
    if loops.is_empty():
        return t("Money goes round in no loop here.")
    named = "; ".join(" → ".join(names.get(c, c) for c in [*companies, companies[0]]) + f" ({fmt.usd_bn(value)})"
                      for companies, value in loops.select("companies", "value_usd_bn").iter_rows())
    if loops.height == MAX_LOOPS_NAMED:
        return t("Money goes round (loops of up to {n} companies, each at its smallest link): {loops}; and more on "
                 "the Exposure page.", n=ex.MAX_LOOP_LENGTH, loops=named)
    return t("Money goes round (loops of up to {n} companies, each at its smallest link): {loops}.",
             n=ex.MAX_LOOP_LENGTH, loops=named)


def _flows(deals: pl.DataFrame, deal_filter: DealFilter, companies: pl.DataFrame, names: Mapping[str, str]) -> Chart:
    flows = dv.money_flows(deal_filter_query(deals, deal_filter), companies)
    if flows.is_empty():
        return Chart("", None, t("No deal in this selection has a disclosed value."), "", None)
    caption = t("The {n} largest links. Grey bands: purchase commitments, buyer → provider. Amber bands: equity, "
                "drawn on the same path; the money flows the other way (the provider invested in the buyer). {loops} "
                "Hover a band for the deals and sources behind it.", n=fmt.count(flows.height),
                loops=loops_sentence(deals, deal_filter, names))
    return Chart("", charts.money_flow_sankey(flows), "", fmt.escape_markdown(caption),
                 Table(flows.with_columns(pl.col("deal_ids").list.join(", "),
                                          pl.col("flow").replace({"equity": t("equity"), "purchase": t("purchase")})),
                       ("buyer", "provider", "flow", "value_usd_bn", "deals", "deal_ids"), newest_by=None, named=False,
                       label=t("Data: the links (each deal and its source is in the first table)")))


def diversification_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter, include_equity: bool,
                         period: Period) -> DiversificationView:
    """Shares, concentration and money flows of the supply the filter keeps: purchase commitments, and with
    `include_equity` suppliers' investments too, summed per `period`."""
    companies = tables["companies"]
    options = options_with_names(companies)
    names = dict(options.names)
    supply = _supply(tables, deal_filter, include_equity)
    usd_all = dv.provider_shares(supply, "usd")
    concentration = dv.concentration_by_buyer(usd_all)
    shown = concentration.head(MAX_BUYERS)["buyer_id"].implode()  # the largest buyers
    usd_shares, gw_shares = (
        with_names(dv.top_providers(shares.filter(pl.col("buyer_id").is_in(shown)), keep=MAX_PROVIDERS,
                                    other=t("Other providers")), companies, NAMES)
        for shares in (usd_all, dv.provider_shares(supply, "gw")))
    share_charts = tuple(
        Chart(share_headings()[weight],
              None if shares.filter(pl.col("amount") > 0).is_empty() else charts.share_bars(shares, weight),
              share_empty()[weight], "", None)
        for shares, weight in ((usd_shares, "usd"), (gw_shares, "gw")))
    over_time = dv.concentration_over_time(supply, "usd", period)
    drawn = with_names(over_time.filter(pl.col("buyer_id").is_in(shown)), companies, {"buyer_id": "buyer"})
    buyers = tuple(concentration["buyer_id"].to_list() or supply["buyer_id"].unique().sort().to_list())
    return DiversificationView(
        scope=t("Showing {selection}", selection=describe(deal_filter, options)),
        supply_deals=supply.height,
        clear_provider=(t("Clear provider filter ({providers})",
                          providers=", ".join(options.label(p) for p in deal_filter.providers))
                        if deal_filter.providers else ""),
        shares_title=shares_takeaway(concentration, names),
        shares=share_charts,
        shares_caption=_undisclosed_caption(usd_shares),
        supply=Table(supply, SOURCE_COLUMNS),
        buyers=buyers,
        buyer_names={b: options.label(b) for b in buyers},
        default_buyer=DEFAULT_BUYER if DEFAULT_BUYER in buyers else (buyers[0] if buyers else None),
        concentration_titles=concentration_takeaways(over_time, names),
        concentration=Chart(
            "", None if drawn.is_empty() else charts.concentration_chart(drawn),
            t("No concentration history in this selection."),
            t("Computed on cumulative disclosed dollars at the end of each period. Bands: US merger-guideline "
              "thresholds ({low} and {high}). Drawn: the {n} largest of {total} buyers.", low=fmt.count(1500),
              high=fmt.count(2500), n=MAX_BUYERS, total=fmt.count(concentration.height))
            if concentration.height > MAX_BUYERS else
            t("Computed on cumulative disclosed dollars at the end of each period. Bands: US merger-guideline "
              "thresholds ({low} and {high}).", low=fmt.count(1500), high=fmt.count(2500)),
            Table(drawn, ("buyer", "period", "hhi", "effective_suppliers", "suppliers", "total"), newest_by=None,
                  named=False, label=t("Data: concentration by buyer and period (the deals are in the first table)"))),
        flows_title=t("Money flows: who pays whom, and who invests back"),
        flows=_flows(tables["deals"], deal_filter, companies, names),
    )


def buyer_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter, include_equity: bool, period: Period,
               focus_buyer: str, as_percent: bool) -> BuyerView:
    """How `focus_buyer`'s supply spread over providers, cumulative per `period`, in dollars or as shares."""
    companies = tables["companies"]
    own = _supply(tables, deal_filter, include_equity).filter(pl.col("buyer_id") == focus_buyer)
    history = with_names(dv.top_providers_over_time(cumulative_commitments(
        own, by="provider_id", measure="usd", period=period, rows_are_commitments=True), keep=MAX_PROVIDERS,
        other=t("Other providers")), companies, {"provider_id": "provider"})
    label = options_with_names(companies).label(focus_buyer)
    return BuyerView(focus_buyer, Chart(
        "", None if history.is_empty() else charts.share_over_time(history, as_percent),
        t("{buyer} has no supply with a disclosed value in this selection.", buyer=label), "",
        Table(own.sort("announced"), SOURCE_COLUMNS, newest_by=None)))

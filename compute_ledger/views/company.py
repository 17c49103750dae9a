"""Everything the Company page shows, as one value: `company_view(tables, deal_filter, ids)`. No Streamlit here.

A profile is a fixed list of sections (buyer side, provider side, money, capacity, financial figures, timeline,
sources), the same for every company, so that two or three profiles side by side read across: section by
section, and within a section the same totals in the same order (the union of those any compared company has).
Every sentence is written in the reader's language (the view is built per language: loading.page_view).
"""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis import company as co
from compute_ledger.analysis import exposure as ex
from compute_ledger.analysis.counting import Total, tiers_in_words
from compute_ledger.analysis.filters import DEFAULT_TIERS, DealFilter, apply_deal_filter, describe, options_with_names
from compute_ledger.analysis.metrics import with_names
from compute_ledger.charts import company as charts
from compute_ledger.data.schema import (DEAL_FIRMNESS, DEAL_LAYERS, DEAL_STATUSES, DEAL_TYPES, MILESTONE_STAGES,
                                       MILESTONE_TYPES, SOURCE_KINDS)
from compute_ledger.i18n import t, tn
from compute_ledger.views.common import Card
from compute_ledger.views.overview import beside_note


def kind_words() -> dict[str, str]:
    """What a company is, as the summary says it ("OpenAI is an AI lab")."""
    return {"lab": t("an AI lab"), "hyperscaler": t("a hyperscale cloud"), "neocloud": t("a neocloud (GPU cloud)"),
            "chipmaker": t("a chipmaker"), "investor": t("an investor"), "developer": t("a data-centre developer"),
            "energy": t("an energy company"), "other": t("an organisation")}


# Below this many rows in all (deals of every tier, milestones, figures), a profile is short: a sentence per
# thing known, and no empty sections or charts.
THIN_ROWS = 3


def intro() -> str:
    return t("Everything the ledger knows about a company, on both sides of the market: what it buys and from whom, "
             "what its customers contracted, money invested in it and by it, its capacity and its own figures. "
             "Pick up to three to compare them side by side.")


TIMELINE_COLUMNS = ["announced", "side", "counterparty_link", "deal_type", "layer", "firmness", "status",
                    "value_usd_bn", "capacity_gw", "description", "source_url"]
PARTY_COLUMNS = ["company_link", "deals", "committed_usd_bn", "value_usd_bn", "capacity_gw", "undisclosed", "layers",
                 "first", "last"]
FINANCING_COLUMNS = ["announced", "side", "counterparty_link", "deal_type", "value_usd_bn", "value_basis", "firmness",
                     "status", "description", "source_url"]
LAYER_COLUMNS = ["layer", "firmness", "counted", "deals", "value_usd_bn", "undisclosed"]
SITE_COLUMNS = ["site", "scope", "stage", "planned_gw", "operational_gw", "target_date", "program", "country",
                "source_url"]
MILESTONE_COLUMNS = ["date", "site", "milestone_type", "scope", "stage", "capacity_gw", "description", "source_url"]
FINANCIAL_COLUMNS = ["metric", "year", "period", "as_of", "value_usd_bn", "description", "source_title", "source_url",
                     "source_date"]
PROJECTION_COLUMNS = ["metric", "year", "period", "estimator", "value_usd_bn", "description", "source_title",
                      "source_url", "source_date"]
SOURCE_COLUMNS = ["table", "record", "date", "about", "source_publisher", "source_kind", "citation_count",
                  "first_reported_by", "source_title", "source_url", "source_date"]


@dataclass(frozen=True)
class Metric:
    """A card as shown: the total's value (or "not disclosed" when every row it lists is), the tiers left beside it,
    and what it counts."""

    label: str
    value: str
    delta: str | None
    help: str


def _amount(value: float, unit: str) -> str:
    return fmt.usd_bn(value) if unit == "usd_bn" else fmt.gw(value)


def metric_of(total: Total) -> Metric:
    value = (fmt.undisclosed() if total.count and total.undisclosed == total.count
             else _amount(total.value, total.unit))
    said = total.counts if not total.undisclosed else tn(
        "{counts} {n} such deal has no disclosed figure and adds nothing.",
        "{counts} {n} such deals have no disclosed figure and add nothing.", total.undisclosed,
        counts=total.counts, n=fmt.count(total.undisclosed))
    return Metric(total.label, value, beside_note(total), said)


# Category words of the data, in the cells of the profile's tables: German readers read them in German; in English
# the cells keep the data's own values, as they always have. The values themselves stay in links and downloads.
WORD_COLUMNS = ("deal_type", "layer", "firmness", "status", "stage", "milestone_type", "source_kind")


def period_words() -> dict[str, str]:
    """The span a financial figure covers (financials.period); in English, the value with spaces, as always."""
    return {"full_year": t("full year"), "first_half": t("first half"), "first_quarter": t("first quarter"),
            "quarter": t("quarter"), "point_in_time": t("point in time"), "multi_year": t("multi year")}


def scope_words() -> dict[str, str]:
    """What a capacity milestone covers (milestones.scope)."""
    return {"fleet": t("fleet"), "programme": t("programme"), "site": t("site"), "tranche": t("tranche"),
            "power": t("power"), "event": t("event")}


def value_basis_words() -> dict[str, str]:
    """What a deal's value measures (deals.value_basis)."""
    return {"contract": t("contract"), "purchase": t("purchase"), "investment": t("investment"),
            "planned_investment": t("planned investment"), "financing": t("financing"),
            "intended_investment": t("intended investment"), "acquisition": t("acquisition")}


def metric_words() -> dict[str, str]:
    """What a financial figure measures (financials.metric)."""
    return {
        "revenue": t("revenue"), "revenue_run_rate": t("revenue run-rate"), "operating_loss": t("operating loss"),
        "net_loss": t("net loss"), "rd_expense": t("R&D expense"), "cash_burn": t("cash burn"),
        "compute_spend": t("compute spend"), "compute_cost_estimate": t("compute cost estimate"),
        "compute_commitments_total": t("compute commitments in total"),
        "funding_gap_estimate": t("funding gap estimate"), "equity_raised": t("equity raised"),
        "valuation_post_money": t("valuation (post-money)"), "valuation_pre_money": t("valuation (pre-money)"),
        "valuation_secondary": t("valuation (secondary sale)"), "investor_stake_value": t("value of investor stake"),
        "planned_investment": t("planned investment"), "capex": t("capex"),
        "capex_incl_finance_leases": t("capex incl. finance leases"),
        "remaining_performance_obligations": t("remaining performance obligations"),
        "revenue_needed": t("revenue needed"), "revenue_shortfall": t("revenue shortfall"),
        "datacenter_capex": t("data-centre capex"), "datacenter_revenue": t("data-centre revenue"),
        "backlog": t("backlog"), "total_debt": t("total debt"),
    }


@functools.cache  # per language: the tables of a profile (ten or so) share one set of mappings
def _cell_words(language: str) -> dict[str, dict[str, str]]:
    with i18n.use_language(language):
        category = {code: fmt.word(code) for codes in (DEAL_TYPES, DEAL_STATUSES, DEAL_LAYERS, DEAL_FIRMNESS,
                                                        MILESTONE_STAGES, MILESTONE_TYPES, SOURCE_KINDS)
                    for code in codes}
        return {**{column: category for column in WORD_COLUMNS},
                "side": {"buyer": t("As buyer"), "provider": t("As provider")}, "period": period_words(),
                "scope": scope_words(), "value_basis": value_basis_words(), "metric": metric_words()}


def readable(rows: pl.DataFrame) -> pl.DataFrame:
    """The rows as a table shows them: in German, the data's category words (and each deal's side) in German."""
    if i18n.language() == i18n.DEFAULT_LANGUAGE or rows.is_empty():
        return rows
    words = _cell_words(i18n.language())
    changed = [pl.col(column).replace(mapping) for column, mapping in words.items()
               if column in rows.columns and rows[column].dtype == pl.String]
    if "layers" in rows.columns and rows["layers"].dtype == pl.String:
        # A counterparty's layers, comma-joined (analysis.company.counterparties): each one in words.
        changed.append(pl.col("layers").str.split(", ").list.eval(pl.element().replace(words["layer"]))
                       .list.join(", "))
    return rows.with_columns(changed) if changed else rows


@dataclass(frozen=True)
class Table:
    title: str
    rows: pl.DataFrame
    columns: tuple[str, ...]
    folded: bool = False  # shown in an expander (long lists: every milestone, every source)

    @property
    def folded_label(self) -> str:
        return f"{self.title} ({fmt.count(self.rows.height)})"


@dataclass(frozen=True)
class Section:
    key: str  # the same keys, in the same order, in every profile
    title: str
    sentence: str  # what the section finds, in words; when `empty`, all it says
    empty: bool
    totals: tuple[Total, ...] = ()
    cards: tuple[Card, ...] = ()
    chart: go.Figure | None = None
    chart_caption: str = ""
    is_map: bool = False
    tables: tuple[Table, ...] = ()

    @property
    def metrics(self) -> tuple[Metric, ...]:
        """The section's cards in order: its totals, then its other figures."""
        return tuple(metric_of(total) for total in self.totals) + tuple(Metric(c.label, c.value, None, c.help)
                                                                         for c in self.cards)


@dataclass(frozen=True)
class Profile:
    company_id: str
    name: str
    summary: str
    thin: bool  # little is known: the page says what there is and skips empty sections
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class CompanyChoice:
    """What a link's `id` asks for: the ids kept (at most three), a warning for each ignored, the companies offered."""

    ids: tuple[str, ...]
    warnings: tuple[str, ...]
    options: tuple[str, ...]  # every company id, by display name
    names: Mapping[str, str] = field(default_factory=dict)

    def label(self, company_id: str) -> str:
        return self.names.get(company_id, company_id)

    @property
    def labels(self) -> list[str]:
        """The ids kept, as the picker shows them (the form its URL binding reads and writes)."""
        return [self.label(c) for c in self.ids]


@dataclass(frozen=True)
class CompanyView:
    intro: str
    scope: str
    profiles: tuple[Profile, ...]
    suggestions: tuple[tuple[str, str], ...]  # (id, name) of the companies with most deals, when none is chosen


def company_choice(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None,
                   raw: tuple[str, ...]) -> CompanyChoice:
    companies = tables["companies"]
    names = dict(companies.select("company_id", "name").iter_rows())
    options = tuple(sorted(names, key=lambda i: names[i].lower()))
    ids, warnings = co.parse_ids(raw, options, names)
    return CompanyChoice(ids, tuple(warnings), options, names)


def _named(frame: pl.DataFrame, companies: pl.DataFrame, id_column: str, name: str) -> pl.DataFrame:
    return co.with_profile_links(with_names(frame, companies, {id_column: name}), {id_column: f"{name}_link"},
                                 companies)


def _table(title: str, rows: pl.DataFrame, columns: list[str], folded: bool = False) -> Table:
    return Table(title, readable(rows), tuple(columns), folded)


def _layer_table(all_deals: pl.DataFrame, deal_filter: DealFilter | None, cid: str, side: co.Side) -> Table:
    return _table(t("By layer and firmness (every tier; 'counted' are in the totals)"),
                  co.by_layer_and_firmness(all_deals, deal_filter, cid, side), LAYER_COLUMNS, True)


def _bought(committed: Total, resold: Total) -> str | None:
    """What a buyer's two purchase totals come to, in words (None when it has neither)."""
    own, resell = fmt.usd_bn(committed.value), fmt.usd_bn(resold.value)
    if committed.count and resold.count:
        return t("{own} bought for its own use and {resold} bought to serve its customers", own=own, resold=resell)
    if committed.count:
        return t("{own} bought for its own use", own=own)
    if resold.count:
        return t("{resold} bought to serve its customers", resold=resell)
    return None


def _buyer_section(totals: dict[str, Total], deals: pl.DataFrame, all_deals: pl.DataFrame,
                   deal_filter: DealFilter | None, companies: pl.DataFrame, cid: str, name: str) -> Section:
    title = t("As a buyer")
    own = deals.filter(pl.col("buyer_id") == cid)
    if own.is_empty():
        return Section("buyer", title, t("No deals with {name} as the buyer in this filter.", name=name), True)
    suppliers = _named(co.counterparties(deals, cid, "buyer"), companies, "company_id", "company")
    by_year = co.concentration_over_time(deals, cid)
    committed, resold = totals["bought_for_itself"], totals["bought_to_resell"]
    from_suppliers = tn("{n} supplier", "{n} suppliers", suppliers.height, n=fmt.count(suppliers.height))
    bought = _bought(committed, resold)
    if bought:
        sentence = tn("{n} deal as the buyer, from {suppliers}; {bought}.",
                      "{n} deals as the buyer, from {suppliers}; {bought}.", own.height, n=fmt.count(own.height),
                      suppliers=from_suppliers, bought=bought)
    else:
        sentence = tn("{n} deal as the buyer, from {suppliers}.", "{n} deals as the buyer, from {suppliers}.",
                      own.height, n=fmt.count(own.height), suppliers=from_suppliers)
    top = suppliers.filter(pl.col("committed_usd_bn") > 0)
    if top.height and committed.value > 0:
        first = top.row(0, named=True)
        sentence += " " + t("The largest supplier, {supplier}, holds {share}.", supplier=first["company"],
                            share=fmt.percent(first["committed_usd_bn"] / committed.value))
    chart = charts.concentration_chart(by_year) if by_year.height >= 2 else None
    return Section(
        "buyer", title, sentence, False,
        totals=tuple(totals[k] for k in ("bought_for_itself", "bought_sites_gw", "bought_chips_gw", "power_gw",
                                         "pledged", "bought_to_resell")),
        chart=chart,
        chart_caption=(t("Concentration over time: the largest supplier's share of the commitments made up to the "
                         "end of each year (disclosed values, its own-use layer). 100% is a single supplier.")
                       if chart else ""),
        tables=(_table(t("Its suppliers"), suppliers, PARTY_COLUMNS),
                _layer_table(all_deals, deal_filter, cid, "buyer")))


def _layer_words(layers: list[str]) -> str:
    """A provider's layers, as its sentence lists them: the data's values in English (as always), German words."""
    if i18n.language() == i18n.DEFAULT_LANGUAGE:
        return ", ".join(layers)
    return ", ".join(fmt.word(layer) for layer in layers)


def _provider_section(totals: dict[str, Total], deals: pl.DataFrame, all_deals: pl.DataFrame,
                      deal_filter: DealFilter | None, companies: pl.DataFrame, reported: pl.DataFrame,
                      cid: str, name: str) -> Section:
    title = t("As a provider")
    own = deals.filter(pl.col("provider_id") == cid)
    backlog = co.latest_reported(reported, "remaining_performance_obligations")
    cards = () if backlog is None else (Card(
        t("Reported backlog ({month})", month=fmt.month(backlog["as_of"])), fmt.usd_bn(backlog["value_usd_bn"]),
        t("Remaining performance obligations {name} itself reported: every customer, not only those in the "
          "ledger, so never compared line by line with the contracts above.", name=name)),)
    if own.is_empty():
        return Section("provider", title,
                       t("No deals with {name} as the provider or investor in this filter.", name=name), not cards,
                       cards=cards)
    customers = _named(co.counterparties(deals, cid, "provider"), companies, "company_id", "company")
    layers = _layer_words(sorted(own["layer"].unique().to_list()))
    counterparts = tn("{n} counterparty", "{n} counterparties", customers.height, n=fmt.count(customers.height))
    if totals["backlog"].count:
        sentence = tn("{n} deal as the provider or investor ({layers}), with {counterparties}; {amount} contracted "
                      "by end users.", "{n} deals as the provider or investor ({layers}), with {counterparties}; "
                      "{amount} contracted by end users.", own.height, n=fmt.count(own.height), layers=layers,
                      counterparties=counterparts, amount=fmt.usd_bn(totals["backlog"].value))
    else:
        sentence = tn("{n} deal as the provider or investor ({layers}), with {counterparties}.",
                      "{n} deals as the provider or investor ({layers}), with {counterparties}.", own.height,
                      n=fmt.count(own.height), layers=layers, counterparties=counterparts)
    return Section(
        "provider", title, sentence, False,
        totals=tuple(totals[k] for k in ("backlog", "sold_sites_gw", "sold_to_providers")), cards=cards,
        tables=(_table(t("Its customers and investees"), customers, PARTY_COLUMNS),
                _layer_table(all_deals, deal_filter, cid, "provider")))


PROFILE_STRESS_YEAR = 2027  # the profile's stress test: the largest customer pays nothing from this year on
DEPENDENT_COLUMNS = ["provider_link", "backlog_usd_bn", "share_of_its_backlog_pct", "reported_rpo_usd_bn",
                     "of_reported_rpo_pct", "reported_by"]


def _exposure_section(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None, cid: str,
                      name: str) -> Section:
    """For a provider: how concentrated its customers are and what its largest customer's default would cost it;
    for a buyer: which providers depend on it, and by how much of their backlog (the Exposure page's rules)."""
    title = t("Exposure")
    deals, companies = tables["deals"], tables["companies"]
    names = dict(companies.select("company_id", "name").iter_rows())
    scope = co.profile_filter(deal_filter)
    by_customer = ex.backlog_by_customer(deals.lazy().filter(
        (pl.col("provider_id") == cid) | (pl.col("buyer_id") == cid)), scope)
    cards: list[Card] = []
    sentences: list[str] = []
    own = ex.provider_concentration(by_customer.filter(pl.col("provider_id") == cid)).filter(
        pl.col("backlog_usd_bn") > 0)
    if own.height:
        row = own.row(0, named=True)
        customer = names.get(row["largest_customer_id"], row["largest_customer_id"])
        cards.append(Card(t("Largest customer's share"), fmt.percent(row["largest_share"]),
                          t("{customer}'s share of {name}'s {amount} backlog in the ledger (end users' and providers' "
                            "contracts with it, counted tiers, not cancelled).", customer=customer, name=name,
                            amount=fmt.usd_bn(row["backlog_usd_bn"]))))
        cards.append(Card(t("Effective customers"), fmt.decimal(row["effective_customers"], 1),
                          t("10,000 ÷ HHI of its customers' shares (HHI {hhi}).", hhi=fmt.count(row["hhi"]))))
        unpaid = ex.unpaid_by_provider_year(deals, scope, ex.Stress((row["largest_customer_id"],), 0.0,
                                                                    PROFILE_STRESS_YEAR))
        lost = unpaid.filter(pl.col("provider_id") == cid)
        if lost.height:
            figures = ex.reported_figures(tables["financials"], companies, [cid])
            stressed = ex.unpaid_by_provider(lost, figures).row(0, named=True)
            year = str(PROFILE_STRESS_YEAR)
            if stressed["peak_of_revenue"] is not None:
                said = t("What falls due to {name} from {customer}'s commitments from {year} on (the Commitments "
                         "page's schedule), {share} of its reported revenue in the worst year. Termination clauses "
                         "are not public.", name=name, customer=customer, year=year,
                         share=fmt.percent(stressed["peak_of_revenue"]))
            else:
                said = t("What falls due to {name} from {customer}'s commitments from {year} on (the Commitments "
                         "page's schedule). Termination clauses are not public.", name=name, customer=customer,
                         year=year)
            cards.append(Card(t("If {customer} stops paying in {year}", customer=customer, year=year),
                              fmt.usd_bn(stressed["unpaid_usd_bn"]), said))
        sentences.append(t("{customer} holds {share} of {name}'s backlog in the ledger.", customer=customer,
                           share=fmt.percent(row["largest_share"]), name=name))
    dependants = by_customer.filter((pl.col("customer_id") == cid) & (pl.col("backlog_usd_bn") > 0))
    rows = pl.DataFrame()
    if dependants.height:
        totals = (ex.backlog_by_customer(deals.lazy().filter(pl.col("provider_id").is_in(
            dependants["provider_id"].to_list())), scope).group_by("provider_id").agg(total=pl.col("backlog_usd_bn").sum()))
        figures = ex.figure_columns(ex.reported_figures(tables["financials"], companies,
                                                        dependants["provider_id"].to_list()))
        rows = (dependants.join(totals, on="provider_id").join(figures, on="provider_id", how="left")
                .with_columns(share_of_its_backlog_pct=(pl.col("backlog_usd_bn") / pl.col("total") * 100).round(1),
                              reported_rpo_usd_bn=pl.col("reported_rpo"),
                              of_reported_rpo_pct=(pl.col("backlog_usd_bn") / pl.col("reported_rpo") * 100).round(1),
                              reported_by=pl.col("reported_by").replace_strict(names, default=pl.col("reported_by")))
                # The most dependent first; among equally dependent ones, the largest amount at stake.
                .sort(["share_of_its_backlog_pct", "backlog_usd_bn", "provider_id"], descending=[True, True, False]))
        rows = co.with_profile_links(rows, {"provider_id": "provider_link"}, companies)
        top = rows.row(0, named=True)
        sentences.append(tn("{n} provider depends on {name}; most, {provider}, for {share} of its backlog in the "
                            "ledger.", "{n} providers depend on {name}; most, {provider}, for {share} of its backlog "
                            "in the ledger.", rows.height, n=fmt.count(rows.height), name=name,
                            provider=names.get(top["provider_id"], top["provider_id"]),
                            share=fmt.percent(round(top["share_of_its_backlog_pct"]) / 100)))
    if not sentences:
        return Section("exposure", title, t("No contract with {name} as a provider or a customer discloses a value in "
                                            "this filter.", name=name), True)
    return Section("exposure", title, " ".join([*sentences, t("The Exposure page has the rules and the stress test.")]),
                   False, cards=tuple(cards),
                   tables=(_table(t("Providers that depend on {name}", name=name), rows, DEPENDENT_COLUMNS),)
                   if rows.height else ())


def _money_section(totals: dict[str, Total], deals: pl.DataFrame, companies: pl.DataFrame, cid: str,
                   name: str) -> Section:
    title = t("Money invested")
    into, by = totals["invested_in_it"], totals["invested_by_it"]
    if not (into.count or by.count or into.beside or by.beside):
        return Section("money", title, t("No equity or financing to or from {name} in this filter.", name=name), True)
    rounds = _named(co.financing_rows(deals, cid), companies, "counterparty_id", "counterparty")
    return Section("money", title,
                   t("{into} invested in {name}; {by} invested by it. Financing pays for compute counted elsewhere, "
                     "so it is never added to the purchases.", into=fmt.usd_bn(into.value), name=name,
                     by=fmt.usd_bn(by.value)), False,
                   totals=(into, by),
                   tables=(_table(t("Rounds, debt and acquisitions, with the investors"), rounds,
                                  FINANCING_COLUMNS),) if rounds.height else ())


def _capacity_section(milestones: pl.DataFrame, companies: pl.DataFrame, cid: str, name: str) -> Section:
    title = t("Capacity")
    summary = co.company_capacity(milestones, cid)
    if summary.milestones.is_empty():
        return Section("capacity", title, t("No capacity milestones for {name} in the ledger.", name=name), True)
    sites = summary.sites.filter(pl.col("scope") == "site")
    cards = [] if sites.is_empty() else [
        Card(t("Planned at its sites"), fmt.gw(summary.planned_gw),
             t("Each site once, at its latest reported size; paused or cancelled sites are not counted.")),
        Card(t("Operating at its sites"), fmt.gw(summary.operational_gw),
             t("The sites' latest operating figures: built and running, unlike the planned GW."))]
    if summary.fleet_gw is not None:
        cards.append(Card(t("Whole fleet ({month})", month=fmt.month(summary.fleet_date)), fmt.gw(summary.fleet_gw),
                          t("{name}'s own figure for all the compute it runs, its sites and rented capacity together: "
                            "never added to the site figures.", name=name)))
    located = summary.sites.filter(pl.col("lat").is_not_null())
    named_sites = with_names(summary.sites, companies, {"company_id": "company"})
    counted_milestones = tn("{n} milestone", "{n} milestones", summary.milestones.height,
                            n=fmt.count(summary.milestones.height))
    named_count = tn("{n} named site", "{n} named sites", sites.height, n=fmt.count(sites.height))
    if located.height:
        sentence = t("{milestones}, {sites}, {located} on the map.", milestones=counted_milestones, sites=named_count,
                     located=fmt.count(located.height))
    else:
        sentence = t("{milestones}, {sites}.", milestones=counted_milestones, sites=named_count)
    return Section(
        "capacity", title, sentence, False,
        cards=tuple(cards),
        chart=charts.company_sites_map(named_sites) if located.height else None, is_map=bool(located.height),
        chart_caption=t("Positions are the town or county named in the reports, approximate.") if located.height else "",
        tables=tuple(table for table in (
            _table(t("Sites, tranches and power, at their latest report"), summary.sites, SITE_COLUMNS),
            _table(t("Every milestone"), summary.milestones, MILESTONE_COLUMNS, True)) if table.rows.height))


def _financial_cards(reported: pl.DataFrame, name: str) -> tuple[Card, ...]:
    cards = []
    for metric in co.KEY_METRICS:
        row = co.latest_reported(reported, metric)
        if row is None:
            continue
        when = fmt.month(row["as_of"]) if row["as_of"] and metric == "revenue_run_rate" else str(row["year"])
        labels = {"revenue": t("Revenue ({when})", when=when),
                  "revenue_run_rate": t("Revenue run-rate ({when})", when=when),
                  "capex": t("Capex ({when})", when=when)}
        period = period_words().get(row["period"]) or row["period"].replace("_", " ")
        cards.append(Card(labels[metric], fmt.usd_bn(row["value_usd_bn"]),
                          t("The latest figure {name} reported ({period}): {description}", name=name, period=period,
                            description=row["description"])))
    return tuple(cards)


def _financials_section(reported: pl.DataFrame, projected: pl.DataFrame, name: str) -> Section:
    title = t("Financial figures")
    if reported.is_empty() and projected.is_empty():
        return Section("financials", title, t("No financial figures for {name} in the ledger.", name=name), True)
    return Section(
        "financials", title,
        t("{reported} and {projected}, kept apart: a forecast is not a result.",
          reported=tn("{n} reported figure", "{n} reported figures", reported.height, n=fmt.count(reported.height)),
          projected=tn("{n} projection or outside estimate", "{n} projections or outside estimates", projected.height,
                       n=fmt.count(projected.height))), False,
        cards=_financial_cards(reported, name),
        tables=tuple(table for table in (
            _table(t("Reported"), reported, FINANCIAL_COLUMNS),
            _table(t("Projections and outside estimates"), projected, PROJECTION_COLUMNS, True))
            if table.rows.height))


def _timeline_section(deals: pl.DataFrame, companies: pl.DataFrame, cid: str, name: str) -> Section:
    title = t("Deals over time")
    timeline = _named(co.deal_timeline(deals, cid), companies, "counterparty_id", "counterparty")
    if timeline.is_empty():
        return Section("timeline", title, t("No deals involving {name} in this filter.", name=name), True)
    first, last = timeline["announced"].min(), timeline["announced"].max()
    return Section(
        "timeline", title,
        tn("{n} deal in this filter, from {first} to {last}.", "{n} deals in this filter, from {first} to {last}.",
           timeline.height, n=fmt.count(timeline.height), first=fmt.month(first), last=fmt.month(last)), False,
        chart=charts.timeline_chart(timeline) if timeline.height >= 2 else None,
        chart_caption=(t("Filled markers: disclosed values; open markers on the floor: undisclosed.")
                       if timeline.height >= 2 else ""),
        tables=(_table(t("Its deals"), timeline.sort("announced", descending=True), TIMELINE_COLUMNS, True),))


def _sources_section(all_deals: pl.DataFrame, milestones: pl.DataFrame, financials: pl.DataFrame, cid: str,
                     name: str) -> Section:
    title = t("Every source")
    sources = co.company_sources(all_deals, milestones, financials, cid)
    if sources.is_empty():
        return Section("sources", title, t("The ledger cites no source about {name}.", name=name), True)
    return Section("sources", title,
                   tn("{n} cited report, of every tier and status, whatever the filter.",
                      "{n} cited reports, of every tier and status, whatever the filter.", sources.height,
                      n=fmt.count(sources.height)), False,
                   tables=(_table(t("Sources"), sources, SOURCE_COLUMNS, True),))


def _summary(name: str, kind: str, country: str | None, parent: str | None) -> str:
    if country and parent:
        return t("{name} is {kind} ({country}), part of {parent}.", name=name, kind=kind, country=country,
                 parent=parent)
    if country:
        return t("{name} is {kind} ({country}).", name=name, kind=kind, country=country)
    if parent:
        return t("{name} is {kind}, part of {parent}.", name=name, kind=kind, parent=parent)
    return t("{name} is {kind}.", name=name, kind=kind)


def company_profile(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None, cid: str) -> Profile:
    all_deals, companies = tables["deals"], tables["companies"]
    milestones, financials = tables["milestones"], tables["financials"]
    row = companies.filter(pl.col("company_id") == cid).row(0, named=True)
    names = dict(companies.select("company_id", "name").iter_rows())
    name = row["name"]
    deals = apply_deal_filter(all_deals, co.profile_filter(deal_filter))
    totals = co.company_totals(all_deals, deal_filter, cid, name)
    reported, projected = co.company_financials(financials, cid)
    sections = (
        _buyer_section(totals, deals, all_deals, deal_filter, companies, cid, name),
        _provider_section(totals, deals, all_deals, deal_filter, companies, reported, cid, name),
        _exposure_section(tables, deal_filter, cid, name),
        _money_section(totals, deals, companies, cid, name),
        _capacity_section(milestones, companies, cid, name),
        _financials_section(reported, projected, name),
        _timeline_section(deals, companies, cid, name),
        _sources_section(all_deals, milestones, financials, cid, name),
    )
    known = (co.involving(all_deals, cid).height + milestones.filter(pl.col("company_id") == cid).height
             + financials.filter(pl.col("company_id") == cid).height)
    kinds = kind_words()
    summary = _summary(name, kinds.get(row["kind"], kinds["other"]), row["country"],
                       names.get(row["parent"], row["parent"]) if row["parent"] else None)
    thin = known < THIN_ROWS
    if thin:
        summary += " " + tn("The ledger knows little about it: {n} row in all (deals of every tier, milestones, "
                            "figures), shown below.", "The ledger knows little about it: {n} rows in all (deals of "
                            "every tier, milestones, figures), shown below.", known, n=fmt.count(known))
    return Profile(cid, name, summary, thin, sections)


def _aligned(profiles: list[Profile]) -> tuple[Profile, ...]:
    """Within each section, the same totals for every profile: those any of them has rows for (or beside)."""
    aligned = []
    for profile in profiles:
        sections = []
        for i, section in enumerate(profile.sections):
            wanted = {total.label for p in profiles for total in p.sections[i].totals if total.count or total.beside}
            kept = tuple(total for total in section.totals if total.label in wanted)
            sections.append(Section(**{**section.__dict__, "totals": kept}))
        aligned.append(Profile(profile.company_id, profile.name, profile.summary, profile.thin, tuple(sections)))
    return tuple(aligned)


def _scope(scope_filter: DealFilter, narrowed: str | None) -> str:
    """What the profiles' totals count, in one sentence, then why the sidebar's company choices do not apply."""
    tiers = tiers_in_words(scope_filter.tiers)
    if scope_filter.include_overlaps:
        counted = (t("Totals count {tiers} deals, not cancelled; filter: {filter}.", tiers=tiers, filter=narrowed)
                   if narrowed else t("Totals count {tiers} deals, not cancelled.", tiers=tiers))
    else:
        counted = (t("Totals count {tiers} deals, not cancelled, overlapping rows left out; filter: {filter}.",
                     tiers=tiers, filter=narrowed) if narrowed
                   else t("Totals count {tiers} deals, not cancelled, overlapping rows left out.", tiers=tiers))
    return counted + " " + t("The sidebar's buyer and provider choices do not apply here: each profile is about its "
                             "company, on both sides.")


def company_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None,
                 ids: tuple[str, ...]) -> CompanyView:
    companies = tables["companies"]
    known = set(companies["company_id"].to_list())
    ids = tuple(i for i in ids if i in known)[:co.MAX_COMPARED]
    options = options_with_names(companies)
    scope_filter = co.profile_filter(deal_filter)
    narrowed = describe(dataclasses.replace(scope_filter, tiers=DEFAULT_TIERS), options)
    scope = _scope(scope_filter, None if narrowed == t("all deals") else narrowed)
    suggestions: tuple[tuple[str, str], ...] = ()
    if not ids:
        busiest = (pl.concat([tables["deals"].select(company_id="buyer_id"), tables["deals"].select(
            company_id="provider_id")]).group_by("company_id").len()
            .sort(["len", "company_id"], descending=[True, False]).head(8))
        suggestions = tuple((c, options.label(c)) for c in busiest["company_id"] if c in known)
    return CompanyView(intro(), scope, _aligned([company_profile(tables, deal_filter, c) for c in ids]), suggestions)

"""Everything the Company page shows, as one value: `company_view(tables, deal_filter, ids)`. No Streamlit here.

A profile is a fixed list of sections (buyer side, provider side, money, capacity, financial figures, timeline,
sources), the same for every company, so that two or three profiles side by side read across: section by
section, and within a section the same totals in the same order (the union of those any compared company has).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.analysis import company as co
from compute_ledger.analysis import exposure as ex
from compute_ledger.analysis.counting import Total, tiers_in_words
from compute_ledger.analysis.filters import DEFAULT_TIERS, DealFilter, apply_deal_filter, describe, options_with_names
from compute_ledger.analysis.metrics import with_names
from compute_ledger.charts import company as charts
from compute_ledger.views.common import Card

KIND_WORDS = {"lab": "an AI lab", "hyperscaler": "a hyperscale cloud", "neocloud": "a neocloud (GPU cloud)",
              "chipmaker": "a chipmaker", "investor": "an investor", "developer": "a data-centre developer",
              "energy": "an energy company", "other": "an organisation"}
# Below this many rows in all (deals of every tier, milestones, figures), a profile is short: a sentence per
# thing known, and no empty sections or charts.
THIN_ROWS = 3
INTRO = ("Everything the ledger knows about a company, on both sides of the market: what it buys and from whom, "
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


def metric_of(total: Total) -> Metric:
    amount = fmt.usd_bn if total.unit == "usd_bn" else fmt.gw
    value = fmt.UNDISCLOSED if total.count and total.undisclosed == total.count else amount(total.value)
    beside = f"+ {amount(total.beside)} {' or '.join(total.beside_tiers)}, not counted" if total.beside else None
    return Metric(total.label, value, beside, total.counts + (
        f" {total.undisclosed} such deal{'' if total.undisclosed == 1 else 's'} have no disclosed figure and add "
        "nothing." if total.undisclosed else ""))


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
        return tuple(metric_of(t) for t in self.totals) + tuple(Metric(c.label, c.value, None, c.help)
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


def _deals_sentence(count: int, what: str) -> str:
    return f"{fmt.count(count)} deal{'' if count == 1 else 's'} {what}"


def _buyer_section(totals: dict[str, Total], deals: pl.DataFrame, all_deals: pl.DataFrame,
                   deal_filter: DealFilter | None, companies: pl.DataFrame, cid: str, name: str) -> Section:
    own = deals.filter(pl.col("buyer_id") == cid)
    if own.is_empty():
        return Section("buyer", "As a buyer", f"No deals with {name} as the buyer in this filter.", True)
    suppliers = _named(co.counterparties(deals, cid, "buyer"), companies, "company_id", "company")
    by_year = co.concentration_over_time(deals, cid)
    committed, resold = totals["bought_for_itself"], totals["bought_to_resell"]
    bought = [f"{fmt.usd_bn(t.value)} {what}" for t, what in ((committed, "bought for its own use"),
                                                               (resold, "bought to serve its customers"))
              if t.count]
    sentence = (f"{_deals_sentence(own.height, 'as the buyer')}, from {fmt.count(suppliers.height)} supplier"
                f"{'' if suppliers.height == 1 else 's'}" + (f"; {' and '.join(bought)}." if bought else "."))
    top = suppliers.filter(pl.col("committed_usd_bn") > 0)
    if top.height and committed.value > 0:
        first = top.row(0, named=True)
        sentence += f" The largest supplier, {first['company']}, holds {first['committed_usd_bn'] / committed.value:.0%}."
    chart = charts.concentration_chart(by_year) if by_year.height >= 2 else None
    return Section(
        "buyer", "As a buyer", sentence, False,
        totals=tuple(totals[k] for k in ("bought_for_itself", "bought_sites_gw", "bought_chips_gw", "power_gw",
                                         "pledged", "bought_to_resell")),
        chart=chart,
        chart_caption=("Concentration over time: the largest supplier's share of the commitments made up to the "
                       "end of each year (disclosed values, its own-use layer). 100% is a single supplier."
                       if chart else ""),
        tables=(Table("Its suppliers", suppliers, tuple(PARTY_COLUMNS)),
                Table("By layer and firmness (every tier; 'counted' are in the totals)",
                      co.by_layer_and_firmness(all_deals, deal_filter, cid, "buyer"), tuple(LAYER_COLUMNS), True)))


def _provider_section(totals: dict[str, Total], deals: pl.DataFrame, all_deals: pl.DataFrame,
                      deal_filter: DealFilter | None, companies: pl.DataFrame, reported: pl.DataFrame,
                      cid: str, name: str) -> Section:
    own = deals.filter(pl.col("provider_id") == cid)
    backlog = co.latest_reported(reported, "remaining_performance_obligations")
    cards = () if backlog is None else (Card(
        f"Reported backlog ({fmt.month(backlog['as_of'])})", fmt.usd_bn(backlog["value_usd_bn"]),
        f"Remaining performance obligations {name} itself reported: every customer, not only those in the "
        "ledger, so never compared line by line with the contracts above."),)
    if own.is_empty():
        return Section("provider", "As a provider",
                       f"No deals with {name} as the provider or investor in this filter.", not cards, cards=cards)
    customers = _named(co.counterparties(deals, cid, "provider"), companies, "company_id", "company")
    layers = ", ".join(sorted(own["layer"].unique().to_list()))
    sentence = (f"{_deals_sentence(own.height, 'as the provider or investor')} ({layers}), with "
                f"{fmt.count(customers.height)} counterpart{'y' if customers.height == 1 else 'ies'}"
                + (f"; {fmt.usd_bn(totals['backlog'].value)} contracted by end users." if totals["backlog"].count
                   else "."))
    return Section(
        "provider", "As a provider", sentence, False,
        totals=tuple(totals[k] for k in ("backlog", "sold_sites_gw", "sold_to_providers")), cards=cards,
        tables=(Table("Its customers and investees", customers, tuple(PARTY_COLUMNS)),
                Table("By layer and firmness (every tier; 'counted' are in the totals)",
                      co.by_layer_and_firmness(all_deals, deal_filter, cid, "provider"), tuple(LAYER_COLUMNS), True)))


PROFILE_STRESS_YEAR = 2027  # the profile's stress test: the largest customer pays nothing from this year on
DEPENDENT_COLUMNS = ["provider_link", "backlog_usd_bn", "share_of_its_backlog_pct", "reported_rpo_usd_bn",
                     "of_reported_rpo_pct", "reported_by"]


def _exposure_section(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None, cid: str,
                      name: str) -> Section:
    """For a provider: how concentrated its customers are and what its largest customer's default would cost it;
    for a buyer: which providers depend on it, and by how much of their backlog (the Exposure page's rules)."""
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
        cards.append(Card("Largest customer's share", f"{row['largest_share']:.0%}",
                          f"{customer}'s share of {name}'s {fmt.usd_bn(row['backlog_usd_bn'])} backlog in the ledger "
                          "(end users' and providers' contracts with it, counted tiers, not cancelled)."))
        cards.append(Card("Effective customers", f"{row['effective_customers']:.1f}",
                          f"10,000 ÷ HHI of its customers' shares (HHI {row['hhi']:,.0f})."))
        unpaid = ex.unpaid_by_provider_year(deals, scope, ex.Stress((row["largest_customer_id"],), 0.0,
                                                                    PROFILE_STRESS_YEAR))
        lost = unpaid.filter(pl.col("provider_id") == cid)
        if lost.height:
            figures = ex.reported_figures(tables["financials"], companies, [cid])
            stressed = ex.unpaid_by_provider(lost, figures).row(0, named=True)
            of_revenue = (f", {stressed['peak_of_revenue']:.0%} of its reported revenue in the worst year"
                          if stressed["peak_of_revenue"] is not None else "")
            cards.append(Card(f"If {customer} stops paying in {PROFILE_STRESS_YEAR}",
                              fmt.usd_bn(stressed["unpaid_usd_bn"]),
                              f"What falls due to {name} from {customer}'s commitments from {PROFILE_STRESS_YEAR} on "
                              f"(the Commitments page's schedule){of_revenue}. Termination clauses are not public."))
        sentences.append(f"{customer} holds {row['largest_share']:.0%} of {name}'s backlog in the ledger.")
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
        sentences.append(f"{fmt.count(rows.height)} provider{'' if rows.height == 1 else 's'} depend on {name}; most, "
                         f"{names.get(top['provider_id'], top['provider_id'])}, for "
                         f"{top['share_of_its_backlog_pct']:.0f}% of its backlog in the ledger.")
    if not sentences:
        return Section("exposure", "Exposure", f"No contract with {name} as a provider or a customer discloses a "
                       "value in this filter.", True)
    return Section("exposure", "Exposure", " ".join(sentences) + " The Exposure page has the rules and the stress test.",
                   False, cards=tuple(cards),
                   tables=(Table(f"Providers that depend on {name}", rows, tuple(DEPENDENT_COLUMNS)),)
                   if rows.height else ())


def _money_section(totals: dict[str, Total], deals: pl.DataFrame, companies: pl.DataFrame, cid: str,
                   name: str) -> Section:
    into, by = totals["invested_in_it"], totals["invested_by_it"]
    if not (into.count or by.count or into.beside or by.beside):
        return Section("money", "Money invested", f"No equity or financing to or from {name} in this filter.", True)
    rounds = _named(co.financing_rows(deals, cid), companies, "counterparty_id", "counterparty")
    return Section("money", "Money invested",
                   f"{fmt.usd_bn(into.value)} invested in {name}; {fmt.usd_bn(by.value)} invested by it. Financing "
                   "pays for compute counted elsewhere, so it is never added to the purchases.", False,
                   totals=(into, by),
                   tables=(Table("Rounds, debt and acquisitions, with the investors", rounds,
                                 tuple(FINANCING_COLUMNS)),) if rounds.height else ())


def _capacity_section(milestones: pl.DataFrame, companies: pl.DataFrame, cid: str, name: str) -> Section:
    summary = co.company_capacity(milestones, cid)
    if summary.milestones.is_empty():
        return Section("capacity", "Capacity", f"No capacity milestones for {name} in the ledger.", True)
    sites = summary.sites.filter(pl.col("scope") == "site")
    cards = [] if sites.is_empty() else [
        Card("Planned at its sites", fmt.gw(summary.planned_gw),
             "Each site once, at its latest reported size; paused or cancelled sites are not counted."),
        Card("Operating at its sites", fmt.gw(summary.operational_gw),
             "The sites' latest operating figures: built and running, unlike the planned GW.")]
    if summary.fleet_gw is not None:
        cards.append(Card(f"Whole fleet ({fmt.month(summary.fleet_date)})", fmt.gw(summary.fleet_gw),
                          f"{name}'s own figure for all the compute it runs, its sites and rented capacity together: "
                          "never added to the site figures."))
    located = summary.sites.filter(pl.col("lat").is_not_null())
    named_sites = with_names(summary.sites, companies, {"company_id": "company"})
    return Section(
        "capacity", "Capacity",
        f"{fmt.count(summary.milestones.height)} milestone{'' if summary.milestones.height == 1 else 's'}, "
        f"{fmt.count(sites.height)} named site{'' if sites.height == 1 else 's'}"
        + (f", {fmt.count(located.height)} on the map." if located.height else "."), False,
        cards=tuple(cards),
        chart=charts.company_sites_map(named_sites) if located.height else None, is_map=bool(located.height),
        chart_caption="Positions are the town or county named in the reports, approximate." if located.height else "",
        tables=tuple(t for t in (
            Table("Sites, tranches and power, at their latest report", summary.sites, tuple(SITE_COLUMNS)),
            Table("Every milestone", summary.milestones, tuple(MILESTONE_COLUMNS), True)) if t.rows.height))


def _financial_cards(reported: pl.DataFrame, name: str) -> tuple[Card, ...]:
    cards = []
    for metric, label in (("revenue", "Revenue"), ("revenue_run_rate", "Revenue run-rate"), ("capex", "Capex")):
        row = co.latest_reported(reported, metric)
        if row is None:
            continue
        when = fmt.month(row["as_of"]) if row["as_of"] and metric == "revenue_run_rate" else str(row["year"])
        cards.append(Card(f"{label} ({when})", fmt.usd_bn(row["value_usd_bn"]),
                          f"The latest figure {name} reported ({row['period'].replace('_', ' ')}): "
                          f"{row['description']}"))
    return tuple(cards)


def _financials_section(reported: pl.DataFrame, projected: pl.DataFrame, name: str) -> Section:
    if reported.is_empty() and projected.is_empty():
        return Section("financials", "Financial figures", f"No financial figures for {name} in the ledger.", True)
    return Section(
        "financials", "Financial figures",
        f"{fmt.count(reported.height)} reported figure{'' if reported.height == 1 else 's'} and "
        f"{fmt.count(projected.height)} projection{'' if projected.height == 1 else 's'} or outside estimate"
        f"{'' if projected.height == 1 else 's'}, kept apart: a forecast is not a result.", False,
        cards=_financial_cards(reported, name),
        tables=tuple(t for t in (Table("Reported", reported, tuple(FINANCIAL_COLUMNS)),
                                 Table("Projections and outside estimates", projected, tuple(PROJECTION_COLUMNS), True))
                     if t.rows.height))


def _timeline_section(deals: pl.DataFrame, companies: pl.DataFrame, cid: str, name: str) -> Section:
    timeline = _named(co.deal_timeline(deals, cid), companies, "counterparty_id", "counterparty")
    if timeline.is_empty():
        return Section("timeline", "Deals over time", f"No deals involving {name} in this filter.", True)
    first, last = timeline["announced"].min(), timeline["announced"].max()
    return Section(
        "timeline", "Deals over time",
        f"{_deals_sentence(timeline.height, 'in this filter')}, from {fmt.month(first)} to {fmt.month(last)}.", False,
        chart=charts.timeline_chart(timeline) if timeline.height >= 2 else None,
        chart_caption=("Filled markers: disclosed values; open markers on the floor: undisclosed."
                       if timeline.height >= 2 else ""),
        tables=(Table("Its deals", timeline.sort("announced", descending=True), tuple(TIMELINE_COLUMNS), True),))


def _sources_section(all_deals: pl.DataFrame, milestones: pl.DataFrame, financials: pl.DataFrame, cid: str,
                     name: str) -> Section:
    sources = co.company_sources(all_deals, milestones, financials, cid)
    if sources.is_empty():
        return Section("sources", "Every source", f"The ledger cites no source about {name}.", True)
    return Section("sources", "Every source",
                   f"{fmt.count(sources.height)} cited report{'' if sources.height == 1 else 's'}, of every tier and "
                   "status, whatever the filter.", False,
                   tables=(Table("Sources", sources, tuple(SOURCE_COLUMNS), True),))


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
    parent = f", part of {names.get(row['parent'], row['parent'])}" if row["parent"] else ""
    country = f" ({row['country']})" if row["country"] else ""
    summary = f"{name} is {KIND_WORDS.get(row['kind'], 'an organisation')}{country}{parent}."
    thin = known < THIN_ROWS
    if thin:
        summary += (f" The ledger knows little about it: {fmt.count(known)} row{'' if known == 1 else 's'} in all"
                    " (deals of every tier, milestones, figures), shown below.")
    return Profile(cid, name, summary, thin, sections)


def _aligned(profiles: list[Profile]) -> tuple[Profile, ...]:
    """Within each section, the same totals for every profile: those any of them has rows for (or beside)."""
    aligned = []
    for profile in profiles:
        sections = []
        for i, section in enumerate(profile.sections):
            wanted = {t.label for p in profiles for t in p.sections[i].totals if t.count or t.beside}
            kept = tuple(t for t in section.totals if t.label in wanted)
            sections.append(Section(**{**section.__dict__, "totals": kept}))
        aligned.append(Profile(profile.company_id, profile.name, profile.summary, profile.thin, tuple(sections)))
    return tuple(aligned)


def company_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None,
                 ids: tuple[str, ...]) -> CompanyView:
    companies = tables["companies"]
    known = set(companies["company_id"].to_list())
    ids = tuple(i for i in ids if i in known)[:co.MAX_COMPARED]
    options = options_with_names(companies)
    scope_filter = co.profile_filter(deal_filter)
    narrowed = describe(dataclasses.replace(scope_filter, tiers=DEFAULT_TIERS), options)
    scope = (f"Totals count {tiers_in_words(scope_filter.tiers)} deals, not cancelled"
             + ("" if scope_filter.include_overlaps else ", overlapping rows left out")
             + ("" if narrowed == "all deals" else f"; filter: {narrowed}")
             + ". The sidebar's buyer and provider choices do not apply here: each profile is about its company, "
               "on both sides.")
    suggestions: tuple[tuple[str, str], ...] = ()
    if not ids:
        busiest = (pl.concat([tables["deals"].select(company_id="buyer_id"), tables["deals"].select(
            company_id="provider_id")]).group_by("company_id").len()
            .sort(["len", "company_id"], descending=[True, False]).head(8))
        suggestions = tuple((c, options.label(c)) for c in busiest["company_id"] if c in known)
    return CompanyView(INTRO, scope, _aligned([company_profile(tables, deal_filter, c) for c in ids]), suggestions)

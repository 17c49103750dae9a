"""Everything the Exposure page shows, as values. No Streamlit here.

Three steps, as the page's inputs depend on the data:
- `exposure_controls(tables, deal_filter)`: the buyers a stress test can name, the presets and what a link's
  `exp_` values may be;
- `exposure_view(tables, deal_filter)`: providers' backlog by customer, concentration, reported figures, and the
  money loops (none of which depends on the stress inputs, so they are worked out once per filter);
- `stress_view(tables, deal_filter, buyers, paid_percent, start_year)`: the payment stress test.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis import exposure as ex
from compute_ledger.analysis.company import with_profile_links
from compute_ledger.analysis.commitments import DEFAULT_TERM_YEARS, scheduled_deals
from compute_ledger.analysis.counting import tiers_in_words
from compute_ledger.analysis.filters import DealFilter, deal_filter_expr, describe, options_with_names
from compute_ledger.analysis.links import Choice, InputRange, LinkProblem, Number, link_problems
from compute_ledger.analysis.metrics import is_commitment, with_names
from compute_ledger.charts import exposure as charts
from compute_ledger.i18n import t, tn
from compute_ledger.views.common import Card, Table

LINK_PREFIX = "exp_"  # widget keys and link parameters
KEY_PRESET, KEY_BUYERS, KEY_PAID, KEY_START, KEY_LOOP = (
    f"{LINK_PREFIX}{name}" for name in ("preset", "buyers", "paid", "start", "loop"))
PAID_RANGE = InputRange(0, 100, 5)  # percent of what falls due that the buyers pay
START_RANGE = InputRange(2025, 2035, 1)
MAX_PROVIDERS_DRAWN = 15  # providers in the backlog chart: the largest by backlog
MAX_CUSTOMERS_NAMED = 6  # customers with a colour of their own; the rest of each provider's are one "Other" part
MAX_LOOPS_LISTED = 20
CUSTOM = "custom"



# The sentences below are functions, not constants: each is written in the language of the run that calls it.
def intro() -> str:
    return t("Who depends on whom. For each provider, the contracts its customers signed with it in the ledger, how "
             "concentrated they are, and the provider's own reported figures beside them; then what happens to each "
             "provider if a buyer stops paying part of what falls due, and where money goes round in a loop. Every "
             "input is in the link.")


def backlog_caption() -> str:
    return t("Each bar is one provider's contracts in the ledger: customers' purchases for themselves and other "
             "providers' purchases to serve their customers, disclosed values only. Providers are never added "
             "together: when one is another's customer, that would count the same compute twice.")


def flow_words() -> dict[str, str]:
    """The money graph's kinds of flow (analysis.exposure.PAYER), as a reader reads them."""
    return {"purchase": t("purchase"), "financing": fmt.word("financing")}


def flows_in_words(flows: str | None) -> str | None:
    """A link's flows ("financing and purchase", as analysis.exposure.link_totals joins them) in words."""
    if flows is None:
        return None
    words = [flow_words().get(flow, flow) for flow in flows.split(" and ")]
    return words[0] if len(words) == 1 else t("{names} and {last}", names=", ".join(words[:-1]), last=words[-1])


def exposure_words() -> dict[str, str]:
    """The chain table's kinds of exposure (analysis.exposure.next_in_chain), as a reader reads them."""
    return {"resale": fmt.word("resale"), "financing": fmt.word("financing")}


def percent_points(value: float) -> str:
    """A slider's percentage (0-100) in a sentence: "50 %" as the page has always written it; German "50 %"."""
    if i18n.language() == "de":
        return fmt.percent(value / 100)
    return f"{value:g} %"


@dataclass(frozen=True)
class Preset:
    label: str
    buyers: tuple[str, ...]
    paid_percent: int
    start_year: int


@dataclass(frozen=True)
class ExposureControls:
    intro: str
    buyers: tuple[str, ...]  # ids the stress test can name: buyers with a scheduled commitment, largest first
    names: Mapping[str, str]
    presets: Mapping[str, Preset]  # id -> preset; CUSTOM keeps the inputs as they are
    default_preset: str
    # A preset's label in the app's other languages -> its id: the binding writes the label the sender saw, so a
    # German link says "OpenAI zahlt …" and must open the same preset in English (and the other way round).
    other_labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, company_id: str) -> str:
        return self.names.get(company_id, company_id)

    def preset_label(self, preset: str) -> str:
        return self.presets[preset].label

    def preset_of(self, label: str | None) -> str | None:
        """The preset a link's label names, in any of the app's languages (None: none)."""
        by_label = {preset.label: key for key, preset in self.presets.items()}
        return by_label.get(label or "") or self.other_labels.get(label or "")

    def link_in_this_language(self, params: Mapping[str, str | list[str]]) -> dict[str, list[str]] | None:
        """The link's preset as this language labels it, when the link names it in another language (the binding
        reads only the labels the select box shows); None when there is nothing to rewrite."""
        raw = params.get(KEY_PRESET)
        values = [raw] if isinstance(raw, str) else list(raw or ())
        if not any(value in self.other_labels for value in values):
            return None
        return {KEY_PRESET: [self.preset_label(self.other_labels[value]) if value in self.other_labels else value
                             for value in values]}

    def preset_values(self, preset: str) -> dict[str, object]:
        """The inputs a preset sets, keyed by widget key; the custom preset sets none."""
        if preset == CUSTOM:
            return {}
        chosen = self.presets[preset]
        return {KEY_BUYERS: [b for b in chosen.buyers if b in self.buyers], KEY_PAID: chosen.paid_percent,
                KEY_START: chosen.start_year}

    def link_problems(self, params: Mapping[str, str | list[str]]) -> list[LinkProblem]:
        """The link's `exp_` values the inputs cannot take (select boxes are bound by the labels they show; a preset
        named in another language is taken as this language's)."""
        default = self.presets[self.default_preset]
        params = {**params, **(self.link_in_this_language(params) or {})}
        return link_problems(params, {
            KEY_PRESET: Choice(tuple(p.label for p in self.presets.values()), default.label),
            KEY_BUYERS: Choice(tuple(self.label(b) for b in self.buyers), t("the preset's buyers"), many=True),
            KEY_PAID: Number(PAID_RANGE, t("the preset's {percent} is used",
                                           percent=percent_points(default.paid_percent))),
            KEY_START: Number(START_RANGE, t("the preset's {year} is used", year=str(default.start_year))),
        })


def _presets(buyers: tuple[str, ...], concentration: pl.DataFrame, companies: pl.DataFrame,
             names: Mapping[str, str]) -> dict[str, Preset]:
    presets = {}
    if "openai" in buyers:
        presets["openai_half_2028"] = Preset(t("OpenAI pays half of what falls due from 2028"), ("openai",), 50, 2028)
    neoclouds = set(companies.filter(pl.col("kind") == "neocloud")["company_id"].to_list())
    neocloud = concentration.filter(pl.col("provider_id").is_in(list(neoclouds))
                                    & pl.col("largest_customer_id").is_in(list(buyers)))
    if neocloud.height:
        top = neocloud.row(0, named=True)
        customer = top["largest_customer_id"]
        presets["neocloud_customer_2027"] = Preset(
            t("A neocloud's largest customer stops paying in 2027 ({provider}'s: {customer})",
              provider=names.get(top["provider_id"], top["provider_id"]), customer=names.get(customer, customer)),
            (customer,), 0, 2027)
    if "anthropic" in buyers:
        presets["anthropic_stops_2027"] = Preset(t("Anthropic stops paying from 2027"), ("anthropic",), 0, 2027)
    if not presets and buyers:
        presets["largest_half_2028"] = Preset(t("{buyer} pays half of what falls due from 2028",
                                                buyer=names.get(buyers[0], buyers[0])), buyers[:1], 50, 2028)
    presets[CUSTOM] = Preset(t("Your own inputs"), (), 100, 2028)
    return presets


def exposure_controls(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None) -> ExposureControls:
    deal_filter = deal_filter or DealFilter()
    companies = tables["companies"]
    names = options_with_names(companies).names
    buyers = tuple(
        tables["deals"].lazy().filter(deal_filter_expr(deal_filter) & is_commitment() & (pl.col("value_usd_bn") > 0))
        .group_by("buyer_id").agg(pl.col("value_usd_bn").sum())
        .sort(["value_usd_bn", "buyer_id"], descending=[True, False]).collect()["buyer_id"].to_list())
    concentration = ex.provider_concentration(ex.backlog_by_customer(tables["deals"], deal_filter))
    presets = _presets(buyers, concentration, companies, names)
    every = i18n.labels_in_every_language(
        lambda: {key: preset.label for key, preset in _presets(buyers, concentration, companies, names).items()})
    own = {preset.label for preset in presets.values()}
    return ExposureControls(intro(), buyers, names, presets, next(iter(presets)),
                            {label: key for label, key in every.items() if label not in own})


# ---- Concentration and loops -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Loop:
    loop_id: int
    label: str  # "OpenAI → Nvidia → OpenAI"
    value_usd_bn: float
    companies: tuple[str, ...]


@dataclass(frozen=True)
class ExposureView:
    scope: str
    empty: str  # non-empty: no backlog under this filter; the page says so and shows the rest
    takeaway: str  # names the most concentrated provider and the share (Markdown, escaped)
    cards: tuple[Card, ...]  # label and help Markdown, escaped
    backlog_chart: go.Figure | None
    backlog_caption: str  # Markdown, escaped
    providers: Table  # one row per provider: backlog, concentration, reported figures
    customers: Table  # one row per provider and customer
    figures: Table  # the reported figures used, with their sources
    backlog_rows: pl.DataFrame  # the contracts behind the backlog, with their sources
    loops_title: str  # Markdown, escaped
    loops: tuple[Loop, ...]  # the largest loops, largest first
    loop_rows: Table  # every link of every listed loop, with the rows behind it and their sources
    loop_links: pl.DataFrame  # source, target, value_usd_bn, flows: the links among the listed loops' companies
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def loop_labels(self) -> dict[int, str]:
        return {loop.loop_id: loop.label for loop in self.loops}

    def loop_link_problems(self, params: Mapping[str, str | list[str]]) -> list[LinkProblem]:
        if not self.loops:
            return []
        return link_problems(params, {KEY_LOOP: Choice(tuple(self.loop_labels.values()), t("the largest loop"))})

    def loop_figure(self, loop_id: int | None) -> go.Figure | None:
        """The listed loops' companies and links, `loop_id`'s loop highlighted."""
        chosen = next((loop for loop in self.loops if loop.loop_id == loop_id), None)
        if chosen is None:
            return None
        return charts.loop_graph(dict(self.names), self.loop_links, list(chosen.companies))


PROVIDER_COLUMNS = ("provider_link", "backlog_usd_bn", "from_end_users", "from_providers", "beside_usd_bn",
                    "financed_usd_bn",
                    "customers", "undisclosed", "largest_customer", "largest_share", "hhi", "effective_customers",
                    "reported_by", "reported_rpo", "ledger_of_reported_rpo", "reported_revenue", "reported_capex",
                    "reported_total_debt")
CUSTOMER_COLUMNS = ("provider", "customer", "backlog_usd_bn", "from_end_users", "from_providers", "share",
                    "beside_usd_bn", "deals", "undisclosed", "financed_usd_bn")
FIGURE_COLUMNS = ("provider", "reported_by", "metric", "year", "period", "as_of", "value_usd_bn", "description",
                  "source_title", "source_url", "source_date")
BACKLOG_ROW_COLUMNS = ("deal_id", "announced", "buyer", "provider", "deal_type", "layer", "firmness", "status",
                       "value_usd_bn", "source_title", "source_url")
LOOP_ROW_COLUMNS = ("loop", "step", "payer", "payee", "flow", "link_usd_bn", "link_deals", "deal_id", "deal_type",
                    "value_usd_bn", "status", "source_title", "source_url", "source_date")


def concentration_takeaway(concentration: pl.DataFrame, names: Mapping[str, str]) -> str:
    disclosed = concentration.filter(pl.col("backlog_usd_bn") > 0)
    if disclosed.is_empty():
        return t("No provider has a disclosed backlog in this selection")
    top = disclosed.sort(["largest_share", "backlog_usd_bn", "provider_id"], descending=[True, True, False]).row(
        0, named=True)
    provider, customer = names.get(top["provider_id"], top["provider_id"]), names.get(
        top["largest_customer_id"], top["largest_customer_id"])
    return t("{provider} depends most on one customer: {customer} holds {share} of its {backlog} backlog in the ledger",
             provider=provider, customer=customer, share=fmt.percent(top["largest_share"]),
             backlog=fmt.usd_bn(top["backlog_usd_bn"]))


def _escaped(cards: tuple[Card, ...]) -> tuple[Card, ...]:
    """Cards whose label and help may hold company names: Markdown-escaped, so data is shown as text."""
    return tuple(Card(fmt.escape_markdown(c.label), c.value, fmt.escape_markdown(c.help)) for c in cards)


def _loop_label(companies: list[str], names: Mapping[str, str]) -> str:
    return " → ".join(names.get(c, c) for c in [*companies, companies[0]])


def _providers_table(concentration: pl.DataFrame, figures: pl.DataFrame, companies: pl.DataFrame) -> pl.DataFrame:
    wide = (concentration.join(ex.figure_columns(figures), on="provider_id", how="left")
            .with_columns(ledger_of_reported_rpo=pl.col("backlog_usd_bn") / pl.col("reported_rpo")))
    named = with_names(wide, companies, {"provider_id": "provider", "largest_customer_id": "largest_customer",
                                         "reported_by": "reported_by_name"})
    named = named.with_columns(reported_by=pl.col("reported_by_name")).drop("reported_by_name")
    # Each provider links to its profile (the Company page's `company?id=<id>#<name>` form).
    return with_profile_links(named, {"provider_id": "provider_link"}, companies)


def _backlog_parts(by_customer: pl.DataFrame, drawn: list[str], companies: pl.DataFrame) -> pl.DataFrame:
    """Per drawn provider: its largest customers by name and the rest as one "Other buyers" part (`other`)."""
    kept = (by_customer.filter(pl.col("provider_id").is_in(drawn) & (pl.col("backlog_usd_bn") > 0))
            .with_columns(rank=pl.col("backlog_usd_bn").rank("ordinal", descending=True).over("provider_id")))
    largest = (kept.group_by("customer_id").agg(pl.col("backlog_usd_bn").sum())
               .sort(["backlog_usd_bn", "customer_id"], descending=[True, False])
               .head(MAX_CUSTOMERS_NAMED)["customer_id"].to_list())
    named = with_names(kept, companies, {"provider_id": "provider", "customer_id": "customer"})
    named_apart = pl.col("customer_id").is_in(largest)
    return (named.with_columns(customer=pl.when(named_apart).then(pl.col("customer"))
                               .otherwise(pl.lit(t("Other buyers"))), other=~named_apart)
            .group_by("provider", "customer", "other").agg(pl.col("backlog_usd_bn", "share").sum())
            .sort("provider", "customer"))


def exposure_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None) -> ExposureView:
    deal_filter = deal_filter or DealFilter()
    deals, companies = tables["deals"], tables["companies"]
    options = options_with_names(companies)
    names = dict(options.names)
    by_customer = ex.backlog_by_customer(deals, deal_filter)
    concentration = ex.provider_concentration(by_customer)
    figures = ex.reported_figures(tables["financials"], companies, concentration["provider_id"].to_list())
    providers = _providers_table(concentration, figures, companies)
    drawn = concentration.filter(pl.col("backlog_usd_bn") > 0).head(MAX_PROVIDERS_DRAWN)
    order = [names.get(p, p) for p in drawn["provider_id"].to_list()]
    loops, loop_rows, loop_links = ex.money_loops(deals, deal_filter, listed=MAX_LOOPS_LISTED)
    loop_items = tuple(Loop(r["loop_id"], _loop_label(r["companies"], names), r["value_usd_bn"], tuple(r["companies"]))
                       for r in loops.iter_rows(named=True))
    backlog_rows = (deals.lazy().filter(deal_filter_expr(deal_filter) & pl.col("layer").is_in(ex.BACKLOG_LAYERS)
                                        & ~pl.col("status").is_in(["cancelled"]))
                    .sort(["value_usd_bn", "deal_id"], descending=[True, False], nulls_last=True)
                    .head(2_000).collect())
    tiers = tiers_in_words(deal_filter.tiers)
    disclosed_providers = concentration.filter(pl.col("backlog_usd_bn") > 0).height
    most = concentration_takeaway(concentration, names)
    largest_loop = loop_items[0] if loop_items else None
    cards = (
        Card(t("Providers with a disclosed backlog"), fmt.count(disclosed_providers),
             t("Providers whose customers' contracts in the ledger ({tiers}, not cancelled) disclose a value.",
               tiers=tiers)),
        Card(t("Money loops"), fmt.count(loops.height) + ("+" if loops.height == MAX_LOOPS_LISTED else ""),
             t("Cycles of two to {n} companies in which money flows round (purchases and financing), each counted "
               "once; the largest are listed.", n=fmt.count(ex.MAX_LOOP_LENGTH))),
        Card(t("Largest loop"), fmt.usd_bn(largest_loop.value_usd_bn) if largest_loop else t("none"),
             t("At its smallest link: {loop}", loop=largest_loop.label) if largest_loop
             else t("No money loop in this selection.")),
    )
    # English says "loops" whatever the count, as it always has; German chooses.
    loops_title = (tn("Money goes round: {n} loops; the largest, {loop}, carries {amount} all the way round",
                      "Money goes round: {n} loops; the largest, {loop}, carries {amount} all the way round",
                      loops.height, n=fmt.count(loops.height), loop=largest_loop.label,
                      amount=fmt.usd_bn(largest_loop.value_usd_bn)) if largest_loop
                   else t("No money loop in this selection"))
    flows = flow_words()
    loop_table = with_names(loop_rows, companies, {"source": "payer", "target": "payee"}).with_columns(
        loop=pl.col("loop_id").replace_strict({i.loop_id: i.label for i in loop_items}, default=None,
                                              return_dtype=pl.String),
        # The kind of flow in the reader's words (the table is read, not downloaded; English keeps the values).
        flow=pl.col("flow").replace(flows))
    return ExposureView(
        scope=t("Showing {selection}; contracts counted: {tiers}, not cancelled.",
                selection=describe(deal_filter, options), tiers=tiers),
        empty="" if disclosed_providers else t("No provider has a contract with a disclosed value in this selection."),
        takeaway=fmt.escape_markdown(most),
        cards=_escaped(cards),
        backlog_chart=charts.backlog_bars(_backlog_parts(by_customer, drawn["provider_id"].to_list(), companies),
                                          order) if drawn.height else None,
        backlog_caption=fmt.escape_markdown(
            t("{caption} Drawn: the {drawn} largest of {n} providers.", caption=backlog_caption(),
              drawn=fmt.count(MAX_PROVIDERS_DRAWN), n=fmt.count(disclosed_providers))
            if disclosed_providers > MAX_PROVIDERS_DRAWN else backlog_caption()),
        providers=Table(providers, PROVIDER_COLUMNS, label=t("Data: providers, concentration and reported figures"),
                        newest_by=None, named=False),
        customers=Table(with_names(by_customer, companies, {"provider_id": "provider", "customer_id": "customer"}),
                        CUSTOMER_COLUMNS, label=t("Data: each provider's customers"), newest_by=None, named=False),
        figures=Table(with_names(figures, companies, {"provider_id": "provider"}), FIGURE_COLUMNS,
                      label=t("Data: the providers' reported figures and their sources"), newest_by=None,
                      named=False),
        backlog_rows=backlog_rows,
        loops_title=fmt.escape_markdown(loops_title),
        loops=loop_items,
        loop_rows=Table(loop_table, LOOP_ROW_COLUMNS, label=t("Data: every link of every loop, the rows behind it and "
                                                              "their sources"), newest_by=None, named=False),
        # Drawn in the reader's words: the hover names each link's kinds of flow.
        loop_links=loop_links.with_columns(flows=pl.col("flows").replace(
            {flows: flows_in_words(flows) for flows in loop_links["flows"].unique().drop_nulls().to_list()})),
        names=names,
    )


def page_link_problems(controls: ExposureControls, view: ExposureView,
                       params: Mapping[str, str | list[str]]) -> list[LinkProblem]:
    """Every `exp_` value of the link the page's inputs cannot take: checked together, so all are named at once."""
    return controls.link_problems(params) + view.loop_link_problems(params)


# ---- The stress test ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StressView:
    empty: str  # non-empty: nothing to stress (no buyer chosen, or nothing falls due); the page says so (plain)
    title: str  # Markdown, escaped
    cards: tuple[Card, ...]  # label and help Markdown, escaped
    chart: go.Figure | None
    caption: str  # Markdown, escaped: the assumptions, with this run's numbers
    by_provider: Table
    by_year: Table
    chain_title: str  # Markdown, escaped
    chain: Table
    schedule: Table  # the buyers' commitments the schedule spreads, with their terms and sources


BY_PROVIDER_COLUMNS = ("provider", "unpaid_usd_bn", "due_usd_bn", "peak_year_usd_bn", "first_year", "last_year",
                       "reported_by", "reported_revenue", "peak_of_revenue", "reported_rpo", "of_reported_backlog")
BY_YEAR_COLUMNS = ("provider", "year", "due_usd_bn", "unpaid_usd_bn")
CHAIN_COLUMNS = ("exposure", "holder", "counterparty", "stressed_buyer", "deal_id", "deal_type", "value_usd_bn",
                 "due_from_start_usd_bn", "unfunded_usd_bn", "source_title", "source_url")
SCHEDULE_COLUMNS = ("deal_id", "announced", "buyer", "provider", "deal_type", "value_usd_bn", "first_year",
                    "last_year", "term_basis", "source_title", "source_url")


def _buyers_in_words(buyers: tuple[str, ...], names: Mapping[str, str]) -> str:
    named = [names.get(b, b) for b in buyers]
    return named[0] if len(named) == 1 else t("{names} and {last}", names=", ".join(named[:-1]), last=named[-1])


def stress_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None, buyers: tuple[str, ...],
                paid_percent: float, start_year: int) -> StressView:
    """What `buyers` leave unpaid if they pay `paid_percent` % of what falls due from `start_year` on, per provider
    and year, against the providers' reported figures; and who is hit next along the chain."""
    deal_filter = deal_filter or DealFilter()
    deals, companies = tables["deals"], tables["companies"]
    names = options_with_names(companies).names
    empty_tables = (Table(pl.DataFrame(), ()),) * 4
    if not buyers:
        return StressView(t("Pick one or more buyers to see who is hit if they do not pay."), "", (), None, "",
                          *empty_tables[:2], "", *empty_tables[2:])
    stress = ex.Stress(tuple(buyers), paid_percent / 100, int(start_year), DEFAULT_TERM_YEARS)
    unpaid = ex.unpaid_by_provider_year(deals, deal_filter, stress)
    who = _buyers_in_words(stress.buyers, names)
    if unpaid.is_empty():
        return StressView(t("Nothing {buyers} committed falls due from {year} on in this selection.", buyers=who,
                            year=str(start_year)), "", (), None, "", *empty_tables[:2], "", *empty_tables[2:])
    figures = ex.reported_figures(tables["financials"], companies, unpaid["provider_id"].unique().to_list())
    per_provider = with_names(ex.unpaid_by_provider(unpaid, figures), companies,
                              {"provider_id": "provider", "reported_by": "reported_by_name"}).with_columns(
        reported_by=pl.col("reported_by_name")).drop("reported_by_name")
    per_year = with_names(unpaid, companies, {"provider_id": "provider"})
    chain = with_names(ex.next_in_chain(deals, deal_filter, stress), companies,
                       {"holder_id": "holder", "counterparty_id": "counterparty", "stressed_buyer_id": "stressed_buyer"})
    total_due, total_unpaid = unpaid["due_usd_bn"].sum(), unpaid["unpaid_usd_bn"].sum()
    top = per_provider.row(0, named=True)
    # One whole sentence for each case (one buyer or several; a revenue figure or none), so German word order works.
    said = {"buyers": who, "percent": percent_points(paid_percent), "year": str(start_year),
            "unpaid": fmt.usd_bn(total_unpaid), "provider": top["provider"], "loss": fmt.usd_bn(top["unpaid_usd_bn"])}
    if top["peak_of_revenue"] is not None:
        title = tn("If {buyers} pays {percent} of what falls due from {year}, {unpaid} goes unpaid; {provider} loses "
                   "most: {loss}, {of_revenue} of its reported revenue in its worst year",
                   "If {buyers} pay {percent} of what falls due from {year}, {unpaid} goes unpaid; {provider} loses "
                   "most: {loss}, {of_revenue} of its reported revenue in its worst year",
                   len(stress.buyers), **said, of_revenue=fmt.percent(top["peak_of_revenue"]))
    else:
        title = tn("If {buyers} pays {percent} of what falls due from {year}, {unpaid} goes unpaid; {provider} loses "
                   "most: {loss}, which reports no revenue figure in the ledger",
                   "If {buyers} pay {percent} of what falls due from {year}, {unpaid} goes unpaid; {provider} loses "
                   "most: {loss}, which reports no revenue figure in the ledger", len(stress.buyers), **said)
    scheduled = scheduled_deals(deals.filter(deal_filter_expr(deal_filter) & pl.col("buyer_id").is_in(list(buyers))),
                                DEFAULT_TERM_YEARS)
    resale = chain.filter(pl.col("exposure") == "resale")
    financing = chain.filter(pl.col("exposure") == "financing")
    # The counts are of rows (English says "providers' purchases" and "investments or loans" whatever the count).
    chain_said = {"n": fmt.count(resale.height), "buyers": who, "unfunded": fmt.usd_bn(resale["unfunded_usd_bn"].sum()),
                  "year": str(start_year), "financings": fmt.count(financing.height),
                  "financed": fmt.usd_bn(financing["value_usd_bn"].sum())}
    chain_title = tn("Next along the chain: {n} providers' purchases serve {buyers} ({unfunded} of what they owe from "
                     "{year} left unfunded), and {financings} investments or loans were put into it ({financed})",
                     "Next along the chain: {n} providers' purchases serve {buyers} ({unfunded} of what they owe from "
                     "{year} left unfunded), and {financings} investments or loans were put into them ({financed})",
                     len(stress.buyers), **chain_said)
    unpaid_percent = percent_points(100 - paid_percent)
    caption = t("From the same annual schedule as the Commitments page: {buyers}'s disclosed commitments spread evenly "
                "over their terms (without a reported term, over {years} years). {due} falls due from {year} on; "
                "{percent} of it is not paid. Contracts' termination clauses, prepayments and collateral are not "
                "public and are not modelled: the figure is what the contracts' schedule leaves unpaid, not a loss "
                "after recovery.", buyers=who, years=fmt.count(DEFAULT_TERM_YEARS), due=fmt.usd_bn(total_due),
                year=str(start_year), percent=unpaid_percent)
    cards = (
        Card(t("Not paid"), fmt.usd_bn(total_unpaid),
             t("{percent} of the {due} that falls due from {year} on, from {buyers}'s commitments in this selection.",
               percent=unpaid_percent, due=fmt.usd_bn(total_due), year=str(start_year), buyers=who)),
        Card(t("Providers hit"), fmt.count(per_provider.height),
             t("Providers with money falling due from these buyers.")),
        Card(t("Largest hit: {provider}", provider=top["provider"]), fmt.usd_bn(top["unpaid_usd_bn"]),
             t("Over {first}-{last}; its worst year {peak}.", first=str(top["first_year"]),
               last=str(top["last_year"]), peak=fmt.usd_bn(top["peak_year_usd_bn"]))),
    )
    # The chain table names each row's kind of exposure in the reader's words (the sums above read the values).
    chain = chain.with_columns(exposure=pl.col("exposure").replace(exposure_words()))
    return StressView(
        empty="", title=fmt.escape_markdown(title), cards=_escaped(cards), chart=charts.unpaid_bars(per_year),
        caption=fmt.escape_markdown(caption),
        by_provider=Table(per_provider, BY_PROVIDER_COLUMNS, label=t("Data: money not paid, by provider, against "
                                                                     "its reported figures"),
                          newest_by=None, named=False),
        by_year=Table(per_year, BY_YEAR_COLUMNS, label=t("Data: by provider and year"), newest_by=None, named=False),
        chain_title=fmt.escape_markdown(chain_title),
        chain=Table(chain, CHAIN_COLUMNS, label=t("Data: who is hit next, and the rows behind it"), newest_by=None,
                    named=False),
        schedule=Table(scheduled, SCHEDULE_COLUMNS, label=t("Data: the commitments scheduled, their terms and "
                                                            "sources"), newest_by="announced"),
    )

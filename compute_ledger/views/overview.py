"""Everything the Overview page shows, as one value: `overview_view(tables, deal_filter, since)`. No Streamlit here.

The one-page brief (compute_ledger/brief) prints this same value, so the PDF's numbers are the page's."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.analysis import capacity, counting, metrics, narrative, news, sources
from compute_ledger.analysis.counting import Total
from compute_ledger.analysis.filters import DealFilter, deal_filter_query, describe, options_with_names
from compute_ledger.analysis.links import MAX_NAMED, named
from compute_ledger.charts.common import commitments_by_provider_chart
from compute_ledger.data.schema import DATE_MIN
from compute_ledger.views.common import Card

COVER_BUYER = "openai"  # the lab whose commitments-to-revenue card the unfiltered Overview shows
LARGEST = 5  # deals in the "largest deals" table (page and brief)
MAX_NEWS = 20  # lines of "New since …" (page and brief): the newest; the summary counts and sums every one
QP_SINCE = "since"  # the shared link's parameter for the "New since" date
EARLIEST_SINCE = DATE_MIN  # the ledger's first possible date
# The counting rules in two lines (README "How the headline numbers are counted"), for the page and the brief.
COUNTING_RULES = (
    "One layer of the chain per total: AI labs' own purchases, providers' purchases to serve them and financing pay "
    "for the same compute and are never added; site GW and chip GW are two series, never added.",
    "Totals count the firmness tiers chosen (definitive and announced by default) and leave out cancelled and "
    "overlapping rows; the rest is shown beside a total, never inside; an undisclosed value adds nothing.",
)
STATUS_BEFORE = {"announced": "An announced deal", "signed": "A signed contract", "letter_of_intent": "A letter of intent",
                 "rumored": "A rumoured deal", "completed": "A completed deal", "paused": "A paused deal",
                 "cancelled": "A cancelled deal"}
STATUS_AFTER = {"announced": "was announced", "signed": "became a signed contract",
                "letter_of_intent": "became a letter of intent", "rumored": "was reported again as a rumour",
                "completed": "was completed", "paused": "was paused", "cancelled": "was cancelled"}
STAGE_BEFORE = {"target": "A capacity target", "planned": "A planned site", "under_construction": "A site under construction",
                "operational": "An operating site", "completed": "A completed site", "paused": "A paused site",
                "cancelled": "A cancelled site"}
STAGE_AFTER = {"target": "became a target", "planned": "became planned", "under_construction": "went under construction",
               "operational": "became operational", "completed": "was completed", "paused": "was paused",
               "cancelled": "was cancelled"}
TIER_WORDS = {"definitive": "definitive", "announced": "announced", "reported": "reported only"}


@dataclass(frozen=True)
class NewsLine:
    """One line of "New since …": a deal or a capacity milestone, and what it did to the headline totals."""

    date: dt.date
    kind: str  # "deal" or "milestone"
    record_id: str
    text: str  # what happened, with the parties, the value and the firmness
    effect: str  # "+$6.3 bn to AI labs' compute commitments", or why it is not in the totals
    counted: bool  # it moved a headline total
    source_title: str
    source_url: str
    source_credit: str = ""  # "Reuters (major outlet) · 2 citations · first reported by …" (analysis.sources.credit)


@dataclass(frozen=True)
class SinceChoice:
    """The "New since" date: its default, the range offered, and what a shared link asked for."""

    default: dt.date | None
    earliest: dt.date
    latest: dt.date | None
    value: dt.date | None  # the link's date if usable, else the default
    warning: str | None  # the link's value could not be used (named), or None


@dataclass(frozen=True)
class OverviewView:
    story: str
    scope: str  # "Showing … · data as of …"
    as_of: dt.date | None
    deals: int  # deals the filter keeps (0: the page says so and shows nothing else)
    totals: tuple[Total, ...]  # the sums, each with the rows it adds up
    cards: tuple[Card, ...]  # counts, the fleet, commitments ÷ revenue
    takeaway: str
    chart: go.Figure
    undisclosed_caption: str  # providers whose commitments are all undisclosed (not drawn)
    sources: Callable[[], pl.DataFrame]  # the deals the filter keeps, made when the sources table is opened
    largest: pl.DataFrame  # the LARGEST deals of the selection by value, as shown (formatted text columns)
    since: dt.date | None  # "New since" this date (exclusive)
    news: tuple[NewsLine, ...]  # the newest MAX_NEWS, newest first
    news_summary: str  # one sentence: how many, and what they did to the totals
    financing_note: str = ""  # the financing card's largest rounds, with their investors ("" when none)
    rules: tuple[str, str] = COUNTING_RULES

    @property
    def largest_heading(self) -> str:
        return f"The {self.largest.height} largest deals in this selection"

    @property
    def news_heading(self) -> str:
        return f"New since {fmt.day(self.since)}"


def shown_value(total: Total) -> str:
    """A total as its card shows it."""
    return fmt.usd_bn(total.value) if total.unit == "usd_bn" else fmt.gw(total.value)


def _amount(value: float | None, unit: str) -> str:
    return fmt.usd_bn(value) if unit == "usd_bn" else fmt.gw(value)


def beside_note(total: Total) -> str | None:
    """The less certain part of the same layer, shown beside a card (its delta), never inside it."""
    if not total.beside:
        return None
    return f"+ {_amount(total.beside, total.unit)} {' or '.join(total.beside_tiers)}, not counted"


def card_help(total: Total) -> str:
    return total.counts + (f" {total.undisclosed} such deals have no disclosed figure and add nothing."
                           if total.undisclosed else "")


def since_choice(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None,
                 raw: str | Sequence[str] | None) -> SinceChoice:
    """The default "New since" date (30 days before "as of") and the link's `since` value(s), checked: every
    malformed (not YYYY-MM-DD) or out-of-range value is named, wherever it stands, and the last usable one is used
    (the default if none). The page then writes the date used into the address, so the URL binding reads that."""
    as_of = metrics.data_as_of(*(tables[n] for n in ("deals", "milestones", "financials") if n in tables))
    default = news.default_since(as_of)
    choice = SinceChoice(default=default, earliest=EARLIEST_SINCE, latest=as_of, value=default, warning=None)
    values = [v.strip() for v in ([raw] if isinstance(raw, str) else list(raw or ())) if v.strip()]
    if not values:
        return choice
    bad, good = [], []
    for value in values:
        try:
            asked = dt.date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            asked = None
        if asked is None:
            bad.append(f"The link's '{QP_SINCE}' date '{value[:40]}' is not a date like 2025-11-03; ignored.")
        elif not EARLIEST_SINCE <= asked <= (as_of or asked):
            bad.append(f"The link's '{QP_SINCE}' date {asked} is outside the data's range ({EARLIEST_SINCE} to "
                       f"{as_of}); ignored.")
        else:
            good.append((value, asked))
    used = good[-1][1] if good else default
    # One warning, whatever the link holds: the first few refused values, how many more, and the date used.
    said = bad[:MAX_NAMED] + ([f"And {len(bad) - MAX_NAMED} more values; ignored."] if len(bad) > MAX_NAMED else [])
    if good and (said or len({d for _, d in good}) > 1):
        said = ([*said[:-1], said[-1].removesuffix(".") + f"; {used} is used."] if said else
                [f"The link gives '{QP_SINCE}' {len(good)} dates ({named([v for v, _ in good])}); the last, {used}, "
                 "is used."])
    warning = " ".join(said) or None
    return dataclasses.replace(choice, value=used, warning=warning)


def largest_deals(deals: pl.DataFrame | pl.LazyFrame, label) -> pl.DataFrame:
    """The LARGEST deals of the selection by disclosed value, every column as text, as the page and brief show it."""
    # Lazy, so Polars sorts only for the first rows (a top-k), not every deal of the selection.
    top = (deals.lazy().filter(pl.col("value_usd_bn").is_not_null())
           .sort(["value_usd_bn", "announced", "deal_id"], descending=[True, True, False]).head(LARGEST).collect())
    return pl.DataFrame({
        "Deal": top["deal_id"],
        "Announced": [fmt.day(d) for d in top["announced"]],
        "Buyer": [label(b) for b in top["buyer_id"]],
        "Provider": [label(p) for p in top["provider_id"]],
        "What": [t.replace("_", " ") for t in top["deal_type"]],
        "Value": [fmt.usd_bn(v) for v in top["value_usd_bn"]],
        "Firmness": [TIER_WORDS.get(f, f) for f in top["firmness"]],
        "Primary source": [f"{p} ({k.replace('_', ' ')})" if p else None
                           for p, k in zip(_or_empty(top, "source_publisher"), top["source_kind"])],
        "Citations": [str(n) if n is not None else None for n in _or_empty(top, "citation_count")],
        "First reported by": _or_empty(top, "first_reported_by"),
        "Source": top["source_url"],
    }, schema={c: pl.String for c in LARGEST_COLUMNS})


LARGEST_COLUMNS = ("Deal", "Announced", "Buyer", "Provider", "What", "Value", "Firmness", "Primary source", "Citations",
                   "First reported by", "Source")


def _or_empty(frame: pl.DataFrame, column: str) -> list:
    return frame[column].to_list() if column in frame.columns else [None] * frame.height


LARGEST_FINANCING = 3  # rounds named under the financing card


def financing_note(totals: tuple[Total, ...], label) -> str:
    """The largest rows of the financing card, each with who received the money and who put it in."""
    financing = [t for t in totals if t.label == counting.FINANCING_LABEL]
    if not financing or not financing[0].count:
        return ""
    top = counting.largest_first(financing[0].rows, LARGEST_FINANCING).filter(pl.col("amount").is_not_null())
    if top.is_empty():
        return ""
    named = "; ".join(f"{label(r['buyer_id'])} from {label(r['provider_id'])}, {fmt.usd_bn(r['amount'])} "
                      f"({r['deal_type'].replace('_', ' ')}, {fmt.month(r['announced'])})"
                      for r in top.iter_rows(named=True))
    return f"Largest financing in this selection (who received it, from which investors): {named}."


def _total_name(label: str) -> str:
    return label if label.startswith("AI") else label[0].lower() + label[1:]


def effect_text(effects: list[dict], reason: str) -> tuple[str, bool]:
    """The effect of one deal on the totals, in words; and whether it moved one."""
    moved = [e for e in effects if e["change"]]
    if moved:
        return "; ".join(f"{'+' if e['change'] > 0 else '-'}{_amount(abs(e['change']), e['unit'])} "
                         f"{'to' if e['change'] > 0 else 'from'} {_total_name(e['total'])}" for e in moved), True
    counted = [e for e in effects if e["counted_now"]]
    if counted and all(e["now"] is None for e in counted):
        return f"counted in {_total_name(counted[0]['total'])}, value not disclosed: adds nothing", False
    if counted:
        return f"already counted in {_total_name(counted[0]['total'])}: totals unchanged", False
    return f"{reason}: not in the totals", False


def deal_lines(deal_news: pl.DataFrame, effects: pl.DataFrame, deal_filter: DealFilter, label) -> list[NewsLine]:
    by_deal: dict[str, list[dict]] = {}
    for row in effects.filter(pl.col("deal_id").is_in(deal_news["deal_id"].implode())).iter_rows(named=True):
        by_deal.setdefault(row["deal_id"], []).append(row)
    lines = []
    for row in deal_news.with_columns(reason=news.not_counted_reason(deal_filter)).iter_rows(named=True):
        size = ", ".join(x for x in (fmt.usd_bn(row["value_usd_bn"]) if row["value_usd_bn"] is not None else "",
                                     fmt.gw(row["capacity_gw"]) if row["capacity_gw"] is not None else "") if x)
        size = size or "value not disclosed"
        firmness = TIER_WORDS.get(row["firmness"], row["firmness"])
        parties = f"{label(row['buyer_id'])} and {label(row['provider_id'])}"
        kind = row["deal_type"].replace("_", " ")
        if row["event"] == news.CHANGED:
            what = (f"{STATUS_BEFORE.get(row['previous_status'], row['previous_status'])} "
                    f"{STATUS_AFTER.get(row['status'], row['status'])} ({kind}, {size}, {firmness})")
        else:
            status = row["status"].replace("_", " ")
            what = f"{kind}, {size}, {firmness}" + (f" ({status})" if status != firmness else "")
        effect, counted = effect_text(by_deal.get(row["deal_id"], []), row["reason"])
        lines.append(NewsLine(date=row["event_date"], kind="deal", record_id=row["deal_id"],
                              text=f"{parties}: {what}", effect=effect, counted=counted,
                              source_title=row["source_title"], source_url=row["source_url"],
                              source_credit=sources.credit(row)))
    return lines


def milestone_lines(milestone_news: pl.DataFrame, label) -> list[NewsLine]:
    lines = []
    for row in milestone_news.iter_rows(named=True):
        size = fmt.gw(row["capacity_gw"]) if row["capacity_gw"] is not None else "capacity not disclosed"
        stage = row["stage"].replace("_", " ")
        if row["event"] == news.CHANGED:
            what = (f"{STAGE_BEFORE.get(row['previous_stage'], row['previous_stage'])} "
                    f"{STAGE_AFTER.get(row['stage'], stage)} ({size})")
        else:
            what = f"{row['milestone_type'].replace('_', ' ')}, {size}, {stage}"
        lines.append(NewsLine(date=row["event_date"], kind="milestone", record_id=row["milestone_id"],
                              text=f"{label(row['company_id'])}, {row['site']}: {what}",
                              effect="capacity milestone: not in the deal totals", counted=False,
                              source_title=row["source_title"], source_url=row["source_url"],
                              source_credit=sources.credit(row)))
    return lines


def _news_summary(since: dt.date, deals: int, milestones: int, effects: pl.DataFrame) -> str:
    if not deals + milestones:
        return f"Nothing new in this selection since {fmt.day(since)}."
    counts = " and ".join(x for x in (f"{deals} deal{'s' * (deals != 1)}" if deals else "",
                                      f"{milestones} capacity milestone{'s' * (milestones != 1)}" if milestones else "")
                          if x)
    moved = (effects.group_by("total", "unit", maintain_order=True).agg(pl.col("change").sum())
             .filter(pl.col("change") != 0))
    change = "; ".join(f"{'+' if r['change'] > 0 else '-'}{_amount(abs(r['change']), r['unit'])} "
                       f"{'to' if r['change'] > 0 else 'from'} {_total_name(r['total'])}"
                       for r in moved.iter_rows(named=True))
    listed = "" if deals + milestones <= MAX_NEWS else f" The newest {MAX_NEWS} are listed."
    return (f"{counts} since {fmt.day(since)}: " + (change if change else "no change to the headline totals") + "."
            + listed)


def commitments_takeaway(by_provider: pl.DataFrame) -> str:
    disclosed = by_provider.filter(pl.col("committed_usd_bn") > 0)
    if disclosed.is_empty():
        return "No disclosed commitment values in this selection"
    top = disclosed.row(0, named=True)
    total = disclosed["committed_usd_bn"].sum()
    if disclosed.height == 1:
        return f"All {fmt.usd_bn(total)} of AI labs' disclosed commitments go to {top['provider']}"
    share = top["committed_usd_bn"] / total
    return (f"{top['provider']} holds {share:.0%} of {fmt.usd_bn(total)} in AI labs' disclosed commitments, "
            f"spread over {disclosed.height} providers")


def _cards(deals: pl.LazyFrame, kept: int, tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter,
           label) -> tuple[Card, ...]:
    # AI labs' own fleets only: a cloud's fleet houses the labs' compute, so adding it would count it twice.
    labs = tables["companies"].filter(pl.col("kind") == "lab")["company_id"].implode()
    fleet = capacity.latest_fleet(tables["milestones"]).filter(pl.col("company_id").is_in(labs))
    if deal_filter.buyers:
        fleet = fleet.filter(pl.col("company_id").is_in(deal_filter.buyers))
    cards = [
        Card("Deals", fmt.count(kept), "Rows the filter keeps, of every layer and type."),
        Card("Providers", fmt.count(deals.select(pl.col("provider_id").n_unique()).collect().item()),
             "Counterparties in those deals."),
        Card("Operating fleet" if fleet.is_empty() else
             f"Operating fleet ({', '.join(label(c) for c in fleet['company_id'])}, {fmt.month(fleet['fleet_date'].max())})",
             fmt.gw(fleet["fleet_gw"].sum()) if fleet.height else fmt.UNDISCLOSED,
             "Latest operating compute fleet an AI lab itself reported (all its providers together): built and "
             "running, unlike the contracted GW. Clouds' fleets are left out: they house the labs' compute. "
             "Only OpenAI reports one so far."),
    ]
    buyers = list(deal_filter.buyers) or [COVER_BUYER]
    cover = metrics.commitments_to_revenue(deals, tables["financials"], buyers[0]) if len(buyers) == 1 else None
    if cover:
        # "in the ledger": the story above may quote a company's own, larger total; the card is the rows' sum.
        cards.append(Card(f"{label(cover.buyer_id)} commitments in the ledger ÷ {cover.revenue_label}",
                          fmt.multiple(cover.ratio),
                          f"{fmt.usd_bn(cover.commitments_usd_bn)} of {label(cover.buyer_id)}'s disclosed commitments "
                          f"in this filter (the first card's rows with this buyer, each deal sourced), divided by "
                          f"{fmt.usd_bn(cover.revenue_usd_bn)} of {cover.revenue_label}. Not the company's own total "
                          f"quoted in the opening paragraph, which includes commitments the ledger has no row for."))
    else:
        cards.append(Card("Commitments ÷ revenue", "n/a", "Pick one buyer with published revenue (OpenAI, "
                          "Anthropic) to see how many years of revenue its commitments represent."))
    return tuple(cards)


def overview_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter,
                  since: dt.date | None = None) -> OverviewView:
    """The Overview of the deals the filter keeps (the story and "as of" date are of the whole ledger), and what is
    new after `since` (default: 30 days before "as of")."""
    all_deals, companies, financials = tables["deals"], tables["companies"], tables["financials"]
    options = options_with_names(companies)
    # The filter as a lazy query: each sum reads the columns it needs; no copy of every kept deal.
    deals = deal_filter_query(all_deals, deal_filter)
    kept = deals.select(pl.len()).collect().item()
    as_of = metrics.data_as_of(all_deals, tables["milestones"], financials)
    by_provider = metrics.commitments_by_provider(deals, companies)
    by_pair = metrics.fold_small_buyers(metrics.commitments_by_provider_and_buyer(deals, companies))
    bars, segments = metrics.fold_small_providers(by_provider, by_pair)
    hidden = by_provider.filter(pl.col("committed_usd_bn") == 0)
    since = since or news.default_since(as_of) or dt.date.today()
    deal_news = news.deal_news(all_deals, deal_filter, since)
    totals = counting.headline_totals(all_deals, deal_filter)
    rank = {t.label: i for i, t in enumerate(totals)}
    effects = (news.effect_on_totals(deal_news, deal_filter)
               .sort(pl.col("total").replace_strict(rank, default=len(rank), return_dtype=pl.Int64)))
    milestone_news = news.milestone_news(tables["milestones"], since, deal_filter.buyers + deal_filter.providers)
    # Only the newest MAX_NEWS of each kind can be among the lines shown (milestone news comes newest first).
    lines = sorted(deal_lines(news.newest_first(deal_news, MAX_NEWS), effects, deal_filter, options.label)
                   + milestone_lines(milestone_news.head(MAX_NEWS), options.label),
                   key=lambda n: n.date, reverse=True)[:MAX_NEWS]
    return OverviewView(
        story=narrative.seed_story(financials, all_deals, companies),
        scope=(f"Showing {describe(deal_filter, options)} · data as of {fmt.day(as_of)} (the newest source) · "
               f"{metrics.checked_words(metrics.checked_against_reports(tables))}"),
        as_of=as_of,
        deals=kept,
        totals=totals,
        cards=_cards(deals, kept, tables, deal_filter, options.label),
        takeaway=commitments_takeaway(by_provider),
        chart=commitments_by_provider_chart(bars, segments),
        undisclosed_caption="" if hidden.is_empty() else (
            "Commitments with no disclosed value (not drawn): "
            + ", ".join(f"{r['provider']} ({r['undisclosed']})" for r in hidden.iter_rows(named=True)) + "."),
        sources=deals.collect,
        largest=largest_deals(deals, options.label),
        since=since,
        news=tuple(lines),
        news_summary=_news_summary(since, deal_news.height, milestone_news.height, effects),
        financing_note=financing_note(totals, options.label),
    )

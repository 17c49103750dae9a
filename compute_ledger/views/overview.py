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
from compute_ledger import i18n
from compute_ledger.analysis import capacity, counting, metrics, narrative, news, sources
from compute_ledger.analysis.counting import Total
from compute_ledger.analysis.filters import DealFilter, deal_filter_query, describe, named_values, options_with_names
from compute_ledger.analysis.links import MAX_NAMED
from compute_ledger.charts.common import commitments_by_provider_chart
from compute_ledger.data.schema import DATE_MIN
from compute_ledger.i18n import t, tn
from compute_ledger.views.common import Card

COVER_BUYER = "openai"  # the lab whose commitments-to-revenue card the unfiltered Overview shows
LARGEST = 5  # deals in the "largest deals" table (page and brief)
MAX_NEWS = 20  # lines of "New since …" (page and brief): the newest; the summary counts and sums every one
QP_SINCE = "since"  # the shared link's parameter for the "New since" date
EARLIEST_SINCE = DATE_MIN  # the ledger's first possible date


# The sentences below are functions, not constants: each is written in the language of the run that calls it.
def counting_rules() -> tuple[str, str]:
    """The counting rules in two lines (README "How the headline numbers are counted"), for the page and brief."""
    return (
        t("One layer of the chain per total: AI labs' own purchases, providers' purchases to serve them and "
          "financing pay for the same compute and are never added; site GW and chip GW are two series, never added."),
        t("Totals count the firmness tiers chosen (definitive and announced by default) and leave out cancelled and "
          "overlapping rows; the rest is shown beside a total, never inside; an undisclosed value adds nothing."),
    )


# untranslated: the English default of OverviewView.rules (overview_view sets counting_rules())
COUNTING_RULES = ("One layer of the chain per total: AI labs' own purchases, providers' purchases to serve them and "
                  "financing pay for the same compute and are never added; site GW and chip GW are two series, never "
                  "added.",
                  # untranslated: as above
                  "Totals count the firmness tiers chosen (definitive and announced by default) and leave out "
                  "cancelled and overlapping rows; the rest is shown beside a total, never inside; an undisclosed "
                  "value adds nothing.")


# A status change is said as "<what it was> <what it became>": in German too the subject comes first and the
# finite verb second ("Ein angekündigter Deal wurde abgeschlossen"), so the two halves make one whole sentence.
def status_before() -> dict[str, str]:
    return {"announced": t("An announced deal"), "signed": t("A signed contract"),
            "letter_of_intent": t("A letter of intent"), "rumored": t("A rumoured deal"),
            "completed": t("A completed deal"), "paused": t("A paused deal"), "cancelled": t("A cancelled deal")}


def status_after() -> dict[str, str]:
    return {"announced": t("was announced"), "signed": t("became a signed contract"),
            "letter_of_intent": t("became a letter of intent"), "rumored": t("was reported again as a rumour"),
            "completed": t("was completed"), "paused": t("was paused"), "cancelled": t("was cancelled")}


def stage_before() -> dict[str, str]:
    return {"target": t("A capacity target"), "planned": t("A planned site"),
            "under_construction": t("A site under construction"), "operational": t("An operating site"),
            "completed": t("A completed site"), "paused": t("A paused site"), "cancelled": t("A cancelled site")}


def stage_after() -> dict[str, str]:
    return {"target": t("became a target"), "planned": t("became planned"),
            "under_construction": t("went under construction"), "operational": t("became operational"),
            "completed": t("was completed"), "paused": t("was paused"), "cancelled": t("was cancelled")}


def tier_words() -> dict[str, str]:
    return {"definitive": t("definitive"), "announced": t("announced"), "reported": t("reported only")}


def largest_column_labels() -> dict[str, str]:
    """The largest deals' columns as the reader reads them (the frame keeps its English names: the brief uses them)."""
    return {"Deal": t("Deal"), "Announced": t("Announced"), "Buyer": t("Buyer"), "Provider": t("Provider"),
            "What": t("What"), "Value": t("Value"), "Firmness": t("Firmness"), "Primary source": t("Primary source"),
            "Citations": t("Citations"), "First reported by": t("First reported by"), "Source": t("Source")}


def _not_counted(reason: str) -> str:
    """Why a deal is in no total (analysis.news.not_counted_reason's words), as a whole sentence."""
    sentences = {
        "overlaps a row counted elsewhere": t("overlaps a row counted elsewhere: not in the totals"),
        "a provider's own purchase": t("a provider's own purchase: not in the totals"),
        "power deal": t("power deal: not in the totals"),
        "manufacturing deal": t("manufacturing deal: not in the totals"),
        "outside the headline layers": t("outside the headline layers: not in the totals"),
        "definitive": t("definitive: not in the totals"),
        "announced": t("announced: not in the totals"),
        "reported only": t("reported only: not in the totals"),
        "cancelled": t("cancelled: not in the totals"),
        "paused": t("paused: not in the totals"),
        "rumored": t("rumored: not in the totals"),
    }
    return sentences.get(reason) or t("{reason}: not in the totals", reason=reason)


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
    largest_heading: str = ""  # "The 5 largest deals in this selection"
    news_heading: str = ""  # "New since 24 Jun 2026"


def shown_value(total: Total) -> str:
    """A total as its card shows it."""
    return fmt.usd_bn(total.value) if total.unit == "usd_bn" else fmt.gw(total.value)


def _amount(value: float | None, unit: str) -> str:
    return fmt.usd_bn(value) if unit == "usd_bn" else fmt.gw(value)


def beside_note(total: Total) -> str | None:
    """The less certain part of the same layer, shown beside a card (its delta), never inside it."""
    if not total.beside:
        return None
    tiers = [fmt.word(tier) for tier in total.beside_tiers]
    if len(tiers) > 1:
        return t("+ {amount} {tier} or {other_tier}, not counted", amount=_amount(total.beside, total.unit),
                 tier=", ".join(tiers[:-1]), other_tier=tiers[-1])
    return t("+ {amount} {tier}, not counted", amount=_amount(total.beside, total.unit), tier=tiers[0])


def card_help(total: Total) -> str:
    if not total.undisclosed:
        return total.counts
    return tn("{counts} {n} such deal has no disclosed figure and adds nothing.",
              "{counts} {n} such deals have no disclosed figure and add nothing.", total.undisclosed,
              counts=total.counts, n=fmt.count(total.undisclosed))


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
            bad.append(t("The link's '{param}' date '{value}' is not a date like 2025-11-03; ignored.",
                         param=QP_SINCE, value=value[:40]))
        elif not EARLIEST_SINCE <= asked <= (as_of or asked):
            bad.append(t("The link's '{param}' date {value} is outside the data's range ({earliest} to {latest}); "
                         "ignored.", param=QP_SINCE, value=asked, earliest=EARLIEST_SINCE, latest=as_of))
        else:
            good.append((value, asked))
    used = good[-1][1] if good else default
    # One warning, whatever the link holds: the first few refused values, how many more, and the date used.
    said = bad[:MAX_NAMED] + ([t("And {n} more values; ignored.", n=len(bad) - MAX_NAMED)]
                              if len(bad) > MAX_NAMED else [])
    if good and (said or len({d for _, d in good}) > 1):
        said = ([*said[:-1], t("{sentence}; {value} is used.", sentence=said[-1].removesuffix("."), value=used)]
                if said else
                [t("The link gives '{param}' {n} dates ({values}); the last, {value}, is used.", param=QP_SINCE,
                   n=len(good), values=named_values([v for v, _ in good]), value=used)])
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
        "What": [fmt.word(kind) for kind in top["deal_type"]],
        "Value": [fmt.usd_bn(v) for v in top["value_usd_bn"]],
        "Firmness": [tier_words().get(f, f) for f in top["firmness"]],
        "Primary source": [f"{p} ({fmt.word(k)})" if p else None
                           for p, k in zip(_or_empty(top, "source_publisher"), top["source_kind"])],
        "Citations": [str(n) if n is not None else None for n in _or_empty(top, "citation_count")],
        "First reported by": _or_empty(top, "first_reported_by"),
        "Source": top["source_url"],
    }, schema={c: pl.String for c in LARGEST_COLUMNS})


# untranslated: the data's words, compared with a deal's status
TIER_ENGLISH = {"definitive": "definitive", "announced": "announced", "reported": "reported only"}
# untranslated: the frame's column names (the brief reads them); the page shows largest_column_labels()
LARGEST_COLUMNS = ("Deal", "Announced", "Buyer", "Provider", "What", "Value", "Firmness", "Primary source", "Citations",
                   "First reported by", "Source")  # untranslated: as above


def _or_empty(frame: pl.DataFrame, column: str) -> list:
    return frame[column].to_list() if column in frame.columns else [None] * frame.height


LARGEST_FINANCING = 3  # rounds named under the financing card


def financing_note(totals: tuple[Total, ...], label) -> str:
    """The largest rows of the financing card, each with who received the money and who put it in."""
    financing = [total for total in totals if total.label == counting.financing_label()]
    if not financing or not financing[0].count:
        return ""
    top = counting.largest_first(financing[0].rows, LARGEST_FINANCING).filter(pl.col("amount").is_not_null())
    if top.is_empty():
        return ""
    named = "; ".join(t("{receiver} from {investors}, {amount} ({kind}, {month})", receiver=label(r["buyer_id"]),
                        investors=label(r["provider_id"]), amount=fmt.usd_bn(r["amount"]),
                        kind=fmt.word(r["deal_type"]), month=fmt.month(r["announced"]))
                      for r in top.iter_rows(named=True))
    return t("Largest financing in this selection (who received it, from which investors): {rounds}.", rounds=named)


def _total_name(label: str) -> str:
    # English sentences lower-case a total's name inside a sentence; German nouns keep their capital.
    if label.startswith("AI") or i18n.language() != "en":
        return label
    return label[0].lower() + label[1:]


def _change(change: float, unit: str, total: str) -> str:
    amount = _amount(abs(change), unit)
    if change > 0:
        return t("+{amount} to {total}", amount=amount, total=_total_name(total))
    return t("-{amount} from {total}", amount=amount, total=_total_name(total))


def effect_text(effects: list[dict], reason: str) -> tuple[str, bool]:
    """The effect of one deal on the totals, in words; and whether it moved one."""
    moved = [e for e in effects if e["change"]]
    if moved:
        return "; ".join(_change(e["change"], e["unit"], e["total"]) for e in moved), True
    counted = [e for e in effects if e["counted_now"]]
    if counted and all(e["now"] is None for e in counted):
        return t("counted in {total}, value not disclosed: adds nothing",
                 total=_total_name(counted[0]["total"])), False
    if counted:
        return t("already counted in {total}: totals unchanged", total=_total_name(counted[0]["total"])), False
    return _not_counted(reason), False


def deal_lines(deal_news: pl.DataFrame, effects: pl.DataFrame, deal_filter: DealFilter, label) -> list[NewsLine]:
    by_deal: dict[str, list[dict]] = {}
    for row in effects.filter(pl.col("deal_id").is_in(deal_news["deal_id"].implode())).iter_rows(named=True):
        by_deal.setdefault(row["deal_id"], []).append(row)
    lines = []
    tiers, before, after = tier_words(), status_before(), status_after()
    for row in deal_news.with_columns(reason=news.not_counted_reason(deal_filter)).iter_rows(named=True):
        size = ", ".join(x for x in (fmt.usd_bn(row["value_usd_bn"]) if row["value_usd_bn"] is not None else "",
                                     fmt.gw(row["capacity_gw"]) if row["capacity_gw"] is not None else "") if x)
        size = size or t("value not disclosed")
        firmness = tiers.get(row["firmness"], row["firmness"])
        buyer, provider = label(row["buyer_id"]), label(row["provider_id"])
        kind = fmt.word(row["deal_type"])
        if row["event"] == news.CHANGED:
            text = t("{buyer} and {provider}: {before} {after} ({kind}, {size}, {firmness})", buyer=buyer,
                     provider=provider, before=before.get(row["previous_status"], row["previous_status"]),
                     after=after.get(row["status"], row["status"]), kind=kind, size=size, firmness=firmness)
        else:
            status = fmt.word(row["status"])
            if row["status"].replace("_", " ") not in (row["firmness"], TIER_ENGLISH.get(row["firmness"])):
                text = t("{buyer} and {provider}: {kind}, {size}, {firmness} ({status})", buyer=buyer,
                         provider=provider, kind=kind, size=size, firmness=firmness, status=status)
            else:
                text = t("{buyer} and {provider}: {kind}, {size}, {firmness}", buyer=buyer, provider=provider,
                         kind=kind, size=size, firmness=firmness)
        effect, counted = effect_text(by_deal.get(row["deal_id"], []), row["reason"])
        lines.append(NewsLine(date=row["event_date"], kind="deal", record_id=row["deal_id"],
                              text=text, effect=effect, counted=counted,
                              source_title=row["source_title"], source_url=row["source_url"],
                              source_credit=sources.credit(row)))
    return lines


def milestone_lines(milestone_news: pl.DataFrame, label) -> list[NewsLine]:
    lines = []
    before, after = stage_before(), stage_after()
    for row in milestone_news.iter_rows(named=True):
        size = fmt.gw(row["capacity_gw"]) if row["capacity_gw"] is not None else t("capacity not disclosed")
        stage = fmt.word(row["stage"])
        company, site = label(row["company_id"]), row["site"]
        if row["event"] == news.CHANGED:
            text = t("{company}, {site}: {before} {after} ({size})", company=company, site=site,
                     before=before.get(row["previous_stage"], row["previous_stage"]),
                     after=after.get(row["stage"], stage), size=size)
        else:
            text = t("{company}, {site}: {milestone}, {size}, {stage}", company=company, site=site,
                     milestone=fmt.word(row["milestone_type"]), size=size, stage=stage)
        lines.append(NewsLine(date=row["event_date"], kind="milestone", record_id=row["milestone_id"],
                              text=text, effect=t("capacity milestone: not in the deal totals"), counted=False,
                              source_title=row["source_title"], source_url=row["source_url"],
                              source_credit=sources.credit(row)))
    return lines


def _news_summary(since: dt.date, deals: int, milestones: int, effects: pl.DataFrame) -> str:
    day = fmt.day(since)
    if not deals + milestones:
        return t("Nothing new in this selection since {date}.", date=day)
    deal_words = tn("{n} deal", "{n} deals", deals, n=deals)
    milestone_words = tn("{n} capacity milestone", "{n} capacity milestones", milestones, n=milestones)
    counts = (t("{deals} and {milestones}", deals=deal_words, milestones=milestone_words) if deals and milestones
              else deal_words if deals else milestone_words)
    moved = (effects.group_by("total", "unit", maintain_order=True).agg(pl.col("change").sum())
             .filter(pl.col("change") != 0))
    change = "; ".join(_change(r["change"], r["unit"], r["total"]) for r in moved.iter_rows(named=True))
    summary = (t("{counts} since {date}: {changes}.", counts=counts, date=day, changes=change) if change
               else t("{counts} since {date}: no change to the headline totals.", counts=counts, date=day))
    if deals + milestones > MAX_NEWS:
        summary += " " + t("The newest {n} are listed.", n=MAX_NEWS)
    return summary


def commitments_takeaway(by_provider: pl.DataFrame) -> str:
    disclosed = by_provider.filter(pl.col("committed_usd_bn") > 0)
    if disclosed.is_empty():
        return t("No disclosed commitment values in this selection")
    top = disclosed.row(0, named=True)
    total = disclosed["committed_usd_bn"].sum()
    if disclosed.height == 1:
        return t("All {amount} of AI labs' disclosed commitments go to {provider}", amount=fmt.usd_bn(total),
                 provider=top["provider"])
    return t("{provider} holds {share} of {amount} in AI labs' disclosed commitments, spread over {n} providers",
             provider=top["provider"], share=fmt.percent(top["committed_usd_bn"] / total), amount=fmt.usd_bn(total),
             n=fmt.count(disclosed.height))


def _cards(deals: pl.LazyFrame, kept: int, tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter,
           label) -> tuple[Card, ...]:
    # AI labs' own fleets only: a cloud's fleet houses the labs' compute, so adding it would count it twice.
    labs = tables["companies"].filter(pl.col("kind") == "lab")["company_id"].implode()
    fleet = capacity.latest_fleet(tables["milestones"]).filter(pl.col("company_id").is_in(labs))
    if deal_filter.buyers:
        fleet = fleet.filter(pl.col("company_id").is_in(deal_filter.buyers))
    cards = [
        Card(t("Deals"), fmt.count(kept), t("Rows the filter keeps, of every layer and type.")),
        Card(t("Providers"), fmt.count(deals.select(pl.col("provider_id").n_unique()).collect().item()),
             t("Counterparties in those deals.")),
        Card(t("Operating fleet") if fleet.is_empty() else
             t("Operating fleet ({labs}, {month})", labs=", ".join(label(c) for c in fleet["company_id"]),
               month=fmt.month(fleet["fleet_date"].max())),
             fmt.gw(fleet["fleet_gw"].sum()) if fleet.height else fmt.undisclosed(),
             t("Latest operating compute fleet an AI lab itself reported (all its providers together): built and "
               "running, unlike the contracted GW. Clouds' fleets are left out: they house the labs' compute. "
               "Only OpenAI reports one so far.")),
    ]
    buyers = list(deal_filter.buyers) or [COVER_BUYER]
    cover = metrics.commitments_to_revenue(deals, tables["financials"], buyers[0]) if len(buyers) == 1 else None
    if cover:
        revenue = cover.revenue_label
        # "in the ledger": the story above may quote a company's own, larger total; the card is the rows' sum.
        cards.append(Card(t("{buyer} commitments in the ledger ÷ {revenue}", buyer=label(cover.buyer_id),
                            revenue=revenue),
                          fmt.multiple(cover.ratio),
                          t("{commitments} of {buyer}'s disclosed commitments in this filter (the first card's rows "
                            "with this buyer, each deal sourced), divided by {revenue_amount} of {revenue}. Not the "
                            "company's own total quoted in the opening paragraph, which includes commitments the "
                            "ledger has no row for.",
                            commitments=fmt.usd_bn(cover.commitments_usd_bn), buyer=label(cover.buyer_id),
                            revenue_amount=fmt.usd_bn(cover.revenue_usd_bn), revenue=revenue)))
    else:
        cards.append(Card(t("Commitments ÷ revenue"), t("n/a"), t("Pick one buyer with published revenue (OpenAI, "
                          "Anthropic) to see how many years of revenue its commitments represent.")))
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
    largest = largest_deals(deals, options.label)
    lines = sorted(deal_lines(news.newest_first(deal_news, MAX_NEWS), effects, deal_filter, options.label)
                   + milestone_lines(milestone_news.head(MAX_NEWS), options.label),
                   key=lambda n: n.date, reverse=True)[:MAX_NEWS]
    return OverviewView(
        story=narrative.seed_story(financials, all_deals, companies),
        scope=t("Showing {selection} · data as of {as_of} (the newest source) · {checked}",
                selection=describe(deal_filter, options), as_of=fmt.day(as_of),
                checked=metrics.checked_words(metrics.checked_against_reports(tables))),
        as_of=as_of,
        deals=kept,
        totals=totals,
        cards=_cards(deals, kept, tables, deal_filter, options.label),
        takeaway=commitments_takeaway(by_provider),
        chart=commitments_by_provider_chart(bars, segments),
        undisclosed_caption="" if hidden.is_empty() else t(
            "Commitments with no disclosed value (not drawn): {providers}.",
            providers=", ".join(f"{r['provider']} ({r['undisclosed']})" for r in hidden.iter_rows(named=True))),
        sources=deals.collect,
        largest=largest,
        since=since,
        news=tuple(lines),
        news_summary=_news_summary(since, deal_news.height, milestone_news.height, effects),
        financing_note=financing_note(totals, options.label),
        rules=counting_rules(),
        largest_heading=t("The {n} largest deals in this selection", n=largest.height),
        news_heading=t("New since {date}", date=fmt.day(since)),
    )

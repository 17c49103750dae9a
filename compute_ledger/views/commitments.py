"""Everything the Commitments page shows, as one value:
`commitments_view(tables, deal_filter, measure, period, group, log_y, default_term, today)`. No Streamlit here.

Every chart draws a bounded number of things whatever the number of deals: at most MAX_DEALS_DRAWN markers,
MAX_TERMS_DRAWN contract bars, MAX_EVENTS key-event lines and MAX_GROUPS + 1 colours; the sums and tables count
every row.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.analysis import commitments
from compute_ledger.analysis.commitments import DEFAULT_TERM_YEARS, Measure, Period
from compute_ledger.analysis.filters import DealFilter, apply_deal_filter, describe, options_with_names
from compute_ledger.analysis.links import Choice, Flag, InputRange, LinkProblem, Number, link_problems
from compute_ledger.analysis.metrics import with_names
from compute_ledger.charts import commitments as charts
from compute_ledger.i18n import t
from compute_ledger.views.common import Table, period_labels

MAX_DEALS_DRAWN, MAX_TERMS_DRAWN = 1_500, 60
MAX_EVENTS = 12  # key-event lines on the running totals: the most recent distinct ones
MAX_GROUPS = 15  # providers or buyers with a colour of their own; the rest share one grey "Other …"
GROUP_COLUMN = "group_label"  # each deal's provider or buyer as the charts colour it (folded into "Other …")
NAMES = {"buyer_id": "buyer", "provider_id": "provider"}
SOURCE_COLUMNS = ("announced", "buyer", "provider", "deal_type", "layer", "firmness", "value_usd_bn", "capacity_gw",
                  "status", "start_year", "end_year", "term_years", "description", "source_title", "source_url",
                  "source_date")
TERM_COLUMNS = ("deal_id", "buyer", "provider", "value_usd_bn", "first_year", "last_year", "term_basis", "description",
                "source_title", "source_url")
# The page's controls: their options, the labels they show (which is what their URL binding reads and writes),
# and the assumed-term slider's range. The page draws them from here and a link's values are checked against them.
# MEASURES and GROUPS are the English labels (a link made in English); the page shows the reader's language's.
MEASURES = {"usd": "US dollars", "gw": "Gigawatts"}  # untranslated: the English labels links carry
GROUPS = {"provider": "Provider", "buyer": "Buyer"}


def measure_labels() -> dict[str, str]:
    return {"usd": t("US dollars"), "gw": t("Gigawatts")}


def group_choice_labels() -> dict[str, str]:
    return {"provider": t("Provider"), "buyer": t("Buyer")}


def link_labels() -> dict[str, object]:
    """The page's choices whose labels the link carries: param -> their labels in the reader's language."""
    return {"cmt_measure": measure_labels, "cmt_period": period_labels, "cmt_group": group_choice_labels}


TERM_RANGE = InputRange(1, 15, 1)
SPREAD_COLUMNS = ("deal_id", "buyer", "provider", "value_usd_bn", "first_year", "last_year", "term_basis",
                  "source_title", "source_url")


def controls_link_problems(params: Mapping[str, str | list[str]]) -> list[LinkProblem]:
    """The link's values the Commitments page's controls cannot take, each named."""
    measures, periods, groups = measure_labels(), period_labels(), group_choice_labels()
    return link_problems(params, {
        "cmt_measure": Choice(tuple(measures.values()), measures["usd"]),
        "cmt_period": Choice(tuple(periods.values()), periods["quarter"]),
        "cmt_group": Choice(tuple(groups.values()), groups["provider"]),
        "cmt_log": Flag(t("a linear scale")),
        "cmt_term": Number(TERM_RANGE, t("the default of {n} years is used", n=DEFAULT_TERM_YEARS)),
    })


@dataclass(frozen=True)
class Section:
    """One chart with the sentence above it, what it says when there is nothing to draw, and what is below it."""

    title: str  # the takeaway (our own sentence; data names unescaped)
    figure: go.Figure | None  # None: nothing to draw, and `empty` says why
    empty: str
    captions: tuple[str, ...]  # Markdown, data values already escaped
    table: Table | None


@dataclass(frozen=True)
class CommitmentsView:
    scope: str  # "Showing …"
    deals: int  # deals the filter keeps (0: the page says so and shows nothing else)
    timeline: Section
    cumulative: Section
    terms: Section
    assumption: str  # Markdown: how the schedule spreads the money, with this run's numbers
    schedule: Section


def _term_bases() -> tuple[str, str, str]:
    """How a term was known (analysis.commitments.TERM_BASES) in the reader's words, for the rows as they are made."""
    words = charts.term_basis_words()
    return tuple(words[basis] for basis in commitments.TERM_BASES)


def _amount(value: float, measure: Measure) -> str:
    return fmt.usd_bn(value) if measure == "usd" else fmt.gw(value)


def timeline_takeaway(rows: pl.DataFrame, measure: Measure, names: Mapping[str, str]) -> str:
    column = commitments.MEASURE_COLUMN[measure]
    hidden = rows[column].null_count()
    if hidden == rows.height:
        if measure == "usd":
            return (t("This deal does not disclose its value") if rows.height == 1
                    else t("None of these {n} deals discloses its value", n=fmt.count(rows.height)))
        return (t("This deal does not disclose its capacity") if rows.height == 1
                else t("None of these {n} deals discloses its capacity", n=fmt.count(rows.height)))
    top = rows.row(rows[column].arg_max(), named=True)  # arg_max, not a sort: one row of a million is wanted
    return t("Largest: {buyer} ← {provider}, {amount} ({month}); {hidden} of {n} deals undisclosed",
             buyer=names.get(top["buyer_id"], top["buyer_id"]), provider=names.get(top["provider_id"], top["provider_id"]),
             amount=_amount(top[column], measure), month=fmt.month(top["announced"]), hidden=fmt.count(hidden),
             n=fmt.count(rows.height))


def cumulative_takeaway(cumulative: pl.DataFrame, measure: Measure) -> str:
    last_period = cumulative["period"].max()
    total = cumulative.filter(pl.col("period") == last_period)["cumulative"].sum()
    recent = cumulative.filter(pl.col("period") > dt.date(last_period.year - 1, last_period.month, 1))["added"].sum()
    share = recent / total if total else 0
    return t("Commitments reached {amount} by {month}; {share} of that was announced in the last 12 months",
             amount=_amount(total, measure), month=fmt.month(last_period), share=fmt.percent(share))


def terms_takeaway(terms: pl.DataFrame) -> str:
    beyond = terms.filter(pl.col("last_year") >= 2030).height
    return t("{n} of {total} contracts with a known term run to 2030 or later", n=fmt.count(beyond),
             total=fmt.count(terms.height))


def schedule_takeaway(spend: pl.DataFrame, period: Period) -> str:
    per_period = (spend.group_by("period").agg(pl.col("spend_usd_bn").sum())
                  .sort(["spend_usd_bn", "period"], descending=[True, False]))
    top = per_period.row(0, named=True)
    if period == "year":
        return t("Scheduled spend peaks at {amount} per year in {year}", amount=fmt.usd_bn(top["spend_usd_bn"]),
                 year=top["period"].year)
    return t("Scheduled spend peaks at {amount} per quarter in {quarter}", amount=fmt.usd_bn(top["spend_usd_bn"]),
             quarter=fmt.quarter(top["period"]))


def events_caption(events: pl.DataFrame, total: int) -> str:
    """The numbered key events under the running totals (Markdown; the labels are data, so escaped)."""
    shown = fmt.md(" · ").join(fmt.markdown("**{i}** {label} ({month})", i=str(i), label=e["label"],
                                            month=fmt.month(e["date"]))
                               for i, e in enumerate(events.iter_rows(named=True), start=1))
    left_out = t("Equity investments and cancelled deals are not commitments and are left out.")
    if not events.height:
        return fmt.md(left_out)
    if total > events.height:
        return fmt.markdown(t("Key events, the {n} most recent of {total} (dotted lines): {events}. {left_out}"),
                            n=fmt.count(events.height), total=fmt.count(total), events=shown,
                            left_out=fmt.md(left_out))
    return fmt.markdown(t("Key events (dotted lines): {events}. {left_out}"), events=shown, left_out=fmt.md(left_out))


def _timeline(deals: pl.DataFrame, measure: Measure, group: str, log_y: bool, companies: pl.DataFrame,
              names: Mapping[str, str]) -> Section:
    column = commitments.MEASURE_COLUMN[measure]
    drawn, left_out = commitments.largest(deals, MAX_DEALS_DRAWN, column)
    caption = t("Marker size grows with GW where known. Filled: signed, announced or completed; diamond: letter of "
                "intent; open circle: rumoured; square: paused; ×: cancelled. Undisclosed deals sit in the bottom lane.")
    if left_out:
        caption += " " + t("Drawn: the {n} largest of {total} deals; the totals below count all.",
                           n=fmt.count(MAX_DEALS_DRAWN), total=fmt.count(deals.height))
    return Section(
        title=timeline_takeaway(deals, measure, names),
        figure=charts.deal_timeline_chart(with_names(drawn, companies, NAMES), colour_by=GROUP_COLUMN,
                                          measure=measure, log_y=log_y, legend_title=group_choice_labels()[group]),
        empty="", captions=(fmt.md(caption),),
        table=Table(deals, SOURCE_COLUMNS))


def _cumulative(deals: pl.DataFrame, all_deals: pl.DataFrame, milestones: pl.DataFrame, measure: Measure,
                period: Period, group: str) -> Section:
    cumulative = commitments.cumulative_commitments(deals, by=GROUP_COLUMN, measure=measure, period=period)
    if cumulative.is_empty():
        return Section(t("Cumulative commitments"), None,
                       t("No commitment in this selection has a disclosed value.") if measure == "usd" else
                       t("No commitment in this selection has a disclosed capacity."), (), None)
    # The data's key events, whatever the filter: they are the story the running totals are read against.
    events = commitments.key_events(all_deals, milestones)
    shown = events.tail(MAX_EVENTS)
    running = cumulative.rename({GROUP_COLUMN: group})
    return Section(
        title=cumulative_takeaway(cumulative, measure),
        figure=charts.cumulative_chart(running, group, shown, measure, legend_title=group_choice_labels()[group]),
        empty="", captions=(events_caption(shown, events.height),),
        table=Table(running, ("period", group, "added", "cumulative"), newest_by=None, named=False,
                    label=t("Data: running totals by period (the deals are in the first table)")))


def _terms(deals: pl.DataFrame, today: dt.date, companies: pl.DataFrame) -> Section:
    terms = commitments.contract_terms(deals, _term_bases())
    if terms.is_empty():
        return Section(t("Contract terms"), None, t("No deal in this selection has a reported term."), (), None)
    drawn, left_out = commitments.largest(terms, MAX_TERMS_DRAWN)
    caption = t("Only deals with a reported end year or contract length; a year-level term is drawn from 1 January "
                "to 31 December.")
    if left_out:
        caption += " " + t("Drawn: the {n} largest of {total}.", n=MAX_TERMS_DRAWN, total=fmt.count(terms.height))
    return Section(
        title=terms_takeaway(terms),
        figure=charts.contract_terms_chart(
            with_names(drawn, companies, NAMES).sort("buyer_id", "first_year", "deal_id"), today),
        empty="", captions=(fmt.md(caption),), table=Table(terms, TERM_COLUMNS))


def _schedule(deals: pl.DataFrame, measure: Measure, period: Period, group: str, default_term: int) -> Section:
    schedule = commitments.annual_spend_schedule(deals, default_term, period, by=(GROUP_COLUMN,))
    if schedule.is_empty():
        return Section("", None, t("No commitment in this selection has a disclosed value to schedule."), (), None)
    spend = commitments.spend_by_period(schedule, GROUP_COLUMN).rename({GROUP_COLUMN: group})
    bases = _term_bases()
    spread = commitments.scheduled_deals(deals, default_term, bases)
    assumed = spread.filter(pl.col("term_basis") == bases[2]).height  # TERM_ASSUMED, in the reader's words
    captions = ((t("The schedule is in dollars: capacity has no payment profile."),) if measure == "gw" else ()) + (
        t("{n} of {total} scheduled deals use the assumed length.", n=fmt.count(assumed),
          total=fmt.count(spread.height)),)
    return Section(
        title=schedule_takeaway(spend, period),
        figure=charts.spend_schedule_chart(spend, group, period, legend_title=group_choice_labels()[group]),
        empty="", captions=tuple(fmt.md(c) for c in captions), table=Table(spread, SPREAD_COLUMNS))


def commitments_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter, measure: Measure, period: Period,
                     group: str, log_y: bool, default_term: int, today: dt.date) -> CommitmentsView:
    """The Commitments page for the deals the filter keeps, measured in `measure`, summed per `period`, coloured by
    `group` ("provider" or "buyer"); deals with no reported term are spread over `default_term` years."""
    companies = tables["companies"]
    options = options_with_names(companies)
    names = dict(options.names)
    kept = apply_deal_filter(tables["deals"], deal_filter)
    scope = t("Showing {selection}", selection=describe(deal_filter, options))
    if kept.is_empty():
        empty = Section("", None, "", (), None)
        return CommitmentsView(scope, 0, empty, empty, empty, "", empty)
    other = t("Other providers") if group == "provider" else t("Other buyers")
    deals = kept.with_columns(
        commitments.group_labels(kept, names, f"{group}_id", MAX_GROUPS, other).alias(GROUP_COLUMN))
    unscheduled = commitments.unscheduled_count(deals)
    return CommitmentsView(
        scope=scope,
        deals=deals.height,
        timeline=_timeline(deals, measure, group, log_y, companies, names),
        cumulative=_cumulative(deals, tables["deals"], tables["milestones"], measure, period, group),
        terms=_terms(deals, today, companies),
        assumption=fmt.md(t(
            "**Assumption:** each deal's value is spread evenly over its term, because no deal publishes a payment "
            "profile. The term runs from the start year (else the announcement year) to the end year; without one, "
            "over the reported length; without that, over **{years} years** (set above). {n} commitments have no "
            "disclosed value and cannot be scheduled.", years=default_term, n=fmt.count(unscheduled))),
        schedule=_schedule(deals, measure, period, group, default_term),
    )

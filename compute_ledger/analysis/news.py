"""What changed after a date: deals announced or whose status changed, capacity milestones reported or whose stage
changed, and what each deal did to the headline totals. Pure Polars, no Streamlit.

The effect on the totals is the counting model's own answer, not a second set of rules: the headline totals are
worked out over the news rows as they are now, and over the same rows as they were before (a new deal: absent; a
status change: the previous status), and the effect is the difference, total by total.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import polars as pl

from compute_ledger.analysis.counting import headline_totals
from compute_ledger.analysis.filters import FIRMNESS_TIERS, DealFilter, deal_filter_query
from compute_ledger.analysis.metrics import NOT_BUILDING, NOT_COMMITTED

DEFAULT_WINDOW_DAYS = 30  # "new since" starts this long before the data's "as of" date unless the user picks one
NEW, CHANGED = "new", "changed"
EFFECT_COLUMNS = ("deal_id", "total", "unit", "before", "now", "counted_before", "counted_now", "change")


def default_since(as_of: dt.date | None) -> dt.date | None:
    return as_of - dt.timedelta(days=DEFAULT_WINDOW_DAYS) if as_of else None


def deal_news(deals: pl.DataFrame, deal_filter: DealFilter, since: dt.date) -> pl.DataFrame:
    """The deals of the filter's selection (every firmness tier, overlapping rows too: the effect says whether
    they count) announced after `since` or whose status changed after it, in no particular order
    (`newest_first` orders the ones shown: at a million deals there can be 150,000 of them).

    Adds `event` (NEW, or CHANGED for a status change after `since`), `event_date`, and `is_new` (announced after
    `since`: nothing of it was in the ledger before, whatever its status did since)."""
    selection = dataclasses.replace(deal_filter, tiers=FIRMNESS_TIERS, include_overlaps=True)
    changed = (pl.col("status_changed") > since) & pl.col("previous_status").is_not_null()
    return (deal_filter_query(deals, selection)
            .filter((pl.col("announced") > since) | changed.fill_null(False))
            .with_columns(event=pl.when(changed).then(pl.lit(CHANGED)).otherwise(pl.lit(NEW)),
                          event_date=pl.when(changed).then(pl.col("status_changed")).otherwise(pl.col("announced")),
                          is_new=pl.col("announced") > since)
            .collect())


def newest_first(news: pl.DataFrame, limit: int | None = None) -> pl.DataFrame:
    """`deal_news` newest event first (ties by deal id); with `limit`, only the first rows (a top-k, not a sort
    of every one)."""
    ordered = news.lazy().sort(["event_date", "deal_id"], descending=[True, False])
    return (ordered.head(limit) if limit is not None else ordered).collect()


def milestone_news(milestones: pl.DataFrame, since: dt.date, company_ids: Sequence[str] = ()) -> pl.DataFrame:
    """Capacity milestones first reported after `since` or whose stage changed after it, newest first.

    A milestone's date is often a target years ahead, so it is "reported" on the earlier of its date and its
    source's date. `company_ids` (the filter's buyers and providers) keeps only those companies' milestones."""
    changed = ((pl.col("stage_changed") > since) & pl.col("previous_stage").is_not_null()).fill_null(False)
    reported = pl.min_horizontal("date", "source_date")
    keep = pl.col("company_id").is_in(list(company_ids)) if company_ids else pl.lit(True)
    return (milestones.lazy()
            .filter(keep & ((reported > since) | changed))
            .with_columns(event=pl.when(changed).then(pl.lit(CHANGED)).otherwise(pl.lit(NEW)),
                          event_date=pl.when(changed).then(pl.col("stage_changed")).otherwise(reported))
            .sort(["event_date", "milestone_id"], descending=[True, False])
            .collect())


def _previous_firmness() -> pl.Expr:
    # The ledger keeps the previous status, not the previous firmness: infer it the way the schema ties them
    # (a rumour is only 'reported'; a letter of intent or an announcement that became definitive was 'announced').
    return (pl.when(pl.col("previous_status") == "rumored").then(pl.lit("reported"))
            .when(pl.col("previous_status").is_in(["letter_of_intent", "announced"])
                  & (pl.col("firmness") == "definitive")).then(pl.lit("announced"))
            .otherwise(pl.col("firmness")))


def _members(rows: pl.DataFrame, deal_filter: DealFilter, side: str) -> pl.DataFrame:
    frames = pl.collect_all([t.rows.select("deal_id", "amount", total=pl.lit(t.label), unit=pl.lit(t.unit))
                             for t in headline_totals(rows, deal_filter)])
    return (pl.concat(frames) if frames else pl.DataFrame(schema={"deal_id": pl.String, "amount": pl.Float64,
                                                                  "total": pl.String, "unit": pl.String})
            ).rename({"amount": side}).with_columns(pl.lit(True).alias(f"counted_{side}"))


def effect_on_totals(news: pl.DataFrame, deal_filter: DealFilter) -> pl.DataFrame:
    """For each deal of `deal_news` and each headline total that counts it now or counted it before: the amount
    before and now (null: counted with no disclosed figure) and `change` = now - before (undisclosed adds 0)."""
    columns = [c for c in news.columns if c not in ("event", "event_date", "is_new")]
    now_rows = news.select(columns)
    before_rows = (news.filter(~pl.col("is_new") & (pl.col("event") == CHANGED))
                   .with_columns(status=pl.col("previous_status"), firmness=_previous_firmness())
                   .select(columns))
    return effect_between(before_rows, now_rows, deal_filter)


def as_first_recorded(deals: pl.DataFrame) -> pl.DataFrame:
    """Deals as they were before their status change (previous status and the firmness it implies): what a deal
    was when it entered the ledger, for the change feed's "deal added" entries."""
    changed = pl.col("previous_status").is_not_null()
    return deals.with_columns(firmness=pl.when(changed).then(_previous_firmness()).otherwise(pl.col("firmness")),
                              status=pl.when(changed).then(pl.col("previous_status")).otherwise(pl.col("status")))


def effect_between(before_rows: pl.DataFrame, now_rows: pl.DataFrame, deal_filter: DealFilter) -> pl.DataFrame:
    """The headline totals over `before_rows` and over `now_rows` (the same deals before and after a change; a
    deal absent from `before_rows` is new), total by total: EFFECT_COLUMNS, `change` = now - before."""
    now = _members(now_rows, deal_filter, "now")
    before = _members(before_rows, deal_filter, "before")
    return (now.join(before, on=["deal_id", "total", "unit"], how="full", coalesce=True)
            .with_columns(pl.col("counted_now", "counted_before").fill_null(False))
            .with_columns(change=pl.col("now").fill_null(0.0) - pl.col("before").fill_null(0.0))
            .select(EFFECT_COLUMNS))


def not_counted_reason(deal_filter: DealFilter) -> pl.Expr:
    """Why a deal is in no headline total under this filter, in a few words (first reason that applies)."""
    tier_words = {"definitive": "definitive", "announced": "announced", "reported": "reported only"}
    firmness = pl.col("firmness").replace_strict(tier_words, default=pl.col("firmness"))
    # untranslated: the reasons are keys, which the Overview (views/overview.py _not_counted) says in whole sentences
    return (pl.when(~pl.col("counts_in_totals") & pl.lit(not deal_filter.include_overlaps))
            .then(pl.lit("overlaps a row counted elsewhere"))  # untranslated: a key (above)
            .when(pl.col("status").is_in(NOT_COMMITTED)).then(pl.col("status"))
            .when(~pl.col("firmness").is_in(list(deal_filter.tiers))).then(firmness)
            .when((pl.col("layer") == "resale") & pl.lit(not deal_filter.provider_side))
            .then(pl.lit("a provider's own purchase"))  # untranslated: a key (above)
            .when(pl.col("layer").is_in(["power", "manufacturing"])).then(pl.col("layer") + pl.lit(" deal"))
            .when(pl.col("status").is_in(NOT_BUILDING)).then(pl.col("status"))
            .otherwise(pl.lit("outside the headline layers")))  # untranslated: a key (above)

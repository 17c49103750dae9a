"""Commitments over time: cumulative sums, contract terms and the annual spend schedule.

The spend schedule is the series the Gap page builds on, so its assumptions live here, once:
- a deal's money is spread evenly (straight-line) over its term, as no deal publishes a payment profile;
- the term runs from start_year (else the announcement year) to end_year; without an end_year, over the
  reported term_years; without either, over `default_term_years` (an assumption the page states);
- only commitments count (not equity, not cancelled), and only disclosed values: an undisclosed deal
  cannot be scheduled and is reported as such, never as zero.
"""
from __future__ import annotations

from typing import Literal

import polars as pl

from compute_ledger.analysis.metrics import POWER, is_commitment

Period = Literal["year", "quarter"]
Measure = Literal["usd", "gw"]
# untranslated: the rows' machine-readable words for how a term was known (shown via term_basis_words in charts)
TERM_REPORTED, TERM_FROM_LENGTH, TERM_ASSUMED = "reported start and end", "reported length", "assumed length"
DEFAULT_TERM_YEARS = 5
MEASURE_COLUMN = {"usd": "value_usd_bn", "gw": "capacity_gw", "deals": "deal_count"}


TERM_BASES = (TERM_REPORTED, TERM_FROM_LENGTH, TERM_ASSUMED)


def _term_years(default_term_years: int) -> dict[str, pl.Expr]:
    """first_year, last_year and term_code (an index into TERM_BASES) of each deal's term."""
    start = pl.coalesce(pl.col("start_year"), pl.col("announced").dt.year().cast(pl.Int64))
    return {
        "first_year": start,
        "last_year": (
            pl.when(pl.col("end_year").is_not_null()).then(pl.max_horizontal(pl.col("end_year"), start))
            .when(pl.col("term_years").is_not_null()).then(start + pl.col("term_years") - 1)
            .otherwise(start + default_term_years - 1)
        ),
        "term_code": (pl.when(pl.col("end_year").is_not_null()).then(0)
                      .when(pl.col("term_years").is_not_null()).then(1).otherwise(2).cast(pl.UInt8)),
    }


def _term_basis_from_code(bases: tuple[str, str, str] = TERM_BASES) -> pl.Expr:
    return pl.col("term_code").replace_strict(dict(enumerate(bases)), return_dtype=pl.String).alias("term_basis")


def deal_terms(deals: pl.DataFrame, default_term_years: int = DEFAULT_TERM_YEARS,
               bases: tuple[str, str, str] = TERM_BASES) -> pl.DataFrame:
    """First and last year of each deal's term, and how that was known (see the module docstring), in the words
    `bases` gives for TERM_BASES (a page passes the reader's language's: labelled once, not relabelled after)."""
    return (deals.with_columns(**_term_years(default_term_years)).with_columns(_term_basis_from_code(bases))
            .drop("term_code"))


def _period_start(period: Period) -> pl.Expr:
    if period == "year":
        return pl.date(pl.col("year"), 1, 1)
    return pl.date(pl.col("year"), (pl.col("quarter") - 1) * 3 + 1, 1)


def annual_spend_schedule(deals: pl.DataFrame, default_term_years: int = DEFAULT_TERM_YEARS,
                          period: Period = "year",
                          by: tuple[str, ...] = ("deal_id", "buyer_id", "provider_id")) -> pl.DataFrame:
    """What falls due each period (USD bn), per `by` group: by default one row per deal and period.

    A USD 70B deal over 2024-2030 gives USD 10B a year, or USD 2.5B a quarter. Deals sharing a group and a
    term are added up before the years are spread out, so a coarse `by` (a provider, a buyer) stays fast at
    a million deals.
    """
    keys = list(dict.fromkeys(by))
    scheduled = (
        deals.lazy().filter(is_commitment() & (pl.col("value_usd_bn") > 0))
        .with_columns(**_term_years(default_term_years))
        # Grouped on a small code, labelled after: a text label on every one of a million rows costs a third more.
        .group_by(*keys, "first_year", "last_year", "term_code")
        .agg(pl.col("value_usd_bn").sum())
        .with_columns(_term_basis_from_code())
        .collect()
        .with_columns(year=pl.int_ranges(pl.col("first_year"), pl.col("last_year") + 1))
        .with_columns(spend_usd_bn=pl.col("value_usd_bn") / pl.col("year").list.len())
        .explode("year")
    )
    if period == "quarter":
        scheduled = (scheduled.with_columns(quarter=pl.lit([1, 2, 3, 4])).explode("quarter")
                     .with_columns(pl.col("spend_usd_bn") / 4))
    else:
        scheduled = scheduled.with_columns(quarter=pl.lit(None, dtype=pl.Int64))
    return scheduled.select(
        *keys, "year", "quarter", _period_start(period).alias("period"), "spend_usd_bn", "value_usd_bn", "term_basis",
    ).sort("period", *keys)


def scheduled_deals(deals: pl.DataFrame, default_term_years: int = DEFAULT_TERM_YEARS,
                    bases: tuple[str, str, str] = TERM_BASES) -> pl.DataFrame:
    """One row per deal the schedule spreads: its years and how its term was known, for the sources table
    (in the deals' own order: sorting a million rows for a table that shows the first few would waste time)."""
    return deal_terms(deals.filter(is_commitment() & (pl.col("value_usd_bn") > 0)), default_term_years, bases)


def unscheduled_count(deals: pl.DataFrame) -> int:
    """How many commitments the schedule cannot place because their value is undisclosed."""
    return deals.lazy().filter(is_commitment() & pl.col("value_usd_bn").is_null()).select(pl.len()).collect().item()


def spend_by_period(schedule: pl.DataFrame, by: str) -> pl.DataFrame:
    return schedule.group_by("period", by).agg(pl.col("spend_usd_bn").sum()).sort("period", by)


def cumulative_commitments(deals: pl.DataFrame, by: str | list[str], measure: Measure = "usd",
                           period: Period = "quarter", rows_are_commitments: bool = False) -> pl.DataFrame:
    """Running total of commitments by announcement period for each `by` group (filled for every period,
    so stacked areas do not break). Only disclosed values; GW leave out power deals.

    `rows_are_commitments` skips the commitment filter for callers that chose the rows themselves.
    """
    keys = [by] if isinstance(by, str) else list(by)
    column = MEASURE_COLUMN[measure]
    keep = pl.col(column).is_not_null()
    if not rows_are_commitments:
        keep = keep & is_commitment()
    if measure == "gw":
        keep = keep & (pl.col("deal_type") != POWER)
    # Grouped on year and quarter numbers, dated after: cheaper than truncating a million dates.
    quarter = pl.lit(1) if period == "year" else pl.col("announced").dt.quarter()
    per_period = (deals.lazy().filter(keep)
                  .group_by(pl.col("announced").dt.year().alias("year"), quarter.alias("quarter"), *keys)
                  .agg(added=pl.col(column).sum())
                  .select(pl.date("year", (pl.col("quarter") - 1) * 3 + 1, 1).alias("period"), *keys, "added")
                  .collect())
    if per_period.is_empty():
        return pl.DataFrame(schema={"period": pl.Date, **{k: pl.String for k in keys}, "added": pl.Float64,
                                    "cumulative": pl.Float64})
    periods = pl.date_range(per_period["period"].min(), per_period["period"].max(),
                            "1y" if period == "year" else "1q", eager=True).alias("period").to_frame()
    # Every group gets every period, in date order, so the running sum needs no sort of its own.
    grid = per_period.select(keys).unique().join(periods, how="cross")
    return (
        grid.join(per_period, on=[*keys, "period"], how="left", maintain_order="left")
        .with_columns(pl.col("added").fill_null(0.0))
        .with_columns(cumulative=pl.col("added").cum_sum().over(keys))
        .sort("period", *keys)
    )


def key_events(deals: pl.DataFrame, milestones: pl.DataFrame) -> pl.DataFrame:
    """Rows the data marks as key events (a `headline`), dated, for annotating timelines: one row per distinct date
    and headline, however many rows repeat it (copies of a deal, an upload of the same deal), in date order.
    Milestones that are still targets (a future deadline) are not events yet."""
    return (
        pl.concat([
            deals.lazy().filter(pl.col("headline").is_not_null())
            .select(date="announced", label="headline", row_id="deal_id", source_url="source_url"),
            milestones.lazy().filter(pl.col("headline").is_not_null() & ~pl.col("stage").is_in(["target", "planned"]))
            .select(date="date", label="headline", row_id="milestone_id", source_url="source_url"),
        ])
        # The first row (by id) of each distinct event stands for it, so its source link is the same on every run.
        .sort("row_id")
        .unique(["date", "label"], keep="first", maintain_order=True)
        .sort("date", "label")
        .collect()
    )


def group_labels(deals: pl.DataFrame, names: dict[str, str], by: str, keep: int, other: str) -> pl.Expr:
    """The display label of each deal's `by` column ("provider_id", "buyer_id"): its company name for the `keep`
    largest by committed value (then by number of commitments), else `other (n)` for all the rest together, so a
    chart has at most keep + 1 colours however many companies the data holds. Two or more are folded, or none."""
    ranked = (deals.lazy().group_by(by)
              .agg(value=pl.col("value_usd_bn").filter(is_commitment()).sum(), deals=is_commitment().sum())
              .sort(["value", "deals", by], descending=[True, True, False])
              .collect()[by].to_list())
    name = pl.col(by).replace_strict(names, default=pl.col(by), return_dtype=pl.String)
    if len(ranked) <= keep + 1:
        return name
    return pl.when(pl.col(by).is_in(ranked[:keep])).then(name).otherwise(pl.lit(f"{other} ({len(ranked) - keep})"))


def contract_terms(deals: pl.DataFrame, bases: tuple[str, str, str] = TERM_BASES) -> pl.DataFrame:
    """Deals whose term is known (reported end, or reported length), as Gantt bars from 1 Jan to 31 Dec.

    In the deals' own order: callers pick and sort the few bars they draw."""
    known = deals.filter((pl.col("deal_type") != "equity_investment")
                         & (pl.col("end_year").is_not_null() | pl.col("term_years").is_not_null()))
    return deal_terms(known, bases=bases).with_columns(bar_start=pl.date(pl.col("first_year"), 1, 1),
                                          bar_end=pl.date(pl.col("last_year"), 12, 31))


def largest(deals: pl.DataFrame, limit: int, by: str = "value_usd_bn") -> tuple[pl.DataFrame, int]:
    """At most `limit` rows for a per-deal chart: the largest by `by` (undisclosed last), and how many were left out.

    A browser cannot draw a million markers usefully; the aggregate charts still count every row."""
    if deals.height <= limit:
        return deals, 0
    # top_k, not a full sort: picking 1,500 of a million rows is far cheaper than ordering them all. Ties (values
    # repeat at scale) go by deal_id, so the same rows are drawn on every run.
    return (deals.top_k(limit, by=[pl.col(by).fill_null(float("-inf")), "deal_id"], reverse=[False, True]),
            deals.height - limit)

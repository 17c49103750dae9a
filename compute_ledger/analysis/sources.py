"""How well the numbers are sourced (issue 25): each headline total split by what backs its rows, the rows the source
rule covers that still rest on a single report, and one row's citations. Pure Polars, no Streamlit.

A row's `source_strength` is written by the build from its citations (data/citations.py): company_or_filing (a
company or filing page supports the figure), corroborated (two or more publishers, one of them a major outlet or
trade press, agree on it), single_report (anything less). Rows from files published before that column existed (an
analyst's upload, older data) have none: they are counted as "not recorded", so the shares still add up to 100 %.
"""
from __future__ import annotations

import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.data.citations import covered_by_rule
from compute_ledger.data.schema import SOURCE_STRENGTHS
from compute_ledger.i18n import t, tn

NOT_RECORDED = "not_recorded"
STRENGTHS = (*SOURCE_STRENGTHS, NOT_RECORDED)

CITATION_COLUMNS = ("is_primary", "publisher", "kind", "title", "url", "published", "supports", "first_reported_by",
                    "note")


def _strength() -> pl.Expr:
    return pl.col("source_strength").fill_null(NOT_RECORDED)


def strength_sums(rows: pl.DataFrame | pl.LazyFrame, amount: str = "amount") -> pl.LazyFrame:
    """The query behind `strength_shares`: the amount and rows per source strength (only the strengths present)."""
    frame = rows.lazy()
    if "source_strength" not in frame.collect_schema().names():
        frame = frame.with_columns(source_strength=pl.lit(None, pl.String))
    return frame.group_by(strength=_strength()).agg(amount=pl.col(amount).fill_null(0.0).sum().cast(pl.Float64),
                                                    rows=pl.len().cast(pl.Int64))


def shares_of(sums: pl.DataFrame) -> pl.DataFrame:
    """`strength_sums`' result as shares, strongest first: every strength has a row, "not recorded" only when some
    rows have none; the shares add up to 1 whenever the whole is above zero."""
    order = pl.DataFrame({"strength": STRENGTHS, "_order": range(len(STRENGTHS))})
    whole = sums["amount"].sum()
    return (order.join(sums, on="strength", how="left")
            .with_columns(pl.col("amount").fill_null(0.0), pl.col("rows").fill_null(0))
            .filter((pl.col("strength") != NOT_RECORDED) | (pl.col("rows") > 0))
            .with_columns(share=pl.col("amount") / whole if whole > 0 else pl.lit(0.0))
            .sort("_order").drop("_order"))


def strength_shares(rows: pl.DataFrame | pl.LazyFrame, amount: str = "amount") -> pl.DataFrame:
    """The `amount` of the rows (a total's rows: their USD bn or GW) per source strength, strongest first: amount,
    share of the whole and rows. Undisclosed amounts add nothing, as in the total."""
    return shares_of(strength_sums(rows, amount).collect())


def strength_shares_of_totals(totals) -> list[pl.DataFrame]:
    """`strength_shares` of several totals' rows, their queries run side by side in one batch."""
    return [shares_of(sums) for sums in pl.collect_all([strength_sums(total.rows) for total in totals])]


def single_sourced(deals: pl.DataFrame | pl.LazyFrame, milestones: pl.DataFrame | pl.LazyFrame | None = None,
                   limit: int | None = None) -> pl.DataFrame:
    """The rows the source rule covers (deals of USD 10 bn or 1 GW and more, milestones of 1 GW and more) that rest
    on a single report, with the reason recorded: largest value first, then largest GW, then id. The maintainers'
    to-do list."""
    columns = {"table": pl.String, "record_id": pl.String, "date": pl.Date, "what": pl.String, "value_usd_bn": pl.Float64,
               "capacity_gw": pl.Float64, "source_publisher": pl.String, "source_kind": pl.String,
               "citation_count": pl.Int64, "first_reported_by": pl.String, "single_source_reason": pl.String,
               "source_url": pl.String}
    parts = []
    for table, frame, key, date, what in (("deals", deals, "deal_id", "announced", "description"),
                                          ("milestones", milestones, "milestone_id", "date", "site")):
        if frame is None or "source_strength" not in frame.lazy().collect_schema().names():
            continue
        lazy = frame.lazy()
        if table == "milestones":
            lazy = lazy.with_columns(value_usd_bn=pl.lit(None, pl.Float64))
        parts.append(lazy.filter(covered_by_rule(table) & (pl.col("source_strength") == "single_report"))
                     .select(table=pl.lit(table), record_id=pl.col(key), date=pl.col(date), what=pl.col(what),
                             **{c: pl.col(c) for c in list(columns)[4:]}))
    if not parts:
        return pl.DataFrame(schema=columns)
    ordered = pl.concat(parts).sort(["value_usd_bn", "capacity_gw", "record_id"], descending=[True, True, False],
                                    nulls_last=True)
    return (ordered.head(limit) if limit is not None else ordered).collect()


def credit(row) -> str:
    """Who backs a row, in words: 'Reuters (major outlet) · 3 citations · first reported by The Wall Street Journal'.
    Empty when the row has no citation summary (data published before citations existed). `row` is a mapping."""
    publisher, kind, count = row.get("source_publisher"), row.get("source_kind"), row.get("citation_count")
    first = row.get("first_reported_by")
    if publisher is None and count is None:
        return ""
    who = publisher or t("unknown publisher")
    parts = [f"{who} ({fmt.word(kind)})" if kind else who]
    if count is not None:
        parts.append(tn("{n} citation", "{n} citations", count, n=fmt.count(count)))
    if first and first != publisher:
        parts.append(t("first reported by {name}", name=first))
    return " · ".join(parts)


def citations_of(citations: pl.DataFrame | None, record_table: str, record_id: str) -> pl.DataFrame:
    """Every page that backs one row: its primary first, then the newest; empty when the ledger has no citations."""
    if citations is None:
        return pl.DataFrame(schema={c: pl.String for c in CITATION_COLUMNS})
    return (citations.filter((pl.col("record_table") == record_table) & (pl.col("record_id") == record_id))
            .sort(["is_primary", "published", "url"], descending=[True, True, False], nulls_last=True)
            .select(CITATION_COLUMNS))

"""The Data page's explorer: which rows of each table the shared filter and a text search keep."""
from __future__ import annotations

import re

import polars as pl

from compute_ledger.analysis.filters import DealFilter, deal_filter_expr

SEARCHED_COLUMNS = {"deals": ("description", "chips", "source_title"), "milestones": ("description", "site", "program"),
                    "financials": ("description", "metric", "estimator"), "companies": ("name", "company_id"),
                    "citations": ("title", "publisher", "first_reported_by", "record_id", "note"),
                    "publishers": ("host", "publisher", "note")}
# Tables the company choice of the filter does not narrow: their rows name no company.
UNFILTERED = ("citations", "publishers", "dataset")


def kept_by_filter(name: str, deal_filter: DealFilter | None) -> pl.Expr:
    """Which rows of table `name` the shared filter keeps: deals take the whole filter; the other tables take the
    buyer (and provider) choice as companies."""
    if deal_filter is None or name in UNFILTERED:
        return pl.lit(True)
    if name == "deals":
        return deal_filter_expr(deal_filter)
    if name == "companies":
        chosen = list(deal_filter.buyers + deal_filter.providers)
        return pl.col("company_id").is_in(chosen) if chosen else pl.lit(True)
    if deal_filter.buyers:
        return pl.col("company_id").is_in(list(deal_filter.buyers))
    return pl.lit(True)


def found_by_search(name: str, columns: list[str], text: str) -> pl.Expr:
    """Rows whose searched text columns contain `text`: case-insensitive (Unicode too), taken literally, not as a
    pattern (the text is escaped; `(?i)` asks the regex engine to ignore case instead of lower-casing every cell)."""
    needle = text.strip()
    searched = [c for c in SEARCHED_COLUMNS.get(name, ()) if c in columns]
    if not needle or not searched:
        return pl.lit(True)
    pattern = "(?i)" + re.escape(needle)
    return pl.any_horizontal(pl.col(c).str.contains(pattern).fill_null(False) for c in searched)


def explorer_rows(name: str, frame: pl.DataFrame, deal_filter: DealFilter | None, text: str) -> pl.DataFrame:
    """The rows the explorer lists: the shared filter and the text search, in one pass over the table."""
    return frame.filter(kept_by_filter(name, deal_filter) & found_by_search(name, frame.columns, text))

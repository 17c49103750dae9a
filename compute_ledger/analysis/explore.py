"""The Data page's explorer: which rows of each table the shared filter and a text search keep."""
from __future__ import annotations

import polars as pl

from compute_ledger.analysis.filters import DealFilter, apply_deal_filter

SEARCHED_COLUMNS = {"deals": ("description", "chips", "source_title"), "milestones": ("description", "site", "program"),
                    "financials": ("description", "metric", "estimator"), "companies": ("name", "company_id")}


def filtered_table(name: str, frame: pl.DataFrame, deal_filter: DealFilter | None) -> pl.DataFrame:
    """Deals take the whole filter; the other tables take the buyer (and provider) choice as companies."""
    if deal_filter is None:
        return frame
    if name == "deals":
        return apply_deal_filter(frame, deal_filter)
    if name == "companies":
        chosen = list(deal_filter.buyers + deal_filter.providers)
        return frame.filter(pl.col("company_id").is_in(chosen)) if chosen else frame
    if deal_filter.buyers:
        return frame.filter(pl.col("company_id").is_in(list(deal_filter.buyers)))
    return frame


def search(frame: pl.DataFrame, name: str, text: str) -> pl.DataFrame:
    """Rows whose text columns contain `text` (case-insensitive, taken literally, not as a pattern)."""
    needle = text.strip().lower()
    if not needle:
        return frame
    columns = [c for c in SEARCHED_COLUMNS.get(name, ()) if c in frame.columns]
    return frame.filter(pl.any_horizontal(pl.col(c).str.to_lowercase().str.contains(needle, literal=True).fill_null(False)
                                          for c in columns))

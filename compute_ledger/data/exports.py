"""Downloads: filtered rows as spreadsheet-safe CSV and as Parquet."""
from __future__ import annotations

import io

import polars as pl

# OWASP CSV injection: a cell starting with one of these can run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix risky text cells with a single quote so spreadsheets show them as text.

    Only text columns change: numbers (negative ones included) stay numbers."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    risky = r"^[=+\-@\t\r]"
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(risky)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c in text_columns
    )


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV has no lists: join list columns with '; '."""
    return frame.with_columns(pl.col(n).cast(pl.List(pl.String)).list.join("; ")
                              for n, t in frame.schema.items() if isinstance(t, pl.List))


def csv_bytes(frame: pl.DataFrame) -> bytes:
    return spreadsheet_safe(_flat(frame)).write_csv().encode("utf-8")


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()

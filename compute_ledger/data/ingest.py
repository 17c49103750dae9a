"""Turn a raw frame (CSV text, or a parquet file of unknown quality) into one typed to the table's schema.

Every cell that cannot be read as its column's type becomes a Problem naming file, row and column;
nothing is dropped here, so validation sees every row.
"""
from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import polars as pl

from compute_ledger.data.problems import NO_ROW, Problem, shorten
from compute_ledger.data.schema import Table
from compute_ledger.i18n import t_later

CSV_FIRST_ROW = 2  # line 1 is the header
PARQUET_FIRST_ROW = 1

_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")


def _csv_records(source: str | Path | bytes) -> list[tuple[int, bool]]:
    """Each data record of a CSV: the line an editor shows it on (a quoted line break makes a record span lines)
    and whether it is a blank line."""
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    reader = csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"), newline=""))
    records, previous = [], 0
    for record in reader:
        records.append((previous + 1, not record))
        previous = reader.line_num
    return records[1:]  # the header is not a record


def read_csv_text(source: str | Path | bytes) -> pl.DataFrame:
    """Read a CSV with every column as text, so a bad cell is reported instead of failing the whole read. Blank
    lines (an editor's leftover at the end of a file, most often) are no records: the file reads as without them."""
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    frame = pl.read_csv(data, infer_schema=False)
    if frame.width and frame.select(pl.all_horizontal(pl.all().is_null()).any()).item():
        blank = [is_blank for _, is_blank in _csv_records(source)]
        if len(blank) == frame.height:  # the two readers agree on the records: drop exactly the blank lines
            frame = frame.filter(~pl.Series(blank))
    return frame


def editor_lines(problems: list[Problem], source: str | Path) -> list[Problem]:
    """The problems of a CSV file with ROW as the line an editor jumps to (not the record's number), which differ
    after a record with a quoted line break or a blank line."""
    if not any(isinstance(p.row, int) for p in problems):
        return problems
    lines = [line for line, is_blank in _csv_records(source) if not is_blank]
    return [dataclasses.replace(p, row=lines[p.row - CSV_FIRST_ROW])
            if isinstance(p.row, int) and 0 <= p.row - CSV_FIRST_ROW < len(lines) else p for p in problems]


def _parse_text(col: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """The CSV rules: every file format is read as if its cells were CSV text, so parquet and CSV agree."""
    col = col.str.strip_chars()
    col = pl.when(col == "").then(None).otherwise(col)
    if dtype == pl.Boolean:
        low = col.str.to_lowercase()
        return pl.when(low.is_in(_TRUE)).then(True).when(low.is_in(_FALSE)).then(False).otherwise(None)
    if dtype == pl.Date:
        return col.str.to_date("%Y-%m-%d", strict=False)
    if dtype in (pl.Int64, pl.Float64):
        # "2,025" or "1 400" are not numbers we accept; a float-looking year like "2025.0" is, and 5.5 years is not
        # a whole number (never truncated to 5).
        as_float = col.cast(pl.Float64, strict=False)
        if dtype == pl.Int64:
            return pl.when(as_float == as_float.round(0)).then(as_float).otherwise(None).cast(pl.Int64, strict=False)
        return as_float
    return col


def _is_scalar(dtype: pl.DataType) -> bool:
    """Types whose cells have one obvious text form: these are read through the CSV rules."""
    return (dtype == pl.String or dtype == pl.Boolean or dtype == pl.Date or dtype.is_numeric()
            or dtype.base_type() in (pl.Categorical, pl.Enum))


def _parse_expr(name: str, dtype: pl.DataType, current: pl.DataType) -> pl.Expr | None:
    """How a column stored as `current` becomes `dtype`; None when the stored type cannot hold such values
    (a list, a struct, bytes, a duration...): each of its cells is then a problem, never an exception."""
    col = pl.col(name)
    if current == dtype:
        return col
    if dtype == pl.Float64 and current.is_numeric():
        return col.cast(pl.Float64, strict=False)
    if dtype == pl.Int64 and current.is_integer():
        return col.cast(pl.Int64, strict=False)  # a UInt64 beyond Int64 becomes empty, and is reported
    if dtype == pl.Date and current.base_type() == pl.Datetime:
        # A midnight timestamp is a date; any other time of day would be truncated, so it is reported instead.
        return pl.when(col.dt.time() == pl.time(0)).then(col.dt.date()).otherwise(None)
    if _is_scalar(current):
        return _parse_text(col.cast(pl.String), dtype)
    return None


def _type_word(dtype: pl.DataType) -> str:
    words = {pl.Boolean: t_later("true/false"), pl.Date: t_later("a date (YYYY-MM-DD)"),
             pl.Int64: t_later("a whole number"), pl.Float64: t_later("a number"),
             # untranslated: "text" alone would be a catalogue entry matching any bare "text" (a chart's hoverinfo)
             pl.String: "text"}
    return words.get(dtype, str(dtype))


def coerce(table: Table, raw: pl.DataFrame, file: str, first_row: int) -> tuple[pl.DataFrame | None, list[Problem]]:
    """Return the frame typed to `table` (None if its columns are unusable) and the problems met doing so."""
    problems: list[Problem] = []
    present = set(raw.columns)
    for name in sorted(present - set(table.column_names)):
        problems.append(Problem(file, NO_ROW, shorten(name, 40),
                                t_later("unknown column (expected: {columns})", columns=", ".join(table.column_names))))
    # Every column must be there, even one whose cells may be empty: a dropped value_usd_bn would otherwise read as
    # "undisclosed" on every row, and the totals would quietly fall to zero.
    missing = [c for c in table.columns if c.name not in present and not c.may_be_absent]
    for c in missing:
        problems.append(Problem(file, NO_ROW, c.name, t_later("required column is missing") if c.required else
                                t_later("column is missing (its cells may be empty, but the column must be there)")))
    if missing:
        return None, problems

    # Columns a file may predate (the citation summary, a figure's id) read as empty, never as a problem.
    absent = [pl.lit(None, dtype=pl.String).alias(c.name) for c in table.columns if c.name not in present]
    frame = raw.with_columns(absent).select(table.column_names) if absent else raw.select(table.column_names)
    typed_exprs, failed_exprs, stored_as = [], [], {}
    for c in table.columns:
        current = frame.schema[c.name]
        if current == pl.Null:
            typed_exprs.append(pl.lit(None, dtype=c.dtype).alias(c.name))
            continue
        parsed = _parse_expr(c.name, c.dtype, current)
        if parsed is None:
            stored_as[c.name] = current
            parsed = pl.lit(None, dtype=c.dtype)
        typed_exprs.append(parsed.alias(c.name))
        original = pl.col(c.name)
        had_value = original.is_not_null()
        if current == pl.String:
            had_value = had_value & (original.str.strip_chars() != "")
        failed_exprs.append((had_value & parsed.is_null()).alias(c.name))
    failed = frame.select(failed_exprs).with_row_index("_row")
    for c in table.columns:
        if c.name not in failed.columns:
            continue
        rows = failed.filter(pl.col(c.name))["_row"].to_list()
        values = frame[c.name].gather(rows).to_list() if rows else []
        for row, value in zip(rows, values):
            problems.append(Problem(file, row + first_row, c.name, t_later(
                "cannot read '{value}' as {kind} (the file stores this column as {stored})", value=shorten(value),
                kind=_type_word(c.dtype), stored=shorten(stored_as[c.name], 40)) if c.name in stored_as else
                t_later("cannot read '{value}' as {kind}", value=shorten(value), kind=_type_word(c.dtype))))
    return frame.select(typed_exprs), problems

"""Corrections of published figures: `data/sources/corrections.csv`, one row per corrected value.

The changelog (data/CHANGELOG.md) tells each release's story in prose; this file is the part of it a program can
read: the release date that corrected a value, the row (table and id), the column, and the value before and after.
The change feed (brief/feed.py) turns each row into an entry. The build checks the file against the tables before
it writes anything: an unknown table, row or column, a value of the wrong type, or an "after" that is not what the
row now says is a problem naming the file, line and column, like any other data problem.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from compute_ledger.data.problems import NO_COLUMN, NO_ROW, Problem, shorten

FILENAME = "corrections.csv"
SCHEMA = {"corrected": pl.String, "table": pl.String, "row_id": pl.String, "column": pl.String,
          "before": pl.String, "after": pl.String, "note": pl.String}
ID_COLUMNS = {"deals": "deal_id", "milestones": "milestone_id"}  # the tables whose corrections the feed reports
EMPTY = pl.DataFrame(schema={**SCHEMA, "corrected": pl.Date})


def typed(value: str | None, dtype: pl.DataType) -> object:
    """A cell of the file as the column's type (raises ValueError when it is not one)."""
    if value is None or value == "":
        return None
    if dtype == pl.Boolean:
        if value.lower() not in ("true", "false"):
            raise ValueError(f"not true or false: {shorten(value)}")
        return value.lower() == "true"
    if dtype == pl.Date:
        return dt.date.fromisoformat(value)
    if dtype == pl.Float64:
        return float(value)
    if dtype == pl.Int64:
        return int(value)
    return value


def read_corrections(path: Path, tables: Mapping[str, pl.DataFrame]) -> tuple[pl.DataFrame, list[Problem]]:
    """The corrections (`corrected` as a date), and the problems found; no file: none."""
    if not Path(path).exists():
        return EMPTY, []
    name = str(path)
    try:
        raw = pl.read_csv(path, schema=SCHEMA)
    except (pl.exceptions.PolarsError, OSError) as err:
        return EMPTY, [Problem(name, NO_ROW, NO_COLUMN, f"cannot be read: {shorten(err, 200)}")]
    problems = []
    for line, fix in enumerate(raw.iter_rows(named=True), start=2):
        def problem(column: str, message: str) -> None:
            problems.append(Problem(name, line, column, message))
        try:
            dt.date.fromisoformat(fix["corrected"] or "")
        except ValueError:
            problem("corrected", f"not a date (YYYY-MM-DD): {shorten(fix['corrected'])}")
        table = tables.get(fix["table"])
        if fix["table"] not in ID_COLUMNS or table is None:
            problem("table", f"must be one of {', '.join(ID_COLUMNS)}: {shorten(fix['table'])}")
            continue
        if fix["column"] not in table.columns:
            problem("column", f"{fix['table']} has no column {shorten(fix['column'])}")
            continue
        rows = table.filter(pl.col(ID_COLUMNS[fix["table"]]) == fix["row_id"])
        if rows.is_empty():
            problem("row_id", f"no {fix['table']} row {shorten(fix['row_id'])}")
            continue
        dtype = table.schema[fix["column"]]
        try:
            typed(fix["before"], dtype)
            after = typed(fix["after"], dtype)
        except ValueError as err:
            problem("before/after", f"not a value of {fix['column']}: {err}")
            continue
        if rows[fix["column"]].item() != after:
            problem("after", f"{fix['row_id']}.{fix['column']} is now {shorten(rows[fix['column']].item())}, "
                             f"not {shorten(fix['after'])}: a correction's 'after' is what the row says")
    if problems:
        return EMPTY, problems
    return raw.with_columns(pl.col("corrected").str.to_date()), []

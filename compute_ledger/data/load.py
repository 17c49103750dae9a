"""Read the ledger's tables from a folder or a URL prefix, type them and check them.

No Streamlit here: the app wraps `load_ledger` in st.cache_data; the CLI and the tests call it directly.
A broken table never takes the others down: each table is read and checked on its own, and the
Ledger keeps the good ones beside the list of problems.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from compute_ledger.data.manifest import validated_by_build
from compute_ledger.data.ingest import CSV_FIRST_ROW, PARQUET_FIRST_ROW, coerce, read_csv_text
from compute_ledger.data.problems import NO_COLUMN, NO_ROW, Problem, shorten
from compute_ledger.data.schema import TABLE_NAMES, TABLES
from compute_ledger.data.validation import check_references, check_table, sort_problems

ENV_VAR = "LEDGER_DATA"
REPO_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REMOTE_PREFIXES = ("http://", "https://", "s3://", "s3a://", "gs://", "gcs://", "az://", "abfs://", "hf://")


def data_location() -> str:
    """Where the app reads from: $LEDGER_DATA (a folder or URL prefix), else the repo's data/."""
    return os.environ.get(ENV_VAR, "").strip() or str(REPO_DATA_DIR)


def is_remote(location: str) -> bool:
    return location.lower().startswith(REMOTE_PREFIXES)


def table_uri(location: str, name: str, suffix: str = ".parquet") -> str:
    if is_remote(location):
        return f"{location.rstrip('/')}/{name}{suffix}"
    return str(Path(location) / f"{name}{suffix}")


def first_row_for(uri: str) -> int:
    return CSV_FIRST_ROW if uri.lower().endswith(".csv") else PARQUET_FIRST_ROW


def read_raw(uri: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The file as stored (CSV as text), or a Problem saying why it could not be read."""
    if not is_remote(uri) and not Path(uri).exists():
        return None, [Problem(uri, NO_ROW, NO_COLUMN, "file not found")]
    try:
        if uri.lower().endswith(".csv"):
            frame = read_csv_text(uri)
        else:
            # One contiguous chunk (a parquet file arrives in one per row group): sorts, top-k and gathers on a
            # chunked frame cost up to 4x more, on every rerun, while rechunking is paid once, at load.
            frame = pl.scan_parquet(uri).collect().rechunk()
    except Exception as err:  # polars raises many kinds (IO, compute, OS, object-store); all mean "unreadable"
        reason = shorten(str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__, 160)
        return None, [Problem(uri, NO_ROW, NO_COLUMN, f"cannot read the file ({reason})")]
    if frame.height == 0:
        return None, [Problem(uri, NO_ROW, NO_COLUMN, "the file has no rows")]
    return frame, []


def read_tables(uris: Mapping[str, str], prevalidated: set[str] = frozenset()) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """Read, type and check each named table, then the references between them.

    Tables in `prevalidated` (files a validated build wrote, unchanged since) skip the column rules; their
    types and references are still checked. Returns only the tables without problems, plus every problem.
    """
    typed: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    broken: set[str] = set()
    for name, uri in uris.items():
        table = TABLES[name]
        raw, read_problems = read_raw(uri)
        problems += read_problems
        if raw is None:
            broken.add(name)
            continue
        if name in prevalidated and raw.schema == table.polars_schema:
            # A file the validated build wrote, unchanged: typed and trimmed already, nothing to parse.
            typed[name] = raw
            continue
        frame, coerce_problems = coerce(table, raw, uri, first_row_for(uri))
        problems += coerce_problems
        if frame is None:
            broken.add(name)
            continue
        unreadable = frozenset((p.row, p.column) for p in coerce_problems)
        table_problems = coerce_problems + (
            [] if name in prevalidated and not coerce_problems
            else check_table(table, frame, uri, first_row_for(uri), unreadable))
        problems += [p for p in table_problems if p not in coerce_problems]
        if table_problems:
            broken.add(name)
        typed[name] = frame
    reference_problems = check_references(
        typed, dict(uris), {n: first_row_for(u) for n, u in uris.items()}, trusted=set(typed) - broken,
        checked_together=prevalidated,
    )
    problems += reference_problems
    broken |= {name for name, uri in uris.items() if any(p.file == uri for p in reference_problems)}
    return {n: f for n, f in typed.items() if n not in broken}, sort_problems(problems)


@dataclass(frozen=True)
class Ledger:
    """The checked tables of one data location, and what was wrong with the rest."""

    location: str
    tables: dict[str, pl.DataFrame]
    problems: tuple[Problem, ...] = field(default=())

    def has(self, *names: str) -> bool:
        return all(name in self.tables for name in names)

    def missing(self, *names: str) -> list[str]:
        return [name for name in names if name not in self.tables]

    def problems_for(self, *names: str) -> list[Problem]:
        """Problems in the files of the named tables, plus the ones that block them (a broken companies table)."""
        wanted = {table_uri(self.location, n) for n in names}
        if any(n in ("deals", "milestones", "financials") for n in names):
            wanted.add(table_uri(self.location, "companies"))
        return [p for p in self.problems if p.file in wanted]

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]


def load_ledger(location: str | None = None) -> Ledger:
    location = location or data_location()
    prevalidated = set() if is_remote(location) else validated_by_build(Path(location))
    tables, problems = read_tables({name: table_uri(location, name) for name in TABLE_NAMES}, prevalidated)
    return Ledger(location, tables, tuple(problems))

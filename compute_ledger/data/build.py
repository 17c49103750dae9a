"""The one data step: data/sources/*.csv (edited by people) -> data/*.parquet (read by the app).

All or nothing: if any row of any table is invalid, no parquet file is written.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import polars as pl

from compute_ledger.data.citations import read_sources, source_uris
from compute_ledger.data.corrections import FILENAME as CORRECTIONS_FILENAME, read_corrections
from compute_ledger.data.manifest import write_manifest
from compute_ledger.data.problems import Problem
from compute_ledger.data.publish import publish
from compute_ledger.data.schema import PUBLISHED_TABLE_NAMES, TABLES
from compute_ledger.data.validation import check_table

SOURCES_DIRNAME = "sources"
__all__ = ["SOURCES_DIRNAME", "build", "source_uris", "write_table"]


# A further output of the build, written from the validated tables after the published ones (the change feed:
# brief/feed.py, passed in by `python -m compute_ledger build`, as the data step may not import what it needs).
Output = Callable[[Path, Mapping[str, pl.DataFrame]], object]


def build(data_dir: Path, also: Sequence[Output] = ()) -> list[Problem]:
    """Rebuild data_dir/*.parquet from data_dir/sources/*.csv, then the published copies and `also`; return the
    problems (empty = written). The rows get their source_* and citation columns from citations.csv; the result
    is checked against the published schema too (e.g. a financial key that two figures now share)."""
    tables, problems = read_sources(data_dir / SOURCES_DIRNAME)
    if problems:
        return problems
    for name in PUBLISHED_TABLE_NAMES:
        problems += check_table(TABLES[name], tables[name], f"{data_dir / name}.parquet (built)", 1)
    if not problems:
        problems = read_corrections(data_dir / SOURCES_DIRNAME / CORRECTIONS_FILENAME, tables)[1]
    if problems:
        return problems
    # Write every table to a temporary file first, then move them all: a crash mid-way leaves the old set.
    staged: list[tuple[Path, Path]] = []
    for name in PUBLISHED_TABLE_NAMES:
        target = data_dir / f"{name}.parquet"
        with tempfile.NamedTemporaryFile(dir=data_dir, suffix=".parquet.tmp", delete=False) as tmp:
            write_table(tables[name], Path(tmp.name))
            staged.append((Path(tmp.name), target))
        Path(tmp.name).chmod(0o644)  # temp files are private by default; the data is meant to be read
    for tmp, target in staged:
        tmp.replace(target)
    write_manifest(data_dir)
    publish(data_dir, tables)  # the same validated tables at stable links: static/data/ (CSV, Parquet, datapackage.json)
    for output in also:
        output(data_dir, tables)
    return []


def write_table(frame: pl.DataFrame, path: Path) -> None:
    """One row group: the app then reads the table back as one contiguous chunk. Several row groups arrive as
    several chunks, which the loader must copy into one (at a million deals, as long as the read itself)."""
    frame.write_parquet(path, statistics=True, row_group_size=max(frame.height, 1))

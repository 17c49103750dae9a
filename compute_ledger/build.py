"""The one data step: data/sources/*.csv (edited by people) -> data/*.parquet (read by the app).

All or nothing: if any row of any table is invalid, no parquet file is written.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import polars as pl

from compute_ledger.load import read_tables
from compute_ledger.problems import Problem
from compute_ledger.schema import TABLE_NAMES

SOURCES_DIRNAME = "sources"
MANIFEST = "manifest.json"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def validated_by_build(data_dir: Path) -> set[str]:
    """Tables whose parquet file is byte for byte what a validated build wrote (per the build's manifest)."""
    return set(vouched_hashes(data_dir))


def vouched_hashes(data_dir: Path) -> dict[str, str]:
    """The hash of each table file the build's manifest vouches for (unchanged since it was validated)."""
    manifest_path = data_dir / MANIFEST
    if not manifest_path.is_file():
        return {}
    try:
        manifest = json.loads(manifest_path.read_text())["tables"]
    except (ValueError, KeyError, TypeError):
        return {}
    return {name: entry["sha256"] for name, entry in manifest.items()
            if isinstance(entry, dict) and (data_dir / f"{name}.parquet").is_file()
            and entry.get("sha256") == file_sha256(data_dir / f"{name}.parquet")}


def source_uris(sources_dir: Path) -> dict[str, str]:
    return {name: str(sources_dir / f"{name}.csv") for name in TABLE_NAMES}


def build(data_dir: Path) -> list[Problem]:
    """Rebuild data_dir/*.parquet from data_dir/sources/*.csv; return the problems (empty = written)."""
    tables, problems = read_tables(source_uris(data_dir / SOURCES_DIRNAME))
    if problems:
        return problems
    # Write every table to a temporary file first, then move them all: a crash mid-way leaves the old set.
    staged: list[tuple[Path, Path]] = []
    for name in TABLE_NAMES:
        target = data_dir / f"{name}.parquet"
        with tempfile.NamedTemporaryFile(dir=data_dir, suffix=".parquet.tmp", delete=False) as tmp:
            write_table(tables[name], Path(tmp.name))
            staged.append((Path(tmp.name), target))
        Path(tmp.name).chmod(0o644)  # temp files are private by default; the data is meant to be read
    for tmp, target in staged:
        tmp.replace(target)
    write_manifest(data_dir)
    write_overview(data_dir)
    return []


def write_table(frame: pl.DataFrame, path: Path) -> None:
    """One row group: the app then reads the table back as one contiguous chunk. Several row groups arrive as
    several chunks, which the loader must copy into one (at a million deals, as long as the read itself)."""
    frame.write_parquet(path, statistics=True, row_group_size=max(frame.height, 1))


def write_manifest(data_dir: Path) -> None:
    """Record the hash of each parquet file just validated, so the app can skip validating it again.

    Call it only right after the files passed validation (the build does; so do the benchmarks)."""
    manifest = {"tables": {name: {"sha256": file_sha256(data_dir / f"{name}.parquet")} for name in TABLE_NAMES}}
    (data_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def write_overview(data_dir: Path) -> None:
    """Store the unfiltered Overview beside the tables the manifest has just vouched for (read back as the app
    reads them), so the app's first page does not have to read every deal to show it."""
    from compute_ledger.load import load_ledger
    from compute_ledger.overview import write_stored_view

    write_stored_view(data_dir, load_ledger(str(data_dir)).tables)

"""Command line: `python -m compute_ledger build` and `python -m compute_ledger validate [PATH]`."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from compute_ledger.data.build import SOURCES_DIRNAME, Output, build
from compute_ledger.data.citations import read_sources
from compute_ledger.data.load import (
    REPO_DATA_DIR, EXPECTED_FILES, data_location, is_remote, location_problem, read_provenance, read_tables, table_uri,
)
from compute_ledger.data.problems import NO_COLUMN, NO_ROW, Problem
from compute_ledger.data.schema import PUBLISHED_TABLE_NAMES, TABLE_NAMES, TABLES

CITATIONS_CSV = "citations.csv"


def _is_sources_folder(folder: str) -> bool:
    """A folder people edit (rows, citations.csv, publishers.csv), as opposed to one the build wrote."""
    return not is_remote(folder) and (Path(folder) / CITATIONS_CSV).is_file()


def _tables_in_folder(folder: str) -> dict[str, str]:
    """Each table's file in a folder: parquet if present, else CSV."""
    if is_remote(folder):
        return {name: table_uri(folder, name) for name in TABLE_NAMES}
    uris = {}
    for name in TABLE_NAMES:
        parquet, csv = Path(folder) / f"{name}.parquet", Path(folder) / f"{name}.csv"
        uris[name] = str(csv) if csv.exists() and not parquet.exists() else str(parquet)
    return uris


def _check_folder(folder: str) -> tuple[dict, list[Problem]]:
    if _is_sources_folder(folder):
        return read_sources(Path(folder))
    tables, problems = read_tables(_tables_in_folder(folder))
    extra, extra_problems = read_provenance(folder)
    return {**tables, **extra}, problems + extra_problems


def validate_location(location: str) -> tuple[list[Problem], int]:
    """What the app would find at `location` ($LEDGER_DATA): the same files and the same problems, every rule
    checked (the app skips the rules for files a validated build wrote). A folder's sources/ CSVs, the build's
    input, are checked too, as `validate FOLDER` does."""
    wrong = location_problem(location)
    if wrong:
        return [wrong], 0
    tables, problems = read_tables({name: table_uri(location, name) for name in TABLE_NAMES})
    extra, extra_problems = read_provenance(location)
    problems += extra_problems
    rows = sum(t.height for t in [*tables.values(), *extra.values()])
    sources = Path(location) / SOURCES_DIRNAME
    if not is_remote(location) and sources.is_dir():
        tables, found = _check_folder(str(sources))
        problems += found
        rows += sum(t.height for t in tables.values())
    return problems, rows


def validate_path(path: str) -> tuple[list[Problem], int]:
    """Problems found at `path` (a data folder, a sources folder or one file) and the number of rows checked."""
    target = Path(path)
    if not is_remote(path) and target.is_file() or path.lower().endswith((".csv", ".parquet")):
        stem = Path(path).name.rsplit(".", 1)[0]
        if stem in TABLES and _is_sources_folder(str(Path(path).parent)):
            # A file of data/sources/ is checked with its folder: its rows need their citations, and they their rows.
            tables, problems = read_sources(Path(path).parent)
            return problems, tables[stem].height if stem in tables else 0
        if stem not in TABLES:
            return [Problem(path, NO_ROW, NO_COLUMN,
                            f"cannot tell the table from the file name (expected one of: {', '.join(PUBLISHED_TABLE_NAMES)})")], 0
        # References are checked against the companies table beside the file, else the repo's.
        uris = {stem: path}
        if stem != "companies":
            sibling = Path(path).with_name("companies" + Path(path).suffix)
            uris["companies"] = str(sibling) if sibling.exists() else table_uri(str(REPO_DATA_DIR), "companies")
        tables, problems = read_tables(uris)
        return problems, tables[stem].height if stem in tables else 0
    if not is_remote(path) and not target.is_dir():
        return [Problem(path, NO_ROW, NO_COLUMN, "no such file or folder")], 0
    problems, rows = [], 0
    folders = [path]
    if not is_remote(path) and (target / SOURCES_DIRNAME).is_dir():
        folders.append(str(target / SOURCES_DIRNAME))
    for folder in folders:
        tables, found = _check_folder(folder)
        problems += found
        rows += sum(t.height for t in tables.values())
    return problems, rows


def main(argv: list[str] | None = None, outputs: Sequence[Output] = ()) -> int:
    """`outputs`: what `build` writes besides the tables (the change feed, from `compute_ledger.__main__`)."""
    parser = argparse.ArgumentParser(prog="python -m compute_ledger", description="Build and check the ledger's data.")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="rebuild data/*.parquet from data/sources/*.csv (all or nothing)")
    build_cmd.add_argument("--data-dir", default=str(REPO_DATA_DIR), help="data folder holding sources/ (default: the repo's data/)")
    check_cmd = commands.add_parser("validate", help="check a data folder or one CSV/parquet file")
    check_cmd.add_argument("path", nargs="?", default=None,
                           help="folder or file to check (default: what the app reads, $LEDGER_DATA or data/: a folder "
                                "or URL prefix holding the four tables' parquet files)")
    args = parser.parse_args(argv)

    if args.command == "build":
        problems = build(Path(args.data_dir), also=outputs)
        for problem in problems:
            print(problem)
        if problems:
            print(f"build failed: {len(problems)} problem(s); no parquet file was written", file=sys.stderr)
            return 1
        print(f"built {len(PUBLISHED_TABLE_NAMES)} tables into {args.data_dir}" + (" and the change feeds" if outputs else ""))
        return 0

    path = args.path or data_location()
    problems, rows = validate_path(path) if args.path else validate_location(path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    one_file = location_problem(path)
    print(f"OK: {rows} rows checked in {path}, no problems"
          + (f" (one table: the app reads a folder or URL prefix holding {EXPECTED_FILES})" if one_file else ""))
    return 0

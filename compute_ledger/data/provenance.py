"""Where the numbers come from: the list of sources, the known conflicts, the dataset's changelog, the counting
methodology.

These files describe the bundled dataset and live in the repository's data/ and docs/ folders.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from compute_ledger.data.load import REPO_DATA_DIR
from compute_ledger.i18n import DEFAULT_LANGUAGE, t

CONFLICTS_FILE = "conflicts.csv"
CHANGELOG_FILE = "CHANGELOG.md"
# How the headline numbers are counted: the README carries the same text (a test keeps the two identical).
METHODOLOGY_FILE = REPO_DATA_DIR.parent / "docs" / "methodology.md"


SOURCE_COLUMNS = {"source_title": pl.String, "source_url": pl.String, "source_date": pl.Date,
                  "source_kind": pl.String}


def cited_rows(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per sourced row of every table: its source and the table it is in (empty when nothing loaded)."""
    return pl.concat(
        [frame.select(*SOURCE_COLUMNS).with_columns(table=pl.lit(name))
         for name, frame in tables.items() if set(SOURCE_COLUMNS) <= set(frame.columns)],
        how="vertical_relaxed",
    ) if any(set(SOURCE_COLUMNS) <= set(f.columns) for f in tables.values()) else pl.DataFrame(
        schema={**SOURCE_COLUMNS, "table": pl.String})


def source_list(tables: Mapping[str, pl.DataFrame], kinds: tuple[str, ...] = ()) -> pl.DataFrame:
    """Every cited page once, most cited first: its title, publisher, kind, who first reported it, and how many rows
    of which tables it backs (as primary or not). With `kinds`, only pages of those kinds. From the citations table
    when the ledger has one; else from the rows' own source columns (data published before citations existed)."""
    citations = tables.get("citations")
    if citations is None:
        return _source_list_from_rows(tables, kinds)
    if kinds:
        citations = citations.filter(pl.col("kind").is_in(list(kinds)))
    return (
        citations.group_by("url")
        .agg(source_title=pl.col("title").drop_nulls().first(), source_date=pl.col("published").max(),
             source_publisher=pl.col("publisher").first(), source_kind=pl.col("kind").first(),
             first_reported_by=pl.col("first_reported_by").drop_nulls().first(),
             rows=pl.len(), primary_for=pl.col("is_primary").sum(),
             tables=pl.col("record_table").unique().sort().str.join(", "))
        .rename({"url": "source_url"})
        .with_columns(domain=pl.col("source_url").str.extract(r"https?://(?:www\.)?([^/]+)"))
        .sort(["rows", "source_date", "source_url"], descending=[True, True, False], nulls_last=True)
    )


def _source_list_from_rows(tables: Mapping[str, pl.DataFrame], kinds: tuple[str, ...]) -> pl.DataFrame:
    cited = cited_rows(tables)
    if kinds:
        cited = cited.filter(pl.col("source_kind").is_in(list(kinds)))
    return (
        cited.group_by("source_url")
        .agg(pl.col("source_title").first(), pl.col("source_date").max(), rows=pl.len(),
             # One page is normally one kind; two rows that disagree show both, so the slip can be seen.
             source_kind=pl.col("source_kind").unique().sort().str.join(", "),
             tables=pl.col("table").unique().sort().str.join(", "))
        .with_columns(domain=pl.col("source_url").str.extract(r"https?://(?:www\.)?([^/]+)"),
                      source_publisher=pl.lit(None, pl.String), first_reported_by=pl.lit(None, pl.String),
                      primary_for=pl.col("rows"))
        .sort(["rows", "source_date", "source_url"], descending=[True, True, False])
    )


def rows_by_source_kind(tables: Mapping[str, pl.DataFrame]) -> dict[str, int]:
    """How many sourced rows cite each kind of source."""
    return dict(cited_rows(tables).group_by("source_kind").len().iter_rows())


CONFLICT_COLUMNS = ("topic", "what_differs", "how_the_ledger_records_it", "rows")


def known_conflicts(data_dir: Path = REPO_DATA_DIR) -> pl.DataFrame:
    """Where published figures disagree, and what the ledger records (empty if the file is missing)."""
    path = data_dir / CONFLICTS_FILE
    if not path.is_file():
        return pl.DataFrame(schema=dict.fromkeys(CONFLICT_COLUMNS, pl.String))
    return pl.read_csv(path, infer_schema=False)


def changelog(data_dir: Path = REPO_DATA_DIR) -> str:
    path = data_dir / CHANGELOG_FILE
    return path.read_text(encoding="utf-8") if path.is_file() else t("No changelog was found.")


def methodology_file(language: str = DEFAULT_LANGUAGE, path: Path = METHODOLOGY_FILE) -> Path:
    """The methodology in a language: docs/methodology.md (English), docs/methodology.de.md (German), ..."""
    return path if language == DEFAULT_LANGUAGE else path.with_suffix(f".{language}{path.suffix}")


def methodology(language: str = DEFAULT_LANGUAGE, path: Path = METHODOLOGY_FILE) -> str:
    """The counting rules in plain words, below the file's own title (Markdown written by the maintainers), in
    `language` (English when there is no translation of the file)."""
    translated = methodology_file(language, path)
    path = translated if translated.is_file() else path
    if not path.is_file():
        return t("The methodology file (docs/methodology.md) was not found.")
    return path.read_text(encoding="utf-8").split("\n", 1)[1].strip()

"""Where the numbers come from: the list of sources, the known conflicts, the dataset's changelog.

These files describe the bundled dataset and live in the repository's data/ folder.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from compute_ledger.data.load import REPO_DATA_DIR

CONFLICTS_FILE = "conflicts.csv"
CHANGELOG_FILE = "CHANGELOG.md"


def source_list(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every cited source once, with how many rows of each table cite it, newest first."""
    cited = pl.concat([
        frame.select("source_title", "source_url", "source_date").with_columns(table=pl.lit(name))
        for name, frame in tables.items() if "source_url" in frame.columns
    ])
    return (
        cited.group_by("source_url")
        .agg(pl.col("source_title").first(), pl.col("source_date").max(), rows=pl.len(),
             tables=pl.col("table").unique().sort().str.join(", "))
        .with_columns(domain=pl.col("source_url").str.extract(r"https?://(?:www\.)?([^/]+)"))
        .sort(["rows", "source_date"], descending=True)
    )


def known_conflicts(data_dir: Path = REPO_DATA_DIR) -> pl.DataFrame:
    return pl.read_csv(data_dir / CONFLICTS_FILE, infer_schema=False)


def changelog(data_dir: Path = REPO_DATA_DIR) -> str:
    return (data_dir / CHANGELOG_FILE).read_text(encoding="utf-8")

"""Shared test helpers: the repo's paths and throw-away copies of the data to break on purpose."""
from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SOURCES = DATA / "sources"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the repo's data folder (parquet and sources) that a test may damage."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("*.tmp"))
    return target


def read_text_csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def set_cell(path: Path, row: int, column: str, value: str | None) -> None:
    """Set one cell of a CSV; `row` counts data rows from 0 (so it is CSV line row + 2)."""
    frame = read_text_csv(path)
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value, dtype=pl.String)).otherwise(pl.col(column)).alias(column)
    )
    frame.write_csv(path)


def cell(path: Path, row: int, column: str) -> str | None:
    return read_text_csv(path)[column][row]

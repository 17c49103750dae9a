"""`python -m compute_ledger build|validate`: all-or-nothing builds, FILE:ROW:COLUMN output, exit codes."""
from __future__ import annotations

import os
import subprocess
import sys

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from compute_ledger.data.build import build
from compute_ledger.data.citations import read_sources
from compute_ledger.data.manifest import validated_by_build
from compute_ledger.data.load import read_tables
from compute_ledger.data.schema import PUBLISHED_TABLE_NAMES
from tests.conftest import DATA, REPO, SOURCES, set_cell


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compute_ledger", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.parametrize("name", PUBLISHED_TABLE_NAMES)
def test_committed_parquet_equals_a_fresh_build_of_the_csvs(name):
    fresh, problems = read_sources(SOURCES)
    assert problems == []
    assert_frame_equal(pl.read_parquet(DATA / f"{name}.parquet"), fresh[name])


def test_build_writes_every_table(data_dir):
    for name in PUBLISHED_TABLE_NAMES:
        (data_dir / f"{name}.parquet").unlink()
    assert build(data_dir) == []
    for name in PUBLISHED_TABLE_NAMES:
        assert_frame_equal(pl.read_parquet(data_dir / f"{name}.parquet"), pl.read_parquet(DATA / f"{name}.parquet"))
    # ... with the manifest vouching for them.
    assert validated_by_build(data_dir) == set(PUBLISHED_TABLE_NAMES)


def test_build_with_one_bad_row_writes_nothing_and_exits_1(data_dir):
    before = {name: (data_dir / f"{name}.parquet").read_bytes() for name in PUBLISHED_TABLE_NAMES}
    set_cell(data_dir / "sources" / "milestones.csv", 3, "capacity_gw", "-0.5")
    result = run_cli("build", "--data-dir", str(data_dir))
    assert result.returncode == 1
    assert result.stdout.strip() == f"{data_dir}/sources/milestones.csv:5:capacity_gw: -0.5 is outside the allowed range 0 to 1000"
    assert "no parquet file was written" in result.stderr
    assert {name: (data_dir / f"{name}.parquet").read_bytes() for name in PUBLISHED_TABLE_NAMES} == before


def test_validate_default_folder_passes_with_a_summary():
    result = run_cli("validate", env={"LEDGER_DATA": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: ") and "no problems" in result.stdout
    assert len(result.stdout.strip().splitlines()) == 1


def test_validate_lists_one_line_per_problem(data_dir):
    set_cell(data_dir / "sources" / "deals.csv", 0, "status", "done")
    set_cell(data_dir / "sources" / "deals.csv", 2, "provider_id", "nobody")
    result = run_cli("validate", str(data_dir / "sources"))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{data_dir}/sources/deals.csv:2:status: 'done' is not one of: announced, signed, letter_of_intent, "
        "rumored, completed, paused, cancelled",
        f"{data_dir}/sources/deals.csv:4:provider_id: 'nobody' is not a known company_id in companies",
    ]


def test_validate_one_csv_file(data_dir):
    csv = data_dir / "sources" / "deals.csv"
    assert run_cli("validate", str(csv)).returncode == 0
    set_cell(csv, 1, "announced", "2025-02-30")
    result = run_cli("validate", str(csv))
    assert result.returncode == 1
    assert result.stdout.strip() == f"{csv}:3:announced: cannot read '2025-02-30' as a date (YYYY-MM-DD)"


def test_validate_one_parquet_file_counts_rows_from_1(data_dir):
    parquet = data_dir / "deals.parquet"
    frame = pl.read_parquet(parquet)
    frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(-5.0).otherwise(pl.col("value_usd_bn"))
                       .alias("value_usd_bn")).write_parquet(parquet)
    result = run_cli("validate", str(parquet))
    assert result.returncode == 1
    assert result.stdout.strip() == f"{parquet}:1:value_usd_bn: -5.0 is outside the allowed range 0 to 5000"


def test_validate_unreadable_and_unknown_paths(tmp_path):
    corrupt = tmp_path / "deals.parquet"
    corrupt.write_bytes(b"PAR1 this is not parquet")
    result = run_cli("validate", str(corrupt))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{corrupt}:-:-: cannot read the file")
    assert run_cli("validate", str(tmp_path / "nope")).stdout.strip() == f"{tmp_path}/nope:-:-: no such file or folder"
    other = tmp_path / "prices.csv"
    other.write_text("a,b\n1,2\n")
    assert "cannot tell the table from the file name" in run_cli("validate", str(other)).stdout


def test_validate_a_folder_missing_a_table(data_dir):
    (data_dir / "financials.parquet").unlink()
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 1
    assert f"{data_dir}/financials.parquet:-:-: file not found" in result.stdout.splitlines()


def test_manifest_vouches_for_the_committed_files_only(data_dir):
    assert validated_by_build(DATA) == set(PUBLISHED_TABLE_NAMES)
    path = data_dir / "deals.parquet"
    pl.read_parquet(path).head(5).write_parquet(path)  # changed after the build: must be validated again
    assert validated_by_build(data_dir) == set(PUBLISHED_TABLE_NAMES) - {"deals"}
    (data_dir / "manifest.json").write_text("{not json")
    assert validated_by_build(data_dir) == set()

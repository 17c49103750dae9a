"""The published tables at stable links (static/data/): the same rows as the validated tables, spreadsheet-safe
CSVs, and a datapackage.json that validates as a Frictionless Data Package (data included)."""
from __future__ import annotations

import json

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from compute_ledger.data.exports import csv_bytes
from compute_ledger.data.load import load_ledger
from compute_ledger.data.publish import DESCRIPTOR, LICENSE, published_dir
from compute_ledger.data.schema import PUBLISHED_TABLE_NAMES as TABLE_NAMES, TABLES
from tests.conftest import DATA, REPO
from tests.fixtures.small_ledger import write_small_ledger

PUBLISHED = REPO / "static" / "data"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small ledger, built (and so published) in a temporary folder: never into the repo's static/."""
    folder = write_small_ledger(tmp_path_factory.mktemp("pub") / "ledger")
    return folder, load_ledger(str(folder)).tables


def read_published_csv(path, name: str) -> pl.DataFrame:
    return pl.read_csv(path, schema=TABLES[name].polars_schema, try_parse_dates=False)


def test_the_build_publishes_beside_its_own_data_folder(small):
    folder, _ = small
    assert published_dir(folder) == folder.parent / "static" / "data"
    assert published_dir(DATA) == PUBLISHED
    for name in TABLE_NAMES:
        assert (folder.parent / "static" / "data" / f"{name}.csv").is_file()
    assert (folder.parent / "static" / "data" / DESCRIPTOR).is_file()


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_published_files_hold_the_validated_rows(small, name):
    folder, tables = small
    out = published_dir(folder)
    assert_frame_equal(pl.read_parquet(out / f"{name}.parquet"), tables[name])
    assert_frame_equal(read_published_csv(out / f"{name}.csv", name), tables[name])


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_committed_copy_is_not_stale(name):
    """static/data/ in the repo is what the committed data/*.parquet hold: rebuild after changing the data."""
    tables = load_ledger(str(DATA)).tables
    assert_frame_equal(pl.read_parquet(PUBLISHED / f"{name}.parquet"), tables[name])
    assert (PUBLISHED / f"{name}.csv").read_bytes() == csv_bytes(tables[name])


def test_csv_is_safe_against_formula_injection(tmp_path):
    from compute_ledger.data.publish import publish

    data = load_ledger(str(DATA)).tables
    risky = data["deals"].with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("=HYPERLINK(\"http://evil\")"))
        .otherwise(pl.col("description")).alias("description"))
    (tmp_path / "data").mkdir()
    out = publish(tmp_path / "data", {**data, "deals": risky})
    first = pl.read_csv(out / "deals.csv", infer_schema=False)["description"][0]
    assert first == "'=HYPERLINK(\"http://evil\")"  # shown as text by a spreadsheet, never run
    assert_frame_equal(pl.read_parquet(out / "deals.parquet"), risky)  # the typed copy keeps the value


def test_descriptor_says_what_every_column_is():
    package = json.loads((PUBLISHED / DESCRIPTOR).read_text())
    assert package["licenses"] == [LICENSE]
    assert package["as_of"] and package["source_rule"].startswith("Every row cites one or more reports")
    by_name = {r["name"]: r for r in package["resources"]}
    for name in TABLE_NAMES:
        fields = by_name[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == TABLES[name].column_names
        assert all(f["description"] for f in fields)
        assert by_name[f"{name}-parquet"]["path"] == f"{name}.parquet"
    value = next(f for f in by_name["deals"]["schema"]["fields"] if f["name"] == "value_usd_bn")
    assert value["unit"] == "USD bn" and value["type"] == "number"
    layer = next(f for f in by_name["deals"]["schema"]["fields"] if f["name"] == "layer")
    assert layer["constraints"]["enum"] == ["end_user", "resale", "financing", "power", "manufacturing", "pledge"]


def test_datapackage_validates_with_frictionless():
    """Metadata against the Data Package profile, and every CSV row against its Table Schema (types, required
    values, allowed values, keys, references between the tables)."""
    import frictionless  # pinned in requirements-dev.txt: a missing validator must fail, not pass as skipped
    report = frictionless.validate(str(PUBLISHED / DESCRIPTOR))
    problems = [(task.name, error.type, error.note) for task in report.tasks for error in task.errors]
    assert report.valid, problems[:10] or report.errors[:10]

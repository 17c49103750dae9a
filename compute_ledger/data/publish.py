"""The published tables at stable links: the build's validated tables as CSV and Parquet in the app's static
folder, with a Frictionless Data Package (`datapackage.json`) that says what every column is.

Streamlit serves `static/` at `/app/static/` (`.streamlit/config.toml`: enableStaticServing), so a notebook reads
`https://<app>/app/static/data/deals.csv` or `.../deals.parquet`. Written by `build()` right after it validated the
tables, so the published copy is never older than data/*.parquet. The CSVs are spreadsheet-safe like the app's
downloads (`exports.csv_bytes`: a text cell starting with = + - @ gets a leading quote).

The folder is `static/data/` beside the data folder's parent: the repo's `data/` publishes to the repo's
`static/data/`; a test's ledger in a temporary folder publishes into that folder, never into the repo.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from compute_ledger.data.exports import csv_bytes
from compute_ledger.data.schema import PUBLISHED_FOREIGN_KEYS, PUBLISHED_TABLE_NAMES, SOURCE_RULE, TABLES, Column

PUBLISHED_DIRNAME = Path("static") / "data"
DESCRIPTOR = "datapackage.json"
# The app serves the folder here (relative to the app's address).
PUBLISHED_URL_PATH = "app/static/data"
PACKAGE_NAME = "ai-compute-ledger"
# The compiled ledger (our rows, words and classifications); the cited articles stay their publishers'.
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
DESCRIPTION = ("Who buys AI compute from whom, for how much, and how much is built: deals, capacity milestones "
               "and financial figures, each row with its source. Totals add one layer of the chain at a time "
               "(deals.layer), count the firmness tiers chosen (deals.firmness) and never add site GW to chip GW "
               "(deals.capacity_kind); rows with counts_in_totals = false repeat another row. Money in USD bn.")
TABLE_TITLES = {"companies": "Companies: every organisation the other tables name",
                "deals": "Deals: one row per deal, with its value, capacity, layer, firmness and source",
                "milestones": "Milestones: capacity and programme events (planned, operating, paused)",
                "financials": "Financial figures: reported results, projections and outside estimates",
                "citations": "Citations: every page that backs a row, one of them the row's primary",
                "publishers": "Publishers: each cited host's publisher and kind, judged once",
                "dataset": "Dataset: when the rows were last checked against the published reports"}
FIELD_TYPES = {pl.String: "string", pl.Date: "date", pl.Float64: "number", pl.Int64: "integer", pl.Boolean: "boolean"}


def published_dir(data_dir: Path) -> Path:
    return Path(data_dir).resolve().parent / PUBLISHED_DIRNAME


def _field(column: Column) -> dict:
    field: dict = {"name": column.name, "type": FIELD_TYPES[column.dtype], "description": column.meaning}
    if column.dtype == pl.Date:
        field["format"] = "default"  # ISO 8601, YYYY-MM-DD
    if column.unit:
        field["unit"] = column.unit
    constraints: dict = {}
    if column.required:
        constraints["required"] = True
    for check in column.checks:
        if check[0] == "isin":
            constraints["enum"] = list(check[1])
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(name: str) -> dict:
    """The Table Schema of one table, from schema.py: each column's type, unit, meaning, required and allowed
    values, the key and the references to other tables."""
    table = TABLES[name]
    schema: dict = {"fields": [_field(c) for c in table.columns], "missingValues": [""]}
    required = {c.name for c in table.columns if c.required}
    # A Table Schema primary key may not be empty; financials' key has optional parts (as_of, estimator).
    if set(table.key) <= required:
        schema["primaryKey"] = list(table.key)
    schema["foreignKeys"] = [
        {"fields": column, "reference": {"resource": ref_table if ref_table != name else "", "fields": ref_column}}
        for source, column, ref_table, ref_column in PUBLISHED_FOREIGN_KEYS if source == name]
    return schema


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def as_of(tables: Mapping[str, pl.DataFrame]) -> dt.date | None:
    """The newest source date in the tables: what the published data is current to."""
    dates = [t["source_date"].max() for t in tables.values() if "source_date" in t.columns and t.height
             and t["source_date"].max() is not None]
    return max(dates) if dates else None


def checked_against_reports(tables: Mapping[str, pl.DataFrame]) -> str | None:
    """When the rows were last checked against the reports, as recorded in the dataset table (never today's date)."""
    dataset = tables.get("dataset")
    if dataset is None or dataset.is_empty():
        return None
    return dataset["checked_against_reports"].max().isoformat()


def descriptor(tables: Mapping[str, pl.DataFrame], files: Mapping[str, bytes]) -> dict:
    """The Data Package: one tabular resource per table (its CSV), and each table's Parquet copy beside it."""
    current = as_of(tables)
    resources = []
    for name in PUBLISHED_TABLE_NAMES:
        csv = files[f"{name}.csv"]
        resources.append({
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "title": TABLE_TITLES[name],
            "description": f"{TABLE_TITLES[name]}. {len(TABLES[name].columns)} columns, {tables[name].height} rows.",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "bytes": len(csv),
            "hash": f"sha256:{_sha256(csv)}", "schema": table_schema(name),
        })
        resources.append({
            "name": f"{name}-parquet", "path": f"{name}.parquet", "profile": "data-resource",
            "title": f"{TABLE_TITLES[name]} (Parquet, typed)",
            "description": f"The same rows as {name}.csv, with their types (the schema of {name}).",
            # No bytes/hash here: frictionless does not read Parquet, so it would report them unchecked.
            "format": "parquet", "mediatype": "application/vnd.apache.parquet",
            # The types, so that a validator reads the file rather than guessing from its first rows (citations'
            # milestone_id is empty for the first hundred). Not for tables with whole-number columns: frictionless
            # reads Parquet through pandas, where an empty whole number becomes NaN and fails its own schema.
            **({"schema": table_schema(name)} if not any(c.dtype == pl.Int64 for c in TABLES[name].columns) else {}),
        })
    return {
        "profile": "data-package",  # the Parquet copies are not tabular resources to the spec
        "name": PACKAGE_NAME,
        "title": "AI Compute Ledger",
        "description": DESCRIPTION,
        "version": current.isoformat() if current else "unknown",
        "created": dt.datetime.combine(current, dt.time()).isoformat() + "Z" if current else None,
        "as_of": current.isoformat() if current else None,
        "checked_against_reports": checked_against_reports(tables),
        "source_rule": SOURCE_RULE,
        "units": {"usd_bn": "US dollars, billions (value_usd_bn)", "GW": "gigawatts of power (capacity_gw)"},
        "licenses": [LICENSE],
        "sources": [{"title": "The reports cited row by row (citations.csv; each row's primary in source_title, "
                               "source_url)"}],
        "resources": resources,
    }


def table_files(tables: Mapping[str, pl.DataFrame]) -> dict[str, bytes]:
    files = {}
    for name in PUBLISHED_TABLE_NAMES:
        files[f"{name}.csv"] = csv_bytes(tables[name])
        buffer = tempfile.SpooledTemporaryFile()
        tables[name].write_parquet(buffer, statistics=True)
        buffer.seek(0)
        files[f"{name}.parquet"] = buffer.read()
    return files


def publish(data_dir: Path, tables: Mapping[str, pl.DataFrame]) -> Path:
    """Write the validated tables (CSV, Parquet) and datapackage.json to the static folder; returns the folder.
    Each file is written beside its target and then moved, so a reader never sees half a file."""
    target = published_dir(data_dir)
    target.mkdir(parents=True, exist_ok=True)
    files = table_files(tables)
    files[DESCRIPTOR] = (json.dumps({k: v for k, v in descriptor(tables, files).items() if v is not None},
                                    indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    write_files(target, files)
    return target


def write_files(target: Path, files: Mapping[str, bytes]) -> None:
    """Each file written whole or not at all (a temporary file moved into place), readable by the web server."""
    for filename, content in files.items():
        with tempfile.NamedTemporaryFile(dir=target, suffix=".tmp", delete=False) as tmp:
            tmp.write(content)
        Path(tmp.name).chmod(0o644)
        Path(tmp.name).replace(target / filename)

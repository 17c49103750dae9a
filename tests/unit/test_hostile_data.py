"""Issue #17, hostile input round two: every class of bad file is a FILE:ROW:COLUMN problem, never an exception,
and CSV and Parquet follow the same rules."""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from compute_ledger.analysis import narrative
from compute_ledger.data import provenance, uploads
from compute_ledger.data.ingest import CSV_FIRST_ROW, PARQUET_FIRST_ROW, coerce
from compute_ledger.data.load import EXPECTED_FILES, load_ledger, location_problem
from compute_ledger.data.problems import NO_ROW
from compute_ledger.data.schema import SOURCE_TABLES, TABLE_NAMES, TABLES
from compute_ledger.views.data import data_view, upload_view
from tests.conftest import DATA, REPO, SOURCES

LEDGER = load_ledger(str(DATA))


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compute_ledger", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def replace_column(path: Path, column: str, series: pl.Series) -> None:
    frame = pl.read_parquet(path)
    frame.with_columns(series.alias(column)).write_parquet(path)


def first_non_null_row(frame: pl.DataFrame, column: str) -> int:
    return frame.with_row_index("_r").filter(pl.col(column).is_not_null())["_r"][0]


# --- 3. a column of a type the schema does not expect -----------------------------------------------------------

def _as_list(s: pl.Series) -> pl.Series:
    return s.cast(pl.String).map_elements(lambda v: [v, "x"], return_dtype=pl.List(pl.String), skip_nulls=True)


def _as_struct(s: pl.Series) -> pl.Series:
    return pl.DataFrame({"v": s.cast(pl.String)}).select(pl.struct("v").alias("s")).to_series()


def _as_binary(s: pl.Series) -> pl.Series:
    return s.cast(pl.String).cast(pl.Binary)


def _as_float_list(s: pl.Series) -> pl.Series:
    return s.cast(pl.Float64).map_elements(lambda v: [v], return_dtype=pl.List(pl.Float64), skip_nulls=True)


def _as_array(s: pl.Series) -> pl.Series:
    return s.cast(pl.Float64).fill_null(0).map_elements(lambda v: [v, v], return_dtype=pl.List(pl.Float64)).cast(
        pl.Array(pl.Float64, 2))


def _as_duration(s: pl.Series) -> pl.Series:
    return s.cast(pl.Int64).cast(pl.Duration("us"))


def _as_time(s: pl.Series) -> pl.Series:
    return pl.Series([dt.time(12, 0)] * len(s))


NESTED = [
    ("deals", "chips", _as_list, "List(String)"),
    ("deals", "description", _as_struct, "Struct"),
    ("deals", "source_title", _as_binary, "Binary"),
    ("deals", "value_usd_bn", _as_float_list, "List(Float64)"),
    ("deals", "capacity_gw", _as_array, "Array"),
    ("deals", "term_years", _as_duration, "Duration"),
    ("deals", "announced", _as_time, "Time"),
    ("deals", "is_estimate", _as_list, "List(String)"),
    ("companies", "name", _as_list, "List(String)"),
    ("milestones", "lat", _as_struct, "Struct"),
    ("financials", "year", _as_list, "List(String)"),
]


@pytest.mark.parametrize(("table", "column", "make", "stored"), NESTED, ids=[f"{t}.{c}-{s}" for t, c, _, s in NESTED])
def test_a_column_of_a_nested_or_foreign_type_is_a_problem_per_cell(data_dir, table, column, make, stored):
    path = data_dir / f"{table}.parquet"
    replaced = make(pl.read_parquet(path)[column])
    replace_column(path, column, replaced)
    ledger = load_ledger(str(data_dir))  # must not raise
    assert table in ledger.missing(table)
    mine = [p for p in ledger.problems if p.file == str(path) and p.column == column]
    assert mine, ledger.problems
    assert all(isinstance(p.row, int) and stored in p.message for p in mine)
    first = first_non_null_row(pl.DataFrame({column: replaced}), column) + PARQUET_FIRST_ROW
    assert mine[0].row == first and str(mine[0]).startswith(f"{path}:{first}:{column}: cannot read")


def test_validate_names_a_nested_column_without_a_traceback(data_dir):
    path = data_dir / "deals.parquet"
    replace_column(path, "chips", _as_list(pl.read_parquet(path)["chips"]))
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}:3:chips: cannot read" in result.stdout and "List(String)" in result.stdout


def test_an_uploaded_parquet_with_a_list_column_lists_its_rows():
    rows = LEDGER["deals"].drop("origin", strict=False).head(2).with_columns(
        deal_id=pl.Series(["U1", "U2"]), chips=pl.Series([["H100", "B200"], None], dtype=pl.List(pl.String)))
    buffer = io.BytesIO()
    rows.write_parquet(buffer)
    check = uploads.check_uploaded_deals("mine.parquet", buffer.getvalue(), LEDGER["deals"], LEDGER["companies"])
    assert [(p.row, p.column) for p in check.problems] == [(1, "chips")]
    assert check.valid["deal_id"].to_list() == ["U2"]  # the row without a list is still usable


def test_all_null_columns_of_a_foreign_type_are_simply_empty(data_dir):
    path = data_dir / "deals.parquet"
    replace_column(path, "source_note", pl.Series([None] * pl.read_parquet(path).height, dtype=pl.List(pl.String)))
    assert load_ledger(str(data_dir)).problems == ()


# --- 4. floats where whole numbers are expected; CSV and Parquet follow the same rules -----------------------

# Typed by people (the build's counts of citations are written by code).
INT_COLUMNS = [(t.name, c.name) for t in TABLES.values() for c in t.columns if c.dtype == pl.Int64 and not c.built]


def test_every_whole_number_column_is_covered():
    assert set(INT_COLUMNS) == {("deals", "term_years"), ("deals", "start_year"), ("deals", "end_year"),
                                ("financials", "year")}


def _problems_for_cell(table: str, column: str, text: str | None, parquet_value, row: int) -> tuple[list, list]:
    """Coerce the bundled CSV with one cell set to `text`, and the bundled parquet with it set to `parquet_value`."""
    spec = TABLES[table]
    source_spec = SOURCE_TABLES[table]
    csv = pl.read_csv(SOURCES / f"{table}.csv", infer_schema=False)
    csv = csv.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(text, pl.String)).otherwise(pl.col(column))
                           .alias(column))
    parquet = LEDGER[table].drop("origin", strict=False)
    values = parquet[column].cast(pl.Float64).to_list()
    values[row] = parquet_value
    parquet = parquet.with_columns(pl.Series(column, values, dtype=pl.Float64))
    _, from_csv = coerce(source_spec, csv, "f", CSV_FIRST_ROW)
    _, from_parquet = coerce(spec, parquet, "f", PARQUET_FIRST_ROW)
    # The same cells, for the same reason (the value is quoted as each file stores it: 'NaN' or 'nan').
    return ([(p.row - CSV_FIRST_ROW, p.column, p.message.split("' ", 1)[-1]) for p in from_csv],
            [(p.row - PARQUET_FIRST_ROW, p.column, p.message.split("' ", 1)[-1]) for p in from_parquet])


@pytest.mark.parametrize(("table", "column"), INT_COLUMNS)
@pytest.mark.parametrize(("text", "value", "accepted"), [
    ("5.5", 5.5, False), ("2025.5", 2025.5, False), ("2025.0", 2025.0, True), ("2e3", 2000.0, True),
    ("NaN", float("nan"), False), ("inf", float("inf"), False), ("1e20", 1e20, False),
], ids=["5.5", "2025.5", "2025.0", "2e3", "nan", "inf", "1e20"])
def test_a_float_in_a_whole_number_column_is_read_the_same_from_csv_and_parquet(table, column, text, value, accepted):
    from_csv, from_parquet = _problems_for_cell(table, column, text, value, row=1)
    assert from_csv == from_parquet
    if accepted:
        assert from_csv == []
    else:
        assert from_csv and from_csv[0][:2] == (1, column) and "as a whole number" in from_csv[0][2]


def test_a_five_and_a_half_year_term_is_rejected_not_truncated(data_dir):
    path = data_dir / "deals.parquet"
    frame = pl.read_parquet(path)
    row = first_non_null_row(frame, "term_years")
    replace_column(path, "term_years", frame["term_years"].cast(pl.Float64).scatter(row, 5.5))
    ledger = load_ledger(str(data_dir))
    assert [str(p) for p in ledger.problems] == [f"{path}:{row + 1}:term_years: cannot read '5.5' as a whole number"]
    assert "deals" in ledger.missing("deals")
    result = run_cli("validate", str(path))
    assert result.returncode == 1 and "cannot read '5.5' as a whole number" in result.stdout


@pytest.mark.parametrize(("dtype", "values", "problem_rows"), [
    (pl.Int8, [1, 0], []), (pl.Int64, [2, 0], [0]), (pl.Float64, [1.0, 0.0], [0, 1]), (pl.String, ["yes", "no"], []),
])
def test_true_false_from_parquet_follows_the_csv_words(dtype, values, problem_rows):
    frame = LEDGER["deals"].drop("origin", strict=False).head(2).with_columns(pl.Series("is_estimate", values, dtype=dtype))
    _, problems = coerce(TABLES["deals"], frame, "f", PARQUET_FIRST_ROW)
    assert [p.row - PARQUET_FIRST_ROW for p in problems if p.column == "is_estimate"] == problem_rows
    csv = frame.with_columns(pl.col("is_estimate").cast(pl.String))
    _, from_text = coerce(TABLES["deals"], csv, "f", PARQUET_FIRST_ROW)
    assert [p.row - PARQUET_FIRST_ROW for p in from_text if p.column == "is_estimate"] == problem_rows


def test_a_timestamp_is_a_date_only_at_midnight():
    frame = LEDGER["deals"].drop("origin", strict=False).head(2).with_columns(
        announced=pl.Series([dt.datetime(2025, 3, 1), dt.datetime(2025, 3, 1, 13, 30)]))
    typed, problems = coerce(TABLES["deals"], frame, "f", PARQUET_FIRST_ROW)
    assert typed["announced"][0] == dt.date(2025, 3, 1)
    assert [(p.row, p.column) for p in problems] == [(2, "announced")]


def test_narrower_and_wider_numbers_are_read_exactly():
    frame = LEDGER["financials"].head(3).with_columns(pl.col("year").cast(pl.Int16),
                                                       pl.col("value_usd_bn").cast(pl.Float32))
    typed, problems = coerce(TABLES["financials"], frame, "f", PARQUET_FIRST_ROW)
    assert problems == [] and typed["year"].to_list() == LEDGER["financials"]["year"].head(3).to_list()
    too_big = frame.with_columns(pl.Series("year", [2**63, 2025, 2025], dtype=pl.UInt64))
    _, problems = coerce(TABLES["financials"], too_big, "f", PARQUET_FIRST_ROW)
    assert [(p.row, p.column) for p in problems] == [(1, "year")]


# --- 5. a missing column is named, required or not --------------------------------------------------------------

ALL_COLUMNS = [(t.name, c.name) for t in TABLES.values() for c in t.columns if not c.may_be_absent]
ABSENT_COLUMNS = [(t.name, c.name) for t in TABLES.values() for c in t.columns if c.may_be_absent]


@pytest.mark.parametrize(("table", "column"), ALL_COLUMNS, ids=[f"{t}.{c}" for t, c in ALL_COLUMNS])
def test_a_dropped_column_is_named_in_csv_and_parquet(table, column):
    """In the published parquet, and in data/sources/ when people type the column there (not the built ones)."""
    cases = [(TABLES[table], LEDGER[table].drop("origin", strict=False), PARQUET_FIRST_ROW)]
    if column in SOURCE_TABLES[table].column_names:
        cases.append((SOURCE_TABLES[table], pl.read_csv(SOURCES / f"{table}.csv", infer_schema=False), CSV_FIRST_ROW))
    for spec, raw, first in cases:
        frame, problems = coerce(spec, raw.drop(column), "f", first)
        assert frame is None
        assert [(p.row, p.column) for p in problems] == [(NO_ROW, column)]
        assert "missing" in problems[0].message


@pytest.mark.parametrize(("table", "column"), ABSENT_COLUMNS, ids=[f"{t}.{c}" for t, c in ABSENT_COLUMNS])
def test_a_file_published_before_the_citation_columns_still_reads(table, column):
    """A parquet file without the citation summary (older data, an analyst's folder) reads, the column empty."""
    frame, problems = coerce(TABLES[table], LEDGER[table].drop("origin", strict=False).drop(column), "f",
                             PARQUET_FIRST_ROW)
    assert problems == [] and frame[column].null_count() == frame.height

def test_value_usd_bn_dropped_from_deals_fails_validate_and_the_app(data_dir):
    path = data_dir / "deals.parquet"
    pl.read_parquet(path).drop("value_usd_bn").write_parquet(path)
    ledger = load_ledger(str(data_dir))
    assert "deals" in ledger.missing("deals")
    assert [str(p) for p in ledger.problems] == [
        f"{path}:-:value_usd_bn: column is missing (its cells may be empty, but the column must be there)"]
    result = run_cli("validate", env={"LEDGER_DATA": str(data_dir)})
    assert result.returncode == 1 and f"{path}:-:value_usd_bn: column is missing" in result.stdout


def test_an_upload_without_an_optional_column_is_refused_with_its_name():
    csv = pl.read_csv(REPO / "static" / "data" / "deals.csv", infer_schema=False).head(1).with_columns(
        deal_id=pl.lit("U9"))
    check = uploads.check_uploaded_deals("mine.csv", csv.drop("capacity_gw").write_csv().encode(),
                                         LEDGER["deals"], LEDGER["companies"])
    assert not check.readable and [p.column for p in check.problems] == ["capacity_gw"]


# --- 6. what a data location may be -----------------------------------------------------------------------------

@pytest.mark.parametrize("location", ["{data}/deals.parquet", "{data}/sources/deals.csv",
                                      "https://example.org/ledger/deals.parquet", "s3://bucket/ledger/deals.parquet/"])
def test_one_file_is_not_a_data_location(location):
    location = location.format(data=DATA)
    ledger = load_ledger(location)
    assert ledger.tables == {} and ledger.incomplete
    (problem,) = ledger.problems
    assert problem.file == location and EXPECTED_FILES in problem.message
    assert ledger.problems_for("deals") == [problem]  # every page that needs a table names it


def test_a_folder_and_a_url_prefix_are_data_locations():
    assert location_problem(str(DATA)) is None
    assert location_problem("https://example.org/ledger/") is None


def test_validate_and_the_app_say_the_same_about_a_single_file():
    location = str(DATA / "deals.parquet")
    result = run_cli("validate", env={"LEDGER_DATA": location})
    assert result.returncode == 1
    assert result.stdout.splitlines() == [str(p) for p in load_ledger(location).problems]


@pytest.mark.parametrize("kept", [(), ("companies",), ("companies", "deals"), ("deals", "milestones", "financials")])
def test_validate_and_the_app_agree_on_a_folder_with_some_tables(data_dir, kept):
    for name in TABLE_NAMES:
        if name not in kept:
            (data_dir / f"{name}.parquet").unlink()
    ledger = load_ledger(str(data_dir))
    result = run_cli("validate", env={"LEDGER_DATA": str(data_dir)})
    assert result.returncode == 1
    app_problems = {str(p) for p in ledger.problems}
    assert {f"{data_dir}/{n}.parquet:-:-: file not found" for n in TABLE_NAMES if n not in kept} <= app_problems
    # validate also checks the sources/ CSVs beside the parquet files; the location's own lines are the app's
    assert {line for line in result.stdout.splitlines() if "/sources/" not in line} == app_problems


def test_a_folder_of_csvs_only_is_not_what_the_app_reads(data_dir):
    location = str(data_dir / "sources")
    result = run_cli("validate", env={"LEDGER_DATA": location})
    assert result.returncode == 1
    assert {f"{location}/{n}.parquet:-:-: file not found" for n in TABLE_NAMES} <= set(result.stdout.splitlines())
    assert run_cli("validate", location).returncode == 0  # named explicitly, a sources folder is build input


# --- 2. nothing loaded: the Data page's view still has something to say ----------------------------------------

def test_the_data_view_of_no_tables():
    view = data_view({}, None, "deals", "stargate", ("company",))
    assert view.rows is None and "could not be loaded" in view.table_missing
    assert view.sources.is_empty() and view.sources_heading == "0 sources of kind company"
    assert view.strong_share is None and view.as_of is None
    assert "No table could be loaded" in view.summary
    assert not view.uploads_possible and view.company_ids == ()
    assert not view.conflicts.is_empty()  # the conflicts are about the bundled dataset, always shown


def test_the_source_list_of_tables_without_sources():
    assert provenance.source_list({"companies": LEDGER["companies"]}).is_empty()
    assert provenance.rows_by_source_kind({}) == {}


@pytest.mark.parametrize("kept", [("companies",), ("deals",), ("milestones", "financials")])
def test_the_data_view_of_some_tables(kept):
    tables = {n: LEDGER[n] for n in kept}
    view = data_view(tables, None, "deals")
    assert (view.rows is None) == ("deals" not in kept)
    assert view.uploads_possible == False  # noqa: E712  (needs deals and companies)


# --- 9. Markdown in data is text ------------------------------------------------------------------------------

HOSTILE_NAME = "![x](https://evil.example/x.png) [click](https://evil.example/c)"


def test_the_overview_story_escapes_company_names():
    companies = LEDGER["companies"].with_columns(
        name=pl.when(pl.col("company_id") == "aws").then(pl.lit(HOSTILE_NAME)).otherwise(pl.col("name")))
    story = narrative.seed_story(LEDGER["financials"], LEDGER["deals"], companies)
    assert "aws" in LEDGER["deals"].filter(pl.col("buyer_id") == "openai")["provider_id"].to_list()
    assert "evil" in story and "![" not in story and "](" not in story
    assert "\\!\\[x\\]\\(https\u200b\\:" in story  # escaped, and no autolink either


def test_an_uploaded_file_name_is_escaped_in_the_view():
    view = upload_view(LEDGER.tables, "![x](https:evil.example).csv", b"company,amount\nAcme,3\n")
    assert view.heading.startswith("\\!\\[x\\]\\(https\u200b\\:evil\\.example\\)\\.csv cannot be used")


@pytest.mark.parametrize(("text", "shown"), [
    ("https://evil.example/x", "https\u200b\\://evil\\.example/x"), ("www.evil.example", "www\u200b\\.evil\\.example"),
    ("me@evil.example", "me\u200b@evil\\.example"), ("<img src=x>", "\\<img src=x\\>"), ("**bold**", "\\*\\*bold\\*\\*"),
    ("Oracle Cloud (OCI)", "Oracle Cloud \\(OCI\\)"),
])
def test_markdown_text_leaves_no_link_image_html_or_autolink(text, shown):
    assert narrative.markdown_text(text) == shown


def test_the_search_and_the_filter_are_escaped_in_the_explorer_caption():
    view = data_view(LEDGER.tables, None, "deals", "[click](https://evil.example)")
    assert view.explorer_caption.endswith("search: “\\[click\\]\\(https\u200b\\://evil\\.example\\)”")


# --- issue #24: control characters are refused; editors' habits build like clean files -----------------------------

from compute_ledger.data import uploads as uploads_module  # noqa: E402
from tests.conftest import cell, set_cell  # noqa: E402


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_validate_refuses_a_control_character_with_file_row_and_column(data_dir, char):
    csv = data_dir / "sources" / "deals.csv"
    set_cell(csv, 3, "description", f"What was agreed{char}[31m, in red")
    result = run_cli("validate", str(data_dir / "sources"))
    assert result.returncode == 1
    assert f"{csv}:5:description: holds a control character (U+{ord(char):04X}) at character 16" in result.stdout


def test_tabs_and_line_breaks_in_a_cell_are_not_control_characters(data_dir):
    csv = data_dir / "sources" / "deals.csv"
    set_cell(csv, 3, "description", "What was agreed,\ton two lines\r\nin a quoted cell")
    result = run_cli("validate", str(data_dir / "sources"))
    assert result.returncode == 0, result.stdout


def test_an_upload_with_a_control_character_is_refused_by_row_and_column():
    rows = pl.read_csv(REPO / "static" / "data" / "deals.csv", infer_schema=False).head(2).with_columns(
        deal_id=pl.Series(["U1", "U2"]), source_title=pl.Series(["Fine title", "Bell\x07 title"]))
    check = uploads_module.check_uploaded_deals("mine.csv", rows.write_csv().encode(), LEDGER["deals"],
                                                LEDGER["companies"])
    assert [(p.row, p.column) for p in check.problems if "control character" in p.message] == [(3, "source_title")]
    assert check.valid.height == 1


def test_a_source_csv_ending_with_empty_lines_builds_like_one_without(data_dir, tmp_path):
    from compute_ledger.data.citations import read_sources

    csv = data_dir / "sources" / "deals.csv"
    clean = read_sources(data_dir / "sources")
    with csv.open("a") as handle:
        handle.write("\n\n")  # an editor's leftovers
    result = run_cli("validate", str(data_dir / "sources"))
    assert result.returncode == 0, result.stdout
    trailing = read_sources(data_dir / "sources")
    assert trailing[0]["deals"].equals(clean[0]["deals"]) and trailing[1] == clean[1] == []


def test_row_is_the_line_an_editor_jumps_to_after_a_quoted_line_break(data_dir):
    csv = data_dir / "sources" / "deals.csv"
    set_cell(csv, 3, "description", "What was agreed,\nover two lines of the cell")  # record 4 spans lines 5-6
    set_cell(csv, 5, "status", "done")  # record 6: line 7 in a file without line breaks, line 8 here
    result = run_cli("validate", str(data_dir / "sources"))
    lines = csv.read_text().splitlines()
    assert lines[7].split(",")[0] == cell(csv, 5, "deal_id")  # line 8 (1-based) starts the damaged record
    assert f"{csv}:8:status: 'done' is not one of" in result.stdout, result.stdout

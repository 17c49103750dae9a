"""Hostile inputs reach every page as a clear message or a safe ignore: never a traceback, never lost rows."""
from __future__ import annotations

import io

import polars as pl
import pytest

from compute_ledger.data import exports
from compute_ledger.data import uploads
from tests.app.conftest import metrics_of, new_app, plain
from tests.conftest import SOURCES

# The tables each page needs; the Data page lists every problem and shows the tables that loaded.
NEEDS = {
    "pages/overview.py": {"companies", "deals", "milestones", "financials"},
    "pages/diversification.py": {"companies", "deals"},
    "pages/commitments.py": {"companies", "deals", "milestones"},
    "pages/capacity.py": {"companies", "milestones"},
    "pages/gap.py": {"companies", "deals", "financials"},
    "pages/data.py": {"companies", "deals", "milestones", "financials"},
}
PAGES = list(NEEDS)
SCRIPT = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>"


def damaged(data_dir, table: str, column: str, value, row: int = 0) -> None:
    path = data_dir / f"{table}.parquet"
    frame = pl.read_parquet(path)
    frame.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value).cast(frame.schema[column]))
                       .otherwise(pl.col(column)).alias(column)).write_parquet(path)


@pytest.mark.parametrize(("table", "column", "value", "words"), [
    ("deals", "value_usd_bn", 1e9, "outside the allowed range 0 to 5000"),
    ("deals", "value_usd_bn", float("inf"), "not a finite number"),
    ("deals", "announced", __import__("datetime").date(1900, 1, 1), "outside the allowed range"),
    ("deals", "deal_id", "D002", "duplicate value 'D002'"),
    ("deals", "provider_id", "ghost-cloud", "'ghost-cloud' is not a known company_id"),
    ("milestones", "capacity_gw", float("nan"), "not a finite number"),
    ("financials", "year", 2999, "outside the allowed range 2015 to 2035"),
])
def test_broken_value_in_a_data_file_is_named_on_every_page(data_dir, monkeypatch, table, column, value, words):
    damaged(data_dir, table, column, value)
    monkeypatch.setenv("LEDGER_DATA", str(data_dir))
    at = new_app()
    at.run()
    for page, needs in NEEDS.items():
        at.switch_page(page).run()
        assert not at.exception, page
        errors = " ".join(plain(e.value) for e in at.main.error)
        if table in needs:
            assert words in errors and f"{table}.parquet" in errors, (page, errors)
        else:  # a page that does not need the broken table keeps working
            assert not errors, (page, errors)
            assert at.main.title, page


def test_html_and_script_in_text_fields_render_as_text(data_dir, monkeypatch):
    damaged(data_dir, "deals", "description", SCRIPT, row=48)  # D049, the AWS deal
    damaged(data_dir, "companies", "name", "<b>AWS</b>", row=8)
    monkeypatch.setenv("LEDGER_DATA", str(data_dir))
    at = new_app()
    at.query_params["provider"] = "aws"
    at.run()
    assert not at.exception
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
    # The escaped name reaches markdown captions as text, not as bold markup.
    at.switch_page("pages/overview.py").run()
    assert "<b>AWS</b>" in plain(at.caption[0].value) or "&lt;b&gt;" in at.caption[0].value


def test_a_10kb_link_value_is_ignored_with_a_short_warning(open_app):
    at = open_app({"provider": "x" * 10_000, "from": "<svg onload=alert(1)>", "buyer": "openai," * 500})
    assert not at.exception
    warnings = [plain(w.value) for w in at.warning]
    assert len(warnings) == 2 and all(len(w) < 200 for w in warnings)
    assert at.multiselect(key="buyer").value == ["openai"]  # 500 repeats of a valid id are one id
    assert metrics_of(at)["Deals"] == "28"


def test_uploaded_formula_cells_are_neutralised_on_download():
    rows = pl.read_csv(SOURCES / "deals.csv", infer_schema=False).head(1).with_columns(
        deal_id=pl.lit("U777"), description=pl.lit("=HYPERLINK(\"http://evil\",\"click\") then +1 and -2"),
        chips=pl.lit("@SUM(A1:A9)"))
    from compute_ledger.data.load import load_ledger
    from tests.conftest import DATA
    ledger = load_ledger(str(DATA))
    check = uploads.check_uploaded_deals("mine.csv", rows.write_csv().encode(), ledger["deals"], ledger["companies"])
    assert check.clean  # free text may hold anything: it is data, shown as text
    merged = uploads.merge_user_deals(ledger["deals"], check.valid)
    back = pl.read_csv(io.BytesIO(exports.csv_bytes(merged.filter(pl.col("deal_id") == "U777"))))
    assert back["description"][0].startswith("'=HYPERLINK")
    assert back["chips"][0] == "'@SUM(A1:A9)"
    assert back["value_usd_bn"].dtype == pl.Float64  # numbers stay numbers

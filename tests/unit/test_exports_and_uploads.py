"""CSV neutralisation (OWASP CSV injection) and the rules for merging an analyst's uploaded deals."""
from __future__ import annotations

import io

import polars as pl
import pytest

from compute_ledger.data import exports
from compute_ledger.data import uploads
from compute_ledger.data.load import load_ledger
from tests.conftest import DATA, REPO

PUBLISHED_DEALS = REPO / "static" / "data" / "deals.csv"

LEDGER = load_ledger(str(DATA))


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_risky_text_is_prefixed(cell):
    out = exports.spreadsheet_safe(pl.DataFrame({"text": [cell]}))
    assert out["text"][0] == "'" + cell


def test_numbers_and_plain_text_stay_as_they_are():
    frame = pl.DataFrame({"text": ["Oracle", "a=b", None], "value": [-3.5, 2.0, None], "n": [-1, 2, 3]})
    out = exports.spreadsheet_safe(frame)
    assert out["text"].to_list() == ["Oracle", "a=b", None]
    back = pl.read_csv(io.BytesIO(exports.csv_bytes(frame)))
    assert back["value"].to_list() == [-3.5, 2.0, None] and back["n"].to_list() == [-1, 2, 3]


def test_parquet_download_round_trips():
    deals = LEDGER["deals"]
    assert pl.read_parquet(io.BytesIO(exports.parquet_bytes(deals))).equals(deals)


def sample_upload(changes: dict | None = None) -> bytes:
    """Two real rows of the published deals (the download's layout, with source_*) under new ids, with optional cell
    changes {(row, column): value}."""
    rows = pl.read_csv(PUBLISHED_DEALS, infer_schema=False).head(2).with_columns(
        deal_id=pl.Series(["U001", "U002"]))
    for (row, column), value in (changes or {}).items():
        rows = rows.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value, pl.String))
                                 .otherwise(pl.col(column)).alias(column))
    return rows.write_csv().encode()


def check(content: bytes, name: str = "mine.csv") -> uploads.UploadCheck:
    return uploads.check_uploaded_deals(name, content, LEDGER["deals"], LEDGER["companies"])


def test_clean_upload_merges_marked_as_user_data():
    result = check(sample_upload())
    assert result.clean and result.valid.height == 2
    merged = uploads.merge_user_deals(LEDGER["deals"], result.valid)
    assert merged.height == LEDGER["deals"].height + 2
    assert merged.filter(pl.col("origin") == uploads.ORIGIN_USER)["deal_id"].to_list() == ["U001", "U002"]


def test_bad_rows_are_listed_and_valid_rows_kept_apart():
    result = check(sample_upload({(1, "value_usd_bn"): "-5", (1, "buyer_id"): "nobody"}))
    assert not result.clean
    assert result.valid["deal_id"].to_list() == ["U001"]
    assert result.rejected.rows() == [(3, "U002", "buyer_id: 'nobody' is not a known company_id in companies; "
                                                  "value_usd_bn: -5.0 is outside the allowed range 0 to 5000")]


def test_an_id_already_in_the_ledger_is_rejected():
    result = check(sample_upload({(0, "deal_id"): "D049"}))
    assert [str(p) for p in result.problems] == ["mine.csv:2:deal_id: 'D049' is already a deal in the ledger; use a new id"]


def test_wrong_columns_make_the_file_unusable():
    result = check(b"company,amount\nAcme,3\n")
    assert not result.readable
    assert {p.column for p in result.problems} >= {"deal_id", "company", "amount"}


def test_size_limit_and_unreadable_files():
    big = b"x" * (uploads.MAX_UPLOAD_BYTES + 1)
    assert "the limit is 20 MB" in check(big).problems[0].message
    assert "cannot read this as Parquet" in check(b"not parquet", "mine.parquet").problems[0].message
    assert check(b"", "empty.csv").problems


def test_parquet_upload_counts_rows_from_1():
    frame = pl.read_csv(io.BytesIO(sample_upload({(0, "status"): "done"})), infer_schema=False)
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    result = check(buffer.getvalue(), "mine.parquet")
    assert [(p.row, p.column) for p in result.problems] == [(1, "status")]


def test_template_is_the_deals_header():
    header = uploads.template_csv().decode().strip().split(",")
    assert header[:3] == ["deal_id", "announced", "buyer_id"] and "source_url" in header

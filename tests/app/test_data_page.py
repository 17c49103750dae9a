"""The Data page: explorer, provenance, and uploading one's own deals."""
from __future__ import annotations

import polars as pl

from tests.app.conftest import metrics_of, plain
from tests.conftest import SOURCES

PAGE = "pages/data.py"


def upload_bytes(rows: int = 2, changes: dict | None = None, ids: tuple[str, ...] = ("U001", "U002")) -> bytes:
    frame = pl.read_csv(SOURCES / "deals.csv", infer_schema=False).filter(
        pl.col("deal_id").is_in(["D049", "D066"])).head(rows).with_columns(deal_id=pl.Series(list(ids[:rows])))
    for (row, column), value in (changes or {}).items():
        frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value, pl.String))
                                   .otherwise(pl.col(column)).alias(column))
    return frame.write_csv().encode()


def test_explorer_filters_and_searches(open_app):
    at = open_app({"buyer": "openai"}, page=PAGE)
    assert not at.exception
    # OpenAI is the buyer in 31 deal rows; D011, D032 and D059 overlap others and are left out
    assert at.caption[1].value.startswith("28 of 76 deals")
    at.text_input(key="data_search").set_value("Stargate").run()
    rows = at.dataframe[0].value
    found = rows["description"].str.contains("Stargate", case=False) | rows["source_title"].str.contains(
        "Stargate", case=False) | rows["chips"].fillna("").str.contains("Stargate", case=False)
    assert len(rows) == 7 and found.all()
    at.text_input(key="data_search").set_value("").run()
    at.segmented_control(key="data_table").set_value("financials").run()
    assert set(at.dataframe[0].value["company_id"]) == {"openai"}
    at.text_input(key="data_search").set_value("no such words anywhere").run()
    assert "No rows match" in at.info[0].value


def test_provenance_lists_sources_and_conflicts(open_app):
    at = open_app(page=PAGE)
    sources = at.dataframe[2].value
    assert at.subheader[0].value == f"{len(sources)} sources cited"
    assert sources["source_url"].str.startswith("http").all()
    conflicts = at.dataframe[3].value
    assert "Oracle contract value" in set(conflicts["topic"])
    assert len(at.get("download_button")) == 3  # CSV, Parquet, template


def test_clean_upload_joins_every_page_for_this_session(open_app):
    at = open_app(page=PAGE)
    at.file_uploader(key="data_upload").upload("mine.csv", upload_bytes(), "text/csv").run()
    assert not at.exception
    assert "2 deal(s) in mine.csv passed every check" in at.success[0].value
    at.button(key="data_merge").click().run()
    assert "Includes **2** deal(s) from your upload" in at.sidebar.info[0].value
    at.switch_page("pages/overview.py").run()
    assert metrics_of(at)["Deals"] == "69"  # 67 + 2
    # The uploads repeat D049 (38) and D066 (100) under new ids: committed grows by 138 to 1,388.7 bn
    assert metrics_of(at)["Committed"] == "$1.39 tn"
    at.sidebar.button(key="flt_remove_uploads").click().run()
    assert metrics_of(at)["Deals"] == "67"


def test_upload_with_wrong_columns(open_app):
    at = open_app(page=PAGE)
    at.file_uploader(key="data_upload").upload("other.csv", b"company,amount\nAcme,3\n", "text/csv").run()
    assert not at.exception
    message = plain(at.error[0].value)
    assert "other.csv cannot be used" in message
    assert "column `deal_id`: required column is missing" in message
    assert "column `amount`: unknown column" in message
    assert not at.main.button


def test_upload_with_bad_rows_lists_them_and_can_keep_the_valid_ones(open_app):
    at = open_app(page=PAGE)
    content = upload_bytes(changes={(1, "announced"): "2999-01-01", (1, "source_url"): "=HYPERLINK(1)"})
    at.file_uploader(key="data_upload").upload("mine.csv", content, "text/csv").run()
    message = plain(at.error[0].value)
    assert "nothing has been added" in message
    assert "row 3 · column `announced`: 2999-01-01 is outside the allowed range" in message
    assert "row 3 · column `source_url`: '=HYPERLINK(1)' is not an http(s) web address" in message
    rejected = at.dataframe[-1].value
    assert list(rejected["row"]) == [3] and list(rejected["deal_id"]) == ["U002"]
    assert "Includes" not in " ".join(i.value for i in at.sidebar.info)
    at.button(key="data_merge_valid").click().run()
    assert "Includes **1** deal(s)" in at.sidebar.info[0].value


def test_upload_reusing_a_ledger_id(open_app):
    at = open_app(page=PAGE)
    at.file_uploader(key="data_upload").upload("mine.csv", upload_bytes(rows=1, ids=("D049",)), "text/csv").run()
    assert "'D049' is already a deal in the ledger" in plain(at.error[0].value)
    assert not at.main.button  # no valid row, so nothing to add

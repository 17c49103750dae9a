"""The Data page: explorer, provenance, and uploading one's own deals."""
from __future__ import annotations

import re

import polars as pl

from compute_ledger.analysis.filters import apply_deal_filter
from compute_ledger.data.load import load_ledger
from compute_ledger.data.schema import SOURCE_KINDS, column_dictionary
from tests.app.conftest import metrics_of, new_app, plain
from tests.conftest import DATA, REPO

PUBLISHED_DEALS = REPO / "static" / "data" / "deals.csv"  # an upload comes in the download's layout (source_*)

PAGE = "pages/data.py"


def open_data_page_from_link(params: dict) -> object:
    """A shared link to the Data page itself: the page's own params arrive with it (a page switch drops them)."""
    at = new_app()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGE)
    at.run()
    return at


def upload_bytes(rows: int = 2, changes: dict | None = None, ids: tuple[str, ...] = ("U001", "U002")) -> bytes:
    frame = pl.read_csv(PUBLISHED_DEALS, infer_schema=False).filter(
        pl.col("deal_id").is_in(["D049", "D066"])).head(rows).with_columns(deal_id=pl.Series(list(ids[:rows])))
    for (row, column), value in (changes or {}).items():
        frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value, pl.String))
                                   .otherwise(pl.col(column)).alias(column))
    return frame.write_csv().encode()


def test_explorer_filters_and_searches(open_app):
    at = open_app({"buyer": "openai"}, page=PAGE)
    assert not at.exception
    deals = load_ledger(str(DATA))["deals"]
    kept = apply_deal_filter(deals, at.session_state["ledger_filter"])
    assert set(kept["buyer_id"]) == {"openai"} and kept.height < deals.filter(pl.col("buyer_id") == "openai").height
    assert plain(at.caption[1].value).startswith(f"{kept.height} of {deals.height} deals · filter: buyer OpenAI")
    assert set(at.dataframe[0].value["deal_id"]) == set(kept["deal_id"])
    at.text_input(key="data_search").set_value("Stargate").run()
    rows = at.dataframe[0].value
    found = rows["description"].str.contains("Stargate", case=False) | rows["source_title"].str.contains(
        "Stargate", case=False) | rows["chips"].fillna("").str.contains("Stargate", case=False)
    expected = kept.filter(pl.any_horizontal(pl.col(c).str.to_lowercase().str.contains("stargate").fill_null(False)
                                             for c in ("description", "chips", "source_title")))
    assert 0 < len(rows) == expected.height and found.all()
    at.text_input(key="data_search").set_value("").run()
    at.segmented_control(key="data_table").set_value("financials").run()
    assert set(at.dataframe[0].value["company_id"]) == {"openai"}
    at.text_input(key="data_search").set_value("no such words anywhere").run()
    assert "No rows match" in at.info[0].value


def frame_with(at, column: str):
    """The page's table that has `column` (the sources list: "domain"; the conflicts: "topic")."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_provenance_lists_sources_and_conflicts(open_app):
    at = open_app(page=PAGE)
    sources = frame_with(at, "domain")
    assert f"{len(sources)} sources cited" in [plain(s.value) for s in at.subheader]
    assert sources["source_url"].str.startswith("http").all()
    assert set(sources["source_kind"]) <= set(SOURCE_KINDS)
    conflicts = frame_with(at, "topic")
    assert set(conflicts["topic"]) == set(pl.read_csv(DATA / "conflicts.csv")["topic"])
    assert len(at.get("download_button")) == 3  # CSV, Parquet, template


def test_the_page_states_the_share_of_strong_sources(open_app):
    at = open_app(page=PAGE)
    ledger = load_ledger(str(DATA))
    kinds = pl.concat([ledger[n].select("source_kind") for n in ("deals", "milestones", "financials")])["source_kind"]
    strong = kinds.is_in(["company", "filing", "major_outlet"]).sum()
    sentence = next(plain(m.value) for m in at.markdown if "of rows cite" in m.value)
    assert sentence.startswith(f"{strong / kinds.len():.0%} of rows cite the company, a filing or a major outlet "
                               f"({strong} of {kinds.len()} sourced rows)")


def test_sources_filtered_by_kind_from_the_link(open_app, monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_data_page_from_link({"data_source_kind": ["company", "major outlet"]})
    assert not at.exception
    sources = frame_with(at, "domain")
    assert len(sources)
    assert all({"company", "major_outlet"} & set(k.split(", ")) for k in sources["source_kind"])
    assert f"{len(sources)} sources of kind company, major outlet" in [plain(s.value) for s in at.subheader]
    everything = frame_with(open_app(page=PAGE), "domain")
    assert len(sources) < len(everything)


def test_table_and_search_come_from_the_link(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_data_page_from_link({"data_table": "milestones", "data_search": "Abilene"})
    assert not at.exception
    rows = at.dataframe[0].value
    assert len(rows) and "milestone_id" in rows.columns
    assert rows[["description", "site"]].apply(lambda r: "abilene" in " ".join(map(str, r)).lower(), axis=1).all()


def test_data_as_of_is_the_newest_source_date(open_app):
    at = open_app(page=PAGE)
    ledger = load_ledger(str(DATA))
    newest = max(ledger[n]["source_date"].max() for n in ("deals", "milestones", "financials"))
    assert plain(at.caption[0].value).startswith(f"Data as of {newest.strftime('%-d %b %Y')}")


def test_clean_upload_joins_every_page_for_this_session(open_app):
    at = open_app()
    before = int(metrics_of(at)["Deals"])
    at.switch_page(PAGE).run()
    at.file_uploader(key="data_upload").upload("mine.csv", upload_bytes(), "text/csv").run()
    assert not at.exception
    assert "2 deal(s) in mine.csv passed every check" in plain(at.success[0].value)
    at.button(key="data_merge").click().run()
    assert "Includes **2** deal(s) from your upload" in at.sidebar.info[0].value
    assert list(at.dataframe[-1].value["deal_id"]) == ["U001", "U002"]  # "Your 2 deal(s) in this session"
    at.switch_page("pages/overview.py").run()
    assert metrics_of(at)["Deals"] == str(before + 2)
    at.sidebar.button(key="flt_remove_uploads").click().run()
    assert metrics_of(at)["Deals"] == str(before)


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


def test_an_uploaded_parquet_with_a_nested_column_lists_the_cells(open_app):
    import io

    rows = load_ledger(str(DATA))["deals"].head(2).with_columns(
        deal_id=pl.Series(["U001", "U002"]), chips=pl.Series([["H100", "B200"], None], dtype=pl.List(pl.String)),
        term_years=pl.Series([5.5, None], dtype=pl.Float64))
    buffer = io.BytesIO()
    rows.write_parquet(buffer)
    at = open_app(page=PAGE)
    at.file_uploader(key="data_upload").upload("mine.parquet", buffer.getvalue(), "application/octet-stream").run()
    assert not at.exception
    message = plain(at.error[0].value)
    assert "row 1 · column `chips`: cannot read" in message and "List(String)" in message
    assert "row 1 · column `term_years`: cannot read '5.5' as a whole number" in message
    assert plain(at.button(key="data_merge_valid").label) == "Use the 1 valid row(s) only; leave out the 1 listed above"


def test_the_methodology_and_the_stable_links_are_on_the_page(open_app):
    at = open_app(page="pages/data.py")
    assert [t.label for t in at.tabs][2] == "How totals are counted"
    methodology = (DATA.parent / "docs" / "methodology.md").read_text().split("\n", 1)[1].strip()
    assert methodology in [m.value for m in at.markdown]  # the README's words (tests/unit/test_docs.py)
    links = frame_with(at, "parquet")
    assert list(links["table"]) == ["companies", "deals", "milestones", "financials", "citations", "publishers",
                                    "dataset"]
    assert links["csv"][1] == "http://localhost:8501/app/static/data/deals.csv"  # AppTest has no browser address
    assert 'pl.read_parquet("http://localhost:8501/app/static/data/deals.parquet")' in at.code[0].value


def test_the_german_data_page_shows_the_german_methodology(open_app):
    at = open_app({"lang": "de"}, page="pages/data.py")
    assert not at.exception
    assert [t.label for t in at.tabs][2] == "Wie Summen gezählt werden"
    german = (DATA.parent / "docs" / "methodology.de.md").read_text().split("\n", 1)[1].strip()
    english = (DATA.parent / "docs" / "methodology.md").read_text().split("\n", 1)[1].strip()
    shown = [m.value for m in at.markdown]
    assert german in shown and english not in shown


def test_the_german_data_page_writes_german_numbers_dates_and_headers(open_app):
    from tests.app.test_german import GERMAN_NUMBER
    at = open_app({"lang": "de"}, page=PAGE)
    assert not at.exception
    summary = plain(at.caption[0].value)
    assert re.match(r"Datenstand \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4} \(das jüngste Quellendatum\)", summary), summary
    strength = frame_with(at, "amount")
    assert len(strength) and all(GERMAN_NUMBER.match(v) for v in strength["amount"]), list(strength["amount"])
    shares = strength.drop(columns=["total", "amount"]).fillna(0)  # the browser writes them: one decimal, as English
    assert len(shares.columns) >= 3 and (shares == shares.round(1)).all().all()
    dictionary = frame_with(at, "meaning")
    # The cells keep the data's names; the meanings are German, the Data Package's stay English.
    deal_layer = dictionary[(dictionary["table"] == "deals") & (dictionary["column"] == "layer")]
    assert deal_layer["meaning"].iloc[0].startswith("Was das Geld kauft, auf welcher Stufe der Kette: end_user")
    assert set(dictionary.loc[dictionary["unit"] != "", "unit"]) == {"Mrd. USD", "GW", "Jahre", "Jahr", "Grad"}
    kind = dictionary[(dictionary["table"] == "publishers") & (dictionary["column"] == "kind")]["meaning"].iloc[0]
    assert kind.startswith("Was der Herausgeber ist, einmal beurteilt: company: das Unternehmen selbst")
    assert column_dictionary()["unit"].unique().sort().to_list() == ["", "GW", "USD bn", "degrees", "year", "years"]


def test_a_german_link_to_a_table_and_source_kinds_opens_in_english_and_the_other_way(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_data_page_from_link({"data_table": "Meilensteine", "data_source_kind": ["großes Medium"]})
    assert not at.exception and not at.warning
    assert at.segmented_control(key="data_table").value == "milestones"
    assert at.pills(key="data_source_kind").value == ["major_outlet"]
    at = open_data_page_from_link({"lang": "de", "data_table": "milestones", "data_source_kind": ["major outlet"]})
    assert not at.exception and not at.warning
    assert at.segmented_control(key="data_table").value == "milestones"
    assert at.pills(key="data_source_kind").value == ["major_outlet"]
    assert plain(at.subheader[-2].value).endswith("Quellen der Art großes Medium") or any(
        plain(s.value).endswith("der Art großes Medium") for s in at.subheader)

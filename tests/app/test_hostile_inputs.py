"""Hostile inputs reach every page as a clear message or a safe ignore: never a traceback, never lost rows."""
from __future__ import annotations

import io

import polars as pl
import pytest

from compute_ledger.data import exports
from compute_ledger.data import uploads
from tests.app.conftest import metrics_of, new_app, plain
from tests.conftest import REPO

# The tables each page needs; the Data page lists every problem and shows the tables that loaded.
NEEDS = {
    "pages/overview.py": {"companies", "deals", "milestones", "financials"},
    "pages/diversification.py": {"companies", "deals"},
    "pages/commitments.py": {"companies", "deals", "milestones"},
    "pages/capacity.py": {"companies", "milestones"},
    "pages/gap.py": {"companies", "deals", "financials"},
    "pages/exposure.py": {"companies", "deals", "financials"},
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


def openai_deals() -> int:
    """OpenAI's deals as buyer in the bundled sources under the default filter: overlapping rows and the
    reported-only tier left out."""
    import polars as pl

    from tests.conftest import SOURCES
    deals = pl.read_csv(SOURCES / "deals.csv", infer_schema=False)
    return deals.filter((pl.col("buyer_id") == "openai") & (pl.col("counts_in_totals") == "true")
                        & pl.col("firmness").is_in(["definitive", "announced"])).height


def test_a_10kb_link_value_is_ignored_with_a_short_warning(open_app):
    at = open_app({"provider": "x" * 10_000, "from": "<svg onload=alert(1)>", "buyer": "openai," * 500})
    assert not at.exception
    warnings = [plain(w.value) for w in at.warning]
    assert len(warnings) == 2 and all(len(w) < 200 for w in warnings)
    assert at.multiselect(key="buyer").value == ["openai"]  # 500 repeats of a valid id are one id
    assert metrics_of(at)["Deals"] == str(openai_deals())


def test_uploaded_formula_cells_are_neutralised_on_download():
    rows = pl.read_csv(REPO / "static" / "data" / "deals.csv", infer_schema=False).head(1).with_columns(
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


# --- issue #17, round two ----------------------------------------------------------------------------------------

import time  # noqa: E402

from compute_ledger.app import loading  # noqa: E402
from compute_ledger.data import load as load_module  # noqa: E402
from tests.hostile_servers import FileHost, SilentHost, free_port  # noqa: E402

DATA_PAGE = "pages/data.py"


def _replace(data_dir, table: str, make) -> None:
    path = data_dir / f"{table}.parquet"
    make(pl.read_parquet(path)).write_parquet(path)


def _chips_as_lists(frame):
    return frame.with_columns(pl.col("chips").map_elements(lambda v: [v], return_dtype=pl.List(pl.String),
                                                            skip_nulls=True))


@pytest.fixture
def fresh_cache():
    """Each test loads its own data location from scratch (the ledger cache lives as long as the process)."""
    loading._complete_ledger.clear()
    loading._recent_failures.clear()
    yield
    loading._complete_ledger.clear()
    loading._recent_failures.clear()


@pytest.mark.parametrize(("table", "damage", "words"), [
    ("deals", _chips_as_lists, "chips`: cannot read"),
    ("deals", lambda f: f.with_columns(pl.col("term_years").cast(pl.Float64) + 0.5), "as a whole number"),
    ("financials", lambda f: f.with_columns(pl.col("year").cast(pl.Float64) + 0.25), "as a whole number"),
    ("deals", lambda f: f.drop("value_usd_bn"), "value_usd_bn`: column is missing"),
    ("milestones", lambda f: f.drop("site"), "site`: required column is missing"),
    ("companies", lambda f: f.with_columns(pl.col("name").cast(pl.Binary)), "name`: cannot read"),
], ids=["nested-chips", "float-term", "float-year", "no-value-column", "no-site-column", "binary-name"])
def test_a_wrong_type_or_a_missing_column_is_named_on_every_page(data_dir, monkeypatch, fresh_cache, table, damage,
                                                                 words):
    _replace(data_dir, table, damage)
    monkeypatch.setenv("LEDGER_DATA", str(data_dir))
    at = new_app()
    at.run()
    for page, needs in NEEDS.items():
        at.switch_page(page).run()
        assert not at.exception, page
        errors = " ".join(plain(e.value) for e in at.main.error)
        if table in needs or (table == "companies"):  # every table's ids point into companies
            assert words in errors and f"{table}.parquet" in errors, (page, errors)
        else:
            assert not errors, (page, errors)


def _garbage_folder(tmp_path):
    folder = tmp_path / "garbage"
    folder.mkdir()
    for name in ("companies", "deals", "milestones", "financials"):
        (folder / f"{name}.parquet").write_bytes(b"not parquet at all")
    return str(folder)


@pytest.mark.parametrize("location", [
    lambda tmp: str(tmp),  # an empty folder
    lambda tmp: str(tmp / "nowhere"),
    lambda tmp: f"http://127.0.0.1:{free_port()}/ledger",  # a host that is down
    _garbage_folder,
    lambda tmp: str(__import__("tests.conftest", fromlist=["DATA"]).DATA / "deals.parquet"),  # one file
], ids=["empty-folder", "no-folder", "unreachable-url", "unreadable-files", "one-file"])
def test_the_data_page_shows_what_is_missing_when_nothing_loads(tmp_path, monkeypatch, fresh_cache, location):
    where = location(tmp_path)
    monkeypatch.setenv("LEDGER_DATA", where)
    monkeypatch.setattr(load_module, "REMOTE_TIMEOUT_S", 2.0)
    at = new_app()
    at.switch_page(DATA_PAGE)
    at.run()
    assert not at.exception
    error = plain(at.main.error[0].value)
    assert "No data could be loaded from" in error and where in error
    assert "could not be loaded" in at.info[0].value
    assert "0 sources cited" in [plain(s.value) for s in at.subheader]
    assert at.dataframe  # the column dictionary and the conflicts are still there
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.main.error, page


def test_a_folder_with_only_some_tables(data_dir, monkeypatch, fresh_cache):
    for name in ("deals", "financials"):
        (data_dir / f"{name}.parquet").unlink()
    monkeypatch.setenv("LEDGER_DATA", str(data_dir))
    at = new_app()
    at.switch_page(DATA_PAGE)
    at.run()
    assert not at.exception
    assert "deals.parquet` · row - · column `-`: file not found" in plain(at.main.error[0].value)
    assert "The deals table could not be loaded" in at.info[0].value
    at.segmented_control(key="data_table").set_value("milestones").run()
    assert "milestone_id" in at.dataframe[0].value.columns
    at.switch_page("pages/capacity.py").run()  # needs companies and milestones only
    assert not at.exception and not at.main.error


def test_a_failed_remote_load_is_tried_again(data_dir, monkeypatch, fresh_cache):
    port = free_port()
    monkeypatch.setenv("LEDGER_DATA", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(load_module, "REMOTE_TIMEOUT_S", 2.0)
    at = new_app()
    at.switch_page(DATA_PAGE)
    at.run()
    assert "cannot reach the host" in plain(at.main.error[0].value)
    host = FileHost(data_dir, port)
    try:
        # Within the retry window the failure is reused: the pages stay quick while the host is down.
        monkeypatch.setattr(loading, "RETRY_AFTER_S", 3600.0)
        again = new_app()
        again.switch_page(DATA_PAGE)
        again.run()
        assert "cannot reach the host" in plain(again.main.error[0].value)
        # After it, the next visitor's page loads the data that is now there.
        monkeypatch.setattr(loading, "RETRY_AFTER_S", 0.0)
        later = new_app()
        later.switch_page(DATA_PAGE)
        later.run()
        assert not later.exception and not later.main.error
        assert "milestones" in plain(later.caption[0].value)
        later.switch_page("pages/overview.py").run()
        assert not later.main.error and metrics_of(later)["Deals"]
    finally:
        host.stop()


def test_a_host_that_never_answers_costs_one_timeout_then_nothing(monkeypatch, fresh_cache):
    host = SilentHost()
    monkeypatch.setenv("LEDGER_DATA", host.url)
    monkeypatch.setattr(load_module, "REMOTE_TIMEOUT_S", 1.0)
    try:
        at = new_app()
        at.switch_page(DATA_PAGE)
        started = time.monotonic()
        at.run()
        assert time.monotonic() - started < 8
        assert not at.exception
        assert "no complete answer within 1 s" in plain(at.main.error[0].value)
        connections = host.connections
        assert connections == 7  # the four tables and citations, publishers, dataset, asked for at once
        for page in PAGES:  # every other page says so at once, without asking the dead host again
            at.switch_page(page).run()
            assert not at.exception and at.main.error, page
        assert host.connections == connections
    finally:
        host.stop()


HOSTILE = "![x](https://evil.example/x.png) [click](https://evil.example/c)"


def _markdown_of(at) -> str:
    """Every Markdown element that shows the payload (the payload's host is the marker)."""
    return " ".join(e.value for kind in ("markdown", "caption", "subheader", "title", "error", "info", "success")
                    for e in at.main.get(kind) if "evil" in e.value)


def _is_escaped(text: str) -> bool:
    """No live image or link: every '[' and '(' of the payload is escaped."""
    return "![x](" not in text and "[click](" not in text and "](https" not in text


def test_markdown_in_a_company_name_and_the_search_is_text_on_the_data_page(data_dir, monkeypatch, fresh_cache):
    damaged(data_dir, "companies", "name", HOSTILE, row=8)  # aws
    monkeypatch.setenv("LEDGER_DATA", str(data_dir))
    at = new_app()
    at.query_params["provider"] = "aws"
    at.query_params["data_search"] = "[click](https://evil.example/s)"
    at.switch_page(DATA_PAGE)
    at.run()
    assert not at.exception
    text = _markdown_of(at)
    assert "evil" in text and _is_escaped(text), text
    assert "evil" in plain(at.caption[1].value)  # the filter names the provider, as text


def test_an_uploaded_file_name_with_markdown_is_text(monkeypatch, fresh_cache):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = new_app()
    at.switch_page(DATA_PAGE)
    at.run()
    name = "![x](https:evil.example) [click](javascript:alert(1)).csv"
    at.file_uploader(key="data_upload").upload(name, b"company,amount\nAcme,3\n", "text/csv").run()
    assert not at.exception
    heading, _, listed = at.main.error[0].value.partition("\n\n")
    assert "evil" in heading and _is_escaped(heading) and "cannot be used" in heading
    # The problems name the file inside code spans, where Markdown is not read
    assert listed.startswith(f"- `{name}`")


def test_the_overview_story_escapes_a_company_name(data_dir, monkeypatch, fresh_cache):
    damaged(data_dir, "companies", "name", HOSTILE, row=8)  # aws, one of OpenAI's clouds in the story
    monkeypatch.setenv("LEDGER_DATA", str(data_dir))
    at = new_app()
    at.run()
    assert not at.exception
    story = at.markdown[0].value
    assert "evil" in story and _is_escaped(story), story


# --- issue #24, round three: data text never becomes markup, on any page, in any element -------------------------

import json  # noqa: E402
import re  # noqa: E402

from google.protobuf.json_format import MessageToDict  # noqa: E402

from tests.fixtures.hostile_ledger import PAYLOADS, TABLES, free_text_columns, hostile_ledger  # noqa: E402


def test_every_free_text_column_is_covered():
    covered = {t.name: [c.name for c in free_text_columns(t)] for t in TABLES}
    assert "name" in covered["companies"] and "description" in covered["deals"]
    assert {"source_title", "source_note", "headline"} <= set(covered["deals"]) and "site" in covered["milestones"]


MARKDOWN_FIELDS = {"body", "label", "help", "caption", "placeholder"}
# What the payload would become if any of it reached the screen as markup: after removing every escaped character
# (a backslash and what follows), none of these may remain.
LIVE_MARKDOWN = re.compile(r"!\[x\]|\[link\]|<img|<a\b|\*\*bold\*\*|:red\[", re.IGNORECASE)
LIVE_HTML = re.compile(r"<img|<a\b", re.IGNORECASE)


def _strings(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def live_markup(at) -> list[str]:
    """Every place in the app's elements (main and sidebar, every block) where data text would render as markup:
    Markdown fields (bodies, labels, help, captions) and the Plotly figures' own HTML."""
    found = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            for key, value in _strings(MessageToDict(proto)):
                if key in MARKDOWN_FIELDS and LIVE_MARKDOWN.search(re.sub(r"\\.", "", value, flags=re.DOTALL)):
                    found.append(f"{type(node).__name__}.{key}: {value[:300]}")
                elif key == "spec":
                    for k, text in _strings(json.loads(value)):
                        if LIVE_HTML.search(text):
                            found.append(f"chart {k}: {text[:300]}")
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def _payload_shown(at) -> bool:
    return any("evil" in v for _, v in _strings([MessageToDict(n.proto) for n in _all_nodes(at._tree)
                                                   if getattr(n, "proto", None) is not None]))


def _all_nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _all_nodes(child)


HOSTILE_VISITS = [
    ("pages/overview.py", {"since": "2019-01-01"}),
    ("pages/overview.py", {"provider": "aws,oracle-oci,coreweave", "buyer": "openai"}),
    # The German Overview (issue 29): translated templates carry the same data values, escaped the same way.
    ("pages/overview.py", {"lang": "de", "since": "2019-01-01"}),
    ("pages/overview.py", {"lang": "de", "provider": "aws,oracle-oci,coreweave", "buyer": "openai"}),
    ("pages/diversification.py", {}),
    ("pages/diversification.py", {"div_buyer": "anthropic"}),
    ("pages/commitments.py", {}),
    ("pages/commitments.py", {"cmt_group": "buyer", "cmt_measure": "gw"}),
    ("pages/capacity.py", {}),
    ("pages/gap.py", {}),
    ("pages/exposure.py", {}),
    ("pages/exposure.py", {"exp_preset": "Your own inputs", "exp_paid": "50"}),
    ("pages/embed.py", {"chart": "overview-by-provider"}),
    ("pages/embed.py", {"chart": "exposure-backlog"}),
    ("pages/embed.py", {"chart": "<b>evil</b>[x](http://127.0.0.1:9/)"}),
    ("pages/data.py", {"data_search": "evil"}),
    ("pages/data.py", {"data_table": "milestones"}),
    ("pages/data.py", {"data_table": "financials"}),
    ("pages/data.py", {"data_table": "companies"}),
    ("pages/company.py", {}),
    ("pages/company.py", {"id": "openai"}),
    ("pages/company.py", {"id": "oracle-oci"}),
    ("pages/company.py", {"id": "aws,openai,nvidia"}),
    ("pages/company.py", {"id": "stargate-llc,nscale"}),
]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    import shutil

    from tests.conftest import DATA
    folder = tmp_path_factory.mktemp("hostile24") / "data"
    shutil.copytree(DATA, folder)
    hostile_ledger(folder)
    return folder


@pytest.mark.parametrize(("page", "params"), HOSTILE_VISITS, ids=[f"{p.split('/')[1][:-3]}-{'&'.join(q) or 'plain'}"
                                                                 for p, q in HOSTILE_VISITS])
def test_markdown_and_html_in_every_text_field_never_become_markup(hostile_dir, monkeypatch, fresh_cache, page,
                                                                     params):
    monkeypatch.setenv("LEDGER_DATA", str(hostile_dir))
    at = new_app()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.main.error, [e.value[:300] for e in at.main.error]  # the hostile data is valid data
    if page.endswith("company.py") and not params:
        assert at.main.get("page_link"), "no suggestions drawn"
    assert _payload_shown(at), "the payload is not on this page: the test would prove nothing"
    assert not live_markup(at), live_markup(at)


def test_the_sidebar_profile_links_show_a_hostile_name_as_text(hostile_dir, monkeypatch, fresh_cache):
    monkeypatch.setenv("LEDGER_DATA", str(hostile_dir))
    at = new_app()
    at.query_params["provider"] = "aws,oracle-oci"
    at.run()
    labels = [MessageToDict(n.proto).get("label", "") for n in _all_nodes(at.sidebar)
              if getattr(n, "proto", None) is not None]
    assert any("Open profile" in label and "evil" in label for label in labels), labels
    assert not live_markup(at), live_markup(at)


def test_an_uploaded_file_with_markdown_in_its_name_and_cells_is_text(hostile_dir, monkeypatch, fresh_cache):
    monkeypatch.setenv("LEDGER_DATA", str(hostile_dir))
    at = new_app()
    at.switch_page(DATA_PAGE).run()
    rows = pl.read_csv(REPO / "static" / "data" / "deals.csv", infer_schema=False).head(2).with_columns(
        deal_id=pl.Series(["U901", "U902"]), description=pl.lit(PAYLOADS[0]), source_title=pl.lit(PAYLOADS[1]))
    at.file_uploader(key="data_upload").upload(f"{PAYLOADS[2]}.csv", rows.write_csv().encode(), "text/csv").run()
    assert not at.exception
    assert at.main.success and "evil" in at.main.success[0].value
    assert not live_markup(at), live_markup(at)
    at.button(key="data_merge").click().run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception and not live_markup(at), (page, live_markup(at))


def test_after_a_failed_remote_load_the_page_says_when_it_retries_and_can_try_now(data_dir, monkeypatch, fresh_cache):
    port = free_port()
    monkeypatch.setenv("LEDGER_DATA", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(load_module, "REMOTE_TIMEOUT_S", 2.0)
    monkeypatch.setattr(loading, "RETRY_AFTER_S", 3600.0)  # the window would otherwise hide the host's recovery
    at = new_app()
    at.switch_page("pages/overview.py")
    at.run()
    assert "cannot reach the host" in plain(at.main.error[0].value)
    said = " ".join(plain(c.value) for c in at.main.caption)
    assert re.search(r"The data is read again in 3[56]\d\d s", said), said
    host = FileHost(data_dir, port)
    try:
        at.button(key="retry_load_page").click().run()  # the host is back: no need to wait for the window
        assert not at.exception and not at.main.error
        assert metrics_of(at)["Deals"]
        assert not [b for b in at.button if b.key == "retry_load_page"]  # nothing to retry any more
    finally:
        host.stop()

"""Loading from a folder, from $LEDGER_DATA and from a URL prefix; broken files become problems."""
from __future__ import annotations

import functools
import http.server
import io
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from compute_ledger.data.load import ENV_VAR, REPO_DATA_DIR, data_location, load_ledger
from compute_ledger.data.schema import TABLE_NAMES


def test_default_location_is_the_repo_data_folder(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert data_location() == str(REPO_DATA_DIR)
    monkeypatch.setenv(ENV_VAR, "/srv/ledger")
    assert data_location() == "/srv/ledger"


def test_bundled_data_loads_clean():
    ledger = load_ledger(str(REPO_DATA_DIR))
    assert ledger.problems == ()
    assert ledger.has(*TABLE_NAMES)
    assert ledger["deals"].schema["announced"] == pl.Date
    assert ledger["deals"].schema["counts_in_totals"] == pl.Boolean


def test_env_var_points_the_loader_elsewhere(data_dir, monkeypatch):
    pl.read_parquet(data_dir / "deals.parquet").head(3).write_parquet(data_dir / "deals.parquet")
    monkeypatch.setenv(ENV_VAR, str(data_dir))
    assert load_ledger()["deals"].height == 3


def test_missing_folder_reports_every_table(tmp_path):
    ledger = load_ledger(str(tmp_path / "absent"))
    assert ledger.tables == {}
    assert [(Path(p.file).name, p.message) for p in ledger.problems] == sorted(
        (f"{n}.parquet", "file not found") for n in TABLE_NAMES)


@pytest.mark.parametrize(("damage", "words"), [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "cannot read the file"),
    (lambda p: p.write_bytes(b"\x00" * 64), "cannot read the file"),
    (lambda p: pl.read_parquet(p).head(0).write_parquet(p), "the file has no rows"),
], ids=["truncated", "garbage", "empty"])
def test_damaged_parquet_is_a_problem_not_a_crash(data_dir, damage, words):
    damage(data_dir / "milestones.parquet")
    ledger = load_ledger(str(data_dir))
    assert ledger.missing(*TABLE_NAMES) == ["milestones"]
    (problem,) = ledger.problems
    assert problem.file == str(data_dir / "milestones.parquet") and words in problem.message


def test_wrong_column_types_in_parquet(data_dir):
    path = data_dir / "deals.parquet"
    frame = pl.read_parquet(path).with_columns(pl.col("value_usd_bn").cast(pl.String))
    frame.with_columns(pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("lots")).otherwise(pl.col("value_usd_bn"))
                       .alias("value_usd_bn")).write_parquet(path)
    ledger = load_ledger(str(data_dir))
    assert [str(p) for p in ledger.problems] == [f"{path}:2:value_usd_bn: cannot read 'lots' as a number"]


def test_dangling_company_in_parquet_blocks_only_that_table(data_dir):
    path = data_dir / "financials.parquet"
    pl.read_parquet(path).with_columns(pl.lit("ghost-corp").alias("company_id")).write_parquet(path)
    ledger = load_ledger(str(data_dir))
    assert ledger.missing(*TABLE_NAMES) == ["financials"]
    assert ledger.problems[0].message == "'ghost-corp' is not a known company_id in companies"
    assert ledger.problems_for("deals") == []


def test_unchanged_deals_are_still_checked_against_a_changed_companies_file(data_dir):
    # deals.parquet is as the build wrote it, so its own rules are not checked again; but companies.parquet
    # changed after the build, so the references between the two must be.
    path = data_dir / "companies.parquet"
    pl.read_parquet(path).filter(pl.col("company_id") != "coreweave").write_parquet(path)
    ledger = load_ledger(str(data_dir))
    assert "deals" in ledger.missing(*TABLE_NAMES)
    assert any(p.file.endswith("deals.parquet") and p.column in ("buyer_id", "provider_id")
               and p.message == "'coreweave' is not a known company_id in companies" for p in ledger.problems)


def test_files_the_build_vouches_for_load_exactly_as_fully_checked_ones(data_dir):
    trusted = load_ledger(str(data_dir))
    (data_dir / "manifest.json").unlink()
    checked = load_ledger(str(data_dir))
    assert not trusted.problems and not checked.problems
    for name in TABLE_NAMES:
        assert trusted[name].equals(checked[name]), name


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that answers HTTP range requests, as object stores and CDNs do."""

    def log_message(self, *args):
        pass

    def send_head(self):
        header = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        if not header or not path.is_file():
            return super().send_head()
        data = path.read_bytes()
        start_text, end_text = header.removeprefix("bytes=").split("-")
        if start_text == "":  # suffix range: the last N bytes
            start, end = max(0, len(data) - int(end_text)), len(data) - 1
        else:
            start, end = int(start_text), int(end_text) if end_text else len(data) - 1
        end = min(end, len(data) - 1)
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return io.BytesIO(data[start:end + 1])


@pytest.fixture
def http_data_url(data_dir):
    handler = functools.partial(RangeHandler, directory=str(data_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_prefix_is_read_by_polars_remote_reader(http_data_url, monkeypatch):
    monkeypatch.setenv(ENV_VAR, http_data_url + "/")
    ledger = load_ledger()
    assert ledger.problems == ()
    assert ledger["deals"].equals(load_ledger(str(REPO_DATA_DIR))["deals"])


def test_url_prefix_with_a_missing_file(http_data_url, data_dir):
    (data_dir / "companies.parquet").unlink()
    ledger = load_ledger(http_data_url)
    assert "companies" in ledger.missing("companies")
    assert ledger.problems[0].file == f"{http_data_url}/companies.parquet"
    assert "cannot read the file" in ledger.problems[0].message


# --- issue #17 (7, 8): remote reads are bounded, and a failed one is worth trying again -----------------------

from compute_ledger.data import load as load_module  # noqa: E402
from tests.hostile_servers import ErrorHost, FileHost, SilentHost, free_port  # noqa: E402


def test_a_host_that_is_down_then_up(data_dir):
    port = free_port()
    down = load_ledger(f"http://127.0.0.1:{port}", timeout=2)
    assert down.tables == {} and down.incomplete
    assert len(down.problems) == len(TABLE_NAMES)
    assert all("cannot reach the host" in p.message for p in down.problems)
    host = FileHost(data_dir, port)
    try:
        up = load_ledger(host.url, timeout=5)
        assert up.problems == () and not up.incomplete and up.has(*TABLE_NAMES)
    finally:
        host.stop()


@pytest.mark.parametrize("drip", [None, 0.2], ids=["never-answers", "one-byte-at-a-time"])
def test_a_host_that_never_finishes_is_cut_off_within_the_timeout(monkeypatch, drip):
    monkeypatch.setattr(load_module, "REMOTE_TIMEOUT_S", 1.0)
    host = SilentHost(drip=drip)
    try:
        started = time.monotonic()
        ledger = load_ledger(host.url)
        elapsed = time.monotonic() - started
    finally:
        host.stop()
    # The four tables are fetched at once: one timeout in all, not four (plus one read for a dripping host).
    assert elapsed < 3.5, elapsed
    assert ledger.tables == {} and ledger.incomplete
    assert {p.message for p in ledger.problems} == {"cannot read the file (no complete answer within 1 s)"}


@pytest.mark.parametrize("status", [404, 500, 503])
def test_an_http_error_is_named(status):
    host = ErrorHost(status)
    try:
        ledger = load_ledger(host.url, timeout=5)
    finally:
        host.stop()
    assert ledger.incomplete
    assert all(p.message.startswith(f"cannot read the file (HTTP {status}") for p in ledger.problems)


def test_a_url_serving_garbage_is_unreadable_not_unreachable(data_dir):
    (data_dir / "deals.parquet").write_bytes(b"<html>not parquet</html>")
    host = FileHost(data_dir)
    try:
        ledger = load_ledger(host.url, timeout=5)
    finally:
        host.stop()
    assert ledger.missing(*TABLE_NAMES) == ["deals"]
    (problem,) = ledger.problems
    assert problem.file == f"{host.url}/deals.parquet" and problem.message.startswith("cannot read the file")


def test_an_endless_body_is_refused_beyond_the_size_limit(monkeypatch):
    monkeypatch.setattr(load_module, "MAX_REMOTE_BYTES", 10)
    host = SilentHost(drip=0.001)
    try:
        ledger = load_ledger(host.url, timeout=5)
    finally:
        host.stop()
    assert all("larger than" in p.message for p in ledger.problems)

"""Read the ledger's tables from a folder or a URL prefix, type them and check them.

No Streamlit here: the app wraps `load_ledger` in its cache; the CLI and the tests call it directly.
A broken table never takes the others down: each table is read and checked on its own, and the
Ledger keeps the good ones beside the list of problems.

A data location ($LEDGER_DATA) is a folder or a URL prefix holding companies.parquet, deals.parquet,
milestones.parquet and financials.parquet; never one file. `validate` with no argument checks exactly that.
Every remote read is bounded by REMOTE_TIMEOUT_S: a host that never answers is a problem, not a hung page.
"""
from __future__ import annotations

import io
import os
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from compute_ledger.data.manifest import validated_by_build
from compute_ledger.data.ingest import CSV_FIRST_ROW, PARQUET_FIRST_ROW, coerce, editor_lines, read_csv_text
from compute_ledger.data.problems import NO_COLUMN, NO_ROW, Problem, shorten
from compute_ledger.data.schema import PROVENANCE_TABLE_NAMES, TABLE_NAMES, TABLES, Table
from compute_ledger.data.validation import check_references, check_table, sort_problems
from compute_ledger.i18n import Later, t_later

ENV_VAR = "LEDGER_DATA"
REPO_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REMOTE_PREFIXES = ("http://", "https://", "s3://", "s3a://", "gs://", "gcs://", "az://", "abfs://", "hf://")
HTTP_PREFIXES = ("http://", "https://")
# Long enough for a million-row table from a slow object store, short enough that a dead host is reported
# while the reader is still looking at the page.
REMOTE_TIMEOUT_S = float(os.environ.get("LEDGER_TIMEOUT_S", "20"))
MAX_REMOTE_BYTES = 1 << 30  # a hostile URL streaming without end must not fill the server's memory
EXPECTED_FILES = ", ".join(f"{name}.parquet" for name in TABLE_NAMES)


def data_location() -> str:
    """Where the app reads from: $LEDGER_DATA (a folder or URL prefix), else the repo's data/."""
    return os.environ.get(ENV_VAR, "").strip() or str(REPO_DATA_DIR)


def is_remote(location: str) -> bool:
    return location.lower().startswith(REMOTE_PREFIXES)


def location_problem(location: str) -> Problem | None:
    """Why `location` cannot be a data location (one file), or None. The app and `validate` both ask this."""
    one_file = location.lower().rstrip("/").endswith((".parquet", ".csv")) or (
        not is_remote(location) and Path(location).is_file())
    if one_file:
        return Problem(location, NO_ROW, NO_COLUMN,
                       t_later("this is one file; {variable} must be a folder or URL prefix holding {files}",
                               variable=ENV_VAR, files=EXPECTED_FILES))
    return None


def table_uri(location: str, name: str, suffix: str = ".parquet") -> str:
    if is_remote(location):
        return f"{location.rstrip('/')}/{name}{suffix}"
    return str(Path(location) / f"{name}{suffix}")


def first_row_for(uri: str) -> int:
    return CSV_FIRST_ROW if uri.lower().endswith(".csv") else PARQUET_FIRST_ROW


def _reason(err: BaseException) -> str:
    if err.args and isinstance(err.args[0], Later):  # our own words (too large): said in the reader's language
        return err.args[0]
    text = str(err).strip()
    return shorten(text.splitlines()[0] if text else type(err).__name__, 160)


def fetch_bytes(url: str, timeout: float | None = None) -> bytes:
    """The body at an http(s) address, within `timeout` seconds in all (a host that answers one byte at a time
    is cut off too). Raises TimeoutError, urllib.error.URLError or ValueError (too large)."""
    timeout = REMOTE_TIMEOUT_S if timeout is None else timeout
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": "compute-ledger"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = io.BytesIO()
        while block := response.read1(1 << 20):
            body.write(block)
            if body.tell() > MAX_REMOTE_BYTES:
                raise ValueError(t_later("the file is larger than {mb} MB", mb=MAX_REMOTE_BYTES >> 20))
            if time.monotonic() > deadline:
                raise TimeoutError
        return body.getvalue()


def _remote_failure(uri: str, err: BaseException, timeout: float) -> Problem:
    if isinstance(err, urllib.error.HTTPError):
        why = f"HTTP {err.code} {err.reason}".strip()
    elif isinstance(err, TimeoutError) or isinstance(getattr(err, "reason", None), TimeoutError):
        why = t_later("no complete answer within {seconds} s", seconds=f"{timeout:g}")
    elif isinstance(err, urllib.error.URLError):
        why = t_later("cannot reach the host: {reason}", reason=_reason(err.reason)
                      if isinstance(err.reason, BaseException) else err.reason)
    else:
        why = _reason(err)
    return Problem(uri, NO_ROW, NO_COLUMN, t_later("cannot read the file ({reason})", reason=why))


def _read_object_store(uri: str, timeout: float) -> pl.DataFrame:
    """s3://, gs://, az://, hf://: Polars' own reader, waited for at most `timeout` (it has no deadline of its own;
    a stuck read is left to finish in the background, the page goes on)."""
    result: dict[str, object] = {}

    def read() -> None:
        try:
            result["frame"] = (read_csv_text(uri) if uri.lower().endswith(".csv")
                               else pl.scan_parquet(uri).collect().rechunk())
        except Exception as err:  # handed to the caller below
            result["error"] = err

    worker = threading.Thread(target=read, daemon=True, name=f"ledger-read {uri}")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError
    if "error" in result:
        raise result["error"]
    return result["frame"]


def read_raw(uri: str, timeout: float | None = None) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The file as stored (CSV as text), or a Problem saying why it could not be read."""
    timeout = REMOTE_TIMEOUT_S if timeout is None else timeout
    is_csv = uri.lower().endswith(".csv")
    if not is_remote(uri) and not Path(uri).exists():
        return None, [Problem(uri, NO_ROW, NO_COLUMN, t_later("file not found"))]
    try:
        if uri.lower().startswith(HTTP_PREFIXES):
            content = fetch_bytes(uri, timeout)
        elif is_remote(uri):
            content = _read_object_store(uri, timeout)
        else:
            content = uri
    except Exception as err:  # network, timeout, object store: all mean "could not fetch"
        return None, [_remote_failure(uri, err, timeout)]
    try:
        if isinstance(content, pl.DataFrame):
            frame = content
        elif is_csv:
            frame = read_csv_text(content)
        else:
            # One contiguous chunk (a parquet file arrives in one per row group): sorts, top-k and gathers on a
            # chunked frame cost up to 4x more, on every rerun, while rechunking is paid once, at load.
            source = io.BytesIO(content) if isinstance(content, bytes) else content
            frame = pl.read_parquet(source).rechunk()
    except Exception as err:  # polars raises many kinds (IO, compute, OS); all mean "unreadable"
        return None, [Problem(uri, NO_ROW, NO_COLUMN, t_later("cannot read the file ({reason})", reason=_reason(err)))]
    if frame.height == 0:
        return None, [Problem(uri, NO_ROW, NO_COLUMN, t_later("the file has no rows"))]
    return frame, []


def _read_all(uris: Mapping[str, str], timeout: float | None) -> dict[str, tuple[pl.DataFrame | None, list[Problem]]]:
    """Every table's raw file; remote ones at the same time, so a dead host costs one timeout, not four."""
    if not any(is_remote(uri) for uri in uris.values()):
        return {name: read_raw(uri, timeout) for name, uri in uris.items()}
    with ThreadPoolExecutor(max_workers=len(uris) or 1, thread_name_prefix="ledger-fetch") as pool:
        futures = {name: pool.submit(read_raw, uri, timeout) for name, uri in uris.items()}
        return {name: future.result() for name, future in futures.items()}


def read_tables(uris: Mapping[str, str], prevalidated: set[str] = frozenset(),
                timeout: float | None = None,
                specs: Mapping[str, Table] = TABLES) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """Read, type and check each named table, then the references between them.

    Tables in `prevalidated` (files a validated build wrote, unchanged since) skip the column rules; their
    types and references are still checked. Returns only the tables without problems, plus every problem.
    `specs`: the published tables (default) or, for data/sources/, the tables as people edit them.
    """
    tables, problems, _ = _read_tables(uris, prevalidated, timeout, specs)
    return tables, problems


def _read_tables(uris: Mapping[str, str], prevalidated: set[str], timeout: float | None,
                 specs: Mapping[str, Table] = TABLES) -> tuple[dict[str, pl.DataFrame], list[Problem], set[str]]:
    """`read_tables`, plus the names of the tables whose file could not be read at all."""
    typed: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    broken: set[str] = set()
    unread: set[str] = set()
    raws = _read_all(uris, timeout)
    for name, uri in uris.items():
        table = specs[name]
        raw, read_problems = raws[name]
        problems += read_problems
        if raw is None:
            broken.add(name)
            unread.add(name)
            continue
        if name in prevalidated and raw.schema == table.polars_schema:
            # A file the validated build wrote, unchanged: typed and trimmed already, nothing to parse.
            typed[name] = raw
            continue
        frame, coerce_problems = coerce(table, raw, uri, first_row_for(uri))
        problems += coerce_problems
        if frame is None:
            broken.add(name)
            continue
        unreadable = frozenset((p.row, p.column) for p in coerce_problems)
        table_problems = coerce_problems + (
            [] if name in prevalidated and not coerce_problems
            else check_table(table, frame, uri, first_row_for(uri), unreadable))
        problems += [p for p in table_problems if p not in coerce_problems]
        if table_problems:
            broken.add(name)
        typed[name] = frame
    reference_problems = check_references(
        typed, dict(uris), {n: first_row_for(u) for n, u in uris.items()}, trusted=set(typed) - broken,
        checked_together=prevalidated,
    )
    problems += reference_problems
    broken |= {name for name, uri in uris.items() if any(p.file == uri for p in reference_problems)}
    for uri in uris.values():  # a local CSV's rows as the lines an editor shows (a remote one's as records)
        if uri.lower().endswith(".csv") and not is_remote(uri) and Path(uri).exists():
            mine = [p for p in problems if p.file == uri]
            if mine:
                problems = [p for p in problems if p.file != uri] + editor_lines(mine, uri)
    return {n: f for n, f in typed.items() if n not in broken}, sort_problems(problems), unread


@dataclass(frozen=True)
class Ledger:
    """The checked tables of one data location, and what was wrong with the rest."""

    location: str
    tables: dict[str, pl.DataFrame]
    problems: tuple[Problem, ...] = field(default=())
    unread: frozenset[str] = field(default=frozenset())  # tables whose file could not be read at all

    @property
    def incomplete(self) -> bool:
        """A table could not be read (absent, unreachable, timed out): worth trying again soon, not caching."""
        return bool(self.unread)

    def has(self, *names: str) -> bool:
        return all(name in self.tables for name in names)

    def missing(self, *names: str) -> list[str]:
        return [name for name in names if name not in self.tables]

    def problems_for(self, *names: str) -> list[Problem]:
        """Problems in the files of the named tables, plus the ones that block them (a broken companies table)."""
        wanted = {self.location} | {table_uri(self.location, n) for n in names}
        if any(n in ("deals", "milestones", "financials") for n in names):
            wanted.add(table_uri(self.location, "companies"))
        return [p for p in self.problems if p.file in wanted]

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]


def load_ledger(location: str | None = None, timeout: float | None = None) -> Ledger:
    location = location or data_location()
    wrong = location_problem(location)
    if wrong:
        return Ledger(location, {}, (wrong,), frozenset(TABLE_NAMES))
    prevalidated = set() if is_remote(location) else validated_by_build(Path(location))
    uris = {name: table_uri(location, name) for name in TABLE_NAMES}
    optional = provenance_uris(location)
    # One batch: a remote location is asked for every file at once, so a dead host costs one timeout.
    tables, problems, unread = _read_tables({**uris, **optional}, prevalidated, timeout)
    return Ledger(location, tables, tuple(_optional_kept(problems, optional, unread, location)),
                  frozenset(unread - set(optional)))


def provenance_uris(location: str) -> dict[str, str]:
    """citations, publishers and dataset where the location may have them: a location published before they existed
    (or an analyst's folder of the four tables) has none, and loads as before."""
    uris = {name: table_uri(location, name) for name in PROVENANCE_TABLE_NAMES}
    if not is_remote(location):
        uris = {name: uri for name, uri in uris.items() if Path(uri).is_file()}
    return uris


def _optional_kept(problems: list[Problem], optional: Mapping[str, str], unread: set[str],
                   location: str) -> list[Problem]:
    """Remote: an optional file that is not there is a location without citations, not a problem on every page."""
    if not is_remote(location):
        return problems
    absent = {optional[name] for name in unread if name in optional}
    return [p for p in problems if p.file not in absent]


def read_provenance(location: str, prevalidated: set[str] = frozenset(),
                    timeout: float | None = None) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """citations, publishers and dataset of a location, where it has them (see provenance_uris); a file that is
    there but broken is reported like any other."""
    uris = provenance_uris(location)
    if not uris:
        return {}, []
    tables, problems, unread = _read_tables(uris, prevalidated, timeout)
    return tables, _optional_kept(problems, uris, unread, location)

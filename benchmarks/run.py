"""Benchmarks at scale, measured side by side in one run; prints tables and writes them into benchmarks/RESULTS.md
(between the markers of the "Round 3 (restructure)" section; the rest of the file is kept).

    python -m benchmarks.run                                   # full: 10k, 100k, 1M x both shapes x every page
    python -m benchmarks.run --sizes 10000 --shapes replicated --pages commitments   # a quick subset
    python -m benchmarks.run --sizes 10000 --cold-starts 1 --arrival-rounds 1        # smoke run
    python -m benchmarks.run --sizes 10000 --no-browser                              # no server, no Chromium

Not part of the test run: timings depend on the machine (the header of each table gives the load average).
Per size and shape of synthetic deals (benchmarks/synthetic.py: "lognormal" drawn at random, "replicated" the
bundled deals copied):
- load: the ledger's read of deals.parquet (Polars) against pyarrow.parquet.read_table of the same file, and the
  full load with validation (pandera) against the load of built data (the manifest vouches for the files);
- pipelines: each page's computations in Polars (the product's analysis functions) against the same in pandas
  (benchmarks/pandas_baseline.py); the Capacity page's only deal sums are the power and pledge totals, the
  Overview's counting (analysis/counting.py: work_out) over two more layers, so it has no baseline of its own;
- AppTest, per page: the first run after Streamlit's caches are cleared (loads the ledger, the sidebar's options
  and the page: what the first visitor to that page waits for on the server, Python's imports excepted), a rerun
  (caches warm), and one filter change (overlapping rows included: the page worked out anew, ledger cached);
  beside them an empty script's rerun (AppTest's own floor);
- server: a real server per cold start, headless Chromium opening one page, from the server's launch to the
  page's first chart painted (the Data page: its first table), against a one-chart Streamlit script (Streamlit's
  own floor), alternated, median of --cold-starts; peak RSS after every chosen page has been opened;
- arrivals: eight visitors arriving together at a fresh server (benchmarks/concurrency.py), each to its first
  chart; the slowest of them is the figure.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from benchmarks import pandas_baseline
from benchmarks.synthetic import SHAPES, write_ledger
from compute_ledger.analysis import commitments, counting, diversification, explore, exposure, metrics
from compute_ledger.analysis.filters import DealFilter, apply_deal_filter, deal_filter_query
from compute_ledger.data import provenance
from compute_ledger.data.load import load_ledger

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "RESULTS.md"
def markers(section: str) -> tuple[str, str]:
    """RESULTS.md holds each section's last run between these (e.g. "full", "smoke")."""
    return f"<!-- run:{section}:begin -->", f"<!-- run:{section}:end -->"
# Cold starts vary by about half a second from one to the next on a 2-core machine: the median of 7 each.
COLD_STARTS = 7
PAGES = {"overview": "pages/overview.py", "diversification": "pages/diversification.py",
         "exposure": "pages/exposure.py",
         "commitments": "pages/commitments.py", "capacity": "pages/capacity.py", "gap": "pages/gap.py",
         "data": "pages/data.py"}
URL_PATHS = {"overview": "", "diversification": "diversification", "exposure": "exposure", "commitments": "commitments",
             "capacity": "capacity", "gap": "gap", "data": "data"}
CHART = '[data-testid="stPlotlyChart"] .main-svg'
FIRST_ELEMENT = {name: CHART for name in PAGES} | {"data": '[data-testid="stDataFrame"]'}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
SEARCH_TEXT = "stargate"  # the Data page's search, as an analyst would type it


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def polars_pipelines(deals: pl.DataFrame, companies: pl.DataFrame) -> dict:
    """Each page's computations on every deal under the default filter, as the product does them (no charts)."""
    default = DealFilter()

    def overview():  # the Overview view's sums: the headline totals with their rows, per provider, per pair
        d = apply_deal_filter(deals, default)
        return (counting.headline_totals(deals, default), metrics.commitments_by_provider(d, companies),
                metrics.commitments_by_provider_and_buyer(d, companies))

    def diversification_page():
        rows = diversification.supply_rows(deal_filter_query(deals, default), companies)
        return diversification.provider_shares(rows, "usd"), diversification.concentration_over_time(rows, "usd")

    def commitments_page():  # running totals and the schedule per provider
        d = apply_deal_filter(deals, default)
        return (commitments.cumulative_commitments(d, "provider_id"),
                commitments.spend_by_period(commitments.annual_spend_schedule(d, by=("provider_id",)), "provider_id"))

    def gap():
        d = apply_deal_filter(deals, default)
        return commitments.spend_by_period(commitments.annual_spend_schedule(d, by=("provider_id",)), "provider_id")

    def data_page():  # the explorer's rows (filter, search, the first rows shown) and the sources cited
        shown = explore.explorer_rows("deals", deals, default, SEARCH_TEXT)
        return shown.head(pandas_baseline.MAX_ROWS_SHOWN), provenance.source_list({"deals": deals})

    def exposure_page():  # backlog and concentration, the default preset's stress test, money loops
        by_customer = exposure.backlog_by_customer(deals, default)
        stress = exposure.Stress(("openai",), 0.5, 2028)
        return (exposure.provider_concentration(by_customer), exposure.unpaid_by_provider_year(deals, default, stress),
                exposure.money_loops(deals, default))

    return {"overview": overview, "diversification": diversification_page, "commitments": commitments_page,
            "gap": gap, "data": data_page, "exposure": exposure_page}


def check_baseline(deals: pl.DataFrame, pandas_deals) -> str:
    """Whether the pandas side computes what the Polars side does: the Overview's four headline totals."""
    ours = [t.value for t in counting.headline_totals(deals, DealFilter())[:4]]
    theirs = [float(t[0]) for t in pandas_baseline.headline_totals(pandas_deals)]
    if len(ours) != len(theirs) or any(abs(a - b) > 1e-6 * max(1.0, abs(a)) for a, b in zip(ours, theirs)):
        return f"DISAGREE (Polars {[round(v, 3) for v in ours]}, pandas {[round(v, 3) for v in theirs]})"
    return "agree"


# --- AppTest ---------------------------------------------------------------------------------------------------

def _apptest():
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import app_test as app_test_module

    from tests.app.conftest import NavigationPagesManager

    app_test_module.PagesManager = NavigationPagesManager
    return AppTest


def _clear_caches() -> None:
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


def _fail_on_exception(at, where: str) -> None:
    if at.exception:
        raise RuntimeError(f"{where}: {str(at.exception[0].value)[:300]}")


def apptest_runs(data_dir: Path, pages: list[str]) -> dict[str, dict]:
    """Per page: first run after the caches are cleared, best-of-3 rerun, one filter change; or its error."""
    AppTest = _apptest()
    os.environ["LEDGER_DATA"] = str(data_dir)
    out: dict[str, dict] = {}
    try:
        empty = AppTest.from_string("import streamlit as st\nst.write('hello')", default_timeout=600)
        empty.run()
        out["(empty script)"] = {"rerun": best(lambda: empty.run())}
        warm = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
        warm.run()  # Python's imports, once, so that no page's first run pays for them
        for name in pages:
            out[name] = row = {}
            try:
                at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
                _clear_caches()
                if name == "overview":
                    first = timed(at.run)
                else:
                    at.run()
                    _fail_on_exception(at, "overview, before switching")
                    _clear_caches()
                    at.switch_page(PAGES[name])
                    first = timed(at.run)
                _fail_on_exception(at, "first run")
                row["first run"] = first
                row["rerun"] = best(at.run)
                _fail_on_exception(at, "rerun")
                at.toggle(key="overlaps").set_value(True)
                change = timed(at.run)
                _fail_on_exception(at, "filter change")
                row["filter change"] = change
            except Exception as err:  # a page in flux: say so in the table (beside what was measured), go on
                row["error"] = f"{type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}"
    finally:
        os.environ.pop("LEDGER_DATA", None)
        _clear_caches()
    return out


# --- a real server and Chromium ---------------------------------------------------------------------------------

def start_server(script: Path, env: dict[str, str], probe_log: Path | None = None) -> tuple[subprocess.Popen, str, float]:
    """A real server on a free loopback port; with `probe_log`, one that logs each session's connection, script
    runs and first chart there (benchmarks/server_probe.py)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    launcher = ["benchmarks.server_probe"] if probe_log else ["streamlit"]
    env = {**os.environ, **env, **({"BENCH_PROBE_LOG": str(probe_log)} if probe_log else {})}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", *launcher, "run", str(script), "--server.headless", "true", "--browser.gatherUsageStats",
         "false", "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, f"http://127.0.0.1:{port}", started


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def first_element_seconds(browser, url: str, started: float, path: str = "", selector: str = CHART,
                          timeout: float = 300) -> float:
    """Seconds from `started` (the server's launch) to `selector` drawn on `path`; raises on an error shown."""
    import urllib.request

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(f"{url}/{path}")
        page.wait_for_selector(f"{selector}, {ERRORS}", timeout=timeout * 1000)
        elapsed = time.perf_counter() - started
        if page.locator(ERRORS).count():
            raise RuntimeError(f"/{path}: {page.locator(ERRORS).first.inner_text()[:200]!r}")
        return elapsed
    finally:
        page.close()


def browser_measurements(data_dir: Path, pages: list[str], cold_starts: int) -> dict:
    """Cold starts of our server on each page and of a one-chart script, alternated; peak RSS."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    floor_script = Path(tempfile.mkdtemp()) / "one_chart.py"
    floor_script.write_text("import plotly.express as px\nimport streamlit as st\n"
                            "st.plotly_chart(px.bar(x=['a', 'b'], y=[1, 2]))\n")
    env = {"LEDGER_DATA": str(data_dir)}
    floors: list[float] = []
    ours: dict[str, list[float]] = {name: [] for name in pages}
    errors: dict[str, str] = {}
    out: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for _ in range(cold_starts):  # alternate, so all see the same machine state
            process, url, started = start_server(floor_script, {})
            try:
                floors.append(first_element_seconds(browser, url, started))
            finally:
                stop_server(process)
            for name in pages:
                if name in errors:
                    continue
                process, url, started = start_server(REPO / "dashboard.py", env)
                try:
                    ours[name].append(first_element_seconds(browser, url, started, URL_PATHS[name], FIRST_ELEMENT[name]))
                except Exception as err:
                    errors[name] = f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"
                finally:
                    stop_server(process)
        # Memory: one server, every chosen page opened once.
        process, url, started = start_server(REPO / "dashboard.py", env)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            first_element_seconds(browser, url, started)  # waits for the health check too
            for name in pages:
                page.goto(f"{url}/{URL_PATHS[name]}")
                page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=300_000)
                page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=300_000)
            out["peak server RSS (MB)"] = peak_rss_mb(process.pid)
            page.close()
        except Exception as err:
            out["peak server RSS (MB)"] = float("nan")
            errors.setdefault("(memory)", f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
        finally:
            stop_server(process)
        browser.close()
    out["floor (s)"] = statistics.median(floors)
    out["cold start (s)"] = {name: statistics.median(v) for name, v in ours.items() if v and name not in errors}
    out["errors"] = errors
    return out


def arrivals(data_dir: Path, pages: list[str], rounds: int) -> dict:
    from benchmarks.concurrency import ARRIVAL_PATHS, arrivals_after_start

    chart_paths = [URL_PATHS[p] for p in pages if p != "data"]
    if not chart_paths:
        return {}
    if set(chart_paths) == set(ARRIVAL_PATHS):
        paths = ARRIVAL_PATHS
    else:
        paths = [chart_paths[i % len(chart_paths)] for i in range(len(ARRIVAL_PATHS))]
    return arrivals_after_start(data_dir, paths, rounds)


# --- one size and shape -----------------------------------------------------------------------------------------

def measure(size: int, shape: str, work: Path, pages: list[str], args) -> dict:
    started = time.perf_counter()
    data_dir = write_ledger(size, work / f"ledger_{shape}_{size}", shape=shape)
    deals_file = str(data_dir / "deals.parquet")
    row: dict = {"deals": size, "shape": shape}
    row["raw read (pyarrow) s"] = best(lambda: pq.read_table(deals_file))
    row["ledger read (polars) s"] = best(lambda: pl.scan_parquet(deals_file).collect())
    manifest = data_dir / "manifest.json"
    saved = manifest.read_text()
    manifest.unlink()  # full validation, as for a file nobody has checked yet
    row["load + validate s"] = best(lambda: load_ledger(str(data_dir)), repeat=2)
    manifest.write_text(saved)
    row["load (built data) s"] = best(lambda: load_ledger(str(data_dir)), repeat=2)
    ledger = load_ledger(str(data_dir))
    deals, companies = ledger["deals"], ledger["companies"]
    pandas_deals = deals.to_pandas()
    pandas_deals["announced"] = pandas_deals["announced"].astype("datetime64[ns]")
    row["baseline"] = check_baseline(deals, pandas_deals)
    pipelines = polars_pipelines(deals, companies)
    row["pipelines"] = {}
    for name in pages:
        if name not in pipelines:
            continue
        # Best of 5, alike for both: a ~0.1 s measurement on a shared 2-core machine is easily disturbed.
        row["pipelines"][name] = (best(pipelines[name], repeat=5),
                                  best(lambda f=pandas_baseline.ALL_PAGES[name], d=pandas_deals: f(d), repeat=5))
    del pandas_deals
    if not args.no_apptest:
        row["apptest"] = apptest_runs(data_dir, pages)
    if not args.no_browser:
        row["browser"] = browser_measurements(data_dir, pages, args.cold_starts)
        if args.arrival_rounds:
            row["arrivals"] = arrivals(data_dir, pages, args.arrival_rounds)
    row["wall s"] = time.perf_counter() - started
    print(f"[bench] {shape} {size:,}: done in {row['wall s']:.0f} s", file=sys.stderr, flush=True)
    return row


# --- the report -------------------------------------------------------------------------------------------------

def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(rows: list[dict], pages: list[str], command: str) -> str:
    load = os.getloadavg()
    lines = [f"#### Last run: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average "
             f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) when it ended", "",
             f"`{command}`", "",
             "Best of 3 (5 for the page pipelines, 2 for load + validate); a first run and a filter change are one "
             "measurement each; cold starts: median of the cold starts asked for. Ratios are measured side by side "
             "in the same run.", "",
             "##### Load", "",
             "| deals | shape | pyarrow read | Polars read | ratio (target ≤ 1.5×) | load + validate | load of built data |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        ratio = r["ledger read (polars) s"] / r["raw read (pyarrow) s"]
        lines.append(f"| {r['deals']:,} | {r['shape']} | {_ms(r['raw read (pyarrow) s'])} | {_ms(r['ledger read (polars) s'])}"
                     f" | {ratio:.2f}× | {r['load + validate s']:.2f} s | {r['load (built data) s']:.2f} s |")
    lines += ["", "##### Page pipelines: Polars vs pandas", "",
              "| deals | shape | page | Polars | pandas | speed-up (target ≥ 5× at 1M) |", "|---:|---|---|---:|---:|---:|"]
    for r in rows:
        for name in pages:
            if name in r["pipelines"]:
                p, q = r["pipelines"][name]
                lines.append(f"| {r['deals']:,} | {r['shape']} | {name} | {_ms(p)} | {_ms(q)} | {q / p:.1f}× |")
            else:
                lines.append(f"| {r['deals']:,} | {r['shape']} | {name} | n/a: the Overview's counting, two more "
                             "layers (see the page runs) | | |")
    lines += ["", "The Overview's four headline totals, Polars against pandas: " + "; ".join(
        f"{r['deals']:,} {r['shape']}: {r['baseline']}" for r in rows) + "."]
    with_apptest = [r for r in rows if "apptest" in r]
    if with_apptest:
        lines += ["", "##### Page runs (AppTest; target: rerun ≤ 1 s at 1M)", "",
                  "First run: Streamlit's caches cleared (loads the ledger, the sidebar's options, the page). Rerun: "
                  "caches warm. Filter change: overlapping rows included (the page's sums worked out anew, ledger "
                  "cached).", "",
                  "| deals | shape | page | first run | rerun | filter change |", "|---:|---|---|---:|---:|---:|"]
        for r in with_apptest:
            runs = r["apptest"]
            lines.append(f"| {r['deals']:,} | {r['shape']} | (empty script) | | {_ms(runs['(empty script)']['rerun'])} | |")
            for name in pages:
                v = runs.get(name, {"error": "not run"})
                cells = [_ms(v[k]) if k in v else "" for k in ("first run", "rerun", "filter change")]
                if "error" in v:  # in the first cell not measured
                    cells[next(i for i, c in enumerate(cells) if not c)] = f"error: {v['error']}"
                lines.append(f"| {r['deals']:,} | {r['shape']} | {name} | " + " | ".join(cells) + " |")
    with_browser = [r for r in rows if "browser" in r]
    if with_browser:
        lines += ["", "##### Server: cold start to the first chart (real Streamlit, headless Chromium)", "",
                  "From the server's launch to the page's first chart painted (Data page: its first table), against "
                  "a one-chart script's. Peak RSS: one server after every page listed was opened.", "",
                  "| deals | shape | page | cold start → first chart | one-chart floor | ratio (target ≤ 1.3×) |",
                  "|---:|---|---|---:|---:|---:|"]
        for r in with_browser:
            b = r["browser"]
            for name in pages:
                if name in b["errors"]:
                    lines.append(f"| {r['deals']:,} | {r['shape']} | {name} | error: {b['errors'][name]} | | |")
                    continue
                s = b["cold start (s)"][name]
                lines.append(f"| {r['deals']:,} | {r['shape']} | {name} | {s:.2f} s | {b['floor (s)']:.2f} s"
                             f" | {s / b['floor (s)']:.2f}× |")
        lines += ["", "| deals | shape | peak server RSS |", "|---:|---|---:|"]
        for r in with_browser:
            b = r["browser"]
            note = f" ({b['errors']['(memory)']})" if "(memory)" in b["errors"] else ""
            lines.append(f"| {r['deals']:,} | {r['shape']} | {b['peak server RSS (MB)']:.0f} MB{note} |")
    with_arrivals = [r for r in rows if r.get("arrivals")]
    if with_arrivals:
        lines += ["", "##### Visitors arriving together after a server start", "",
                  "A fresh server; once it answers its health check, the visitors open their pages at the same moment. "
                  "Browser: each visitor from its arrival to its first chart painted (the figure is the slowest, per "
                  "round). Server (benchmarks/server_probe.py): each session from its connection, and from its first "
                  "script run, to its first chart handed to Streamlit: what the server does, whatever the browsers' "
                  "speed; and the most sessions whose first runs were in progress at the same moment (8: all "
                  "together; 1: one after another, which would not test arriving together).", "",
                  "| deals | shape | visitors × rounds | charted | errors | browser: slowest (per round) | median | "
                  "server: slowest connection → chart | slowest first run → chart | first runs at once | "
                  "server CPU meanwhile |",
                  "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]

        def per_round(values: list[float]) -> str:
            return ", ".join(f"{v:.2f} s" for v in values)

        for r in with_arrivals:
            a = r["arrivals"]
            lines.append(f"| {r['deals']:,} | {r['shape']} | {a['visitors']} × {a['rounds']} | {a['charted']} of "
                         f"{a['expected']} | {len(a['errors'])} | {per_round(a['slowest per round (s)'])} | "
                         f"{a['median (s)']:.2f} s | "
                         f"{per_round(a['server: slowest session, connection → first chart (s)'])} | "
                         f"{per_round(a['server: slowest session, first run → first chart (s)'])} | "
                         f"{', '.join(map(str, a['server: most first runs at once']))} | "
                         f"{a['server CPU (s)']:.1f} s |")
        for r in with_arrivals:
            for e in r["arrivals"]["errors"][:8]:
                lines.append(f"\n- {r['deals']:,} {r['shape']}: {e}")
    return "\n".join(lines) + "\n"


def replace_section(path: Path, markers: tuple[str, str], text: str) -> None:
    """Put `text` between the two markers in `path` (appending them if missing), keeping the rest of the file."""
    begin, end = markers
    current = path.read_text() if path.exists() else ""
    if begin in current and end in current:
        before, rest = current.split(begin, 1)
        after = rest.split(end, 1)[1]
    else:
        before, after = current.rstrip("\n") + "\n\n", "\n"
    path.write_text(f"{before}{begin}\n{text.rstrip()}\n{end}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--cold-starts", type=int, default=COLD_STARTS, help="per page and size (median)")
    parser.add_argument("--arrival-rounds", type=int, default=3,
                        help="rounds of eight visitors arriving together at a fresh server (0: none)")
    parser.add_argument("--no-browser", action="store_true", help="no server, no Chromium: cold starts, memory, arrivals")
    parser.add_argument("--no-apptest", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS, help="written between its markers; '-' prints only")
    parser.add_argument("--section", default="full",
                        help="which section of the file it replaces: 'full' (every size), 'smoke' (a quick check)")
    args = parser.parse_args()
    pages = [p for p in PAGES if p in args.pages]  # in the app's order
    command = "python -m benchmarks.run " + " ".join(sys.argv[1:])
    rows: list[dict] = []
    planned = [(size, shape) for size in args.sizes for shape in args.shapes]
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as work:
        for i, (size, shape) in enumerate(planned, start=1):
            try:
                rows.append(measure(size, shape, Path(work), pages, args))
            except Exception:
                traceback.print_exc()
                failed.append(f"{shape} {size:,}")
                print(f"[bench] {shape} {size:,} failed; the others go on", file=sys.stderr, flush=True)
            if rows and str(args.out) != "-":  # after each, so that a run stopped part-way keeps what it measured
                status = "" if i == len(planned) else f"\n\n**Partial: {i} of {len(planned)} sizes × shapes done.**"
                if failed:
                    status += f"\n\n**Failed (see the run's output): {', '.join(failed)}.**"
                replace_section(args.out, markers(args.section), report(rows, pages, command.strip()) + status)
    if not rows:
        sys.exit("nothing was measured")
    print(report(rows, pages, command.strip()))


if __name__ == "__main__":
    main()

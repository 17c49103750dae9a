"""Benchmarks at scale, measured side by side in one run; prints a table and writes benchmarks/RESULTS.md.

    python -m benchmarks.run                 # 10k, 100k and 1M synthetic deals, with the browser parts
    python -m benchmarks.run --sizes 10000 --no-browser

Not part of the test run: timings depend on the machine. What each row compares:
- load: the ledger's read of deals.parquet (Polars) against pyarrow.parquet.read_table of the same file; and
  the full load with validation (pandera), which the app does once and caches;
- pipelines: each page's computations in Polars (the product's functions) against the same in pandas;
- rerun: a page's rerun via AppTest (data cached) against an empty script's rerun; the Overview also under a
  filter, as unfiltered it is drawn from the view the build stored;
- server: peak RSS of a real server after every page is opened, and cold start to the first chart painted
  in headless Chromium against a one-chart Streamlit script (Streamlit's own floor); at 1M also from a shared
  link with a filter (the Overview worked out from every deal).
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
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from benchmarks import pandas_baseline
from benchmarks.synthetic import write_ledger
from compute_ledger.analysis import commitments
from compute_ledger.analysis import diversification
from compute_ledger.analysis import metrics
from compute_ledger.analysis.filters import OVERLAPS_ON, QP_OVERLAPS, DealFilter, apply_deal_filter
from compute_ledger.data.load import load_ledger

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "RESULTS.md"
# Cold starts vary by about half a second from one to the next on a 2-core machine: the median of 7 each.
COLD_STARTS = 7
# A shared link with a filter that keeps every deal (overlapping rows included): the Overview worked out live.
FILTERED_LINK = f"/?{QP_OVERLAPS}={OVERLAPS_ON}"
PAGES = ["pages/overview.py", "pages/diversification.py", "pages/commitments.py", "pages/capacity.py", "pages/gap.py",
         "pages/data.py"]


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def polars_pipelines(deals: pl.DataFrame, companies: pl.DataFrame) -> dict:
    def overview():
        d = apply_deal_filter(deals, DealFilter())
        return (metrics.committed_usd_bn(d), metrics.commitments_by_provider(d, companies),
                metrics.commitments_by_provider_and_buyer(d, companies))

    def diversification_page():
        rows = diversification.supply_rows(apply_deal_filter(deals, DealFilter()), companies)
        return diversification.provider_shares(rows, "usd"), diversification.concentration_over_time(rows, "usd")

    def commitments_page():  # the page's own calls: running totals and the schedule per provider
        d = apply_deal_filter(deals, DealFilter())
        return (commitments.cumulative_commitments(d, "provider_id"),
                commitments.spend_by_period(commitments.annual_spend_schedule(d, by=("provider_id",)), "provider_id"))

    def gap():
        d = apply_deal_filter(deals, DealFilter())
        return commitments.spend_by_period(commitments.annual_spend_schedule(d, by=("provider_id",)), "provider_id")

    return {"overview": overview, "diversification": diversification_page, "commitments": commitments_page,
            "gap (schedule)": gap}


def apptest_reruns(data_dir: Path) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import app_test as app_test_module

    from tests.app.conftest import NavigationPagesManager

    app_test_module.PagesManager = NavigationPagesManager
    os.environ["LEDGER_DATA"] = str(data_dir)
    out = {}
    empty = AppTest.from_string("import streamlit as st\nst.write('hello')", default_timeout=600)
    empty.run()
    out["(empty script)"] = best(lambda: empty.run())
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
    at.run()
    for page in PAGES:
        at.switch_page(page).run()  # first visit: loads and caches
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
        out[page.split("/")[1].removesuffix(".py")] = best(lambda: at.run())
    # Unfiltered, the Overview is drawn from the view the build stored; under any filter (here: overlapping rows
    # included, so every deal counts) it is worked out from the deals on every run.
    at.switch_page(PAGES[0]).run()
    at.toggle(key="overlaps").set_value(True).run()
    if at.exception or not at.metric:
        raise RuntimeError("overview, filtered: the page did not draw")
    out["overview, filtered"] = best(lambda: at.run())
    os.environ.pop("LEDGER_DATA")
    return out


def start_server(script: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str, float]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--browser.gatherUsageStats",
         "false", "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=REPO, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, f"http://127.0.0.1:{port}", started


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def first_chart_seconds(browser, url: str, started: float, timeout: float = 120, path: str = "") -> float:
    import urllib.request

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url + path)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=timeout * 1000)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


def browser_measurements(data_dir: Path, filtered_link_too: bool = False) -> dict[str, float]:
    """Cold starts of our server and of a one-chart script, alternated. With `filtered_link_too`, also our cold
    start from a shared link with a filter, for which the Overview cannot use the build's stored view."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    floor_script = Path(tempfile.mkdtemp()) / "one_chart.py"
    floor_script.write_text("import plotly.express as px\nimport streamlit as st\n"
                            "st.plotly_chart(px.bar(x=['a', 'b'], y=[1, 2]))\n")
    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        floors, ours, linked = [], [], []
        for _ in range(COLD_STARTS):  # alternate, so all see the same machine state
            process, url, started = start_server(floor_script, {})
            floors.append(first_chart_seconds(browser, url, started))
            process.terminate(), process.wait()
            if filtered_link_too:
                process, url, started = start_server(REPO / "dashboard.py", {"LEDGER_DATA": str(data_dir)})
                linked.append(first_chart_seconds(browser, url, started, path=FILTERED_LINK))
                process.terminate(), process.wait()
            process, url, started = start_server(REPO / "dashboard.py", {"LEDGER_DATA": str(data_dir)})
            ours.append(first_chart_seconds(browser, url, started))
            if len(ours) == COLD_STARTS:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                for path in ("diversification", "commitments", "capacity", "gap", "data"):
                    page.goto(f"{url}/{path}")
                    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=300_000)
                    page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')',
                                           timeout=300_000)
                out["peak server RSS (MB)"] = peak_rss_mb(process.pid)
                page.close()
            process.terminate(), process.wait()
        browser.close()
    out["cold start to first chart (s)"] = statistics.median(ours)
    out["one-chart script floor (s)"] = statistics.median(floors)
    if linked:
        out["cold start, filtered link (s)"] = statistics.median(linked)
    return out


def measure(size: int, work: Path, with_browser: bool) -> dict:
    data_dir = write_ledger(size, work / f"ledger_{size}")
    deals_file = str(data_dir / "deals.parquet")
    row: dict = {"deals": size}
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
    for name, fn in polars_pipelines(deals, companies).items():
        # Best of 5, alike for both: a ~0.1 s measurement on a shared 2-core machine is easily disturbed.
        row[f"{name}: polars s"] = best(fn, repeat=5)
        row[f"{name}: pandas s"] = best(lambda f=pandas_baseline.ALL_PAGES[name]: f(pandas_deals), repeat=5)
    row["reruns"] = apptest_reruns(data_dir)
    if with_browser:
        row["browser"] = browser_measurements(data_dir, filtered_link_too=size >= 1_000_000)
    return row


def report(rows: list[dict]) -> str:
    lines = [f"# Benchmark results ({dt.date.today()}, {os.cpu_count()} cores)", "",
             "Synthetic deals (benchmarks/synthetic.py) with the bundled companies, milestones and financials. "
             "Best of 3 (5 for the page pipelines, 2 for load + validate; cold starts: median of 7); ratios are "
             "measured side by side in the same run.", "",
             "## Load", "", "| deals | pyarrow read | Polars read | ratio (target ≤ 1.5×) | load + validate | load of built data |",
             "|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ratio = r["ledger read (polars) s"] / r["raw read (pyarrow) s"]
        lines.append(f"| {r['deals']:,} | {r['raw read (pyarrow) s']*1000:.0f} ms | {r['ledger read (polars) s']*1000:.0f} ms"
                     f" | {ratio:.2f}× | {r['load + validate s']:.2f} s | {r['load (built data) s']:.2f} s |")
    lines += ["", "## Page pipelines: Polars vs pandas", "", "| deals | page | Polars | pandas | speed-up (target ≥ 5× at 1M) |",
              "|---:|---|---:|---:|---:|"]
    for r in rows:
        for name in pandas_baseline.ALL_PAGES:
            p, q = r[f"{name}: polars s"], r[f"{name}: pandas s"]
            lines.append(f"| {r['deals']:,} | {name} | {p*1000:.0f} ms | {q*1000:.0f} ms | {q/p:.1f}× |")
    lines += ["", "## Page reruns (AppTest, data cached; target ≤ 1 s at 1M)", "",
              "| deals | " + " | ".join(rows[0]["reruns"]) + " |", "|---:|" + "---:|" * len(rows[0]["reruns"])]
    for r in rows:
        lines.append(f"| {r['deals']:,} | " + " | ".join(f"{v*1000:.0f} ms" for v in r["reruns"].values()) + " |")
    with_browser = [r for r in rows if "browser" in r]
    if with_browser:
        lines += ["", "## Server (real Streamlit, headless Chromium)", "",
                  "| deals | cold start → first chart | one-chart floor | ratio (target ≤ 1.2×) | peak RSS |",
                  "|---:|---:|---:|---:|---:|"]
        for r in with_browser:
            b = r["browser"]
            lines.append(f"| {r['deals']:,} | {b['cold start to first chart (s)']:.2f} s | {b['one-chart script floor (s)']:.2f} s"
                         f" | {b['cold start to first chart (s)'] / b['one-chart script floor (s)']:.2f}× |"
                         f" {b['peak server RSS (MB)']:.0f} MB |")
        for r in with_browser:
            b = r["browser"]
            if "cold start, filtered link (s)" in b:
                lines.append(f"| {r['deals']:,}, from a link with a filter (`{FILTERED_LINK}`) |"
                             f" {b['cold start, filtered link (s)']:.2f} s | {b['one-chart script floor (s)']:.2f} s |"
                             f" {b['cold start, filtered link (s)'] / b['one-chart script floor (s)']:.2f}× | |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        rows = [measure(size, Path(work), not args.no_browser) for size in args.sizes]
    text = report(rows)
    print(text)
    args.out.write_text(text + kept_sections())


def kept_sections() -> str:
    """What this script does not measure, kept from the current results: the concurrency table and the findings."""
    if not RESULTS.exists():
        return ""
    current = RESULTS.read_text()
    starts = [current.find(heading) for heading in ("## Concurrent users", "## Findings") if heading in current]
    return "\n" + current[min(starts):] if starts else ""


if __name__ == "__main__":
    main()

"""Several browser visitors on one server (headless Chromium, one Playwright context each), two ways:

    python -m benchmarks.concurrency --users 20 --rounds 3     # filter changes, bundled data
    python -m benchmarks.run --sizes 10000 ...                 # also runs `arrivals_after_start` per size and shape

- Filter changes (`main`): each user opens the Overview, then repeatedly picks a buyer in the sidebar and waits
  until the page has rerun (the URL carries the buyer, Streamlit's running indicator is gone, the chart is drawn).
  Reports the time from the click to the updated chart (p50, p95) and counts every error: a failed wait, an
  exception element or an error alert. Writes its table into benchmarks/RESULTS.md, between its markers.
- Arrivals after a start (`arrivals_after_start`): a fresh server; once it answers its health check, eight
  visitors open their pages at the same moment (as tests/browser/test_shell_in_browser.py does) and each waits
  for its first chart. Reports each visitor's time from arrival to its first chart (the slowest is the figure)
  and any error shown to any of them.

Loopback only, bounded in time.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

from benchmarks.run import REPO, RESULTS, replace_section, start_server
from benchmarks.server_probe import read_log
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

BUYERS = {"OpenAI": "openai", "Anthropic": "anthropic", "Meta": "meta", "xAI": "xai",
          "Microsoft Azure": "microsoft-azure"}
RUNNING = '!document.querySelector(\'[data-testid="stStatusWidget"]\')'
CHART = '[data-testid="stPlotlyChart"] .main-svg'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
# The browser test's visitors: two each on the Overview, Commitments and Diversification, one on Capacity and Gap.
ARRIVAL_PATHS = ["", "diversification", "commitments", "capacity", "gap", "", "commitments", "diversification"]
ARRIVAL_TIMEOUT_S = 300
MARKERS = ("<!-- concurrency:begin -->", "<!-- concurrency:end -->")


async def one_user(browser, url: str, index: int, rounds: int, timings: list, errors: list) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    try:
        await page.goto(url, timeout=120_000)
        await page.wait_for_selector(CHART, timeout=120_000)
        buyer_box = page.locator('[data-testid="stMultiSelect"]', has=page.get_by_text("Buyer", exact=True))
        names = list(BUYERS)
        for round_ in range(min(rounds, len(names))):
            buyer = names[(index + round_) % len(names)]  # each round adds one more buyer to the filter
            started = time.perf_counter()
            # The text input, not the box: once chips fill the box, its centre is a chip, and clicking it
            # opens nothing.
            await buyer_box.locator("input").click()
            await page.get_by_role("option", name=buyer, exact=True).click()
            await page.keyboard.press("Escape")
            await page.wait_for_url(lambda u, s=BUYERS[buyer]: s in u.split("buyer=", 1)[-1], timeout=60_000)
            await page.wait_for_function(RUNNING, timeout=60_000)
            await page.wait_for_selector(CHART, timeout=60_000)
            timings.append(time.perf_counter() - started)
            bad = await page.locator(ERRORS).count()
            if bad:
                errors.append(f"user {index} round {round_}: {bad} error element(s)")
    except Exception as err:  # a timeout or a crash of this session counts as an error, the run goes on
        errors.append(f"user {index}: {type(err).__name__}: {str(err).splitlines()[0][:120]}")
    finally:
        await context.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_for_health(url: str, process, timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited before answering its health check")
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError(f"no health check answer within {timeout:.0f} s")


async def main_async(users: int, rounds: int) -> tuple[list[float], list[str], dict[str, float]]:
    process, url, _ = start_server(REPO / "dashboard.py", {"LEDGER_DATA": ""})
    timings: list[float] = []
    errors: list[str] = []
    usage: dict[str, float] = {}
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            await wait_for_health(url, process)
            started, server_cpu = time.perf_counter(), cpu_seconds(process.pid)
            await asyncio.wait_for(
                asyncio.gather(*(one_user(browser, url, i, rounds, timings, errors) for i in range(users))),
                timeout=900)
            usage = {"wall": time.perf_counter() - started, "server_cpu": cpu_seconds(process.pid) - server_cpu}
            await browser.close()
    finally:
        process.terminate()
        process.wait()
    return timings, errors, usage


# --- eight visitors arriving together after a server start ------------------------------------------------

def most_at_once(sessions: dict[str, dict[str, float]]) -> int:
    """The most sessions between their first script run's start and their first chart at the same moment: the
    arrivals test what it means to only if their first runs overlapped (8 = all together, 1 = one after another)."""
    edges = sorted([(s["run"], 1) for s in sessions.values() if "run" in s and "chart" in s]
                   + [(s["chart"], -1) for s in sessions.values() if "run" in s and "chart" in s])
    most = current = 0
    for _, step in edges:
        current += step
        most = max(most, current)
    return most


async def _arrive(page, url: str, path: str) -> tuple[float | None, str | None]:
    """One visitor: open the page, wait for its first chart (or an error); seconds from arrival to the chart."""
    started = time.perf_counter()
    try:
        await page.goto(f"{url}/{path}", wait_until="commit", timeout=ARRIVAL_TIMEOUT_S * 1000)
        await page.wait_for_selector(f"{ERRORS}, {CHART}", timeout=ARRIVAL_TIMEOUT_S * 1000)
        elapsed = time.perf_counter() - started
        errors = page.locator(ERRORS)
        if await errors.count():
            return None, f"/{path}: {(await errors.first.inner_text())[:200]!r}"
        return elapsed, None
    except Exception as err:
        return None, f"/{path}: {type(err).__name__}: {str(err).splitlines()[0][:160]}"


async def _arrivals_async(env: dict[str, str], paths: list[str], rounds: int) -> list[dict]:
    out = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as work:
                log = Path(work) / "probe.jsonl"
                process, url, launched = start_server(REPO / "dashboard.py", env, probe_log=log)
                contexts = []
                try:
                    await wait_for_health(url, process)
                    healthy = time.perf_counter() - launched
                    contexts = [await browser.new_context(viewport={"width": 1280, "height": 800}) for _ in paths]
                    pages = [await context.new_page() for context in contexts]
                    cpu_before = cpu_seconds(process.pid)
                    results = await asyncio.gather(*(_arrive(p, url, path) for p, path in zip(pages, paths)))
                    cpu = cpu_seconds(process.pid) - cpu_before
                finally:
                    for context in contexts:
                        await context.close()
                    process.terminate()
                    process.wait()
                sessions = read_log(str(log))
            out.append({"health_s": healthy, "times": [t for t, _ in results if t is not None],
                        "errors": [e for _, e in results if e], "server_cpu_s": cpu,
                        # Server side, per session: from its connection, and from its first script run, to its first chart.
                        "server_connect_to_chart": [s["chart"] - s["session"] for s in sessions.values()
                                                    if "chart" in s and "session" in s],
                        "server_run_to_chart": [s["chart"] - s["run"] for s in sessions.values()
                                                if "chart" in s and "run" in s],
                        "sessions": len(sessions), "overlap": most_at_once(sessions)})
        await browser.close()
    return out


def arrivals_after_start(data_dir: Path | None, paths: list[str] | None = None, rounds: int = 1) -> dict:
    """`len(paths)` visitors (default: the browser test's eight) arriving together at a fresh server on
    `data_dir` (None: the bundled data), `rounds` times. Returns the slowest and median visitor's seconds
    from arrival to first chart per round, the errors, the server's CPU seconds meanwhile."""
    env = {"LEDGER_DATA": "" if data_dir is None else str(data_dir)}
    paths = paths or ARRIVAL_PATHS
    runs = asyncio.run(_arrivals_async(env, paths, rounds))
    times = [t for r in runs for t in r["times"]]
    server = [t for r in runs for t in r["server_connect_to_chart"]]
    return {
        "server: slowest session, connection → first chart (s)": [max(r["server_connect_to_chart"], default=float("nan"))
                                                                   for r in runs],
        "server: slowest session, first run → first chart (s)": [max(r["server_run_to_chart"], default=float("nan"))
                                                                  for r in runs],
        "server: median session, connection → first chart (s)": statistics.median(server) if server else float("nan"),
        "server: sessions charted": sum(len(r["server_connect_to_chart"]) for r in runs),
        "server: sessions": sum(r["sessions"] for r in runs),
        "server: most first runs at once": [r["overlap"] for r in runs],
        "visitors": len(paths), "rounds": rounds,
        "slowest per round (s)": [max(r["times"]) if r["times"] else float("nan") for r in runs],
        "median (s)": statistics.median(times) if times else float("nan"),
        "charted": len(times), "expected": len(paths) * rounds,
        "errors": [e for r in runs for e in r["errors"]],
        "health (s)": statistics.median(r["health_s"] for r in runs),
        "server CPU (s)": statistics.median(r["server_cpu_s"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    timings, errors, usage = asyncio.run(main_async(args.users, args.rounds))
    q = statistics.quantiles(timings, n=20) if len(timings) >= 2 else [float("nan")] * 19
    text = (f"#### Concurrent users, filter changes ({args.users} Chromium sessions × {args.rounds} filter changes, "
            f"one server, bundled data; `python -m benchmarks.concurrency`)\n\n"
            f"| users | filter changes timed | errors | p50 to updated chart | p95 | server CPU of the machine's |\n"
            f"|---:|---:|---:|---:|---:|---:|\n"
            f"| {args.users} | {len(timings)} | {len(errors)} | "
            f"{statistics.median(timings) if timings else float('nan'):.2f} s | {q[18]:.2f} s | "
            f"{usage.get('server_cpu', float('nan')):.0f} of "
            f"{usage.get('wall', float('nan')) * (os.cpu_count() or 1):.0f} core-seconds |\n")
    if errors:
        text += "\n" + "\n".join(f"- {e}" for e in errors[:20]) + "\n"
    print(text)
    replace_section(RESULTS, MARKERS, text)


if __name__ == "__main__":
    main()

"""Concurrent users: N headless-Chromium sessions (Playwright contexts) on one server, each changing filters.

    python -m benchmarks.concurrency --users 20 --rounds 3

Each user opens the Overview, then repeatedly picks a buyer in the sidebar and waits until the page has
rerun (the URL carries the buyer, Streamlit's running indicator is gone, the chart is drawn). Reports the
time from the click to the updated chart (p50, p95) and counts every error: a failed wait, an exception
element or an error alert. Writes its table into benchmarks/RESULTS.md (replacing an earlier one). Loopback only,
bounded in time.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

from playwright.async_api import async_playwright

from benchmarks.run import RESULTS, REPO, start_server
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

BUYERS = {"OpenAI": "openai", "Anthropic": "anthropic", "Meta": "meta", "xAI": "xai",
          "Microsoft Azure": "microsoft-azure"}
RUNNING = '!document.querySelector(\'[data-testid="stStatusWidget"]\')'


async def one_user(browser, url: str, index: int, rounds: int, timings: list, errors: list) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    try:
        await page.goto(url, timeout=120_000)
        await page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=120_000)
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
            await page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
            timings.append(time.perf_counter() - started)
            bad = await page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count()
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


async def main_async(users: int, rounds: int) -> tuple[list[float], list[str], dict[str, float]]:
    process, url, _ = start_server(REPO / "dashboard.py", {"LEDGER_DATA": ""})
    timings: list[float] = []
    errors: list[str] = []
    usage: dict[str, float] = {}
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for _ in range(200):  # wait for the health check, bounded
                try:
                    import urllib.request
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                    break
                except OSError:
                    await asyncio.sleep(0.1)
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    timings, errors, usage = asyncio.run(main_async(args.users, args.rounds))
    q = statistics.quantiles(timings, n=20) if len(timings) >= 2 else [float("nan")] * 19
    text = (f"\n## Concurrent users ({args.users} Chromium sessions × {args.rounds} filter changes, one server)\n\n"
            f"| users | filter changes timed | errors | p50 to updated chart | p95 | server CPU of the machine's |\n"
            f"|---:|---:|---:|---:|---:|---:|\n"
            f"| {args.users} | {len(timings)} | {len(errors)} | {statistics.median(timings):.2f} s | {q[18]:.2f} s | "
            f"{usage['server_cpu']:.0f} of {usage['wall'] * (os.cpu_count() or 1):.0f} core-seconds |\n")
    if errors:
        text += "\n" + "\n".join(f"- {e}" for e in errors[:20]) + "\n"
    print(text)
    # In place of an earlier concurrency table, before the findings.
    current = RESULTS.read_text() if RESULTS.exists() else ""
    before, heading, findings = current.partition("\n## Findings")
    before = before.split("\n## Concurrent users")[0].rstrip("\n") + "\n"
    RESULTS.write_text(before + text + (heading + findings if heading else ""))


if __name__ == "__main__":
    main()

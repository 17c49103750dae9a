"""The bundled data's cold start, the size most visitors see: each page's first chart against the one-chart floor
(the target: at most 1.3×), and eight visitors arriving together at a fresh server (the slowest is the figure).

    python -m benchmarks.bundled --cold-starts 5 --arrival-rounds 2

Uses the same measurements as benchmarks/run.py (which covers 10k to 1M synthetic deals); prints a Markdown table
for benchmarks/RESULTS.md. Asserts nothing: timings depend on the machine (the load average is printed).
"""
from __future__ import annotations

import argparse
import os

from benchmarks.run import PAGES, REPO, arrivals, browser_measurements

TARGET = 1.3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-starts", type=int, default=5)
    parser.add_argument("--arrival-rounds", type=int, default=2)
    args = parser.parse_args()
    data_dir = REPO / "data"
    measured = browser_measurements(data_dir, list(PAGES), args.cold_starts)
    floor = measured["floor (s)"]
    print(f"Bundled data, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; median of "
          f"{args.cold_starts} cold starts; one-chart floor {floor:.2f} s\n")
    print(f"| page | cold start → first chart | ratio to the floor (target ≤ {TARGET}×) |\n|---|---:|---:|")
    for name, seconds in measured["cold start (s)"].items():
        print(f"| {name} | {seconds:.2f} s | {seconds / floor:.2f}× |")
    for name, error in measured["errors"].items():
        print(f"| {name} | failed: {error} | |")
    print(f"\nPeak server RSS with every page opened: {measured['peak server RSS (MB)']:.0f} MB")
    if args.arrival_rounds:
        together = arrivals(data_dir, list(PAGES), args.arrival_rounds)
        print(f"\nEight visitors arriving together at a fresh server ({together['rounds']} rounds): "
              f"{together['charted']} of {together['expected']} got their first chart; slowest per round "
              f"{', '.join(f'{s:.1f} s' for s in together['slowest per round (s)'])} in the browser, "
              f"{', '.join(f'{s:.1f} s' for s in together['server: slowest session, connection → first chart (s)'])} "
              f"in the server (connection → chart); errors: {together['errors'] or 'none'}.")


if __name__ == "__main__":
    main()

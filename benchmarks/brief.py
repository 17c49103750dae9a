"""How long the Overview's "Download brief (PDF)" takes on the bundled data (the target: under 5 s).

    python -m benchmarks.brief --repeat 5
    python -m benchmarks.brief --deals 200000 --every-tier   # issue #24: synthetic deals, the widest filter

Times each step the click runs, as a server would: the Overview view (what the page has already cached), the
chart drawn by kaleido (the first click of a process also starts its render server and browser), the PDF laid out
by fpdf2. Prints the times and the brief's size; asserts nothing (tests check what the brief says, not its speed).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

from compute_ledger.analysis.filters import DealFilter
from compute_ledger.brief.link import share_link
from compute_ledger.brief.pdf import brief_pdf
from compute_ledger.brief.render import chart_png
from compute_ledger.data.load import REPO_DATA_DIR, load_ledger
from compute_ledger.views.overview import overview_view

TARGET_S = 5.0


CPU = {}  # step name -> this process's CPU seconds (the browser's own work is not in it)


def _timed(step, name: str = ""):
    start, cpu = time.perf_counter(), time.process_time()
    result = step()
    if name:
        CPU.setdefault(name, []).append(time.process_time() - cpu)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="clicks after the first (warm render server)")
    parser.add_argument("--deals", type=int, default=0, help="synthetic deals instead of the bundled data")
    parser.add_argument("--every-tier", action="store_true",
                        help="every firmness tier, overlaps, providers' own purchases and a 2015 'new since'")
    args = parser.parse_args()
    if args.deals:
        import tempfile
        from pathlib import Path

        from benchmarks.synthetic import write_ledger
        location = str(write_ledger(args.deals, Path(tempfile.mkdtemp(prefix="brief-bench-")) / "ledger"))
    else:
        location = str(REPO_DATA_DIR)
    tables = load_ledger(location).tables
    deal_filter = (DealFilter(tiers=("definitive", "announced", "reported"), include_overlaps=True, provider_side=True)
                   if args.every_tier else DealFilter())
    since = dt.date(2015, 1, 2) if args.every_tier else None
    view, view_s = _timed(lambda: overview_view(tables, deal_filter, since))
    link = share_link("http://localhost:8501/", deal_filter, view.since)
    png, first_chart_s = _timed(lambda: chart_png(view.chart))
    pdf, layout_s = _timed(lambda: brief_pdf(view, link, png), "layout")
    first = first_chart_s + layout_s
    warm = []
    for _ in range(args.repeat):
        _, chart_s = _timed(lambda: chart_png(view.chart))
        _, lay_s = _timed(lambda: brief_pdf(view, link, png), "layout")
        warm.append((chart_s, lay_s))
    clicks = [c + lay for c, lay in warm]
    print(f"{'synthetic' if args.deals else 'bundled'} data: {tables['deals'].height} deals; {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"view (cached by the page, not part of a click): {view_s:.2f} s")
    print(f"first click of a process: chart {first_chart_s:.2f} s (starts the browser) + layout {layout_s:.2f} s "
          f"= {first:.2f} s ({first / TARGET_S:.0%} of the {TARGET_S:.0f} s target)")
    if clicks:
        print(f"later clicks (n={len(clicks)}): median {statistics.median(clicks):.2f} s, max {max(clicks):.2f} s "
              f"(chart median {statistics.median(c for c, _ in warm):.2f} s, layout median "
              f"{statistics.median(lay for _, lay in warm):.2f} s) = {max(clicks) / TARGET_S:.0%} of the target")
    print(f"layout CPU time of this process: median {statistics.median(CPU['layout']):.2f} s (wall times above "
          "include waiting for a CPU on a loaded machine)")
    print(f"brief: {len(pdf) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()

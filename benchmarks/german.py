"""What German costs on a page (issue 29; the target: a German run at most 10 % slower than an English one).

    python -m benchmarks.german --deals 1000000            # every page; --pages overview gap for some

Per page and language, on synthetic deals (benchmarks/synthetic.py): the page's view built from cold caches (what
the first visitor of a filter waits for: sentences through the catalogue, numbers through Babel) and the cached
rerun (what every later click costs), timed with AppTest as benchmarks/run.py does. English and German alternate
so that a busy machine slows both alike. Prints a table; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.run import PAGES, _apptest, _clear_caches, _fail_on_exception, best
from benchmarks.synthetic import write_ledger
from tests.conftest import REPO

TARGET = 1.10
# benchmarks/run.py's pages, and the company profiles (opened on the profile the page shows first).
GERMAN_PAGES = PAGES | {"company": "pages/company.py"}


def one_page(AppTest, page: str, language: str) -> tuple[float, float, float]:
    """(view built from cold caches: wall and CPU seconds, best cached rerun) of `page` opened with
    `lang=language`. CPU time as well as wall time: on a shared machine the wall time of a ~1 s run swings by
    half a second with the neighbours' load, the process's CPU time much less."""
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
    at.query_params["lang"] = language
    at.run()
    _fail_on_exception(at, f"{page} ({language})")
    if page != "overview":
        at.switch_page(GERMAN_PAGES[page]).run()
    _clear_caches()
    start, cpu = time.perf_counter(), time.process_time()
    at.run()
    first, first_cpu = time.perf_counter() - start, time.process_time() - cpu
    _fail_on_exception(at, f"{page} ({language}), first run")
    return first, first_cpu, best(at.run, repeat=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--pages", nargs="+", default=sorted(GERMAN_PAGES), choices=sorted(GERMAN_PAGES))
    parser.add_argument("--rounds", type=int, default=5, help="alternating English/German rounds per page")
    args = parser.parse_args()
    AppTest = _apptest()
    with tempfile.TemporaryDirectory() as work:
        os.environ["LEDGER_DATA"] = str(write_ledger(args.deals, Path(work) / "ledger"))
        warm = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
        warm.run()  # imports and the ledger, once
        print(f"{args.deals:,} deals; medians of {args.rounds} rounds (ms)")
        print("| page | first run en | first run de | de/en | first run CPU en | CPU de | de/en | rerun en | rerun de "
              "| de/en |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for page in args.pages:
            runs = {"en": [], "de": []}
            for _ in range(args.rounds):
                for language in ("en", "de"):
                    runs[language].append(one_page(AppTest, page, language))
            first, cpu, rerun = ({lang: statistics.median(r[i] for r in rs) for lang, rs in runs.items()}
                                 for i in range(3))
            cells = [f"{x['en'] * 1000:,.0f} | {x['de'] * 1000:,.0f} | {x['de'] / x['en']:.2f}"
                     for x in (first, cpu, rerun)]
            print(f"| {page} | " + " | ".join(cells) + " |")
        print(f"target: de/en <= {TARGET:.2f}")
        _clear_caches()


if __name__ == "__main__":
    main()

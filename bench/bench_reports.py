"""Benchmark: the annual report (HTML, PDF, Word) for a large synthetic county.

    python bench/bench_reports.py [--population 110000] [--keep DIR]

Generates a county (csc_scorecard.synth, two collection years 2023-24 and
2024-25), ingests it into a throwaway data directory, computes and stores
the results (year, quarters and months), then times the reports from the
stored results.  Target: the annual report in all three formats in under
30 s.  The set-up steps are timed too but are not part of the target.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=110_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the reports here and keep them")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="bench_reports_"))
    os.environ["CSC_SCORECARD_HOME"] = str(home / "home")
    os.environ.setdefault("CSC_SCORECARD_SECRET_KEY", "bench-only")
    (home / "home").mkdir()
    from csc_scorecard.django_setup import setup

    setup(migrate=True)
    from csc_scorecard.indicators.results import compute_and_store, periods_for_years
    from csc_scorecard.reporting.produce import write_report
    from csc_scorecard.store.ingest import ingest_paths
    from csc_scorecard.synth import generate

    la, years = "990", ("2023-24", "2024-25")
    timings: dict[str, float] = {}
    t = time.perf_counter()
    generate(home / "synth", la_code=la, population=args.population, seed=args.seed, years=years, xml=False)
    timings["generate"] = time.perf_counter() - t
    t = time.perf_counter()
    ingest_paths([home / "synth" / la])
    timings["ingest"] = time.perf_counter() - t
    t = time.perf_counter()
    rows = compute_and_store(periods_for_years(years), la_code=la, population=args.population)
    timings["compute_and_store"] = time.perf_counter() - t

    out = args.keep or home / "reports"
    results = {}
    for kind, period, publication in (
        ("annual", "2024-25", False),
        ("annual", "2024-25", True),
        ("quarterly", "2024-25-Q2", False),
    ):
        t = time.perf_counter()
        files = write_report(kind, period, out, la_code=la, publication=publication)
        total = time.perf_counter() - t
        pages = files.pdf_pages
        results[(kind, publication)] = (total, files.seconds, pages, files.paths)

    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"County: population 0-17 {args.population:,}, seed {args.seed}, years {', '.join(years)}; "
          f"{rows:,} stored values")
    print("set-up: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    print()
    print("| report | total | model | HTML | PDF | Word | PDF pages |")
    print("|---|---|---|---|---|---|---|")
    for (kind, publication), (total, secs, pages, _paths) in results.items():
        name = kind + (" (publication)" if publication else "")
        print(f"| {name} | **{total:.1f} s** | {secs.get('model', 0):.1f} s | {secs.get('html', 0):.2f} s "
              f"| {secs.get('pdf', 0):.1f} s | {secs.get('docx', 0):.1f} s | {pages} |")
    annual = results[("annual", False)][0]
    print()
    print(f"annual report, three formats: {annual:.1f} s (target < 30 s): "
          + ("OK" if annual < 30 else "TOO SLOW"))
    if args.keep is None:
        shutil.rmtree(home, ignore_errors=True)
    sys.exit(0 if annual < 30 else 1)


if __name__ == "__main__":
    main()

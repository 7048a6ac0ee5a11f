"""Benchmark: the indicator catalogue for every council in England at once.

Builds N synthetic councils in memory (default 150) sized like England's: 0-17
populations spread from about 22,000 to 290,000, referrals and children looked
after in proportion (England 2024-25: 519.4 referrals and 67 looked after per
10,000). For each council it times

- the whole catalogue, every breakdown, for the financial year (the target:
  under 5 minutes for all councils together), and
- the full set a recompute stores (year, 4 quarters, 12 months), reported too.

Building the councils' frames is not timed.

    python bench/bench_indicators_national.py [--councils 150] [--write]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_indicators import synthetic_county  # noqa: E402

from csc_scorecard.indicators.engine import compute  # noqa: E402
from csc_scorecard.periods import parse_period  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## indicators, national"


def populations(n: int, seed: int = 150) -> list[int]:
    """0-17 populations with England's spread: most councils 30,000-80,000, a long tail."""
    rng = random.Random(seed)
    return [int(min(290_000, max(22_000, rng.lognormvariate(10.9, 0.55)))) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=150)
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()

    year = parse_period("2024-25")
    full = [year, *year.quarters(), *year.months()]
    year_s = full_s = build_s = 0.0
    values = 0
    pops = populations(args.councils)
    for i, pop in enumerate(pops):
        t0 = time.perf_counter()
        data = synthetic_county(
            seed=i, referrals_per_year=max(200, round(pop * 519.4 / 10_000)),
            cla=max(50, round(pop * 67 / 10_000)),
        )
        data.population_0_17 = pop
        build_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        values += compute(data, [year]).height
        year_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        compute(data, full)
        full_s += time.perf_counter() - t0
        print(f"council {i + 1}/{len(pops)}: population {pop:,}, year {year_s:.1f}s so far", flush=True)

    lines = [
        SECTION,
        "",
        f"`python bench/bench_indicators_national.py --councils {args.councils}` on "
        f"{platform.machine()} ({os.cpu_count()} CPUs) / Python {platform.python_version()}: "
        f"{args.councils} synthetic councils, 0-17 populations {min(pops):,} to {max(pops):,} "
        f"({sum(pops):,} children in all); building their frames took {build_s:.0f} s (not timed).",
        "",
        "| what | time | target |",
        "|---|---|---|",
        f"| whole catalogue, every breakdown, financial year 2024-25, all councils ({values:,} values) "
        f"| **{year_s:.1f} s** | < 5 min |",
        f"| year + 4 quarters + 12 months (what a recompute stores), all councils | {full_s:.1f} s | |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        existing = RESULTS.read_text(encoding="utf-8")
        pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
        if pattern.search(existing):
            existing = pattern.sub(text + "\n", existing)
        else:
            existing = existing.rstrip("\n") + "\n\n" + text + "\n"
        RESULTS.write_text(existing, encoding="utf-8")


if __name__ == "__main__":
    main()

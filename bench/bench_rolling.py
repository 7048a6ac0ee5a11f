"""Benchmark: what storing R3/R6 for every month end would cost, against working them out on demand.

On the large synthetic county of bench_indicators.py, for 2024-25:

- the periods a recompute stores now (year, 4 quarters, 12 months): time and values;
- the same plus R3 and R6 ending at each of the 12 month ends (24 more periods);
- on demand, as a self-evaluation asks: one indicator, one R3 period, the council total only
  (first ask on a CaseData, then again).

Usage::

    python bench/bench_rolling.py [--write]

``--write`` replaces the "## rolling periods" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_indicators import synthetic_county, timed  # noqa: E402

from csc_scorecard.indicators.catalogue import get_catalogue  # noqa: E402
from csc_scorecard.indicators.engine import compute, load_indicator_modules  # noqa: E402
from csc_scorecard.indicators.registry import INDICATORS  # noqa: E402
from csc_scorecard.periods import Period, parse_period  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()

    load_indicator_modules()
    ids = [e.id for e in get_catalogue() if e.id in INDICATORS]
    year = parse_period("2024-25")
    now = [year, *year.quarters(), *year.months()]
    rolling = [Period.rolling(n, m.end.year, m.end.month) for m in year.months() for n in (3, 6)]

    data = synthetic_county()
    now_s, now_result = timed(lambda: compute(data, now, ids), repeat=1)
    data = synthetic_county()
    more_s, more_result = timed(lambda: compute(data, now + rolling, ids), repeat=1)
    data = synthetic_county()
    r3 = parse_period("R3-2025-03")
    t0 = time.perf_counter()
    compute(data, [r3], ["assessments_45wd_pct"], breakdowns=("all",))
    first = time.perf_counter() - t0
    again, _ = timed(lambda: compute(data, [r3], ["assessments_45wd_pct"], breakdowns=("all",)))

    lines = [
        "## rolling periods",
        "",
        f"`python bench/bench_rolling.py` on {platform.machine()} / Python "
        f"{platform.python_version()}, {dt.date.today().isoformat()}; the synthetic county of "
        "bench_indicators.py, whole catalogue, every breakdown, fresh CaseData for each row.",
        "",
        "| what | periods | values | time |",
        "|---|---|---|---|",
        f"| recompute as now: year, 4 quarters, 12 months | {len(now)} | {now_result.height:,} | "
        f"{now_s:.2f} s |",
        f"| the same plus R3 and R6 at each month end | {len(now) + len(rolling)} | "
        f"{more_result.height:,} | {more_s:.2f} s |",
        f"| on demand: assessments_45wd_pct, R3-2025-03, council total (first ask) | 1 | 1 | "
        f"{first:.3f} s |",
        f"| on demand, asked again on the same CaseData | 1 | 1 | {again:.3f} s |",
    ]
    section = "\n".join(lines) + "\n"
    print(section)
    if args.write:
        path = Path(__file__).with_name("RESULTS.md")
        text = path.read_text(encoding="utf-8")
        if "## rolling periods" in text:
            text = re.sub(r"## rolling periods\n.*?(?=\n## |\Z)", section, text, flags=re.S)
        else:
            text = text.rstrip("\n") + "\n\n" + section
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

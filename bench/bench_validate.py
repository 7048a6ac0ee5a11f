"""Speed and memory of the SSDA903 rules on a large synthetic county's year.

    python bench/bench_validate.py [--population 250000] [--repeat 3] [--sector-venv VENV]

Writes the county's 2023-24 and 2024-25 returns (seed 7) into a temporary
folder, then times, in this process: reading the 2024-25 903 CSVs (and
2023-24's as last year) into rule tables, and running every 903 rule in force
for 2024-25 on them. Prints the best of --repeat runs and the peak resident
memory of the process (which includes the synthesiser's own use).

With --sector-venv (a virtual environment with csc-validator-be-903 installed,
see tests/validation/test_sector_agreement_903.py) the sector's validator runs
once on the same files, through tests/validation/oracle/driver_903.py, in a
process of its own: its wall time and peak memory are printed beside ours.
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from csc_scorecard.synth import generate
from csc_scorecard.validation import ssda903
from csc_scorecard.validation.core import Context, Outcome
from csc_scorecard.validation.ssda903.tables import load_903_tables


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--population", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sector-venv", type=Path)
    args = parser.parse_args()
    sector = None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate(out, la_code="999", population=args.population, years=["2023-24", "2024-25"], seed=7, xml=False)
        this = sorted((out / "999" / "2024-25" / "ssda903").glob("*.csv"))
        last = sorted((out / "999" / "2023-24" / "ssda903").glob("*.csv"))
        load_times, rule_times = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            tables = load_903_tables(this).tables
            tables.update(load_903_tables(last, suffix="_last").tables)
            t1 = time.perf_counter()
            results = ssda903.run_903(tables, Context("2024-25", "999"))
            t2 = time.perf_counter()
            load_times.append(t1 - t0)
            rule_times.append(t2 - t1)
        if args.sector_venv:
            sector = _sector(args.sector_venv, this, last)
    children = tables["Header"]["CHILD"].n_unique()
    rows = ", ".join(f"{name} {frame.height:,}" for name, frame in sorted(tables.items()))
    outcomes = {o: sum(r.outcome is o for r in results) for o in Outcome}
    failures = sum(r.failure_count for r in results)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{platform.machine()} / Python {sys.version.split()[0]} / Polars {pl.__version__}")
    print(f"population {args.population:,}: {children:,} children in the 2024-25 903; tables: {rows}")
    print(f"rules: {len(results)} ({', '.join(f'{n} {o.value}' for o, n in outcomes.items())}), {failures:,} failures")
    print(f"read tables (this year + last): best {min(load_times):.2f} s")
    print(f"run the 903 rules: best {min(rule_times):.2f} s")
    print(f"read + rules: best {min(a + b for a, b in zip(load_times, rule_times, strict=True)):.2f} s")
    print(f"peak resident memory of the process: {peak_mb:.0f} MB")
    if sector:
        seconds, mb = sector
        best = min(a + b for a, b in zip(load_times, rule_times, strict=True))
        print(f"sector validator (csc-validator-be-903), same files: {seconds:.1f} s, peak {mb:.0f} MB; "
              f"{seconds / best:.0f} times our read + rules")
    return 0


def _sector(venv: Path, this: list[Path], last: list[Path]) -> tuple[float, float]:
    driver = Path(__file__).resolve().parents[1] / "tests" / "validation" / "oracle" / "driver_903.py"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run([str(venv / "bin" / "python"), str(driver), "--year", "2025", "--la", "E10000027",
                    *map(str, this), "--last", *map(str, last)], check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


if __name__ == "__main__":
    raise SystemExit(main())

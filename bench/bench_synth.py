"""Benchmark the synthetic council generator.

    python bench/bench_synth.py                 # both runs, then update bench/RESULTS.md
    python bench/bench_synth.py county          # one large county year (110,000 children);
                                                # updates only the county row of RESULTS.md
    python bench/bench_synth.py councils -n 20  # N councils for one year (default 150)

Each run happens in its own subprocess so peak memory (ru_maxrss) is that run's
own.  Targets: county year under 30 s; 150 councils under 15 min with peak
memory under 2 GB.  With fewer than 150 councils the 150-council time is
extrapolated from the measured per-council time (and marked as such).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
YEAR = "2024-25"


def _peak_mb() -> float:
    # Linux reports kilobytes
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _dir_size(root: Path) -> tuple[int, int]:
    n = size = 0
    for p in root.rglob("*"):
        if p.is_file():
            n += 1
            size += p.stat().st_size
    return n, size


def run_county(population: int = 110_000, seed: int = 1) -> dict:
    from csc_scorecard.synth import generate

    out = Path(tempfile.mkdtemp(prefix="bench_synth_county_"))
    try:
        t = time.perf_counter()
        summary = generate(out, population=population, years=YEAR, seed=seed)
        elapsed = time.perf_counter() - t
        files, size = _dir_size(out)
        cy = summary.council_years[0]
        return {
            "run": "county",
            "population": population,
            "year": YEAR,
            "seconds": round(elapsed, 2),
            "peak_rss_mb": round(_peak_mb(), 1),
            "files": files,
            "mb_written": round(size / 1e6, 1),
            "cin_children": cy.cin_children,
            "children_in_903": cy.cla_children,
        }
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run_councils(n: int, seed: int = 1) -> dict:
    from csc_scorecard.synth import generate

    out = Path(tempfile.mkdtemp(prefix="bench_synth_councils_"))
    try:
        t = time.perf_counter()
        summary = generate(out, years=YEAR, seed=seed, councils=n)
        elapsed = time.perf_counter() - t
        files, size = _dir_size(out)
        pops = [c["population"] for c in summary.councils]
        return {
            "run": "councils",
            "councils": n,
            "year": YEAR,
            "seconds": round(elapsed, 1),
            "seconds_per_council": round(elapsed / n, 2),
            "peak_rss_mb": round(_peak_mb(), 1),
            "files": files,
            "mb_written": round(size / 1e6, 1),
            "total_population": sum(pops),
            "min_population": min(pops),
            "max_population": max(pops),
            "extrapolated_150_seconds": round(elapsed / sum(pops) * sum(pops) / n * 150, 0),
        }
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _subprocess(args: list[str]) -> dict:
    env = dict(os.environ)
    src = str(HERE.parent / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    res = subprocess.run(
        [sys.executable, __file__, *args, "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def _county_row(county: dict) -> str:
    return (
        f"| one county year, {county['population']:,} children 0-17 | {county['seconds']} s, "
        f"peak RSS {county['peak_rss_mb']:.0f} MB, {county['files']} files, "
        f"{county['mb_written']} MB | < 30 s |"
    )


def _intro() -> str:
    return (
        f"Synthetic council generator (`csc_scorecard.synth`), collection year {YEAR}, "
        f"all returns written (903 CSVs and the 903 XML in its own folder, CIN census XML, "
        f"Annex A xlsx, local CSVs). "
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}. Run: `python bench/bench_synth.py` "
        f"(`county` alone updates only the county row)."
    )


def write_county_row(county: dict) -> None:
    """Replace the county row (and the intro) of the synth section, keeping the
    councils rows as they were measured."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    start = text.find("## synth")
    if start < 0:
        section = "\n".join(
            [
                "## synth",
                "",
                _intro(),
                "",
                "| run | measured | target |",
                "|---|---|---|",
                _county_row(county),
                "",
            ]
        )
        RESULTS.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        return
    end = text.find("\n## ", start + 1)
    end = len(text) if end < 0 else end + 1
    lines = text[start:end].split("\n")
    for i, line in enumerate(lines):
        if line.startswith("Synthetic council generator"):
            lines[i] = _intro()
        elif line.startswith("| one county year"):
            lines[i] = _county_row(county)
    RESULTS.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")


def write_results(county: dict, councils: dict) -> None:
    n = councils["councils"]
    measured = n >= 150
    t150 = councils["seconds"] if measured else councils["extrapolated_150_seconds"]
    lines = [
        "## synth",
        "",
        _intro(),
        "",
        "| run | measured | target |",
        "|---|---|---|",
        _county_row(county),
        f"| {n} councils, one year (populations {councils['min_population']:,}-"
        f"{councils['max_population']:,}, total {councils['total_population']:,}) | "
        f"{councils['seconds']} s ({councils['seconds_per_council']} s a council), peak RSS "
        f"{councils['peak_rss_mb']:.0f} MB, {councils['files']} files, {councils['mb_written']} MB | "
        f"- |",
        f"| 150 councils, one year | {'measured' if measured else 'EXTRAPOLATED from the run above'}: "
        f"{t150 / 60:.1f} min; peak RSS {councils['peak_rss_mb']:.0f} MB (councils are written one "
        f"at a time, so peak memory does not grow with N) | < 15 min, < 2 GB |",
        "",
    ]
    section = "\n".join(lines)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    start = text.find("## synth")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("what", nargs="?", choices=("all", "county", "councils"), default="all")
    ap.add_argument("-n", "--councils", type=int, default=150, help="councils for the national run")
    ap.add_argument("--population", type=int, default=110_000, help="county population")
    ap.add_argument("--json", action="store_true", help="print the result as one JSON line")
    ap.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = ap.parse_args(argv)
    if args.what == "county":
        r = run_county(args.population)
        if not args.json and not args.no_write:
            write_county_row(r)
            print(f"wrote the county row of the synth section of {RESULTS}")
    elif args.what == "councils":
        r = run_councils(args.councils)
    else:
        county = _subprocess(["county", "--population", str(args.population)])
        print(f"county: {county}")
        councils = _subprocess(["councils", "-n", str(args.councils)])
        print(f"councils: {councils}")
        if not args.no_write:
            write_results(county, councils)
            print(f"wrote the synth section of {RESULTS}")
        return
    print(json.dumps(r) if args.json else r)


if __name__ == "__main__":
    main()

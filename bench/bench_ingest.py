"""Ingest speed and memory for a large county's year.

Builds one collection year (2024-25) of a synthetic county big enough for at
least 12,000 CIN episodes and 3,000 CLA episodes, then times
`csc-scorecard ingest` of its SSDA903 and CIN census into a fresh SQLite store,
in a child process so the peak memory measured is the ingest's own. The
Annex A workbook and local extracts are timed too, as a second figure.

    python bench/bench_ingest.py [--population 150000] [--no-write]

Targets (issue 2): under 20 s and under 1 GB peak for the 903 + CIN year.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## ingest"


def timed_ingest(paths: list[Path], home: Path) -> tuple[float, float, str]:
    """(seconds, peak MB, output) of one `csc-scorecard ingest` in its own process."""
    env = dict(os.environ, CSC_SCORECARD_HOME=str(home))
    env.pop("DATABASE_URL", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "csc_scorecard.cli", *(["ingest"] + [str(p) for p in paths])],
        env=env, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"ingest failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, max(peak_kb, before) / 1024, done.stdout


def stored_rows(home: Path, table: str) -> int:
    """Rows in one case table of the benchmark's SQLite store."""
    with sqlite3.connect(home / "csc-scorecard.sqlite3") as db:
        return db.execute(f"select count(*) from store_{table}").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=150_000)
    parser.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = parser.parse_args()

    from csc_scorecard.synth import generate

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmp_path = Path(tmp)
        generate(tmp_path / "returns", la_code="999", population=args.population, years=["2024-25"], seed=7)
        year = tmp_path / "returns" / "999" / "2024-25"
        # the 903 as its CSV tables (the generator also writes it as XML: the same return)
        core = sorted((year / "ssda903").glob("*.csv")) + [year / "cin_census.xml"]
        seconds, peak_mb, _ = timed_ingest(core, tmp_path / "home")
        cin_episodes = stored_rows(tmp_path / "home", "referral")
        cla_episodes = stored_rows(tmp_path / "home", "claepisode")
        extra = [p for p in (year / "annex_a.xlsx", year / "local") if p.exists()]
        extra_seconds, extra_peak, _ = timed_ingest(extra, tmp_path / "home")

    lines = [
        SECTION,
        "",
        f"`python bench/bench_ingest.py --population {args.population}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite.",
        "",
        "| what | rows | wall time | peak memory | target |",
        "|---|---|---|---|---|",
        f"| 903 (CSV) + CIN census, one year | {cin_episodes:,} CIN episodes, {cla_episodes:,} CLA episodes "
        f"| {seconds:.1f} s | {peak_mb:.0f} MB | < 20 s, < 1 GB |",
        f"| Annex A workbook + local extracts, same year | | {extra_seconds:.1f} s | {extra_peak:.0f} MB | |",
        "",
        "Wall time includes starting Python and Django, running migrations on the new store, and",
        "recomputing the indicators after the ingest (every month, quarter and the year).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if cin_episodes < 12_000 or cla_episodes < 3_000:
        print(f"warning: below the benchmark's size ({cin_episodes} CIN, {cla_episodes} CLA episodes)")
    if not args.no_write:
        write_section(text)


def write_section(text: str) -> None:
    existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(text + "\n", existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text + "\n"
    RESULTS.write_text(updated, encoding="utf-8")


if __name__ == "__main__":
    main()

"""CIN census validation speed and memory: the file to tables, then all 109 DfE rules.

Writes one 2024-25 census of a synthetic county (in this process, not timed),
then checks it in a child process so the peak memory is the check's own:
`load_cin_tables` (streamed XML, with the census gate's full parse first) and
`check_cin_tables`, three runs, the best reported.

    python bench/bench_cin_validation.py [--population 110000] [--no-write]

Target (issue 14): the 903 and the CIN census together in under 5 s and 1 GB;
this is the census's share.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## CIN census validation"

CHILD = r"""
import json, resource, sys, time
from csc_scorecard.validation.cin import check_cin_tables, load_cin_tables
from csc_scorecard.validation.core import Context, Outcome
best = None
for _ in range(3):
    t0 = time.perf_counter()
    tables = load_cin_tables(sys.argv[1])
    t1 = time.perf_counter()
    results = check_cin_tables(tables, Context("2024-25"))
    t2 = time.perf_counter()
    if best is None or t2 - t0 < best[0] + best[1]:
        best = (t1 - t0, t2 - t1)
print(json.dumps({
    "load": best[0], "rules": best[1],
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "children": tables["ChildIdentifiers"].height, "episodes": tables["CINdetails"].height,
    "rules_run": len(results),
    "not_passed": sum(r.outcome != Outcome.PASSED for r in results),
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=110_000)
    parser.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = parser.parse_args()

    from csc_scorecard.synth import generate

    with tempfile.TemporaryDirectory(prefix="bench-cin-") as tmp:
        generate(Path(tmp), la_code="999", population=args.population, years=["2024-25"], seed=7,
                 xml=False)
        census = Path(tmp) / "999" / "2024-25" / "cin_census.xml"
        done = subprocess.run([sys.executable, "-c", CHILD, str(census)], capture_output=True,
                              text=True, env=dict(os.environ))
        if done.returncode != 0:
            raise SystemExit(f"the check failed:\n{done.stderr}")
        m = json.loads(done.stdout)
        size_mb = census.stat().st_size / 1e6

    text = "\n".join([
        SECTION,
        "",
        f"`python bench/bench_cin_validation.py --population {args.population}` on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}: "
        f"a 2024-25 census of {m['children']:,} children, {m['episodes']:,} episodes "
        f"({size_mb:.1f} MB of XML); best of three runs.",
        "",
        "| what | time | peak memory |",
        "|---|---|---|",
        f"| file to tables (`load_cin_tables`, gate parse + streamed read) | {m['load']:.2f} s | |",
        f"| {m['rules_run']} DfE rules (`check_cin_tables`) | {m['rules']:.2f} s | |",
        f"| together | **{m['load'] + m['rules']:.2f} s** | {m['peak_mb']:.0f} MB (the process) |",
        "",
        f"{m['not_passed']} rules did not pass on this file (the synthetic council's DfE queries). "
        f"Load average during the run: {os.getloadavg()[0]:.1f} (a shared machine: figures "
        "are upper bounds).",
        "",
    ])
    print(text)
    if not args.no_write:
        existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
        pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
        if pattern.search(existing):
            updated = pattern.sub(text + "\n", existing)
        else:
            updated = existing.rstrip("\n") + "\n\n" + text + "\n"
        RESULTS.write_text(updated, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Ingest speed: one county year of every return, and the README demo's four years.

Writes the synthetic returns once, then, in a child process per run (so each
starts cold, on a fresh SQLite store), times:

- county year: the 903 (CSVs) + CIN census + Annex A workbook + local
  extracts of one year of a 110,000-child county, as one `ingest_paths`
  call; then the recompute that follows, timed on its own;
- demo: the four years the README's `csc-scorecard demo` writes (2021-22 to
  2024-25, 110,000 children), ingested as the demo does it.

Wall time and CPU time (user + system) are both given: on a shared machine
wall time depends on the others' load, CPU time much less. With
``--before SRC`` (a `src/` folder of an earlier version, e.g. from
`git archive`) every run is also made with that code, in the same session,
alternating, so the ratios compare like with like.

    python bench/bench_ingest.py [--before /tmp/old/src] [--repeat 3] [--one-process] [--no-write]

Each version's modules are compiled to bytecode first (their __pycache__,
as pip does for an installed package), so no run pays for compiling them. With ``--repeat N`` each county-year run is made N times, alternating
versions, and the fastest (by wall time) of each is shown.

Targets (issue 15): county year under 3 s plus the recompute; the demo's
ingest under 60 s, on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## ingest"
SRC = Path(__file__).resolve().parents[1] / "src"
YEARS = ("2021-22", "2022-23", "2023-24", "2024-25")
POPULATION = 110_000

# Run in the child: migrate a fresh store, time the ingest, then the recompute.
CHILD = r"""
import json, sys, time
from pathlib import Path
from csc_scorecard.django_setup import setup
setup(migrate=True)
from csc_scorecard.store.ingest import ingest_paths
paths = [Path(p) for p in json.loads(sys.argv[1])]
# Where the time goes: wall time inside a few functions, wrapped where this version has them
# (nested ones counted in their callers too: "writing rows" happens inside "reading").
import importlib
STAGES = {"reading (readers, and their rows written as batches fill)": ("csc_scorecard.store.ingest", "read_group"),
          "writing rows (all batches, inside reading and after it)": ("csc_scorecard.store.bulk", "TableWriter.flush"),
          "each return's own DfE rules": ("csc_scorecard.validation.at_ingest", "validate_submission"),
          "cross-return checks": ("csc_scorecard.store.ingest", "_cross_check_latest"),
          "recognising the files": ("csc_scorecard.store.ingest", "detect.classify")}
spent = {}
def wrap(label, module_name, dotted):
    try:
        owner = importlib.import_module(module_name)
        *path, name = dotted.split(".")
        for part in path:
            owner = getattr(owner, part)
        inner = getattr(owner, name)
    except (ImportError, AttributeError):
        return
    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
    setattr(owner, name, timed)
if sys.argv[4] == "one-process":  # this version with its read-ahead workers turned off
    import csc_scorecard.store.read_ahead as read_ahead
    read_ahead.MIN_BYTES_AHEAD = float("inf")
if sys.argv[3] == "stages":
    for label, (module_name, dotted) in STAGES.items():
        wrap(label, module_name, dotted)
def clock():
    # CPU time of this process and of the read-ahead workers it has waited for
    import resource
    r, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime
w0, c0 = clock()
outcomes = ingest_paths(paths)
w1, c1 = clock()
bad = [(o.label, o.reason) for o in outcomes if o.status not in ("stored", "duplicate")]
result = {"ingest": [w1 - w0, c1 - c0], "stored": sum(o.status == "stored" for o in outcomes),
          "rows": sum(sum(o.row_counts.values()) for o in outcomes), "bad": bad, "stages": spent,
          "peak_mb": __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss / 1024,
          "worker_peak_mb": __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN).ru_maxrss / 1024}
if sys.argv[2] == "recompute":
    from csc_scorecard.indicators.results import recompute_after_ingest
    recompute_after_ingest()
    w2, c2 = clock()
    result["recompute"] = [w2 - w1, c2 - c1]
print("RESULT " + json.dumps(result))
"""


def run(src: Path, paths: list[Path], home: Path, recompute: bool, stages: bool = False,
        one_process: bool = False) -> dict:
    env = dict(os.environ, CSC_SCORECARD_HOME=str(home), PYTHONPATH=str(src), NO_PROGRESS="1")
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps([str(p) for p in paths]),
         "recompute" if recompute else "no", "stages" if stages else "plain",
         "one-process" if one_process else "workers"],
        env=env, capture_output=True, text=True,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"benchmark run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(line[len("RESULT "):])
    if src != SRC:  # an older version may not know a newer file (e.g. area_populations.csv)
        result["unknown"] = sorted({Path(label).name for label, reason in result["bad"]
                                    if "match no SSDA903 table" in reason})
        result["bad"] = [b for b in result["bad"] if "match no SSDA903 table" not in b[1]]
    if result["bad"]:
        raise SystemExit(f"not stored: {result['bad']}")
    return result


def county_paths(year_dir: Path) -> list[Path]:
    # the 903 as its CSV tables (the XML is the same return)
    return [
        *sorted((year_dir / "ssda903").glob("*.csv")),
        year_dir / "cin_census.xml",
        year_dir / "annex_a.xlsx",
        year_dir / "local",
    ]


def fmt(pair: list[float]) -> str:
    return f"{pair[0]:.1f} s ({pair[1]:.1f} s CPU)"


def spread(times: list[float]) -> str:
    ordered = sorted(times)
    return f"{ordered[0]:.1f} / {statistics.median(ordered):.1f} / {ordered[-1]:.1f} s of {len(ordered)} runs"


def ratio(before: list[float] | None, after: list[float]) -> str:
    if not before:
        return ""
    return f"{before[0] / after[0]:.1f}x wall, {before[1] / after[1]:.1f}x CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="src/ folder of the version to compare with")
    parser.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    parser.add_argument("--repeat", type=int, default=1, help="county-year runs of each version")
    parser.add_argument("--one-process", action="store_true",
                        help="also run this version with its read-ahead workers off")
    args = parser.parse_args()
    sys.path.insert(0, str(SRC))
    from csc_scorecard.synth import generate

    versions = [("after", SRC, False)] + ([("before", args.before, False)] if args.before else [])
    if args.one_process:
        versions.append(("one process", SRC, True))
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmp_path = Path(tmp)
        generate(tmp_path / "returns", la_code="999", population=POPULATION, years=list(YEARS),
                 seed=7, xml=False)
        council = tmp_path / "returns" / "999"
        county = county_paths(council / YEARS[-1])
        demo = [council / y for y in YEARS]
        for _, src, _ in versions:  # as pip does at install: no run pays for compiling
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)],
                           check=True, stdout=subprocess.DEVNULL)
        results: dict[str, dict] = {}
        walls: dict[str, list[float]] = {}  # every county-year run's wall time, by version
        loads: list[float] = []
        for i in range(args.repeat):
            for name, src, one in versions:  # alternate versions so both see the same load
                got = run(src, county, tmp_path / f"h-county-{name}-{i}", True, one_process=one)
                walls.setdefault(name, []).append(got["ingest"][0])
                best = results.get(f"county-{name}")
                if best is None or got["ingest"][0] < best["ingest"][0]:
                    results[f"county-{name}"] = got
                loads.append(os.getloadavg()[0])
        for name, src, one in versions:
            results[f"demo-{name}"] = run(src, demo, tmp_path / f"h-demo-{name}", False, one_process=one)
            loads.append(os.getloadavg()[0])
        # one more county-year run of this version, timed by stage (the wrappers cost a little,
        # so it is not among the runs above)
        staged = run(SRC, county, tmp_path / "h-county-stages", False, stages=True)

    county_after, demo_after = results["county-after"], results["demo-after"]
    county_before = results.get("county-before")
    demo_before = results.get("demo-before")
    lines = [
        SECTION,
        "",
        f"`python bench/bench_ingest.py --before OLD/src --repeat {args.repeat}` on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite; load average {min(loads):.1f} to {max(loads):.1f} while it ran (the machine "
        "is shared: wall time is inflated by the others' work, CPU time less). Each run is cold, "
        "in its own process (bytecode already compiled), on a fresh store; before and after "
        f"were run alternately in the same session"
        + (f", the county year {args.repeat} times each (the fastest shown)." if args.repeat > 1
           else "."),
        "",
        "| what | rows | before | after | ratio | target |",
        "|---|---|---|---|---|---|",
        f"| county year (110,000 children): 903 CSVs + CIN census + Annex A + local extracts "
        f"| {county_after['rows']:,} | {fmt(county_before['ingest']) if county_before else '-'} "
        f"| {fmt(county_after['ingest'])} "
        f"| {ratio(county_before['ingest'] if county_before else None, county_after['ingest'])} "
        "| < 3 s |",
        f"| the recompute that follows it | | "
        f"{fmt(county_before['recompute']) if county_before else '-'} "
        f"| {fmt(county_after['recompute'])} "
        f"| {ratio(county_before['recompute'] if county_before else None, county_after['recompute'])} "
        "| - |",
        f"| README demo: four years' returns ({', '.join(YEARS)}) | {demo_after['rows']:,} "
        f"| {fmt(demo_before['ingest']) if demo_before else '-'} | {fmt(demo_after['ingest'])} "
        f"| {ratio(demo_before['ingest'] if demo_before else None, demo_after['ingest'])} "
        "| < 60 s |",
        "",
        "Ingest time is `ingest_paths` alone (reading, checking, storing every row and issue, "
        "one transaction per submission); Python start-up and migrations are not in it."
        + (f" The older version does not know {', '.join(county_before['unknown'])} (refused "
           "as unrecognised, so not read)." if county_before and county_before.get("unknown") else ""),
        "",
        f"Peak memory of the county year's ingest (the process's largest resident size, Python "
        f"and Django included): {county_after['peak_mb']:.0f} MB after"
        + (f" (its read-ahead workers: {county_after['worker_peak_mb']:.0f} MB at most)"
           if county_after.get("worker_peak_mb") else "")
        + (f", {county_before['peak_mb']:.0f} MB before." if county_before else "."),
        *(["",
           "Every county-year run's ingest, wall time (fastest, median, slowest): "
           + "; ".join(f"{name} {spread(times)}" for name, times in walls.items()) + "."]
          if args.repeat > 1 else []),
        *(["",
           "The same code with its read-ahead workers turned off (one process, as before): "
           f"county year {fmt(results['county-one process']['ingest'])}, "
           f"demo {fmt(results['demo-one process']['ingest'])}. CPU time includes the workers'."]
          if args.one_process else []),
        "",
        f"Where the county year's ingest goes (after; one more run, timed by stage, "
        f"{staged['ingest'][0]:.1f} s in all; stages in this process only: neither the read-ahead "
        "workers' reading nor the ingest's waiting for it is in them):",
        "",
        "| stage | seconds | share |",
        "|---|---|---|",
        *[f"| {label} | {sec:.2f} | {sec / staged['ingest'][0]:.0%} |"
          for label, sec in staged["stages"].items()],
        "",
    ]
    text = "\n".join(lines)
    print(text)
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

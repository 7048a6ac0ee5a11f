"""What the validation rules add to an ingest, on a synthetic county's year.

    python bench/bench_ingest_rules.py [--population 110000] [--seed 0]

Writes the county's 2023-24 and 2024-25 returns (LA 933, no 903 XML), ingests
2023-24's 903 (so last year's rules run) and then the whole 2024-25 year into
a fresh SQLite store in a temporary data home, and prints, for each stored
submission, the seconds its validation took (``Submission.rule_counts``),
then the parts of it timed again on their own: reading the files back into
rule tables, the rules, last year's 903 from the store, the cross checks.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--population", type=int, default=110_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CSC_SCORECARD_HOME"] = str(Path(tmp) / "home")
        os.environ.pop("DATABASE_URL", None)
        from csc_scorecard.django_setup import configure, migrate

        configure()
        migrate()
        from csc_scorecard.store.ingest import ingest_paths
        from csc_scorecard.store.models import Submission
        from csc_scorecard.synth import generate

        out = Path(tmp) / "synth"
        generate(out, la_code="933", population=args.population, years=["2023-24", "2024-25"],
                 seed=args.seed, xml=False)
        year = out / "933" / "2024-25"
        ingest_paths([out / "933" / "2023-24" / "ssda903"])
        started = time.perf_counter()
        ingest_paths([year])
        total = time.perf_counter() - started
        print(f"ingest of the 2024-25 year (every return, with its rules): {total:.1f} s")
        print("| submission | return | rules | failures | not run | validation |")
        print("|---|---|---|---|---|---|")
        for s in Submission.objects.filter(year="2024-25").exclude(rule_counts={}):
            c = s.rule_counts
            fails = c.get("error", 0) + c.get("query", 0) + c.get("warning", 0)
            print(f"| {s.pk} | {s.return_type} | {c.get('rules', 0)} | {fails} | {c.get('not run', 0)} "
                  f"| {c['seconds']:.2f} s |")
        _parts(year)
    return 0


def _parts(year: Path) -> None:
    from csc_scorecard.validation import cin, ssda903
    from csc_scorecard.validation.core import Context
    from csc_scorecard.validation.cross import check_cross
    from csc_scorecard.validation.ssda903.tables import load_903_tables
    from csc_scorecard.validation.store_tables import last_year_from_store

    # The synthetic 903 CSVs carry no LA (no council.yml here), so its submissions have none.
    ctx = Context("2024-25", None)
    marks = [("start", time.perf_counter())]
    tables = cin.load_cin_tables(year / "cin_census.xml")
    marks.append(("CIN census read into rule tables", time.perf_counter()))
    cin.check_cin_tables(tables, ctx)
    marks.append(("CIN rules", time.perf_counter()))
    t903 = dict(load_903_tables(sorted((year / "ssda903").glob("*.csv"))).tables)
    marks.append(("903 CSVs read into rule tables", time.perf_counter()))
    t903.update(last_year_from_store("2024-25", ""))
    marks.append(("last year's 903 from the store", time.perf_counter()))
    ssda903.run_903(t903, ctx)
    marks.append(("903 rules", time.perf_counter()))
    check_cross("2024-25", None)
    marks.append(("cross-return checks (after each 903, census, Annex A)", time.perf_counter()))
    for (_, before), (name, after) in zip(marks, marks[1:], strict=False):
        print(f"  {name}: {after - before:.2f} s")


if __name__ == "__main__":
    raise SystemExit(main())

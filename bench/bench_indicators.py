"""Benchmark: the whole indicator catalogue for a large county.

Generates a synthetic county in memory (about 12,000 referrals a year over
three years, 3,000 children looked after, 40 teams in 5 areas), then times

- the whole catalogue, every breakdown (area, team, sex, age, ethnicity,
  disability), for each month of 2024-25 (target: under 10 s);
- the same for the full set a recompute stores for one year (year, 4 quarters, 12 months);
- optionally (``--store``) loading 100,000 referral rows from a throwaway
  SQLite store with ``load_case_data``.

Usage::

    python bench/bench_indicators.py [--store] [--write]

``--write`` replaces the "## indicators" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.indicators.engine import compute, load_indicator_modules, unit_frames
from csc_scorecard.indicators.registry import INDICATORS
from csc_scorecard.periods import parse_period

D = dt.date
FIRST = D(2022, 4, 1)
LAST = D(2025, 3, 31)
SPAN = (LAST - FIRST).days
ETHNICITIES = ["WBRI"] * 14 + ["WOTH", "MWBC", "MOTH", "AIND", "APKN", "BAFR", "BCRB", "CHNE",
                               "OOTH", "REFU", "NOBT"]
PLACEMENTS = ["U1", "U2", "U3", "U4", "U5", "U6", "R1", "K2", "P1", "H5", "T0"]
LEGAL = ["C2", "C2", "C2", "V2", "E1", "J1"]


def _day(rng: random.Random, start: dt.date = FIRST, span: int = SPAN) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def _after(rng: random.Random, day: dt.date, lo: int, hi: int) -> dt.date:
    return day + dt.timedelta(days=rng.randint(lo, hi))


def synthetic_county(seed: int = 2025, referrals_per_year: int = 12_000, cla: int = 3_000):
    rng = random.Random(seed)
    teams = [f"Team {a}{i}" for a in "ABCDE" for i in range(1, 9)]
    areas = {t: f"Area {t[5]}" for t in teams}
    tables: dict[str, list[dict]] = {k: [] for k in (
        "child", "contact", "referral", "assessment", "s47", "cp_plan", "cp_review", "visit",
        "cla_episode", "cla_review", "allocation", "missing_episode", "health_outcome",
        "care_leaver", "uasc", "workforce_snapshot",
    )}
    n_children = int(referrals_per_year * 3 * 0.75)
    children = [f"C{i:06d}" for i in range(n_children)]
    for cid in children:
        birth = _day(rng, D(2006, 1, 1), 365 * 19)
        tables["child"].append({
            "child_id": cid, "sex": rng.choice("MMFFU" if rng.random() < 0.02 else "MF"),
            "birth_date": birth, "ethnicity": rng.choice(ETHNICITIES),
            "disabilities": rng.choice(["NONE"] * 8 + ["MOB", "LD,COMM", ""]),
        })
        # allocations: one to three teams over time
        start = _day(rng, D(2021, 1, 1), 365 * 4)
        for _ in range(rng.randint(1, 3)):
            end = _after(rng, start, 30, 500) if rng.random() < 0.6 else None
            tables["allocation"].append({"child_id": cid, "team": rng.choice(teams),
                                         "start_date": start, "end_date": end})
            if end is None:
                break
            start = end + dt.timedelta(days=1)

    for _ in range(referrals_per_year * 3):
        cid = rng.choice(children)
        ref = _day(rng)
        nfa = rng.random() < 0.07
        closure = None if rng.random() < 0.3 else _after(rng, ref, 0 if nfa else 20, 400)
        tables["contact"].append({"child_id": cid, "contact_date": _after(rng, ref, -5, 0)})
        tables["contact"].append({"child_id": rng.choice(children), "contact_date": _day(rng)})
        tables["referral"].append({"child_id": cid, "referral_date": ref, "nfa": nfa,
                                   "closure_date": closure, "primary_need": "N1"})
        if nfa:
            continue
        if rng.random() < 0.85:
            start = _after(rng, ref, 0, 5)
            tables["assessment"].append({
                "child_id": cid, "referral_date": ref, "start_date": start,
                "authorised_date": _after(rng, start, 10, 80) if rng.random() < 0.95 else None,
            })
        if rng.random() < 0.16:
            s47 = _after(rng, ref, 0, 20)
            icpc = _after(rng, s47, 5, 30) if rng.random() < 0.45 else None
            tables["s47"].append({"child_id": cid, "referral_date": ref, "start_date": s47,
                                  "icpc_date": icpc, "icpc_not_required": icpc is None})
            if icpc is not None and rng.random() < 0.85:
                end = _after(rng, icpc, 60, 800) if rng.random() < 0.75 else None
                tables["cp_plan"].append({"child_id": cid, "referral_date": ref,
                                          "start_date": icpc, "end_date": end,
                                          "previous_plans": rng.choice([0, 0, 0, 0, 1, 2])})
                review = _after(rng, icpc, 60, 100)
                while review <= (end or LAST):
                    tables["cp_review"].append({"child_id": cid, "plan_start_date": icpc,
                                                "review_date": review})
                    review = _after(rng, review, 150, 200)
                visit = _after(rng, icpc, 1, 10)
                while visit <= (end or LAST):
                    tables["visit"].append({"child_id": cid, "kind": "CP", "visit_date": visit})
                    visit = _after(rng, visit, 7, 16)
        elif rng.random() < 0.5:
            visit = _after(rng, ref, 5, 30)
            while visit <= (closure or LAST):
                tables["visit"].append({"child_id": cid, "kind": "CIN", "visit_date": visit})
                visit = _after(rng, visit, 20, 60)

    looked_after = rng.sample(children, cla)
    for cid in looked_after:
        start = _day(rng, D(2016, 1, 1), (LAST - D(2016, 1, 1)).days)
        for k in range(rng.randint(1, 5)):
            end = _after(rng, start, 20, 700)
            ended = end <= LAST
            tables["cla_episode"].append({
                "child_id": cid, "start_date": start, "reason_new_episode": "S" if k == 0 else "P",
                "legal_status": rng.choice(LEGAL), "cin_category": "N1",
                "placement": rng.choice(PLACEMENTS), "provider": "PR1",
                "end_date": end if ended else None,
                "reason_ceased": ("X1" if rng.random() < 0.7 else "E11") if ended else None,
                "home_postcode": "TA1 1AA", "placement_postcode": "TA2 2BB",
            })
            if not ended:
                break
            start = end
        review = _after(rng, start, 15, 25)
        while review <= LAST:
            tables["cla_review"].append({"child_id": cid, "review_date": review,
                                         "review_code": "PN1"})
            review = _after(rng, review, 80, 190)
        if rng.random() < 0.1:
            m_start = _day(rng)
            tables["missing_episode"].append({"child_id": cid, "kind": "M", "start_date": m_start,
                                              "end_date": _after(rng, m_start, 0, 3)})
        tables["health_outcome"].append({"child_id": cid, "health_check": rng.random() < 0.9,
                                         "teeth_check": rng.random() < 0.8,
                                         "immunisations": rng.random() < 0.85,
                                         "sdq_score": rng.randint(0, 40)})
        if rng.random() < 0.3:
            tables["care_leaver"].append({"child_id": cid, "in_touch": "YES",
                                          "activity": rng.choice(["F1", "F2", "G4"]),
                                          "accommodation": "S"})
    for team in teams:
        for month_end in (D(2024, 9, 30), D(2025, 3, 31)):
            tables["workforce_snapshot"].append({
                "team": team, "snapshot_date": month_end, "fte_in_post": rng.uniform(5, 12),
                "agency_fte": rng.uniform(0, 3), "vacancy_fte": rng.uniform(0, 2),
                "leavers_fte": rng.uniform(0, 2), "cases": rng.randint(60, 200),
            })
    frames = {k: pl.DataFrame(v, infer_schema_length=None) for k, v in tables.items()}
    frames["team"] = pl.DataFrame({"team": teams, "area": [areas[t] for t in teams]})
    return case_data(frames, population_0_17=115_000)


def timed(fn, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def bench_store(rows: int = 100_000) -> float:
    home = tempfile.mkdtemp(prefix="csc-bench-")
    os.environ["CSC_SCORECARD_HOME"] = home
    os.environ.setdefault("CSC_SCORECARD_SECRET_KEY", "bench-only")
    from csc_scorecard import django_setup

    django_setup.setup()
    from csc_scorecard.indicators.casedata import load_case_data
    from csc_scorecard.store.models import Referral, Submission

    rng = random.Random(1)
    sub = Submission.objects.create(return_type="cin_census", year="2024-25", sha256="b" * 64)
    Referral.objects.bulk_create(
        [Referral(submission=sub, child_id=f"C{i % 70000:06d}", referral_date=_day(rng),
                  closure_date=None, nfa=False, source="1A") for i in range(rows)],
        batch_size=5000,
    )
    seconds, data = timed(lambda: load_case_data(), repeat=3)
    assert data["referral"].height > 0
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", action="store_true", help="also time loading from SQLite")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()

    t0 = time.perf_counter()
    data = synthetic_county()
    gen = time.perf_counter() - t0
    sizes = {t: f.height for t, f in data.tables.items() if f.height}
    load_indicator_modules()
    catalogue = get_catalogue()
    ids = [e.id for e in catalogue if e.id in INDICATORS]
    year = parse_period("2024-25")
    months = year.months()
    full = [year, *year.quarters(), *months]

    months_s, result = timed(lambda: compute(data, months, ids), repeat=3)
    full_s, full_result = timed(lambda: compute(data, full, ids), repeat=1)
    # where the time goes: per family, units only, all 12 months
    per_family = {}
    for family in catalogue.families():
        fam_ids = [e.id for e in catalogue.family(family) if e.id in INDICATORS]
        per_family[family], _ = timed(
            lambda fam_ids=fam_ids: unit_frames(data, months, fam_ids, breakdowns=False), repeat=1
        )
    store_s = bench_store() if args.store else None

    referrals = data["referral"].filter(pl.col("referral_date").is_between(year.start, year.end))
    lines = [
        "## indicators",
        "",
        f"`python bench/bench_indicators.py{' --store' if args.store else ''}` on "
        f"{platform.machine()} / Python {platform.python_version()} / Polars {pl.__version__}, "
        f"{dt.date.today().isoformat()}.",
        "",
        f"Synthetic county: {referrals.height:,} referrals in 2024-25 "
        f"({sizes.get('referral', 0):,} over three years), "
        f"{data['cla_episode']['child_id'].n_unique():,} looked-after children, "
        f"{sizes.get('child', 0):,} children, 40 teams in 5 areas; "
        + ", ".join(f"{t} {n:,}" for t, n in sorted(sizes.items())) + f" (generated in {gen:.1f} s).",
        "",
        "| what | time |",
        "|---|---|",
        f"| whole catalogue ({len(ids)} indicators), all breakdowns, each month of 2024-25 "
        f"({result.height:,} values) | **{months_s:.2f} s** (target < 10 s) |",
        f"| year + 4 quarters + 12 months, as a recompute stores them "
        f"({full_result.height:,} values) | {full_s:.2f} s |",
    ]
    for family, seconds in per_family.items():
        lines.append(f"| unit rows only, 12 months, single run: {family} | {seconds:.2f} s |")
    if store_s is not None:
        lines.append(f"| `load_case_data()` with 100,000 referral rows (SQLite) | {store_s:.2f} s |")
    section = "\n".join(lines) + "\n"
    print(section)
    if args.write:
        path = Path(__file__).resolve().parent / "RESULTS.md"
        text = path.read_text() if path.exists() else "# Benchmarks\n\n"
        pattern = re.compile(r"^## indicators\n.*?(?=^## |\Z)", re.S | re.M)
        if pattern.search(text):
            text = pattern.sub(lambda _: section + "\n", text, count=1)
        else:
            text = text.rstrip("\n") + "\n\n" + section
        path.write_text(text.rstrip("\n") + "\n")
        print(f"written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()

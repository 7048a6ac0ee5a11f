"""The project's local CSVs for one year: teams, allocations, visits, workforce.

teams.csv        team,area
allocations.csv  child_id,team,start_date,end_date        (end blank while open)
visits.csv       child_id,kind,visit_date,seen_alone      (kind CIN/CP/CLA; Y/N)
workforce.csv    team,snapshot_date,fte_in_post,agency_fte,vacancy_fte,leavers_fte,cases
early_help.csv   child_id,start_date,assessment_date,end_date,closure_reason,team
                 (the early-help front door: synth/write_early_help.py)
cin_plan_reviews.csv  child_id,review_date  (CIN plans reviewed about every three
                 months, one review in five running a month or two late)
area_populations.csv  area,year,population_0_17,source  (each geographic area's
                 children: the council's 0-17 population times the area's share;
                 the county-wide Disability and Other areas have none)
Dates are ISO (YYYY-MM-DD).

Allocations are one clean timeline per child (see views.tidy_allocations): no
two overlap, and each ends on or after its start; one ending the day the next
starts is a handover.

Workforce follows the DfE children's social work workforce census: ``fte_in_post``
is the council's own employed social workers, agency workers NOT included;
``agency_fte`` is the agency workers (covering vacancies or absence);
``vacancy_fte`` the vacant posts; ``leavers_fte`` the FTE who left since the
previous quarter's snapshot; ``cases`` the cases open to the team that day.  So,
as the indicators compute them, agency % = agency / (agency + in post),
vacancy % = vacancy / (vacancy + in post), caseload = cases / (in post + agency)
and turnover = the year's leavers / FTE in post at 31 March.  The defaults land
near England's published levels (agency ~15-20%, vacancy ~18-20%, turnover
~15-17% a year, ~16-18 cases per FTE), the East area clearly worse.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from datetime import date
from pathlib import Path

from . import calendar as cal
from .council import GEO_AREAS, profile, stable_seed
from .views import YearView
from .write_early_help import write_early_help

LOCAL_FILES = ("teams.csv", "allocations.csv", "visits.csv", "workforce.csv", "early_help.csv",
               "cin_plan_reviews.csv", "area_populations.csv")
# cases per FTE social worker (own staff and agency together) in an average area
TARGET_CASELOAD = {"assessment": 18.0, "safeguarding": 16.5, "disability": 17.5, "other": 21.0}
BASE_AGENCY = 0.17  # agency FTE / (agency + in post), before area and scenario multipliers
BASE_VACANCY = 0.2  # vacant FTE / (vacant + in post)
BASE_TURNOVER = 0.175  # leavers a year as a share of FTE in post


def quarter_ends(year: int) -> list[int]:
    y = year - 1
    return [
        date(y, 6, 30).toordinal(),
        date(y, 9, 30).toordinal(),
        date(y, 12, 31).toordinal(),
        date(year, 3, 31).toordinal(),
    ]


def write_local(view: YearView, out_dir: Path) -> dict[str, int]:
    v = view
    c = v.council
    y0, y1 = v.y0, v.y1
    iso = cal.DateText().iso
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    with open(out_dir / "teams.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write("team,area\n")
        for t in c.teams:
            fh.write(f"{t.name},{t.area}\n")
    counts["teams.csv"] = len(c.teams)

    allocs: list[tuple[int, str, int, int | None]] = []
    visits: list[tuple[int, str, int, str]] = []
    for ch in v.history.children:
        cid = int(ch.id)
        for team, s, e in v.allocations(ch):
            if s <= y1 and (e is None or e >= y0):
                allocs.append((cid, team, s, e if e is not None and e <= y1 else None))
        for r in ch.refs:
            if r.date > y1 or (r.close is not None and r.close < y0):
                continue
            for s, e in r.cin_plans:
                if s <= y1 and e >= y0:
                    for d, alone in v.visits(ch, "CIN", s, e):
                        if d >= y0:
                            visits.append((cid, "CIN", d, "Y" if alone else "N"))
            for cp in r.cp:
                if cp.start <= y1 and cp.end >= y0:
                    for d, alone in v.visits(ch, "CP", cp.start, cp.end):
                        if d >= y0:
                            visits.append((cid, "CP", d, "Y" if alone else "N"))
        for p in ch.cla:
            if not p.short_break and p.start <= y1 and p.end >= y0:
                for d, alone in v.visits(ch, "CLA", p.start, p.end):
                    if d >= y0:
                        visits.append((cid, "CLA", d, "Y" if alone else "N"))
    allocs.sort(key=lambda a: (a[0], a[2], a[1]))
    with open(out_dir / "allocations.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write("child_id,team,start_date,end_date\n")
        fh.writelines(f"{a[0]},{a[1]},{iso(a[2])},{iso(a[3])}\n" for a in allocs)
    counts["allocations.csv"] = len(allocs)
    visits.sort()
    with open(out_dir / "visits.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write("child_id,kind,visit_date,seen_alone\n")
        fh.writelines(f"{x[0]},{x[1]},{iso(x[2])},{x[3]}\n" for x in visits)
    counts["visits.csv"] = len(visits)

    # workforce: caseloads follow the allocations; struggling areas carry more
    # cases per worker, more agency staff, more vacancies and more leavers
    by_team: dict[str, tuple[list[int], list[int]]] = {}
    for ch in v.history.children:
        for team, s, e in v.allocations(ch):
            st, en = by_team.setdefault(team, ([], []))
            st.append(s)
            en.append(e if e is not None else 10**7)
    for st, en in by_team.values():
        st.sort()
        en.sort()
    rows = []
    for t in c.teams:
        prof = profile(t.area)
        st, en = by_team.get(t.name, ([], []))
        k_agency = prof.agency * v.scenario.value("agency", v.year, t.area)
        k_case = prof.caseload * v.scenario.value("caseload", v.year, t.area)
        for q in quarter_ends(v.year):
            rng = random.Random(stable_seed("workforce", c.seed, c.la_code, t.name, q))
            # open on q: started on/before q and ended on/after q
            cases = bisect_right(st, q) - bisect_left(en, q)
            # social workers holding the cases, own staff and agency together
            staff = max(1.0, cases / (TARGET_CASELOAD[t.kind] * k_case) * rng.uniform(0.95, 1.05))
            agency_share = min(0.6, BASE_AGENCY * k_agency * rng.uniform(0.85, 1.15))
            agency = staff * agency_share
            in_post = staff - agency  # employed by the council: agency NOT included
            vacancy_rate = min(0.5, BASE_VACANCY * k_agency**0.5 * rng.uniform(0.85, 1.15))
            vacancy = in_post * vacancy_rate / (1 - vacancy_rate)
            leavers = in_post * BASE_TURNOVER / 4 * k_agency**0.5 * rng.uniform(0.7, 1.3)
            rows.append((t.name, q, in_post, agency, vacancy, leavers, cases))
    with open(out_dir / "workforce.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write("team,snapshot_date,fte_in_post,agency_fte,vacancy_fte,leavers_fte,cases\n")
        for name, q, a, b, cc, d, n in rows:
            fh.write(f"{name},{iso(q)},{a:.1f},{b:.1f},{cc:.1f},{d:.1f},{n}\n")
    counts["workforce.csv"] = len(rows)
    counts["early_help.csv"] = write_early_help(v, out_dir / "early_help.csv")
    counts["cin_plan_reviews.csv"] = _write_cin_plan_reviews(v, out_dir / "cin_plan_reviews.csv")
    counts["area_populations.csv"] = _write_area_populations(v, out_dir / "area_populations.csv")
    return counts


def _write_cin_plan_reviews(v: YearView, path: Path) -> int:
    iso = cal.DateText().iso
    rows = []
    for ch in v.history.children:
        for r in ch.refs:
            for s, e in r.cin_plans:
                rng = random.Random(stable_seed("cin_review", v.council.seed, ch.id, s))
                day = s
                while True:
                    late = rng.random() < 0.2
                    day = cal.next_workday(day + 80 + int(rng.random() * 12)
                                           + (30 + int(rng.random() * 30) if late else 0))
                    if day >= e or day > v.y1:
                        break
                    if day >= v.y0:
                        rows.append((int(ch.id), day))
    rows.sort()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("child_id,review_date\n")
        fh.writelines(f"{cid},{iso(day)}\n" for cid, day in rows)
    return len(rows)


def _write_area_populations(v: YearView, path: Path) -> int:
    """The year's 0-17 population of each geographic area (the denominators of its rates)."""
    c = v.council
    rows = [(area, round(c.population * profile(area).share)) for area in GEO_AREAS]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("area,year,population_0_17,source\n")
        fh.writelines(
            f"{area},{v.label},{n},synthetic: the council's 0-17 population x the area's share\n"
            for area, n in rows
        )
    return len(rows)

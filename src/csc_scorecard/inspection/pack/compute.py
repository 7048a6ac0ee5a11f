"""The inspection pack's figures from the Annex A lists, as at a date.

Everything here is plain computation over the list frames of
csc_scorecard.inspection.pack.lists; no database, no rendering.  The rules
(also in docs/inspection.md):

* **counts**: records = rows of the list, children = distinct child ids.
* **breakdowns**: distinct children of each list by age band at the as-at
  date (under 1, 1-4, 5-9, 10-15, 16-17, 18 and over, unknown), sex,
  ethnicity, disability, team and worker ("not recorded" for blanks).
* **timeliness** (what inspectors ask about first):
  contacts to decision (List 1 to List 3: Annex A has no decision date, so
  the decision is the child's first referral within 30 days of the contact,
  and its timeliness is "by the next working day"); List 3 re-referrals within 12 months (a referral of a child who had
  another in the 365 days before it) and NFA; List 4 assessments by working
  days from start to authorisation (0-10, 11-20, 21-45, over 45, not yet
  authorised); List 5 S47 enquiries with an ICPC within 15 working days of
  the enquiry start (of those with an ICPC); List 7 CP plans open at the
  date with a visit in the last 10 working days and a review in the last 6
  months; List 8 children looked after open at the date with a visit in the
  last 6 weeks (42 days) and a review in the last 6 months; List 9 care
  leavers in touch.
* **caseloads**: distinct children per allocated worker (and team) over the
  open cases of lists 4-8 (no end or closure date on or before the date).
* **journey**: children in List 1 (contacts), of them in List 3, of them in
  List 4, List 5, List 7, List 8: each step says how many went on and how
  many did not, so the steps add up.
* **data quality**: what an inspector sampling a child would trip over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from csc_scorecard.workdays import working_days_between

__all__ = ["CASELOAD_LIMIT", "Pack", "compute_pack"]

#: a worker with more open children than this is listed as implausible
CASELOAD_LIMIT = 30
AGE_BANDS = ("Under 1", "1-4", "5-9", "10-15", "16-17", "18 and over", "Unknown")
BREAKDOWNS = ("age", "sex", "ethnicity", "disability", "team", "worker")
JOURNEY = ((1, "Contact"), (3, "Referral"), (4, "Assessment"), (5, "S47 enquiry"),
           (7, "CP plan"), (8, "Looked after"))
OPEN_LISTS = {4: "authorised_date", 5: None, 6: "closure_date", 7: "end_date", 8: "end_date"}


@dataclass
class Problem:
    list_number: int
    excel_row: int | None
    child_id: str
    what: str


@dataclass
class Pack:
    as_at: dt.date
    source: str
    counts: list[tuple[int, int, int]]  # list, records, children
    breakdowns: dict[str, dict[str, dict[int, int]]]  # breakdown -> value -> list -> children
    timeliness: list[tuple[str, str, int, int | None]]  # list label, measure, count, of
    assessment_bands: dict[str, int]
    caseload_workers: list[tuple[str, str, int]]  # worker, team, children
    caseload_teams: list[tuple[str, int, int]]  # team, workers, children
    several_lists: dict[int, int]  # number of lists -> children
    children_lists: list[tuple[str, list[int]]]  # child-level: child, lists (2 or more)
    # step, children in the list, children who came this far, went on, did not
    journey: list[tuple[str, int, int, int, int]]
    problems: list[Problem] = field(default_factory=list)


def _age_band(birth: dt.date | None, as_at: dt.date) -> str:
    if birth is None or birth > as_at:
        return "Unknown"
    age = as_at.year - birth.year - ((as_at.month, as_at.day) < (birth.month, birth.day))
    if age < 1:
        return "Under 1"
    for top, band in ((4, "1-4"), (9, "5-9"), (15, "10-15"), (17, "16-17")):
        if age <= top:
            return band
    return "18 and over"


def _rows(frame: pl.DataFrame | None) -> list[dict]:
    return [] if frame is None else frame.to_dicts()


def _open(row: dict, end_key: str | None, as_at: dt.date) -> bool:
    end = row.get(end_key) if end_key else None
    return end is None or end > as_at


def _wd(start: dt.date, end: dt.date) -> int:
    return working_days_between(start, end)


def compute_pack(lists: dict[int, pl.DataFrame | None], as_at: dt.date, source: str = "") -> Pack:
    rows = {n: _rows(f) for n, f in lists.items() if n != 11}
    adopters = _rows(lists.get(11))
    counts = [(n, len(r), len({x["child_id"] for x in r})) for n, r in sorted(rows.items())]
    counts.append((11, len(adopters), 0))

    breakdowns: dict[str, dict[str, dict[int, int]]] = {b: {} for b in BREAKDOWNS}
    for n, list_rows in sorted(rows.items()):
        for b in BREAKDOWNS:
            seen: dict[str, set[str]] = {}
            for r in list_rows:
                value = (_age_band(r.get("birth_date"), as_at) if b == "age"
                         else (r.get(b) or "Not recorded"))
                seen.setdefault(value, set()).add(r["child_id"])
            for value, kids in seen.items():
                breakdowns[b].setdefault(value, {})[n] = len(kids)
    order = {band: i for i, band in enumerate(AGE_BANDS)}
    breakdowns["age"] = dict(sorted(breakdowns["age"].items(), key=lambda kv: order[kv[0]]))
    for b in BREAKDOWNS[1:]:
        breakdowns[b] = dict(sorted(breakdowns[b].items()))

    timeliness: list[tuple[str, str, int, int | None]] = []
    problems: list[Problem] = []

    # List 1 -> 3: contacts to decision. Annex A has no decision date, so the decision is the
    # child's first referral on or after the contact (within 30 days), timed in working days
    referral_days: dict[str, list[dt.date]] = {}
    for r in rows.get(3, []):
        referral_days.setdefault(r["child_id"], []).append(r["referral_date"])
    contacts = rows.get(1, [])
    decided = quick = 0
    for r in contacts:
        later = [d for d in referral_days.get(r["child_id"], [])
                 if r["contact_date"] <= d <= r["contact_date"] + dt.timedelta(days=30)]
        if later:
            decided += 1
            quick += _wd(r["contact_date"], min(later)) <= 1
    timeliness.append(("List 1", "Contacts leading to a referral within 30 days", decided,
                       len(contacts)))
    timeliness.append(("List 1", "Contacts referred by the next working day", quick, len(contacts)))

    # List 3: re-referrals within 12 months and NFA
    refs = sorted(rows.get(3, []), key=lambda r: (r["child_id"], r["referral_date"]))
    rerefs = sum(1 for a, b in zip(refs, refs[1:], strict=False)
                 if a["child_id"] == b["child_id"]
                 and (b["referral_date"] - a["referral_date"]).days <= 365)
    timeliness.append(("List 3", "Re-referrals within 12 months of a previous referral",
                       rerefs, len(refs)))
    timeliness.append(("List 3", "Referrals with no further action",
                       sum(1 for r in refs if r.get("nfa") is True), len(refs)))

    # List 4: working days from start to authorisation
    bands = {"0-10 working days": 0, "11-20 working days": 0, "21-45 working days": 0,
             "Over 45 working days": 0, "Not yet authorised": 0}
    for r in rows.get(4, []):
        done = r.get("authorised_date")
        if done is None or done > as_at:
            bands["Not yet authorised"] += 1
            continue
        days = _wd(r["start_date"], done)
        key = ("0-10 working days" if days <= 10 else "11-20 working days" if days <= 20
               else "21-45 working days" if days <= 45 else "Over 45 working days")
        bands[key] += 1
    completed = sum(v for k, v in bands.items() if k != "Not yet authorised")
    in_45 = completed - bands["Over 45 working days"]
    timeliness.append(("List 4", "Assessments authorised within 45 working days", in_45, completed))

    # List 5: ICPC within 15 working days of the S47 start
    with_icpc = [r for r in rows.get(5, []) if r.get("icpc_date") is not None]
    timeliness.append(("List 5", "S47 enquiries with an ICPC within 15 working days",
                       sum(1 for r in with_icpc if _wd(r["start_date"], r["icpc_date"]) <= 15),
                       len(with_icpc)))

    # List 7: open CP plans, visits in 10 working days, reviews in 6 months
    cp_open = [r for r in rows.get(7, []) if _open(r, "end_date", as_at)]
    visited = sum(1 for r in cp_open if r.get("last_visit_date") is not None
                  and r["last_visit_date"] <= as_at and _wd(r["last_visit_date"], as_at) <= 10)
    timeliness.append(("List 7", "Open CP plans with a visit in the last 10 working days",
                       visited, len(cp_open)))
    six_months = as_at - dt.timedelta(days=183)
    timeliness.append(("List 7", "Open CP plans with a review in the last 6 months",
                       sum(1 for r in cp_open if r.get("review_date") and
                           six_months <= r["review_date"] <= as_at), len(cp_open)))

    # List 8: open CLA, visits in 6 weeks, reviews in 6 months
    cla_open = [r for r in rows.get(8, []) if _open(r, "end_date", as_at)]
    six_weeks = as_at - dt.timedelta(days=42)
    timeliness.append(("List 8", "Children looked after visited in the last 6 weeks",
                       sum(1 for r in cla_open if r.get("last_visit_date") and
                           six_weeks <= r["last_visit_date"] <= as_at), len(cla_open)))
    timeliness.append(("List 8", "Children looked after reviewed in the last 6 months",
                       sum(1 for r in cla_open if r.get("review_date") and
                           six_months <= r["review_date"] <= as_at), len(cla_open)))

    # List 9: care leavers in touch
    leavers = rows.get(9, [])
    timeliness.append(("List 9", "Care leavers in touch",
                       sum(1 for r in leavers if r.get("in_touch") == "YES"), len(leavers)))

    # caseloads over open cases of lists 4-8
    per_worker: dict[tuple[str, str], set[str]] = {}
    for n, end_key in OPEN_LISTS.items():
        for r in rows.get(n, []):
            if r.get("worker") and _open(r, end_key, as_at):
                per_worker.setdefault((r["worker"], r.get("team") or "Not recorded"),
                                      set()).add(r["child_id"])
    workers = sorted(((w, t, len(k)) for (w, t), k in per_worker.items()),
                     key=lambda x: (-x[2], x[0]))
    teams: dict[str, tuple[set[str], set[str]]] = {}
    for (w, t), kids in per_worker.items():
        ws, ks = teams.setdefault(t, (set(), set()))
        ws.add(w)
        ks.update(kids)
    team_rows = sorted((t, len(ws), len(ks)) for t, (ws, ks) in teams.items())

    # children in several lists (lists 1-10)
    child_lists: dict[str, list[int]] = {}
    for n, list_rows in sorted(rows.items()):
        for cid in dict.fromkeys(r["child_id"] for r in list_rows):
            child_lists.setdefault(cid, []).append(n)
    several: dict[int, int] = {}
    for ls in child_lists.values():
        several[len(ls)] = several.get(len(ls), 0) + 1
    multi = sorted(((c, ls) for c, ls in child_lists.items() if len(ls) > 1),
                   key=lambda x: (-len(x[1]), x[0]))

    # journey
    journey = []
    reached = {r["child_id"] for r in rows.get(JOURNEY[0][0], [])}
    for (n, step), nxt in zip(JOURNEY, [*JOURNEY[1:], None], strict=True):
        in_list = len({r["child_id"] for r in rows.get(n, [])})
        if nxt is None:
            journey.append((step, in_list, len(reached), 0, 0))
            break
        following = reached & {r["child_id"] for r in rows.get(nxt[0], [])}
        journey.append((step, in_list, len(reached), len(following),
                        len(reached) - len(following)))
        reached = following

    problems += _quality(rows, as_at, workers)
    return Pack(as_at, source, counts, breakdowns, timeliness, bands, workers, team_rows,
                dict(sorted(several.items())), multi, journey, problems)


_DATE_KEYS = ("contact_date", "referral_date", "start_date", "authorised_date", "icpc_date",
              "cin_start_date", "closure_date", "last_visit_date", "review_date", "end_date",
              "decision_date", "match_date", "adoption_order_date", "ceased_date")


def _quality(rows: dict[int, list[dict]], as_at: dt.date,
             workers: list[tuple[str, str, int]]) -> list[Problem]:
    out: list[Problem] = []
    for n, list_rows in sorted(rows.items()):
        for r in list_rows:
            cid, row = r["child_id"], r.get("excel_row")
            for key in _DATE_KEYS:
                day = r.get(key)
                if isinstance(day, dt.date) and day > as_at:
                    out.append(Problem(n, row, cid, f"{key.replace('_', ' ')} {day} is after the "
                                       f"list's end ({as_at})"))
            birth = r.get("birth_date")
            if isinstance(birth, dt.date) and birth > as_at:
                out.append(Problem(n, row, cid, f"date of birth {birth} is after {as_at}"))
            start, end = r.get("start_date"), r.get("end_date")
            if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
                out.append(Problem(n, row, cid, f"end date {end} is before the start {start}"))
            if n in OPEN_LISTS and n != 5 and _open(r, OPEN_LISTS[n], as_at) and not r.get("worker"):
                out.append(Problem(n, row, cid, "open case with no allocated worker"))
            if n == 4 and r.get("authorised_date") and r["authorised_date"] < r["start_date"]:
                out.append(Problem(n, row, cid, "assessment authorised before it started"))
            if n == 5 and r.get("icpc_date") and r["icpc_date"] < r["start_date"]:
                out.append(Problem(n, row, cid, "ICPC before the S47 enquiry started"))
            if n in (7, 8) and _open(r, "end_date", as_at) and not r.get("last_visit_date"):
                out.append(Problem(n, row, cid, "open case with no visit date"))
    for worker, team, kids in workers:
        if kids > CASELOAD_LIMIT:
            out.append(Problem(0, None, "", f"worker {worker} ({team}) has {kids} open children, "
                               f"more than {CASELOAD_LIMIT}: check the allocations"))
    return out

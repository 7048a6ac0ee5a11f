"""Headline rates computed straight from generated files, with DfE's definitions.

Deliberately independent of the generator's internals: it reads the CIN census
XML, the SSDA903 CSVs and council.yml like any other consumer would.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import yaml
from lxml import etree

from csc_scorecard.workdays import bank_holidays

HOLIDAYS = np.array(sorted(bank_holidays()), dtype="datetime64[D]")
EET = {"F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"}

ENGLAND_2024_25 = {
    "referrals_per_10k": 519.4,
    "rereferrals_pct": 22.6,
    "assessments_45wd_pct": 85.7,
    "s47_per_10k": 189.3,
    "icpc_15wd_pct": 81.4,
    "cp_31mar_per_10k": 40.6,
    "cp_second_pct": 24.5,
    "cin_31mar_per_10k": 330.3,
    "cla_31mar_per_10k": 67.0,
    "cla_3plus_placements_pct": 10.0,
    "care_leavers_19_21_eet_pct": 54.0,
}


def _d(text: str | None) -> date | None:
    if not text:
        return None
    if "/" in text:
        dd, mm, yy = text.split("/")
        return date(int(yy), int(mm), int(dd))
    return date.fromisoformat(text)


def working_days(start: date, end: date) -> int:
    """Working days after start up to and including end."""
    return int(
        np.busday_count(start + timedelta(days=1), end + timedelta(days=1), holidays=HOLIDAYS)
    )


def year_bounds(label: str) -> tuple[date, date]:
    y = int(label[:4])
    return date(y, 4, 1), date(y + 1, 3, 31)


def read_cin(path: Path) -> list[dict]:
    """One dict per CIN episode with the child's id."""
    out = []
    for _, child in etree.iterparse(str(path), tag="Child"):
        cid = child.findtext("ChildIdentifiers/LAchildID")
        for det in child.iterfind("CINdetails"):
            out.append(
                {
                    "child": cid,
                    "ref": _d(det.findtext("CINreferralDate")),
                    "close": _d(det.findtext("CINclosureDate")),
                    "assess": [
                        (
                            _d(a.findtext("AssessmentActualStartDate")),
                            _d(a.findtext("AssessmentAuthorisationDate")),
                        )
                        for a in det.iterfind("Assessments")
                    ],
                    "s47": [
                        (_d(s.findtext("S47ActualStartDate")), _d(s.findtext("DateOfInitialCPC")))
                        for s in det.iterfind("Section47")
                    ],
                    "cp": [
                        (
                            _d(p.findtext("CPPstartDate")),
                            _d(p.findtext("CPPendDate")),
                            int(p.findtext("NumberOfPreviousCPP")),
                        )
                        for p in det.iterfind("ChildProtectionPlans")
                    ],
                }
            )
        child.clear()
    return out


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def headline_rates(council_dir: Path, label: str) -> dict[str, float]:
    """All eleven headline rates for one council and collection year."""
    meta = yaml.safe_load((council_dir / "council.yml").read_text())
    per10k = 10_000 / meta["population"]
    start, end = year_bounds(label)
    ydir = council_dir / label
    episodes = read_cin(ydir / "cin_census.xml")
    # earlier years' censuses give the referral history for re-referrals
    history = defaultdict(set)
    for other in sorted(council_dir.iterdir()):
        if other.is_dir() and other.name <= label:
            src = episodes if other.name == label else read_cin(other / "cin_census.xml")
            for e in src:
                history[e["child"]].add(e["ref"])
    out: dict[str, float] = {}

    referrals = [e for e in episodes if start <= e["ref"] <= end]
    out["referrals_per_10k"] = len(referrals) * per10k
    rerefs = 0
    for e in referrals:
        earlier = (
            e["ref"].replace(year=e["ref"].year - 1)
            if not (e["ref"].month == 2 and e["ref"].day == 29)
            else date(e["ref"].year - 1, 2, 28)
        )
        if any(earlier <= d < e["ref"] for d in history[e["child"]]):
            rerefs += 1
    out["rereferrals_pct"] = 100 * rerefs / len(referrals)

    done = [(s, a) for e in episodes for s, a in e["assess"] if a and start <= a <= end]
    out["assessments_45wd_pct"] = 100 * sum(working_days(s, a) <= 45 for s, a in done) / len(done)

    s47 = [(s, i) for e in episodes for s, i in e["s47"] if start <= s <= end]
    out["s47_per_10k"] = len(s47) * per10k
    icpcs = [(s, i) for e in episodes for s, i in e["s47"] if i and start <= i <= end]
    out["icpc_15wd_pct"] = 100 * sum(working_days(s, i) <= 15 for s, i in icpcs) / len(icpcs)

    cp_open = {
        e["child"] for e in episodes for s, f, _ in e["cp"] if s <= end and (f is None or f > end)
    }
    out["cp_31mar_per_10k"] = len(cp_open) * per10k
    starts = {(e["child"], s): n for e in episodes for s, f, n in e["cp"] if start <= s <= end}
    out["cp_second_pct"] = 100 * sum(n > 0 for n in starts.values()) / len(starts)

    cin_open = {
        e["child"] for e in episodes if e["ref"] <= end and (e["close"] is None or e["close"] > end)
    }
    out["cin_31mar_per_10k"] = len(cin_open) * per10k

    eps = read_csv(ydir / "ssda903" / "episodes.csv")
    by_child = defaultdict(list)
    for r in eps:
        if r["LS"] in ("V3", "V4"):
            continue
        by_child[r["CHILD"]].append(r)
    cla_open = {c for c, rs in by_child.items() if any(not r["DEC"] for r in rs)}
    out["cla_31mar_per_10k"] = len(cla_open) * per10k
    three = 0
    for c in cla_open:
        rs = sorted(by_child[c], key=lambda r: _d(r["DECOM"]))
        # placements during the year: the one open at 1 April (or the first to
        # start) plus each change of carer (RNE P or B, or a new period S); a
        # change of legal status (L) or of placement type with the same carer
        # (T, U) is not a new placement
        placements = sum(1 for i, r in enumerate(rs) if i == 0 or r["RNE"] in ("S", "P", "B"))
        three += placements >= 3
    out["cla_3plus_placements_pct"] = 100 * three / len(cla_open)

    oc3 = read_csv(ydir / "ssda903" / "oc3.csv")
    cohort = []
    for r in oc3:
        dob = _d(r["DOB"])
        ages = [
            a
            for a in (19, 20, 21)
            if start
            <= date(dob.year + a, dob.month, min(dob.day, 28 if dob.month == 2 else 31))
            <= end
        ]
        if ages:
            cohort.append(r)
    out["care_leavers_19_21_eet_pct"] = 100 * sum(r["ACTIV"] in EET for r in cohort) / len(cohort)
    return out

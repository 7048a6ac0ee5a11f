"""What one collection year can see of a council's history.

Everything here is derived from the simulated history and the year: which
children are in each return, what was known at 31 March (later dates hidden),
visits made during the year, care leavers' activity at each birthday.  Derived
details that are not stored in the history (visits, OC2 health, OC3 activity)
come from random streams seeded by the child and the thing described, so every
year that shows the same thing shows it the same way.
"""

from __future__ import annotations

import functools
import heapq
import random
from dataclasses import dataclass

from csc_scorecard.periods import financial_year_of

from . import calendar as cal
from .council import AREA_PROFILES, OTHER_AREA, Council, profile
from .model import EET_IN_TOUCH, Child, CLAPeriod, CouncilHistory
from .scenario import Scenario


@dataclass
class YearView:
    history: CouncilHistory
    scenario: Scenario
    year: int  # year end, e.g. 2025 for 2024-25

    def __post_init__(self) -> None:
        self.y0, self.y1 = cal.year_bounds(self.year)
        self.council: Council = self.history.council
        self._visit_cache: dict[tuple, list[tuple[int, bool]]] = {}
        self._alloc_cache: dict[str, list[tuple[str, int, int | None]]] = {}

    @property
    def label(self) -> str:
        return cal.year_label(self.year)

    def known(self, o: int | None) -> int | None:
        """A date as a return made at this year end would show it."""
        if o is None or o > self.y1:
            return None
        return o

    # ------------------------------------------------------------- populations
    def cin_children(self) -> list[tuple[Child, list]]:
        out = []
        y0, y1 = self.y0, self.y1
        for ch in self.history.children:
            refs = [r for r in ch.refs if r.date <= y1 and (r.close is None or r.close >= y0)]
            if refs:
                out.append((ch, refs))
        return out

    def cla_periods(self, ch: Child, include_short_breaks: bool = True) -> list[CLAPeriod]:
        return [
            p
            for p in ch.cla
            if p.start <= self.y1
            and p.end >= self.y0
            and (include_short_breaks or not p.short_break)
        ]

    def care_leaver_birthdays(self, ch: Child) -> list[int]:
        """Ages (17-21) whose birthday falls in the year, for a care leaver who had
        left care by that birthday."""
        if ch.care_leaver is None:
            return []
        left = ch.care_leaver[0]
        out = []
        for age in (17, 18, 19, 20, 21):
            b = cal.add_years(ch.dob, age)
            if self.y0 <= b <= self.y1 and b >= left:
                out.append(age)
        return out

    # ------------------------------------------------------------- allocations
    def allocations(self, ch: Child) -> list[tuple[str, int, int | None]]:
        """The child's allocations to teams as one clean timeline (team, start, end):
        the model's allocations plus the leaving care team from leaving care to 21,
        made non-overlapping by :func:`tidy_allocations`.  Ends are not hidden here
        (callers hide what the year cannot see)."""
        spans = self._alloc_cache.get(ch.id)
        if spans is None:
            raw = list(ch.alloc)
            if ch.care_leaver is not None:
                raw.append(
                    (
                        self.council.team(OTHER_AREA, "other"),
                        ch.care_leaver[0],
                        cal.add_years(ch.dob, 21),
                    )
                )
            spans = tidy_allocations(raw)
            self._alloc_cache[ch.id] = spans
        return spans

    # ------------------------------------------------------------- OC3 / OC2
    def oc3(self, ch: Child, age: int) -> tuple[str, str, str]:
        """(IN_TOUCH, ACTIV, ACCOM) around a birthday, with this year's codes."""
        rng = random.Random(ch.seed ^ (age * 0x9E3779B1))
        u = rng.random()
        if u < 0.045:
            return "NO", "0", "0"
        if u < 0.065:
            return "REFU", "0", "0"
        if u < 0.08 and age >= 19:
            return "NREQ", "0", "0"
        eet = EET_IN_TOUCH * self.scenario.value("eet", self.year, ch.area)
        eet *= {17: 1.12, 18: 1.0, 19: 1.03, 20: 0.99, 21: 0.96}[age]
        v = rng.random()
        if v < min(0.97, eet):
            w = rng.random()
            if w < 0.22:
                activ = "F1" if rng.random() < 0.85 else "P1"
            elif w < 0.52:
                activ = "F2" if rng.random() < 0.8 else "P2"
            elif w < 0.62:
                activ = "F4" if rng.random() < 0.85 else "P4"
            else:
                activ = "F5" if rng.random() < 0.7 else "P5"
        else:
            w = rng.random()
            activ = "G4" if w < 0.3 else ("G6" if w < 0.42 else "G5")
        if self.year <= 2021:
            activ = {"F4": "F3", "P4": "P3", "F5": "F3", "P5": "P3"}.get(activ, activ)
        w = rng.random()
        if age <= 18 and w < 0.25:
            acc = "Z"  # staying put with former foster carers
        elif w < 0.15:
            acc = "B"
        elif w < 0.55:
            acc = "U"
        elif w < 0.72:
            acc = "D"
        elif w < 0.80:
            acc = "E"
        elif w < 0.86:
            acc = "Z"
        elif w < 0.9:
            acc = "K"
        elif w < 0.93:
            acc = "X"
        elif w < 0.96:
            acc = "S"
        else:
            acc = "Y"
        suitable = "2" if acc in ("S", "X", "V", "W") or rng.random() < 0.08 else "1"
        return "YES", activ, acc + suitable

    def oc2_rows(self, ch: Child) -> dict | None:
        """Health outcomes for a child looked after continuously for 12 months at 31 March."""
        y1 = self.y1
        cont = [p for p in ch.cla if not p.short_break and p.start <= y1 - 365 and p.end > y1]
        if not cont:
            return None
        rng = random.Random(ch.seed ^ (self.year * 0x85EBCA6B))
        age = cal.age_on(ch.dob, y1)
        h = min(1.0, 0.9 * self.scenario.value("health", self.year, ch.area))
        row = {
            "SDQ_SCORE": "",
            "SDQ_REASON": "",
            "CONVICTED": "",
            "HEALTH_CHECK": "1" if rng.random() < h else "0",
            "IMMUNISATIONS": "1" if rng.random() < min(1.0, h * 0.93) else "0",
            "TEETH_CHECK": "1" if rng.random() < min(1.0, h * 0.85) else "0",
            "HEALTH_ASSESSMENT": "1" if rng.random() < h else "0",
            "SUBSTANCE_MISUSE": "",
            "INTERVENTION_RECEIVED": "",
            "INTERVENTION_OFFERED": "",
        }
        if 4 <= age <= 16:
            if rng.random() < 0.78:
                row["SDQ_SCORE"] = str(max(0, min(40, int(rng.gauss(14.5, 6.5)))))
            else:
                row["SDQ_REASON"] = ("SDQ2", "SDQ3", "SDQ4", "SDQ5")[int(rng.random() * 4)]
        else:
            row["SDQ_REASON"] = "SDQ1"
        if age >= 10:
            row["CONVICTED"] = "1" if rng.random() < 0.025 else "0"
            sm = rng.random() < 0.05
            row["SUBSTANCE_MISUSE"] = "1" if sm else "0"
            if sm:
                offered = rng.random() < 0.85
                row["INTERVENTION_OFFERED"] = "1" if offered else "0"
                row["INTERVENTION_RECEIVED"] = "1" if offered and rng.random() < 0.6 else "0"
        return row

    # ------------------------------------------------------------- visits
    def visits(self, ch: Child, kind: str, start: int, end: int) -> list[tuple[int, bool]]:
        """Statutory visits (date, seen alone) during [start, end], all of them
        (callers filter to the year)."""
        key = (ch.id, kind, start)
        cached = self._visit_cache.get(key)
        if cached is not None:
            return cached
        rng = random.Random(ch.seed ^ hash_kind(kind) ^ (start * 2654435761 & 0xFFFFFFFF))
        area = ch.area if kind != "CLA" or ch.area in AREA_PROFILES else OTHER_AREA
        late = (
            0.10
            * profile(area).visits_late
            * self.scenario.value("visits_late", cal_year(start), area)
        )
        if kind == "CP":
            interval, first = 10, 5
        elif kind == "CLA":
            interval, first = 30, 4
        else:
            interval, first = 20, 10
        out: list[tuple[int, bool]] = []
        d = cal.add_workdays(start, 1 + int(rng.random() * first))
        n = 0
        young = cal.age_on(ch.dob, start) < 4
        alone_p = 0.05 if young else {"CP": 0.78, "CLA": 0.70, "CIN": 0.62}[kind]
        while d <= end and d <= self.y1:
            out.append((d, rng.random() < alone_p))
            n += 1
            step = interval
            if kind == "CLA" and d - start > 365 and rng.random() < 0.5:
                step = 60
            if rng.random() < late:
                step += 3 + int(rng.random() * interval)
            else:
                step -= int(rng.random() * min(4, interval // 3))
            d = cal.add_workdays(d, max(1, step))
        self._visit_cache[key] = out
        return out


_OPEN = 10**7  # an ordinal beyond any date the generator draws


def tidy_allocations(spans) -> list[tuple[str, int, int | None]]:
    """One non-overlapping timeline from (team, start, end) spans.

    The allocation that starts later takes the child over: an earlier one still
    open then ends that day (a same-day handover, which is not an overlap) and,
    if it would have run past the later one's end, carries on from that end
    (a care leaver re-referred before 18 goes back to the leaving care team when
    the referral closes).  An end before its start is taken as the start; an
    allocation left with no days at all by a later one starting the same day is
    dropped.  Result sorted by start.
    """
    heap = [(s, i, team, _OPEN if e is None else max(s, e)) for i, (team, s, e) in enumerate(spans)]
    heapq.heapify(heap)
    seq = len(heap)
    out: list[list] = []
    while heap:
        s, _, team, e = heapq.heappop(heap)
        if out and out[-1][2] > s:
            prev = out[-1]
            if prev[2] > e:
                heapq.heappush(heap, (e, seq, prev[0], prev[2]))
                seq += 1
            prev[2] = s
            if prev[1] == s:
                out.pop()
        out.append([team, s, e])
    return [(t, s, None if e >= _OPEN else e) for t, s, e in out]


def hash_kind(kind: str) -> int:
    return {"CIN": 0x1F3D5B79, "CP": 0x2A4C6E80, "CLA": 0x3B5D7F91}[kind]


@functools.lru_cache(maxsize=8192)
def cal_year(o: int) -> int:
    """The year the financial year containing day `o` ends (cached: called per visit)."""
    return int(financial_year_of(cal.to_date(o))[:4]) + 1

"""Child journeys of one synthetic council.

Children arrive (first contact leading to a referral) at a rate set by the
council's 0-17 population.  Each referral then runs its course: no further
action, or an assessment (working-day durations, some late), section 47
enquiries, initial conferences, child protection plans, children in need plans,
periods of being looked after (legal statuses, placement moves, reviews,
missing episodes, adoption, special guardianship, leaving care at 18).  When a
case closes the child may be referred again.  Dates are ordinals.

The simulation starts ten years before the first collection year asked for, so
the stocks at each 31 March (children in need, on plans, looked after, care
leavers) are in equilibrium, and runs to the end of the last year.  Events after
a year end are still drawn (an open case has a future); the writers hide what a
return made at that year end could not yet know.

Probabilities are tuned so that the default scenario lands on England's
2024-25 figures (see tests/synth/test_calibration.py).

The stages live in their own modules, mixed into :class:`Simulator`: referrals
(:mod:`.journey_referral`), care (:mod:`.journey_care`), episodes of care
(:mod:`.journey_placements`); the records are :mod:`.journey_records` and the
tuned rates and code tables :mod:`.journey_rates`.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist

from csc_scorecard.periods import financial_year_of
from csc_scorecard.validation.cin.common import la_codes
from csc_scorecard.validation.cin.upn import with_check_letter

from . import calendar as cal
from .council import AREA_PROFILES, GEO_AREAS, Council
from .journey_care import CARE_LEAVER_EXITS, CareStages
from .journey_placements import PlacementStages
from .journey_rates import (
    _AGE_W,
    _ETH,
    _L,
    _UETH,
    EET_IN_TOUCH,
    NEW_CHILDREN_PER_10K,
    RISK_WEIGHTS,
    UASC_PER_10K,
    _cum,
    _cum_vals,
    _pick,
)
from .journey_records import CP, S47, Child, CLAPeriod, Episode, Referral
from .journey_referral import ReferralStages
from .scenario import Scenario

__all__ = [
    "CARE_LEAVER_EXITS",
    "CP",
    "EET_IN_TOUCH",
    "S47",
    "Child",
    "CLAPeriod",
    "CouncilHistory",
    "Episode",
    "Referral",
    "Simulator",
    "simulate",
]

BURN_IN_YEARS = 10


@dataclass
class CouncilHistory:
    council: Council
    children: list[Child] = field(default_factory=list)
    sim_start: int = 0
    horizon: int = 0


class Simulator(ReferralStages, CareStages, PlacementStages):
    def __init__(self, council: Council, scenario: Scenario, first_year: int, last_year: int):
        self.council = council
        self.sc = scenario
        self.first_year = first_year
        self.last_year = last_year
        self.sim_start = date(first_year - 1 - BURN_IN_YEARS, 4, 1).toordinal()
        self.horizon = date(last_year, 3, 31).toordinal()
        # journeys run a year past the last year end, so that contacts and early
        # help in the last year (which precede later referrals) are complete
        self.sim_end = self.horizon + 366
        self.rng = random.Random(council.seed)
        self._knob_cache: dict[tuple, float] = {}
        self._seq = 0
        self._norm = NormalDist()
        # area weights for arrivals
        w = {a: AREA_PROFILES[a].share * AREA_PROFILES[a].demand for a in GEO_AREAS}
        tot = sum(w.values())
        self._area_tab = _cum([(a, w[a] / tot) for a in GEO_AREAS])
        # normalise area practice multipliers so the council mean stays on target
        self._late_norm = sum(w[a] * AREA_PROFILES[a].assessment_late for a in GEO_AREAS) / tot
        self._icpc_norm = sum(w[a] * AREA_PROFILES[a].icpc_late for a in GEO_AREAS) / tot
        self._moves_norm = sum(w[a] * AREA_PROFILES[a].placement_moves for a in GEO_AREAS) / tot

    # -- helpers
    def knob(self, name: str, when: int, area: str | None = None) -> float:
        fy = _fy(when)
        key = (name, fy, area)
        v = self._knob_cache.get(key)
        if v is None:
            v = self.sc.value(name, fy, area)
            self._knob_cache[key] = v
        return v

    # -- arrivals
    def run(self) -> CouncilHistory:
        c = self.council
        children: list[Child] = []
        pop = c.population
        for fy in range(self.first_year - BURN_IN_YEARS, self.last_year + 2):
            y0, y1 = cal.year_bounds(fy)
            n_days = y1 - y0 + 1
            expected = pop / 10_000 * NEW_CHILDREN_PER_10K * self.sc.value("demand", fy)
            n = max(0, int(round(self.rng.gauss(expected, math.sqrt(expected)))))
            dates = sorted(y0 + int(self.rng.random() * n_days) for _ in range(n))
            n_uasc = int(round(pop / 10_000 * UASC_PER_10K * self.sc.value("demand", fy)))
            uasc_dates = sorted(y0 + int(self.rng.random() * n_days) for _ in range(n_uasc))
            arrivals = [(d, False) for d in dates] + [(d, True) for d in uasc_dates]
            arrivals.sort()
            for d, uasc in arrivals:
                if self.rng.random() < 0.93:
                    d = cal.next_workday(d)
                child = self._new_child(d, uasc)
                if child is not None:
                    children.append(child)
        return CouncilHistory(c, children, self.sim_start, self.horizon)

    def _new_child(self, d: int, uasc: bool) -> Child | None:
        rng = self.rng
        ch = Child()
        self._seq += 1
        ch.id = str(100_000 + self._seq * 7 + rng.randrange(7))
        ch.seed = rng.getrandbits(62)
        crng = random.Random(ch.seed)
        if uasc:
            age = 14 + min(3, int(crng.random() * 4))
            ch.sex = "M" if crng.random() < 0.92 else "F"
            ch.eth = _pick(crng, _UETH)
        else:
            age = _pick(crng, _AGE_W)
            ch.sex = "M" if crng.random() < 0.515 else "F"
            ch.eth = _pick(crng, _ETH)
        ch.dob = d - age * 365 - int(crng.random() * 365) - 1
        if ch.dob >= d:
            ch.dob = d - 1
        ch.uasc = uasc
        ch.area = _pick(crng, self._area_tab)
        ch.disabilities = ()
        ch.risk = _pick(crng, ((0, 1, 2), _cum_vals(RISK_WEIGHTS)))
        ch.upn = _upn(crng, self.council.la_code, ch.dob)
        pc = self.council.postcode_area
        district = {"North": 1, "South": 4, "East": 7, "West": 10}[ch.area] + int(crng.random() * 3)
        ch.home_post = f"{pc}{district} {crng.randrange(1, 10)}{_L[crng.randrange(20)]}{_L[crng.randrange(20)]}"
        self._journey(ch, crng, d)
        return ch


@functools.lru_cache(maxsize=8192)
def _fy(o: int) -> int:
    """The year the financial year containing day `o` ends (cached: called per event)."""
    return int(financial_year_of(date.fromordinal(o))[:4]) + 1


def _upn_la(la_code: str) -> str:
    """Characters 2-4 of the council's UPNs: its own code when it is a real English LA's,
    otherwise (the synthetic 999...) a real code picked by the number, so UPNs pass rule 1530."""
    known = sorted(la_codes())
    if la_code in known:
        return la_code
    return known[int(la_code) % len(known)] if la_code.isdigit() else known[0]


def _upn(rng: random.Random, la_code: str, dob: int) -> str:
    la = _upn_la(la_code)
    yy = (date.fromordinal(dob).year + 5) % 100
    rng.randrange(23)  # once the check letter; still drawn so every later draw is unchanged
    tail = f"{la}{rng.randrange(1000, 9999)}{yy:02d}{rng.randrange(100):02d}{rng.randrange(10)}"
    return with_check_letter(tail)  # the DfE's check letter (CIN rule 1510)


def simulate(
    council: Council, scenario: Scenario, first_year: int, last_year: int
) -> CouncilHistory:
    return Simulator(council, scenario, first_year, last_year).run()

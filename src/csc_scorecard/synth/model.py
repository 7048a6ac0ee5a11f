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
"""

from __future__ import annotations

import functools
import math
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist

from csc_scorecard.periods import financial_year_of
from csc_scorecard.validation.cin.common import la_codes
from csc_scorecard.validation.cin.upn import with_check_letter

from . import calendar as cal
from .council import (
    AREA_PROFILES,
    DISABILITY_AREA,
    GEO_AREAS,
    OTHER_AREA,
    Council,
    profile,
)
from .scenario import Scenario

P2_H5_END = date(2023, 10, 28).toordinal()  # supported accommodation reforms
BURN_IN_YEARS = 10

# ------------------------------------------------------------------ tuned constants
NEW_CHILDREN_PER_10K = 286.0  # first referrals a year per 10k children 0-17
P_NFA = 0.075
P_NOT_IN_NEED = 0.31  # assessments closing with no services (of those without S47 to plan)
ASSESS_LATE = 0.143  # England 2024-25: 85.7% within 45 working days
ICPC_LATE = 0.215  # England 2024-25: 81.4% within 15 working days
RISK_WEIGHTS = (0.56, 0.32, 0.12)  # low, medium, high at first referral
P_S47 = (0.124, 0.52, 0.84)
P_ICPC = (0.066, 0.195, 0.39)
P_ICPC_REPEAT = 0.72  # ICPC chance for a child with an earlier plan, if S47
P_CP_FROM_ICPC = 0.88
P_CLA_FROM_CIN = (0.009, 0.056, 0.14)
P_CLA_DIRECT_TEEN = 0.038
P_NEXT_REFERRAL = (0.36, 0.52, 0.64)
P_SHORT_GAP = 0.70  # next referral soon after closure (re-referral territory)
UASC_PER_10K = 2.0  # unaccompanied children arriving a year per 10k
SHORT_BREAK_SHARE = 0.22  # of disabled children's CIN episodes with a short-break agreement
P_DISABLED_NEED = 0.075  # referrals whose primary need is the child's disability
EET_IN_TOUCH = 0.61  # EET among care leavers in touch (x ~0.92 in touch => 54%)

NEED_CODES = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
NEED_WEIGHTS = (0.0, 0.0, 0.06, 0.20, 0.17, 0.04, 0.01, 0.05)  # N1/N2 set separately

SOURCES = (
    ("6", 0.29),
    ("2A", 0.20),
    ("3A", 0.03),
    ("3B", 0.03),
    ("3C", 0.01),
    ("3D", 0.03),
    ("3E", 0.03),
    ("3F", 0.02),
    ("5A", 0.05),
    ("5B", 0.03),
    ("5C", 0.03),
    ("5D", 0.03),
    ("1A", 0.04),
    ("1B", 0.01),
    ("1C", 0.01),
    ("1D", 0.01),
    ("2B", 0.02),
    ("4", 0.01),
    ("7", 0.03),
    ("8", 0.05),
    ("9", 0.01),
    ("10", 0.02),
)
ETHNICITIES = (
    ("WBRI", 0.70),
    ("WIRI", 0.004),
    ("WIRT", 0.004),
    ("WOTH", 0.05),
    ("WROM", 0.006),
    ("MWBC", 0.02),
    ("MWBA", 0.01),
    ("MWAS", 0.012),
    ("MOTH", 0.025),
    ("AIND", 0.012),
    ("APKN", 0.03),
    ("ABAN", 0.01),
    ("AOTH", 0.012),
    ("BCRB", 0.01),
    ("BAFR", 0.035),
    ("BOTH", 0.008),
    ("CHNE", 0.002),
    ("OOTH", 0.02),
    ("REFU", 0.005),
    ("NOBT", 0.02),
)
UASC_ETHNICITIES = (("BAFR", 0.35), ("AOTH", 0.30), ("OOTH", 0.25), ("WOTH", 0.10))
DISABILITY_CODES = (
    "AUT",
    "LD",
    "COMM",
    "BEH",
    "MOB",
    "HAND",
    "PC",
    "INC",
    "HEAR",
    "VIS",
    "CON",
    "DDA",
)
FACTORS_COMMON = (
    "3A",
    "3B",
    "4B",
    "4A",
    "1B",
    "2B",
    "16A",
    "17A",
    "18A",
    "19A",
    "5B",
    "6B",
    "8F",
    "10A",
    "11A",
    "13A",
    "14A",
    "15A",
    "24A",
    "20",
    "21",
    "2A",
    "7A",
    "22A",
)
CATEGORIES = (("NEG", 0.52), ("EMO", 0.36), ("PHY", 0.07), ("SAB", 0.04), ("MUL", 0.01))


def _cum(pairs):
    codes = [c for c, _ in pairs]
    tot = 0.0
    cum = []
    for _, w in pairs:
        tot += w
        cum.append(tot)
    return codes, [c / tot for c in cum]


_SRC = _cum(SOURCES)
_ETH = _cum(ETHNICITIES)
_UETH = _cum(UASC_ETHNICITIES)
_CAT = _cum(CATEGORIES)
_NEED = _cum([(c, w) for c, w in zip(NEED_CODES, NEED_WEIGHTS, strict=True) if w > 0])
_AGE_W = _cum(
    [
        (a, w)
        for a, w in enumerate(
            (
                9.0,
                5.5,
                5.0,
                5.0,
                4.8,
                5.0,
                5.0,
                5.0,
                5.0,
                5.0,
                5.2,
                5.6,
                6.2,
                7.0,
                7.8,
                7.6,
                6.4,
                4.5,
            )
        )
    ]
)


def _pick(rng: random.Random, table):
    codes, cum = table
    i = bisect_right(cum, rng.random())
    return codes[i if i < len(codes) else -1]


# ------------------------------------------------------------------ records


class CP:
    __slots__ = ("start", "end", "cat", "latest", "n_prev", "reviews")

    def __init__(self, start, end, cat, latest, n_prev, reviews):
        self.start = start
        self.end = end
        self.cat = cat
        self.latest = latest
        self.n_prev = n_prev
        self.reviews = reviews


class S47:
    __slots__ = ("start", "icpc", "needed")

    def __init__(self, start, icpc, needed):
        self.start = start
        self.icpc = icpc  # date of ICPC or None
        self.needed = needed  # False => ICPC not required


class Referral:
    __slots__ = (
        "date",
        "source",
        "need",
        "nfa",
        "close",
        "reason",
        "assessments",
        "s47",
        "cin_plans",
        "cp",
        "factors",
        "contact",
        "worker",
    )

    def __init__(self, d, source, need):
        self.date = d
        self.source = source
        self.need = need
        self.nfa = False
        self.close = None
        self.reason = None
        self.assessments: list[tuple[int, int]] = []  # (start, authorised)
        self.s47: list[S47] = []
        self.cin_plans: list[tuple[int, int]] = []
        self.cp: list[CP] = []
        self.factors: tuple[str, ...] = ()
        self.contact = d
        self.worker = 0


class Episode:
    __slots__ = (
        "start",
        "end",
        "rne",
        "ls",
        "place",
        "provider",
        "rec",
        "rpc",
        "pl_post",
        "urn",
        "far",
    )

    def __init__(self, start, end, rne, ls, place, provider, rec, rpc, pl_post, urn, far):
        self.start = start
        self.end = end
        self.rne = rne
        self.ls = ls
        self.place = place
        self.provider = provider
        self.rec = rec
        self.rpc = rpc
        self.pl_post = pl_post
        self.urn = urn
        self.far = far


class CLAPeriod:
    __slots__ = (
        "start",
        "end",
        "rec",
        "episodes",
        "reviews",
        "missing",
        "short_break",
        "adoption",
        "placed_decision",
        "prev_perm",
        "sw",
        "need",
        "plan",
        "uasc",
        "seed",
        "home_post",
    )

    def __init__(self, start, end, rec, need, seed):
        self.start = start
        self.end = end
        self.rec = rec
        self.need = need
        self.seed = seed
        self.episodes: list[Episode] = []
        self.reviews: list[tuple[int, str]] = []
        self.missing: list[tuple[str, int, int | None]] = []
        self.short_break = False
        self.adoption = None  # (date_int, date_match, foster_care, nb, sex, ls)
        self.placed_decision = None  # (date, ceased, reason)
        self.prev_perm = ("Z1", "", None)
        self.sw: list[tuple[str, int, int | None, str]] = []
        self.plan = "f) Long-term fostering"
        self.uasc = False
        self.home_post = ""


class Child:
    __slots__ = (
        "id",
        "dob",
        "sex",
        "eth",
        "upn",
        "area",
        "disabilities",
        "uasc",
        "refs",
        "cla",
        "alloc",
        "seed",
        "risk",
        "care_leaver",
        "duc",
        "contacts",
        "eh",
        "home_post",
    )

    def __init__(self):
        self.refs: list[Referral] = []
        self.cla: list[CLAPeriod] = []
        self.alloc: list[tuple[str, int, int | None]] = []
        self.care_leaver = None  # (left care date, age left, rec) if relevant
        self.duc = None
        self.contacts: list[tuple[int, str]] = []  # contacts that did not become referrals
        self.eh: list[tuple[int, int | None, str]] = []  # early help assessments


# ------------------------------------------------------------------ simulation


@dataclass
class CouncilHistory:
    council: Council
    children: list[Child] = field(default_factory=list)
    sim_start: int = 0
    horizon: int = 0


class Simulator:
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

    # -- a child's referrals, one after another
    def _journey(self, ch: Child, rng: random.Random, first: int) -> None:
        t = first
        prev_cp = 0
        eighteen = cal.add_years(ch.dob, 18)
        disabled_child = (not ch.uasc) and rng.random() < P_DISABLED_NEED / 0.93
        if disabled_child:
            n = 1 + (rng.random() < 0.4)
            ch.disabilities = tuple(sorted(rng.sample(DISABILITY_CODES[:8], n)))
        elif rng.random() < 0.06:
            ch.disabilities = (DISABILITY_CODES[rng.randrange(len(DISABILITY_CODES))],)
        n_refs = 0
        while t <= self.sim_end and t < eighteen:
            # contacts that come to nothing before a referral
            self._contacts(ch, rng, t)
            ref, outcome = self._referral(ch, rng, t, prev_cp, disabled_child, n_refs)
            ch.refs.append(ref)
            n_refs += 1
            prev_cp += len(ref.cp)
            if outcome == "stop" or ref.close is None:
                break
            # will the child come back?
            risk = ch.risk
            p = P_NEXT_REFERRAL[risk]
            if ref.nfa or ref.reason in ("RC8", "RC9"):
                p += 0.10
            p = min(0.95, p * math.sqrt(self.knob("rereferral", ref.close)))
            if rng.random() >= p:
                break
            short = P_SHORT_GAP * self.knob("rereferral", ref.close) ** 0.5
            if rng.random() < min(0.95, short):
                gap = 7 + int(rng.random() ** 1.6 * 330)
            else:
                gap = 330 + int(rng.expovariate(1 / 600))
            t = ref.close + gap
            if t > self.sim_end:
                break
            if rng.random() < 0.9:
                t = cal.next_workday(t)
            # risk drifts
            u = rng.random()
            if u < 0.20 and risk < 2:
                ch.risk = risk + 1
            elif u > 0.88 and risk > 0:
                ch.risk = risk - 1
        # contacts after the last referral (re-contacts that were screened out)
        if ch.refs and rng.random() < 0.25:
            last = ch.refs[-1].close or ch.refs[-1].date
            d = last + 30 + int(rng.random() * 500)
            if d < eighteen and d <= self.sim_end:
                ch.contacts.append((cal.next_workday(d), _pick(rng, _SRC)))

    def _contacts(self, ch: Child, rng: random.Random, t: int) -> None:
        # about 2.6 contacts per referral overall: most screened out, some to early help
        n = 0
        while rng.random() < 0.62 and n < 6:
            n += 1
            d = t - 15 - int(rng.random() * 400)
            if d > ch.dob and d >= self.sim_start:
                d = cal.next_workday(d)
                if d < t:
                    ch.contacts.append((d, _pick(rng, _SRC)))
                    if rng.random() < 0.16:
                        end = cal.add_workdays(d, 10 + int(rng.random() * 40))
                        ch.eh.append((cal.add_workdays(d, 2 + int(rng.random() * 8)), end, ch.area))

    def _assessment_days(self, rng: random.Random, when: int, area: str) -> int:
        late = ASSESS_LATE * self.knob("assessment_late", when, area)
        late *= profile(area).assessment_late / (self._late_norm if area in AREA_PROFILES else 1.0)
        late = min(0.9, max(0.01, late))
        # working days: lognormal with a 45-day tail share of `late`
        sigma = 0.52
        mu = math.log(45.5) - self._norm.inv_cdf(1 - late) * sigma
        return max(1, min(260, int(math.exp(rng.gauss(mu, sigma)))))

    def _icpc_days(self, rng: random.Random, when: int, area: str) -> int:
        late = ICPC_LATE * self.knob("icpc_late", when, area)
        late *= profile(area).icpc_late / (self._icpc_norm if area in AREA_PROFILES else 1.0)
        late = min(0.9, max(0.01, late))
        sigma = 0.40
        mu = math.log(15.5) - self._norm.inv_cdf(1 - late) * sigma
        return max(2, min(120, int(math.exp(rng.gauss(mu, sigma)))))

    def _referral(self, ch, rng, t, prev_cp, disabled_child, n_refs):
        c = self.council
        age = cal.age_on(ch.dob, t)
        area = ch.area
        if ch.uasc:
            need, src = "N8", "5C"
        elif disabled_child and (n_refs == 0 or rng.random() < 0.7):
            need, src = "N2", ("3D" if rng.random() < 0.5 else "5A")
        else:
            need = "N1" if rng.random() < 0.5 + 0.12 * ch.risk else _pick(rng, _NEED)
            src = _pick(rng, _SRC)
        ref = Referral(t, src, need)
        work_area = DISABILITY_AREA if need == "N2" else (OTHER_AREA if ch.uasc else area)
        team_a = c.team(work_area, "assessment")
        team_s = c.team(work_area, "safeguarding")
        ref.worker = rng.randrange(1 << 16)
        risk = ch.risk
        # UASC: straight into care, 18 or age assessed over 18
        if ch.uasc:
            a_start = cal.add_workdays(t, 1)
            a_end = cal.add_workdays(a_start, 10 + int(rng.random() * 25))
            ref.assessments.append((a_start, a_end))
            ref.factors = ("9A",)
            end = self._cla(ch, rng, t, need, route="uasc", from_cp=False)
            # ... but not before the assessment is authorised (CIN rules 8565, 8867)
            ref.close = max(end + 1 + int(rng.random() * 20), a_end)
            ref.reason = "RC7"
            ch.alloc.append((c.team(OTHER_AREA, "other"), t, ref.close))
            return ref, "stop"
        # no further action at referral
        if rng.random() < P_NFA * self.knob("nfa", t):
            ref.nfa = True
            ref.close = t
            ref.reason = "RC8"
            ch.alloc.append((team_a, t, t))
            return ref, "ok"
        # assessment
        a_start = cal.add_workdays(t, int(rng.random() ** 2 * 6))
        a_days = self._assessment_days(rng, t, work_area)
        a_end = cal.add_workdays(a_start, a_days)
        ref.assessments.append((a_start, a_end))
        ref.factors = _factors(rng, need, risk, age)
        eighteen = cal.add_years(ch.dob, 18)
        # section 47
        p47 = P_S47[risk] * self.knob("s47", t)
        if need == "N2":
            p47 *= 0.15
        cp_plan = None
        if rng.random() < min(0.97, p47):
            s_start = cal.add_workdays(t, int(rng.random() ** 2 * 4))
            p_icpc = (P_ICPC_REPEAT if prev_cp else P_ICPC[risk]) * self.knob("icpc", t)
            if prev_cp:
                p_icpc *= self.knob("cp_repeat", t)
            if rng.random() < min(0.95, p_icpc):
                icpc = cal.add_workdays(s_start, self._icpc_days(rng, t, work_area))
                ref.s47.append(S47(s_start, icpc, True))
                if rng.random() < P_CP_FROM_ICPC:
                    cp_plan = icpc
            else:
                ref.s47.append(S47(s_start, None, False))
        if (
            cp_plan is None
            and (rng.random() < P_NOT_IN_NEED * (0.6 if risk == 2 else 1.0))
            and need != "N2"
        ):
            close = a_end + int(rng.random() * 6)
            # not before a conference of its enquiry (CIN rule 8565)
            close = max([close, *(s.icpc for s in ref.s47 if s.icpc is not None)])
            ref.close = close
            ref.reason = "RC9" if rng.random() < 0.45 else "RC8"
            if ref.s47:
                # An enquiry is more than an assessment: RC8/RC9 episodes hold no S47 (CIN rule 2990).
                ref.reason = "RC7"
            ch.alloc.append((team_a, t, close))
            return ref, "ok"
        # services: CP plan, or CIN plan; either may lead to care
        end = a_end
        outcome = "ok"
        if cp_plan is not None:
            end, outcome = self._cp_path(ch, rng, ref, cp_plan, prev_cp, need, eighteen)
        else:
            # direct entry to care for some adolescents / emergencies
            p_cla = P_CLA_FROM_CIN[risk] * self.knob("cla_entry", t)
            if age >= 11:
                p_cla += P_CLA_DIRECT_TEEN * self.knob("cla_entry", t)
            if need == "N2":
                p_cla *= 0.3
            if rng.random() < p_cla:
                start = (
                    t + int(rng.random() * 60)
                    if rng.random() < 0.5
                    else t + 60 + int(rng.random() * 300)
                )
                start = max(start, t)
                if start < eighteen - 30:
                    # A CIN plan from just after the assessment until care starts, when
                    # care starts after it (else the plan would run past the episode: 8565).
                    if rng.random() < 0.5 and start > a_end + 4:
                        ref.cin_plans.append((a_end + 3, start))
                    end = self._cla(ch, rng, start, need, route=None, from_cp=False)
                    outcome = "care"
                else:
                    end = self._cin_path(ch, rng, ref, a_end, need, eighteen)
            else:
                end = self._cin_path(ch, rng, ref, a_end, need, eighteen)
        # a further S47 during a long episode now and then
        if end - a_end > 120 and rng.random() < 0.05 * self.knob("s47", t):
            d = a_end + 30 + int(rng.random() * (end - a_end - 60))
            d = cal.next_workday(d)
            if not any(cp.start <= d <= cp.end for cp in ref.cp):
                ref.s47.append(S47(d, None, False))
        close = end + (0 if outcome == "care" else int(rng.random() * 20))
        if outcome == "care":
            close = end + int(rng.random() * 25)
        # An episode stays open until its assessment is authorised and its conferences are
        # held (CIN rules 8565, 8867).
        close = max([close, a_end, *(s.icpc for s in ref.s47 if s.icpc is not None)])
        ref.close = close
        last = ch.cla[-1] if ch.cla and ch.cla[-1].start >= t else None
        if last is not None and last.start >= t:
            ref.reason = {
                "E11": "RC1",
                "E12": "RC1",
                "E2": "RC2",
                "E41": "RC3",
                "E45": "RC4",
                "E46": "RC4",
                "E47": "RC4",
                "E48": "RC4",
                "E3": "RC5",
                "E7": "RC6",
            }.get(last.rec, "RC7")
        else:
            ref.reason = "RC7"
        if end >= eighteen and ref.reason == "RC7" and rng.random() < 0.05:
            ref.reason = "RC6"
        # the assessment team hands the case to the safeguarding team when the
        # assessment is authorised (or when the case closes, if that is sooner:
        # a short plan or stay in care can end before a long assessment does)
        handover = min(a_end, close)
        ch.alloc.append((team_a, t, handover))
        ch.alloc.append((team_s, handover, close))
        if last is not None and last.rec in ("E11", "E12", "E2", "E3", "E15", "E16"):
            return ref, "stop"
        if close >= eighteen - 20:
            return ref, "stop"
        return ref, outcome

    def _cin_path(self, ch, rng, ref, a_end, need, eighteen) -> int:
        k = self.knob("cin_duration", a_end)
        start = a_end + 1 + int(rng.random() * 10)
        if need == "N2":
            months = rng.lognormvariate(math.log(22), 0.6) * k
        else:
            months = rng.lognormvariate(math.log(3.3), 0.62) * k
        end = start + int(months * 30.4)
        end = min(end, eighteen - 1)
        if end <= start:
            end = start + 1
        if rng.random() < 0.78 or need == "N2":
            ref.cin_plans.append((start, end))
        if need == "N2" and rng.random() < SHORT_BREAK_SHARE:
            self._short_breaks(ch, rng, start, end, need)
        return end

    def _cp_path(self, ch, rng, ref, start, prev_cp, need, eighteen) -> tuple[int, str]:
        k = self.knob("cp_duration", start)
        u = rng.random()
        if u < 0.05:
            months = 0.5 + rng.random() * 2.5
        elif u < 0.28:
            months = 3 + rng.random() * 3
        elif u < 0.66:
            months = 6 + rng.random() * 6
        elif u < 0.955:
            months = 12 + rng.random() ** 1.3 * 12
        else:
            months = 24 + rng.random() * 14
        months *= k
        end = start + int(months * 30.4)
        end = min(end, eighteen - 1)
        if end <= start + 7:
            end = start + 8
        cat = _pick(rng, _CAT)
        latest = cat if rng.random() < 0.9 else _pick(rng, _CAT)
        # CP reviews: first within 3 months, then six-monthly
        reviews = []
        r = cal.add_workdays(start, 55 + int(rng.random() * 12))
        while r < end:
            reviews.append(r)
            r = cal.add_workdays(r, 120 + int(rng.random() * 12))
        plan = CP(start, end, cat, latest, prev_cp, reviews)
        ref.cp.append(plan)
        u = rng.random()
        cla_p = 0.19 * self.knob("cla_entry", start)
        if u < cla_p and end < eighteen - 60:
            # plan ends when the child becomes looked after
            the_end = self._cla(ch, rng, end, need, route=None, from_cp=True)
            return the_end, "care"
        if u < cla_p + 0.55:
            s = end
            e = s + int((70 + rng.random() * 200) * self.knob("cin_duration", s))
            e = min(e, eighteen - 1)
            ref.cin_plans.append((s, max(s + 1, e)))
            return max(s + 1, e), "ok"
        return end, "ok"

    def _short_breaks(self, ch, rng, start, end, need) -> None:
        # an agreed series of short breaks: V4 agreements or V3 individual stays
        seed = rng.getrandbits(62)
        if rng.random() < 0.5:
            s = start + 20
            while s < end - 30:
                e = min(end, s + 180 + int(rng.random() * 185))
                ch.cla.append(self._short_break_period(s, e, "V4", need, seed))
                s = e + 1 + int(rng.random() * 20)
        else:
            s = start + 14 + int(rng.random() * 20)
            while s < end - 5:
                e = s + 1 + int(rng.random() * 3)
                if e > end:
                    break
                ch.cla.append(self._short_break_period(s, e, "V3", need, seed))
                s = e + 21 + int(rng.random() * 25)

    @staticmethod
    def _short_break_period(start: int, end: int, legal_status: str, need: str, seed: int):
        """One short break (V3 stay or V4 agreed series) in a children's home: one S episode."""
        period = CLAPeriod(start, end, "E8", need, seed)
        period.short_break = True
        urn = "SC" + str(100000 + seed % 800000)
        period.episodes.append(
            Episode(start, end, "S", legal_status, "K2", "PR1", "E8", "", "", urn, False)
        )
        return period

    # -- looked after
    def _cla(self, ch: Child, rng: random.Random, start: int, need: str, route, from_cp) -> int:
        age = cal.age_on(ch.dob, start)
        eighteen = cal.add_years(ch.dob, 18)
        k_dur = self.knob("cla_duration", start)
        if route is None:
            u = rng.random()
            if age < 1:
                route = (
                    "adopt"
                    if u < 0.42
                    else ("sgo" if u < 0.62 else ("home" if u < 0.87 else "long"))
                )
            elif age < 5:
                route = (
                    "adopt"
                    if u < 0.24
                    else ("sgo" if u < 0.44 else ("home" if u < 0.78 else "long"))
                )
            elif age < 10:
                route = (
                    "sgo"
                    if u < 0.16
                    else ("home" if u < 0.58 else ("long" if u < 0.97 else "other"))
                )
            elif age < 16:
                route = "home" if u < 0.55 else ("long" if u < 0.91 else "other")
            else:
                route = "home" if u < 0.45 else ("long" if u < 0.90 else "other")
        if route == "adopt":
            dur = int((420 + rng.random() * 540) * k_dur)
        elif route == "sgo":
            dur = int((270 + rng.random() * 640) * k_dur)
        elif route == "home":
            dur = int(rng.lognormvariate(math.log(170), 1.05) * k_dur) + 3
        elif route == "other":
            dur = int(30 + rng.random() * 500)
        else:  # long-term: until 18 or a late return home
            dur = eighteen - start
            if rng.random() < 0.20:
                dur = int(dur * (0.3 + rng.random() * 0.6))
        if route == "uasc":
            dur = eighteen - start
            if rng.random() < 0.05:
                dur = 20 + int(rng.random() * 60)
        end = start + max(1, dur)
        if end >= eighteen:
            end = eighteen
        # reason ceased
        if route == "adopt":
            rec = "E11" if rng.random() < 0.55 else "E12"
        elif route == "sgo":
            # special guardianship (mostly to relatives/friends) or a child arrangements order
            u = rng.random()
            rec = (
                "E45"
                if u < 0.40
                else (
                    "E47" if u < 0.70 else ("E46" if u < 0.78 else ("E48" if u < 0.85 else "E41"))
                )
            )
        elif route == "home":
            rec = "E4A" if rng.random() < 0.75 else ("E4B" if rng.random() < 0.5 else "E13")
        elif route == "other":
            rec = ("E9", "E3", "E8", "E14", "E16", "E7")[min(5, int(rng.random() ** 1.5 * 6))]
        else:
            rec = "E8"
        if end >= eighteen:
            u = rng.random()
            rec = "E5" if u < 0.35 else ("E17" if u < 0.60 else ("E6" if u < 0.7 else "E8"))
            if route == "uasc" and rng.random() < 0.08:
                rec = "E15"
        p = CLAPeriod(start, end, rec, need, rng.getrandbits(62))
        p.uasc = route == "uasc"
        p.home_post = ch.home_post
        p.plan = {
            "adopt": "b) Adoption",
            "sgo": "c) SGO/CAO",
            "home": "a) Return to family",
            "long": "f) Long-term fostering",
            "uasc": "d) Supported living in the community",
            "other": "g) Other",
        }[route]
        if route == "long" and age >= 12 and rng.random() < 0.3:
            p.plan = "e) Long-term residential placement"
        self._episodes(ch, rng, p, route, age)
        self._reviews(rng, p)
        self._missing(ch, rng, p)
        self._social_workers(ch, rng, p)
        if route == "adopt":
            decision = p.start + int((p.end - p.start) * (0.35 + rng.random() * 0.15))
            match = p.end - 200 - int(rng.random() * 60)
            match = max(decision + 20, match)
            nb = 2 if rng.random() < 0.8 else 1
            if nb == 2:
                u = rng.random()
                sx, lsa = (
                    ("MF", "L11" if u < 0.8 else "L3")
                    if u < 0.9
                    else (("MM", "L12") if u < 0.95 else ("FF", "L4"))
                )
            else:
                sx, lsa = ("F1", "L2") if rng.random() < 0.85 else ("M1", "L2")
            p.adoption = (decision, match, "1" if rng.random() < 0.15 else "0", str(nb), sx, lsa)
            p.placed_decision = (decision, None, None)
        elif route in ("long", "sgo") and age < 5 and rng.random() < 0.12:
            # decision to place for adoption later reversed
            decision = p.start + int((p.end - p.start) * 0.3)
            ceased = decision + 100 + int(rng.random() * 200)
            if ceased < p.end:
                p.placed_decision = (decision, ceased, ("RD1", "RD3", "RD4")[int(rng.random() * 3)])
        # previous permanence for those starting care
        u = rng.random()
        if u < 0.02:
            p.prev_perm = ("P1", self.council.la_code, p.start - 1000 - int(rng.random() * 1500))
        elif u < 0.05:
            p.prev_perm = ("P2", self.council.la_code, p.start - 300 - int(rng.random() * 1000))
        elif u < 0.06:
            p.prev_perm = ("P3", "", p.start - 500 - int(rng.random() * 1000))
        elif u < 0.15:
            p.prev_perm = ("P4", "", None)
        ch.cla.append(p)
        # relevant / former relevant care leaver: 13 weeks in care after 14, some after 16
        sixteen = cal.add_years(ch.dob, 16)
        fourteen = cal.add_years(ch.dob, 14)
        if p.end > sixteen and (p.end - max(p.start, fourteen)) >= 91 and not p.short_break:
            # leaving to live with family or under an order is not leaving care
            # as a care leaver; adoption, death and age-assessment exits are not either
            if p.rec in CARE_LEAVER_EXITS:
                ch.care_leaver = (p.end, cal.age_on(ch.dob, p.end), p.rec)
        if ch.uasc:
            ch.duc = eighteen
        return end

    def _episodes(self, ch: Child, rng: random.Random, p: CLAPeriod, route: str, age: int) -> None:
        start, end = p.start, p.end
        area = ch.area
        prof = profile(area)
        # legal status timeline
        ls_t: list[tuple[int, str]] = []
        if route == "uasc":
            ls_t.append((start, "V2"))
        elif route in ("adopt", "sgo", "long") and age < 16:
            first = "C1" if rng.random() < 0.75 else "V2"
            if first == "V2" and rng.random() < 0.1:
                ls_t.append((start, "L1"))
                ls_t.append((start + 1 + int(rng.random() * 3), "C1"))
            else:
                ls_t.append((start, first))
            t2 = start + 150 + int(rng.random() * 250)
            if route == "adopt":
                if t2 < end - 60:
                    ls_t.append((t2, "E1"))
            elif t2 < end - 30:
                ls_t.append((t2, "C2"))
        elif route == "other" and p.rec == "E9":
            ls_t.append((start, "J1" if rng.random() < 0.6 else "J2"))
        else:
            u = rng.random()
            if u < 0.78:
                ls_t.append((start, "V2"))
            elif u < 0.9:
                ls_t.append((start, "C1"))
            elif u < 0.95:
                ls_t.append((start, "L2"))
                if end - start > 8:
                    ls_t.append((start + 3 + int(rng.random() * 5), "V2"))
            else:
                ls_t.append((start, "J2"))
                if end - start > 5:
                    ls_t.append((start + 2, "V2"))
        # placements timeline: (date, place, provider, carer change?)
        pl_t: list[tuple[int, str, str, bool]] = []
        moves_rate = (0.33 if age < 10 else 0.64) * self.knob("placement_moves", start, area)
        moves_rate *= prof.placement_moves / (self._moves_norm if area in AREA_PROFILES else 1.0)

        def choose(d: int) -> tuple[str, str]:
            a = cal.age_on(ch.dob, d)
            u = rng.random()
            if route == "uasc" or (a >= 16 and u < 0.45):
                if d < P2_H5_END:
                    return ("H5" if rng.random() < 0.6 else "P2"), (
                        "PR4" if rng.random() < 0.7 else "PR1"
                    )
                return "K3", ("PR4" if rng.random() < 0.7 else "PR1")
            if a >= 11 and u < 0.22:
                v = rng.random()
                if v < 0.04:  # a secure children's home is not "other public" provision (rule 529)
                    return "K1", "PR1"
                if v < 0.08:
                    return "S1", "PR5"
                if v < 0.10:
                    return "R1", "PR4"
                return "K2", ("PR4" if rng.random() < 0.7 else "PR1")
            if u < 0.03:
                return "Z1", "PR4"
            v = rng.random()
            if v < 0.2:
                return ("U1", "U2", "U3")[
                    int(rng.random() * 3) if a < 5 else 2 * (rng.random() < 0.5)
                ], "PR1"
            prov = "PR4" if rng.random() < 0.42 else "PR1"
            if route == "adopt" and rng.random() < 0.2:
                return "U5", prov
            return ("U4" if a >= 5 and rng.random() < 0.4 else "U6"), prov

        first_place = choose(start)
        if route == "other" and p.rec == "E9" and rng.random() < 0.5:
            first_place = ("R5", "PR3")
        pl_t.append((start, first_place[0], first_place[1], True))
        t = start
        # an emergency first placement often ends within weeks
        if rng.random() < 0.30 * prof.placement_moves and end - start > 40:
            t = start + 7 + int(rng.random() * 45)
            pl = choose(t)
            pl_t.append((t, pl[0], pl[1], True))
        while True:
            rate = moves_rate * (1.5 if t - start < 365 else 0.8)
            t += int(rng.expovariate(rate / 365.0)) + 1
            if t >= end - 5:
                break
            pl = choose(t)
            pl_t.append((t, pl[0], pl[1], True))
        if route == "adopt":
            # placed for adoption: a move (or the same carer for FFA)
            ap = p.end - 120 - int(rng.random() * 120)
            ap = max(ap, ls_t[-1][0] + 1, start + 30)
            pl_t = [x for x in pl_t if x[0] < ap]
            same = pl_t[-1][1] == "U5"
            pl_t.append(
                (
                    ap,
                    "A5" if same or rng.random() < 0.2 else "A6",
                    "PR1" if rng.random() < 0.6 else "PR2",
                    not same,
                )
            )
        if route == "home" and age >= 1 and rng.random() < 0.12 and ls_t[0][1] in ("C1", "C2"):
            d = p.end - 30 - int(rng.random() * 90)
            if d > pl_t[-1][0] + 5:
                pl_t.append((d, "P1", "PR0", True))
        # supported accommodation reforms: H5/P2 placements open on 28/10/2023 became K3
        fixed = []
        for i, (d, place, prov, carer) in enumerate(pl_t):
            nxt = pl_t[i + 1][0] if i + 1 < len(pl_t) else end
            fixed.append((d, place, prov, carer))
            if place in ("H5", "P2") and d < P2_H5_END < nxt:
                fixed.append((P2_H5_END, "K3", prov, False))
        pl_t = fixed
        # merge timelines into episodes
        points = sorted({d for d, _ in ls_t} | {d for d, *_ in pl_t})
        points = [d for d in points if d < end]
        eps: list[Episode] = []
        li = pi = 0
        cur_ls = cur_pl = None
        far_share = 0.16 * prof.far_placements
        pc = self.council.postcode_area
        for d in points:
            ls_changed = pl_changed = False
            carer = False
            while li < len(ls_t) and ls_t[li][0] <= d:
                if cur_ls is None or ls_t[li][1] != cur_ls:
                    ls_changed = True
                cur_ls = ls_t[li][1]
                li += 1
            while pi < len(pl_t) and pl_t[pi][0] <= d:
                pl_changed = True
                carer = carer or pl_t[pi][3]
                cur_pl = pl_t[pi]
                pi += 1
            if not eps:
                rne = "S"
            elif ls_changed and pl_changed:
                rne = "B" if carer else "U"
            elif pl_changed:
                rne = "P" if carer else "T"
            elif ls_changed:
                rne = "L"
            else:
                continue
            place, prov = cur_pl[1], cur_pl[2]
            if rne in ("S", "P", "B") or not eps:
                if place == "P1":
                    pl_post, far = ch.home_post, False
                else:
                    far = rng.random() < (
                        far_share * (2.5 if place in ("K2", "K1", "S1", "R1") else 1.0)
                    )
                    if far:
                        pl_post = f"{_FAR[rng.randrange(len(_FAR))]}{rng.randrange(1, 30)} {rng.randrange(1, 10)}{_L[rng.randrange(20)]}{_L[rng.randrange(20)]}"
                    else:
                        pl_post = f"{pc}{rng.randrange(1, 13)} {rng.randrange(1, 10)}{_L[rng.randrange(20)]}{_L[rng.randrange(20)]}"
                urn = ("SC" + str(100000 + rng.randrange(800000))) if place in _URN_PLACES else ""
            else:
                # legal status only, or a new placement type with the same carer
                # at the same address (T/U)
                pl_post, urn, far = eps[-1].pl_post, eps[-1].urn, eps[-1].far
                if place not in _URN_PLACES:
                    urn = ""
                elif not urn:
                    urn = "SC" + str(100000 + rng.randrange(800000))
            if eps:
                eps[-1].end = d
                eps[-1].rec = "X1"
                if rne in ("P", "B", "T", "U") and eps[-1].place not in _TEMP:
                    eps[-1].rpc = _rpc(rng)
            eps.append(Episode(d, None, rne, cur_ls, place, prov, None, "", pl_post, urn, far))
        eps[-1].end = end
        eps[-1].rec = p.rec
        p.episodes = eps

    def _reviews(self, rng: random.Random, p: CLAPeriod) -> None:
        if p.end - p.start < 15:
            return
        r = cal.add_workdays(p.start, 14 + int(rng.random() * 8))
        n = 0
        while r < p.end:
            u = rng.random()
            code = (
                "PN1"
                if u < 0.55
                else (
                    "PN2"
                    if u < 0.7
                    else (
                        "PN3"
                        if u < 0.78
                        else (
                            "PN4"
                            if u < 0.86
                            else (
                                "PN5"
                                if u < 0.9
                                else ("PN6" if u < 0.95 else ("PN0" if u < 0.98 else "PN7"))
                            )
                        )
                    )
                )
            )
            p.reviews.append((r, code))
            n += 1
            gap = 91 if n == 1 else 182
            r = (
                r
                + gap
                - int(rng.random() * 25)
                + (int(rng.random() * 40) if rng.random() < 0.08 else 0)
            )

    def _missing(self, ch: Child, rng: random.Random, p: CLAPeriod) -> None:
        age = cal.age_on(ch.dob, p.start)
        if age < 10:
            return
        if rng.random() > 0.22 * self.knob("missing", p.start, ch.area):
            return
        n = 1 + int(rng.expovariate(1 / 4))
        span = p.end - p.start
        for _ in range(n):
            s = p.start + int(rng.random() * span)
            e = s + (0 if rng.random() < 0.6 else 1 + int(rng.random() * 6))
            if e > p.end:
                e = p.end
            p.missing.append(("M" if rng.random() < 0.95 else "A", s, e))
        p.missing.sort()

    def _social_workers(self, ch: Child, rng: random.Random, p: CLAPeriod) -> None:
        team = self.council.team(OTHER_AREA if p.uasc else ch.area, "safeguarding")
        names = self.council.workers[team]
        s = p.start
        while True:
            e = s + int(rng.expovariate(1 / (300 if ch.area != "East" else 190)))
            sw = f"SW{self.council.la_code}{names.index(names[rng.randrange(len(names))]) + 1:02d}{team[:1]}"
            if e >= p.end:
                p.sw.append((sw, s, p.end, ""))
                break
            p.sw.append(
                (
                    sw,
                    s,
                    e,
                    _SW_REASONS[
                        min(len(_SW_REASONS) - 1, int(rng.random() ** 2 * len(_SW_REASONS)))
                    ],
                )
            )
            s = e


CARE_LEAVER_EXITS = frozenset({"E5", "E6", "E17", "E8", "E7", "E9", "E14", "E16"})
_SW_REASONS = (
    "LEFTRL",
    "ORGRST",
    "MANAGE",
    "CHCHAN",
    "ABSENC",
    "FCONTA",
    "TSPROC",
    "PCCHAN",
    "OTHERS",
)
_URN_PLACES = frozenset({"K1", "K2", "R1", "S1", "U1", "U2", "U3", "U4", "U5", "U6", "K3", "H5"})
_TEMP = frozenset({"T0", "T1", "T2", "T3", "T4"})
_L = "ABDEFGHJLNPQRSTUWXYZ"
_FAR = ("B", "M", "LS", "NG", "CV", "LE", "WV", "DY", "ST", "SK", "BD", "HU")
_RPC = (
    ("CARPL", 0.18),
    ("CHILD", 0.14),
    ("LAREQ", 0.26),
    ("STAND", 0.10),
    ("APPRR", 0.06),
    ("CREQB", 0.05),
    ("CREQO", 0.05),
    ("PLACE", 0.06),
    ("CLOSE", 0.03),
    ("ALLEG", 0.02),
    ("OTHER", 0.05),
)
_RPC_T = _cum(_RPC)


def _rpc(rng: random.Random) -> str:
    return _pick(rng, _RPC_T)


def _cum_vals(weights):
    tot = sum(weights)
    out = []
    s = 0.0
    for w in weights:
        s += w
        out.append(s / tot)
    return out


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


def _factors(rng: random.Random, need: str, risk: int, age: int) -> tuple[str, ...]:
    if need == "N2":
        base = ["6A", "5A"] if rng.random() < 0.5 else ["5A"]
        return tuple(base)
    n = 1 + int(rng.random() * (2 + risk))
    out = set()
    for _ in range(n):
        if age >= 12 and rng.random() < 0.35:
            out.add(("4A", "14A", "15A", "10A", "24A", "11A", "2A", "13A")[int(rng.random() * 8)])
        else:
            out.add(
                ("3A", "3B", "4B", "1B", "2B", "16A", "17A", "18B", "18C", "19C", "5B", "6B", "20")[
                    int(rng.random() * 13)
                ]
            )
    return tuple(sorted(out))


def simulate(
    council: Council, scenario: Scenario, first_year: int, last_year: int
) -> CouncilHistory:
    return Simulator(council, scenario, first_year, last_year).run()

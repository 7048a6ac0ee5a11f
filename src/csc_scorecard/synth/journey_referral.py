"""Referral stages of a child's journey: contacts, the referral, its assessment,
section 47 enquiries and conferences, then a child protection or children in need
plan (or short breaks for disabled children), and whether the child comes back.

A mixin of :class:`~csc_scorecard.synth.model.Simulator`, which holds the council,
the scenario knobs (``knob``) and the simulation window; care itself is
:mod:`.journey_care`.
"""

from __future__ import annotations

import math
import random

from . import calendar as cal
from .council import AREA_PROFILES, DISABILITY_AREA, OTHER_AREA, profile
from .journey_rates import (
    _CAT,
    _NEED,
    _SRC,
    ASSESS_LATE,
    DISABILITY_CODES,
    ICPC_LATE,
    P_CLA_DIRECT_TEEN,
    P_CLA_FROM_CIN,
    P_CP_FROM_ICPC,
    P_DISABLED_NEED,
    P_ICPC,
    P_ICPC_REPEAT,
    P_NEXT_REFERRAL,
    P_NFA,
    P_NOT_IN_NEED,
    P_S47,
    P_SHORT_GAP,
    SHORT_BREAK_SHARE,
    _pick,
)
from .journey_records import CP, S47, Child, CLAPeriod, Episode, Referral

# step (its scenario knob and area practice attribute): tuned share late, the
# Simulator's normaliser, deadline in working days, lognormal sigma, bounds
_DEADLINES = {
    "assessment_late": (ASSESS_LATE, "_late_norm", 45, 0.52, 1, 260),
    "icpc_late": (ICPC_LATE, "_icpc_norm", 15, 0.40, 2, 120),
}


class ReferralStages:
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

    def _late_days(self, rng: random.Random, when: int, area: str, step: str) -> int:
        """Working days an assessment or a conference (``step``, see _DEADLINES) takes:
        lognormal, the share over its deadline the tuned rate times the scenario's knob
        times the area's practice (normalised so the council mean stays on target)."""
        base, norm_of, limit, sigma, shortest, longest = _DEADLINES[step]
        norm = getattr(self, norm_of)
        late = base * self.knob(step, when, area)
        late *= getattr(profile(area), step) / (norm if area in AREA_PROFILES else 1.0)
        late = min(0.9, max(0.01, late))
        mu = math.log(limit + 0.5) - self._norm.inv_cdf(1 - late) * sigma
        return max(shortest, min(longest, int(math.exp(rng.gauss(mu, sigma)))))

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
        a_days = self._late_days(rng, t, work_area, "assessment_late")
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
                icpc = cal.add_workdays(s_start, self._late_days(rng, t, work_area, "icpc_late"))
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

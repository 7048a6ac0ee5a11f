"""Care stages of a child's journey: a period of being looked after (its route,
length and reason for ending, adoption, permanence before care), its reviews,
missing episodes and social workers, and whether the child becomes a care leaver.

A mixin of :class:`~csc_scorecard.synth.model.Simulator`; the episodes (legal
statuses and placements) of a period are :mod:`.journey_placements`.
"""

from __future__ import annotations

import math
import random

from . import calendar as cal
from .council import OTHER_AREA
from .journey_rates import _SW_REASONS, _ladder
from .journey_records import Child, CLAPeriod

# the route of a period of care by age at entry: (under this age, steps, otherwise)
_ROUTES = (
    (1, (("adopt", 0.42), ("sgo", 0.62), ("home", 0.87)), "long"),
    (5, (("adopt", 0.24), ("sgo", 0.44), ("home", 0.78)), "long"),
    (10, (("sgo", 0.16), ("home", 0.58), ("long", 0.97)), "other"),
    (16, (("home", 0.55), ("long", 0.91)), "other"),
    (float("inf"), (("home", 0.45), ("long", 0.90)), "other"),
)
# how the child took part in a review (903 participation codes PN0-PN7)
_REVIEW_PARTICIPATION = (
    ("PN1", 0.55),
    ("PN2", 0.7),
    ("PN3", 0.78),
    ("PN4", 0.86),
    ("PN5", 0.9),
    ("PN6", 0.95),
    ("PN0", 0.98),
)
CARE_LEAVER_EXITS = frozenset({"E5", "E6", "E17", "E8", "E7", "E9", "E14", "E16"})


class CareStages:
    # -- looked after
    def _cla(self, ch: Child, rng: random.Random, start: int, need: str, route, from_cp) -> int:
        age = cal.age_on(ch.dob, start)
        eighteen = cal.add_years(ch.dob, 18)
        k_dur = self.knob("cla_duration", start)
        if route is None:
            u = rng.random()
            route = next(_ladder(u, steps, rest) for under, steps, rest in _ROUTES if age < under)
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
            rec = _ladder(u, (("E45", 0.40), ("E47", 0.70), ("E46", 0.78), ("E48", 0.85)), "E41")
        elif route == "home":
            rec = "E4A" if rng.random() < 0.75 else ("E4B" if rng.random() < 0.5 else "E13")
        elif route == "other":
            rec = ("E9", "E3", "E8", "E14", "E16", "E7")[min(5, int(rng.random() ** 1.5 * 6))]
        else:
            rec = "E8"
        if end >= eighteen:
            u = rng.random()
            rec = _ladder(u, (("E5", 0.35), ("E17", 0.60), ("E6", 0.7)), "E8")
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

    def _reviews(self, rng: random.Random, p: CLAPeriod) -> None:
        if p.end - p.start < 15:
            return
        r = cal.add_workdays(p.start, 14 + int(rng.random() * 8))
        n = 0
        while r < p.end:
            u = rng.random()
            code = _ladder(u, _REVIEW_PARTICIPATION, "PN7")
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

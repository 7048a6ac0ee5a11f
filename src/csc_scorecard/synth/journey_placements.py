"""Episodes of a period of care: the legal status and placement timelines, merged
into the 903's episodes (reason for new episode, placement postcode, URN, reason
for a placement change).

A mixin of :class:`~csc_scorecard.synth.model.Simulator`.
"""

from __future__ import annotations

import random
from datetime import date

from . import calendar as cal
from .council import AREA_PROFILES, profile
from .journey_rates import _FAR, _L, _TEMP, _URN_PLACES, _rpc
from .journey_records import Child, CLAPeriod, Episode

P2_H5_END = date(2023, 10, 28).toordinal()  # supported accommodation reforms


class PlacementStages:
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

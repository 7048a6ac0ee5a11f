"""Rows of Annex A lists 8 (children looked after) and 9 (care leavers) for one child.

A mixin of :class:`~csc_scorecard.synth.write_annex_a.AnnexAWriter`, which holds
the year's view (``v``), the council (``c``) and the shared cells (``_common``,
``_worker``, ``_team_at``).
"""

from __future__ import annotations

from . import calendar as cal
from .annex_a_values import (
    ACCOM,
    ACTIVITY,
    CEASED,
    ELIGIBILITY_FORMER,
    ELIGIBILITY_RELEVANT,
    IN_TOUCH,
    LEGAL,
    NEED,
    NO,
    NOT_STATED,
    PLACEMENT,
    PROVIDER,
    SUITABILITY,
    YES,
)
from .council import OTHER_AREA
from .model import Child


class CareListRows:
    def _list8(self, ch: Child, rows: list, dis: str) -> None:
        v = self.v
        y0, y1 = v.y0, v.y1
        known = v.known
        periods = [p for p in ch.cla if not p.short_break and p.start <= y1 and p.end >= y0]
        if not periods:
            return
        p = periods[-1]
        eps = [e for e in p.episodes if e.start <= y1]
        cur = eps[-1]
        since = y1 - 365
        all_eps = [
            e
            for q in ch.cla
            if not q.short_break
            for e in q.episodes
            if e.start <= y1 and e.end >= since
        ]
        placements = sum(1 for i, e in enumerate(all_eps) if i == 0 or e.rne in ("S", "P", "B"))
        ls_start = cur.start
        for e in reversed(eps):
            if e.ls != cur.ls:
                break
            ls_start = e.start
        second = any(
            q is not p and not q.short_break and q.end >= p.start - 365 and q.end < p.start
            for q in ch.cla
        )
        revs = [d for d, _ in p.reviews if d <= y1]
        vs = v.visits(ch, "CLA", p.start, p.end)
        last_visit = vs[-1][0] if vs else None
        oc2 = v.oc2_rows(ch)
        health = None
        if oc2 and oc2["HEALTH_ASSESSMENT"] == "1":
            health = y1 - 30 - (ch.seed % 250)
        dental = None
        if oc2 and oc2["TEETH_CHECK"] == "1":
            dental = y1 - 20 - (ch.seed % 300)
        miss = [m for q in periods for m in q.missing if since <= m[1] <= y1]
        n_m = sum(1 for m in miss if m[0] == "M")
        n_a = sum(1 for m in miss if m[0] == "A")
        offered = accepted = None
        if n_m:
            offered = YES if ch.seed % 10 else NO
            accepted = (YES if ch.seed % 3 else NO) if offered == YES else NO
        place_start = cur.start
        for e in reversed(eps):
            place_start = e.start
            if e.rne != "L":
                break
        dec = known(p.end)
        team = self._team_at(ch, min(y1, dec or y1))
        rows.append(
            self._common(ch, y1)
            + [
                YES if ch.uasc else NO,
                dis,
                ("d", p.start),
                NEED.get(p.need, NOT_STATED),
                YES if second else NO,
                ("d", ls_start),
                LEGAL[cur.ls],
                ("d", revs[-1] if revs else None),
                ("d", last_visit),
                p.plan,
                ("d", revs[-1] if revs else None),
                ("d", health),
                ("d", dental),
                placements,
                ("d", dec),
                CEASED[p.rec] if dec else None,
                ("d", place_start),
                PLACEMENT[cur.place],
                PROVIDER[cur.provider],
                cur.pl_post,
                cur.urn or None,
                "b) Out" if cur.far else "a) In",
                "Elsewhere" if cur.far else self.c.name.replace(" County Council", ""),
                n_m,
                n_a,
                offered,
                accepted,
                team,
                self._worker(team, ch.seed),
            ]
        )

    def _list9(self, ch: Child, rows: list, dis: str) -> None:
        v = self.v
        if ch.care_leaver is None:
            return
        left, age_left, _rec = ch.care_leaver
        y1 = v.y1
        age = cal.age_on(ch.dob, y1)
        if left > y1 or not (17 <= age <= 21) or left < v.y0 - 4 * 365:
            return
        bday_age = max(17, min(21, age))
        it, activ, accom = v.oc3(ch, bday_age)
        team = self.c.team(OTHER_AREA, "other")
        adviser = self._worker(team, ch.seed // 7)
        contact = y1 - (ch.seed % 60) if it == "YES" else None
        rows.append(
            self._common(ch, y1)
            + [
                YES if ch.uasc else NO,
                dis,
                team,
                self._worker(team, ch.seed),
                adviser,
                ELIGIBILITY_FORMER if age >= 18 else ELIGIBILITY_RELEVANT,
                ("d", y1 - (ch.seed % 170)),
                IN_TOUCH[it],
                ("d", contact),
                ACCOM[accom[:1]] if it == "YES" else None,
                SUITABILITY[accom[1:]] if it == "YES" else "c) Not in touch or not recorded",
                ACTIVITY[activ] if it == "YES" else None,
            ]
        )

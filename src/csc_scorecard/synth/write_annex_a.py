"""Ofsted Annex A workbook (lists 1-9) for one collection year.

One sheet per list ("List 1" ... "List 9"), Ofsted's column headings, lettered
values ("a) Male", "b) Female", "a) WBRI"), real Excel dates shown dd/mm/yyyy.
Event lists (contacts, early help, referrals, assessments, section 47s) hold the
events of the year; lists 6-9 the children open to the service during it.
Workbook metadata dates are fixed so the same seed gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import xlsxwriter

from . import calendar as cal
from .council import OTHER_AREA
from .model import Child
from .views import YearView
from .write_early_help import hub_assessments

# Every coded value carries its DfE code (or is a description that stands for
# exactly one code), in the forms csc_scorecard.returns.annex_a reads: never one
# of Ofsted's older group values ("a) Foster Placement", "d) Returned home ...",
# "c) Other") that cover several codes and so cannot be read back.  Letters are
# the ones returns/annex_a/spec/annex_a.yml gives; tests/synth/test_synth_ingest.py
# reads every value below back through that spec and checks it gives its code.
GENDER = {"M": "a) Male", "F": "b) Female"}
_ETH_ORDER = (
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "NOBT",
    "REFU",
)
ETHNICITY = {c: f"{'abcdefghijklmnopqrst'[i]}) {c}" for i, c in enumerate(_ETH_ORDER)}
SOURCE = {
    "1A": "a) 1A: Individual",
    "1B": "b) 1B: Individual",
    "1C": "c) 1C: Individual",
    "1D": "d) 1D: Individual",
    "2A": "e) 2A: Schools",
    "2B": "f) 2B: Education services",
    "3A": "g) 3A: Health services",
    "3B": "h) 3B: Health services",
    "3C": "i) 3C: Health services",
    "3D": "j) 3D: Health services",
    "3E": "k) 3E: Health services",
    "3F": "l) 3F: Health services",
    "4": "m) 4: Housing",
    "5A": "n) 5A: LA services",
    "5B": "o) 5B: LA services",
    "5C": "p) 5C: LA services",
    "5D": "5D: LA services - early help",
    "6": "q) 6: Police",
    "7": "r) 7: Other legal agency",
    "8": "s) 8: Other",
    "9": "t) 9: Anonymous",
    "10": "u) 10: Unknown",
}
YES, NO = "a) Yes", "b) No"
NEED = {
    "N1": "a) N1: Abuse or neglect",
    "N2": "b) N2: Child's disability",
    "N3": "c) N3: Parental illness or disability",
    "N4": "d) N4: Family in acute stress",
    "N5": "e) N5: Family dysfunction",
    "N6": "f) N6: Socially unacceptable behaviour",
    "N7": "g) N7: Low income",
    "N8": "h) N8: Absent parenting",
}
CLOSURE = {
    "RC1": "a) RC1: Adopted",
    "RC2": "b) RC2: Died",
    "RC3": "c) RC3: Child arrangements order",
    "RC4": "d) RC4: Special guardianship order",
    "RC5": "e) RC5: Transferred to another local authority",
    "RC6": "f) RC6: Transferred to adult social care",
    "RC7": "g) RC7: Child no longer in need",
    "RC8": "h) RC8: Case closed after assessment - no further action",
    "RC9": "RC9: Case closed after assessment - referred to early help",
}
CATEGORY = {
    "NEG": "a) NEG: Neglect",
    "PHY": "b) PHY: Physical abuse",
    "SAB": "c) SAB: Sexual abuse",
    "EMO": "d) EMO: Emotional abuse",
    "MUL": "e) MUL: Multiple",
}
LEGAL = {
    "C1": "C1: Interim care order",
    "C2": "C2: Full care order",
    "D1": "D1: Freed for adoption",
    "E1": "E1: Placement order granted",
    "V2": "V2: Single period of accommodation under section 20",
    "V3": "V3: Short breaks - single placement",
    "V4": "V4: Short breaks - series of placements",
    "L1": "L1: Police protection in LA accommodation",
    "L2": "L2: Emergency protection order",
    "L3": "L3: Child assessment order",
    "J1": "J1: Remanded to local authority accommodation or youth detention",
    "J2": "J2: Placed in LA accommodation under PACE",
    "J3": "J3: Sentenced to a youth rehabilitation order with residence requirement",
}
CEASED = {
    "E11": "E11: Adopted - application for an adoption order unopposed",
    "E12": "E12: Adopted - consent dispensed with by the court",
    "E13": "E13: Left care to live with parents, relatives or other person with no parental responsibility",
    "E14": "E14: Accommodation on remand ended",
    "E15": "E15: Age assessment determined child is aged 18 or over",
    "E16": "E16: Child moved abroad",
    "E17": "E17: Aged 18 and remained with former foster carers",
    "E2": "E2: Died",
    "E3": "E3: Care taken by another local authority",
    "E41": "E41: Residence order or child arrangements order granted",
    "E45": "E45: Special guardianship order made to former foster carers",
    "E46": "E46: Special guardianship order made to carers other than former foster carers",
    "E47": "E47: Special guardianship order made to a relative or friend",
    "E48": "E48: Special guardianship order made to other carers",
    "E4A": "E4A: Returned home to live with parents or other person with parental "
    "responsibility as part of care planning",
    "E4B": "E4B: Returned home to live with parents or other person with parental "
    "responsibility not as part of care planning",
    "E5": "E5: Moved into independent living with supportive accommodation",
    "E6": "E6: Moved into independent living with no formalised support",
    "E7": "E7: Transferred to residential care funded by adult social services",
    "E8": "E8: Period of being looked after ceased for any other reason",
    "E9": "E9: Sentenced to custody",
}
PLACEMENT = {
    "U1": "U1: Foster placement with relative or friend - long term",
    "U2": "U2: Foster placement with relative or friend who is also an approved adopter - FFA",
    "U3": "U3: Foster placement with relative or friend - not long term or FFA",
    "U4": "U4: Foster placement with other foster carer - long term",
    "U5": "U5: Foster placement with other foster carer who is also an approved adopter - FFA",
    "U6": "U6: Foster placement with other foster carer - not long term or FFA",
    "A3": "A3: Placed for adoption with parental consent with current foster carer",
    "A4": "A4: Placed for adoption with parental consent not with current foster carer",
    "A5": "A5: Placed for adoption with placement order with current foster carer",
    "A6": "A6: Placed for adoption with placement order not with current foster carer",
    "P1": "P1: Placed with own parents",
    "P2": "P2: Independent living",
    "P3": "P3: Residential employment",
    "H5": "H5: Semi-independent living accommodation",
    # supported accommodation (from 28 October 2023); the Annex A reader's spec
    # has no K3 yet, so it reports this value (see tests/synth/test_synth_ingest.py)
    "K3": "K3: Supported accommodation",
    "K1": "K1: Secure children's home",
    "K2": "K2: Children's home",
    "R1": "R1: Residential care home",
    "R2": "R2: NHS/health trust",
    "R3": "R3: Family centre or mother and baby unit",
    "R5": "R5: Young offender institution",
    "S1": "S1: Residential school",
    "Z1": "Z1: Other placements",
    "T0": "T0: Temporary placement",
}
PROVIDER = {
    "PR0": "a) PR0 - Parents or other person with parental responsibility",
    "PR1": "b) PR1 - Own provision by the LA",
    "PR2": "c) PR2 - Other LA provision",
    "PR3": "d) PR3 - Other public provision",
    "PR4": "e) PR4 - Private provision",
    "PR5": "f) PR5 - Voluntary/third sector provision",
}
ELIGIBILITY_RELEVANT, ELIGIBILITY_FORMER = "a) Relevant", "b) Former relevant"
IN_TOUCH = {
    "YES": "a) YES: In touch",
    "NO": "b) NO: Not in touch",
    "DIED": "c) DIED: Died",
    "REFU": "d) REFU: Young person refuses contact",
    "NREQ": "e) NREQ: Young person no longer requires services",
    "RHOM": "f) RHOM: Young person returned to live with parents",
}
ACCOM = {
    "B": "B: With parents or relatives",
    "C": "C: Community home",
    "D": "D: Semi-independent transitional accommodation",
    "E": "E: Supported lodgings",
    "G": "G: Gone abroad",
    "H": "H: Deported",
    "K": "K: Ordinary lodgings",
    "R": "R: Residence not known",
    "S": "S: No fixed abode/homeless",
    "T": "T: Foyers",
    "U": "U: Independent living",
    "V": "V: Emergency accommodation",
    "W": "W: Bed and breakfast",
    "X": "X: In custody",
    "Z": "Z: With former foster carer",
    "Y": "Y: Other accommodation",
}
SUITABILITY = {"1": "a) Suitable", "2": "b) Not suitable"}
ACTIVITY = {
    "F1": "F1: Full time in higher education",
    "P1": "P1: Part time in higher education",
    "F2": "F2: Full time in education other than higher",
    "P2": "P2: Part time in education other than higher",
    "F3": "F3: Full time in training or employment",
    "P3": "P3: Part time in training or employment",
    "F4": "F4: Young person engaged full time in an apprenticeship",
    "P4": "P4: Young person engaged part time in an apprenticeship",
    "F5": "F5: Young person engaged full time in training or employment (not apprenticeship)",
    "P5": "P5: Young person engaged part time in training or employment (not apprenticeship)",
    "G4": "G4: Not in education, employment or training - illness or disability",
    "G5": "G5: Not in education, employment or training - other",
    "G6": "G6: Not in education, employment or training - pregnancy or parenting",
}
NOT_STATED = "j) Not stated"
# each value table above and the code list of annex_a.yml it is read with
CODE_LISTS = {
    "sex": GENDER,
    "ethnicity": ETHNICITY,
    "source": SOURCE,
    "need": NEED,
    "closure_reason": CLOSURE,
    "cp_category": CATEGORY,
    "legal_status": LEGAL,
    "reason_ceased": CEASED,
    "placement": PLACEMENT,
    "provider": PROVIDER,
    "in_touch": IN_TOUCH,
    "accommodation": ACCOM,
    "suitability": SUITABILITY,
    "activity": ACTIVITY,
}

COMMON = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)")
HEADERS: dict[int, tuple[str, ...]] = {
    1: COMMON + ("Date of Contact", "Contact Source"),
    2: COMMON
    + ("Assessment start date", "Assessment completion date", "Organisation completing assessment"),
    3: COMMON
    + (
        "Date of referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        "Allocated Team",
        "Allocated Worker",
    ),
    4: COMMON
    + (
        "Does the Child have a Disability",
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        "Allocated Team",
        "Allocated Worker",
    ),
    5: COMMON
    + (
        "Does the Child have a Disability",
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        "Allocated Team",
        "Allocated Worker",
    ),
    6: COMMON
    + (
        "Does the Child have a Disability",
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        "Allocated Team",
        "Allocated Worker",
    ),
    7: COMMON
    + (
        "Does the Child have a Disability",
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
        "Number of Previous Child Protection Plans",
        "Allocated Team",
        "Allocated Worker",
    ),
    8: COMMON
    + (
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
        "Does the Child have a Disability",
        "Date Started to be Looked After",
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
        "Start date of current legal status",
        "Child's Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child",
        "Date of Last Health Assessment",
        "Date of Last Dental Check",
        "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After",
        "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement",
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        "Allocated Team",
        "Allocated Worker",
    ),
    9: COMMON
    + (
        "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
        "Does the Child have a Disability",
        "Allocated Team",
        "Allocated Worker",
        "Allocated Personal Advisor",
        "Eligibility Category",
        "Latest Pathway Plan Review Date",
        "LA in Touch",
        "Latest Date of Contact",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ),
}

# cells: str -> string, int -> number, ("d", ordinal) -> date, None -> blank
_FIXED_CREATED = datetime(2000, 1, 1, 0, 0, 0)


class AnnexAWriter:
    def __init__(self, view: YearView):
        self.v = view
        self.c = view.council

    def _worker(self, team: str, key: int) -> str:
        names = self.c.workers.get(team) or ["Unallocated"]
        return names[key % len(names)]

    def _team_at(self, ch: Child, on: int) -> str:
        """The team the child is allocated to on a date (as in allocations.csv)."""
        spans = self.v.allocations(ch)
        team = ""
        for t, s, e in spans:
            if s <= on and (e is None or e >= on):
                team = t
        if not team and spans:
            team = spans[-1][0]
        return team

    def _common(self, ch: Child, on: int) -> list:
        return [
            ch.id,
            GENDER.get(ch.sex, "c) Not stated/recorded"),
            ETHNICITY[ch.eth],
            ("d", ch.dob),
            cal.age_on(ch.dob, on),
        ]

    def rows(self) -> dict[int, list[list]]:
        v = self.v
        y0, y1 = v.y0, v.y1
        known = v.known
        out: dict[int, list[list]] = {i: [] for i in range(1, 10)}
        for ch in v.history.children:
            dis = YES if ch.disabilities else NO
            # list 1: contacts (screened-out contacts and those that became referrals)
            contacts = [(d, s) for d, s in ch.contacts if y0 <= d <= y1]
            contacts += [(r.contact, r.source) for r in ch.refs if y0 <= r.contact <= y1]
            for d, s in sorted(contacts):
                out[1].append(self._common(ch, d) + [("d", d), SOURCE[s]])
            for s, e, area in hub_assessments(ch, v.council.seed):
                if y0 <= s <= y1:
                    org = f"Early Help {area}" if (ch.seed + s) % 3 else "School"
                    out[2].append(self._common(ch, s) + [("d", s), ("d", known(e)), org])
            for i, r in enumerate(ch.refs):
                team = self._team_at(ch, r.date)
                worker = self._worker(team, r.worker)
                if y0 <= r.date <= y1:
                    prev = sum(1 for o in ch.refs[:i] if o.date >= cal.add_years(r.date, -1))
                    out[3].append(
                        self._common(ch, r.date)
                        + [
                            ("d", r.date),
                            SOURCE[r.source],
                            YES if r.nfa else NO,
                            prev,
                            team,
                            worker,
                        ]
                    )
                for a_s, a_e in r.assessments:
                    if a_s <= y1 and a_e >= y0:
                        auth = known(a_e)
                        services = None
                        if auth is not None:
                            services = (
                                NO
                                if r.reason in ("RC8", "RC9")
                                and r.close is not None
                                and r.close - a_e < 10
                                else YES
                            )
                        out[4].append(
                            self._common(ch, a_s)
                            + [
                                dis,
                                ("d", a_s),
                                YES if (ch.seed + a_s) % 17 else NO,
                                ("d", auth),
                                services,
                                team,
                                worker,
                            ]
                        )
                for s in r.s47:
                    if y0 <= s.start <= y1:
                        since = cal.add_years(s.start, -1)
                        n47 = sum(1 for o in ch.refs for x in o.s47 if since <= x.start < s.start)
                        nic = sum(
                            1
                            for o in ch.refs
                            for x in o.s47
                            if x.icpc and since <= x.icpc < s.start
                        )
                        icpc = known(s.icpc)
                        result = None
                        if icpc is not None:
                            result = YES if any(cp.start == s.icpc for cp in r.cp) else NO
                        out[5].append(
                            self._common(ch, s.start)
                            + [
                                dis,
                                ("d", s.start),
                                NO if s.needed else YES,
                                ("d", icpc),
                                result,
                                n47,
                                nic,
                                self._team_at(ch, s.start),
                                worker,
                            ]
                        )
            # list 6: children in need during the year (latest episode)
            open_refs = [
                r
                for r in ch.refs
                if r.date <= y1 and (r.close is None or r.close >= y0) and not r.nfa
            ]
            if open_refs:
                r = open_refs[-1]
                close = known(r.close)
                status = self._status(ch, r, close)
                seen = self._last_seen(ch, r)
                team = self._team_at(ch, min(y1, close or y1))
                out[6].append(
                    self._common(ch, y1)
                    + [
                        dis,
                        ("d", r.date),
                        NEED.get(r.need, NOT_STATED),
                        ("d", seen),
                        ("d", close),
                        CLOSURE[r.reason] if close else None,
                        status,
                        team,
                        self._worker(team, r.worker),
                    ]
                )
                for cp in r.cp:
                    if cp.start <= y1 and cp.end >= y0:
                        end = known(cp.end)
                        vs = [
                            x for x in v.visits(ch, "CP", cp.start, cp.end) if x[0] <= (end or y1)
                        ]
                        last = vs[-1] if vs else None
                        revs = [d for d in cp.reviews if d <= y1]
                        team = self._team_at(ch, min(y1, end or y1))
                        out[7].append(
                            self._common(ch, y1)
                            + [
                                dis,
                                ("d", cp.start),
                                CATEGORY[cp.cat],
                                CATEGORY[cp.latest],
                                ("d", last[0] if last else None),
                                (YES if last[1] else NO) if last else None,
                                ("d", revs[-1] if revs else None),
                                ("d", end),
                                YES if (ch.seed + cp.start) % 29 == 0 else NO,
                                cp.n_prev,
                                team,
                                self._worker(team, r.worker),
                            ]
                        )
            self._list8(ch, out[8], dis)
            self._list9(ch, out[9], dis)
        return out

    def _status(self, ch: Child, r, close) -> str:
        y1 = self.v.y1
        if close is not None:
            return "e) Closed episode"
        if any(p.start <= y1 < p.end and not p.short_break for p in ch.cla):
            return "a) Looked after child"
        if any(cp.start <= y1 < cp.end for cp in r.cp):
            return "b) Child Protection plan"
        if any(s <= y1 < e for s, e in r.cin_plans):
            return "c) Child in need plan"
        if any(a <= y1 < b for a, b in r.assessments):
            return "d) Open assessment"
        return "c) Child in need plan"

    def _last_seen(self, ch: Child, r) -> int | None:
        y1 = self.v.y1
        best = None
        for s, e in r.cin_plans:
            if s <= y1:
                vs = self.v.visits(ch, "CIN", s, e)
                if vs:
                    best = max(best or 0, vs[-1][0])
        for cp in r.cp:
            if cp.start <= y1:
                vs = self.v.visits(ch, "CP", cp.start, cp.end)
                if vs:
                    best = max(best or 0, vs[-1][0])
        for p in ch.cla:
            if not p.short_break and p.start <= y1 and p.end >= r.date:
                vs = self.v.visits(ch, "CLA", p.start, p.end)
                if vs:
                    best = max(best or 0, vs[-1][0])
        if best is None and r.assessments:
            best = min(y1, r.assessments[0][0] + 5)
        return best

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

    def write(self, path: Path) -> dict[str, int]:
        data = self.rows()
        path.parent.mkdir(parents=True, exist_ok=True)
        wb = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        wb.set_properties(
            {
                "title": f"Annex A {self.v.label}",
                "author": "csc-scorecard synth",
                "created": _FIXED_CREATED,
            }
        )
        wb.set_calc_mode("auto")
        bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        datef = wb.add_format({"num_format": "dd/mm/yyyy"})
        counts = {}
        serial0 = cal.excel_serial(0)
        for n in range(1, 10):
            ws = wb.add_worksheet(f"List {n}")
            hdr = HEADERS[n]
            ws.set_row(0, 45)
            for c, h in enumerate(hdr):
                ws.write_string(0, c, h, bold)
            ws.set_column(0, len(hdr) - 1, 16)
            rows = data[n]
            rows.sort(key=_row_key)
            ws_str, ws_num = ws.write_string, ws.write_number
            for r_i, row in enumerate(rows, start=1):
                for c, val in enumerate(row):
                    if val is None:
                        continue
                    if type(val) is tuple:
                        if val[1] is not None:
                            ws_num(r_i, c, val[1] + serial0, datef)
                    elif type(val) is int:
                        ws_num(r_i, c, val)
                    else:
                        ws_str(r_i, c, val)
            counts[f"List {n}"] = len(rows)
        wb.close()
        return counts


def _row_key(row: list):
    # date of the event (column 5) then child id
    ev = row[5]
    d = ev[1] if type(ev) is tuple and ev[1] is not None else 0
    cid = int(row[0]) if row[0].isdigit() else 0
    return (d, cid, str(row[6:]))


__all__ = ["CODE_LISTS", "AnnexAWriter", "HEADERS"]

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
from .annex_a_care_lists import CareListRows
from .annex_a_headers import HEADERS
from .annex_a_values import (
    CATEGORY,
    CLOSURE,
    CODE_LISTS,
    ETHNICITY,
    GENDER,
    NEED,
    NO,
    NOT_STATED,
    SOURCE,
    YES,
)
from .model import Child
from .views import YearView
from .write_early_help import hub_assessments

# cells: str -> string, int -> number, ("d", ordinal) -> date, None -> blank
_FIXED_CREATED = datetime(2000, 1, 1, 0, 0, 0)


class AnnexAWriter(CareListRows):
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

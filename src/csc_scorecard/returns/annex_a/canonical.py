"""Turning the cleaned values of each Annex A list's rows into canonical rows.

One function per list says which canonical tables its row feeds (see the
table in annex_a/reader.py). Two things are held back until every list is
read: referrals, because List 3 (referrals) and List 6 (children in need)
can describe the same referral and are then merged into one row; and the
child, because every list carries some of the child's details (sex, birth
date, ethnicity, disability, UASC, team) and the child gets one row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from csc_scorecard.returns.annex_a.children import (
    CHILD_DETAILS,
    ChildInfo,
    add_dicts,
    child_rows,
    merge_children,
)
from csc_scorecard.returns.annex_a.spec import ListSpec
from csc_scorecard.returns.base import ReadResult
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import IssueLog

# Lists 1-5 (contacts, early help, referrals, assessments, S47s) list only
# events that happened inside the window Ofsted asks for.
WINDOW_LISTS = 5
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def placement_postcode(text: str) -> str | None:
    """A placement postcode as stored ("" for none given), or None when it is not one."""
    if not text:
        return ""
    compact = re.sub(r"\s+", "", text.upper())
    if len(compact) >= 5 and _POSTCODE.match(compact[:-3] + " " + compact[-3:]):
        return compact[:-3] + " " + compact[-3:]
    return None


@dataclass
class _Referral:
    row: dict
    from_list3: bool


class _Row:
    """One cleaned row of a list, and where it came from.

    Made for every row of every list, so a plain class with slots whose
    derived fields are worked out once, not a dataclass with properties.
    """

    __slots__ = ("log", "table", "v", "excel_row", "base", "team", "worker")

    def __init__(self, log: IssueLog, table: str, v: dict, excel_row: int) -> None:
        self.log = log
        self.table = table  # the list (and sheet) as issues name it
        self.v = v  # cleaned values by column key
        self.excel_row = excel_row
        # the fields every canonical row starts with (copied, never handed over itself)
        self.base = {"child_id": v["child_id"], "source_row": excel_row}
        self.team: str = v.get("team") or ""
        self.worker: str = v.get("worker") or ""


@dataclass
class CanonicalRows:
    result: ReadResult
    children: dict[str, ChildInfo] = field(default_factory=dict)
    referrals: dict[tuple[str, dt.date], _Referral] = field(default_factory=dict)
    extra_referrals: list[dict] = field(default_factory=list)
    earliest_event: dt.date | None = None  # of any list: the window's start without lists 1-5

    def emit(self, log: IssueLog, spec: ListSpec, table: str, v: dict, excel_row: int) -> None:
        """The canonical rows of one good row of list `spec`."""
        number = spec.number
        if number == 11:
            return  # adopters are not children: counted, not stored
        row = _Row(log, table, v, excel_row)
        _BY_LIST[number](self, row)
        event = v.get(spec.event) if spec.event else None
        if isinstance(event, dt.date):
            self._widen_window(number, event)
        if row.team:
            self.result.add_row(
                "allocation",
                {
                    **row.base,
                    "team": row.team,
                    "worker": row.worker,
                    "start_date": event,
                    "end_date": None,
                },
            )
        self._merge_child(row, event)

    def _widen_window(self, number: int, event: dt.date) -> None:
        # Lists 1-5 hold only events inside the window; lists 6-10 also hold
        # cases opened long before it (a child looked after for years), so
        # they may move its end but not its start.
        result = self.result
        if self.earliest_event is None or event < self.earliest_event:
            self.earliest_event = event
        if number <= WINDOW_LISTS and (result.window_start is None or event < result.window_start):
            result.window_start = event
        if result.window_end is None or event > result.window_end:
            result.window_end = event

    # ---- one method per list ------------------------------------------------

    def _contacts(self, r: _Row) -> None:
        v = r.v
        self.result.add_row(
            "contact",
            {
                **r.base,
                "contact_date": v["contact_date"],
                "source": v.get("source") or "",
                "team": "",
            },
        )

    def _early_help(self, r: _Row) -> None:
        v = r.v
        self._check_order(
            r.log,
            r.table,
            r.excel_row,
            v.get("start_date"),
            v.get("end_date"),
            "assessment completion date",
        )
        self.result.add_row(
            "early_help",
            {
                **r.base,
                "start_date": v["start_date"],
                "end_date": v.get("end_date"),
                "organisation": v.get("organisation") or "",
            },
        )

    def _referral(self, r: _Row) -> None:
        v = r.v
        row = {
            **r.base,
            "referral_date": v["referral_date"],
            "source": v.get("source") or "",
            "primary_need": "",
            "closure_date": None,
            "closure_reason": "",
            "nfa": v.get("nfa"),
            "team": r.team,
            "worker": r.worker,
        }
        self._add_referral(row, from_list3=True)

    def _assessment(self, r: _Row) -> None:
        v = r.v
        self._check_order(
            r.log,
            r.table,
            r.excel_row,
            v.get("start_date"),
            v.get("authorised_date"),
            "authorisation date",
        )
        self.result.add_row(
            "assessment",
            {
                **r.base,
                "referral_date": None,
                "start_date": v["start_date"],
                "authorised_date": v.get("authorised_date"),
                "factors": "",
                "team": r.team,
                "worker": r.worker,
            },
        )

    def _s47(self, r: _Row) -> None:
        v = r.v
        self._check_order(
            r.log, r.table, r.excel_row, v.get("start_date"), v.get("icpc_date"), "ICPC date"
        )
        self.result.add_row(
            "s47",
            {
                **r.base,
                "referral_date": None,
                "start_date": v["start_date"],
                "icpc_target_date": None,
                "icpc_date": v.get("icpc_date"),
                "icpc_not_required": v.get("icpc_not_required"),
            },
        )

    def _child_in_need(self, r: _Row) -> None:
        v = r.v
        self._check_order(
            r.log,
            r.table,
            r.excel_row,
            v.get("cin_start_date"),
            v.get("closure_date"),
            "CIN closure date",
        )
        row = {
            **r.base,
            "referral_date": v["cin_start_date"],
            "source": "",
            "primary_need": v.get("primary_need") or "",
            "closure_date": v.get("closure_date"),
            "closure_reason": v.get("closure_reason") or "",
            "nfa": None,
            "team": r.team,
            "worker": r.worker,
        }
        self._add_referral(row, from_list3=False)

    def _cp_plan(self, r: _Row) -> None:
        v, add = r.v, self.result.add_row
        self._check_order(
            r.log, r.table, r.excel_row, v.get("start_date"), v.get("end_date"), "plan end date"
        )
        add(
            "cp_plan",
            {
                **r.base,
                "referral_date": None,
                "start_date": v["start_date"],
                "end_date": v.get("end_date"),
                "initial_category": v.get("initial_category") or "",
                "latest_category": v.get("latest_category") or "",
                "previous_plans": v.get("previous_plans"),
                "team": r.team,
                "worker": r.worker,
            },
        )
        if v.get("review_date"):
            add(
                "cp_review",
                {**r.base, "plan_start_date": v["start_date"], "review_date": v["review_date"]},
            )
        if v.get("last_visit_date"):
            add(
                "visit",
                {
                    **r.base,
                    "kind": "CP",
                    "visit_date": v["last_visit_date"],
                    "seen_alone": v.get("seen_alone"),
                },
            )

    def _looked_after(self, r: _Row) -> None:
        v, add = r.v, self.result.add_row
        self._check_order(
            r.log,
            r.table,
            r.excel_row,
            v.get("start_date"),
            v.get("end_date"),
            "date ceased to be looked after",
        )
        postcode = self._postcode(r.log, r.table, r.excel_row, v.get("placement_postcode") or "")
        urn = (v.get("urn") or "").upper()
        if len(urn) > 10:
            r.log.warning(
                "a URN longer than 10 characters; left empty",
                table=r.table,
                row=r.excel_row,
                column="URN of Placement",
                value=urn,
                code=Code.BAD_URN,
            )
            urn = ""
        add(
            "cla_episode",
            {
                **r.base,
                "start_date": v["start_date"],
                "reason_new_episode": "",
                "legal_status": v.get("legal_status") or "",
                "cin_category": v.get("cin_category") or "",
                "placement": v.get("placement") or "",
                "provider": v.get("provider") or "",
                "end_date": v.get("end_date"),
                "reason_ceased": v.get("reason_ceased") or "",
                "reason_place_change": "",
                "home_postcode": "",
                "placement_postcode": postcode,
                "urn": urn,
            },
        )
        if v.get("review_date"):
            add("cla_review", {**r.base, "review_date": v["review_date"], "review_code": ""})
        if v.get("last_visit_date"):
            add(
                "visit",
                {**r.base, "kind": "CLA", "visit_date": v["last_visit_date"], "seen_alone": None},
            )

    def _care_leaver(self, r: _Row) -> None:
        v = r.v
        accommodation = v.get("accommodation") or ""
        if accommodation and v.get("suitability"):
            accommodation += v["suitability"]
        self.result.add_row(
            "care_leaver",
            {
                **r.base,
                "birth_date": v.get("birth_date"),
                "in_touch": v.get("in_touch") or "",
                "activity": v.get("activity") or "",
                "accommodation": accommodation,
            },
        )

    def _adoption(self, r: _Row) -> None:
        v, add = r.v, self.result.add_row
        self._check_order(
            r.log,
            r.table,
            r.excel_row,
            v.get("decision_date"),
            v.get("ceased_date"),
            "date of the decision that the child should no longer be placed",
        )
        add(
            "placed_for_adoption",
            {
                **r.base,
                "birth_date": v.get("birth_date"),
                "placed_date": v["decision_date"],
                "ceased_date": v.get("ceased_date"),
                "reason_ceased": v.get("ceased_reason") or "",
            },
        )
        if v.get("adoption_order_date"):
            add(
                "adoption",
                {
                    **r.base,
                    "birth_date": v.get("birth_date"),
                    "decision_date": v["decision_date"],
                    "match_date": v.get("match_date"),
                    "foster_care": None,
                    "number_of_adopters": None,
                    "sex_of_adopters": "",
                    "legal_status_of_adopters": "",
                },
            )

    # ---- checks and merging ---------------------------------------------------

    def _check_order(self, log, table, excel_row, start, end, what: str) -> None:
        if start and end and end < start:
            log.warning(
                f"the {what} is before the start date",
                table=table,
                row=excel_row,
                value=end.isoformat(),
                code=Code.DATE_ORDER,
            )

    def _postcode(self, log: IssueLog, table: str, excel_row: int, text: str) -> str:
        postcode = placement_postcode(text)
        if postcode is not None:
            return postcode
        log.warning(
            "not a UK postcode; left empty",
            table=table,
            row=excel_row,
            column="Placement postcode",
            value=text,
            code=Code.BAD_POSTCODE,
            expected="a postcode such as AB1 2CD",
        )
        return ""

    def _add_referral(self, row: dict, *, from_list3: bool) -> None:
        key = (row["child_id"], row["referral_date"])
        held = self.referrals.get(key)
        if held is None:
            self.referrals[key] = _Referral(row, from_list3)
            return
        if held.from_list3 == from_list3:
            self.extra_referrals.append(row)  # two referrals on one day in the same list: keep both
            return
        list3, list6 = (held.row, row) if held.from_list3 else (row, held.row)
        merged = dict(list3)
        for name in ("primary_need", "closure_date", "closure_reason"):
            merged[name] = list6[name]
        for name in ("team", "worker"):
            merged[name] = list3[name] or list6[name]
        self.referrals[key] = _Referral(merged, True)

    def _merge_child(self, row: _Row, event: dt.date | None) -> None:
        get = row.v.get
        self.merge_children(
            row.log,
            row.table,
            [row.v["child_id"]],
            [row.excel_row],
            *([get(name)] for name in CHILD_DETAILS),
            [row.team],
            [row.worker],
            [event],
        )

    def merge_children(self, log: IssueLog, table: str, *columns: Sequence) -> None:
        """Each row's details into its child's one row (annex_a/children.py), in row order."""
        merge_children(self.children, log, table, *columns)

    def finish(self) -> None:
        """Hand over the rows held back: referrals (merged across lists) and one row per child."""
        if self.result.window_start is None:
            self.result.window_start = self.earliest_event
        held = [referral.row for referral in self.referrals.values()]
        add_dicts(self.result, "referral", held + self.extra_referrals)
        self.result.add_columns("child", child_rows(self.children))


_BY_LIST: dict[int, Callable[[CanonicalRows, _Row], None]] = {
    1: CanonicalRows._contacts,
    2: CanonicalRows._early_help,
    3: CanonicalRows._referral,
    4: CanonicalRows._assessment,
    5: CanonicalRows._s47,
    6: CanonicalRows._child_in_need,
    7: CanonicalRows._cp_plan,
    8: CanonicalRows._looked_after,
    9: CanonicalRows._care_leaver,
    10: CanonicalRows._adoption,
}

"""The scrutiny template (docs/scrutiny.md): its sheets, and checking a file into rows to store.

The file is read by the plan template's reader (xlsx workbook, yml mapping, or
a folder of csv files named after the sheets), so problems are located the
same way: sheet, row as the file numbers it, column (and letter), value.
Every problem in the file is collected; nothing is stored unless there are none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csc_scorecard.periods import PeriodError, PeriodKind, parse_period
from csc_scorecard.plans.rules import parse_day
from csc_scorecard.plans.template import Checker, PlanFileError, Problem, Row, Sheets, read_sheets
from csc_scorecard.scrutiny.status import TrackerStatus
from csc_scorecard.scrutiny.vocab import PAPER_TYPES

__all__ = ["SHEETS", "Links", "ParsedScrutiny", "ScrutinyFileError", "read_scrutiny_file",
           "validate_scrutiny"]

#: sheet -> columns, in order; a trailing * marks a required column
SHEETS: dict[str, tuple[str, ...]] = {
    "committees": ("committee*", "name*", "remit"),
    "meetings": ("committee*", "date*", "title", "location"),
    "work_programme": ("committee*", "meeting*", "order*", "title*", "paper_type*", "plan", "programme",
                       "report_kind", "period", "lead_member", "lead_officer", "notes"),
    "tracker": ("committee*", "meeting*", "item*", "agenda_item*", "plan", "programme", "action",
                "action_owner", "agreed_outcome*", "due_date", "completed_on", "status_override",
                "override_reason", "override_on"),
    "tracker_updates": ("committee*", "meeting*", "item*", "date*", "text*", "author"),
}
REQUIRED_SHEETS = ("committees", "meetings")
REPORT_KINDS = {"annual": PeriodKind.YEAR, "quarterly": PeriodKind.QUARTER}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ACTION = re.compile(r"^(\d+)\(([A-Za-z]+)\)(\S+)$")  # "1(A)ii", as Action.reference prints it


class ScrutinyFileError(PlanFileError):
    """Every located problem of a refused scrutiny file (nothing was imported)."""


@dataclass
class ParsedScrutiny:
    committees: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    work_programme: list[dict[str, Any]] = field(default_factory=list)
    tracker: list[dict[str, Any]] = field(default_factory=list)
    tracker_updates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Links:
    """The stored plans the file may link to: plan reference -> programmes and actions."""

    plans: dict[str, Any] = field(default_factory=dict)  # reference -> Plan
    programmes: dict[tuple[str, int], Any] = field(default_factory=dict)  # (plan ref, number) -> Programme
    actions: dict[tuple[str, str], Any] = field(default_factory=dict)  # (plan ref, "1(A)ii") -> Action

    @classmethod
    def stored(cls) -> Links:
        from csc_scorecard.plans.models import Action, Plan, Programme

        links = cls({p.reference: p for p in Plan.objects.all()})
        for prog in Programme.objects.select_related("plan"):
            links.programmes[(prog.plan.reference, prog.number)] = prog
        for action in Action.objects.select_related("objective__programme__plan"):
            links.actions[(action.objective.programme.plan.reference, action.reference)] = action
        return links


def read_scrutiny_file(path: Path | str, links: Links | None = None) -> ParsedScrutiny:
    """Read and check the whole file; raises :class:`ScrutinyFileError` listing every problem."""
    try:
        sheets = read_sheets(path, spec=SHEETS)
    except PlanFileError as exc:
        raise ScrutinyFileError(exc.source, exc.problems) from None
    return validate_scrutiny(sheets, links if links is not None else Links.stored())


def parse_date(value: object) -> dt.date:
    """One day: a date cell, 2025-01-20 or 20/01/2025 (a month alone, or 31 February, is refused)."""
    try:
        return parse_day(value)
    except ValueError:
        raise ValueError(f"not a date: {value!r}; expected a day such as 2025-01-20 or 20/01/2025") from None


def _day(check: Checker, row: Row, column: str, *, needed: bool = False) -> dt.date | None:
    if needed and not check.required(row, column):
        return None
    return check.parsed(row, column, parse_date)


class _Validator:
    def __init__(self, sheets: Sheets, links: Links) -> None:
        self.sheets = sheets
        self.links = links
        self.check = Checker(list(sheets.problems))
        self.out = ParsedScrutiny()
        self.committees: set[str] = set()
        self.meetings: set[tuple[str, dt.date]] = set()
        self.items: dict[tuple[str, dt.date, int], dt.date] = {}

    def rows(self, sheet: str) -> list[Row]:
        return self.sheets.rows.get(sheet, [])

    def committee(self, row: Row, *, declare: bool = False) -> str:
        slug = self.check.required(row, "committee")
        if slug and not _SLUG.match(slug):
            self.check.bad(row, "committee", "use lower-case letters, digits, - and _ only (e.g. children-families)")
        elif slug and not declare and slug not in self.committees:
            self.check.bad(row, "committee", "unknown committee (list it in the committees sheet)")
        return slug

    def meeting(self, row: Row, slug: str) -> dt.date | None:
        day = _day(self.check, row, "meeting", needed=True)
        if day is not None and slug in self.committees and (slug, day) not in self.meetings:
            self.check.bad(row, "meeting", f"no meeting of {slug} on this date (list it in the meetings sheet)")
        return day

    def plan_and_programme(self, row: Row) -> tuple[Any, Any]:
        plan_ref, number_text = row.text("plan"), row.text("programme")
        plan = None
        if plan_ref:
            plan = self.links.plans.get(plan_ref)
            if plan is None:
                known = ", ".join(sorted(self.links.plans)) or "none stored"
                self.check.bad(row, "plan", f"unknown plan (plans: {known})")
                return None, None
        if not number_text:
            return plan, None
        number = self.check.whole(row, "programme", 1)
        if number is None:
            return plan, None
        hits = [p for (ref, n), p in self.links.programmes.items() if n == number and (not plan_ref or ref == plan_ref)]
        if not hits:
            where = f" in plan {plan_ref}" if plan_ref else " in any stored plan"
            self.check.bad(row, "programme", f"unknown programme{where}")
            return plan, None
        if len(hits) > 1:
            self.check.bad(row, "programme", "is in several plans; name the plan in the plan column")
            return plan, None
        return hits[0].plan, hits[0]

    def action(self, row: Row, plan: Any, programme: Any) -> Any:
        ref = row.text("action")
        if not ref:
            return None
        if not _ACTION.match(ref):
            self.check.bad(row, "action", "expected an action reference such as 1(A)ii")
            return None
        hits = [a for (plan_ref, r), a in self.links.actions.items()
                if r == ref and (plan is None or plan_ref == plan.reference)]
        if len(hits) != 1:
            self.check.bad(row, "action", "unknown action" if not hits else
                           "is in several plans; name the plan in the plan column")
            return None
        found = hits[0]
        if programme is not None and found.objective.programme_id != programme.id:
            self.check.bad(row, "action", f"is not in programme {programme.number}")
        return found

    # ---- the sheets, in the order their keys are declared -----------------

    def run(self) -> ParsedScrutiny:
        if not self.sheets.rows and not self.check.problems:
            self.check.problems.append(Problem("(file)", None, "", "", "none of the template's sheets found "
                                               "(expected " + ", ".join(SHEETS) + ")"))
            raise ScrutinyFileError(self.sheets.source, self.check.problems)
        for sheet in REQUIRED_SHEETS:
            if sheet not in self.sheets.rows:
                self.check.problems.append(Problem(sheet, None, "", "", "sheet is missing"))
        self._committees()
        self._meetings()
        self._work_programme()
        self._tracker()
        self._updates()
        if self.check.problems:
            raise ScrutinyFileError(self.sheets.source, self.check.problems)
        return self.out

    def _committees(self) -> None:
        for row in self.rows("committees"):
            slug = self.committee(row, declare=True)
            if slug in self.committees:
                self.check.bad(row, "committee", "duplicate committee")
            self.committees.add(slug)
            self.out.committees.append({"slug": slug, "name": self.check.required(row, "name"),
                                        "remit": row.text("remit")})

    def _meetings(self) -> None:
        for row in self.rows("meetings"):
            slug = self.committee(row)
            day = _day(self.check, row, "date", needed=True)
            if day is not None and (slug, day) in self.meetings:
                self.check.bad(row, "date", f"a second meeting of {slug} on this date")
            if day is not None:
                self.meetings.add((slug, day))
            self.out.meetings.append({"committee": slug, "date": day, "title": row.text("title"),
                                      "location": row.text("location")})

    def _paper_type(self, row: Row) -> str:
        text = self.check.required(row, "paper_type")
        for value, label in PAPER_TYPES:
            if text.lower().replace(" ", "_") in (value, label.lower().replace(" ", "_")):
                return value
        if text:
            self.check.bad(row, "paper_type", "expected one of " + ", ".join(v for v, _ in PAPER_TYPES))
        return ""

    def _report(self, row: Row, paper_type: str) -> tuple[str, str]:
        kind, period_text = row.text("report_kind").lower(), row.text("period")
        if paper_type != "performance_report":
            if kind:
                self.check.bad(row, "report_kind", "only a performance_report has a report kind")
        elif not kind:
            self.check.bad(row, "report_kind", "a performance_report needs annual or quarterly")
        elif kind not in REPORT_KINDS:
            self.check.bad(row, "report_kind", "expected annual or quarterly")
        if paper_type == "performance_report" and not period_text:
            self.check.bad(row, "period", "a performance_report needs the period it reports (2024-25 or 2024-25-Q2)")
        if not period_text:
            return kind, ""
        try:
            period = parse_period(period_text)
        except PeriodError as exc:
            self.check.bad(row, "period", str(exc))
            return kind, ""
        if kind in REPORT_KINDS and period.kind is not REPORT_KINDS[kind]:
            self.check.bad(row, "period", ("an annual" if kind == "annual" else "a quarterly") + " report needs a "
                           + ("year (2024-25)" if kind == "annual" else "quarter (2024-25-Q2)"))
        return kind, period.label

    def _work_programme(self) -> None:
        seen: set[tuple[str, dt.date | None, int | None]] = set()
        for row in self.rows("work_programme"):
            slug = self.committee(row)
            day = self.meeting(row, slug)
            order = self.check.whole(row, "order", 1) if self.check.required(row, "order") else None
            if order is not None and (slug, day, order) in seen:
                self.check.bad(row, "order", "a second item with this order at this meeting")
            seen.add((slug, day, order))
            paper_type = self._paper_type(row)
            plan, programme = self.plan_and_programme(row)
            if paper_type == "highlight_report" and programme is None and not row.text("programme"):
                self.check.bad(row, "programme", "a highlight_report needs the programme it reports on")
            if paper_type in ("plan_summary", "plan_update") and plan is None and not row.text("plan"):
                self.check.bad(row, "plan", f"a {paper_type} needs the plan it reports on")
            kind, period = self._report(row, paper_type)
            self.out.work_programme.append({
                "committee": slug, "meeting": day, "order": order, "title": self.check.required(row, "title"),
                "paper_type": paper_type, "plan": plan, "programme": programme, "report_kind": kind,
                "period": period, "lead_member": row.text("lead_member"),
                "lead_officer": row.text("lead_officer"), "notes": row.text("notes"),
            })

    def _status(self, row: Row) -> str:
        word = row.text("status_override")
        reason = row.text("override_reason")
        if not word:
            if reason:
                self.check.bad(row, "override_reason", "a reason without a status override")
            return ""
        try:
            status = str(TrackerStatus.parse(word))
        except ValueError as exc:
            self.check.bad(row, "status_override", str(exc))
            return ""
        if not reason:
            self.check.bad(row, "override_reason", f"overriding the status to {status} needs a reason")
        return status

    def _tracker(self) -> None:
        for row in self.rows("tracker"):
            slug = self.committee(row)
            day = self.meeting(row, slug)
            number = self.check.whole(row, "item", 1) if self.check.required(row, "item") else None
            key = (slug, day, number)
            if number is not None and day is not None and key in self.items:
                self.check.bad(row, "item", "a second tracker item with this number at this meeting")
            plan, programme = self.plan_and_programme(row)
            action = self.action(row, plan, programme)
            if action is not None and programme is None:
                programme = action.objective.programme
            completed = _day(self.check, row, "completed_on")
            if completed is not None and day is not None and completed < day:
                self.check.bad(row, "completed_on", "is before the meeting that agreed the action")
            if number is not None and day is not None:
                self.items[key] = day  # type: ignore[index]
            self.out.tracker.append({
                "committee": slug, "meeting": day, "number": number,
                "agenda_item": self.check.required(row, "agenda_item"), "programme": programme,
                "action": action, "action_owner": row.text("action_owner"),
                "agreed_outcome": self.check.required(row, "agreed_outcome"),
                "due_date": _day(self.check, row, "due_date"), "completed_on": completed,
                "status_override": self._status(row), "override_reason": row.text("override_reason"),
                "override_on": _day(self.check, row, "override_on"),
            })

    def _updates(self) -> None:
        seen: set[tuple[Any, ...]] = set()
        for row in self.rows("tracker_updates"):
            slug = self.committee(row)
            day = self.meeting(row, slug)
            number = self.check.whole(row, "item", 1) if self.check.required(row, "item") else None
            if number is not None and day is not None and (slug, day) in self.meetings \
                    and (slug, day, number) not in self.items:
                self.check.bad(row, "item", "no such item in the tracker sheet for this meeting")
            when = _day(self.check, row, "date", needed=True)
            if when is not None and day is not None and when < day:
                self.check.bad(row, "date", "is before the meeting that agreed the action")
            text = self.check.required(row, "text")
            if (slug, day, number, when, text) in seen and text:
                self.check.bad(row, "text", "the same update twice")
            seen.add((slug, day, number, when, text))
            self.out.tracker_updates.append({"committee": slug, "meeting": day, "item": number, "date": when,
                                             "text": text, "author": row.text("author")})


def validate_scrutiny(sheets: Sheets, links: Links) -> ParsedScrutiny:
    """Every row of the file checked; raises :class:`ScrutinyFileError` with every problem."""
    return _Validator(sheets, links).run()

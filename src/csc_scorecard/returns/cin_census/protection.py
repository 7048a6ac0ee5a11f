"""Child protection under a referral: section 47 enquiries, child protection
plans and their reviews.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csc_scorecard.returns.cin_census.fields import FieldReader
from csc_scorecard.returns.cin_census.structure import (
    CP_PLAN,
    SECTION47,
    plural,
    review_elements,
)
from csc_scorecard.returns.cin_census.values import (
    ISO_EXPECTED,
    NOT_ISO,
    read_count,
    read_date,
)
from csc_scorecard.returns.cleaning import clean_text
from csc_scorecard.returns.issue_codes import Code


class ProtectionReader(FieldReader):
    def _section47(self, child_id: str, referral_date: dt.date, element: Any, seen: dict) -> None:
        table = "s47"
        line = element.sourceline
        kids = self._kids(element, "Section47", SECTION47)
        start = self._start_date(kids, "S47ActualStartDate", table, line, what="section 47 start date")
        if start is None:
            return
        target, _ = self._date(
            kids,
            "InitialCPCtarget",
            table,
            line,
            what="initial child protection conference target date",
        )
        icpc, _ = self._date(
            kids, "DateOfInitialCPC", table, line, what="initial child protection conference date"
        )
        not_required = self._flag(
            kids,
            "ICPCnotRequired",
            table,
            what="whether an initial conference was not required",
            required=True,
        )
        start_line = self._line(kids, "S47ActualStartDate")
        self._order(
            referral_date,
            start,
            table,
            "S47ActualStartDate",
            start_line,
            "the section 47 enquiry started before the referral",
            "on or after the referral date",
        )
        self._order(
            start,
            target,
            table,
            "InitialCPCtarget",
            self._line(kids, "InitialCPCtarget"),
            "the conference target date is before the section 47 enquiry started",
            "on or after the section 47 start date",
        )
        self._order(
            start,
            icpc,
            table,
            "DateOfInitialCPC",
            self._line(kids, "DateOfInitialCPC"),
            "the initial conference is dated before the section 47 enquiry started",
            "on or after the section 47 start date",
        )
        if not_required and icpc is not None:
            self.log.warning(
                "ICPCnotRequired says no initial conference was needed, yet a conference date is given",
                table=table,
                row=self._line(kids, "ICPCnotRequired"),
                column="ICPCnotRequired",
                value="1",
                code=Code.CONFLICT,
            )
        self._after_year(start, table, "S47ActualStartDate", start_line, "section 47 start date")
        self._after_year(
            icpc,
            table,
            "DateOfInitialCPC",
            self._line(kids, "DateOfInitialCPC"),
            "initial conference date",
        )
        self._duplicate(
            seen,
            ("s47", start),
            table,
            line,
            "another section 47 enquiry of this child starts on the same date",
        )
        self.result.add_row(
            table,
            {
                "child_id": child_id,
                "source_row": line,
                "referral_date": referral_date,
                "start_date": start,
                "icpc_target_date": target,
                "icpc_date": icpc,
                "icpc_not_required": not_required,
            },
        )

    def _cp_plan(self, child_id: str, referral_date: dt.date, element: Any, seen: dict) -> None:
        assert self.spec is not None
        table = "cp_plan"
        line = element.sourceline
        kids = self._kids(element, "ChildProtectionPlans", CP_PLAN)
        reviews = review_elements(kids)
        start = self._start_date(
            kids,
            "CPPstartDate",
            table,
            line,
            what="child protection plan start date",
            consequence=lambda: (
                f"; its {plural(len(reviews), 'review')} were set aside with it" if reviews else ""
            ),
        )
        if start is None:
            if reviews:
                self.result.quarantine("cp_review", len(reviews))
            return
        end, _ = self._date(kids, "CPPendDate", table, line, what="child protection plan end date")
        start_line, end_line = self._line(kids, "CPPstartDate"), self._line(kids, "CPPendDate")
        initial = self._code(
            kids,
            "InitialCategoryOfAbuse",
            "abuse_category",
            table,
            what="initial category of abuse",
        )
        latest = self._code(
            kids, "LatestCategoryOfAbuse", "abuse_category", table, what="latest category of abuse"
        )
        for name in ("InitialCategoryOfAbuse", "LatestCategoryOfAbuse"):
            if name not in kids:
                self.log.warning(
                    f"the plan's {name} is missing",
                    table=table,
                    row=line,
                    column=name,
                    code=Code.MISSING_VALUE,
                    expected=", ".join(self.spec.codes["abuse_category"]),
                )
        text, at = self._text(kids, "NumberOfPreviousCPP", table)
        previous = None
        if text:
            parsed = read_count(text)
            previous = parsed.value
            self.log.report(
                parsed,
                error=f"the number of previous plans is {parsed.error}; it was left blank",
                table=table,
                row=at,
                column="NumberOfPreviousCPP",
                value=text,
            )
        self._order(
            start,
            end,
            table,
            "CPPendDate",
            end_line,
            "the child protection plan ended before it started",
            "on or after the plan's start date",
        )
        self._after_year(
            start, table, "CPPstartDate", start_line, "child protection plan start date"
        )
        self._after_year(end, table, "CPPendDate", end_line, "child protection plan end date")
        self._before_year(end, table, "CPPendDate", end_line, "child protection plan end date")
        self._duplicate(
            seen,
            ("cp_plan", start),
            table,
            line,
            "another child protection plan of this child starts on the same date",
        )
        self.result.add_row(
            table,
            {
                "child_id": child_id,
                "source_row": line,
                "referral_date": referral_date,
                "start_date": start,
                "end_date": end,
                "initial_category": initial,
                "latest_category": latest,
                "previous_plans": previous,
            },
        )
        for review in reviews:
            self._review(child_id, start, end, review)

    def _review(
        self, child_id: str, plan_start: dt.date, plan_end: dt.date | None, element: Any
    ) -> None:
        table = "cp_review"
        line = element.sourceline
        text = clean_text(element.text)
        parsed = read_date(text)
        if not text or not parsed.ok or parsed.value is None:
            self.log.error(
                f"the review date is {'missing' if not text else parsed.error}, so this review cannot be used",
                table=table,
                row=line,
                column="CPPreviewDate",
                value=text,
                code=Code.MISSING_VALUE if not text else parsed.code,
                expected=ISO_EXPECTED,
            )
            self.result.quarantine(table)
            return
        when = parsed.value
        if parsed.warning == NOT_ISO:
            self._once_per_file(parsed, table=table, row=line, column="CPPreviewDate", value=text)
        self._order(
            plan_start,
            when,
            table,
            "CPPreviewDate",
            line,
            "the review is dated before the plan started",
            "on or after the plan's start date",
        )
        if plan_end is not None and when > plan_end:
            self.log.warning(
                "the review is dated after the plan ended",
                table=table,
                row=line,
                column="CPPreviewDate",
                value=when.isoformat(),
                code=Code.DATE_ORDER,
                expected="on or before the plan's end date",
            )
        self._after_year(when, table, "CPPreviewDate", line, "review date")
        self.result.add_row(
            table,
            {
                "child_id": child_id,
                "source_row": line,
                "plan_start_date": plan_start,
                "review_date": when,
            },
        )

"""One referral (<CINdetails>) and the children-in-need work under it:
assessments (with their factors) and CIN plans. Section 47 enquiries and
child protection plans are in protection.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from lxml import etree

from csc_scorecard.returns.cin_census.fields import FieldReader
from csc_scorecard.returns.cin_census.structure import (
    ASSESSMENT,
    CIN_DETAILS,
    CIN_PLAN,
    NOUNS,
    plural,
)
from csc_scorecard.returns.cin_census.values import (
    ISO_EXPECTED,
)
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import Severity


class ReferralReader(FieldReader):
    def _referral(
        self, child_id: str, cin: etree._Element, nested: Counter[str], seen: dict, child: dict
    ) -> None:
        """One <CINdetails>; `nested` is structure.nested_counts of it."""
        assert self.spec is not None
        table = "referral"
        line = cin.sourceline
        kids = self._kids(cin, "CINdetails", CIN_DETAILS)
        nested_other = {t: n for t, n in nested.items() if t != "referral" and n}

        def consequence() -> str:
            if not nested_other:
                return ""
            listed = ", ".join(plural(n, NOUNS[t]) for t, n in nested_other.items())
            return f"; its {listed} were set aside with it"

        referral_date, ok = self._date(
            kids,
            "CINreferralDate",
            table,
            line,
            what="referral date",
            required=True,
            consequence=consequence,
        )
        if not ok or referral_date is None:
            for t, n in nested.items():
                self.result.quarantine(t, n)
            return
        ref_line = self._line(kids, "CINreferralDate")
        self._after_year(referral_date, table, "CINreferralDate", ref_line, "referral date")
        self._duplicate(
            seen,
            ("referral", referral_date),
            table,
            line,
            "another referral of this child has the same referral date",
        )
        birth = child["birth_date"]
        if birth is not None and referral_date < birth - dt.timedelta(days=280):
            self.log.warning(
                "the referral date is long before the child was born",
                table=table,
                row=ref_line,
                column="CINreferralDate",
                value=referral_date.isoformat(),
                code=Code.DATE_ORDER,
                expected="no earlier than about 9 months before the date of birth",
            )

        death = child["death_date"]
        if death is not None and referral_date > death:
            self.log.warning(
                "the referral date is after the child's date of death",
                table=table,
                row=ref_line,
                column="CINreferralDate",
                value=referral_date.isoformat(),
                code=Code.DATE_ORDER,
                expected="on or before the date of death",
            )
        source = self._code(
            kids, "ReferralSource", "referral_source", table, what="referral source"
        )
        if "ReferralSource" not in kids:
            self.log.warning(
                "the referral source is missing",
                table=table,
                row=line,
                column="ReferralSource",
                code=Code.MISSING_VALUE,
                expected=", ".join(self.spec.codes["referral_source"]),
            )
        need = self._code(kids, "PrimaryNeedCode", "primary_need", table, what="primary need code")
        closure, _ = self._date(kids, "CINclosureDate", table, line, what="closure date")
        closure_line = self._line(kids, "CINclosureDate")
        reason = self._code(
            kids, "ReasonForClosure", "closure_reason", table, what="reason for closure"
        )
        self._order(
            referral_date,
            closure,
            table,
            "CINclosureDate",
            closure_line,
            "the case was closed before it was referred",
            "on or after the referral date",
        )
        self._after_year(closure, table, "CINclosureDate", closure_line, "closure date")
        self._before_year(closure, table, "CINclosureDate", closure_line, "closure date")
        if closure is not None and not reason:
            self.log.warning(
                "the case has a closure date but no valid reason for closure",
                table=table,
                row=closure_line,
                column="ReasonForClosure",
                code=Code.MISSING_VALUE,
                expected=", ".join(self.spec.codes["closure_reason"]),
            )
        if reason and closure is None:
            self.log.warning(
                "the case has a reason for closure but no closure date",
                table=table,
                row=self._line(kids, "ReasonForClosure"),
                column="CINclosureDate",
                value=reason,
                code=Code.MISSING_VALUE,
                expected=ISO_EXPECTED,
            )
        nfa = self._flag(
            kids,
            "ReferralNFA",
            table,
            what="whether the referral led to no further action",
            required=True,
        )
        if nfa and nested_other:
            self.log.warning(
                "ReferralNFA says the referral led to no further action, yet it has "
                + ", ".join(plural(n, NOUNS[t]) for t, n in nested_other.items()),
                table=table,
                row=self._line(kids, "ReferralNFA") or line,
                column="ReferralNFA",
                value="1",
                code=Code.CONFLICT,
            )
        self.result.add_row(
            table,
            {
                "child_id": child_id,
                "source_row": line,
                "referral_date": referral_date,
                "source": source,
                "primary_need": need,
                "closure_date": closure,
                "closure_reason": reason,
                "nfa": nfa,
            },
        )
        for element in kids.get("Assessments", []):
            self._assessment(child_id, referral_date, element, seen)
        plans = kids.get("CINPlanDates", [])
        if plans and not self.spec.modules.get("cin_plans"):
            self.once.add(
                ("module-early", "CINPlanDates"),
                Severity.INFO,
                f"<CINPlanDates> is not part of the {self.label} census (it is collected from 2021-22); "
                "the plans were read anyway",
                table="cin_plan",
                row=plans[0].sourceline,
                column="CINPlanDates",
                code=Code.ELEMENT_FOR_OTHER_YEAR,
            )
        for element in plans:
            self._cin_plan(child_id, referral_date, element, seen)
        for element in kids.get("Section47", []):
            self._section47(child_id, referral_date, element, seen)
        for element in kids.get("ChildProtectionPlans", []):
            self._cp_plan(child_id, referral_date, element, seen)

    def _assessment(self, child_id: str, referral_date: dt.date, element: Any, seen: dict) -> None:
        table = "assessment"
        line = element.sourceline
        kids = self._kids(element, "Assessments", ASSESSMENT)
        start = self._start_date(
            kids, "AssessmentActualStartDate", table, line, what="assessment start date"
        )
        if start is None:
            return
        start_line = self._line(kids, "AssessmentActualStartDate")
        authorised, _ = self._date(
            kids, "AssessmentAuthorisationDate", table, line, what="assessment authorisation date"
        )
        auth_line = self._line(kids, "AssessmentAuthorisationDate")
        self._order(
            referral_date,
            start,
            table,
            "AssessmentActualStartDate",
            start_line,
            "the assessment started before the referral",
            "on or after the referral date",
        )
        self._order(
            start,
            authorised,
            table,
            "AssessmentAuthorisationDate",
            auth_line,
            "the assessment was authorised before it started",
            "on or after the assessment start date",
        )
        self._after_year(
            start, table, "AssessmentActualStartDate", start_line, "assessment start date"
        )
        self._after_year(
            authorised,
            table,
            "AssessmentAuthorisationDate",
            auth_line,
            "assessment authorisation date",
        )
        self._duplicate(
            seen,
            ("assessment", referral_date, start),
            table,
            line,
            "another assessment in this referral has the same start date",
        )
        factors = self._factors(kids)
        if factors and authorised is None:
            self._early_factors(line)
        self.result.add_row(
            table,
            {
                "child_id": child_id,
                "source_row": line,
                "referral_date": referral_date,
                "start_date": start,
                "authorised_date": authorised,
                "factors": ",".join(factors),
            },
        )

    def _early_factors(self, line: int | None) -> None:
        self.once.add(
            ("factors-unauthorised",),
            Severity.INFO,
            "an assessment that is not yet authorised has factors recorded; factors are normally "
            "recorded when the assessment is authorised",
            table="assessment",
            row=line,
            column="FactorsIdentifiedAtAssessment",
            code=Code.EARLY_FACTORS,
        )

    def _factors(self, kids: dict) -> list[str]:
        codes: list[str] = []
        for holder in kids.get("FactorsIdentifiedAtAssessment", []):
            self._coded_items(
                holder,
                "FactorsIdentifiedAtAssessment",
                "AssessmentFactors",
                "assessment_factor",
                "assessment",
                what="assessment factor",
                codes=codes,
            )
        if codes:  # then there is a holder to point at
            self._drop_unless_alone(
                codes,
                "21",
                "factor 21 (no factors identified) is given together with other factors; 21 was dropped",
                table="assessment",
                row=kids["FactorsIdentifiedAtAssessment"][0].sourceline,
                column="AssessmentFactors",
                expected="21 on its own, or the factors identified",
            )
        return codes

    def _cin_plan(self, child_id: str, referral_date: dt.date, element: Any, seen: dict) -> None:
        table = "cin_plan"
        line = element.sourceline
        kids = self._kids(element, "CINPlanDates", CIN_PLAN)
        start = self._start_date(kids, "CINPlanStartDate", table, line, what="CIN plan start date")
        if start is None:
            return
        end, _ = self._date(kids, "CINPlanEndDate", table, line, what="CIN plan end date")
        start_line, end_line = (
            self._line(kids, "CINPlanStartDate"),
            self._line(kids, "CINPlanEndDate"),
        )
        self._order(
            referral_date,
            start,
            table,
            "CINPlanStartDate",
            start_line,
            "the CIN plan started before the referral",
            "on or after the referral date",
        )
        self._order(
            start,
            end,
            table,
            "CINPlanEndDate",
            end_line,
            "the CIN plan ended before it started",
            "on or after the plan's start date",
        )
        self._after_year(start, table, "CINPlanStartDate", start_line, "CIN plan start date")
        self._after_year(end, table, "CINPlanEndDate", end_line, "CIN plan end date")
        self._before_year(end, table, "CINPlanEndDate", end_line, "CIN plan end date")
        self._duplicate(
            seen,
            ("cin_plan", start),
            table,
            line,
            "another CIN plan of this child starts on the same date",
        )
        self.result.add_row(
            table,
            {
                "child_id": child_id,
                "source_row": line,
                "referral_date": referral_date,
                "start_date": start,
                "end_date": end,
            },
        )

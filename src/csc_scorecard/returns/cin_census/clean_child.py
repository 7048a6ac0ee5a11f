"""The short way through a clean <Child>: one with nothing to report.

Most children of a census are clean: the ordinary shape (shape.py), every
date and code a text the reader has already read without a problem, and no
check between the dates that would fire. For such a child the long way
(child.py, referral.py, protection.py) would build the same rows and report
nothing, through a few hundred calls; this builds them from the ChildShape
with dictionary look-ups of the values read before.

The short way never reports anything itself. It only accepts a child when
every check the long way makes is known to pass; at the first doubt it gives
up (returns False, having changed nothing) and the long way reads the child,
so every issue keeps its wording, location and order. The two things a clean
child can still trigger, an LAchildID seen before and factors on an
unauthorised assessment, are raised through the long way's own methods.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csc_scorecard.returns.cin_census.fields import MEMO_LIMIT, FieldReader
from csc_scorecard.returns.cin_census.shape import ChildShape
from csc_scorecard.returns.cin_census.structure import OLDEST_PLAUSIBLE_AGE
from csc_scorecard.returns.cin_census.values import code_key, read_count, read_date, valid_upn
from csc_scorecard.returns.cleaning import MAX_ID_CHARS, clean_text, parse_child_id

_DAYS_BEFORE_BIRTH = dt.timedelta(days=280)  # child.py's "long before the child was born"


class NotClean(Exception):
    """Something in the child needs the long way."""


class CleanChildReader(FieldReader):
    """Reads a ChildShape the short way (see the module's docstring)."""

    _fast_dates: dict[str | None, dt.date] | None = None  # set up at the first child

    def _start_clean_reading(self) -> None:
        # a field's text (shape.bare) -> the value the long way reads from it without an issue
        self._fast_dates = {}
        self._fast_codes: dict[str, dict[str | None, str]] = {}
        self._fast_sex: dict[str | None, str] = {}
        self._fast_counts: dict[str | None, int | None] = {}
        assert self.period is not None
        start = self.period[0]
        self._oldest_birth = dt.date(start.year - OLDEST_PLAUSIBLE_AGE - 1, start.month, start.day)
        self._oldest_expected = dt.date(start.year - 1, start.month, start.day)

    # -- values: the long way's own reading of a text, remembered by the text --

    def _date_of(self, raw: str | None) -> dt.date:
        """A date with nothing to report, where FieldReader._date or
        ProtectionReader._review reads it (read_date is pure: reading it here
        for the first time is reading it as they would)."""
        found = self._fast_dates.get(raw)  # type: ignore[union-attr]
        if found is None:
            text = clean_text(raw)
            found = self._clean_dates.get(text)
            if found is None:
                parsed = read_date(text)
                if parsed.value is None or parsed.error or parsed.warning:
                    raise NotClean
                found = parsed.value
            if len(self._fast_dates) < MEMO_LIMIT:  # type: ignore[arg-type]
                self._fast_dates[raw] = found  # type: ignore[index]
        return found

    def _code_of(self, raw: str | None, list_name: str) -> str:
        known = self._fast_codes.get(list_name)
        if known is None:
            known = self._fast_codes[list_name] = {}
        found = known.get(raw)
        if found is None:
            # FieldReader._check_code keeps there only valid, current codes
            found = self._clean_codes.get(list_name, {}).get(clean_text(raw))
            if found is None:
                raise NotClean
            if len(known) < MEMO_LIMIT:
                known[raw] = found
        return found

    def _sex_of(self, raw: str | None) -> str:
        found = self._fast_sex.get(raw)
        if found is None:
            found = self.sex_table.get(code_key(clean_text(raw)))
            if found is None:
                raise NotClean
            if len(self._fast_sex) < MEMO_LIMIT:
                self._fast_sex[raw] = found
        return found

    def _count_of(self, raw: str | None) -> int | None:
        if raw in self._fast_counts:
            return self._fast_counts[raw]
        text = clean_text(raw)
        value = None
        if text:
            parsed = read_count(text)
            if parsed.error or parsed.warning:
                raise NotClean
            value = parsed.value
        if len(self._fast_counts) < MEMO_LIMIT:
            self._fast_counts[raw] = value
        return value

    @staticmethod
    def _flag_of(raw: str | None) -> bool:
        text = raw if raw == "0" or raw == "1" else clean_text(raw)
        if text == "1":
            return True
        if text == "0":
            return False
        raise NotClean

    def _optional_date(self, fields: dict, name: str) -> dt.date | None:
        return self._date_of(fields[name]) if name in fields else None

    # -- the child --

    def _clean_child(self, shape: ChildShape) -> bool:
        """Store the child the short way if it is clean; False (nothing done) if not."""
        if self.period is None or self.spec is None:
            return False  # no collection year: the long way knows what is not checked then
        if self._fast_dates is None:
            self._start_clean_reading()
        try:
            rows, early_factors = self._clean_rows(shape)
        except NotClean:
            return False
        self.children += 1
        source_rows = self.source_rows
        source_rows["Child"] += 1
        for cin in shape.cins:
            source_rows["CINdetails"] += 1
            if cin.assessments:
                source_rows["Assessments"] += len(cin.assessments)
            if cin.plans:
                source_rows["CINPlanDates"] += len(cin.plans)
            if cin.s47s:
                source_rows["Section47"] += len(cin.s47s)
            if cin.cpps:  # the long way counts the reviews (maybe 0) whenever there is a plan
                source_rows["ChildProtectionPlans"] += len(cin.cpps)
                source_rows["CPPreviewDate"] += sum(len(plan[2]) for plan in cin.cpps)
        self._note_child_id(rows[0][1]["child_id"], shape.id_line)
        add_row = self.result.add_row
        for table, row in rows:
            add_row(table, row)
        for line in early_factors:
            self._early_factors(line)
        return True

    def _clean_rows(self, shape: ChildShape) -> tuple[list[tuple[str, dict]], list[int]]:
        assert self.spec is not None and self.period is not None
        ids = shape.ids
        if "LAchildID" not in ids or not shape.cins:
            raise NotClean
        child_id = ids["LAchildID"]
        # letters and digits only: nothing for parse_child_id to change or refuse
        if not (child_id and child_id.isascii() and child_id.isalnum() and len(child_id) <= MAX_ID_CHARS):
            parsed_id = parse_child_id(child_id)
            child_id = parsed_id.value
            if not child_id or parsed_id.error:
                raise NotClean
        upn = clean_text(ids.get("UPN")).upper()
        if upn and not valid_upn(upn):
            raise NotClean
        if "UPNunknown" in ids:
            if upn or self._code_of(ids["UPNunknown"], "upn_unknown") is None:
                raise NotClean
        birth = self._optional_date(ids, "PersonBirthDate")
        expected = self._optional_date(ids, "ExpectedPersonBirthDate")
        death = self._optional_date(ids, "PersonDeathDate")
        start, end = self.period
        if birth is None:
            if expected is None:
                raise NotClean
        elif birth > end or birth < self._oldest_birth or (death is not None and death < birth):
            raise NotClean
        if expected is not None and expected < self._oldest_expected:
            raise NotClean
        sex_element = self.spec.sex_element
        if sex_element not in ids or ("Sex" in ids and "GenderCurrent" in ids):
            raise NotClean
        sex = self._sex_of(ids[sex_element])
        chars = shape.chars
        if "Ethnicity" not in chars:
            raise NotClean
        ethnicity = self._code_of(chars["Ethnicity"], "ethnicity")
        disabilities = ""
        if shape.disabilities:
            codes: list[str] = []
            for raw, _ in shape.disabilities:
                code = self._code_of(raw, "disability")
                if code not in codes:
                    codes.append(code)
            if "NONE" in codes and len(codes) > 1:
                raise NotClean
            disabilities = ",".join(codes)
        rows: list[tuple[str, dict]] = [
            (
                "child",
                {
                    "child_id": child_id,
                    "source_row": shape.line,
                    "upn": upn,
                    "sex": sex,
                    "birth_date": birth,
                    "expected_birth_date": expected,
                    "death_date": death,
                    "ethnicity": ethnicity,
                    "disabilities": disabilities,
                },
            )
        ]
        early_factors: list[int] = []
        seen: set[tuple[Any, ...]] = set()
        for cin in shape.cins:
            self._clean_referral(child_id, cin, birth, death, seen, rows, early_factors)
        return rows, early_factors

    def _once_only(self, seen: set, key: tuple) -> None:
        """Two records of the child keyed alike (the long way's _duplicate warning)."""
        if key in seen:
            raise NotClean
        seen.add(key)

    def _clean_referral(
        self,
        child_id: str,
        cin: Any,
        birth: dt.date | None,
        death: dt.date | None,
        seen: set,
        rows: list,
        early_factors: list,
    ) -> None:
        assert self.spec is not None and self.period is not None
        first, last = self.period
        fields = cin.fields
        if "CINreferralDate" not in fields or "ReferralSource" not in fields:
            raise NotClean
        referral = self._date_of(fields["CINreferralDate"])
        if referral > last:
            raise NotClean
        if birth is not None and referral < birth - _DAYS_BEFORE_BIRTH:
            raise NotClean
        if death is not None and referral > death:
            raise NotClean
        self._once_only(seen, ("referral", referral))
        source = self._code_of(fields["ReferralSource"], "referral_source")
        need = self._code_of(fields["PrimaryNeedCode"], "primary_need") if "PrimaryNeedCode" in fields else ""
        closure = self._optional_date(fields, "CINclosureDate")
        reason = (
            self._code_of(fields["ReasonForClosure"], "closure_reason")
            if "ReasonForClosure" in fields
            else ""
        )
        if closure is None:
            if reason:
                raise NotClean
        elif closure < referral or closure > last or closure < first or not reason:
            raise NotClean
        if "ReferralNFA" not in fields:
            raise NotClean
        nfa = self._flag_of(fields["ReferralNFA"])
        if nfa and (cin.assessments or cin.plans or cin.s47s or cin.cpps):
            raise NotClean
        rows.append(
            (
                "referral",
                {
                    "child_id": child_id,
                    "source_row": cin.line,
                    "referral_date": referral,
                    "source": source,
                    "primary_need": need,
                    "closure_date": closure,
                    "closure_reason": reason,
                    "nfa": nfa,
                },
            )
        )
        for line, texts, factors in cin.assessments:
            self._clean_assessment(child_id, referral, line, texts, factors, seen, rows, early_factors)
        if cin.plans and not self.spec.modules.get("cin_plans"):
            raise NotClean
        for line, texts in cin.plans:
            begun = self._start_of(texts, "CINPlanStartDate", referral)
            ended = self._optional_date(texts, "CINPlanEndDate")
            if ended is not None and (ended < begun or ended > last or ended < first):
                raise NotClean
            self._once_only(seen, ("cin_plan", begun))
            rows.append(
                (
                    "cin_plan",
                    {
                        "child_id": child_id,
                        "source_row": line,
                        "referral_date": referral,
                        "start_date": begun,
                        "end_date": ended,
                    },
                )
            )
        for line, texts in cin.s47s:
            self._clean_section47(child_id, referral, line, texts, seen, rows)
        for plan in cin.cpps:
            self._clean_cp_plan(child_id, referral, plan, seen, rows)

    def _start_of(self, fields: dict, name: str, referral: dt.date) -> dt.date:
        """A record's start date: given, read before, not before the referral nor after the year."""
        if name not in fields:
            raise NotClean
        begun = self._date_of(fields[name])
        if begun < referral or begun > self.period[1]:  # type: ignore[index]
            raise NotClean
        return begun

    def _clean_assessment(
        self,
        child_id: str,
        referral: dt.date,
        line: int,
        texts: dict,
        factors: list,
        seen: set,
        rows: list,
        early_factors: list,
    ) -> None:
        begun = self._start_of(texts, "AssessmentActualStartDate", referral)
        authorised = self._optional_date(texts, "AssessmentAuthorisationDate")
        if authorised is not None and (authorised < begun or authorised > self.period[1]):  # type: ignore[index]
            raise NotClean
        self._once_only(seen, ("assessment", referral, begun))
        codes: list[str] = []
        for raw, _ in factors:
            code = self._code_of(raw, "assessment_factor")
            if code not in codes:
                codes.append(code)
        if "21" in codes and len(codes) > 1:
            raise NotClean
        if codes and authorised is None:
            early_factors.append(line)
        rows.append(
            (
                "assessment",
                {
                    "child_id": child_id,
                    "source_row": line,
                    "referral_date": referral,
                    "start_date": begun,
                    "authorised_date": authorised,
                    "factors": ",".join(codes),
                },
            )
        )

    def _clean_section47(
        self, child_id: str, referral: dt.date, line: int, texts: dict, seen: set, rows: list
    ) -> None:
        begun = self._start_of(texts, "S47ActualStartDate", referral)
        target = self._optional_date(texts, "InitialCPCtarget")
        icpc = self._optional_date(texts, "DateOfInitialCPC")
        if "ICPCnotRequired" not in texts:
            raise NotClean
        not_required = self._flag_of(texts["ICPCnotRequired"])
        if target is not None and target < begun:
            raise NotClean
        if icpc is not None and (icpc < begun or not_required or icpc > self.period[1]):  # type: ignore[index]
            raise NotClean
        self._once_only(seen, ("s47", begun))
        rows.append(
            (
                "s47",
                {
                    "child_id": child_id,
                    "source_row": line,
                    "referral_date": referral,
                    "start_date": begun,
                    "icpc_target_date": target,
                    "icpc_date": icpc,
                    "icpc_not_required": not_required,
                },
            )
        )

    def _clean_cp_plan(
        self, child_id: str, referral: dt.date, plan: tuple, seen: set, rows: list
    ) -> None:
        first, last = self.period  # type: ignore[misc]
        line, texts, reviews = plan
        if "CPPstartDate" not in texts:
            raise NotClean
        begun = self._date_of(texts["CPPstartDate"])  # the long way does not compare it with the referral
        if begun > last:
            raise NotClean
        ended = self._optional_date(texts, "CPPendDate")
        if ended is not None and (ended < begun or ended > last or ended < first):
            raise NotClean
        if "InitialCategoryOfAbuse" not in texts or "LatestCategoryOfAbuse" not in texts:
            raise NotClean
        initial = self._code_of(texts["InitialCategoryOfAbuse"], "abuse_category")
        latest = self._code_of(texts["LatestCategoryOfAbuse"], "abuse_category")
        previous = self._count_of(texts["NumberOfPreviousCPP"]) if "NumberOfPreviousCPP" in texts else None
        self._once_only(seen, ("cp_plan", begun))
        rows.append(
            (
                "cp_plan",
                {
                    "child_id": child_id,
                    "source_row": line,
                    "referral_date": referral,
                    "start_date": begun,
                    "end_date": ended,
                    "initial_category": initial,
                    "latest_category": latest,
                    "previous_plans": previous,
                },
            )
        )
        for raw, review_line in reviews:
            when = self._date_of(raw)
            if when < begun or when > last or (ended is not None and when > ended):
                raise NotClean
            rows.append(
                (
                    "cp_review",
                    {
                        "child_id": child_id,
                        "source_row": review_line,
                        "plan_start_date": begun,
                        "review_date": when,
                    },
                )
            )

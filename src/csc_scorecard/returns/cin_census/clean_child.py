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
from collections.abc import Callable
from functools import partial
from typing import Any

from csc_scorecard.returns.cin_census.fields import FieldReader
from csc_scorecard.returns.cin_census.shape import ChildShape
from csc_scorecard.returns.cin_census.structure import OLDEST_PLAUSIBLE_AGE
from csc_scorecard.returns.cin_census.values import code_key, read_count, read_date, valid_upn
from csc_scorecard.returns.cleaning import MAX_ID_CHARS, clean_text, parse_child_id
from csc_scorecard.returns.column_memo import CellMemo

_DAYS_BEFORE_BIRTH = dt.timedelta(days=280)  # child.py's "long before the child was born"


class NotClean(Exception):
    """Something in the child needs the long way."""


class _CodeMemos(dict):
    """code list name -> its CellMemo of texts read by `read(list_name, text)`."""

    __slots__ = ("read",)

    def __init__(self, read: Callable[[str, str | None], str]):
        super().__init__()
        self.read = read

    def __missing__(self, list_name: str) -> CellMemo:
        memo = self[list_name] = CellMemo(partial(self.read, list_name))
        return memo


class CleanChildReader(FieldReader):
    """Reads a ChildShape the short way (see the module's docstring)."""

    _dates: CellMemo | None = None  # set up at the first child

    def _start_clean_reading(self) -> None:
        # A field's text (shape.bare) -> the value the long way reads from it without an
        # issue, read the first time it is asked for (a text it would say something about
        # raises NotClean and is not remembered). A look-up that finds the text costs no
        # Python call; nearly all do: a census repeats a few hundred dates and codes.
        self._dates = CellMemo(self._read_date)
        self._codes = _CodeMemos(self._read_code)
        self._sexes = CellMemo(self._read_sex)
        self._counts = CellMemo(self._read_count)
        assert self.period is not None
        start = self.period[0]
        self._oldest_birth = dt.date(start.year - OLDEST_PLAUSIBLE_AGE - 1, start.month, start.day)
        self._oldest_expected = dt.date(start.year - 1, start.month, start.day)

    # -- values: the long way's own reading of a text --

    def _read_date(self, raw: str | None) -> dt.date:
        """A date with nothing to report, where FieldReader._date or
        ProtectionReader._review reads it (read_date is pure: reading it here
        for the first time is reading it as they would)."""
        text = clean_text(raw)
        found = self._clean_dates.get(text)
        if found is None:
            parsed = read_date(text)
            if parsed.value is None or parsed.error or parsed.warning:
                raise NotClean
            found = parsed.value
        return found

    def _read_code(self, list_name: str, raw: str | None) -> str:
        # FieldReader._check_code keeps there only valid, current codes
        found = self._clean_codes.get(list_name, {}).get(clean_text(raw))
        if found is None:
            raise NotClean
        return found

    def _read_sex(self, raw: str | None) -> str:
        found = self.sex_table.get(code_key(clean_text(raw)))
        if found is None:
            raise NotClean
        return found

    @staticmethod
    def _read_count(raw: str | None) -> int | None:
        text = clean_text(raw)
        if not text:
            return None
        parsed = read_count(text)
        if parsed.error or parsed.warning:
            raise NotClean
        return parsed.value

    @staticmethod
    def _flag_of(raw: str | None) -> bool:
        text = raw if raw == "0" or raw == "1" else clean_text(raw)
        if text == "1":
            return True
        if text == "0":
            return False
        raise NotClean

    def _optional_date(self, fields: dict, name: str) -> dt.date | None:
        return self._dates[fields[name]] if name in fields else None  # type: ignore[index]

    # -- the child --

    def _clean_child(self, shape: ChildShape) -> bool:
        """Store the child the short way if it is clean; False (nothing done) if not."""
        if self.period is None or self.spec is None:
            return False  # no collection year: the long way knows what is not checked then
        if self._dates is None:
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
            if upn or self._codes["upn_unknown"][ids["UPNunknown"]] is None:
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
        sex = self._sexes[ids[sex_element]]
        chars = shape.chars
        if "Ethnicity" not in chars:
            raise NotClean
        ethnicity = self._codes["ethnicity"][chars["Ethnicity"]]
        disabilities = ""
        if shape.disabilities:
            codes: list[str] = []
            for raw, _ in shape.disabilities:
                code = self._codes["disability"][raw]
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
        referral = self._dates[fields["CINreferralDate"]]
        if referral > last:
            raise NotClean
        if birth is not None and referral < birth - _DAYS_BEFORE_BIRTH:
            raise NotClean
        if death is not None and referral > death:
            raise NotClean
        self._once_only(seen, ("referral", referral))
        source = self._codes["referral_source"][fields["ReferralSource"]]
        need = self._codes["primary_need"][fields["PrimaryNeedCode"]] if "PrimaryNeedCode" in fields else ""
        closure = self._optional_date(fields, "CINclosureDate")
        reason = (
            self._codes["closure_reason"][fields["ReasonForClosure"]]
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
        begun = self._dates[fields[name]]
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
            code = self._codes["assessment_factor"][raw]
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
        begun = self._dates[texts["CPPstartDate"]]  # the long way does not compare it with the referral
        if begun > last:
            raise NotClean
        ended = self._optional_date(texts, "CPPendDate")
        if ended is not None and (ended < begun or ended > last or ended < first):
            raise NotClean
        if "InitialCategoryOfAbuse" not in texts or "LatestCategoryOfAbuse" not in texts:
            raise NotClean
        initial = self._codes["abuse_category"][texts["InitialCategoryOfAbuse"]]
        latest = self._codes["abuse_category"][texts["LatestCategoryOfAbuse"]]
        previous = self._counts[texts["NumberOfPreviousCPP"]] if "NumberOfPreviousCPP" in texts else None
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
            when = self._dates[raw]
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

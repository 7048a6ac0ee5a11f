"""One <Child>: the child row (ids, dates of birth and death, sex,
ethnicity, disabilities), then each of their referrals.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from lxml import etree

from csc_scorecard.returns.cin_census.fields import FieldReader
from csc_scorecard.returns.cin_census.structure import (
    CHARACTERISTICS,
    CHILD_PARTS,
    IDENTIFIERS,
    OLDEST_PLAUSIBLE_AGE,
    SEX_ELEMENTS,
    SOURCE_NAMES,
    nested_counts,
    plural,
)
from csc_scorecard.returns.cin_census.values import (
    ISO_EXPECTED,
    code_key,
    valid_upn,
)
from csc_scorecard.returns.cleaning import MAX_ID_CHARS, parse_child_id
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import Severity


class ChildReader(FieldReader):
    def _child(self, child: etree._Element) -> None:
        assert self.spec is not None
        self.children += 1
        self.source_rows["Child"] += 1
        line = child.sourceline
        parts = self._kids(child, "Child", CHILD_PARTS)
        identifiers = self._one(parts, "ChildIdentifiers", "child")
        characteristics = self._one(parts, "ChildCharacteristics", "child")
        details = parts.get("CINdetails", [])
        nested = [nested_counts(cin, self.kids_of) for cin in details]
        for counts in nested:
            self._count_source(counts)
        ids = (
            self._kids(identifiers, "ChildIdentifiers", IDENTIFIERS)
            if identifiers is not None
            else {}
        )
        child_id_text, id_line = self._text(ids, "LAchildID", "child")
        parsed_id = parse_child_id(child_id_text)
        child_id = parsed_id.value or ""
        if not child_id:
            held = Counter({"child": 1})
            for counts in nested:
                held += counts
            for table, n in held.items():
                self.result.quarantine(table, n)
            extra = sum(held.values()) - 1
            self.log.error(
                "the child has no LAchildID, so nothing recorded for this child can be used"
                + (f"; {plural(extra, 'record')} under it were set aside too" if extra else ""),
                table="child",
                row=id_line or line,
                column="LAchildID",
                code=Code.MISSING_VALUE,
                expected="the child's id in the LA's system",
            )
            return
        if parsed_id.error:  # too long: cut, so the child's records are still read
            self.log.report(
                parsed_id,
                error=f"the LAchildID is {parsed_id.error}; it was cut to {MAX_ID_CHARS}",
                table="child",
                row=id_line,
                column="LAchildID",
                value=child_id,
            )
            child_id = child_id[:MAX_ID_CHARS]
        self._note_child_id(child_id, id_line)
        if not details:
            self.log.warning(
                "the child has no <CINdetails>, so no referral is recorded for them",
                table="child",
                row=line,
                column="CINdetails",
                code=Code.MISSING_VALUE,
            )

        row = self._child_row(child_id, line, ids, characteristics)
        self.result.add_row("child", row)
        seen: dict = {}
        for cin, counts in zip(details, nested, strict=True):
            self._referral(child_id, cin, counts, seen, row)

    def _note_child_id(self, child_id: str, id_line: int | None) -> None:
        """Remember the id, and say so when an earlier child of the file had it."""
        if self.seen_ids.seen_before(child_id):
            self.log.warning(
                "this LAchildID was already used by an earlier child in this file; each child should "
                "appear once, with all their referrals under one <Child>",
                table="child",
                row=id_line,
                column="LAchildID",
                value=child_id,
                code=Code.DUPLICATE_CHILD,
            )

    def _count_source(self, nested: Counter[str]) -> None:
        """Count one <CINdetails> and what it holds (nested: its nested_counts)."""
        source_rows = self.source_rows
        source_rows["CINdetails"] += 1
        for table, n in nested.items():
            if table != "referral":
                source_rows[SOURCE_NAMES[table]] += n

    def _child_row(self, child_id: str, line: int | None, ids: dict, characteristics: Any) -> dict:
        assert self.spec is not None
        table = "child"
        upn, upn_line = self._text(ids, "UPN", table)
        upn = upn.upper()
        if upn and not valid_upn(upn):
            self.log.warning(
                "the UPN is not in the form of a unique pupil number"
                + ("; it was left blank" if len(upn) > 13 else ""),
                table=table,
                row=upn_line,
                column="UPN",
                value=upn,
                code=Code.BAD_UPN,
                expected="a letter, 11 digits, then a digit or letter (13 characters)",
            )
            if len(upn) > 13:
                upn = ""
        unknown = self._code(ids, "UPNunknown", "upn_unknown", table, what="reason for no UPN")
        if upn and unknown:
            self.log.warning(
                "the child has both a UPN and a reason for not having one (UPNunknown)",
                table=table,
                row=self._line(ids, "UPNunknown"),
                column="UPNunknown",
                value=unknown,
                code=Code.CONFLICT,
                expected="either UPN or UPNunknown",
            )

        birth, _ = self._date(ids, "PersonBirthDate", table, line, what="date of birth")
        expected_birth, _ = self._date(
            ids, "ExpectedPersonBirthDate", table, line, what="expected date of birth"
        )
        death, _ = self._date(ids, "PersonDeathDate", table, line, what="date of death")
        if birth is None and expected_birth is None:
            self.log.warning(
                "the child has neither a date of birth nor an expected date of birth",
                table=table,
                row=line,
                column="PersonBirthDate",
                code=Code.MISSING_VALUE,
                expected=ISO_EXPECTED,
            )
        if self.period is not None:
            start, end = self.period
            oldest = dt.date(start.year - OLDEST_PLAUSIBLE_AGE - 1, start.month, start.day)
            birth_line = self._line(ids, "PersonBirthDate")
            if birth is not None and birth > end:
                self._after_year(birth, table, "PersonBirthDate", birth_line, "date of birth")
            if birth is not None and birth < oldest:
                self.log.warning(
                    f"the date of birth makes the child older than {OLDEST_PLAUSIBLE_AGE} when the "
                    f"{self.label} collection year began",
                    table=table,
                    row=birth_line,
                    column="PersonBirthDate",
                    value=birth.isoformat(),
                    code=Code.IMPLAUSIBLE_DATE,
                    expected=f"on or after {oldest:%d/%m/%Y}",
                )
            if expected_birth is not None and expected_birth < dt.date(
                start.year - 1, start.month, start.day
            ):
                self.log.warning(
                    "the expected date of birth is more than a year before the collection year began",
                    table=table,
                    row=self._line(ids, "ExpectedPersonBirthDate"),
                    column="ExpectedPersonBirthDate",
                    value=expected_birth.isoformat(),
                    code=Code.IMPLAUSIBLE_DATE,
                )
        self._order(
            birth,
            death,
            table,
            "PersonDeathDate",
            self._line(ids, "PersonDeathDate"),
            "the date of death is before the date of birth",
            "on or after the date of birth",
        )

        sex = self._sex(ids, line)

        ethnicity = ""
        disabilities = ""
        if characteristics is None:
            self.log.warning(
                "the child has no <ChildCharacteristics> (ethnicity, disability)",
                table=table,
                row=line,
                column="ChildCharacteristics",
                code=Code.MISSING_VALUE,
            )
        else:
            chars = self._kids(characteristics, "ChildCharacteristics", CHARACTERISTICS)
            ethnicity = self._code(chars, "Ethnicity", "ethnicity", table, what="ethnicity code")
            if "Ethnicity" not in chars:
                self.log.warning(
                    "the child's ethnicity is missing",
                    table=table,
                    row=characteristics.sourceline,
                    column="Ethnicity",
                    code=Code.MISSING_VALUE,
                    expected=", ".join(self.spec.codes["ethnicity"]),
                )
            disabilities = self._disabilities(chars)
        return {
            "child_id": child_id,
            "source_row": line,
            "upn": upn,
            "sex": sex,
            "birth_date": birth,
            "expected_birth_date": expected_birth,
            "death_date": death,
            "ethnicity": ethnicity,
            "disabilities": disabilities,
        }

    def _sex(self, ids: dict, line: int | None) -> str:
        assert self.spec is not None
        table = "child"
        present = [name for name in SEX_ELEMENTS if name in ids]
        if not present:
            self.log.warning(
                f"the child's sex ({self.spec.sex_element}) is missing; stored as U (unknown)",
                table=table,
                row=line,
                column=self.spec.sex_element,
                code=Code.MISSING_VALUE,
                expected=", ".join(self.spec.sex_values),
            )
            return "U"
        name = self.spec.sex_element if self.spec.sex_element in present else present[0]
        if name != self.spec.sex_element:
            self.once.add(
                ("sex-element", name),
                Severity.WARNING,
                f"the child's sex is given in <{name}>, but the {self.label} census calls it "
                f"<{self.spec.sex_element}>; it was read anyway",
                table=table,
                row=self._line(ids, name),
                column=name,
                code=Code.ELEMENT_FOR_OTHER_YEAR,
                expected=f"<{self.spec.sex_element}>",
            )
        text, at = self._text(ids, name, table)
        key = code_key(text)
        if key in self.sex_table:
            return self.sex_table[key]
        if key in self.any_sex_table:
            value = self.any_sex_table[key]
            self.once.add(
                ("sex-coding", name, key),
                Severity.WARNING,
                f"sex {text!r} is in another year's coding; the {self.label} census uses "
                f"{', '.join(self.spec.sex_values)}; read as {value}",
                table=table,
                row=at,
                column=name,
                value=text,
                code=Code.CODE_NOT_THIS_YEAR,
                expected=", ".join(self.spec.sex_values),
            )
            return value
        self.log.warning(
            f"{text!r} is not a valid sex code for {self.label}; stored as U (unknown)",
            table=table,
            row=at,
            column=name,
            value=text,
            code=Code.BAD_CODE if text else "missing-value",
            expected=", ".join(self.spec.sex_values),
        )
        return "U"

    def _disabilities(self, chars: dict) -> str:
        holder = self._one(chars, "Disabilities", "child")
        if holder is None:
            return ""
        codes: list[str] = []
        self._coded_items(
            holder,
            "Disabilities",
            "Disability",
            "disability",
            "child",
            what="disability code",
            codes=codes,
        )
        self._drop_unless_alone(
            codes,
            "NONE",
            "disability NONE is given together with other disability codes; NONE was dropped",
            table="child",
            row=holder.sourceline,
            column="Disability",
            expected="NONE on its own, or one or more impairment codes",
        )
        return ",".join(codes)

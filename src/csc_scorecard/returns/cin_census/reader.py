"""The CIN census reader: one XML file in, canonical rows and located issues out.

The file is first checked whole (gate.check_file: no DTD, well-formed, a
CIN <Message>), then read as a stream: lxml's iterparse hands over one
<Child> at a time, which is turned into rows for the child, referral,
assessment, cin_plan, s47, cp_plan and cp_review tables and then cleared,
with its already-read siblings, so memory holds one child whatever the size
of the file.

Every issue names the table, the line of the element it is about (as
source_row: XML has lines where a spreadsheet has rows), the element's name
as the column, the value and what was expected. Rows that cannot be used
(no child id, no referral date, no start date) are quarantined with an
ERROR; suspicious ones are stored with a WARNING. Problems that would repeat
on every child (a whole file using an older element name, say) are reported
once with a count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

from lxml import etree

from csc_scorecard.returns.base import ReadResult, RowSink
from csc_scorecard.returns.cin_census import gate
from csc_scorecard.returns.cin_census.spec import (
    YearSpec,
    all_sex_values,
    spec_for,
    supported_years,
)
from csc_scorecard.returns.cin_census.values import (
    ISO_EXPECTED,
    NOT_ISO,
    code_key,
    code_table,
    collection_period,
    read_code,
    read_count,
    read_date,
    read_flag,
    valid_upn,
    year_ending_from_label,
    year_ending_of,
    year_label,
)
from csc_scorecard.returns.cleaning import Parsed, clean_child_id, clean_text
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import FileRejected, IssueLog, Severity

RETURN_TYPE = "cin_census"

# The elements each part of a child's record may hold (any year). Anything
# else is reported once per file and not read.
CHILD_PARTS = {"ChildIdentifiers", "ChildCharacteristics", "CINdetails"}
IDENTIFIERS = {
    "LAchildID",
    "UPN",
    "FormerUPN",
    "UPNunknown",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "GenderCurrent",
    "Sex",
    "PersonDeathDate",
}
CHARACTERISTICS = {"Ethnicity", "Disabilities"}
CIN_DETAILS = {
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "Assessments",
    "CINPlanDates",
    "Section47",
    "ReferralNFA",
    "ChildProtectionPlans",
}
ASSESSMENT = {
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
    "FactorsIdentifiedAtAssessment",
}
CIN_PLAN = {"CINPlanStartDate", "CINPlanEndDate"}
SECTION47 = {"S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"}
CP_PLAN = {
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
    "Reviews",
    "CPPreviews",
    "CPPreviewDate",
}
SEX_ELEMENTS = ("GenderCurrent", "Sex")
OLDEST_PLAUSIBLE_AGE = 25  # years at the start of the collection year


def read_cin_census(
    path: Path | str,
    *,
    year: str = "",
    la_code: str = "",
    sink: RowSink | None = None,
) -> ReadResult:
    """Read one CIN census XML file.

    `year` ("2024-25") overrides the collection year the header gives (a
    WARNING says so when they differ); `la_code` overrides Header/Source/LEA.
    Raises FileRejected, with the reason in words, for a file that cannot be
    used at all: empty, not XML, not a CIN census, a DTD, cut short.
    """
    path = Path(path)
    result = ReadResult(RETURN_TYPE, [path])
    if sink is not None:
        result.sink = sink
    gate.check_file(path)
    _CensusReader(path, result, year_override=year, la_override=la_code).run()
    return result.finish()


class _Once:
    """Issues that would repeat on every child, reported once with a count."""

    limit = 500

    def __init__(self) -> None:
        self.items: dict[tuple, list[Any]] = {}

    def add(self, key: tuple, severity: Severity, message: str, **where: Any) -> None:
        item = self.items.get(key)
        if item is not None:
            item[3] += 1
            return
        if len(self.items) >= self.limit:
            key = ("too-many-kinds",)
            if key in self.items:
                self.items[key][3] += 1
                return
            message = "further kinds of repeated problem were found but not listed"
            severity, where = Severity.WARNING, {"code": Code.TOO_MANY_ISSUES}
        self.items[key] = [severity, message, where, 1]

    def emit(self, log: IssueLog) -> None:
        for severity, message, where, count in self.items.values():
            if count > 1:
                message = f"{message} ({count} times in this file; the first is shown)"
            log.add(severity, message, **where)
        self.items.clear()


class _SeenIds:
    """Which child ids have been seen, in a fixed 1 MiB (a Bloom filter), so
    memory does not grow with the file. With 4 hashes over 8M bits the
    chance of a false 'seen before' is below one in a million up to 100,000
    children."""

    bits = 1 << 23

    def __init__(self) -> None:
        self.table = bytearray(self.bits // 8)

    def seen_before(self, text: str) -> bool:
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        seen = True
        for i in range(0, 16, 4):
            n = int.from_bytes(digest[i : i + 4], "little") & (self.bits - 1)
            byte, bit = n >> 3, 1 << (n & 7)
            if not self.table[byte] & bit:
                seen = False
                self.table[byte] |= bit
        return seen


def _kids_raw(element: etree._Element) -> dict[str, list[etree._Element]]:
    out: dict[str, list[etree._Element]] = {}
    for kid in element:
        name = gate.local_name(kid.tag)
        if name:
            out.setdefault(name, []).append(kid)
    return out


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}s"


class _CensusReader:
    def __init__(self, path: Path, result: ReadResult, *, year_override: str, la_override: str):
        self.path = path
        self.result = result
        self.log = result.log(path)
        self.once = _Once()
        self.seen_ids = _SeenIds()
        self.source_rows: Counter[str] = Counter()
        self.year_override = clean_text(year_override)
        self.la_override = clean_text(la_override)
        self.header_year: int | None = None
        self.header_year_text = ""
        self.header_la = ""
        self.header_line: int | None = None
        self.spec: YearSpec | None = None
        self.tables: dict[str, dict[str, str]] = {}
        self.period: tuple[dt.date, dt.date] | None = None
        self.children = 0

    # -- the stream ---------------------------------------------------------

    def run(self) -> None:
        events = etree.iterparse(
            str(self.path),
            events=("end",),
            tag=("{*}Header", "{*}Child"),
            remove_comments=True,
            remove_pis=True,
            **gate.SAFE_PARSER_OPTIONS,
        )
        try:
            for _, element in events:
                if gate.local_name(element.tag) == "Header":
                    parent = element.getparent()
                    if parent is not None and parent.getparent() is None:
                        self._header(element)
                    continue
                if self.spec is None:
                    self._settle_year()
                self._child(element)
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:  # the file changed after it was checked
            raise FileRejected(
                self.path.name,
                f"the XML broke at line {exc.lineno} while being read ({gate.clean_parser_message(exc)}); "
                "nothing from this file was stored",
            ) from None
        if self.spec is None:
            self._settle_year()
        if self.children == 0:
            self.log.warning(
                "the file holds no <Child> records, so nothing was read from it",
                table="Children",
                code=Code.NO_ROWS,
            )
        self._settle_la()
        for name, n in sorted(self.source_rows.items()):
            self.result.source_rows[name] = n
        self.once.emit(self.log)

    # -- header, year and LA ------------------------------------------------

    def _header(self, header: etree._Element) -> None:
        self.header_line = header.sourceline
        parts = _kids_raw(header)
        details = _kids_raw(parts["CollectionDetails"][0]) if "CollectionDetails" in parts else {}
        year_el = details.get("Year", [None])[0]
        ref_el = details.get("ReferenceDate", [None])[0]
        from_year = from_ref = None
        year_text = clean_text(year_el.text) if year_el is not None else ""
        ref_text = clean_text(ref_el.text) if ref_el is not None else ""
        if year_text:
            if year_text.isdigit() and len(year_text) == 4 and 2000 <= int(year_text) <= 2100:
                from_year = int(
                    year_text
                )  # "Year 2025" is the census of the year ending 31/03/2025
            else:
                self.log.warning(
                    "the header's collection Year is not a year; it was ignored",
                    table="Header",
                    row=year_el.sourceline,
                    column="Year",
                    value=year_text,
                    code=Code.BAD_YEAR,
                    expected="a four-digit year such as 2025",
                )
        ref_date = None
        if ref_text:
            parsed = read_date(ref_text)
            if parsed.ok and parsed.value is not None:
                ref_date = parsed.value
                from_ref = year_ending_of(ref_date)
            else:
                self.log.warning(
                    "the header's ReferenceDate is not a date; it was ignored",
                    table="Header",
                    row=ref_el.sourceline,
                    column="ReferenceDate",
                    value=ref_text,
                    code=Code.BAD_DATE,
                    expected=ISO_EXPECTED,
                )
        census_day = ref_date is not None and (ref_date.month, ref_date.day) == (3, 31)
        if ref_date is not None and not census_day:
            self.log.warning(
                "the header's ReferenceDate is not 31 March, the census date",
                table="Header",
                row=ref_el.sourceline,
                column="ReferenceDate",
                value=ref_text,
                code=Code.BAD_DATE,
                expected="31 March of the year the collection ends",
            )
        if from_year and from_ref and from_year != from_ref:
            chosen = from_ref if census_day or not from_year else from_year
            self.log.warning(
                f"the header disagrees with itself: Year {from_year} means {year_label(from_year)} but "
                f"ReferenceDate {ref_text} falls in {year_label(from_ref)}; {year_label(chosen)} was used "
                f"(the {'ReferenceDate' if chosen == from_ref else 'Year'}"
                f"{', a 31 March census date' if chosen == from_ref else ', as the ReferenceDate is not a census date'})",
                table="Header",
                row=self.header_line,
                column="ReferenceDate",
                value=ref_text,
                code=Code.YEAR_MISMATCH,
            )
            self.header_year = chosen
        else:
            self.header_year = from_ref or from_year
        self.header_year_text = ref_text or year_text

        sources = parts.get("Source", [])
        if sources:
            lea_els = _kids_raw(sources[0]).get("LEA", [])
            if lea_els:
                lea = clean_child_id(lea_els[0].text)
                if lea.isdigit() and len(lea) == 3:
                    self.header_la = lea
                else:
                    self.log.warning(
                        "the header's LEA is not a three-digit local authority code; it was ignored",
                        table="Header",
                        row=lea_els[0].sourceline,
                        column="LEA",
                        value=lea,
                        code=Code.BAD_CODE,
                        expected="a three-digit DfE LA code, e.g. 933",
                    )
        if self.spec is not None:  # a header after the children: too late to choose the code lists
            if (
                self.header_year
                and self.result.year
                and year_label(self.header_year) != self.result.year
            ):
                self.log.warning(
                    f"the header comes after the children and names {year_label(self.header_year)}; "
                    f"the children were checked against {self.result.year}",
                    table="Header",
                    row=self.header_line,
                    code=Code.YEAR_MISMATCH,
                )

    def _settle_year(self) -> None:
        chosen = self.header_year
        if self.year_override:
            override = year_ending_from_label(self.year_override)
            if override is None:
                self.log.warning(
                    "the collection year given for this file was not understood and was ignored",
                    table="Header",
                    value=self.year_override,
                    code=Code.BAD_YEAR,
                    expected="a collection year such as 2024-25",
                )
            else:
                if self.header_year and self.header_year != override:
                    self.log.warning(
                        f"the file's header says {year_label(self.header_year)} but it was loaded as "
                        f"{year_label(override)}, as instructed",
                        table="Header",
                        row=self.header_line,
                        column="ReferenceDate",
                        value=self.header_year_text,
                        code=Code.YEAR_MISMATCH,
                        expected=year_label(override),
                    )
                chosen = override
        first, last = supported_years()
        if chosen is None:
            self.log.warning(
                f"the collection year is not in the header and was not given; codes were checked "
                f"against the {year_label(last)} lists and no dates against a collection year",
                table="Header",
                row=self.header_line,
                code=Code.YEAR_UNKNOWN,
            )
            self.spec = spec_for(last)
        else:
            self.result.year = year_label(chosen)
            self.period = collection_period(chosen)
            if chosen < first or chosen > last:
                nearest = min(max(chosen, first), last)
                self.log.warning(
                    f"this reader knows the census from {year_label(first)} to {year_label(last)}; "
                    f"{year_label(chosen)} was checked against the {year_label(nearest)} code lists",
                    table="Header",
                    row=self.header_line,
                    code=Code.YEAR_UNSUPPORTED,
                )
                self.spec = spec_for(nearest)
            else:
                self.spec = spec_for(chosen)
        self.tables = {name: code_table(self.spec.accepted(name)) for name in self.spec.codes}
        self.sex_table = {code_key(k): v for k, v in self.spec.sex_values.items()}
        self.any_sex_table = {code_key(k): v for k, v in all_sex_values().items()}

    def _settle_la(self) -> None:
        if self.la_override:
            if self.header_la and self.header_la != self.la_override:
                self.log.warning(
                    f"the file's header names LA {self.header_la} but it was loaded for LA "
                    f"{self.la_override}, as instructed",
                    table="Header",
                    column="LEA",
                    value=self.header_la,
                    code=Code.LA_MISMATCH,
                )
            self.result.la_code = self.la_override
        else:
            self.result.la_code = self.header_la

    # -- small helpers ------------------------------------------------------

    @property
    def label(self) -> str:
        return self.spec.label if self.spec else ""

    def _kids(self, element: etree._Element, part: str, known: set[str]) -> dict[str, list]:
        kids = _kids_raw(element)
        for name in kids:
            if name not in known:
                self.once.add(
                    ("unknown", part, name),
                    Severity.INFO,
                    f"<{name}> inside <{part}> is not part of the CIN census this reader knows; it was not read",
                    table=part,
                    row=kids[name][0].sourceline,
                    column=name,
                    code=Code.EXTRA_ELEMENT,
                )
        return kids

    def _one(self, kids: dict, name: str, table: str) -> etree._Element | None:
        found = kids.get(name)
        if not found:
            return None
        if len(found) > 1:
            self.once.add(
                ("repeated", table, name),
                Severity.WARNING,
                f"<{name}> appears more than once in one record; the first was used",
                table=table,
                row=found[1].sourceline,
                column=name,
                code=Code.REPEATED_ELEMENT,
            )
        return found[0]

    def _text(self, kids: dict, name: str, table: str) -> tuple[str, int | None]:
        element = self._one(kids, name, table)
        if element is None:
            return "", None
        return clean_text(element.text), element.sourceline

    def _date(
        self,
        kids: dict,
        name: str,
        table: str,
        line: int | None,
        *,
        what: str,
        required: bool = False,
        consequence: str = "",
    ) -> tuple[dt.date | None, bool]:
        """(date or None, usable). Unusable only when required and missing or unreadable."""
        text, at = self._text(kids, name, table)
        if not text:
            if required:
                self.log.error(
                    f"the {what} is missing, so this record cannot be used{consequence}",
                    table=table,
                    row=at or line,
                    column=name,
                    code=Code.MISSING_VALUE,
                    expected=ISO_EXPECTED,
                )
                return None, False
            return None, True
        parsed = read_date(text)
        where = {"table": table, "row": at, "column": name, "value": text}
        if not parsed.ok:
            if required:
                self.log.report(
                    parsed,
                    fatal=True,
                    error=f"the {what} is {parsed.error}, so this record cannot be used{consequence}",
                    **where,
                )
                return None, False
            self.log.report(parsed, error=f"the {what} is {parsed.error}; it was left blank", **where)
            return None, True
        if parsed.warning == NOT_ISO:
            self._once_per_file(parsed, **where)
        else:
            self.log.report(parsed, warning=f"the {what}: {parsed.warning}", **where)
        return parsed.value, True

    def _once_per_file(self, parsed: Parsed, **where: Any) -> None:
        """A date not written the schema's way: said once per file, with a count."""
        self.once.add(
            ("not-iso",),
            Severity.INFO,
            parsed.warning,
            code=parsed.warning_code,
            expected=parsed.expected,
            **where,
        )

    def _code(self, kids: dict, name: str, list_name: str, table: str, *, what: str) -> str:
        text, at = self._text(kids, name, table)
        if not text:
            return ""
        return self._check_code(text, at, name, list_name, table, what=what)

    def _check_code(
        self, text: str, at: int | None, name: str, list_name: str, table: str, *, what: str
    ) -> str:
        assert self.spec is not None
        parsed = read_code(text, self.tables[list_name])
        if parsed.ok and parsed.value is not None:
            why = self.spec.retired.get(list_name, {}).get(parsed.value)
            if why:
                self.once.add(
                    ("retired", list_name, parsed.value),
                    Severity.WARNING,
                    f"{what} {parsed.value} is no longer used in {self.label}: {why}; stored as given",
                    table=table,
                    row=at,
                    column=name,
                    value=text,
                    code=Code.RETIRED_CODE,
                    expected=", ".join(self.spec.codes[list_name]),
                )
            return parsed.value
        hint = self.spec.when_valid(list_name, code_key(text))
        if not parsed.error:  # nothing left of the text once spaces are taken out
            parsed = Parsed(error="not a valid code", code=Code.BAD_CODE)
        self.log.report(
            parsed,
            error=f"{text!r} is not a valid {what} for {self.label}{f' ({hint})' if hint else ''}; it was left blank",
            table=table,
            row=at,
            column=name,
            value=text,
            expected=", ".join(self.spec.codes[list_name]),
        )
        return ""

    def _flag(self, kids: dict, name: str, table: str, *, what: str, required: bool) -> bool | None:
        text, at = self._text(kids, name, table)
        if not text:
            if required:
                self.log.warning(
                    f"{what} ({name}) is missing; it was left blank",
                    table=table,
                    row=at,
                    column=name,
                    code=Code.MISSING_VALUE,
                    expected="0 or 1",
                )
            return None
        parsed = read_flag(text)
        if not parsed.ok:
            self.log.report(
                parsed,
                error=f"{what} is not a yes/no value; it was left blank",
                table=table,
                row=at,
                column=name,
                value=text,
            )
            return None
        if parsed.warning:
            self.once.add(
                ("flag-words", name),
                Severity.INFO,
                f"{name} is written as {text!r} where the schema asks for 0 or 1; read as "
                f"{'1 (yes)' if parsed.value else '0 (no)'}",
                table=table,
                row=at,
                column=name,
                value=text,
                code=parsed.warning_code,
                expected=parsed.expected,
            )
        return parsed.value

    def _after_year(
        self, when: dt.date | None, table: str, column: str, at: int | None, what: str
    ) -> None:
        if when is not None and self.period is not None and when > self.period[1]:
            self.log.warning(
                f"the {what} is after the end of the {self.label} collection year",
                table=table,
                row=at,
                column=column,
                value=when.isoformat(),
                code=Code.DATE_AFTER_YEAR,
                expected=f"on or before {self.period[1]:%d/%m/%Y}",
            )

    def _before_year(
        self, when: dt.date | None, table: str, column: str, at: int | None, what: str
    ) -> None:
        if when is not None and self.period is not None and when < self.period[0]:
            self.log.warning(
                f"the {what} is before the {self.label} collection year began, so the census should not include it",
                table=table,
                row=at,
                column=column,
                value=when.isoformat(),
                code=Code.DATE_BEFORE_YEAR,
                expected=f"on or after {self.period[0]:%d/%m/%Y}",
            )

    def _order(
        self,
        first: dt.date | None,
        second: dt.date | None,
        table: str,
        column: str,
        at: int | None,
        message: str,
        expected: str,
    ) -> None:
        if first is not None and second is not None and second < first:
            self.log.warning(
                message,
                table=table,
                row=at,
                column=column,
                value=second.isoformat(),
                code=Code.DATE_ORDER,
                expected=expected,
            )

    def _line(self, kids: dict, name: str) -> int | None:
        found = kids.get(name)
        return found[0].sourceline if found else None

    def _duplicate(self, seen: dict, key: tuple, table: str, at: int | None, message: str) -> None:
        if key in seen:
            self.log.warning(
                f"{message} (the other is at line {seen[key]})",
                table=table,
                row=at,
                code=Code.DUPLICATE,
            )
        else:
            seen[key] = at

    # -- one child ------------------------------------------------------------

    def _child(self, child: etree._Element) -> None:
        assert self.spec is not None
        self.children += 1
        self.source_rows["Child"] += 1
        line = child.sourceline
        parts = self._kids(child, "Child", CHILD_PARTS)
        identifiers = self._one(parts, "ChildIdentifiers", "child")
        characteristics = self._one(parts, "ChildCharacteristics", "child")
        details = parts.get("CINdetails", [])
        for cin in details:
            self._count_source(cin)
        ids = (
            self._kids(identifiers, "ChildIdentifiers", IDENTIFIERS)
            if identifiers is not None
            else {}
        )
        child_id_text, id_line = self._text(ids, "LAchildID", "child")
        child_id = clean_child_id(child_id_text)
        if not child_id:
            held = Counter({"child": 1})
            for cin in details:
                held += _nested_counts(cin)
            for table, n in held.items():
                self.result.quarantine(table, n)
            extra = sum(held.values()) - 1
            self.log.error(
                "the child has no LAchildID, so nothing recorded for this child can be used"
                + (f"; {_plural(extra, 'record')} under it were set aside too" if extra else ""),
                table="child",
                row=id_line or line,
                column="LAchildID",
                code=Code.MISSING_VALUE,
                expected="the child's id in the LA's system",
            )
            return
        if len(child_id) > 50:
            self.log.warning(
                "the LAchildID is longer than 50 characters; it was cut to 50",
                table="child",
                row=id_line,
                column="LAchildID",
                value=child_id,
                code=Code.BAD_ID,
            )
            child_id = child_id[:50]
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
        for cin in details:
            self._referral(child_id, cin, seen, row)

    def _count_source(self, cin: etree._Element) -> None:
        self.source_rows["CINdetails"] += 1
        for table, n in _nested_counts(cin).items():
            if table != "referral":
                self.source_rows[_SOURCE_NAMES[table]] += n

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

    def _coded_items(
        self,
        holder: etree._Element,
        part: str,
        item: str,
        list_name: str,
        table: str,
        *,
        what: str,
        codes: list[str],
    ) -> None:
        """Add the valid codes of the <item> elements inside holder (<part>) to codes, each once.

        Other elements are reported once per file (INFO) and not read; blank ones are skipped.
        """
        for element in holder:
            name = gate.local_name(element.tag)
            if not name:
                continue
            if name != item:
                self.once.add(
                    ("unknown", part, name),
                    Severity.INFO,
                    f"<{name}> inside <{part}> is not part of the CIN census; it was not read",
                    table=table,
                    row=element.sourceline,
                    column=name,
                    code=Code.EXTRA_ELEMENT,
                )
                continue
            text = clean_text(element.text)
            if not text:
                continue
            code = self._check_code(text, element.sourceline, item, list_name, table, what=what)
            if code and code not in codes:
                codes.append(code)

    def _drop_unless_alone(
        self,
        codes: list[str],
        alone: str,
        message: str,
        *,
        table: str,
        row: int | None,
        column: str,
        expected: str,
    ) -> None:
        """A code that means "none of the others" (alone) given with other codes: warn and drop it."""
        if alone in codes and len(codes) > 1:
            self.log.warning(
                message,
                table=table,
                row=row,
                column=column,
                value=",".join(codes),
                code=Code.CONFLICT,
                expected=expected,
            )
            codes.remove(alone)

    # -- one referral (CINdetails) and what hangs off it -----------------------

    def _referral(self, child_id: str, cin: etree._Element, seen: dict, child: dict) -> None:
        assert self.spec is not None
        table = "referral"
        line = cin.sourceline
        kids = self._kids(cin, "CINdetails", CIN_DETAILS)
        nested = _nested_counts(cin)
        nested_other = {t: n for t, n in nested.items() if t != "referral" and n}
        consequence = ""
        if nested_other:
            listed = ", ".join(_plural(n, _NOUNS[t]) for t, n in nested_other.items())
            consequence = f"; its {listed} were set aside with it"
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
                + ", ".join(_plural(n, _NOUNS[t]) for t, n in nested_other.items()),
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
        start, ok = self._date(
            kids,
            "AssessmentActualStartDate",
            table,
            line,
            what="assessment start date",
            required=True,
        )
        if not ok or start is None:
            self.result.quarantine(table)
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
            self.once.add(
                ("factors-unauthorised",),
                Severity.INFO,
                "an assessment that is not yet authorised has factors recorded; factors are normally "
                "recorded when the assessment is authorised",
                table=table,
                row=line,
                column="FactorsIdentifiedAtAssessment",
                code=Code.EARLY_FACTORS,
            )
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
        start, ok = self._date(
            kids, "CINPlanStartDate", table, line, what="CIN plan start date", required=True
        )
        if not ok or start is None:
            self.result.quarantine(table)
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

    def _section47(self, child_id: str, referral_date: dt.date, element: Any, seen: dict) -> None:
        table = "s47"
        line = element.sourceline
        kids = self._kids(element, "Section47", SECTION47)
        start, ok = self._date(
            kids, "S47ActualStartDate", table, line, what="section 47 start date", required=True
        )
        if not ok or start is None:
            self.result.quarantine(table)
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
        reviews = _review_elements(kids)
        consequence = (
            f"; its {_plural(len(reviews), 'review')} were set aside with it" if reviews else ""
        )
        start, ok = self._date(
            kids,
            "CPPstartDate",
            table,
            line,
            what="child protection plan start date",
            required=True,
            consequence=consequence,
        )
        if not ok or start is None:
            self.result.quarantine(table)
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


_NOUNS = {
    "referral": "referral",
    "assessment": "assessment",
    "cin_plan": "CIN plan",
    "s47": "section 47 enquiry",
    "cp_plan": "child protection plan",
    "cp_review": "review",
}
_SOURCE_NAMES = {
    "assessment": "Assessments",
    "cin_plan": "CINPlanDates",
    "s47": "Section47",
    "cp_plan": "ChildProtectionPlans",
    "cp_review": "CPPreviewDate",
}
_NESTED = {
    "Assessments": "assessment",
    "CINPlanDates": "cin_plan",
    "Section47": "s47",
    "ChildProtectionPlans": "cp_plan",
}


def _review_elements(kids: dict) -> list:
    found = list(kids.get("CPPreviewDate", []))
    for holder_name in ("Reviews", "CPPreviews"):
        for holder in kids.get(holder_name, []):
            found.extend(e for e in holder if gate.local_name(e.tag) == "CPPreviewDate")
    return found


def _nested_counts(cin: etree._Element) -> Counter[str]:
    """Rows a CINdetails would give, by table (itself included as one referral)."""
    counts: Counter[str] = Counter({"referral": 1})
    for element in cin:
        table = _NESTED.get(gate.local_name(element.tag))
        if table is None:
            continue
        counts[table] += 1
        if table == "cp_plan":
            counts["cp_review"] += len(_review_elements(_kids_raw(element)))
    return counts

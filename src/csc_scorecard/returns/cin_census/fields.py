"""Reading single CIN census fields, with every problem raised as a located issue.

FieldReader holds the state of reading one file and the field readers every
part of a record uses: a child element by name, a date, a code, a yes/no
flag, and the checks between dates (order, inside the collection year). The
values are cleaned by cin_census/values.py, which returns a `Parsed`; the
issue is raised from it through `IssueLog.report` (the toolkit's style, see
returns/cleaning.py), or through OncePerFile for problems that would repeat
on every child.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from csc_scorecard.returns.base import ReadResult
from csc_scorecard.returns.cin_census import gate
from csc_scorecard.returns.cin_census.spec import (
    YearSpec,
)
from csc_scorecard.returns.cin_census.structure import KidsMemo
from csc_scorecard.returns.cin_census.values import (
    ISO_EXPECTED,
    NOT_ISO,
    code_key,
    read_code,
    read_date,
    read_flag,
)
from csc_scorecard.returns.cleaning import Parsed, clean_text
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import IssueLog, Severity


class OncePerFile:
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


class SeenIds:
    """Which child ids have been seen, in a fixed 1 MiB (a Bloom filter), so
    memory does not grow with the file. With 4 hashes over 8M bits the
    chance of a false 'seen before' is below one in a million up to 100,000
    children."""

    bits = 1 << 23

    def __init__(self) -> None:
        self.table = bytearray(self.bits // 8)

    def seen_before(self, text: str) -> bool:
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        # the four hashes are the digest's four little-endian 32-bit words
        whole = int.from_bytes(digest, "little")
        mask, table = self.bits - 1, self.table
        seen = True
        for shift in (0, 32, 64, 96):
            n = (whole >> shift) & mask
            byte, bit = n >> 3, 1 << (n & 7)
            if not table[byte] & bit:
                seen = False
                table[byte] |= bit
        return seen


MEMO_LIMIT = 100_000  # texts remembered (a hostile file of distinct values cannot grow it)


class FieldReader:
    """The state of reading one file, and the readers of single fields."""

    def __init__(self, path: Path, result: ReadResult, *, year_override: str, la_override: str):
        self.path = path
        self.result = result
        self.log = result.log(path)
        self.once = OncePerFile()
        self.seen_ids = SeenIds()
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
        # a census repeats a few thousand dates and a few dozen codes tens of
        # thousands of times: each text is read once (read_date and read_code are
        # pure, and Parsed is frozen)
        self._dates_read: dict[str, Parsed] = {}
        self._codes_read: dict[tuple[str, str], Parsed] = {}
        # ... and the texts with nothing to report go straight to their value
        self._clean_dates: dict[str, dt.date] = {}
        self._clean_codes: dict[str, dict[str, str]] = {}  # by code list
        self.kids_of = KidsMemo()  # each element's children by name, for the current <Child>

    @property
    def label(self) -> str:
        return self.spec.label if self.spec else ""

    def _kids(self, element: etree._Element, part: str, known: set[str]) -> dict[str, list]:
        kids = self.kids_of(element)
        if known.issuperset(kids):
            return kids
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
        found = kids.get(name)
        if not found:
            return "", None
        if len(found) > 1:
            self._one(kids, name, table)  # says the element is repeated
        element = found[0]
        return clean_text(element.text), element.sourceline

    def _start_date(
        self,
        kids: dict,
        name: str,
        table: str,
        line: int | None,
        *,
        what: str,
        consequence: Callable[[], str] | None = None,
    ) -> dt.date | None:
        """A record's required start date, or None with the record quarantined when unusable."""
        start, ok = self._date(
            kids, name, table, line, what=what, required=True, consequence=consequence
        )
        if not ok or start is None:
            self.result.quarantine(table)
            return None
        return start

    def _date(
        self,
        kids: dict,
        name: str,
        table: str,
        line: int | None,
        *,
        what: str,
        required: bool = False,
        consequence: Callable[[], str] | None = None,
    ) -> tuple[dt.date | None, bool]:
        """(date or None, usable). Unusable only when required and missing or unreadable.

        `consequence` words what else is lost with an unusable record ("; its 2
        reviews were set aside with it"); it is only called when that happens."""
        text, at = self._text(kids, name, table)
        clean = self._clean_dates.get(text)
        if clean is not None:
            return clean, True  # the common case: a date read before, nothing to report
        if not text:
            if required:
                self.log.error(
                    f"the {what} is missing, so this record cannot be used{_worded(consequence)}",
                    table=table,
                    row=at or line,
                    column=name,
                    code=Code.MISSING_VALUE,
                    expected=ISO_EXPECTED,
                )
                return None, False
            return None, True
        parsed = self._dates_read.get(text)
        if parsed is None:
            parsed = read_date(text)
            if len(self._dates_read) < MEMO_LIMIT:
                self._dates_read[text] = parsed
                if parsed.value is not None and not (parsed.error or parsed.warning):
                    self._clean_dates[text] = parsed.value
        if not (parsed.error or parsed.warning):
            return parsed.value, True  # nothing to report
        where = {"table": table, "row": at, "column": name, "value": text}
        if not parsed.ok:
            if required:
                self.log.report(
                    parsed,
                    fatal=True,
                    error=f"the {what} is {parsed.error}, so this record cannot be used{_worded(consequence)}",
                    **where,
                )
                return None, False
            self.log.report(
                parsed, error=f"the {what} is {parsed.error}; it was left blank", **where
            )
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
        clean = self._clean_codes.get(list_name)
        if clean is None:
            clean = self._clean_codes[list_name] = {}
        code = clean.get(text)
        if code is not None:
            return code  # a valid code of this year, read before
        parsed = self._codes_read.get((list_name, text))
        if parsed is None:
            parsed = read_code(text, self.tables[list_name])
            if len(self._codes_read) < MEMO_LIMIT:
                self._codes_read[(list_name, text)] = parsed
        if parsed.ok and parsed.value is not None:
            why = self.spec.retired.get(list_name, {}).get(parsed.value)
            if not why and len(clean) < MEMO_LIMIT:
                clean[text] = parsed.value
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
        if text == "0" or text == "1":  # the schema's own form: nothing to report
            return text == "1"
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
        check = self._check_code
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
            code = check(text, element.sourceline, item, list_name, table, what=what)
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


def _worded(consequence: Callable[[], str] | None) -> str:
    return consequence() if consequence is not None else ""

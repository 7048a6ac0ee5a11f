"""Problems found while reading a return, as data an analyst can filter.

Every problem names where it is (file, table or list, row as Excel numbers it,
column, value) and what was expected, so the analyst can go straight to it.
Messages never contain more child data than the single offending value.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csc_scorecard.returns.cleaning import Parsed


class Severity(enum.StrEnum):
    """How bad a problem is.

    ERROR: the row is unusable; it is quarantined and counted, not stored.
    WARNING: the row is stored but something about it looks wrong.
    INFO: worth knowing (an extra column that was ignored, a guessed year).
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    file: str
    table: str = ""
    row: int | None = None  # as Excel numbers it: the header is row 1
    column: str = ""
    value: str = ""

    def describe(self) -> str:
        parts = [self.file]
        if self.table:
            parts.append(self.table)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Issue:
    severity: Severity
    location: Location
    message: str
    code: str = ""  # short machine-readable kind, e.g. "bad-date", "bad-code"
    expected: str = ""  # what would have been valid: a format or the valid codes

    def describe(self) -> str:
        text = f"{self.severity.value}: {self.location.describe()}: {self.message}"
        if self.location.value:
            text += f" (value {self.location.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def as_row(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "file": self.location.file,
            "table": self.location.table,
            "row": self.location.row,
            "column": self.location.column,
            "value": self.location.value,
            "message": self.message,
            "expected": self.expected,
        }


ISSUE_COLUMNS = ["severity", "code", "file", "table", "row", "column", "value", "message", "expected"]


class FileRejected(Exception):
    """The whole file cannot be used; nothing from it is stored."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


class IssueLog:
    """Records issues for one file into a shared list.

    A hostile file can hold millions of bad values: past `limit` issues the
    rest are counted (see `overflow`) rather than kept one by one, and the
    reader adds one summary issue saying how many were not listed.
    """

    max_value_chars = 60

    def __init__(self, file: str, sink: list[Issue] | None = None, limit: int = 200_000):
        self.file = file
        self.issues: list[Issue] = sink if sink is not None else []
        self.limit = limit
        self.overflow: Counter[str] = Counter()

    def add(
        self,
        severity: Severity,
        message: str,
        *,
        table: str = "",
        row: int | None = None,
        column: str = "",
        value: object = "",
        code: str = "",
        expected: str = "",
    ) -> Issue | None:
        issue_codes.check(code)
        if len(self.issues) >= self.limit:
            self.overflow[severity.value] += 1
            return None
        text = "" if value is None else str(value)
        if len(text) > self.max_value_chars:
            text = text[: self.max_value_chars] + "…"
        issue = Issue(
            severity=severity,
            location=Location(self.file, table, row, column, text),
            message=message,
            code=str(code),
            expected=expected,
        )
        self.issues.append(issue)
        return issue

    def report(
        self,
        parsed: Parsed[Any],
        *,
        fatal: bool = False,
        error: str = "",
        warning: str = "",
        warning_severity: Severity = Severity.WARNING,
        **where: Any,
    ) -> None:
        """Record what a cleaning function found wrong with one value.

        `parsed` carries the problem and its issue code (see returns/cleaning.py);
        the reader says how bad it is (`fatal`: the row cannot be used) and may
        word the message for its users (`error`, `warning`; by default the
        cleaning function's own words). A clean value records nothing.
        """
        if parsed.error:
            self.add(
                Severity.ERROR if fatal else Severity.WARNING,
                error or parsed.error,
                code=parsed.code,
                expected=where.pop("expected", parsed.expected),
                **where,
            )
        elif parsed.warning:
            self.add(
                warning_severity,
                warning or parsed.warning,
                code=parsed.warning_code,
                expected=where.pop("expected", parsed.expected),
                **where,
            )

    def error(self, message: str, **kw: object) -> Issue | None:
        return self.add(Severity.ERROR, message, **kw)  # type: ignore[arg-type]

    def warning(self, message: str, **kw: object) -> Issue | None:
        return self.add(Severity.WARNING, message, **kw)  # type: ignore[arg-type]

    def info(self, message: str, **kw: object) -> Issue | None:
        return self.add(Severity.INFO, message, **kw)  # type: ignore[arg-type]

    def close(self) -> None:
        """Say how many issues went uncounted past the limit, if any."""
        if self.overflow:
            total = sum(self.overflow.values())
            detail = ", ".join(f"{n} {sev}" for sev, n in sorted(self.overflow.items()))
            self.issues.append(
                Issue(
                    Severity.ERROR if self.overflow.get("error") else Severity.WARNING,
                    Location(self.file),
                    f"{total} further issues were found but not listed one by one ({detail})",
                    code=issue_codes.Code.TOO_MANY_ISSUES,
                )
            )
            self.overflow.clear()


def count_by_severity(issues: Iterable[Issue]) -> dict[str, int]:
    counts = Counter(i.severity.value for i in issues)
    return {s.value: counts.get(s.value, 0) for s in Severity}


# Imported last: issue_codes itself needs Severity from this module.
from csc_scorecard.returns import issue_codes  # noqa: E402

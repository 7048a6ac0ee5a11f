"""The one table of issue codes the readers may emit.

Analysts filter and count issues by code, so a kind of problem has exactly
one code whichever return it was found in: a yes/no cell that is neither is
`bad-yes-no` in the 903, the CIN census, Annex A and the local extracts
alike. Readers name codes through `Code` (an unknown member is an
AttributeError at import time); the IssueLog checks every code it is given
against this table and, when `STRICT` is on (the test suite turns it on),
refuses one that is not in it. docs/issue_codes.md describes every code with
an example, and a test keeps the two in step.

Each entry: the code, the severity it is usually raised with (the reader may
raise it more or less severely: a bad date is an ERROR when the row cannot
be used without it and a WARNING when the value is only left blank), and
what it means.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from csc_scorecard.returns.issues import Severity


class Code(enum.StrEnum):
    # -- the file and its layout --------------------------------------------
    ENCODING = "encoding"
    EXTRA_COLUMN = "extra-column"
    MISSING_COLUMN = "missing-column"
    EXTRA_VALUES = "extra-values"
    EXTRA_ELEMENT = "extra-element"
    REPEATED_ELEMENT = "repeated-element"
    ELEMENT_FOR_OTHER_YEAR = "element-for-other-year"
    TABLE_NOT_THIS_YEAR = "table-not-this-year"
    UNKNOWN_SHEET = "unknown-sheet"
    LIST_NAME_MISMATCH = "list-name-mismatch"
    DUPLICATE_LIST = "duplicate-list"
    NOT_STORED = "not-stored"
    BLANK_ROWS = "blank-rows"
    NO_ROWS = "no-rows"
    TOO_MANY_ISSUES = "too-many-issues"
    # -- the collection year and the council ----------------------------------
    YEAR_INFERRED = "year-inferred"
    YEAR_UNKNOWN = "year-unknown"
    YEAR_UNSUPPORTED = "year-unsupported"
    BAD_YEAR = "bad-year"
    YEAR_MISMATCH = "year-mismatch"
    LA_MISMATCH = "la-mismatch"
    # -- single values ----------------------------------------------------------
    MISSING_VALUE = "missing-value"
    BAD_DATE = "bad-date"
    DATE_FORMAT = "date-format"
    TWO_DIGIT_YEAR = "two-digit-year"
    IMPLAUSIBLE_DATE = "implausible-date"
    DATE_ORDER = "date-order"
    DATE_AFTER_YEAR = "date-after-year"
    DATE_BEFORE_YEAR = "date-before-year"
    BAD_CODE = "bad-code"
    RECODED = "recoded"
    CODE_NOT_THIS_YEAR = "code-not-this-year"
    RETIRED_CODE = "retired-code"
    CODE_ENDED = "code-ended"
    BAD_YES_NO = "bad-yes-no"
    FLAG_FORMAT = "flag-format"
    BAD_NUMBER = "bad-number"
    TOO_LONG = "too-long"
    BAD_ID = "bad-id"
    BAD_UPN = "bad-upn"
    BAD_URN = "bad-urn"
    BAD_POSTCODE = "bad-postcode"
    EXCEL_ERROR = "excel-error"
    # -- records and how they relate ------------------------------------------
    DUPLICATE = "duplicate"
    DUPLICATE_CHILD = "duplicate-child"
    DUPLICATE_TEAM = "duplicate-team"
    DUPLICATE_AREA_YEAR = "duplicate-area-year"
    CONFLICT = "conflict"
    CHILD_CONFLICT = "child-conflict"
    TEAM_CONFLICT = "team-conflict"
    OVERLAP = "overlap"
    EARLY_FACTORS = "early-factors"


@dataclass(frozen=True)
class CodeInfo:
    code: Code
    severity: Severity  # the severity it is usually raised with
    meaning: str


ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_TABLE = [
    (Code.ENCODING, INFO, "The file is not UTF-8 text; it was read as Windows-1252 or UTF-16."),
    (Code.EXTRA_COLUMN, INFO, "A column that is not part of the table or list was ignored."),
    (
        Code.MISSING_COLUMN,
        WARN,
        "A column of the table or list is absent; its values are left blank.",
    ),
    (Code.EXTRA_VALUES, WARN, "A row has values beyond the last named column; they were ignored."),
    (
        Code.EXTRA_ELEMENT,
        INFO,
        "An XML element that is not part of the return under its name: ignored, or read as the "
        "table its items match (the message says which).",
    ),
    (
        Code.REPEATED_ELEMENT,
        WARN,
        "An element given once per record appears more than once; the first was used.",
    ),
    (
        Code.ELEMENT_FOR_OTHER_YEAR,
        WARN,
        "An element carries another collection year's name or module; it was read anyway.",
    ),
    (
        Code.TABLE_NOT_THIS_YEAR,
        WARN,
        "A table or group is only collected in other years; it was not read.",
    ),
    (
        Code.UNKNOWN_SHEET,
        WARN,
        "A workbook sheet is not recognised as any Annex A list and was not read.",
    ),
    (
        Code.LIST_NAME_MISMATCH,
        WARN,
        "A sheet or file is named as one list but holds another's columns.",
    ),
    (Code.DUPLICATE_LIST, WARN, "The same Annex A list was found twice; both were read."),
    (Code.NOT_STORED, INFO, "Recognised and counted, but the case model has nowhere to store it."),
    (Code.BLANK_ROWS, INFO, "Blank rows were skipped."),
    (Code.NO_ROWS, INFO, "The file or table holds no data rows."),
    (
        Code.TOO_MANY_ISSUES,
        WARN,
        "More issues were found than are listed one by one; they are counted.",
    ),
    (
        Code.YEAR_INFERRED,
        INFO,
        "The collection year was worked out from names, titles or dates, not given.",
    ),
    (
        Code.YEAR_UNKNOWN,
        WARN,
        "The collection year could not be found; the newest year's rules were used.",
    ),
    (
        Code.YEAR_UNSUPPORTED,
        WARN,
        "There are no rules for the collection year; the nearest year's were used.",
    ),
    (
        Code.BAD_YEAR,
        WARN,
        "A collection year, in the file or given for it, is not a year; it was ignored.",
    ),
    (
        Code.YEAR_MISMATCH,
        WARN,
        "Two sources of the collection year disagree; the message says which was used.",
    ),
    (
        Code.LA_MISMATCH,
        WARN,
        "The council named in the file differs from the one it was loaded for.",
    ),
    (Code.MISSING_VALUE, ERR, "A value that is required is blank."),
    (Code.BAD_DATE, ERR, "Not a date, or not a real calendar date."),
    (Code.DATE_FORMAT, INFO, "A date was read, but it is not written the way the return asks."),
    (
        Code.TWO_DIGIT_YEAR,
        WARN,
        "A date with a two-digit year; the century was chosen and should be checked.",
    ),
    (
        Code.IMPLAUSIBLE_DATE,
        WARN,
        "A date that is possible but very unlikely (a child older than 25).",
    ),
    (Code.DATE_ORDER, WARN, "Two dates are in the wrong order (an end before its start)."),
    (Code.DATE_AFTER_YEAR, WARN, "A date falls after the end of the collection year."),
    (Code.DATE_BEFORE_YEAR, WARN, "A date falls before the start of the collection year."),
    (Code.BAD_CODE, ERR, "Not one of the valid codes for the column."),
    (Code.RECODED, WARN, "Another coding of a value was recognised and read as this year's code."),
    (
        Code.CODE_NOT_THIS_YEAR,
        WARN,
        "A code valid in other collection years, not this one; kept as given.",
    ),
    (Code.RETIRED_CODE, WARN, "A code the DfE no longer uses this year; stored as given."),
    (
        Code.CODE_ENDED,
        WARN,
        "A code that stopped being valid before the row's date; kept as given.",
    ),
    (Code.BAD_YES_NO, WARN, "Not a yes/no value (1/0, Y/N, yes/no, true/false)."),
    (
        Code.FLAG_FORMAT,
        INFO,
        "A yes/no written as words where the return asks for 0 or 1; read anyway.",
    ),
    (Code.BAD_NUMBER, ERR, "Not a number, not a whole number, or out of the allowed range."),
    (Code.TOO_LONG, WARN, "Longer than the column allows."),
    (Code.BAD_ID, ERR, "A child id that cannot be an id (longer than 50 characters)."),
    (Code.BAD_UPN, WARN, "Not in the form of a unique pupil number."),
    (Code.BAD_URN, WARN, "Not an Ofsted unique reference number."),
    (Code.BAD_POSTCODE, WARN, "Not a UK postcode."),
    (Code.EXCEL_ERROR, ERR, "A spreadsheet error value (#N/A, #REF! ...) instead of data."),
    (Code.DUPLICATE, WARN, "Two records of one child start on the same date."),
    (Code.DUPLICATE_CHILD, WARN, "A child id appears twice where each child should appear once."),
    (Code.DUPLICATE_TEAM, WARN, "A team is listed twice."),
    (Code.DUPLICATE_AREA_YEAR, ERR, "An area's 0-17 population is given twice for one year."),
    (Code.CONFLICT, WARN, "Values within one record contradict each other."),
    (
        Code.CHILD_CONFLICT,
        WARN,
        "Lists give different details (sex, birth date, ethnicity) for one child.",
    ),
    (Code.TEAM_CONFLICT, WARN, "A team is listed under two different areas."),
    (Code.OVERLAP, WARN, "Two allocations of one child overlap in time."),
    (Code.EARLY_FACTORS, INFO, "Assessment factors recorded before the assessment was authorised."),
]

ISSUE_CODES: dict[str, CodeInfo] = {
    code.value: CodeInfo(code, severity, meaning) for code, severity, meaning in _TABLE
}

# The test suite sets this, so an IssueLog refuses any code not in the table.
STRICT = False


class UnknownIssueCode(ValueError):
    """A reader tried to raise an issue with a code that is not in the table."""


def check(code: str) -> None:
    if STRICT and code not in ISSUE_CODES:
        raise UnknownIssueCode(f"issue code {code!r} is not in returns/issue_codes.py")


if set(ISSUE_CODES) != {c.value for c in Code}:
    raise RuntimeError("every issue Code needs exactly one entry in the table")

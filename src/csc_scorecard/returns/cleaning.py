"""The readers' shared toolkit for cleaning the values real exports contain.

One style, used by all four readers (ssda903, cin_census, annex_a, local):

1. **Parse purely.** Every cleaning function takes one raw cell and returns
   a `Parsed`: the value, or `error` (why it cannot be used), optionally
   `warning` (how it was read when that needed a judgement, e.g. a two-digit
   year), `expected` (what a valid value looks like) and the issue codes
   for the error and the warning, taken from returns/issue_codes.py. A
   cleaning function never logs, never raises for bad data and never
   returns a sentinel; blank input is `Parsed(None)` (`Parsed("")` for ids).
2. **Report once.** The reader hands the `Parsed` to `IssueLog.report`,
   saying where the value is (table, row as Excel numbers it, column,
   value), whether the row is unusable without it (`fatal`) and, if it
   likes, its own wording. So the code of a value problem comes from the
   cleaning function, never from a reader's spelling of it; problems that
   are not about one value (the year, a duplicate child) are raised with a
   `Code` member, so no reader can invent a code.
3. **Decide the row.** The reader keeps `parsed.value`, or blanks it, or
   quarantines the row when a fatal value is bad.

Here: text and headers, child ids (`clean_child_id`, `parse_child_id`),
dates (`parse_date`), codes (`code_key`, `parse_code`), yes/no
(`parse_bool`, `YES_WORDS`, `NO_WORDS`), numbers (`parse_int`,
`parse_float`), spreadsheet column letters (`column_letter`) and collection
years named in file names (`year_from_text`). The readers add what only
their return needs on top (the census's yyyy-mm-dd dates, Ofsted's lettered
values), built from these. Encodings are in returns/textfile.py; financial
years in csc_scorecard.periods.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from csc_scorecard.periods import financial_year_of
from csc_scorecard.returns.issue_codes import Code

T = TypeVar("T")

_INVISIBLE = "\ufeff\u200b\u00a0"


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: T | None = None
    error: str = ""  # why the value is unusable ("" when fine)
    warning: str = ""  # how it was read when that needed a judgement
    expected: str = ""  # what a valid value looks like
    code: str = ""  # the issue code for `error` (returns/issue_codes.py)
    warning_code: str = ""  # the issue code for `warning`

    @property
    def ok(self) -> bool:
        return not self.error


def clean_text(value: object) -> str:
    """Strip whitespace, byte-order marks and non-breaking spaces; None -> ''."""
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if text.isascii():  # nearly every cell: the invisible characters are not ASCII
        return text.strip()
    for ch in _INVISIBLE:
        text = text.replace(ch, " " if ch == "\u00a0" else "")
    return text.strip()


def clean_header(value: object) -> str:
    """A column header as a comparison key: case and spacing folded."""
    text = clean_text(value).upper()
    return re.sub(r"\s+", " ", text)


_FLOAT_ID = re.compile(r"^(\d+)\.0+$")


def clean_child_id(value: object) -> str:
    """Child ids as text; '12345.0' (a spreadsheet's float) becomes '12345'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = clean_text(value)
    match = _FLOAT_ID.match(text)
    return match.group(1) if match else text


MAX_ID_CHARS = 50  # no council's case system uses longer child ids


def parse_child_id(value: object, *, max_chars: int = MAX_ID_CHARS) -> Parsed[str]:
    """A child id as text (see clean_child_id; blank is ''), with an error when it is
    too long to be one (the value is kept, so the reader can show it or cut it)."""
    text = clean_child_id(value)
    if len(text) > max_chars:
        return Parsed(text, error=f"longer than {max_chars} characters", code=Code.BAD_ID)
    return Parsed(text)


_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: [\d:.]+)?$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), ("y", "m", "d")),
]
_TWO_DIGIT_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$")
DATE_EXPECTED = "a date as dd/mm/yyyy or yyyy-mm-dd"


def parse_date(value: object, *, pivot_year: int | None = None) -> Parsed[dt.date]:
    """Read a date from text, a datetime, or an Excel serial number.

    Two-digit years are read against `pivot_year` (default: this year): a
    year that would land after the pivot is put in the previous century.
    Such a date is returned with a warning so the analyst can check it.
    """
    if isinstance(value, dt.datetime):
        return Parsed(value.date())
    if isinstance(value, dt.date):
        return Parsed(value)
    text = clean_text(value)
    if not text:
        return Parsed(None)
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            return _make_date(parts["y"], parts["m"], parts["d"], text)
    match = _TWO_DIGIT_YEAR.match(text)
    if match:
        day, month, yy = (int(g) for g in match.groups())
        pivot = pivot_year if pivot_year is not None else dt.date.today().year
        year = 2000 + yy
        if year > pivot:
            year -= 100
        parsed = _make_date(year, month, day, text)
        if parsed.ok:
            return Parsed(
                parsed.value,
                warning=f"two-digit year read as {parsed.value:%d/%m/%Y}; please send four-digit years",
                expected=DATE_EXPECTED,
                warning_code=Code.TWO_DIGIT_YEAR,
            )
        return parsed
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        serial = int(float(text))
        if 20000 <= serial <= 80000:  # 1954..2119: a plausible Excel serial date
            return Parsed(
                dt.date(1899, 12, 30) + dt.timedelta(days=serial),
                warning="date given as an Excel serial number",
                expected=DATE_EXPECTED,
                warning_code=Code.DATE_FORMAT,
            )
    return Parsed(error="not a date", expected=DATE_EXPECTED, code=Code.BAD_DATE)


def _make_date(year: int, month: int, day: int, text: str) -> Parsed[dt.date]:
    try:
        return Parsed(dt.date(year, month, day))
    except ValueError:
        return Parsed(error="not a real calendar date", expected=DATE_EXPECTED, code=Code.BAD_DATE)


def parse_code(
    value: object,
    valid: Iterable[str],
    aliases: Mapping[str, str] | None = None,
) -> Parsed[str]:
    """Match a code case-insensitively against the valid codes (and aliases).

    Aliases map other spellings (e.g. '1' for 'M', 'a) Male' for 'M') to a
    valid code; their keys are compared case- and space-insensitively too.
    """
    text = clean_text(value)
    if not text:
        return Parsed(None)
    valid_tuple = tuple(valid)
    alias_tuple = tuple(aliases.items()) if aliases else ()
    lookup, expected = _code_lookup(valid_tuple, alias_tuple)
    found = lookup.get(_code_key(text))
    if found is not None:
        return Parsed(found)
    return Parsed(error="not a valid code", expected=expected, code=Code.BAD_CODE)


@functools.lru_cache(maxsize=512)
def _code_lookup(
    valid: tuple[str, ...], aliases: tuple[tuple[str, str], ...]
) -> tuple[dict[str, str], str]:
    """Built once per code list: readers call parse_code for every cell."""
    lookup = {_code_key(k): v for k, v in aliases}
    lookup.update({_code_key(c): c for c in valid})
    return lookup, ", ".join(valid)


def _code_key(text: str) -> str:
    return re.sub(r"\s+", " ", clean_text(text)).upper()


_SPACES = re.compile(r"\s+")


def code_key(value: object) -> str:
    """How a DfE code is compared: no spaces, upper case, '4.0' (a spreadsheet's
    number) read as '4'. 'e4a ', 'E 4A' and 'E4A' are the same code."""
    return fold_code(clean_text(value))


def fold_code(text: str) -> str:
    """code_key for text that is already clean (readers call it for every code cell)."""
    text = _SPACES.sub("", text).upper()
    if "." in text:
        match = _FLOAT_ID.match(text)
        if match:
            return match.group(1)
    return text


_YES: Parsed[bool] = Parsed(True)
_NO: Parsed[bool] = Parsed(False)
YES_WORDS = frozenset({"1", "TRUE", "T", "Y", "YES"})
NO_WORDS = frozenset({"0", "FALSE", "F", "N", "NO"})


def parse_bool(value: object) -> Parsed[bool]:
    """0/1, true/false, yes/no, Y/N in any case."""
    if isinstance(value, bool):
        return Parsed(value)
    text = clean_text(value).upper()
    if text.endswith(".0"):
        text = text[:-2]
    if not text:
        return Parsed(None)
    if text in YES_WORDS:
        return _YES
    if text in NO_WORDS:
        return _NO
    return Parsed(
        error="not a yes/no value", expected="0 or 1 (or true/false, Y/N)", code=Code.BAD_YES_NO
    )


def _not_number(error: str, expected: str) -> Parsed:
    return Parsed(error=error, expected=expected, code=Code.BAD_NUMBER)


def parse_int(value: object, *, minimum: int | None = None, maximum: int | None = None) -> Parsed[int]:
    if isinstance(value, bool):
        return _not_number("not a whole number", "a whole number")
    if isinstance(value, int):
        number = value
    else:
        text = clean_text(value)
        if not text:
            return Parsed(None)
        try:
            as_float = float(text)
        except ValueError:
            return _not_number("not a whole number", "a whole number")
        if not as_float.is_integer():
            return _not_number("not a whole number", "a whole number")
        number = int(as_float)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return _not_number("out of range", f"a whole number from {minimum} to {maximum}")
    return Parsed(number)


def parse_float(value: object, *, minimum: float | None = None) -> Parsed[float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = clean_text(value)
        if not text:
            return Parsed(None)
        try:
            number = float(text)
        except ValueError:
            return _not_number("not a number", "a number")
    if number != number or number in (float("inf"), float("-inf")):
        return _not_number("not a number", "a number")
    if minimum is not None and number < minimum:
        return _not_number("out of range", f"a number of at least {minimum}")
    return Parsed(number)


_YEAR_IN_NAME = [
    re.compile(r"(?<!\d)(20\d{2})[-_ ]?(?:20)?(\d{2})(?!\d)"),  # 2024-25, 2024_2025, 202425
]


def year_from_text(text: str) -> str:
    """A collection year like '2024-25' named in a file or folder name, else ''."""
    for pattern in _YEAR_IN_NAME:
        for match in pattern.finditer(text):
            start = int(match.group(1))
            end = int(match.group(2))
            if end == (start + 1) % 100:
                return f"{start}-{end:02d}"
    return ""


def collection_year_ending(year_end: int) -> str:
    """The collection year label for a year ending 31 March `year_end`: 2025 -> '2024-25'."""
    return financial_year_of(dt.date(year_end, 3, 31))


def column_letter(pos: int) -> str:
    """The spreadsheet letter of a 0-based column position: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = pos + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters

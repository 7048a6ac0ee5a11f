"""Tolerant cleaning of the values real exports contain.

Each parser returns a `Parsed` (the value, or why it could not be read, and
any warning about how it was read) so the reader can record an Issue at the
exact row and column. Nothing here guesses silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_INVISIBLE = "\ufeff\u200b\u00a0"


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: T | None = None
    error: str = ""  # why the value is unusable ("" when fine)
    warning: str = ""  # how it was read when that needed a judgement
    expected: str = ""  # what a valid value looks like

    @property
    def ok(self) -> bool:
        return not self.error


def clean_text(value: object) -> str:
    """Strip whitespace, byte-order marks and non-breaking spaces; None -> ''."""
    if value is None:
        return ""
    text = str(value)
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
            )
        return parsed
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        serial = int(float(text))
        if 20000 <= serial <= 80000:  # 1954..2119: a plausible Excel serial date
            return Parsed(
                dt.date(1899, 12, 30) + dt.timedelta(days=serial),
                warning="date given as an Excel serial number",
                expected=DATE_EXPECTED,
            )
    return Parsed(error="not a date", expected=DATE_EXPECTED)


def _make_date(year: int, month: int, day: int, text: str) -> Parsed[dt.date]:
    try:
        return Parsed(dt.date(year, month, day))
    except ValueError:
        return Parsed(error="not a real calendar date", expected=DATE_EXPECTED)


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
    return Parsed(error="not a valid code", expected=expected)


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


_TRUE = {"1", "TRUE", "T", "Y", "YES"}
_FALSE = {"0", "FALSE", "F", "N", "NO"}


def parse_bool(value: object) -> Parsed[bool]:
    """0/1, true/false, yes/no, Y/N in any case."""
    if isinstance(value, bool):
        return Parsed(value)
    text = clean_text(value).upper()
    if text.endswith(".0"):
        text = text[:-2]
    if not text:
        return Parsed(None)
    if text in _TRUE:
        return Parsed(True)
    if text in _FALSE:
        return Parsed(False)
    return Parsed(error="not a yes/no value", expected="0 or 1 (or true/false, Y/N)")


def parse_int(value: object, *, minimum: int | None = None, maximum: int | None = None) -> Parsed[int]:
    if isinstance(value, bool):
        return Parsed(error="not a whole number", expected="a whole number")
    if isinstance(value, int):
        number = value
    else:
        text = clean_text(value)
        if not text:
            return Parsed(None)
        try:
            as_float = float(text)
        except ValueError:
            return Parsed(error="not a whole number", expected="a whole number")
        if not as_float.is_integer():
            return Parsed(error="not a whole number", expected="a whole number")
        number = int(as_float)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return Parsed(error="out of range", expected=f"a whole number from {minimum} to {maximum}")
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
            return Parsed(error="not a number", expected="a number")
    if number != number or number in (float("inf"), float("-inf")):
        return Parsed(error="not a number", expected="a number")
    if minimum is not None and number < minimum:
        return Parsed(error="out of range", expected=f"a number of at least {minimum}")
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
    return f"{year_end - 1}-{year_end % 100:02d}"

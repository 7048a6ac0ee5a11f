"""Reading single CIN census values: dates, codes, yes/no flags, years.

Small pure functions, so they can be tested on their own (with hypothesis).
They build on csc_scorecard.returns.cleaning and add what the census needs:
the XML schema's own date form (yyyy-mm-dd, possibly with a time zone), codes
compared without regard to case or spacing, and the collection-year rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from csc_scorecard.periods import Period, financial_year_of
from csc_scorecard.returns.cleaning import (
    Parsed,
    clean_text,
    code_key,
    parse_bool,
    parse_date,
    year_from_text,
)
from csc_scorecard.returns.issue_codes import Code

ISO_EXPECTED = "a date as yyyy-mm-dd"
NOT_ISO = "date not written as yyyy-mm-dd, as the census schema asks; read as day/month/year"

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$")


def read_date(value: object) -> Parsed[dt.date]:
    """A census date. yyyy-mm-dd (the schema's form) is read as is; other
    forms the cleaning module understands are read with the NOT_ISO warning
    (or the cleaning module's own warning, e.g. for a two-digit year)."""
    text = clean_text(value)
    if not text:
        return Parsed(None)
    match = _ISO_DATE.match(text)
    if match:
        try:
            return Parsed(dt.date(*(int(g) for g in match.groups())))
        except ValueError:
            return Parsed(
                error="not a real calendar date", expected=ISO_EXPECTED, code=Code.BAD_DATE
            )
    parsed = parse_date(text)
    if not parsed.ok:
        return Parsed(error=parsed.error, expected=ISO_EXPECTED, code=parsed.code)
    return Parsed(
        parsed.value,
        warning=parsed.warning or NOT_ISO,
        expected=ISO_EXPECTED,
        warning_code=parsed.warning_code or Code.DATE_FORMAT,
    )


_WHOLE_FLOAT = re.compile(r"^(\d+)\.0+$")


def code_table(codes: Iterable[str]) -> dict[str, str]:
    """A lookup from code_key to the code as the spec writes it."""
    return {code_key(c): c for c in codes}


def read_code(value: object, table: Mapping[str, str]) -> Parsed[str]:
    """A code from `table` (made by code_table); blank is Parsed(None)."""
    key = code_key(value)
    if not key:
        return Parsed(None)
    found = table.get(key)
    if found is None:
        return Parsed(
            error="not a valid code", expected=", ".join(table.values()), code=Code.BAD_CODE
        )
    return Parsed(found)


def read_flag(value: object) -> Parsed[bool]:
    """A yes/no value. The schema says 0 or 1; true/false (and Y/N) are read
    too, with a warning saying so."""
    text = clean_text(value)
    parsed = parse_bool(text)
    if not parsed.ok:
        return Parsed(error=parsed.error, expected="0 or 1", code=parsed.code)
    if parsed.value is not None and text not in ("0", "1"):
        return Parsed(
            parsed.value,
            warning="yes/no written as words rather than 0 or 1",
            expected="0 or 1",
            warning_code=Code.FLAG_FORMAT,
        )
    return parsed


def read_count(value: object) -> Parsed[int]:
    """A whole number of 0 or more (NumberOfPreviousCPP)."""
    text = clean_text(value)
    if not text:
        return Parsed(None)
    match = _WHOLE_FLOAT.match(text)
    if match:
        text = match.group(1)
    if not text.isdigit() or not text.isascii():
        return Parsed(
            error="not a whole number of 0 or more",
            expected="a whole number of 0 or more",
            code=Code.BAD_NUMBER,
        )
    if len(text) > 4:
        return Parsed(
            error="implausibly large", expected="a whole number of 0 or more", code=Code.BAD_NUMBER
        )
    return Parsed(int(text))


def year_ending_of(date: dt.date) -> int:
    """The collection year a date falls in, by the year it ends: a collection
    year runs 1 April to 31 March, so 31/03/2025 -> 2025 and 01/04/2025 -> 2026."""
    return int(financial_year_of(date)[:4]) + 1


def year_label(year_ending: int) -> str:
    """2025 -> '2024-25', the collection year ending 31 March 2025."""
    return financial_year_of(dt.date(year_ending, 3, 31))


def year_ending_from_label(text: str) -> int | None:
    """'2024-25' (or '2024/25', '2024_2025', '202425') -> 2025; None if not understood."""
    label = year_from_text(clean_text(text).replace("/", "-"))
    if not label:
        return None
    return int(label[:4]) + 1


def collection_period(year_ending: int) -> tuple[dt.date, dt.date]:
    period = Period.financial_year_period(year_ending - 1)
    return period.start, period.end


_UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def valid_upn(text: str) -> bool:
    """A unique pupil number's shape: a letter, 11 digits, a digit or letter."""
    return bool(_UPN.match(text))

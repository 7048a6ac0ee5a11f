"""The year an Annex A belongs to: from its content first, its names second.

Annex A has no year field, and its lists are a rolling window before an
inspection, not a collection year. The content gives the window (earliest
and latest event date, and the "as at" date a title row may carry); the
year it is filed under is the financial year (1 April to 31 March, see
csc_scorecard.periods) containing the window's end, the "as at" date when
there is one. A name such as 'Annex A 2024-25' gives a year directly; a
month and year ('Annex A Jan 2024', '2024 January') gives the financial year
containing that month. A name is only a guess: when the content says
otherwise the content wins and a warning names both.
"""

from __future__ import annotations

import datetime as dt
import re

from csc_scorecard.periods import financial_year_of
from csc_scorecard.returns.cleaning import year_from_text

_AS_AT = re.compile(r"\bas\s+(?:at|of)\b[\s:,]*(.{6,30})", re.I)
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[\s\-/.,]*(\d{4})",
    re.I,
)
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})|(\d{4})-(\d{2})-(\d{2})")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_YEAR = re.compile(
    r"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[\s_\-.]*((?:19|20)\d{2})(?!\d)",
    re.I,
)
_YEAR_MONTH = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[\s_\-.]*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I
)


def year_from_texts(texts: list[str]) -> tuple[str, str]:
    """A collection year named in file/sheet names or title rows, and how it was found."""
    for text in texts:
        found = year_from_text(text)
        if found:
            return found, f"named in '{text[:60]}'"
    for text in texts:
        match = _MONTH_YEAR.search(text)
        if match:
            month, year = _MONTHS.index(match.group(1)[:3].lower()) + 1, int(match.group(2))
        else:
            match = _YEAR_MONTH.search(text)
            if not match:
                continue
            month, year = _MONTHS.index(match.group(2)[:3].lower()) + 1, int(match.group(1))
        label = financial_year_of(dt.date(year, month, 1))
        return (
            label,
            f"the collection year containing {dt.date(year, month, 1):%B %Y}, named in '{text[:60]}'",
        )
    return "", ""


def as_at_from_texts(texts: list[str]) -> dt.date | None:
    """The date after 'as at' (or 'as of') in a title row: '31/01/2024', '31 January 2024'."""
    for text in texts:
        match = _AS_AT.search(text)
        if match and (day := _date_in(match.group(1))):
            return day
    return None


def _date_in(text: str) -> dt.date | None:
    try:
        if match := _DAY_MONTH_YEAR.match(text.strip()):
            month = _MONTHS.index(match.group(2)[:3].lower()) + 1
            return dt.date(int(match.group(3)), month, int(match.group(1)))
        if match := _NUMERIC.match(text.strip()):
            if match.group(1):  # day first, as English dates are written
                return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            return dt.date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
    except ValueError:  # 31/02/2024 is not a date
        return None
    return None


def window_text(start: dt.date | None, end: dt.date | None, as_at: dt.date | None) -> str:
    """'events from 16/09/2020 to 02/03/2021, as at 31/03/2021' (for messages)."""
    parts = []
    if start and end:
        parts.append(f"events from {start:%d/%m/%Y} to {end:%d/%m/%Y}")
    if as_at:
        parts.append(f"as at {as_at:%d/%m/%Y}")
    return ", ".join(parts) or "no event dates"

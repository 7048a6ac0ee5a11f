"""Dates for the synthetic council: working days, collection years, text forms.

Dates inside the generator are proleptic Gregorian ordinals (``date.toordinal()``),
which keeps the simulation fast; this module converts them to the text forms the
returns use and does working-day arithmetic.

Bank holidays are the project's own list (:mod:`csc_scorecard.workdays`, England
and Wales, 2010-2030), so the generator and the indicators agree on every working
day.  The simulation reaches outside those years (journeys start up to ten years
before the first collection year, and open cases are drawn a few years past the
last); there, where the project knows no holidays, every Monday to Friday counts
as a working day.  Only burn-in history and far-future dates fall there, never a
working-day measure of a collection year the returns cover (2016-17 to 2025-26).

Within 2010-2030 the functions here agree with :mod:`csc_scorecard.workdays`
(tests/synth/test_calendar.py checks it): ``workdays_between`` is
``working_days_between`` and, from a working day, ``add_workdays`` is
``add_working_days``.  From a non-working day ``add_workdays`` first rolls
forward to the next working day (``add_working_days`` counts from the working
day before), so ``add_workdays(saturday, 0)`` is the Monday.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date

from csc_scorecard import workdays as _workdays
from csc_scorecard.periods import financial_year_of

# The working-day table spans the whole simulation range (journeys start up to
# twelve years before the first collection year and are drawn some years past the last).
_FIRST = date(1995, 1, 1).toordinal()
_LAST = date(2065, 12, 31).toordinal()
_HOLIDAY_ORDINALS = frozenset(d.toordinal() for d in _workdays.bank_holidays())


def _is_workday_ordinal(o: int) -> bool:
    # ordinal 1 (0001-01-01) is a Monday, so (o - 1) % 7 gives Monday=0 .. Sunday=6
    return (o - 1) % 7 < 5 and o not in _HOLIDAY_ORDINALS


WORKDAYS: list[int] = [o for o in range(_FIRST, _LAST + 1) if _is_workday_ordinal(o)]


def is_workday(o: int) -> bool:
    return _is_workday_ordinal(o)


def next_workday(o: int) -> int:
    """The same day if it is a working day, else the next working day."""
    return WORKDAYS[bisect_left(WORKDAYS, o)]


def add_workdays(o: int, n: int) -> int:
    """The date ``n`` working days after ``o`` (``o`` itself rolled forward first)."""
    return WORKDAYS[bisect_left(WORKDAYS, o) + n]


def workdays_between(start: int, end: int) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end``
    is before ``start``), as :func:`csc_scorecard.workdays.working_days_between`."""
    return bisect_right(WORKDAYS, end) - bisect_right(WORKDAYS, start)


def workdays_in(start: int, end: int) -> int:
    """Number of working days in the closed interval [start, end]."""
    return bisect_right(WORKDAYS, end) - bisect_left(WORKDAYS, start)


# ---------------------------------------------------------------- collection years

_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_year(label: str) -> int:
    """'2024-25' -> 2025 (the year the collection period ends)."""
    m = _YEAR_RE.match(label.strip())
    if not m:
        raise ValueError(f"collection year {label!r} should look like 2024-25")
    start = int(m.group(1))
    if (start + 1) % 100 != int(m.group(2)):
        raise ValueError(f"collection year {label!r}: the second part must be the next year")
    return start + 1


def year_label(end_year: int) -> str:
    return financial_year_of(date(end_year, 3, 31))


def year_bounds(end_year: int) -> tuple[int, int]:
    """(1 April, 31 March) ordinals of the collection year ending in ``end_year``."""
    return date(end_year - 1, 4, 1).toordinal(), date(end_year, 3, 31).toordinal()


def parse_years(spec: str | tuple[str, ...] | list[str]) -> list[int]:
    """'2021-22:2024-25' or '2023-24,2024-25' or a sequence -> sorted year-end list."""
    if isinstance(spec, str):
        spec = spec.strip()
        if ":" in spec:
            a, b = spec.split(":", 1)
            lo, hi = parse_year(a), parse_year(b)
            if hi < lo:
                raise ValueError(f"years {spec!r}: the range runs backwards")
            years = list(range(lo, hi + 1))
        else:
            years = [parse_year(p) for p in spec.split(",") if p.strip()]
    else:
        years = [parse_year(p) for p in spec]
    years = sorted(set(years))
    if not years:
        raise ValueError("no collection years given")
    for y in years:
        if not 2017 <= y <= 2026:
            raise ValueError(
                f"collection year {year_label(y)} is outside 2016-17..2025-26, "
                "the years the DfE schemas cover"
            )
    return years


# ---------------------------------------------------------------- formatting


def to_date(o: int) -> date:
    return date.fromordinal(o)


class DateText:
    """Cached text forms of ordinals (formatting dates is a hot path)."""

    __slots__ = ("_uk", "_iso")

    def __init__(self) -> None:
        self._uk: dict[int, str] = {}
        self._iso: dict[int, str] = {}

    def uk(self, o: int | None) -> str:
        if o is None:
            return ""
        s = self._uk.get(o)
        if s is None:
            d = date.fromordinal(o)
            s = f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
            self._uk[o] = s
        return s

    def iso(self, o: int | None) -> str:
        if o is None:
            return ""
        s = self._iso.get(o)
        if s is None:
            s = date.fromordinal(o).isoformat()
            self._iso[o] = s
        return s


def excel_serial(o: int) -> int:
    """Excel's 1900 date system serial number for an ordinal (dates after 1900-03-01)."""
    return o - date(1899, 12, 30).toordinal()


def add_years(o: int, years: int) -> int:
    """Same day ``years`` later (29 February -> 28 February)."""
    d = date.fromordinal(o)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:
        return d.replace(year=d.year + years, day=28).toordinal()


def age_on(dob: int, on: int) -> int:
    """Whole years of age on a date."""
    b = date.fromordinal(dob)
    d = date.fromordinal(on)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


__all__ = [
    "DateText",
    "add_workdays",
    "add_years",
    "age_on",
    "excel_serial",
    "is_workday",
    "next_workday",
    "parse_year",
    "parse_years",
    "to_date",
    "workdays_between",
    "workdays_in",
    "year_bounds",
    "year_label",
]

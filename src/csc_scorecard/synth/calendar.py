"""Dates for the synthetic council: bank holidays, working days, collection years.

Dates inside the generator are proleptic Gregorian ordinals (``date.toordinal()``),
which keeps the simulation fast; this module converts them to the text forms the
returns use and does working-day arithmetic over England & Wales bank holidays.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date

# England & Wales bank holidays 2015-2027 (substitute days included; the extra
# days for the 2022 Platinum Jubilee, the Queen's funeral and the 2023 coronation).
_BANK_HOLIDAYS_TEXT = """
2015-01-01 2015-04-03 2015-04-06 2015-05-04 2015-05-25 2015-08-31 2015-12-25 2015-12-28
2016-01-01 2016-03-25 2016-03-28 2016-05-02 2016-05-30 2016-08-29 2016-12-26 2016-12-27
2017-01-02 2017-04-14 2017-04-17 2017-05-01 2017-05-29 2017-08-28 2017-12-25 2017-12-26
2018-01-01 2018-03-30 2018-04-02 2018-05-07 2018-05-28 2018-08-27 2018-12-25 2018-12-26
2019-01-01 2019-04-19 2019-04-22 2019-05-06 2019-05-27 2019-08-26 2019-12-25 2019-12-26
2020-01-01 2020-04-10 2020-04-13 2020-05-08 2020-05-25 2020-08-31 2020-12-25 2020-12-28
2021-01-01 2021-04-02 2021-04-05 2021-05-03 2021-05-31 2021-08-30 2021-12-27 2021-12-28
2022-01-03 2022-04-15 2022-04-18 2022-05-02 2022-06-02 2022-06-03 2022-08-29 2022-09-19
2022-12-26 2022-12-27
2023-01-02 2023-04-07 2023-04-10 2023-05-01 2023-05-08 2023-05-29 2023-08-28 2023-12-25
2023-12-26
2024-01-01 2024-03-29 2024-04-01 2024-05-06 2024-05-27 2024-08-26 2024-12-25 2024-12-26
2025-01-01 2025-04-18 2025-04-21 2025-05-05 2025-05-26 2025-08-25 2025-12-25 2025-12-26
2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28
2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28
"""

BANK_HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(t) for t in _BANK_HOLIDAYS_TEXT.split()
)

# The working-day table spans the whole simulation range (journeys start up to
# twelve years before the first collection year and are drawn some years past the last).
_FIRST = date(1995, 1, 1).toordinal()
_LAST = date(2065, 12, 31).toordinal()
_HOLIDAY_ORDINALS = frozenset(d.toordinal() for d in BANK_HOLIDAYS)


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
    """Working days after ``start`` up to and including ``end`` (numpy.busday_count
    semantics when ``start`` is a working day)."""
    return bisect_left(WORKDAYS, end) - bisect_left(WORKDAYS, start)


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
    return f"{end_year - 1}-{end_year % 100:02d}"


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
    "BANK_HOLIDAYS",
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

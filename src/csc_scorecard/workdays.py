"""Working days in England and Wales.

Statutory timescales in children's social care are set in working days (an
assessment within 45 working days of referral, an initial child protection
conference within 15 working days of the strategy discussion that started the
section 47 enquiry, and so on).  A working day here is Monday to Friday that
is not an England and Wales bank holiday.

Bank holidays come from ``data/bank_holidays_england_wales.csv`` (columns
``date,name``), which covers every year from 2010 to 2030, one-off holidays
and substitute days included.  Outside those years the holidays are unknown,
so every function raises :class:`WorkdaysCoverageError` rather than quietly
counting a bank holiday as a working day.

Counting convention
-------------------
``working_days_between(start, end)`` counts the working days *after* ``start``
up to and including ``end``: the start day itself never counts, so a referral
on Monday with an assessment on Tuesday took 1 working day, and
``working_days_between(d, d) == 0``.  When ``end`` is before ``start`` the
result is the negative of the count the other way round::

    working_days_between(b, a) == -working_days_between(a, b)

which is what you want for data errors such as an ICPC date recorded before
the strategy discussion: the sign shows the problem and the value is not lost.

If ``f(x)`` is the number of working days on or before ``x``, then
``working_days_between(a, b) == f(b) - f(a)``; every function below is built
on that one identity, so the scalar functions and the Polars expression agree.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "COVERAGE_END",
    "COVERAGE_START",
    "WorkdaysCoverageError",
    "add_working_days",
    "bank_holiday_name",
    "bank_holidays",
    "is_bank_holiday",
    "is_working_day",
    "working_days_between",
    "working_days_expr",
]

_DATA_FILE = "bank_holidays_england_wales.csv"

#: First and last dates whose bank holidays are known.
COVERAGE_START = dt.date(2010, 1, 1)
COVERAGE_END = dt.date(2030, 12, 31)


class WorkdaysCoverageError(ValueError):
    """A date lies outside the years whose bank holidays are known."""


# --------------------------------------------------------------------------
# The holiday table
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[dt.date, ...], Mapping[dt.date, str]]:
    text = resources.files("csc_scorecard").joinpath("data", _DATA_FILE).read_text("utf-8")
    names: dict[dt.date, str] = {}
    for line_no, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            day = dt.date.fromisoformat(row["date"].strip())
        except (KeyError, AttributeError, ValueError) as exc:  # pragma: no cover - data error
            raise RuntimeError(
                f"{_DATA_FILE} line {line_no}: bad date {row.get('date')!r}"
            ) from exc
        if day in names:  # pragma: no cover - data error
            raise RuntimeError(f"{_DATA_FILE} line {line_no}: {day} listed twice")
        if day.weekday() >= 5:  # pragma: no cover - data error
            raise RuntimeError(f"{_DATA_FILE} line {line_no}: {day} falls at a weekend")
        names[day] = (row.get("name") or "").strip()
    ordered = tuple(sorted(names))
    return ordered, MappingProxyType(names)


def bank_holidays(start: dt.date | None = None, end: dt.date | None = None) -> dict[dt.date, str]:
    """Bank holidays (date -> name), optionally only those from ``start`` to ``end`` inclusive."""
    ordered, names = _table()
    return {
        d: names[d] for d in ordered if (start is None or d >= start) and (end is None or d <= end)
    }


def _check(day: dt.date, what: str = "date") -> dt.date:
    if isinstance(day, dt.datetime):
        day = day.date()
    elif not isinstance(day, dt.date):
        raise TypeError(f"{what} must be a datetime.date, not {type(day).__name__}")
    if not COVERAGE_START <= day <= COVERAGE_END:
        raise WorkdaysCoverageError(
            f"{what} {day.isoformat()} is outside the years with known England and Wales "
            f"bank holidays ({COVERAGE_START.year}-{COVERAGE_END.year}); working days "
            "cannot be counted reliably for it"
        )
    return day


def is_bank_holiday(day: dt.date) -> bool:
    """True when ``day`` is an England and Wales bank holiday (substitute days included)."""
    return _check(day) in _table()[1]


def bank_holiday_name(day: dt.date) -> str | None:
    """The bank holiday's name, or None when ``day`` is not one."""
    return _table()[1].get(_check(day))


def is_working_day(day: dt.date) -> bool:
    """True for Monday to Friday unless the day is a bank holiday."""
    day = _check(day)
    return day.weekday() < 5 and day not in _table()[1]


# --------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------


def _weekdays_up_to(day: dt.date) -> int:
    """Monday-Friday days from 1 Jan 0001 (a Monday) up to and including ``day``."""
    k = day.toordinal() - 1  # days since that Monday
    weeks, rest = divmod(k, 7)
    return 5 * weeks + min(rest + 1, 5)


def _working_days_up_to(day: dt.date) -> int:
    """f(day): working days on or before ``day`` (relative to a fixed origin)."""
    holidays_so_far = bisect.bisect_right(_table()[0], day)
    return _weekdays_up_to(day) - holidays_so_far


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``.

    0 when ``end == start``; negative (``-working_days_between(end, start)``)
    when ``end`` is before ``start``.  Both dates must be within
    :data:`COVERAGE_START` .. :data:`COVERAGE_END`.
    """
    start = _check(start, "start date")
    end = _check(end, "end date")
    return _working_days_up_to(end) - _working_days_up_to(start)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``start`` (before it when ``n`` is negative).

    This is the exact inverse of :func:`working_days_between`::

        working_days_between(start, add_working_days(start, n)) == n

    ``n == 0`` returns ``start`` unchanged; otherwise the result is always a
    working day, the earliest one with that count.  So the 45th working day
    after a referral is ``add_working_days(referral, 45)``, and an assessment
    authorised on or before that date is in time.

    When ``start`` is not itself a working day, counting runs from the last
    working day before it (as numpy's ``busday_offset(..., roll="backward")``
    does): one working day after Saturday is Monday, one before it is
    Thursday, because Friday is "day 0".
    """
    start = _check(start, "start date")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n == 0:
        return start
    target = _working_days_up_to(start) + n
    # f is non-decreasing and rises by one on each working day; find the
    # first day where it reaches ``target``.  A first guess from the 5/7
    # ratio, then walk; at most a few dozen steps.
    day = start + dt.timedelta(days=(n * 7) // 5)
    day = _clamp(day)
    while _working_days_up_to(day) < target:
        day = _step(day, +1, start, n)
    while _working_days_up_to(day) >= target:
        day = _step(day, -1, start, n)
    return _step(day, +1, start, n)


def _clamp(day: dt.date) -> dt.date:
    return min(max(day, COVERAGE_START), COVERAGE_END)


def _step(day: dt.date, by: int, start: dt.date, n: int) -> dt.date:
    nxt = day + dt.timedelta(days=by)
    if not COVERAGE_START <= nxt <= COVERAGE_END:
        raise WorkdaysCoverageError(
            f"{n} working days from {start.isoformat()} goes outside the years with known "
            f"England and Wales bank holidays ({COVERAGE_START.year}-{COVERAGE_END.year})"
        )
    return nxt


# --------------------------------------------------------------------------
# Polars
# --------------------------------------------------------------------------


def _as_date_expr(col: str | pl.Expr) -> pl.Expr:
    expr = pl.col(col) if isinstance(col, str) else col
    return expr.cast(pl.Date)


def _raise_if_uncovered(batch: pl.Series) -> pl.Series:
    frame = batch.struct.unnest()
    for name, what in (("start", "start date"), ("end", "end date")):
        col = frame.get_column(name)
        bad = col.filter((col < COVERAGE_START) | (col > COVERAGE_END))
        if bad.len():
            first = bad.min()
            assert isinstance(first, dt.date)
            raise WorkdaysCoverageError(
                f"{bad.len()} {what}(s) outside the years with known England and Wales bank "
                f"holidays ({COVERAGE_START.year}-{COVERAGE_END.year}), e.g. {first.isoformat()}; "
                "working days cannot be counted reliably for them"
            )
    return frame.get_column("count")


def working_days_expr(start_col: str | pl.Expr, end_col: str | pl.Expr) -> pl.Expr:
    """Vectorised :func:`working_days_between` for two date columns.

    ``start_col`` / ``end_col`` are column names or expressions (Date, or
    Datetime which is truncated to its date).  The result is Int32, null when
    either date is null; it is named ``working_days`` (use ``.alias`` to
    rename).  Evaluating it raises :class:`WorkdaysCoverageError`
    when any non-null date is outside the covered years.

    Polars' ``business_day_count(a, b)`` counts the business days in
    ``[a, b)`` when ``a <= b``, but is not antisymmetric when ``a > b``.  So
    the count is taken over ``(earlier, later]`` (both ends shifted by one
    day) and the sign is applied afterwards.
    """
    start = _as_date_expr(start_col)
    end = _as_date_expr(end_col)
    one_day = pl.duration(days=1)
    earlier = pl.min_horizontal(start, end)
    later = pl.max_horizontal(start, end)
    forward = pl.business_day_count(
        earlier + one_day,
        later + one_day,
        holidays=list(_table()[0]),
    )
    count = (
        pl.when(start.is_null() | end.is_null())
        .then(None)
        .when(end < start)
        .then(-forward)
        .otherwise(forward)
        .cast(pl.Int32)
    )
    checked = pl.struct(start.alias("start"), end.alias("end"), count.alias("count")).map_batches(
        _raise_if_uncovered, return_dtype=pl.Int32
    )
    return checked.alias("working_days")

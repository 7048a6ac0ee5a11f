"""Reporting periods: financial years, quarters, months, rolling three, six and
twelve months, and year to date.

Councils report on the financial year, 1 April to 31 March.  Every period is
named by a short label, and :func:`parse_period` turns a label into a
:class:`Period` with inclusive start and end dates:

=================  ================  =====================================
label              kind              dates
=================  ================  =====================================
``2024-25``        ``year``          1 Apr 2024 - 31 Mar 2025
``2024-25-Q1``     ``quarter``       1 Apr 2024 - 30 Jun 2024 (Q2 Jul-Sep,
                                     Q3 Oct-Dec, Q4 Jan-Mar 2025)
``2024-09``        ``month``         1 Sep 2024 - 30 Sep 2024
``R12-2025-03``    ``r12``           the twelve months ending Mar 2025:
                                     1 Apr 2024 - 31 Mar 2025
``R6-2025-02``     ``r6``            the six months ending Feb 2025:
                                     1 Sep 2024 - 28 Feb 2025
``R3-2025-02``     ``r3``            the three months ending Feb 2025:
                                     1 Dec 2024 - 28 Feb 2025
``YTD-2024-09``    ``ytd``           financial year to date ending Sep 2024:
                                     1 Apr 2024 - 30 Sep 2024
=================  ================  =====================================

``YYYY-NN`` is a financial year when ``NN`` is the last two digits of the
following year and a month otherwise.  Only two months are affected by the
overlap in practice, November 2010 and December 2011 (``2010-11`` and
``2011-12`` are financial years); for those, and for any month if you like,
write ``M-YYYY-MM`` - their labels use that form so that a label always
parses back to the same period.

Rolling periods follow the same rules as the others: a flow counts events
from the first day of the first month to the last day of the end month, a
snapshot is taken on that last day.  Only 3, 6 and 12 months are rolling
periods (the "last 3 months", "last 6 months" and "12 months to" of
self-evaluations and inspection packs).

Labels are matched ignoring case and surrounding spaces (``r12-2025-03``
is accepted); :attr:`Period.label` is always the canonical form.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the readers use this module, and need no Polars
    import polars as pl

__all__ = [
    "Period",
    "PeriodError",
    "PeriodKind",
    "financial_year_of",
    "in_period_expr",
    "parse_period",
    "quarter_of",
]

ACCEPTED_FORMS = (
    "financial year '2024-25'; quarter '2024-25-Q1' to '2024-25-Q4' "
    "(Q1 Apr-Jun ... Q4 Jan-Mar); month '2024-09' (or 'M-2024-09'); "
    "rolling three, six or twelve months ending a month 'R3-2025-02', 'R6-2025-02', "
    "'R12-2025-03'; "
    "financial year to date ending a month 'YTD-2024-09'"
)


class PeriodError(ValueError):
    """A period label (or period arithmetic) is not valid."""


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    R12 = "r12"
    YTD = "ytd"
    R3 = "r3"
    R6 = "r6"


# Rolling periods: number of months -> kind.  Only these lengths exist.
ROLLING_KINDS: dict[int, PeriodKind] = {3: PeriodKind.R3, 6: PeriodKind.R6, 12: PeriodKind.R12}


# --------------------------------------------------------------------------
# Small date helpers
# --------------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _fy_start_year(year: int, month: int) -> int:
    """Calendar year in which the financial year containing (year, month) starts."""
    return year if month >= 4 else year - 1


def _fy_label(start_year: int) -> str:
    return f"{start_year:04d}-{(start_year + 1) % 100:02d}"


def _month_label(year: int, month: int) -> str:
    plain = f"{year:04d}-{month:02d}"
    # "2010-11" and "2011-12" read as financial years; keep months unambiguous.
    return f"M-{plain}" if month == (year + 1) % 100 else plain


def _as_date(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    raise TypeError(f"expected a datetime.date, not {type(day).__name__}")


# --------------------------------------------------------------------------
# Period
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A reporting period; ``start`` and ``end`` are both inclusive.

    Build one with :func:`parse_period` or the ``Period.financial_year_period``
    / ``quarter`` / ``month`` / ``rolling_twelve`` / ``year_to_date``
    constructors; the plain constructor only checks that ``start <= end``.
    """

    label: str
    kind: PeriodKind
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        try:
            kind = PeriodKind(self.kind)
        except ValueError as exc:
            raise PeriodError(
                f"unknown period kind {self.kind!r}; expected one of "
                + ", ".join(k.value for k in PeriodKind)
            ) from exc
        object.__setattr__(self, "kind", kind)
        if self.start > self.end:
            raise PeriodError(f"period {self.label!r} starts after it ends")

    # -- constructors -------------------------------------------------------

    @classmethod
    def financial_year_period(cls, start_year: int) -> Period:
        """The financial year starting 1 April ``start_year``."""
        return cls(
            _fy_label(start_year),
            PeriodKind.YEAR,
            dt.date(start_year, 4, 1),
            dt.date(start_year + 1, 3, 31),
        )

    @classmethod
    def quarter(cls, start_year: int, q: int) -> Period:
        """Quarter ``q`` (1-4) of the financial year starting in ``start_year``."""
        if q not in (1, 2, 3, 4):
            raise PeriodError(f"quarter must be 1 to 4, not {q!r}")
        year, month = _shift_month(start_year, 4, 3 * (q - 1))
        end_year, end_month = _shift_month(year, month, 2)
        return cls(
            f"{_fy_label(start_year)}-Q{q}",
            PeriodKind.QUARTER,
            dt.date(year, month, 1),
            _month_end(end_year, end_month),
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month ``month`` of ``year``."""
        _check_month(month)
        return cls(
            _month_label(year, month),
            PeriodKind.MONTH,
            dt.date(year, month, 1),
            _month_end(year, month),
        )

    @classmethod
    def rolling(cls, months: int, year: int, month: int) -> Period:
        """The ``months`` (3, 6 or 12) calendar months ending with ``month`` of ``year``."""
        _check_month(month)
        if months not in ROLLING_KINDS:
            raise PeriodError(
                f"a rolling period is 3, 6 or 12 months, not {months!r} "
                "(write R3-YYYY-MM, R6-YYYY-MM or R12-YYYY-MM)"
            )
        first_year, first_month = _shift_month(year, month, -(months - 1))
        return cls(
            f"R{months}-{year:04d}-{month:02d}",
            ROLLING_KINDS[months],
            dt.date(first_year, first_month, 1),
            _month_end(year, month),
        )

    @classmethod
    def rolling_twelve(cls, year: int, month: int) -> Period:
        """The twelve months ending with ``month`` of ``year``."""
        return cls.rolling(12, year, month)

    @property
    def rolling_months(self) -> int | None:
        """3, 6 or 12 for a rolling period, None for any other kind."""
        for months, kind in ROLLING_KINDS.items():
            if self.kind is kind:
                return months
        return None

    @classmethod
    def year_to_date(cls, year: int, month: int) -> Period:
        """From 1 April of the financial year containing the month to the month's end."""
        _check_month(month)
        return cls(
            f"YTD-{year:04d}-{month:02d}",
            PeriodKind.YTD,
            dt.date(_fy_start_year(year, month), 4, 1),
            _month_end(year, month),
        )

    # -- basic properties ---------------------------------------------------

    def __str__(self) -> str:
        return self.label

    @property
    def snapshot_date(self) -> dt.date:
        """The 'as at' date for snapshot measures (e.g. children on a plan): the end date."""
        return self.end

    @property
    def financial_year(self) -> str:
        """Label of the financial year this period belongs to.

        For a rolling period that spans two financial years this is the year of
        its end date (the year the figure is reported in).
        """
        return financial_year_of(self.end)

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` (a date, or a datetime's date) is within start..end inclusive."""
        day = _as_date(day)
        return self.start <= day <= self.end

    # -- arithmetic ---------------------------------------------------------

    def previous_comparable(self) -> Period:
        """The same period a year earlier.

        Same quarter of the previous financial year, the previous financial
        year, the same month last year, and for rolling periods (3, 6 or 12
        months) and year to date the period of the same length ending twelve
        months earlier.
        """
        start_fy = _fy_start_year(self.start.year, self.start.month)
        if self.kind is PeriodKind.YEAR:
            return Period.financial_year_period(start_fy - 1)
        if self.kind is PeriodKind.QUARTER:
            return Period.quarter(start_fy - 1, self._quarter_number())
        year, month = self.end.year - 1, self.end.month
        if self.kind is PeriodKind.MONTH:
            return Period.month(year, month)
        if self.rolling_months is not None:
            return Period.rolling(self.rolling_months, year, month)
        return Period.year_to_date(year, month)

    def months(self) -> list[Period]:
        """The calendar months inside this period, in order (a month gives itself)."""
        result: list[Period] = []
        year, month = self.start.year, self.start.month
        while dt.date(year, month, 1) <= self.end:
            result.append(Period.month(year, month))
            year, month = _shift_month(year, month, 1)
        return result

    def quarters(self) -> list[Period]:
        """The financial quarters lying wholly inside this period, in order.

        A year has four, a quarter gives itself, a month none; ``YTD-2024-08``
        has only Q1 and ``R12-2025-02`` (Mar 2024 - Feb 2025) Q1 to Q3 of 2024-25.
        """
        result: list[Period] = []
        for m in self.months():
            if m.start.month in (4, 7, 10, 1):
                q = Period.quarter(
                    _fy_start_year(m.start.year, m.start.month),
                    {4: 1, 7: 2, 10: 3, 1: 4}[m.start.month],
                )
                if q.end <= self.end:
                    result.append(q)
        return result

    def _quarter_number(self) -> int:
        return {4: 1, 7: 2, 10: 3, 1: 4}[self.start.month]


def _check_month(month: int) -> None:
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise PeriodError(f"month must be 1 to 12, not {month!r}")


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------

_YEAR_OR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-(\d{2})-Q(\d)")
_PREFIXED = re.compile(r"(R\d+|YTD|M)-(\d{4})-(\d{2})")


def _fail(label: object, why: str = "") -> PeriodError:
    reason = f" ({why})" if why else ""
    return PeriodError(f"not a valid period: {label!r}{reason}. Accepted forms: {ACCEPTED_FORMS}")


def _checked_fy(label: object, year: int, yy: int) -> int:
    if yy != (year + 1) % 100:
        raise _fail(label, f"a financial year runs {year}-{(year + 1) % 100:02d}")
    return year


def parse_period(label: str | Period) -> Period:
    """Turn a period label into a :class:`Period`; raise :class:`PeriodError` if it is not one."""
    if isinstance(label, Period):
        return label
    if not isinstance(label, str):
        raise _fail(label, f"expected a string, not {type(label).__name__}")
    text = label.strip().upper()

    if m := _QUARTER.fullmatch(text):
        year = _checked_fy(label, int(m[1]), int(m[2]))
        q = int(m[3])
        if not 1 <= q <= 4:
            raise _fail(label, "quarters are Q1 to Q4")
        return Period.quarter(year, q)

    if m := _PREFIXED.fullmatch(text):
        prefix, year, month = m[1], int(m[2]), int(m[3])
        if not 1 <= month <= 12:
            raise _fail(label, f"no month {month:02d}")
        if prefix.startswith("R"):
            months = int(prefix[1:])
            if months not in ROLLING_KINDS:
                raise _fail(label, f"a rolling period is R3, R6 or R12 (3, 6 or 12 months), not R{months}")
            return Period.rolling(months, year, month)
        if prefix == "YTD":
            return Period.year_to_date(year, month)
        return Period.month(year, month)

    if m := _YEAR_OR_MONTH.fullmatch(text):
        year, nn = int(m[1]), int(m[2])
        if nn == (year + 1) % 100:
            return Period.financial_year_period(year)
        if 1 <= nn <= 12:
            return Period.month(year, nn)
        raise _fail(label, "neither a month 01-12 nor a financial year like 2024-25")

    raise _fail(label)


# --------------------------------------------------------------------------
# Date helpers and Polars
# --------------------------------------------------------------------------


def financial_year_of(day: dt.date) -> str:
    """Label of the financial year containing ``day``: 2024-09-30 -> ``'2024-25'``."""
    day = _as_date(day)
    return _fy_label(_fy_start_year(day.year, day.month))


def quarter_of(day: dt.date) -> str:
    """Label of the financial quarter containing ``day``: 2025-01-15 -> ``'2024-25-Q4'``."""
    day = _as_date(day)
    q = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3}.get(day.month, 4)
    return f"{financial_year_of(day)}-Q{q}"


def in_period_expr(col: str | pl.Expr, period: Period | str) -> pl.Expr:
    """Boolean expression: the date column lies within ``period`` (start..end inclusive).

    ``col`` is a column name or expression of Date or Datetime type (a
    datetime counts by its date).  Null dates give False, so the expression
    can be summed or used in ``filter`` directly.  ``period`` may be a label.
    """
    import polars as pl

    if isinstance(period, str):
        period = parse_period(period)
    expr = pl.col(col) if isinstance(col, str) else col
    return (
        expr.cast(pl.Date)
        .is_between(pl.lit(period.start), pl.lit(period.end), closed="both")
        .fill_null(False)
    )

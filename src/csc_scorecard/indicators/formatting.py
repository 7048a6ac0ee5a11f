"""The one place numbers are rounded and turned into text.

Figures are compared and shown *as displayed*: rounded to the indicator's
decimals, half away from zero (as Excel and most council spreadsheets round;
Python's ``round`` rounds halves to even and works on the binary float, so
``round(2.675, 2) == 2.67``). Floats become decimals through their shortest
``repr``, so ``85.05`` is exactly 85.05.

- :func:`format_figure` prints an indicator's value by its unit and
  decimals (the catalogue's; :meth:`CatalogueEntry.format` calls it):
  ``"85.1"``, with ``thousands`` ``"1,234"``, with ``with_unit`` ``"85.1%"``
  or ``"12 days"``.
- :func:`format_count` prints a numerator or denominator: whole numbers
  without decimals, fractional amounts (FTE, days) to a few places.

The scorecard, the reports, the benchmarks table, the ``indicators``
command and the demo all print through these two functions.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from csc_scorecard.indicators.vocab import Unit

__all__ = ["as_decimal", "format_count", "format_figure", "format_number", "round_value", "rounded"]

Number = float | int | str | Decimal | None


def as_decimal(value: Number) -> Decimal | None:
    """The number as a Decimal (None, NaN and blanks give None)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, bool):
        raise TypeError("a number was expected, not a boolean")
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    text = str(value).strip()
    if not text:
        return None
    try:
        result = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if result.is_nan() or result.is_infinite():
        return None
    return result


def rounded(value: Number, decimals: int | None) -> Decimal | None:
    """``value`` rounded half away from zero to ``decimals`` places (None: not rounded)."""
    number = as_decimal(value)
    if number is None or decimals is None:
        return number
    return number.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)


def round_value(value: float | None, decimals: int) -> float | None:
    """:func:`rounded` as a float, for stored results."""
    number = rounded(value, decimals)
    return None if number is None else float(number)


def _group_thousands(text: str) -> str:
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, frac = digits.partition(".")
    return sign + f"{int(whole):,}" + ("." + frac if frac else "")


def format_figure(
    value: Number,
    decimals: int,
    *,
    unit: Unit | str | None = None,
    thousands: bool = False,
    with_unit: bool = False,
    blank: str = "",
) -> str:
    """A value as printed: exactly ``decimals`` places, half away from zero; ``blank`` for none.

    ``thousands`` separates thousands with commas; ``with_unit`` adds ``%``
    for a percentage and `` days`` for days (``unit`` needed).
    """
    number = rounded(value, decimals)
    if number is None:
        return blank
    if number == 0:
        number = abs(number)  # never show "-0.0"
    text = f"{number:.{int(decimals)}f}"
    if thousands:
        text = _group_thousands(text)
    if with_unit and unit == Unit.PERCENT:
        return text + "%"
    if with_unit and unit == Unit.DAYS:
        return text + (" day" if text == "1" else " days")
    return text


def format_number(value: Number, decimals: int, *, blank: str = "") -> str:
    """Display text rounded to ``decimals`` places (:func:`format_figure` with no unit)."""
    return format_figure(value, decimals, blank=blank)


def format_count(
    value: Number, *, decimals: int = 1, trim: bool = False, thousands: bool = False
) -> str:
    """A numerator or denominator: a whole number as such, else ``decimals`` places.

    ``trim`` drops trailing zeros of a fractional amount (``12.50`` -> ``12.5``).
    """
    number = as_decimal(value)
    if number is None:
        return ""
    if number == number.to_integral_value():
        text = str(int(number))
        return _group_thousands(text) if thousands else text
    text = format_figure(number, decimals, thousands=thousands)
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text

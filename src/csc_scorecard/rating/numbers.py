"""Exact decimal arithmetic for comparisons made on displayed values.

Ratings and directions are decided on the value *as it is displayed*: rounded
to the indicator's decimals, half away from zero (as Excel and most council
spreadsheets round; Python's ``round`` rounds halves to even and works on the
binary float, so ``round(2.675, 2) == 2.67``).  Floats are turned into
decimals through their shortest ``repr`` so ``85.05`` is exactly 85.05.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["POLARITIES", "UNITS", "as_decimal", "format_number", "normalise_polarity", "rounded"]

POLARITIES = ("higher_better", "lower_better", "contextual")
UNITS = ("count", "percent", "rate_per_10k", "days", "average")

_POLARITY_ALIASES = {
    "higher_better": "higher_better",
    "high": "higher_better",
    "higher": "higher_better",
    "lower_better": "lower_better",
    "low": "lower_better",
    "lower": "lower_better",
    "contextual": "contextual",
    "none": "contextual",
}


def normalise_polarity(polarity: str) -> str:
    """``higher_better``, ``lower_better`` or ``contextual`` (``high``/``low`` accepted too)."""
    key = str(polarity or "").strip().lower()
    try:
        return _POLARITY_ALIASES[key]
    except KeyError:
        raise ValueError(
            f"unknown polarity {polarity!r}; expected one of {', '.join(POLARITIES)}"
        ) from None


def as_decimal(value: float | int | str | Decimal | None) -> Decimal | None:
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


def rounded(value: float | int | str | Decimal | None, decimals: int | None) -> Decimal | None:
    """``value`` rounded half away from zero to ``decimals`` places (None: not rounded)."""
    number = as_decimal(value)
    if number is None or decimals is None:
        return number
    return number.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)


def format_number(value: float | int | Decimal | None, decimals: int, *, blank: str = "") -> str:
    """Display text: rounded half away from zero to ``decimals`` places; ``blank`` for no value."""
    number = rounded(value, decimals)
    if number is None:
        return blank
    if number == 0:
        number = abs(number)  # never show "-0.0"
    return f"{number:.{int(decimals)}f}"

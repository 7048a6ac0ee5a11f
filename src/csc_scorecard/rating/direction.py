"""Direction of travel against the previous comparable period.

The previous comparable period is the same period a year earlier
(:meth:`csc_scorecard.periods.Period.previous_comparable`): the same quarter
last year for quarterly figures, the previous financial year for annual ones.

*Change* (:func:`change`):

* ``percent`` indicators: the difference in percentage points (``pp``).
* ``count``, ``rate_per_10k``, ``days`` and ``average``: the percentage
  change relative to the previous value (``%``); None when the previous
  value is 0 (a relative change from nothing is undefined).
* None whenever either value is missing.

*Direction* (:func:`direction`): the change is **steady** when it lies within
the steady band, edge included - by default 1 percentage point for
percentages and 2% (relative) for everything else.  Otherwise the value went
up or down and, by polarity, that is **improving** or **declining**; a
contextual indicator says only **increased** or **decreased**.  Both values
are rounded to the indicator's decimals first, like the RAG rating.  From a
previous value of 0 a count cannot have a relative change: 0 -> 0 is steady
and 0 -> anything else counts as a real move.

The arrow points the way the value moved (↑ up, ↓ down, → steady) and the word
says whether that is better or worse: "↓ improving" for a fall in a
lower-is-better measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.rating.numbers import normalise_polarity, rounded

__all__ = [
    "DEFAULT_STEADY_BAND",
    "Direction",
    "Travel",
    "change",
    "change_unit",
    "direction",
    "direction_label",
    "travel",
]

#: steady band by unit: percentage points for percent, relative % for the rest
DEFAULT_STEADY_BAND: dict[Unit, float] = {
    Unit.PERCENT: 1.0,
    Unit.COUNT: 2.0,
    Unit.RATE_PER_10K: 2.0,
    Unit.DAYS: 2.0,
    Unit.AVERAGE: 2.0,
}

UP, DOWN, LEVEL = "↑", "↓", "→"


class Direction(StrEnum):
    IMPROVING = "improving"
    DECLINING = "declining"
    STEADY = "steady"
    INCREASED = "increased"  # contextual: no judgement
    DECREASED = "decreased"

    @property
    def judged(self) -> bool:
        """True for improving / steady / declining (not the contextual words)."""
        return self in (Direction.IMPROVING, Direction.DECLINING, Direction.STEADY)


def _check_unit(unit: str) -> Unit:
    return Unit.parse(unit)


def change_unit(unit: str) -> str:
    """``pp`` for percentages, ``%`` for counts, rates, days and averages."""
    return "pp" if _check_unit(unit) is Unit.PERCENT else "%"


def _change(cur: Decimal | None, prev: Decimal | None, unit: str) -> Decimal | None:
    if cur is None or prev is None:
        return None
    if unit == Unit.PERCENT:
        return cur - prev
    if prev == 0:
        return None
    return (cur - prev) / abs(prev) * 100


def change(
    current: float | int | Decimal | None,
    previous: float | int | Decimal | None,
    unit: str,
    *,
    decimals: int | None = None,
) -> float | None:
    """Percentage points (percent) or % change (others) from ``previous`` to ``current``.

    None when either value is missing, or for a relative change from 0.
    With ``decimals``, both values are rounded to them first.
    """
    _check_unit(unit)
    result = _change(rounded(current, decimals), rounded(previous, decimals), unit)
    return None if result is None else float(result)


def direction(
    current: float | int | Decimal | None,
    previous: float | int | Decimal | None,
    *,
    polarity: str,
    unit: str,
    decimals: int | None = None,
    steady_band: float | None = None,
) -> Direction | None:
    """Improving / steady / declining (or increased / decreased when contextual).

    None when there is nothing to compare.  ``steady_band`` overrides the
    unit's default (pp for percent, relative % otherwise); the edge is steady.
    """
    polarity = normalise_polarity(polarity)
    unit = _check_unit(unit)
    band = Decimal(repr(float(DEFAULT_STEADY_BAND[unit] if steady_band is None else steady_band)))
    if band < 0:
        raise ValueError("the steady band must not be negative")
    cur, prev = rounded(current, decimals), rounded(previous, decimals)
    if cur is None or prev is None:
        return None
    delta = _change(cur, prev, unit)
    if cur == prev or (delta is not None and abs(delta) <= band):
        return Direction.STEADY
    went_up = cur > prev
    if polarity is Polarity.CONTEXTUAL:
        return Direction.INCREASED if went_up else Direction.DECREASED
    better = went_up == (polarity is Polarity.HIGHER_BETTER)
    return Direction.IMPROVING if better else Direction.DECLINING


def direction_label(value: Direction | str | None, *, went_up: bool | None = None) -> str:
    """Arrow and word, e.g. "↑ improving"; "No comparison" for None.

    For improving / declining the arrow needs to know which way the value went
    (``went_up``); :class:`Travel` carries it.
    """
    if value is None or value == "":
        return "No comparison"
    d = Direction(value)
    if d is Direction.STEADY:
        arrow = LEVEL
    elif d is Direction.INCREASED:
        arrow = UP
    elif d is Direction.DECREASED:
        arrow = DOWN
    elif went_up is None:
        raise ValueError("the arrow for improving/declining needs to know which way the value went")
    else:
        arrow = UP if went_up else DOWN
    return f"{arrow} {d.value}"


@dataclass(frozen=True)
class Travel:
    """Direction of travel with the change behind it."""

    direction: Direction | None
    change: float | None  # pp or %, see change_unit
    change_unit: str  # "pp" or "%"
    went_up: bool | None  # None when steady or not comparable

    @property
    def arrow(self) -> str:
        if self.direction is None:
            return ""
        return direction_label(self.direction, went_up=self.went_up).split(" ", 1)[0]

    @property
    def label(self) -> str:
        """ "↑ improving", "↓ declining", "→ steady", "↑ increased" ... or "No comparison"."""
        return direction_label(self.direction, went_up=self.went_up)


def travel(
    current: float | int | Decimal | None,
    previous: float | int | Decimal | None,
    *,
    polarity: str,
    unit: str,
    decimals: int | None = None,
    steady_band: float | None = None,
) -> Travel:
    """:func:`direction` and :func:`change` together, with the arrow's way."""
    d = direction(
        current, previous, polarity=polarity, unit=unit, decimals=decimals, steady_band=steady_band
    )
    went_up = None
    if d is not None and d is not Direction.STEADY:
        went_up = rounded(current, decimals) > rounded(previous, decimals)  # type: ignore[operator]
    return Travel(d, change(current, previous, unit, decimals=decimals), change_unit(unit), went_up)

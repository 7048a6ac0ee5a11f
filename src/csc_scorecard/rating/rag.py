"""RAG ratings: G, A, R against a target and tolerance; B for a discontinued measure.

The rules (see docs/rating.md):

* The value and the target are first rounded to the indicator's decimals,
  half away from zero: the rating is decided on the figures the reader sees.
* **G** - on target or better than it (exactly on target is G).  "Better"
  follows the polarity: higher for ``higher_better``, lower for
  ``lower_better``.
* **A** - worse than target by no more than the tolerance (a value exactly on
  the tolerance edge is A).
* **R** - worse than target by more than the tolerance.
* **B** - the measure is discontinued (a flag on the target); it wins over
  everything else, whatever the value.
* No rating (``None``, shown "Not rated") for a contextual indicator, a
  missing value, or no target.

Tolerance is ``absolute`` (in the indicator's own unit: 5 on a percentage is
5 percentage points) or ``relative`` (a fraction of the target: 0.05 allows
a shortfall of up to 5% of the rounded target's size).  No tolerance (0)
means anything worse than target is R.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from csc_scorecard.indicators.vocab import Polarity
from csc_scorecard.rating.numbers import as_decimal, normalise_polarity, rounded

if TYPE_CHECKING:
    from csc_scorecard.rating.targets import TargetSpec

__all__ = [
    "RAG_LABELS",
    "NOT_RATED",
    "Rag",
    "TOLERANCE_TYPES",
    "rag",
    "rag_for_target",
    "rag_label",
]

TOLERANCE_TYPES = ("absolute", "relative")
NOT_RATED = "Not rated"


class Rag(StrEnum):
    G = "G"
    A = "A"
    R = "R"
    B = "B"


RAG_LABELS: dict[Rag, str] = {
    Rag.G: "Green: on or better than target",
    Rag.A: "Amber: off target but within tolerance",
    Rag.R: "Red: off target and outside tolerance",
    Rag.B: "Blue: measure discontinued",
}

_SHORT = {Rag.G: "Green", Rag.A: "Amber", Rag.R: "Red", Rag.B: "Blue"}


def rag_label(value: Rag | str | None, *, short: bool = False) -> str:
    """Text for a rating, never colour alone: "Green: on or better than target" or "Not rated"."""
    if value is None or value == "":
        return NOT_RATED
    r = Rag(value)
    return _SHORT[r] if short else RAG_LABELS[r]


def rag(
    value: float | int | Decimal | None,
    target: float | int | Decimal | None,
    *,
    polarity: str,
    tolerance: float | int | Decimal | None = 0,
    tolerance_type: str = "absolute",
    decimals: int | None = None,
    discontinued: bool = False,
) -> Rag | None:
    """Rate ``value`` against ``target``; see the module docstring for the rules.

    ``decimals`` is the indicator's display precision (None: compare unrounded).
    Raises ValueError for an unknown polarity or tolerance type or a negative
    tolerance.
    """
    polarity = normalise_polarity(polarity)
    if tolerance_type not in TOLERANCE_TYPES:
        raise ValueError(
            f"unknown tolerance type {tolerance_type!r}; expected absolute or relative"
        )
    tol = as_decimal(tolerance) or Decimal(0)
    if tol < 0:
        raise ValueError(f"tolerance must not be negative, got {tolerance!r}")
    if discontinued:
        return Rag.B
    if polarity is Polarity.CONTEXTUAL:
        return None
    v = rounded(value, decimals)
    t = rounded(target, decimals)
    if v is None or t is None:
        return None
    shortfall = (t - v) if polarity is Polarity.HIGHER_BETTER else (v - t)
    if shortfall <= 0:
        return Rag.G
    band = tol if tolerance_type == "absolute" else abs(t) * tol
    return Rag.A if shortfall <= band else Rag.R


def rag_for_target(
    value: float | int | Decimal | None,
    spec: TargetSpec | None,
    *,
    polarity: str,
    decimals: int | None = None,
) -> Rag | None:
    """:func:`rag` with the target, tolerance and discontinued flag taken from a target row."""
    if spec is None:
        return None
    return rag(
        value,
        spec.target,
        polarity=polarity,
        tolerance=spec.tolerance,
        tolerance_type=spec.tolerance_type,
        decimals=decimals,
        discontinued=spec.discontinued,
    )

"""Publication mode: small numbers suppressed, with secondary suppression.

Convention (DfE's, as in its children in need and children looked after
statistics, using the Government Statistical Service symbol ``c`` for
"confidential"):

* **Primary**: a count of children from 1 to 5 is shown ``c``.  0 is shown
  as 0 (a zero reveals nothing about any child).
* **Derived figures**: a row is suppressed as a whole, so a percentage, rate
  or average whose numerator or denominator is suppressed is shown ``c`` too
  (the value could otherwise give the count back: 40% of 10).
* **Secondary**: in a breakdown (the rows of one indicator and period, one
  per area, plus the total row with area ``all``) no suppressed figure may be
  recoverable by subtracting the others from the total.  Whenever exactly one
  figure of the group - counting the total as one of them - is suppressed,
  the next smallest unsuppressed area is suppressed too (the smallest
  non-zero one; a zero only when nothing else is left; the total when no
  area is left); this is repeated until it holds.  It is applied even when
  the frame has no total row, because the council's total is published
  elsewhere (DfE's own tables).

Which counts are tested for primary suppression depends on the unit:
``count`` its numerator (or value when the numerator is blank), ``percent``
its numerator and denominator, ``rate_per_10k`` its numerator (the
denominator is the 0-17 population), ``days`` and ``average`` their
denominator (the number of children or staff; the numerator is a sum of
days or cases, not a count of people).  Without a ``unit`` column both
numerator and denominator are tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from csc_scorecard.indicators.formatting import format_count, format_number
from csc_scorecard.indicators.vocab import Unit

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

__all__ = ["SUPPRESSED", "TOTAL_AREA", "suppress", "tested_counts"]

SUPPRESSED = "c"
TOTAL_AREA = "all"
DEFAULT_GROUP = ("indicator_id", "period")


def _num(x: Any) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def tested_counts(row: dict[str, Any]) -> list[float]:
    """The counts of people in a row that primary suppression tests (see module docstring)."""
    unit = row.get("unit")
    num, den = _num(row.get("numerator")), _num(row.get("denominator"))
    if unit == Unit.COUNT:
        picked = [num if num is not None else _num(row.get("value"))]
    elif unit == Unit.PERCENT:
        picked = [num, den]
    elif unit == Unit.RATE_PER_10K:
        picked = [num]
    elif unit in (Unit.DAYS, Unit.AVERAGE):
        picked = [den]
    else:
        picked = [num, den]
    return [c for c in picked if c is not None]


def _primary(row: dict[str, Any], low: float, high: float) -> bool:
    return any(low <= c <= high for c in tested_counts(row))


def _size(row: dict[str, Any]) -> float:
    counts = tested_counts(row)
    return min(counts) if counts else float("inf")


def _display_count(x: Any) -> str:
    return format_count(_num(x), decimals=1)


def _decimals(row: dict[str, Any]) -> int:
    d = row.get("decimals")
    if d is not None:
        return int(d)
    return 0 if row.get("unit") == Unit.COUNT else 1


def suppress(
    frame: pl.DataFrame,
    *,
    group_by: Sequence[str] = DEFAULT_GROUP,
    area: str = "area",
    total: str = TOTAL_AREA,
    low: int = 1,
    high: int = 5,
    redact: bool = True,
) -> pl.DataFrame:
    """Return ``frame`` with ``suppressed`` (bool), ``suppression`` ("primary",
    "secondary" or "") and display strings ``numerator_display``,
    ``denominator_display``, ``value_display`` (``c`` when suppressed).

    ``frame`` needs ``area`` and ``numerator``; ``denominator``, ``value``,
    ``unit`` and ``decimals`` are used when present, and the ``group_by``
    columns it has define the breakdowns.  With ``redact`` (the default) the
    numerator, denominator and value of a suppressed row are set to null, so
    the numbers cannot leak from the frame itself.  Row order is kept.
    """
    if area not in frame.columns or "numerator" not in frame.columns:
        raise ValueError(f"suppress() needs the columns {area!r} and 'numerator'")
    rows = frame.to_dicts()
    keys = [c for c in group_by if c in frame.columns and c != area]
    status = ["primary" if _primary(r, low, high) else "" for r in rows]

    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(tuple(r[k] for k in keys), []).append(i)

    for members in groups.values():
        totals = [i for i in members if rows[i][area] == total]
        cells = [i for i in members if rows[i][area] != total]
        while True:
            hidden: Any = [i for i in members if status[i]]  # a list here, a flag below
            if len(hidden) != 1 or len(members) < 2:
                break
            visible = [i for i in cells if not status[i]]
            nonzero = [i for i in visible if _size(rows[i]) > 0]
            pool = nonzero or visible
            if pool:
                pick = min(pool, key=lambda i: (_size(rows[i]), str(rows[i][area]), i))
            else:
                open_totals = [i for i in totals if not status[i]]
                if not open_totals:
                    break
                pick = open_totals[0]
            status[pick] = "secondary"

    out = []
    for r, s in zip(rows, status, strict=True):
        hidden = bool(s)
        r = dict(r)
        r["numerator_display"] = SUPPRESSED if hidden else _display_count(r.get("numerator"))
        r["denominator_display"] = SUPPRESSED if hidden else _display_count(r.get("denominator"))
        value = r.get("value")
        r["value_display"] = SUPPRESSED if hidden else format_number(_num(value), _decimals(r))
        r["suppressed"] = hidden
        r["suppression"] = s
        if hidden and redact:
            for col in ("numerator", "denominator", "value"):
                if col in r:
                    r[col] = None
        out.append(r)
    schema: dict[str, PolarsDataType] = dict(frame.schema)
    schema.update(
        {
            "numerator_display": pl.String,
            "denominator_display": pl.String,
            "value_display": pl.String,
            "suppressed": pl.Boolean,
            "suppression": pl.String,
        }
    )
    return pl.DataFrame(out, schema=schema) if out else pl.DataFrame(schema=schema)

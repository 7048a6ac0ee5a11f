"""Indicator functions, registered by their catalogue id.

An indicator function does one thing: given the council's case data and a
period, it returns the *units* the indicator counts, one row each (a
referral, a plan, a looked-after child, a team), with:

- `child_id` (Utf8) — or `team` (Utf8) for workforce measures, which are
  about teams, not children;
- `date` (Date): when the unit is placed in a team and an age band — the
  event date for flows, the period's last day for snapshots;
- `numerator` (Float64): 1.0 or 0.0 for counts and percentages; the quantity
  (days, cases, FTE) for averages and sums;
- `denominator` (Float64): 1.0 or 0.0 when the unit is in the denominator,
  null for counts and rates (the engine supplies the population for rates).

The engine (csc_scorecard.indicators.engine) does all aggregation and every
breakdown (area, team, sex, age, ethnicity, disability) the same way for all
indicators, and the same unit rows name the children behind a figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from csc_scorecard.periods import Period

UNIT_COLUMNS = ("date", "numerator", "denominator")


@dataclass
class CaseData:
    """The council's current case data as Polars frames, one per canonical table.

    Frame names and column names are those of csc_scorecard.store.models
    (e.g. tables["cla_episode"] has start_date, reason_new_episode, ...);
    dates are pl.Date, booleans pl.Boolean. A table with no data is an
    empty frame with the right columns.
    """

    tables: dict[str, pl.DataFrame]
    la_code: str = ""
    population_0_17: int | None = None
    population_note: str = ""  # where the population figure came from (vintage)
    submissions: list[int] = field(default_factory=list)  # ids of the submissions used
    notes: list[str] = field(default_factory=list)  # how the data was assembled (fallbacks)
    # (first day, last day) the current Annex A lists cover (their "as at" date when
    # given): a table read from Annex A says nothing about days outside it. None
    # when no Annex A is used.
    annex_a_window: tuple[dt.date, dt.date] | None = None

    # financial year -> (population, note), filled by indicators.population
    population_cache: dict[str, tuple[int | None, str]] = field(default_factory=dict, repr=False)

    # (indicator id, period label) -> why it cannot be computed, filled by the engine
    # when a function raises Unavailable (a figure with no data is never shown as 0)
    unavailable: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def __getitem__(self, table: str) -> pl.DataFrame:
        return self.tables[table]


class Unavailable(Exception):  # noqa: N818 - a state, not a failure
    """Raised by an indicator function when its data is not held at all.

    The reason is in words for the reader of a report ("no data: needs the
    initial health assessments extract"); the engine leaves the value empty,
    never 0, and keeps the reason in ``CaseData.unavailable``.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


IndicatorFunction = Callable[[CaseData, Period], pl.DataFrame]

#: catalogue id -> the function that makes its unit rows. A declared rate
#: (``rate_of`` in the catalogue) maps to its count's function: registering
#: the count registers the rates declared on it, so no rate is written twice.
INDICATORS: dict[str, IndicatorFunction] = {}

#: declared rate id -> the count id it divides by the 0-17 population
DECLARED_RATES: dict[str, str] = {}


def _declared_rates() -> dict[str, tuple[str, str]]:
    """rate id -> (count id, where it is declared), from the package catalogue."""
    from csc_scorecard.indicators.catalogue import get_catalogue

    return {e.id: (e.rate_of, e.where) for e in get_catalogue() if e.rate_of}


def indicator(indicator_id: str) -> Callable[[IndicatorFunction], IndicatorFunction]:
    """Register `fn` as the computation for catalogue entry `indicator_id`.

    The rates the catalogue declares on this count (``rate_of: indicator_id``)
    are registered with it.
    """

    def register(fn: IndicatorFunction) -> IndicatorFunction:
        declared = _declared_rates()
        if indicator_id in declared:
            count, where = declared[indicator_id]
            raise ValueError(
                f"indicator {indicator_id!r} is declared 'rate_of: {count}' ({where}): the engine "
                f"computes it from {count}, so it needs no function"
            )
        if indicator_id in INDICATORS:
            raise ValueError(f"indicator {indicator_id!r} is registered twice")
        INDICATORS[indicator_id] = fn
        for rate, (count, _where) in declared.items():
            if count == indicator_id:
                INDICATORS[rate] = fn
                DECLARED_RATES[rate] = count
        return fn

    return register


def units(
    frame: pl.DataFrame,
    *,
    date: pl.Expr,
    numerator: pl.Expr,
    denominator: pl.Expr | None = None,
    key: str = "child_id",
) -> pl.DataFrame:
    """Shape an indicator's working frame into the unit contract above."""
    denominator_expr = (
        pl.lit(None, dtype=pl.Float64) if denominator is None else denominator.cast(pl.Float64)
    )
    return frame.select(
        pl.col(key).cast(pl.Utf8),
        date.cast(pl.Date).alias("date"),
        numerator.cast(pl.Float64).alias("numerator"),
        denominator_expr.alias("denominator"),
    )

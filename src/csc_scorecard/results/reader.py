"""The one reader of stored indicator values (IndicatorValue) as a Polars frame.

Everything that shows stored figures (indicators, the scorecard, reports, the
web) reads them through :func:`read_values`, via csc_scorecard.services.results.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

__all__ = [
    "VALUE_SCHEMA", "population_notes", "read_frozen_values", "read_values", "result_councils",
    "stored_periods",
]

VALUE_SCHEMA: dict[str, pl.DataType] = {
    "indicator_id": pl.Utf8(), "period": pl.Utf8(), "breakdown": pl.Utf8(),
    "breakdown_value": pl.Utf8(), "numerator": pl.Float64(), "denominator": pl.Float64(),
    "value": pl.Float64(), "la_code": pl.Utf8(), "computed_at": pl.Datetime("us", "UTC"),
}


def read_values(
    *,
    la_code: str | None = None,
    periods: Iterable[str] | None = None,
    breakdowns: Iterable[str] | None = None,
    indicator_ids: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Stored (live) values (columns :data:`VALUE_SCHEMA`); each filter applies when given."""
    from csc_scorecard.results.models import IndicatorValue

    return _frame(IndicatorValue.objects.all(), la_code, periods, breakdowns, indicator_ids)


def read_frozen_values(
    freeze_id: int,
    *,
    periods: Iterable[str] | None = None,
    breakdowns: Iterable[str] | None = None,
    indicator_ids: Iterable[str] | None = None,
) -> pl.DataFrame:
    """One freeze's values (results.FrozenValue), in the same columns as :func:`read_values`."""
    from csc_scorecard.results.models import FrozenValue

    query = FrozenValue.objects.filter(freeze_id=freeze_id)
    return _frame(query, None, periods, breakdowns, indicator_ids)


def _frame(query, la_code, periods, breakdowns, indicator_ids) -> pl.DataFrame:  # noqa: ANN001
    if la_code is not None:
        query = query.filter(la_code=la_code)
    if periods is not None:
        query = query.filter(period__in=sorted(set(periods)))
    if breakdowns is not None:
        query = query.filter(breakdown__in=sorted(set(breakdowns)))
    if indicator_ids is not None:
        query = query.filter(indicator_id__in=sorted(set(indicator_ids)))
    return pl.DataFrame(
        list(query.order_by("indicator_id", "period", "breakdown", "breakdown_value")
             .values_list(*VALUE_SCHEMA)),
        schema=VALUE_SCHEMA,
        orient="row",
    )


def result_councils() -> list[str]:
    """LA codes that have stored values ("" for a council without a code)."""
    from csc_scorecard.results.models import IndicatorValue

    return sorted(set(IndicatorValue.objects.order_by().values_list("la_code", flat=True).distinct()))


def stored_periods(la_code: str | None = None) -> list[str]:
    """Period labels with stored council-wide values (of one council when ``la_code`` is given)."""
    from csc_scorecard.results.models import IndicatorValue

    query = IndicatorValue.objects.order_by().filter(breakdown="all")
    if la_code is not None:
        query = query.filter(la_code=la_code)
    return sorted(set(query.values_list("period", flat=True).distinct()))


def population_notes(
    *, la_code: str | None, periods: Iterable[str], breakdowns: Iterable[str] = ("all", "area"),
    freeze_id: int | None = None,
) -> dict[tuple[str, str, str], str]:
    """(period, breakdown, value) -> the 0-17 population its stored rates used, or why they are
    empty (the note every rate row keeps); one per row, rates only. With ``freeze_id``, the
    notes kept with that freeze (results.FrozenValue) rather than the live ones."""
    from csc_scorecard.results.models import FrozenValue, IndicatorValue

    rows_of = IndicatorValue.objects if freeze_id is None else FrozenValue.objects.filter(
        freeze_id=freeze_id)
    query = rows_of.exclude(population_note="").filter(
        period__in=sorted(set(periods)), breakdown__in=sorted(set(breakdowns))
    )
    if la_code is not None:
        query = query.filter(la_code=la_code)
    rows = query.order_by().values_list("period", "breakdown", "breakdown_value", "population_note")
    return {(p, b, v): note for p, b, v, note in rows.distinct()}

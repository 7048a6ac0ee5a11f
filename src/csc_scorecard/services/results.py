"""Reading stored results: the one reader every front end and report uses.

The values are read by :func:`csc_scorecard.results.reader.read_values`; the
council by :func:`csc_scorecard.services.council.choose_council`. A front end
asks for a council's figures with :func:`council_values` (or the scorecard's
shape with :func:`scorecard_values`) and never queries IndicatorValue itself.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from csc_scorecard.periods import Period, parse_period
from csc_scorecard.results.reader import VALUE_SCHEMA, read_values, result_councils, stored_periods

__all__ = [
    "NoResults",
    "VALUE_SCHEMA",
    "council_values",
    "results_council",
    "scorecard_values",
    "stored_periods",
    "stored_values",
]

TOTAL_AREA = "all"

NOTHING_STORED = (
    "no indicator results are stored; ingest the returns first "
    "(csc-scorecard ingest DIR) so the indicators are computed"
)


class NoResults(LookupError):
    """No stored results for the council asked for (a clear message for the user)."""


def _label(period: Period | str) -> str:
    return parse_period(period).label if isinstance(period, str) else period.label


def stored_values(
    period: Period | str | None = None,
    *,
    la_code: str | None = None,
    breakdown: str | None = None,
    indicator_ids: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Stored values as a frame, filtered as asked (``la_code`` None: every council)."""
    return read_values(
        la_code=la_code,
        periods=None if period is None else [_label(period)],
        breakdowns=None if breakdown is None else [breakdown],
        indicator_ids=indicator_ids,
    )


def results_council(la_code: str | None = None, *, required: bool = True) -> str:
    """The council whose results are read (the council rule), checked against the results.

    Raises CouncilNotChosen (several councils, none chosen) or :class:`NoResults`
    (nothing stored when ``required``; nothing stored for the chosen council).
    """
    from csc_scorecard.services.council import choose_council

    council = choose_council(la_code)
    codes = result_councils()
    if not codes:
        if required:
            raise NoResults(NOTHING_STORED)
        return council.la_code
    if council.la_code not in codes:
        raise NoResults(
            f"no stored results for LA {council.la_code or '(no LA code)'}; results are stored for "
            + ", ".join(c or "(no LA code)" for c in codes)
        )
    return council.la_code


def council_values(
    periods: Iterable[Period | str],
    *,
    la_code: str | None = None,
    breakdowns: Iterable[str] = (TOTAL_AREA, "area"),
    indicator_ids: Iterable[str] | None = None,
) -> tuple[str, pl.DataFrame]:
    """The chosen council's code and its stored values for the periods."""
    code = results_council(la_code)
    frame = read_values(
        la_code=code, periods=[_label(p) for p in periods], breakdowns=breakdowns,
        indicator_ids=indicator_ids,
    )
    return code, frame


SCORECARD_VALUE_SCHEMA: dict[str, pl.DataType] = {
    "indicator_id": pl.String(), "area": pl.String(), "numerator": pl.Float64(),
    "denominator": pl.Float64(), "value": pl.Float64(),
}


def scorecard_values(period: Period | str, by: str | None = None, *,
                     la_code: str | None = None) -> pl.DataFrame:
    """One period's values in the scorecard's shape: indicator_id, area, numerator, denominator, value.

    Empty when nothing is stored at all (the scorecard then says so).
    """
    code = results_council(la_code, required=False)
    frame = read_values(
        la_code=code, periods=[_label(period)], breakdowns=[TOTAL_AREA] + ([by] if by else []),
    )
    return frame.select(
        "indicator_id",
        pl.when(pl.col("breakdown") == TOTAL_AREA).then(pl.lit(TOTAL_AREA))
        .otherwise(pl.col("breakdown_value")).alias("area"),
        "numerator", "denominator", "value",
    ).cast(SCORECARD_VALUE_SCHEMA)  # type: ignore[arg-type]

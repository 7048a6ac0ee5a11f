"""Reading stored results: the one reader every front end and report uses.

The values are read by :func:`csc_scorecard.results.reader.read_values`; the
council by :func:`csc_scorecard.services.council.choose_council`. A front end
asks for a council's figures with :func:`council_values` (or the scorecard's
shape with :func:`scorecard_values`) and never queries IndicatorValue itself.

Frozen or live is decided here and nowhere else (:func:`resolved_values`):

1. a read made for a period (``context``: the report's, the scorecard's or
   the page's period) whose financial year is frozen takes that year **and
   the year before** from that freeze, so the report or page of a frozen
   year shows the comparisons it showed when it was frozen;
2. any other period of a frozen year comes from that year's freeze;
3. every other period is live.

The freeze in force is the latest version that is not withdrawn
(csc_scorecard.services.freeze). :func:`live_values` skips the rule
(``reconcile`` shows both); :func:`freeze_for` says which freeze a read of a
period uses, so a front end can say "frozen on DATE".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from csc_scorecard.periods import Period, parse_period
from csc_scorecard.results.reader import VALUE_SCHEMA, read_values, result_councils, stored_periods

__all__ = [
    "NoResults",
    "VALUE_SCHEMA",
    "council_values",
    "freeze_for",
    "frozen_benchmarks",
    "frozen_targets",
    "live_values",
    "resolved_values",
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


def _holders(la_code: str, context: str | None) -> tuple[dict[str, Any], Any]:
    """(frozen year -> its freeze, the context's freeze or None): rule 1 and 2 of the module."""
    from csc_scorecard.services.freeze import current_freezes, year_of

    freezes = current_freezes(la_code)
    return freezes, freezes.get(year_of(context) or "") if freezes else None


def resolved_values(
    *,
    la_code: str,
    periods: Iterable[str] | None = None,
    breakdowns: Iterable[str] | None = None,
    indicator_ids: Iterable[str] | None = None,
    context: Period | str | None = None,
) -> pl.DataFrame:
    """One council's values, frozen where a freeze holds them and live elsewhere (the rule above)."""
    from csc_scorecard.results.reader import read_frozen_values
    from csc_scorecard.services.freeze import previous_year, year_of

    labels = None if periods is None else sorted({_label(p) for p in periods})
    freezes, ctx = _holders(la_code, None if context is None else _label(context))
    live = read_values(la_code=la_code, periods=labels, breakdowns=breakdowns,
                       indicator_ids=indicator_ids)
    if not freezes:
        return live

    def holder(year: str | None) -> Any:
        if ctx is not None and year in (ctx.year, previous_year(ctx.year)):
            return ctx
        return freezes.get(year or "")

    years = {p: year_of(p) for p in live["period"].unique().to_list()}
    parts = [live.filter(pl.col("period").is_in([p for p, y in years.items() if holder(y) is None]))]
    used = {id(f): f for f in [ctx, *freezes.values()] if f is not None}
    for freeze in used.values():
        frame = read_frozen_values(freeze.pk, periods=labels, breakdowns=breakdowns,
                                   indicator_ids=indicator_ids)
        held = [p for p in frame["period"].unique().to_list() if holder(year_of(p)) is freeze]
        parts.append(frame.filter(pl.col("period").is_in(held)))
    return pl.concat(parts).sort("indicator_id", "period", "breakdown", "breakdown_value")


def live_values(
    period: Period | str | None = None,
    *,
    la_code: str,
    breakdown: str | None = None,
    indicator_ids: Iterable[str] | None = None,
) -> pl.DataFrame:
    """The live values whether frozen or not (for reconcile, which shows both)."""
    return read_values(
        la_code=la_code,
        periods=None if period is None else [_label(period)],
        breakdowns=None if breakdown is None else [breakdown],
        indicator_ids=indicator_ids,
    )


def freeze_for(period: Period | str, la_code: str) -> Any:
    """The freeze (services.freeze.FreezeInfo) whose figures a read of ``period`` shows, or None."""
    from csc_scorecard.services.freeze import FreezeInfo, freeze_in_force, year_of

    info: FreezeInfo | None = freeze_in_force(la_code, year_of(_label(period)) or "")
    return info


def frozen_benchmarks(period: Period | str, la_code: str) -> tuple[bool, pl.DataFrame | None, list[str]]:
    """(frozen?, the SN average/England frame kept with the freeze or None, its notes).

    A scorecard of a frozen year compares with the benchmarks as they were read when
    the year was frozen; (False, None, []) when the year is not frozen (read them live).
    """
    info = freeze_for(period, la_code)
    if info is None or not isinstance(info.benchmarks, dict) or "rows" not in info.benchmarks:
        return False, None, []
    rows = info.benchmarks.get("rows")
    notes = [str(n) for n in info.benchmarks.get("notes") or []]
    if rows is None:
        return True, None, notes
    schema = {"indicator_id": pl.String(), "sn_average": pl.Float64(), "england": pl.Float64(),
              "benchmark_period": pl.String()}
    return True, pl.DataFrame(rows, schema=schema), notes  # type: ignore[arg-type]


def frozen_targets(year: str, la_code: str) -> dict | None:
    """The targets kept with the freeze of the financial year, by indicator id (TargetSpec);
    None when the year is not frozen, or was frozen before targets were kept (read them live)."""
    from decimal import Decimal

    from csc_scorecard.rating.targets import TargetSpec

    info = freeze_for(year, la_code)
    if info is None or not isinstance(info.targets, dict) or "rows" not in info.targets:
        return None
    out = {}
    for row in info.targets["rows"]:
        out[row["indicator_id"]] = TargetSpec(
            indicator_id=row["indicator_id"], year=row["year"],
            target=None if row["target"] is None else Decimal(row["target"]),
            tolerance=Decimal(row["tolerance"]), tolerance_type=row["tolerance_type"],
            discontinued=bool(row["discontinued"]), note=row["note"])
    return out


def stored_values(
    period: Period | str | None = None,
    *,
    la_code: str | None = None,
    breakdown: str | None = None,
    indicator_ids: Iterable[str] | None = None,
    context: Period | str | None = None,
) -> pl.DataFrame:
    """Stored values as a frame, filtered as asked (``la_code`` None: every council).

    Frozen where a freeze holds them (the module's rule; ``context`` defaults to ``period``).
    """
    codes = [la_code] if la_code is not None else result_councils()
    frames = [
        resolved_values(
            la_code=code,
            periods=None if period is None else [_label(period)],
            breakdowns=None if breakdown is None else [breakdown],
            indicator_ids=indicator_ids,
            context=context if context is not None else period,
        )
        for code in codes
    ]
    return pl.concat(frames) if frames else pl.DataFrame(schema=VALUE_SCHEMA)


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
    context: Period | str | None = None,
) -> tuple[str, pl.DataFrame]:
    """The chosen council's code and its stored values for the periods.

    ``context`` is the period the values are read for (a report's): when its year is
    frozen, that year and the year before come from the freeze.
    """
    code = results_council(la_code)
    frame = resolved_values(
        la_code=code, periods=[_label(p) for p in periods], breakdowns=breakdowns,
        indicator_ids=indicator_ids, context=context,
    )
    return code, frame


SCORECARD_VALUE_SCHEMA: dict[str, pl.DataType] = {
    "indicator_id": pl.String(), "area": pl.String(), "numerator": pl.Float64(),
    "denominator": pl.Float64(), "value": pl.Float64(),
}


def scorecard_values(period: Period | str, by: str | None = None, *,
                     la_code: str | None = None,
                     context: Period | str | None = None) -> pl.DataFrame:
    """One period's values in the scorecard's shape: indicator_id, area, numerator, denominator, value.

    Empty when nothing is stored at all (the scorecard then says so). ``context``:
    the scorecard's own period, when this is its comparison period.
    """
    code = results_council(la_code, required=False)
    frame = resolved_values(
        la_code=code, periods=[_label(period)], breakdowns=[TOTAL_AREA] + ([by] if by else []),
        context=context if context is not None else period,
    )
    return frame.select(
        "indicator_id",
        pl.when(pl.col("breakdown") == TOTAL_AREA).then(pl.lit(TOTAL_AREA))
        .otherwise(pl.col("breakdown_value")).alias("area"),
        "numerator", "denominator", "value",
    ).cast(SCORECARD_VALUE_SCHEMA)  # type: ignore[arg-type]


def stored_population_notes(
    periods: Iterable[Period | str], *, la_code: str | None = None
) -> dict[tuple[str, str], str]:
    """(period label, area or "all") -> the population the period's stored rates there used, or
    why they are empty: what a scorecard, report or page shows beside an area's rates.

    A period of a frozen year takes the notes kept with its freeze, as its figures do.
    """
    from csc_scorecard.results.reader import population_notes

    code = results_council(la_code, required=False)
    by_freeze: dict[int | None, list[str]] = {}
    for label in {_label(p) for p in periods}:
        info = freeze_for(label, code) if code else None
        by_freeze.setdefault(None if info is None else info.id, []).append(label)
    notes: dict[tuple[str, str, str], str] = {}
    for freeze_id, labels in by_freeze.items():
        notes.update(population_notes(la_code=code, periods=labels, freeze_id=freeze_id))
    return {(p, TOTAL_AREA if b == "all" else v): note for (p, b, v), note in notes.items()}

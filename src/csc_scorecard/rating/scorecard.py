"""The scorecard: every indicator's value, target, RAG, direction and benchmarks for a period.

:func:`build_scorecard` is a library function over injectable providers, so a
scorecard can be built from any source of values:

``values_provider(period, by) -> polars.DataFrame``
    the indicator values of one period: ``indicator_id``, ``area`` ("all" for
    the council, else the breakdown's value), ``numerator``, ``denominator``,
    ``value``; optional ``title``, ``unit``, ``polarity``, ``decimals``.  It
    is called for the period and for its previous comparable period.  The
    default reads :class:`csc_scorecard.results.models.IndicatorValue`.
``benchmarks_provider(period) -> polars.DataFrame | None``
    ``indicator_id``, ``sn_average``, ``england`` (optional
    ``benchmark_period``).  The default uses
    :func:`csc_scorecard.benchmarks.compare.benchmarks_for` for the council's
    LA code when the reference data is imported, else the columns are blank.
``targets``
    a mapping of indicator id -> :class:`~csc_scorecard.rating.targets.TargetSpec`,
    or a callable ``(year) -> mapping``; default the stored targets of the
    period's financial year.

The schema and metadata are rating.scorecard_schema; the default providers
rating.scorecard_providers (both re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import polars as pl

from csc_scorecard.periods import Period, parse_period
from csc_scorecard.rating.direction import travel
from csc_scorecard.rating.numbers import format_number
from csc_scorecard.rating.priorities import Priority, load_priorities, priority_of
from csc_scorecard.rating.rag import rag_for_target, rag_label
from csc_scorecard.rating.scorecard_providers import (
    published_benchmarks_provider,
    results_values_provider,
    stored_targets_provider,
)
from csc_scorecard.rating.scorecard_schema import (
    DISPLAY_COLUMNS,
    SCORECARD_SCHEMA,
    BenchmarksProvider,
    IndicatorMeta,
    ScorecardError,
    ValuesProvider,
    _catalogue_meta,
    _meta_from,
)
from csc_scorecard.rating.suppression import SUPPRESSED, TOTAL_AREA, suppress
from csc_scorecard.rating.targets import TargetSpec, decimal_text

__all__ = [
    "DISPLAY_COLUMNS",
    "IndicatorMeta",
    "SCORECARD_SCHEMA",
    "ScorecardError",
    "build_scorecard",
    "display_frame",
    "published_benchmarks_provider",
    "results_values_provider",
]


def _value_frame(provider: ValuesProvider, period: Period, by: str | None) -> pl.DataFrame:
    frame = provider(period, by)
    if frame is None:
        frame = pl.DataFrame(schema={"indicator_id": pl.String, "area": pl.String})
    missing = {"indicator_id"} - set(frame.columns)
    if missing:
        raise ScorecardError(f"the values for {period.label} have no indicator_id column")
    if "area" not in frame.columns:
        frame = frame.with_columns(pl.lit(TOTAL_AREA).alias("area"))
    for col in ("numerator", "denominator", "value"):
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(col))
        else:
            frame = frame.with_columns(pl.col(col).cast(pl.Float64, strict=False))
    frame = frame.with_columns(pl.col("area").cast(pl.String).fill_null(TOTAL_AREA))
    if not by:
        frame = frame.filter(pl.col("area") == TOTAL_AREA)
    return frame.with_columns(pl.lit(period.label).alias("period"))


def _signed(value: float | None, decimals: int, suffix: str) -> str:
    if value is None:
        return ""
    text = format_number(value, decimals)
    if not text.startswith("-") and float(text) != 0:
        text = "+" + text
    return f"{text}{suffix}"


def build_scorecard(
    period: Period | str,
    *,
    by: str | None = None,
    publication: bool = False,
    values_provider: ValuesProvider | None = None,
    benchmarks_provider: BenchmarksProvider | None = None,
    targets: Mapping[str, TargetSpec] | Callable[[str], Mapping[str, TargetSpec]] | None = None,
    indicators: Mapping[str, Any] | None = None,
    priorities: Iterable[Priority] | None = None,
    la_code: str | None = None,
    steady_band: Mapping[str, float] | None = None,
    notes: list[str] | None = None,
) -> pl.DataFrame:
    """One row per indicator (per area with ``by``) with value, target, RAG, direction, benchmarks.

    ``publication`` suppresses small numbers (:func:`~csc_scorecard.rating.suppression.suppress`)
    in the period and in the previous one: a suppressed figure is ``c`` and
    its numbers are blanked, and so is the change (it would give the figure
    back from the previous value); RAG and direction are kept (they give
    a range, not a number).  ``indicators`` maps id -> metadata (title, unit,
    polarity, decimals; objects or dicts), default the indicator catalogue.
    ``steady_band`` overrides the direction's steady band per unit.  Notes
    about missing benchmarks are appended to ``notes``.
    """
    try:
        period = parse_period(period)
    except ValueError as exc:
        raise ScorecardError(str(exc)) from None
    previous = period.previous_comparable()
    values_provider = values_provider or results_values_provider(la_code, context=period)
    if benchmarks_provider is None:
        benchmarks_provider = published_benchmarks_provider(la_code, notes)
    if targets is None:
        targets = stored_targets_provider(la_code)
    target_map = targets(period.financial_year) if callable(targets) else targets
    meta_source = dict(indicators) if indicators is not None else _catalogue_meta()
    prios = list(priorities) if priorities is not None else load_priorities()
    owner = priority_of(prios)
    order = {ind: n for n, ind in enumerate(i for p in prios for i in p.indicators)}

    current = _value_frame(values_provider, period, by)
    before = _value_frame(values_provider, previous, by)

    def meta(ind: str, row: Mapping[str, Any] | None) -> IndicatorMeta:
        if ind in meta_source:
            return _meta_from(ind, meta_source[ind])
        return _meta_from(ind, row or {})

    # unit/decimals are needed by suppression; attach them from the metadata
    def with_meta(frame: pl.DataFrame) -> pl.DataFrame:
        rows = frame.to_dicts()
        units = [meta(r["indicator_id"], r).unit for r in rows]
        decs = [meta(r["indicator_id"], r).decimals for r in rows]
        return frame.drop([c for c in ("unit", "decimals") if c in frame.columns]).with_columns(
            pl.Series("unit", units, dtype=pl.String), pl.Series("decimals", decs, dtype=pl.Int64)
        )

    current, before = with_meta(current), with_meta(before)
    if publication:
        cur_pub = suppress(current, redact=False)
        prev_pub = suppress(before, redact=False)
    else:
        cur_pub = suppress(current, redact=False, low=1, high=0)  # display strings only
        prev_pub = suppress(before, redact=False, low=1, high=0)

    prev_index = {(r["indicator_id"], r["area"]): r for r in prev_pub.to_dicts()}
    cur_rows = cur_pub.to_dicts()
    seen = {(r["indicator_id"], r["area"]) for r in cur_rows}
    # indicators with only a previous value still get a row (value blank)
    for key, r in prev_index.items():
        if key not in seen:
            cur_rows.append(
                {
                    "indicator_id": r["indicator_id"],
                    "area": r["area"],
                    "numerator": None,
                    "denominator": None,
                    "value": None,
                    "unit": r["unit"],
                    "decimals": r["decimals"],
                    "value_display": "",
                    "numerator_display": "",
                    "denominator_display": "",
                    "suppressed": False,
                }
            )

    bench: dict[str, dict[str, Any]] = {}
    bframe = benchmarks_provider(period)  # set above when none was given
    if bframe is not None and bframe.height:
        for r in bframe.to_dicts():
            bench.setdefault(r["indicator_id"], r)

    out: list[dict[str, Any]] = []
    for r in cur_rows:
        ind, area = r["indicator_id"], r["area"]
        m = meta(ind, r)
        p = prev_index.get((ind, area))
        hidden = bool(r.get("suppressed"))
        prev_hidden = bool(p and p.get("suppressed"))
        spec = target_map.get(ind)
        rating = rag_for_target(r.get("value"), spec, polarity=m.polarity, decimals=m.decimals)
        band = (steady_band or {}).get(m.unit)
        t = travel(
            r.get("value"),
            p.get("value") if p else None,
            polarity=m.polarity,
            unit=m.unit,
            decimals=m.decimals,
            steady_band=band,
        )
        chg = None if (hidden or prev_hidden) else t.change
        b = bench.get(ind, {})
        num_d, den_d = r.get("numerator_display", ""), r.get("denominator_display", "")
        if hidden:
            num_den = f"{SUPPRESSED}/{SUPPRESSED}" if den_d else SUPPRESSED
        else:
            num_den = f"{num_d}/{den_d}" if den_d else num_d
        target_value = None if spec is None or spec.target is None else float(spec.target)
        tolerance = ""
        if spec is not None and spec.tolerance:
            tolerance = (
                f"{decimal_text(spec.tolerance * 100)}% of target"
                if spec.tolerance_type == "relative"
                else decimal_text(spec.tolerance)
            )
        prio = owner.get(ind)
        out.append(
            {
                "priority_id": prio.id if prio else None,
                "priority": prio.title if prio else "Other indicators",
                "indicator_id": ind,
                "title": m.title,
                "area": area,
                "period": period.label,
                "unit": m.unit,
                "polarity": m.polarity,
                "decimals": m.decimals,
                "value": None if publication and hidden else r.get("value"),
                "numerator": None if publication and hidden else r.get("numerator"),
                "denominator": None if publication and hidden else r.get("denominator"),
                "value_display": r.get("value_display", ""),
                "num_den": num_den,
                "target": target_value,
                "target_display": ""
                if target_value is None
                else format_number(target_value, m.decimals),
                "tolerance_display": tolerance,
                "rag": rating.value if rating else None,
                "rag_label": rag_label(rating),
                "direction": t.direction.value if t.direction else None,
                "direction_label": t.label,
                "previous_period": previous.label,
                "previous_value": None
                if (p is None or (publication and prev_hidden))
                else p.get("value"),
                "previous_display": "" if p is None else p.get("value_display", ""),
                "change": chg,
                "change_unit": t.change_unit,
                "change_display": _signed(chg, 1, t.change_unit) if chg is not None else "",
                "sn_average": b.get("sn_average"),
                "sn_display": format_number(b.get("sn_average"), m.decimals),
                "england": b.get("england"),
                "england_display": format_number(b.get("england"), m.decimals),
                "benchmark_period": b.get("benchmark_period") or b.get("period"),
                "suppressed": hidden,
            }
        )

    def sort_key(row: dict[str, Any]) -> tuple[Any, ...]:
        ind = row["indicator_id"]
        return (
            order.get(ind, len(order)),
            ind,
            0 if row["area"] == TOTAL_AREA else 1,
            row["area"],
        )

    out.sort(key=sort_key)
    return (
        pl.DataFrame(out, schema=SCORECARD_SCHEMA) if out else pl.DataFrame(schema=SCORECARD_SCHEMA)
    )


def display_frame(scorecard: pl.DataFrame, *, by: str | None = None) -> pl.DataFrame:
    """The human-readable scorecard: text columns with headings (Area only with ``by``)."""
    cols = [c for c in DISPLAY_COLUMNS if c != "area" or by]
    return scorecard.select(cols).rename({c: DISPLAY_COLUMNS[c] for c in cols})


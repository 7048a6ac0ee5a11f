"""The indicator engine: run indicator functions, aggregate, break down.

Indicator functions return unit rows (see registry). The engine

0. imports the function modules of every family the catalogue names
   (:func:`load_indicator_modules`: ``indicators/<family>.py`` or every module
   of the sub-package ``indicators/<family>/``; no hand-kept list),
1. runs each function once per period (:func:`unit_frames`); a declared rate
   (``rate_of`` in the catalogue) shares its count's rows,
2. places every unit in its team, area, sex, age band, ethnicity group and
   disability group (:mod:`breakdowns`), all periods and indicators at once,
3. sums numerators and denominators for the whole council (``all``) and for
   each breakdown value, and
4. turns them into values by the catalogue's unit:

   ============  =============================================  ==============
   unit          value                                          denominator
   ============  =============================================  ==============
   count         numerator                                      empty
   percent       100 x numerator / denominator                  units counted
   rate_per_10k  numerator x 10,000 / 0-17 population            population
   days/average  numerator / denominator                        units counted
   ============  =============================================  ==============

   rounded half away from zero to the catalogue's decimals; empty when the
   denominator is 0 or missing. A rate is computed for the whole council and
   for each area whose 0-17 population is known (indicators.population:
   the area_populations extract, or the area's wards or LSOAs summed from
   ONS small-area estimates); an area without one, and every team or group
   of children, has no rate (empty, never a figure over the wrong children).

Results are a Polars frame with :data:`RESULT_COLUMNS`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Sequence

import polars as pl

from csc_scorecard.indicators.breakdowns import (
    BREAKDOWNS,
    CHILD_BREAKDOWNS,
    attach_breakdowns,
    known_values,
)
from csc_scorecard.indicators.catalogue import Catalogue, CatalogueEntry, get_catalogue
from csc_scorecard.indicators.formatting import format_number as format_value  # re-export
from csc_scorecard.indicators.formatting import round_value
from csc_scorecard.indicators.population import area_populations, population_for
from csc_scorecard.indicators.registry import (
    DECLARED_RATES,
    INDICATORS,
    CaseData,
    IndicatorFunction,
    Unavailable,
)
from csc_scorecard.indicators.vocab import Unit
from csc_scorecard.periods import Period, parse_period

__all__ = [
    "RESULT_COLUMNS",
    "IndicatorError",
    "compute",
    "computed_by",
    "format_value",
    "load_indicator_modules",
    "registration_problems",
    "round_value",
    "unit_frames",
    "unit_rows",
]

RESULT_COLUMNS = (
    "indicator_id", "period", "breakdown", "breakdown_value",
    "numerator", "denominator", "value",
)

class IndicatorError(RuntimeError):
    """An indicator function failed or returned rows that break the unit contract."""


_IMPORTED: set[str] = set()


def _import_family(module_name: str) -> list[str]:
    """Import a family module, or every module of a family sub-package; [] if there is none."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:  # a family of declared rates only needs no module
            return []
        raise
    names = [module_name]
    if hasattr(module, "__path__"):  # a sub-package: its modules, at any depth
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{module_name}."):
            importlib.import_module(info.name)
            names.append(info.name)
    return names


def load_indicator_modules(
    catalogue: Catalogue | None = None, *, package: str = "csc_scorecard.indicators"
) -> list[str]:
    """Import the functions of every catalogue family (registering them); returns module names.

    Families are discovered from the catalogue, not listed by hand: the entries
    of ``catalogue/<family>.yml`` are computed by ``<package>.<family>``, a
    module or a sub-package (all of whose modules are imported).
    """
    families = set(get_catalogue().families())
    if catalogue is not None:
        families |= set(catalogue.families())
    names = []
    for family in sorted(families):
        module_name = f"{package}.{family}"
        if module_name not in _IMPORTED:
            names.extend(_import_family(module_name))
            _IMPORTED.add(module_name)
        else:
            names.append(module_name)
    return sorted(names)


def computed_by(entry: CatalogueEntry) -> str:
    """The registered function that makes ``entry``'s unit rows (a declared rate: its count's)."""
    return entry.rate_of or entry.id


def registration_problems(
    catalogue: Catalogue, registry: dict[str, IndicatorFunction] | None = None
) -> list[str]:
    """Every mismatch between the catalogue and the registered functions, located.

    An entry nothing computes (no function, not a declared rate), a declared
    rate that also has a function, and a function for an id the catalogue
    lacks are all problems.
    """
    registry = INDICATORS if registry is None else registry
    problems = []
    for entry in catalogue:
        own = registry.get(entry.id)
        if entry.is_declared_rate and own is not None and own is not registry.get(computed_by(entry)):
            problems.append(
                f"{entry.where}: {entry.id} is declared rate_of {entry.rate_of} but a function "
                f"({registry[entry.id].__module__}) is registered for it too; keep one"
            )
        elif entry.is_declared_rate and computed_by(entry) not in registry:
            problems.append(
                f"{entry.where}: nothing computes {entry.id}: it is rate_of {entry.rate_of}, "
                "which has no function"
            )
        elif computed_by(entry) not in registry:
            problems.append(
                f"{entry.where}: nothing computes {entry.id}: register a function with "
                f"@indicator({entry.id!r}) in csc_scorecard.indicators.{entry.family}, "
                "or declare a rate with rate_of"
            )
    for ident, fn in registry.items():
        if ident not in catalogue and ident not in DECLARED_RATES:
            problems.append(
                f"{fn.__module__}.{fn.__name__}: registers {ident!r}, which the catalogue lacks"
            )
    return problems


def _periods(periods: Period | str | Iterable[Period | str]) -> list[Period]:
    if isinstance(periods, (Period, str)):
        periods = [periods]
    out: list[Period] = []
    for p in periods:
        period = parse_period(p) if isinstance(p, str) else p
        if period not in out:
            out.append(period)
    return out


def _select(catalogue: Catalogue, indicator_ids: Iterable[str] | None) -> list[CatalogueEntry]:
    load_indicator_modules(catalogue)
    if indicator_ids is None:
        # Every entry, or a located error: an entry nothing computes is never left out quietly.
        missing = [e for e in catalogue if computed_by(e) not in INDICATORS]
        if missing:
            problems = registration_problems(catalogue)
            raise IndicatorError(next(p for p in problems if p.startswith(missing[0].where + ":")))
        return list(catalogue)
    chosen = []
    for ident in indicator_ids:
        if ident not in catalogue:
            raise KeyError(f"no indicator {ident!r} in the catalogue")
        entry = catalogue[ident]
        if computed_by(entry) not in INDICATORS:
            raise KeyError(f"indicator {ident!r} has no function registered ({entry.where})")
        chosen.append(entry)
    return chosen


_UNIT_SCHEMA = {
    "indicator_id": pl.Utf8,
    "period": pl.Utf8,
    "child_id": pl.Utf8,
    "unit_team": pl.Utf8,
    "date": pl.Date,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
}


def _run(entry: CatalogueEntry, data: CaseData, period: Period) -> pl.DataFrame:
    fn = INDICATORS[computed_by(entry)]
    try:
        frame = fn(data, period)
    except Unavailable as exc:
        data.unavailable[(computed_by(entry), period.label)] = exc.reason
        return pl.DataFrame(schema=_UNIT_SCHEMA)
    except Exception as exc:  # a bug in one indicator must say which
        raise IndicatorError(f"indicator {entry.id} failed for {period.label}: {exc}") from exc
    if not isinstance(frame, pl.DataFrame):
        raise IndicatorError(f"indicator {entry.id} returned {type(frame).__name__}, not rows")
    missing = {"date", "numerator", "denominator"} - set(frame.columns)
    key = "child_id" if "child_id" in frame.columns else "team" if "team" in frame.columns else None
    if missing or key is None:
        raise IndicatorError(
            f"indicator {entry.id} returned columns {frame.columns}; expected child_id or team, "
            "date, numerator, denominator (use registry.units)"
        )
    try:
        return frame.select(
            pl.lit(entry.id).alias("indicator_id"),
            pl.lit(period.label).alias("period"),
            (pl.col("child_id").cast(pl.Utf8) if key == "child_id" else pl.lit(None, pl.Utf8))
            .alias("child_id"),
            (pl.col("team").cast(pl.Utf8) if key == "team" else pl.lit(None, pl.Utf8))
            .alias("unit_team"),
            pl.col("date").cast(pl.Date),
            pl.col("numerator").cast(pl.Float64),
            pl.col("denominator").cast(pl.Float64),
        )
    except pl.exceptions.PolarsError as exc:
        raise IndicatorError(f"indicator {entry.id} returned unusable rows: {exc}") from exc


def unit_frames(
    data: CaseData,
    periods: Period | str | Iterable[Period | str],
    indicator_ids: Iterable[str] | None = None,
    *,
    catalogue: Catalogue | None = None,
    breakdowns: bool = True,
) -> pl.DataFrame:
    """All unit rows of the chosen indicators for the periods, with breakdown columns.

    Columns: indicator_id, period, child_id, unit_team, date, numerator,
    denominator, and (when ``breakdowns``) team, area, sex, age_band,
    ethnicity_group, disability.
    """
    catalogue = catalogue or get_catalogue()
    entries = _select(catalogue, indicator_ids)
    # A declared rate shares its count's unit rows: run each function once per period.
    runs: dict[tuple[str, str], pl.DataFrame] = {}
    frames = []
    for p in _periods(periods):
        for e in entries:
            key = (computed_by(e), p.label)
            if key not in runs:
                runs[key] = _run(e, data, p)
            frames.append(runs[key].with_columns(pl.lit(e.id).alias("indicator_id")))
    units = pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=_UNIT_SCHEMA)
    return attach_breakdowns(units, data) if breakdowns else units


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------


def _aggregate(units: pl.DataFrame, breakdown: str) -> pl.DataFrame:
    keys = ["indicator_id", "period"]
    column = BREAKDOWNS[breakdown]
    if column:
        frame = units.filter(pl.col(column).is_not_null())
        group = [*keys, column]
    else:
        frame, group = units, keys
    agg = frame.group_by(group).agg(
        pl.col("numerator").sum().alias("numerator"),
        pl.col("denominator").sum().alias("denominator"),
    )
    return agg.select(
        *keys,
        pl.lit(breakdown).alias("breakdown"),
        (pl.col(column) if column else pl.lit("all")).cast(pl.Utf8).alias("breakdown_value"),
        "numerator",
        "denominator",
    )


def _grid(
    entries: Sequence[CatalogueEntry],
    periods: Sequence[Period],
    breakdown: str,
    values: Sequence[str],
) -> pl.DataFrame:
    return pl.DataFrame(
        [(e.id, p.label, breakdown, v) for e in entries for p in periods for v in values],
        schema={
            "indicator_id": pl.Utf8, "period": pl.Utf8, "breakdown": pl.Utf8,
            "breakdown_value": pl.Utf8,
        },
        orient="row",
    )


def compute(
    data: CaseData,
    periods: Period | str | Iterable[Period | str],
    indicator_ids: Iterable[str] | None = None,
    *,
    breakdowns: Iterable[str] = tuple(BREAKDOWNS),
    catalogue: Catalogue | None = None,
    population: int | None = None,
    units: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Values of the indicators for each period, whole council and each breakdown.

    ``population`` (0-17) defaults to each period's own (see
    indicators.population: set by hand, else ONS for the financial year). Pass
    ``units`` from :func:`unit_frames` to reuse them. Returns
    :data:`RESULT_COLUMNS`, sorted by indicator (catalogue order), period,
    breakdown and value.
    """
    catalogue = catalogue or get_catalogue()
    period_list = _periods(periods)
    entries = _select(catalogue, indicator_ids)
    kinds = list(breakdowns)
    for kind in kinds:
        if kind not in BREAKDOWNS:
            raise KeyError(f"unknown breakdown {kind!r}; expected one of {', '.join(BREAKDOWNS)}")
    if "all" not in kinds:
        kinds.insert(0, "all")
    if units is None:
        units = unit_frames(data, period_list, [e.id for e in entries], catalogue=catalogue)
    pop = {
        p.label: population if population is not None else population_for(data, p)[0]
        for p in period_list
    }
    has_rates = any(e.unit is Unit.RATE_PER_10K for e in entries)
    area_pop = {
        p.label: {key: value for key, (value, _note) in area_populations(data, p).items()}
        for p in period_list
    } if has_rates and "area" in kinds else {}

    # Sum once over every breakdown column together; each breakdown then sums
    # this much smaller frame.
    columns = [c for c in BREAKDOWNS.values() if c]
    units = units.group_by(["indicator_id", "period", "unit_team", *columns]).agg(
        pl.col("numerator").sum(),
        pl.col("denominator").sum(),
    )
    known = known_values(data)
    team_keyed = set(
        units.filter(pl.col("unit_team").is_not_null())["indicator_id"].unique().to_list()
    )
    parts = []
    for kind in kinds:
        agg = _aggregate(units, kind)
        if kind in CHILD_BREAKDOWNS:
            agg = agg.filter(~pl.col("indicator_id").is_in(list(team_keyed)))
        # Every indicator has an 'all' row; every known area/team shows, zero or not.
        fill: list[str] = ["all"] if kind == "all" else known.get(kind, [])
        if fill:
            grid = _grid(entries, period_list, kind, fill)
            agg = grid.join(
                agg, on=["indicator_id", "period", "breakdown", "breakdown_value"], how="full",
                coalesce=True,
            ).with_columns(pl.col("numerator").fill_null(0.0), pl.col("denominator").fill_null(0.0))
        parts.append(agg)
    result = pl.concat(parts, how="vertical")
    return _values(
        result, {e.id: e for e in entries}, pop, [p.label for p in period_list],
        data.unavailable, area_pop,
    )


def _values(
    result: pl.DataFrame,
    entries: dict[str, CatalogueEntry],
    population: dict[str, int | None],
    period_order: list[str],
    unavailable: dict[tuple[str, str], str] | None = None,
    area_population: dict[str, dict[str, int | None]] | None = None,
) -> pl.DataFrame:
    unavailable = unavailable or {}
    area_population = area_population or {}
    rows = []
    order = {ident: i for i, ident in enumerate(entries)}
    porder = {label: i for i, label in enumerate(period_order)}
    korder = {k: i for i, k in enumerate(BREAKDOWNS)}
    for ident, period, kind, bvalue, num, den in result.iter_rows():
        entry = entries[ident]
        # Parallel sums of fractional amounts (FTE) can differ in the last bit
        # from run to run; rounding far below display precision keeps stored
        # results identical between runs.
        num = round(float(num or 0.0), 9)
        den = None if den is None else round(float(den), 9)
        value: float | None
        if entry.unit is Unit.COUNT:
            den, value = None, num
        elif entry.unit is Unit.RATE_PER_10K:
            if kind == "all":
                pop = population.get(period)
            elif kind == "area":  # the area's own children, when known (keys folded)
                pop = area_population.get(period, {}).get(" ".join((bvalue or "").split()).casefold())
            else:
                pop = None
            den = float(pop) if pop else None
            value = num * 10_000 / den if den else None  # multiply first: 3 / 40,000 is 0.75, not 0.7499...
        else:
            den = float(den or 0.0)
            if not den:
                value = None
            elif entry.unit is Unit.PERCENT:
                value = 100.0 * num / den
            else:
                value = num / den
        if (computed_by(entry), period) in unavailable:
            # no data at all: the value is empty, never 0 (the stored numerator stays 0,
            # and unavailable_reason() says why)
            den, value = None, None
        rows.append(
            (
                (order[ident], porder.get(period, 0), korder[kind], bvalue or ""),
                (ident, period, kind, bvalue, num, den, round_value(value, entry.decimals)),
            )
        )
    rows.sort(key=lambda r: r[0])
    return pl.DataFrame(
        [r[1] for r in rows],
        schema={
            "indicator_id": pl.Utf8, "period": pl.Utf8, "breakdown": pl.Utf8,
            "breakdown_value": pl.Utf8, "numerator": pl.Float64, "denominator": pl.Float64,
            "value": pl.Float64,
        },
        orient="row",
    )


def unavailable_reason(data: CaseData, indicator_id: str, period: Period | str) -> str | None:
    """Why ``indicator_id`` has no value for ``period`` ("no data: needs ..."), once computed."""
    label = period if isinstance(period, str) else period.label
    entry = get_catalogue()[indicator_id]
    return data.unavailable.get((computed_by(entry), label))


def unit_rows(
    data: CaseData,
    indicator_id: str,
    period: Period | str,
    *,
    catalogue: Catalogue | None = None,
) -> pl.DataFrame:
    """The units behind one figure: key, date, team, area, in_numerator, in_denominator.

    ``in_numerator`` is true when the unit adds to the numerator (for sums,
    ``numerator`` keeps the quantity); ``in_denominator`` is null for counts
    and rates, whose denominator is not made of units.
    """
    catalogue = catalogue or get_catalogue()
    entry = _select(catalogue, [indicator_id])[0]
    units = unit_frames(data, [period], [indicator_id], catalogue=catalogue)
    in_denominator = (
        (pl.col("denominator").fill_null(0) != 0) if entry.has_denominator
        else pl.lit(None, pl.Boolean)
    ).alias("in_denominator")
    flags: list[pl.Expr | str] = [
        (pl.col("numerator") != 0).alias("in_numerator"), in_denominator, "numerator"
    ]
    if units.height and units["child_id"].null_count() == units.height:
        return units.select("team", "date", "area", *flags).sort("date", "team")
    return units.select(
        "child_id", "date", "team", "area", *flags,
        "sex", "age_band", "ethnicity_group", "disability",
    ).sort("date", "child_id")

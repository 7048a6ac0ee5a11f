"""Indicator figures computed on demand from the chosen council's case data.

Stored results (services.results) are what the scorecard and reports show;
this is the analyst's live look at a period, one area or one breakdown,
computed from the current returns without storing anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from csc_scorecard.periods import Period, parse_period

__all__ = ["FigureRequestError", "LiveFigures", "StoreUnreadable", "live_figures", "load_council_data"]


class FigureRequestError(ValueError):
    """The request names something the data does not have (an area, an indicator)."""


class StoreUnreadable(RuntimeError):
    """The case store could not be read (a clear message for the user)."""


@dataclass
class LiveFigures:
    period: Period
    breakdown: str  # "all", "area" or the breakdown asked for
    values: pl.DataFrame  # engine result columns, one breakdown
    notes: list[str] = field(default_factory=list)  # how the case data was assembled
    population_note: str = ""  # the population the rates use, or why they are empty


def load_council_data(la_code: str | None = None, population: int | None = None):
    """The chosen council's case data (services.council's rule), or a clear error."""
    from csc_scorecard.indicators import casedata

    try:
        return casedata.load_case_data(la_code, population=population)
    except ValueError:
        raise  # a bad population, or several councils and none chosen
    except Exception as exc:  # the store is unreachable or broken: say so, no traceback
        raise StoreUnreadable(f"could not read the case store: {exc}") from exc


def live_figures(
    period: Period | str,
    *,
    area: str | None = None,
    by: str | None = None,
    population: int | None = None,
    indicator_ids: Iterable[str] = (),
    la_code: str | None = None,
    catalogue: Any = None,
    data: Any = None,
) -> LiveFigures:
    """Values for a period: the council's, one area's, or one row per value of ``by``.

    Raises FigureRequestError (both area and by, an unknown indicator or area),
    ValueError (population, council), IndicatorError/KeyError (an indicator failed).
    """
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.indicators.engine import compute
    from csc_scorecard.indicators.population import population_for

    period = parse_period(period) if isinstance(period, str) else period
    if area and by:
        raise FigureRequestError("use either --area or --by, not both")
    catalogue = catalogue or get_catalogue()
    ids = list(indicator_ids)
    for ident in ids:
        if ident not in catalogue:
            raise FigureRequestError(f"no indicator {ident!r} in the catalogue")
    if data is None:
        data = load_council_data(la_code, population)
    notes = list(getattr(data, "notes", []))
    kind = "area" if area else (by.lower() if by else "all")
    result = compute(data, [period], ids or None, breakdowns=[kind], catalogue=catalogue)
    result = result.filter(pl.col("breakdown") == kind)
    if area:
        available = sorted(set(result["breakdown_value"].to_list()))
        matched = [a for a in available if a.lower() == area.strip().lower()]
        if not matched:
            raise FigureRequestError(
                f"no area {area!r}; areas: {', '.join(available) or '(no team table loaded)'}"
            )
        result = result.filter(pl.col("breakdown_value") == matched[0])
    rate_ids = {e.id for e in catalogue if e.is_rate} & set(result["indicator_id"].to_list())
    population_note = ""
    if rate_ids:
        used, source = population_for(data, period)
        if used is None:
            population_note = source
        elif kind == "all":
            population_note = f"rates per 10,000 use {used:,} children: {source}"
        elif kind == "area":
            shown = sorted(set(result["breakdown_value"].to_list()))
            population_note = area_population_note(data, period, shown)
        else:
            population_note = ("rates per 10,000 are for the whole council only (no population "
                               f"by {kind}); they are empty here")
    return LiveFigures(period, kind, result, notes, population_note)


def area_population_note(data: Any, period: Period, areas: Iterable[str]) -> str:
    """Each area's 0-17 population and its source, or why its rates are empty, in one line."""
    from csc_scorecard.indicators.population import area_population

    parts = []
    for area in areas:
        value, source = area_population(data, period, area)
        if value:
            parts.append(f"{area} {value:,} ({source})")
        else:
            parts.append(f"{area}: none, rates empty ({source.removeprefix(f'{area}: ')})")
    return "rates per 10,000 by area use each area's children aged 0-17: " + "; ".join(parts)

"""Compute indicator values and keep them in the store (results.IndicatorValue).

- :func:`compute_and_store` recomputes the given periods and replaces every
  stored value of those periods (for the council), in one transaction.
- :func:`recompute_after_ingest` is what an ingest calls when it has
  finished: it recomputes the stale years (csc_scorecard.services.recompute).
- :func:`stored_values` reads them back as a Polars frame (through the one
  reader, csc_scorecard.results.reader).

Django must be set up before any of these is called.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from csc_scorecard.indicators.casedata import load_case_data
from csc_scorecard.indicators.catalogue import Catalogue, get_catalogue
from csc_scorecard.indicators.engine import compute
from csc_scorecard.indicators.population import area_populations, population_for
from csc_scorecard.indicators.registry import CaseData
from csc_scorecard.periods import Period, parse_period

__all__ = [
    "compute_and_store",
    "covered_financial_years",
    "periods_for_years",
    "recompute_after_ingest",
    "stored_values",
]


def covered_financial_years(la_code: str | None = None) -> list[str]:
    """Financial years of the current returns in the store ("2024-25"), oldest first.

    A return's collection year is the financial year it covers; local extracts
    carry no year and add none.
    """
    from csc_scorecard.store.models import Submission

    query = Submission.objects.filter(is_current=True).exclude(year="")
    if la_code:
        query = query.filter(la_code=la_code)
    years = set()
    for year in query.values_list("year", flat=True).distinct():
        try:
            years.add(parse_period(year).financial_year)
        except ValueError:
            continue  # not a financial year label; nothing to recompute for it
    return sorted(years)


def periods_for_years(years: Iterable[str], *, quarters: bool = True, months: bool = True) -> list[Period]:
    """Each financial year, then (optionally) its quarters and its months."""
    out: list[Period] = []
    for label in years:
        year = parse_period(label)
        out.append(year)
        if quarters:
            out.extend(year.quarters())
        if months:
            out.extend(year.months())
    return out


def compute_and_store(
    periods: Iterable[Period | str],
    *,
    la_code: str | None = None,
    data: CaseData | None = None,
    indicator_ids: Iterable[str] | None = None,
    catalogue: Catalogue | None = None,
    population: int | None = None,
) -> int:
    """Recompute the periods' values and replace the stored ones; return rows written.

    Without ``data`` the current case data is loaded from the store. When
    ``indicator_ids`` is given only those indicators' values are replaced.
    Each financial year touched gets a results.ComputedYear saying what its
    figures were computed from (see csc_scorecard.results.provenance); not
    when only some indicators are recomputed, since the year is then not whole.
    """
    from django.db import transaction
    from django.utils import timezone

    from csc_scorecard.results.models import IndicatorValue

    period_list = [parse_period(p) if isinstance(p, str) else p for p in periods]
    if not period_list:
        return 0
    if data is None:
        data = load_case_data(la_code, population=population)
    catalogue = catalogue or get_catalogue()
    ids = list(indicator_ids) if indicator_ids is not None else None
    result = compute(data, period_list, ids, catalogue=catalogue, population=population)
    council = (la_code if la_code is not None else data.la_code) or ""
    now = timezone.now()
    submissions = list(data.submissions)
    rate_ids = _rate_ids(catalogue)
    note = _population_notes(data, period_list)
    with transaction.atomic():
        years = _record_years(council, period_list, data, population, now) if ids is None else {}
        objects = [
            IndicatorValue(
                indicator_id=ident,
                period=period,
                breakdown=kind,
                breakdown_value=(bvalue or "")[:120],
                la_code=council,
                numerator=num,
                denominator=den,
                value=value,
                computed_at=now,
                submissions=submissions,
                population_note=note(period, kind, bvalue) if ident in rate_ids else "",
                computed_year=years.get(parse_period(period).financial_year),
            )
            for ident, period, kind, bvalue, num, den, value in result.iter_rows()
        ]
        old = IndicatorValue.objects.filter(
            period__in=[p.label for p in period_list], la_code=council
        )
        if ids is not None:
            old = old.filter(indicator_id__in=ids)
        old.delete()
        IndicatorValue.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


def _record_years(council: str, periods: list[Period], data: CaseData,
                  population: int | None, now) -> dict:
    """Write (replace) each financial year's ComputedYear: the inputs its figures used."""
    from csc_scorecard.results.models import ComputedYear
    from csc_scorecard.results.provenance import inputs_now

    hand_set = population if population is not None else data.population_0_17
    by_year: dict[str, list[str]] = {}
    for p in periods:
        by_year.setdefault(p.financial_year, []).append(p.label)
    out = {}
    for year, labels in by_year.items():
        inputs = inputs_now(council, year, hand_set)
        value, note = population_for(data, parse_period(year))
        out[year], _ = ComputedYear.objects.update_or_create(
            la_code=council,
            year=year,
            defaults={
                "computed_at": now,
                "periods": labels,
                "submissions": [list(s) for s in inputs.submissions],
                "reference_id": inputs.reference_id,
                "population": value,
                "population_source": inputs.population_source,
                "population_note": note[:200],
                "catalogue_version": inputs.catalogue_version,
                "settings_hash": inputs.settings_hash,
            },
        )
    return out


def _population_notes(data: CaseData, periods: list[Period]):  # type: ignore[no-untyped-def]
    """(period label, breakdown, value) -> the population its rates use, or why they are empty."""
    council = {p.label: population_for(data, p)[1][:200] for p in periods}
    areas = {p.label: area_populations(data, p) for p in periods}

    def note(period: str, kind: str, bvalue: str | None) -> str:
        if kind == "all":
            return council[period]
        if kind == "area":
            key = " ".join((bvalue or "").split()).casefold()
            value, source = areas[period].get(key, (None, f"{bvalue}: no 0-17 population"))
            return (f"{value:,} children aged 0-17: {source}" if value else source)[:200]
        return ""

    return note


def _rate_ids(catalogue: Catalogue) -> set[str]:
    return {e.id for e in catalogue if e.is_rate}


def recompute_after_ingest(*, months: bool = True, quarters: bool = True) -> dict[str, int]:
    """Recompute the stale years of every council in the store; rows written per council.

    Kept for callers of the library; the rule is csc_scorecard.services.recompute's.
    """
    from csc_scorecard.services.recompute import recompute_after_ingest as recompute

    return recompute(months=months, quarters=quarters)


def stored_values(
    period: Period | str | None = None,
    *,
    la_code: str | None = None,
    breakdown: str | None = None,
    indicator_ids: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Stored values as a frame (columns as engine.RESULT_COLUMNS plus la_code, computed_at).

    The one reader is csc_scorecard.results.reader; this is its library spelling.
    """
    from csc_scorecard.results.reader import read_values

    return read_values(
        la_code=la_code,
        periods=None if period is None else [
            parse_period(period).label if isinstance(period, str) else period.label
        ],
        breakdowns=None if breakdown is None else [breakdown],
        indicator_ids=indicator_ids,
    )

"""The 0-17 population a rate per 10,000 is divided by, and where it came from.

DfE's rule: the ONS mid-year estimate before the year end (mid-2024 for
2024-25), so each financial year has its own population. A population set
by hand (--population, CSC_SCORECARD_POPULATION or council.yml) is used for
every year instead: that is how the synthetic council gives its own.
"""

from __future__ import annotations

from csc_scorecard.periods import Period


def reference_population(la_code: str, financial_year: str) -> tuple[int | None, str]:
    """ONS 0-17 population for an LA and year from the imported reference data."""
    if not la_code:
        return None, (
            "no 0-17 population set and no LA code to look up the ONS estimate: rates per "
            "10,000 are left empty (use --population N, CSC_SCORECARD_POPULATION, "
            "population_0_17 in council.yml, or --la with the reference data imported)"
        )
    from csc_scorecard.benchmarks.compare import population_0_17
    from csc_scorecard.benchmarks.errors import ReferenceDataError

    try:
        value, vintage = population_0_17(la_code, financial_year)
    except ReferenceDataError as exc:
        return None, f"rates per 10,000 are left empty: {exc}"
    return value, f"ONS {vintage} estimate of children aged 0-17 (LA {la_code}, for {financial_year})"


def population_for(data, period: Period) -> tuple[int | None, str]:
    """The population for `period`'s rates: set by hand, else ONS for its financial year."""
    if data.population_0_17 is not None:
        return data.population_0_17, data.population_note
    year = period.financial_year
    cache = data.population_cache
    if year not in cache:
        cache[year] = reference_population(data.la_code, year)
    return cache[year]

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


# --------------------------------------------------------------------------
# Areas: the denominator of an area's rates per 10,000
# --------------------------------------------------------------------------

#: the kinds of small area council.yml may list an area's population by
SMALL_AREA_KINDS = {"wards": "wards", "lsoas": "LSOAs"}


def _key(area: str) -> str:
    return " ".join(str(area).split()).casefold()


def area_definitions() -> tuple[dict[str, tuple[str, list[str]]], str]:
    """council.yml's areas given as lists of wards or LSOAs: area -> (kind, codes), and a
    problem in words ("" when none). An area listed with only its teams is not one."""
    from csc_scorecard.config import read_council_file

    conf, problem = read_council_file()
    if problem:
        return {}, problem
    areas = conf.get("areas") or []
    if not isinstance(areas, list):
        return {}, "council.yml: areas should be a list of {area: NAME, wards: [CODE, ...]}"
    out: dict[str, tuple[str, list[str]]] = {}
    for i, entry in enumerate(areas, start=1):
        if not isinstance(entry, dict) or not str(entry.get("area") or "").strip():
            return {}, f"council.yml: areas entry {i} needs an area name"
        given = [k for k in SMALL_AREA_KINDS if entry.get(k)]
        if not given:
            continue
        if len(given) > 1:
            return {}, f"council.yml: area {entry['area']!r} lists both wards and LSOAs; give one"
        codes = entry[given[0]]
        if not isinstance(codes, list) or not all(isinstance(c, str) and c.strip() for c in codes):
            return {}, f"council.yml: the {given[0]} of area {entry['area']!r} should be a list of codes"
        out[" ".join(str(entry["area"]).split())] = (
            given[0], sorted({c.strip().upper() for c in codes})
        )
    return out, ""


def _from_small_areas(area: str, kind: str, codes: list[str], mid_year: int,
                      estimates) -> tuple[int | None, str]:  # noqa: ANN001 - a polars frame or None
    what = SMALL_AREA_KINDS[kind]
    if estimates is None:
        return None, (f"{area}: listed as {what} in council.yml, but no ONS small-area estimates "
                      "are imported (reference import)")
    year = estimates.filter(estimates["mid_year"] == mid_year)
    found = dict(zip(year["area_code"].to_list(), year["population_0_17"].to_list(), strict=True))
    missing = [c for c in codes if c not in found]
    if missing:
        return None, (f"{area}: {len(missing)} of its {len(codes)} {what} have no ONS mid-{mid_year} "
                      f"estimate in the imported small-area data (first {missing[0]})")
    total = sum(int(found[c]) for c in codes)
    files = sorted(set(year.filter(year["area_code"].is_in(codes))["source_file"].to_list()))
    return total, f"ONS mid-{mid_year} estimates summed over {len(codes)} {what} ({', '.join(files)})"


def area_populations(data, period: Period) -> dict[str, tuple[int | None, str]]:
    """The 0-17 population of each area for ``period``'s financial year, and its source.

    Keyed by the area's name folded (case and spacing ignored). In order: the
    area_populations extract's row for that year; else the area's wards or
    LSOAs in council.yml summed from the ONS small-area estimates of the
    mid-year before the year end; else (None, why). Every area of the team
    table is there, and every area the extract names.
    """
    year = period.financial_year
    cache = data.__dict__.setdefault("_area_population_cache", {})
    if year in cache:
        return cache[year]
    from csc_scorecard.indicators.breakdowns import known_values

    out: dict[str, tuple[int | None, str]] = {}
    names = {_key(a): a for a in known_values(data)["area"]}
    table = data.tables.get("area_population")
    if table is not None and table.height:
        for area, row_year, count, source in table.select(
            "area", "year", "population_0_17", "source"
        ).iter_rows():
            if not area:
                continue
            names.setdefault(_key(area), area)
            if row_year == year and count:
                out[_key(area)] = (int(count), f"area populations extract: {source or 'no source given'}")
    definitions, problem = area_definitions()
    estimates = None
    if any(_key(a) not in out for a in definitions):
        from csc_scorecard.benchmarks.small_areas import small_area_populations

        estimates = small_area_populations()
    for area, (kind, codes) in definitions.items():
        names.setdefault(_key(area), area)
        if _key(area) not in out:
            out[_key(area)] = _from_small_areas(area, kind, codes, int(year[:4]), estimates)
    for key, area in names.items():
        if key not in out:
            out[key] = (None, problem or (
                f"{area}: no 0-17 population for {year} (give it in an area_populations extract, "
                "or list the area's wards or LSOAs in council.yml)"
            ))
    cache[year] = out
    return out


def area_population(data, period: Period, area: str) -> tuple[int | None, str]:
    """One area's (population, source or why not) for the period: see :func:`area_populations`."""
    return area_populations(data, period).get(
        _key(area), (None, f"{area}: no 0-17 population (it is not one of the council's areas)")
    )

"""Rates per 10,000 by area: each area's own 0-17 population, from the area_populations extract
or from its wards summed over ONS small-area estimates; an area without one has no rate."""

from __future__ import annotations

from pathlib import Path

import pytest

from csc_scorecard.benchmarks.errors import ReferenceImportError
from csc_scorecard.benchmarks.reference import import_reference
from csc_scorecard.benchmarks.small_areas import small_area_populations
from csc_scorecard.indicators.casedata import case_data, load_case_data
from csc_scorecard.indicators.engine import compute
from csc_scorecard.indicators.results import compute_and_store
from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.store.models import AreaPopulation, IssueRecord

TEAMS = "team,area\nNorth Team,North\nSouth Team,South\nEast Team,East\n"
# children open to early help at 31 March 2025, and the team holding each then:
# North: N1, N2, N3 (3); South: S1 (1); East: E1, E2 (2)
ALLOCATIONS = "child_id,team,start_date\n" + "".join(
    f"{c},{t} Team,2024-04-01\n"
    for c, t in (("N1", "North"), ("N2", "North"), ("N3", "North"), ("S1", "South"),
                 ("E1", "East"), ("E2", "East"))
)
EARLY_HELP = "child_id,start_date,closure_reason\n" + "".join(
    f"{c},2024-06-01,\n" for c in ("N1", "N2", "N3", "S1", "E1", "E2")
)
RATE = "early_help_rate_per_10k"


def _area_rates(data, period: str = "2024-25") -> dict[str, tuple]:
    result = compute(data, period, [RATE], breakdowns=["area"])
    return {
        r["breakdown_value"]: (r["numerator"], r["denominator"], r["value"])
        for r in result.filter(result["breakdown"] == "area").iter_rows(named=True)
    }


def _write(folder: Path, files: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in files]


@pytest.mark.django_db
def test_area_rates_from_an_area_population_extract(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSC_SCORECARD_POPULATION", "20000")
    paths = _write(tmp_path / "local", {
        "teams.csv": TEAMS, "allocations.csv": ALLOCATIONS, "early_help.csv": EARLY_HELP,
        # North for 2024-25 given as a financial year, South as ONS's mid-2024; East only for
        # 2023-24, so it has none for 2024-25
        "area_populations.csv": "Area,Year,Population aged 0-17,Source\n"
                                "North,2024-25,6000,ONS mid-2024 (wards)\n"
                                "South,mid-2024,\"8,000\",council estimate\n"
                                "East,2023-24,5000,ONS mid-2023\n",
    })
    outcomes = ingest_paths(paths)
    assert [o.status for o in outcomes] == ["stored"] * 4, [(o.label, o.reason) for o in outcomes]
    assert sorted(AreaPopulation.objects.values_list("area", "year", "population_0_17")) == [
        ("East", "2023-24", 5000), ("North", "2024-25", 6000), ("South", "2024-25", 8000),
    ]
    data = load_case_data("")
    rates = _area_rates(data)
    # North 3 / 6,000 x 10,000 = 5.0; South 1 / 8,000 x 10,000 = 1.25 -> 1.3 (half away from 0)
    assert rates["North"] == (3, 6000, 5.0)
    assert rates["South"] == (1, 8000, 1.3)
    # East has children but no 2024-25 population: no rate, never one over the wrong children
    assert rates["East"] == (2, None, None)
    # the council: 6 / 20,000 x 10,000 = 3.0
    council = compute(data, "2024-25", [RATE], breakdowns=["all"]).row(0, named=True)
    assert (council["numerator"], council["denominator"], council["value"]) == (6, 20000, 3.0)

    from csc_scorecard.results.models import IndicatorValue

    compute_and_store(["2024-25"], la_code="", data=data, indicator_ids=[RATE])
    notes = dict(IndicatorValue.objects.filter(breakdown="area", period="2024-25")
                 .values_list("breakdown_value", "population_note"))
    assert notes["North"] == "6,000 children aged 0-17: area populations extract: ONS mid-2024 (wards)"
    assert notes["East"].startswith("East: no 0-17 population for 2024-25")


@pytest.mark.django_db
def test_a_broken_area_population_csv_gets_located_errors(tmp_path: Path) -> None:
    paths = _write(tmp_path / "local", {
        "area_populations.csv": "area,year,population_0_17\n"
                                "North,2024-25,6000\n"     # row 2: fine
                                "South,2024-26,7000\n"     # row 3: not a year
                                "East,2024-25,-5\n"        # row 4: negative
                                "West,2024-25,lots\n"      # row 5: not a number
                                "North,2024,6100\n"        # row 6: North 2024-25 again
                                ",2024-25,100\n"           # row 7: no area
                                "Far,2024-25,99000000\n",  # row 8: not an area's population
    })
    [outcome] = ingest_paths(paths)
    assert outcome.status == "stored"
    errors = sorted(IssueRecord.objects.filter(severity="error").values_list("row", "column"))
    assert errors == [(3, "year"), (4, "population_0_17"), (5, "population_0_17"), (6, "area"),
                      (7, "area"), (8, "population_0_17")]
    assert list(AreaPopulation.objects.values_list("area", "population_0_17")) == [("North", 6000)]


@pytest.mark.django_db
def test_an_area_population_file_without_its_columns_is_refused(tmp_path: Path) -> None:
    paths = _write(tmp_path / "local", {"pops.csv": "area,year,children\nNorth,2024-25,6000\n"})
    [outcome] = ingest_paths(paths)
    assert outcome.status != "stored"
    assert not AreaPopulation.objects.exists()


# ONS's LSOA layout, reduced to two ages for brevity in the header would not do: the file
# needs every age 0-17, so the test writes them (males then females, as ONS lays them out)
def _ons_file(rows: list[tuple[str, int]]) -> str:
    ages = [f"M{a}" for a in range(18)] + [f"F{a}" for a in range(18)]
    header = "LSOA 2021 Code,LSOA 2021 Name,Total," + ",".join(ages) + ",M18\n"
    # each child age column holds `per_age`, so the 0-17 total is 36 x per_age; M18 is an adult
    return header + "".join(
        f"{code},Somewhere,0," + ",".join([str(per_age)] * 36) + ",999\n" for code, per_age in rows
    )


def test_ward_lists_summed_from_imported_small_area_estimates(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(home))
    src = tmp_path / "ons"
    src.mkdir()
    (src / "sapelsoasyoa_mid-2024.csv").write_text(
        _ons_file([("E01000001", 50), ("E01000002", 100), ("E01000003", 25)]), encoding="utf-8"
    )
    # a reduced file for another year, the year in a column
    (src / "lsoa_0_17.csv").write_text(
        "lsoa21cd,mid_year,population_0_17\nE01000001,2023,1700\nE01000002,2023,3500\n",
        encoding="utf-8",
    )
    import_reference(src, home / "reference")
    estimates = small_area_populations()
    assert estimates is not None and estimates.height == 5
    (home / "council.yml").write_text(
        "la_code: '999'\nareas:\n"
        "  - {area: North, lsoas: [E01000001, E01000002]}\n"
        "  - {area: South, lsoas: [E01000003, E01000009]}\n"  # E01000009 is not in the file
        "  - {area: East, teams: [East Team]}\n",             # teams only: no population
        encoding="utf-8",
    )
    data = case_data(
        team=[{"team": "North Team", "area": "North"}, {"team": "South Team", "area": "South"},
              {"team": "East Team", "area": "East"}],
        allocation=[{"child_id": c, "team": f"{t} Team", "start_date": "2023-01-01"}
                    for c, t in (("N1", "North"), ("N2", "North"), ("S1", "South"), ("E1", "East"))],
        early_help_episode=[{"child_id": c, "start_date": "2023-02-01"} for c in ("N1", "N2", "S1", "E1")],
    )
    rates = _area_rates(data)
    # North mid-2024: (50 + 100) x 36 ages-and-sexes = 5,400; 2 / 5,400 x 10,000 = 3.70 -> 3.7
    assert rates["North"] == (2, 5400, 3.7)
    assert rates["South"] == (1, None, None)  # one of its LSOAs has no estimate
    assert rates["East"] == (1, None, None)
    # 2023-24 uses mid-2023: North 1,700 + 3,500 = 5,200; 2 / 5,200 x 10,000 = 3.846 -> 3.8
    assert _area_rates(data, "2023-24")["North"] == (2, 5200, 3.8)
    from csc_scorecard.indicators.population import area_population
    from csc_scorecard.periods import parse_period

    _, why = area_population(data, parse_period("2024-25"), "South")
    assert why == ("South: 1 of its 2 LSOAs have no ONS mid-2024 estimate in the imported "
                   "small-area data (first E01000009)")
    value, source = area_population(data, parse_period("2024-25"), "north")
    assert value == 5400 and source.startswith("ONS mid-2024 estimates summed over 2 LSOAs")


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("sape_mid-2024.csv", "lsoa21cd,population_0_17\nE01000001,12x\n",
         "row 2, column 'population_0_17', value '12x': not a whole number"),
        ("sape_mid-2024.csv", "lsoa21cd,population_0_17\nE01000001,5\nE01000001,6\n",
         "row 3, column 'lsoa21cd', value 'E01000001': this area is also given for mid-2024 at row 2"),
        ("sape_mid-2024.csv", "lsoa21cd,population_0_17\n,5\n",
         "row 2, column 'lsoa21cd': the area code is blank"),
        ("sape.csv", "lsoa21cd,population_0_17\nE01000001,5\n", "the file gives no year"),
        ("sape.csv", "lsoa21cd,mid_year,population_0_17\nE01000001,last year,5\n",
         "row 2, column 'mid_year', value 'last year': not a year"),
    ],
)
def test_a_broken_small_area_file_is_refused_and_changes_nothing(
    tmp_path: Path, monkeypatch, name: str, text: str, problem: str
) -> None:
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "home"))
    src = tmp_path / "ons"
    src.mkdir()
    (src / name).write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceImportError) as exc:
        import_reference(src, tmp_path / "home" / "reference")
    assert problem in str(exc.value) and name in str(exc.value)
    assert small_area_populations() is None

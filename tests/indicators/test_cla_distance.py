"""Placed more than 20 miles from home: the ONS postcode directory as reference data, PL_DISTANCE,
PL_LA, and both definitions (local: > 20 miles; DfE/LAIT: > 20 miles and outside the LA).

One degree of latitude is 3958.8 x pi / 180 = 69.093 miles, and every point
below lies on the meridian 3 degrees west, so each distance is 69.093 miles
times the difference in latitude.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from csc_scorecard.benchmarks.postcodes import centroids
from csc_scorecard.benchmarks.reference import import_reference
from csc_scorecard.benchmarks.status import reference_status
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.engine import compute

SOMERSET = "E06000066"  # 933 since 2023-24 (E10000027 before); from the shipped snapshot
BRISTOL = "E06000023"

# A postcode directory reduced to the columns needed, ONSPD's names in upper case.
DIRECTORY = f"""PCDS,LAT,LONG,OSCTY,OSLAUA
TA1 2AA,50.95,-3.0,E99999999,{SOMERSET}
TA1 2AB,51.05,-3.0,E99999999,{SOMERSET}
TA1 2AD,99.999999,0.000000,E99999999,{SOMERSET}
TA1 3AA,51.1,-3.0,E99999999,{SOMERSET}
TA9 9AA,51.4,-3.0,E99999999,{SOMERSET}
BS1 1AA,51.45,-3.0,E99999999,{BRISTOL}
EX1 1AA,50.7,-3.5,E10000008,E07000041
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    empty = tmp_path / "no-shared"
    empty.mkdir()
    monkeypatch.setenv("CSC_SCORECARD_SHARED", str(empty))
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "home"))
    src = tmp_path / "onspd"
    src.mkdir()
    (src / "ONSPD_FEB_2025_UK.csv").write_text(DIRECTORY, encoding="utf-8")
    import_reference(src, tmp_path / "home" / "reference")
    return tmp_path / "home"


def test_the_directory_gives_postcodes_and_sector_means(home: Path) -> None:
    points = centroids()
    by_key = {r["key"]: r for r in points.iter_rows(named=True)}
    # TA1 2AD has no grid reference (latitude 99.999999): left out, also of its sector's mean
    assert "TA12AD" not in by_key
    sector = by_key["TA12"]
    # sector TA1 2 = mean of TA1 2AA (50.95) and TA1 2AB (51.05) = 51.0
    assert sector["kind"] == "sector" and sector["n_postcodes"] == 2
    assert sector["latitude"] == pytest.approx(51.0) and sector["longitude"] == pytest.approx(-3.0)
    assert sector["la_ons_code"] == SOMERSET  # no county (E99999999): the unitary itself
    assert by_key["BS11AA"]["kind"] == "postcode"
    # a district in a county: the county is the upper tier that matters (Devon)
    assert by_key["EX11AA"]["la_ons_code"] == "E10000008"


def _episode(child: str, **extra) -> dict:
    return {
        "child_id": child,
        "start_date": "2024-06-01",
        "reason_new_episode": "S",
        "legal_status": "C2",
        "placement": "U1",
        **extra,
    }


def _values(data) -> dict[str, tuple]:
    result = compute(
        data, "2024-25", ["cla_20miles_pct", "cla_20miles_outside_la_pct"], breakdowns=["all"]
    )
    return {
        r["indicator_id"]: (r["numerator"], r["denominator"], r["value"])
        for r in result.iter_rows(named=True)
    }


def test_both_definitions_worked_by_hand(home: Path) -> None:
    data = case_data(
        la_code="933",
        cla_episode=[
            # C1 sector TA1 2 (51.0) to TA9 9 (51.4): 0.4 x 69.093 = 27.6 miles, inside Somerset
            _episode("C1", home_postcode="TA1 2", placement_postcode="TA9 9"),
            # C2 TA1 2 to BS1 1 (51.45): 0.45 x 69.093 = 31.1 miles, in Bristol
            _episode("C2", home_postcode="TA1 2", placement_postcode="BS1 1"),
            # C3 TA1 2 to TA1 3 (51.1): 0.1 x 69.093 = 6.9 miles, inside
            _episode("C3", home_postcode="TA1 2", placement_postcode="TA1 3"),
            # C4 no postcodes; PL_DISTANCE 25 miles and PL_LA Bristol from the council's export
            _episode("C4", distance_miles=25.0, placement_la=BRISTOL),
            # C5 nothing known
            _episode("C5"),
            # C6 postcodes say 31.1 miles, but the recorded PL_DISTANCE (5 miles) wins; in Bristol
            _episode("C6", home_postcode="TA1 2", placement_postcode="BS1 1", distance_miles=5.0),
        ],
    )
    values = _values(data)
    # local: over 20 miles C1, C2, C4 = 3 of the 5 with a distance (C5 left out) = 60.0%
    assert values["cla_20miles_pct"] == (3, 5, 60.0)
    # DfE: over 20 miles and outside Somerset C2, C4 = 2 of all 6 looked after = 33.3 -> 33%
    assert values["cla_20miles_outside_la_pct"] == (2, 6, 33.0)


def test_pl_distance_alone_without_any_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "empty-home"))
    data = case_data(
        la_code="933",
        cla_episode=[
            _episode("D1", distance_miles=21.0, placement_la=BRISTOL),  # far, outside
            _episode("D2", distance_miles=21.0, placement_la=SOMERSET),  # far, inside
            _episode("D3", distance_miles=19.9, placement_la=BRISTOL),  # outside but near
            _episode("D4", distance_miles=20.0, placement_la=BRISTOL),  # exactly 20 is not "more than"
        ],
    )
    values = _values(data)
    assert values["cla_20miles_pct"] == (2, 4, 50.0)  # D1, D2
    assert values["cla_20miles_outside_la_pct"] == (1, 4, 25.0)  # D1


def test_dfe_figure_is_empty_rather_than_zero_when_it_cannot_be_told(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "empty-home"))
    nothing = case_data(la_code="933", cla_episode=[_episode("E1"), _episode("E2")])
    assert _values(nothing)["cla_20miles_outside_la_pct"] == (0, 0, None)
    no_council = case_data(
        la_code="", cla_episode=[_episode("E1", distance_miles=30.0, placement_la=BRISTOL)]
    )
    assert _values(no_council)["cla_20miles_outside_la_pct"] == (0, 0, None)


def test_a_postcode_import_leaves_the_published_figures_alone(
    home: Path, mini_reference_folder
) -> None:
    before = reference_status()
    assert before.files["measures.parquet"] == "snapshot"  # only postcodes were imported
    import_reference(mini_reference_folder, home / "reference")
    after = reference_status()
    assert after.kind == "import"
    # kept: 6 postcodes with a grid reference + their 5 sectors (TA1 2, TA1 3, TA9 9, BS1 1, EX1 1)
    assert centroids() is not None and centroids().height == 11
    measures = pl.read_parquet(home / "reference" / "measures.parquet")
    assert set(measures["dataset"].unique().to_list()) == {
        "c1_children_in_need_referrals_and_rereferrals"
    }


@pytest.fixture
def mini_reference_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "mini-dfe"
    folder.mkdir()
    (folder / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv").write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,referral_count,rereferral_percent,"
        "no_further_action_percent\n"
        "2025,Reporting year,National,E92000001,England,,,,,,100,20.0,5.0\n",
        encoding="utf-8",
    )
    return folder


def test_a_reduced_directory_with_plain_column_names(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "home"))
    src = tmp_path / "reduced"
    src.mkdir()
    (src / "my_postcodes.csv").write_text(
        "postcode,latitude,longitude\nab1 2cd,52.0,-1.0\nAB12CE,52.3,-1.2\nAB1 3CD,53.0,-1.0\n",
        encoding="utf-8",
    )
    (src / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # not a directory: ignored
    summary = import_reference(src, tmp_path / "home" / "reference")
    assert [p.name for p in summary.skipped] == ["notes.csv"]
    by_key = {r["key"]: r for r in centroids().iter_rows(named=True)}
    # sector AB1 2 = mean of (52.0, -1.0) and (52.3, -1.2) = (52.15, -1.1); no authority column
    assert by_key["AB12"]["latitude"] == pytest.approx(52.15)
    assert by_key["AB12"]["longitude"] == pytest.approx(-1.1)
    assert by_key["AB12"]["la_ons_code"] is None
    assert set(by_key) == {"AB12CD", "AB12CE", "AB13CD", "AB12", "AB13"}


def test_an_unzipped_onspd_uses_the_whole_file_not_its_pieces(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "home"))
    data = tmp_path / "ONSPD_FEB_2025" / "Data"
    (data / "multi_csv").mkdir(parents=True)
    (data / "ONSPD_FEB_2025_UK.csv").write_text(DIRECTORY, encoding="utf-8")
    piece = "\n".join(DIRECTORY.splitlines()[:2]) + "\n"  # header and TA1 2AA only
    (data / "multi_csv" / "ONSPD_FEB_2025_UK_TA.csv").write_text(piece, encoding="utf-8")
    summary = import_reference(tmp_path / "ONSPD_FEB_2025", tmp_path / "home" / "reference")
    assert [f.path.name for f in summary.files] == ["ONSPD_FEB_2025_UK.csv"]
    assert [p.name for p in summary.skipped] == ["ONSPD_FEB_2025_UK_TA.csv"]
    assert centroids().height == 11


def test_a_council_outside_the_published_data_gives_its_ons_code(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(home))
    monkeypatch.delenv("CSC_SCORECARD_LA_CODE", raising=False)
    (home / "council.yml").write_text("la_code: '999'\nons_code: E06000999\n", encoding="utf-8")
    data = case_data(
        la_code="999",
        cla_episode=[
            _episode("F1", distance_miles=30.0, placement_la="E06000999"),  # its own area: inside
            _episode("F2", distance_miles=30.0, placement_la=BRISTOL),  # outside
        ],
    )
    assert _values(data)["cla_20miles_outside_la_pct"] == (1, 2, 50.0)

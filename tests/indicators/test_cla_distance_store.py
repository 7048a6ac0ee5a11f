"""PL_DISTANCE and PL_LA kept by the store from a 903 episodes table, and the two "more
than 20 miles" figures worked by hand from the stored columns (no postcode directory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from csc_scorecard.indicators.casedata import load_case_data
from csc_scorecard.indicators.engine import compute
from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.store.models import ClaEpisode, IssueRecord

pytestmark = pytest.mark.django_db

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN,PL_DISTANCE,PL_LA\n"
)
OWN, ELSEWHERE = "E06000066", "E06000023"


def _ingest(tmp_path: Path, episodes: str) -> list:
    folder = tmp_path / "903_2024_25"
    folder.mkdir()
    header_rows = "".join(f"{c},1,01/01/2012,WBRI,,0,\n" for c in ("1", "2", "3", "4", "5"))
    (folder / "header.csv").write_text(HEADER + header_rows)
    (folder / "episodes.csv").write_text(EPISODES + episodes)
    return ingest_paths([folder], year="2024-25", la_code="933")


def test_stored_pl_distance_gives_both_figures(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "home"))  # no postcode directory
    outcomes = _ingest(
        tmp_path,
        # all looked after at 31 March 2025 (no end date), sectors as the 903 carries them
        "1,01/05/2024,S,C2,N1,U1,PR1,,,,TA1 4,BS1 1,,31.4,E06000023\n"  # far, outside
        "2,01/05/2024,S,C2,N1,U1,PR1,,,,TA1 4,TA9 9,,22.0,E06000066\n"  # far, inside
        "3,01/05/2024,S,C2,N1,U1,PR1,,,,TA1 4,TA2 7,,3.5,E06000066\n"  # near
        "4,01/05/2024,S,C2,N1,U1,PR1,,,,TA1 4,TA3 1,,,\n"  # distance not given
        "5,01/05/2024,S,C2,N1,U1,PR1,,,,TA1 4,TA3 2,,far,E06000066\n",  # not a number
    )
    assert [o.status for o in outcomes] == ["stored"], [(o.label, o.reason) for o in outcomes]
    stored = dict(ClaEpisode.objects.values_list("child_id", "distance_miles"))
    assert stored == {"1": 31.4, "2": 22.0, "3": 3.5, "4": None, "5": None}
    assert dict(ClaEpisode.objects.values_list("child_id", "placement_postcode"))["1"] == "BS1 1"
    assert set(ClaEpisode.objects.values_list("placement_la", flat=True)) == {OWN, ELSEWHERE, ""}
    bad = IssueRecord.objects.filter(column="PL_DISTANCE", rule="")
    assert bad.count() == 1 and bad.first().row == 6  # child 5's row, as Excel numbers it

    data = load_case_data("933")
    result = compute(
        data, "2024-25", ["cla_20miles_pct", "cla_20miles_outside_la_pct"], breakdowns=["all"]
    )
    values = {r["indicator_id"]: (r["numerator"], r["denominator"], r["value"])
              for r in result.iter_rows(named=True)}
    # local: over 20 miles children 1 and 2, of the 3 with a distance (4 and 5 left out) = 66.7%
    assert values["cla_20miles_pct"] == (2, 3, 66.7)
    # DfE: over 20 miles and outside Somerset (933 is E06000066): child 1, of all 5 = 20%
    assert values["cla_20miles_outside_la_pct"] == (1, 5, 20.0)


def test_a_903_without_the_derived_columns_still_loads(tmp_path: Path) -> None:
    folder = tmp_path / "903_2024_25"
    folder.mkdir()
    (folder / "header.csv").write_text(HEADER + "1,1,01/01/2012,WBRI,,0,\n")
    (folder / "episodes.csv").write_text(
        EPISODES.replace(",PL_DISTANCE,PL_LA", "") + "1,01/05/2024,S,C2,N1,U1,PR1,,,,TA1 4,BS1 1,\n"
    )
    outcomes = ingest_paths([folder], year="2024-25", la_code="933")
    assert [o.status for o in outcomes] == ["stored"]
    assert list(ClaEpisode.objects.values_list("distance_miles", "placement_la")) == [(None, "")]
    # the absent derived columns are not reported as missing
    assert not IssueRecord.objects.filter(column__in=["PL_DISTANCE", "PL_LA"], rule="").exists()

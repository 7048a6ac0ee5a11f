"""Last year's 903 read back from the store's raw files for the year-on-year rules."""

from __future__ import annotations

import polars as pl
import pytest

from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.validation import ssda903
from csc_scorecard.validation.core import Context
from csc_scorecard.validation.store_tables import last_year_from_store, previous_year

pytestmark = pytest.mark.django_db

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def test_previous_year():
    assert previous_year("2024-25") == "2023-24" and previous_year("2000-01") == "1999-00"


def test_last_years_submission_feeds_rule_202(tmp_path):
    folder = tmp_path / "903_2023_24"
    folder.mkdir()
    (folder / "header.csv").write_text(HEADER + "1,1,01/01/2012,WBRI,UN2,0,\n")
    (folder / "episodes.csv").write_text(EPISODES + "1,01/05/2023,S,C2,N1,U1,PR1,,,,AB1 2CD,AB3 4EF,\n")
    outcomes = ingest_paths([folder], year="2023-24", la_code="933")
    assert [o.status for o in outcomes] == ["stored"], [(o.label, o.reason) for o in outcomes]
    assert last_year_from_store("2025-26", "933") == {}  # nothing for 2024-25
    last = last_year_from_store("2024-25", "933")
    assert last["Header_last"].select("CHILD", "SEX", "_row").rows() == [("1", "1", 2)]
    # This year the child is recorded as a girl: 202 flags the change; 1 was M.
    this = {"Header": last["Header_last"].with_columns(SEX=pl.lit("F"))}
    results = {r.spec.code: r for r in ssda903.run_903({**this, **last}, Context("2024-25", "933"))}
    assert results["202"].failures.select("_child", "SEX").rows() == [("1", "F")]

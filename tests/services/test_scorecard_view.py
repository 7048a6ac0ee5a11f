"""The scorecard as a front end shows it: viewers get published figures; stale years are noted."""

import polars as pl
import pytest
from services_storekit import D, account, referrals, submission, teams

from csc_scorecard.services.recompute import recompute
from csc_scorecard.services.scorecard import scorecard_view

pytestmark = pytest.mark.django_db


@pytest.fixture()
def council():
    cin = submission("cin_census", "2024-25")
    # 3 referrals: a count of 1 to 5, which publication shows as c
    referrals(cin, ("A", D(2024, 5, 1)), ("B", D(2024, 6, 1)), ("C", D(2024, 7, 1)))
    teams(allocations=[])
    recompute(quarters=False, months=False)
    return cin


def _referrals(view):
    return view.frame.filter(pl.col("indicator_id") == "referrals_count").row(0, named=True)


def test_viewers_always_get_the_published_figures(council):
    analyst = account("ana", "analyst")
    viewer = account("vic", "viewer")
    assert _referrals(scorecard_view("2024-25", account=analyst))["value_display"] == "3"
    shown = _referrals(scorecard_view("2024-25", account=viewer))
    assert shown["value_display"] == "c" and shown["value"] is None
    assert _referrals(scorecard_view("2024-25", publication=True))["value_display"] == "c"


def test_a_stale_year_is_noted(council):
    notes = scorecard_view("2024-25").notes
    assert not any("are stale" in n for n in notes), notes
    new = submission("ssda903", "2024-25")
    notes = scorecard_view("2024-25-Q1").notes
    assert f"results for 2024-25 (LA 123) are stale: new submission #{new.pk}; run `csc-scorecard recompute`" in notes

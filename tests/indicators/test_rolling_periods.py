"""Rolling three and six months (R3-, R6-) through the indicator engine, worked by hand.

Flows count events dated from the first day of the window's first month to
the last day of its end month; snapshots are taken on that last day. Both
windows below cross the calendar year end.
"""

from __future__ import annotations

import polars as pl
import pytest

from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.engine import compute

REFERRAL_DATES = [
    "2024-01-10",  # in R3-2024-02 (Dec 2023 - Feb 2024) only
    "2024-08-31",  # just before R6-2025-02 (Sep 2024 - Feb 2025)
    "2024-09-01",  # first day of R6-2025-02
    "2024-11-30",  # in R6, the day before R3-2025-02 (Dec 2024 - Feb 2025) starts
    "2024-12-01",  # first day of R3
    "2025-01-15",
    "2025-02-28",  # last day of both
    "2025-03-01",  # just after both
]


@pytest.fixture
def data():
    return case_data(
        la_code="",
        population_0_17=10_000,
        referral=[
            {"child_id": f"R{i}", "referral_date": day} for i, day in enumerate(REFERRAL_DATES)
        ],
        cp_plan=[
            # open since Dec 2022: at 28 Feb 2025 it has lasted 821 days (two years or more)
            {"child_id": "A", "start_date": "2022-12-01"},
            # open since Oct 2024: 151 days at 28 Feb 2025
            {"child_id": "B", "start_date": "2024-10-01"},
            # ends on 28 Feb 2025 itself: not open at the end of that day
            {"child_id": "C", "start_date": "2024-12-15", "end_date": "2025-02-28"},
            # ended in Nov 2024, inside R6 but before its end: not in the snapshot
            {"child_id": "D", "start_date": "2024-06-01", "end_date": "2024-11-30"},
            # starts the day after the window
            {"child_id": "E", "start_date": "2025-03-01"},
        ],
    )


def _row(result: pl.DataFrame, indicator_id: str, period: str) -> dict:
    hit = result.filter(
        pl.col("indicator_id") == indicator_id,
        pl.col("period") == period,
        pl.col("breakdown") == "all",
    )
    assert hit.height == 1, (indicator_id, period)
    return hit.row(0, named=True)


def test_a_flow_counts_the_events_inside_the_window(data) -> None:
    periods = ["R3-2025-02", "R6-2025-02", "R3-2024-02", "R12-2025-02"]
    result = compute(
        data, periods, ["referrals_count", "referrals_rate_per_10k"], breakdowns=["all"]
    )
    # R3-2025-02: 1 Dec 2024, 15 Jan 2025, 28 Feb 2025 -> 3
    assert _row(result, "referrals_count", "R3-2025-02")["numerator"] == 3
    # R6-2025-02 adds 1 Sep 2024 and 30 Nov 2024 -> 5 (31 Aug and 1 Mar fall outside)
    assert _row(result, "referrals_count", "R6-2025-02")["numerator"] == 5
    # the same three months a year earlier: 10 Jan 2024 -> 1
    assert _row(result, "referrals_count", "R3-2024-02")["numerator"] == 1
    # R12-2025-02 (Mar 2024 - Feb 2025): all but 10 Jan 2024 and 1 Mar 2025 -> 6
    assert _row(result, "referrals_count", "R12-2025-02")["numerator"] == 6
    # rates per 10,000 over the window, like quarters: 3 / 10,000 x 10,000 = 3.0; 5 -> 5.0
    rate = _row(result, "referrals_rate_per_10k", "R3-2025-02")
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (3, 10_000, 3.0)
    assert _row(result, "referrals_rate_per_10k", "R6-2025-02")["value"] == 5.0


def test_a_snapshot_is_taken_on_the_last_day_of_the_window(data) -> None:
    periods = ["R3-2025-02", "R6-2025-02", "2025-02"]
    result = compute(data, periods, ["cp_open_count", "cp_open_2yr_pct"], breakdowns=["all"])
    for period in periods:
        # at the end of 28 Feb 2025: A and B are open (C ended that day, D before, E later)
        assert _row(result, "cp_open_count", period)["numerator"] == 2, period
        # of those two, A has lasted two years or more: 1 / 2 = 50.0%
        two_years = _row(result, "cp_open_2yr_pct", period)
        assert (two_years["numerator"], two_years["denominator"], two_years["value"]) == (
            1,
            2,
            50.0,
        ), period

"""A figure whose data is not held shows the reason in words, not a blank (issue 16)."""

from __future__ import annotations

import polars as pl

from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.engine import compute
from csc_scorecard.reporting.build import unavailable_text
from csc_scorecard.reporting.values import ResultSet


def _result_set(values: pl.DataFrame) -> ResultSet:
    frame = values.with_columns(pl.lit(None, pl.Datetime("us", "UTC")).alias("computed_at"))
    return ResultSet(frame, la_code="", units={}, publication=False)


def test_an_unavailable_figure_reads_as_its_reason():
    # no S47 completions extract, and no early help extract: both unavailable;
    # referrals_count has data (0 referrals is a real 0)
    data = case_data(referral=[{"child_id": "A", "referral_date": "2023-05-01"}])
    values = compute(
        data, "2024-25",
        ["s47_completed_10wd_pct", "early_help_rate_per_10k", "referrals_count"],
        breakdowns=["all"], population=40_000,
    )
    rs = _result_set(values)
    s47 = rs.figure("s47_completed_10wd_pct", "2024-25")
    assert unavailable_text("s47_completed_10wd_pct", s47).startswith(
        "no data: needs the S47 completions extract"
    )
    rate = rs.figure("early_help_rate_per_10k", "2024-25")
    assert "needs the early help extract" in unavailable_text("early_help_rate_per_10k", rate)
    referrals = rs.figure("referrals_count", "2024-25")
    assert referrals.value == 0 and unavailable_text("referrals_count", referrals) is None


def test_a_percentage_with_nothing_to_divide_stays_a_dash():
    # the extract is loaded but nothing was completed in 2024-25: denominator 0, no reason
    data = case_data(s47_completion=[
        {"child_id": "A", "start_date": "2023-05-01", "completed_date": "2023-05-10"}
    ])
    values = compute(data, "2024-25", ["s47_completed_10wd_pct"], breakdowns=["all"])
    figure = _result_set(values).figure("s47_completed_10wd_pct", "2024-25")
    assert figure.value is None and figure.denominator == 0
    assert unavailable_text("s47_completed_10wd_pct", figure) is None

"""Measures that need a local extract (issue 16, point 2), worked out by hand.

Working days in June-July 2024 (no bank holidays): 10 working days after Monday
3 June is Monday 17 June; 20 after it is Monday 1 July; 25 after it is Monday 8 July.
"""

from __future__ import annotations

import pytest

from csc_scorecard.indicators import local_extracts  # noqa: F401  (registers the functions)
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.engine import compute, unavailable_reason
from csc_scorecard.indicators.registry import INDICATORS, Unavailable
from csc_scorecard.periods import parse_period


def nd(data, indicator_id, period="2024-25"):
    rows = INDICATORS[indicator_id](data, parse_period(period))
    den = rows["denominator"]
    return rows["numerator"].sum(), (None if den.null_count() == rows.height else den.sum())


def timescale(child, days, done=None, cancelled=None, start="2024-06-03"):
    return {"child_id": child, "start_date": start, "timescale_days": days,
            "completed_date": done, "cancelled_date": cancelled}


ASSESSMENTS = [
    timescale("A", 10, "2024-06-17"),  # exactly 10 working days: on time
    timescale("B", 10, "2024-06-18"),  # 11: late
    timescale("C", 25, "2024-07-08"),  # exactly 25: on time
    timescale("D", 45, "2024-07-08"),  # 25 of 45: on time
    timescale("E", 25, cancelled="2024-06-05"),  # cancelled: out of the percentage, counted
    timescale("F", 25, cancelled="2025-04-01"),  # cancelled next year
    timescale("G", 10, "2025-04-01", start="2025-03-25"),  # completed next year
]


def test_assessments_on_time_by_priority_and_cancelled():
    data = case_data(assessment_timescale=ASSESSMENTS)
    # completed in 2024-25: A, B, C, D; on time: A, C, D
    assert nd(data, "assessments_on_time_by_priority_pct") == (3, 4)
    assert nd(data, "assessments_cancelled_count") == (1, None)  # E only


def test_s47_completed_within_10_working_days():
    data = case_data(s47_completion=[
        {"child_id": "A", "start_date": "2024-06-03", "completed_date": "2024-06-17"},  # 10
        {"child_id": "B", "start_date": "2024-06-03", "completed_date": "2024-06-18"},  # 11
        {"child_id": "C", "start_date": "2025-03-31", "completed_date": None},  # not completed
    ])
    assert nd(data, "s47_completed_10wd_pct") == (1, 2)


def ep(child, start, end=None, rec=None):
    return {"child_id": child, "start_date": start, "end_date": end, "reason_new_episode": "S",
            "legal_status": "C2", "placement": "U3", "reason_ceased": rec}


def test_initial_health_assessments():
    data = case_data(
        cla_episode=[
            ep("A", "2024-06-03"),  # IHA 1 Jul: exactly 20 working days: in time
            ep("B", "2024-06-03"),  # IHA 2 Jul: 21: late
            ep("C", "2024-06-03", "2024-06-30", "E4A"),  # 27 days looked after: out
            ep("D", "2024-06-03", "2024-07-01", "E4A"),  # 28 days: in; no IHA: not in time
            ep("E", "2025-03-10"),  # 21 days to 31 March: not yet 28: out
            ep("F", "2023-06-03"),  # started the year before: out
        ],
        health_assessment=[
            {"child_id": "A", "iha_date": "2024-07-01"},
            {"child_id": "B", "iha_date": "2024-07-02"},
            {"child_id": "B", "iha_date": "2024-05-01"},  # before this care began: ignored
            {"child_id": "F", "iha_date": "2023-06-10"},
        ],
    )
    assert nd(data, "cla_iha_timely_pct") == (1, 3)  # A of A, B, D


@pytest.mark.parametrize(
    ("ident", "extract"),
    [
        ("assessments_on_time_by_priority_pct", "assessment timescales"),
        ("assessments_cancelled_count", "assessment timescales"),
        ("s47_completed_10wd_pct", "S47 completions"),
        ("cla_iha_timely_pct", "initial health assessments"),
    ],
)
def test_without_the_extract_the_figure_says_so_never_0(ident, extract):
    data = case_data(cla_episode=[ep("A", "2024-06-03")])
    with pytest.raises(Unavailable, match=f"no data: needs the {extract} extract"):
        INDICATORS[ident](data, parse_period("2024-25"))
    values = compute(data, "2024-25", [ident], breakdowns=["all"])
    assert values["value"].to_list() == [None]
    assert unavailable_reason(data, ident, "2024-25").startswith(f"no data: needs the {extract}")


def test_every_reason_the_reports_show_is_the_one_the_function_gives():
    from csc_scorecard.indicators.engine import load_indicator_modules
    from csc_scorecard.indicators.requirements import MISSING_DATA, missing_data_reason

    load_indicator_modules()
    nothing = case_data()
    for ident in MISSING_DATA:
        with pytest.raises(Unavailable) as raised:
            INDICATORS[ident](nothing, parse_period("2024-25"))
        assert raised.value.reason == missing_data_reason(ident), ident
    # a declared rate takes its count's reason; an indicator that always has data has none
    assert missing_data_reason("early_help_rate_per_10k") == MISSING_DATA["early_help_open_count"]
    assert missing_data_reason("referrals_count") is None

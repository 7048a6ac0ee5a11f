"""Early help (issue 16, point 3), worked out by hand. Period 2024-25."""

from __future__ import annotations

import pytest

from csc_scorecard.indicators import early_help  # noqa: F401  (registers the functions)
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.engine import compute
from csc_scorecard.indicators.registry import INDICATORS, Unavailable
from csc_scorecard.periods import parse_period


def nd(data, indicator_id, period="2024-25"):
    rows = INDICATORS[indicator_id](data, parse_period(period))
    den = rows["denominator"]
    return rows["numerator"].sum(), (None if den.null_count() == rows.height else den.sum())


def episode(child, start, end=None, reason="", assessed=None):
    return {"child_id": child, "start_date": start, "end_date": end, "closure_reason": reason,
            "assessment_date": assessed}


EPISODES = [
    episode("A", "2024-01-10", "2025-03-31", "OUTCOMES_MET", "2024-01-20"),  # closed last day
    episode("B", "2024-05-01", "2024-09-01", "STEP_UP", "2024-05-10"),
    episode("B", "2025-01-01", assessed="2025-01-05"),  # B back in early help: open
    episode("C", "2024-04-01", "2024-12-01", "DISENGAGED", "2024-04-02"),
    episode("D", "2025-03-31", assessed=None),  # started on the last day: open
    episode("E", "2023-01-01", "2024-03-31", "OUTCOMES_MET", "2023-01-05"),  # closed last year
    episode("F", "2024-06-01", "2025-04-01", "STEP_UP", "2024-06-03"),  # closes next year: open
]


def data(**extra):
    return case_data(early_help_episode=EPISODES, **extra)


def test_open_starts_closed():
    # open at 31 March 2025: B (2nd), D, F; A closed that day
    assert nd(data(), "early_help_open_count") == (3, None)
    # started in 2024-25: B, B, C, D, F = 5 (A and E began earlier)
    assert nd(data(), "early_help_starts_count") == (5, None)
    # closed in 2024-25: A (31 Mar), B (Sep), C = 3; E closed 31 Mar 2024, F closes 1 Apr 2025
    assert nd(data(), "early_help_closed_count") == (3, None)


def test_closure_shares():
    # of A, B, C closed: needs met A; stepped up B
    assert nd(data(), "early_help_closed_outcomes_met_pct") == (1, 3)
    assert nd(data(), "early_help_stepped_up_pct") == (1, 3)


def test_rate_is_the_open_count_per_10k():
    values = compute(data(), "2024-25", ["early_help_rate_per_10k"], breakdowns=["all"],
                     population=40_000)
    assert values["value"].to_list() == [0.8]  # 10,000 x 3 / 40,000 = 0.75 -> 0.8 (1 dp)


def test_assessments_from_annex_a_list_2_else_the_extract():
    list_2 = [
        {"child_id": "X", "start_date": "2024-04-01", "end_date": "2024-04-20"},
        {"child_id": "X", "start_date": "2024-04-01"},  # the same assessment twice: once
        {"child_id": "Y", "start_date": "2025-03-31"},
        {"child_id": "Z", "start_date": "2024-03-31"},  # last year
    ]
    assert nd(data(early_help=list_2), "early_help_assessments_count") == (2, None)
    # no list 2: the extract's assessment dates in 2024-25: B 10 May, B 5 Jan, C 2 Apr, F 3 Jun
    assert nd(data(), "early_help_assessments_count") == (4, None)


def test_without_the_extract_episodes_are_unavailable():
    nothing = case_data()
    for ident in ("early_help_open_count", "early_help_closed_outcomes_met_pct"):
        with pytest.raises(Unavailable, match="needs the early help extract"):
            INDICATORS[ident](nothing, parse_period("2024-25"))
    with pytest.raises(Unavailable, match="needs Annex A list 2"):
        INDICATORS["early_help_assessments_count"](nothing, parse_period("2024-25"))
    # list 2 alone gives the assessments; the episode figures stay unavailable
    only_list_2 = case_data(early_help=[{"child_id": "X", "start_date": "2024-05-01"}])
    assert nd(only_list_2, "early_help_assessments_count") == (1, None)
    values = compute(only_list_2, "2024-25", ["early_help_rate_per_10k"], breakdowns=["all"],
                     population=40_000)
    assert values["value"].to_list() == [None]

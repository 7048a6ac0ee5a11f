"""Children in need rows of the seed annual report (issue 16), worked out by hand."""

from __future__ import annotations

from csc_scorecard.indicators import children_in_need  # noqa: F401  (registers the functions)
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.registry import INDICATORS
from csc_scorecard.periods import parse_period


def nd(data, indicator_id, period="2024-25"):
    rows = INDICATORS[indicator_id](data, parse_period(period))
    den = rows["denominator"]
    return rows["numerator"].sum(), (None if den.null_count() == rows.height else den.sum())


def ref(child, date, closed=None, nfa=False):
    return {"child_id": child, "referral_date": date, "closure_date": closed, "nfa": nfa}


# Period end 31 March 2025.
REFERRALS = [
    ref("A", "2024-01-01"),  # in need only
    ref("B", "2024-01-01"),  # on a CP plan at 31 March: excluded
    ref("C", "2024-01-01"),  # looked after at 31 March: excluded
    ref("D", "2024-01-01", closed="2025-03-31"),  # closed on the last day: not open
    ref("E", "2024-01-01"),
    ref("E", "2024-09-01"),  # two open episodes: one child
    ref("F", "2025-01-01", nfa=True),  # no further action: left out
    ref("G", "2024-02-01"),
    ref("H", "2024-02-01"),
    ref("I", "2025-02-01"),  # episode began after the plan ended: not stepped down
]
PLANS = [
    {"child_id": "B", "start_date": "2024-06-01"},
    {"child_id": "G", "start_date": "2023-06-01", "end_date": "2024-03-31"},  # 365 days before
    {"child_id": "H", "start_date": "2023-06-01", "end_date": "2024-03-30"},  # 366 days before
    {"child_id": "I", "start_date": "2024-06-01", "end_date": "2025-01-15"},
]
EPISODES = [
    {"child_id": "C", "start_date": "2024-05-01"},
    # A's care ended 1 Oct 2024 with reason E4A (returned home): a step-down from care
    {"child_id": "A", "start_date": "2024-05-01", "end_date": "2024-10-01", "reason_ceased": "E4A"},
    # E's episode closed with X1 (care continued in a new episode, itself ended 2 years ago)
    {"child_id": "E", "start_date": "2022-01-01", "end_date": "2022-06-01", "reason_ceased": "X1"},
]
CIN_PLANS = [
    {"child_id": "A", "start_date": "2024-12-31"},  # exactly 3 months before: up to date
    {"child_id": "E", "start_date": "2024-12-30"},  # a day more: overdue
    {"child_id": "G", "start_date": "2024-04-01", "end_date": "2025-03-31"},  # plan ended: none open
    {"child_id": "H", "start_date": "2025-03-01"},  # up to date
    # I has no plan: overdue
]


def data():
    return case_data(referral=REFERRALS, cp_plan=PLANS, cla_episode=EPISODES, cin_plan=CIN_PLANS)


def test_cin_open_excl_cp_cla_count():
    # open at 31 March, not B (plan), C (looked after), D (closed 31 Mar), F (NFA):
    # A, E (once), G, H, I = 5
    assert nd(data(), "cin_open_excl_cp_cla_count") == (5, None)


def test_cin_plan_overdue_pct():
    # of A, E, G, H, I: E (30 Dec: 3 months and a day), G (plan ended), I (no plan) = 3 of 5
    assert nd(data(), "cin_plan_overdue_pct") == (3, 5)


def test_cin_stepped_down_from_cp_pct():
    # G's plan ended 31 Mar 2024, exactly a year (365 days) before: in; H's 30 Mar 2024
    # (366 days): out; I's episode began after its plan ended: out -> 1 of 5
    assert nd(data(), "cin_stepped_down_from_cp_pct") == (1, 5)


def test_cin_stepped_down_from_cla_pct():
    # A's care ended 1 Oct 2024 with the CIN episode open since January: in;
    # E's only ending is X1 (and long ago): out -> 1 of 5
    assert nd(data(), "cin_stepped_down_from_cla_pct") == (1, 5)


def test_cin_plan_reviews_from_the_local_extract_bring_a_plan_up_to_date():
    # E's plan started 30 Dec 2024 (overdue on its own); a review on 31 Dec 2024, exactly
    # 3 months before 31 March, brings it up to date; G's review is of a plan that ended
    # (no open plan): still overdue; a review after period end does not count (I has none)
    reviews = [
        {"child_id": "E", "review_date": "2024-12-31"},
        {"child_id": "G", "review_date": "2025-03-01"},
        {"child_id": "I", "review_date": "2025-04-01"},
    ]
    data_with_reviews = case_data(
        referral=REFERRALS, cp_plan=PLANS, cla_episode=EPISODES, cin_plan=CIN_PLANS,
        cin_plan_review=reviews,
    )
    # overdue: G (no open plan), I (no plan) = 2 of 5
    assert nd(data_with_reviews, "cin_plan_overdue_pct") == (2, 5)

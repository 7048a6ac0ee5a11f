"""Child protection indicators, each on a tiny hand-made dataset worked out by hand."""

from __future__ import annotations

from csc_scorecard.indicators import child_protection  # noqa: F401  (registers the functions)
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.registry import INDICATORS
from csc_scorecard.periods import parse_period


def nd(data, indicator_id, period="2024-25"):
    """(numerator, denominator) summed over the unit rows; denominator None for counts."""
    rows = INDICATORS[indicator_id](data, parse_period(period))
    den = rows["denominator"]
    return rows["numerator"].sum(), (None if den.null_count() == rows.height else den.sum())


def plan(child, start, end=None, previous=None):
    return {"child_id": child, "start_date": start, "end_date": end, "previous_plans": previous}


def test_open_starts_ends_around_31_march():
    data = case_data(
        cp_plan=[
            plan("A", "2024-01-01"),  # open
            plan("B", "2024-06-01", "2025-03-31"),  # ended on 31 March: not open at 31 March
            plan("C", "2024-06-01", "2025-04-01"),  # ends the day after: open
            plan("D", "2025-04-01"),  # starts after
            plan("E", "2023-01-01"),  # E has two open plans (a data error): counted once
            plan("E", "2024-05-01"),
            plan("F", "2025-03-31"),  # started on 31 March: open
        ]
    )
    # open at 31 March 2025: A, C, E, F
    assert nd(data, "cp_open_count") == (4, None)
    assert nd(data, "cp_rate_per_10k") == (4, None)
    # starting in 2024-25: B, C, E (2024-05-01), F
    assert nd(data, "cp_starts_count") == (4, None)
    # ending in 2024-25: B only (C ends in 2025-26)
    assert nd(data, "cp_ends_count") == (1, None)
    assert nd(data, "cp_ends_count", "2025-26") == (1, None)
    # at 30 June 2024 (Q1): A, B, C, E open; F and D not yet
    assert nd(data, "cp_open_count", "2024-25-Q1") == (4, None)


REPEATS = [
    plan("G", "2019-01-01", "2019-06-01"),
    plan("G", "2024-05-01", previous=0),  # earlier plan on record (5 years ago): ever yes, 2yr no
    plan("H", "2024-06-01", previous=2),  # previous plans recorded, none on record: ever yes, 2yr no
    plan("I", "2024-07-01"),  # first plan: no, no
    plan("J", "2024-08-01", "2024-12-01"),  # first plan: no, no
    plan("J", "2025-01-10"),  # earlier plan ended 6 weeks before: yes, yes
    plan("K", "2020-01-01", "2022-06-01"),
    plan("K", "2024-06-01"),  # earlier plan ended exactly 2 years before: yes, yes
    plan("L", "2020-01-01", "2022-05-31"),
    plan("L", "2024-06-01"),  # ended 2 years and a day before: yes, no
]


def test_cp_repeat_ever_pct():
    data = case_data(cp_plan=REPEATS)
    # starting in 2024-25: G, H, I, J1, J2, K2, L2 = 7; repeat ever: G, H, J2, K2, L2 = 5
    assert nd(data, "cp_repeat_ever_pct") == (5, 7)


def test_cp_repeat_2yr_pct():
    data = case_data(cp_plan=REPEATS)
    # of the same 7, an earlier plan ended within 2 years: J2, K2 = 2
    assert nd(data, "cp_repeat_2yr_pct") == (2, 7)


def test_cp_open_2yr_pct_uses_730_days_counting_both_ends():
    data = case_data(
        cp_plan=[
            plan("M", "2023-04-02"),  # 2023-04-02..2025-03-31 = 730 days inclusive: yes
            plan("N", "2023-04-03"),  # 729 days inclusive: no
            plan("O", "2024-01-01"),  # no
            plan("P", "2020-01-01"),  # yes
            plan("Q", "2020-01-01", "2025-03-31"),  # ended on 31 March: not open, not counted
        ]
    )
    assert nd(data, "cp_open_2yr_pct") == (2, 4)


def test_cp_ended_2yr_pct():
    data = case_data(
        cp_plan=[
            plan("Q", "2022-05-01", "2024-04-30"),  # 731 days inclusive: yes
            plan("R", "2023-01-01", "2024-12-30"),  # 730 days inclusive: yes
            plan("S", "2023-01-01", "2024-12-29"),  # 729 days inclusive: no
            plan("T", "2024-06-01", "2024-09-01"),  # no
            plan("U", "2020-01-01", "2025-04-01"),  # ends next year: not in the denominator
        ]
    )
    assert nd(data, "cp_ended_2yr_pct") == (2, 4)


def test_cp_reviews_timely_pct():
    def review(child, start, day):
        return {"child_id": child, "plan_start_date": start, "review_date": day}

    data = case_data(
        cp_plan=[
            plan("U", "2024-10-01"),
            plan("V", "2024-10-01"),
            plan("W", "2024-01-15"),
            plan("X", "2024-01-15"),
            plan("Y", "2025-01-15"),
            plan("Z", "2024-12-31"),
            plan("AA", "2024-01-01", "2025-02-01"),
            plan("AB", "2024-06-01"),
        ],
        cp_review=[
            review("U", "2024-10-01", "2024-12-20"),  # first within 3 months; next due 20 Jun
            review("V", "2024-10-01", "2025-01-02"),  # first due 1 Jan 2025: a day late
            review("W", "2024-01-15", "2024-04-15"),  # due 15 Apr: on the day
            review("W", "2024-01-15", "2024-10-15"),  # due 15 Oct: on the day; next due 15 Apr 2025
            review("W", "2024-01-15", "2025-04-10"),  # after period end: ignored
            review("X", "2024-01-15", "2024-04-10"),
            review("X", "2024-01-15", "2024-09-01"),  # next due 1 Mar 2025: overdue at 31 Mar
            review("AA", "2024-01-01", "2024-03-01"),
            review("AB", "2023-01-01", "2024-07-01"),  # review of another plan: not AB's
        ],
    )
    # denominator (open at 31 Mar 2025, started 3+ months before): U, V, W, X, Z, AB
    #   (Y started 15 Jan 2025: under 3 months; AA ended)
    # on time: U, W, and Z (first review due 31 Mar 2025, the period end: not yet overdue)
    assert nd(data, "cp_reviews_timely_pct") == (3, 6)


def test_cp_visits_timely_pct_over_christmas():
    # December 2024 working days: 2-6, 9-13, 16-20, 23-24, 27, 30-31 (25, 26 Dec off).
    def visit(child, day, kind="CP"):
        return {"child_id": child, "visit_date": day, "kind": kind}

    data = case_data(
        cp_plan=[
            plan("CA", "2024-06-01"),
            plan("CB", "2024-06-01"),
            plan("CC", "2024-12-16"),
            plan("CD", "2024-06-01"),
            plan("CE", "2024-06-01"),
            plan("CF", "2024-12-31"),
            plan("CG", "2024-06-01"),
            plan("CH", "2024-06-01", "2024-12-20"),  # ended in the month: not in the denominator
        ],
        visit=[
            # CA: 28 Nov -> 12 Dec 10 wd, -> 24 Dec 8, -> 31 Dec 3: yes
            visit("CA", "2024-11-28"), visit("CA", "2024-12-12"), visit("CA", "2024-12-24"),
            visit("CA", "2025-01-03"),  # after the period: ignored
            # CB: 20 Nov -> 5 Dec 11 wd: no
            visit("CB", "2024-11-20"), visit("CB", "2024-12-05"), visit("CB", "2024-12-19"),
            # CC: plan from 16 Dec -> 30 Dec 8 wd -> 31 Dec 1: yes
            visit("CC", "2024-12-30"),
            # CD: 29 Nov -> 13 Dec 10 wd -> 31 Dec 10 wd thanks to 25 and 26 Dec: yes
            visit("CD", "2024-11-29"), visit("CD", "2024-12-13"),
            # CE: only CIN visits in December; 29 Nov -> 31 Dec is 20 wd: no
            visit("CE", "2024-11-29"), visit("CE", "2024-12-10", "CIN"),
            # CF: plan started on the last day: 0 wd: yes
            # CG: never visited: from 1 Dec, 20 wd: no
        ],
    )
    # denominator CA, CB, CC, CD, CE, CF, CG = 7; on time CA, CC, CD, CF = 4
    assert nd(data, "cp_visits_timely_pct", "2024-12") == (4, 7)

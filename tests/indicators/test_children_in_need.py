"""Children in need indicators, each on a tiny hand-made dataset worked out by hand."""

from __future__ import annotations

from csc_scorecard.indicators import children_in_need  # noqa: F401  (registers the functions)
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.registry import INDICATORS
from csc_scorecard.periods import parse_period


def nd(data, indicator_id, period="2024-25"):
    rows = INDICATORS[indicator_id](data, parse_period(period))
    den = rows["denominator"]
    return rows["numerator"].sum(), (None if den.null_count() == rows.height else den.sum())


def episode(child, referral, closure=None, nfa=False):
    return {"child_id": child, "referral_date": referral, "closure_date": closure, "nfa": nfa}


EPISODES = [
    episode("A", "2024-01-01"),  # open
    episode("B", "2024-06-01", "2025-03-31"),  # closed on 31 March: not open at 31 March
    episode("C", "2024-06-01", "2025-04-01"),  # closed the day after: open
    episode("D", "2024-06-01", nfa=True),  # no further action: never counted as in need
    episode("E", "2025-03-31"),  # referred on 31 March: open
    episode("F", "2023-05-01"),  # two open episodes: counted twice (episodes, as DfE)
    episode("F", "2024-08-01"),
    episode("G", "2025-04-01"),  # referred after
]


def test_cin_open_count_and_rate():
    data = case_data(referral=EPISODES)
    # A, C, E, F, F
    assert nd(data, "cin_open_count") == (5, None)
    assert nd(data, "cin_rate_per_10k") == (5, None)
    # at 30 Sep 2024: A, B, C, F, F (D is NFA; E, G not yet)
    assert nd(data, "cin_open_count", "2024-25-Q2") == (5, None)


def test_cin_no_visit_6wk_pct():
    # The 6 weeks up to 31 Mar 2025 are the 42 days 18 Feb - 31 Mar 2025.
    def visit(child, day, kind="CIN"):
        return {"child_id": child, "visit_date": day, "kind": kind}

    data = case_data(
        referral=[
            *EPISODES,
            episode("H", "2024-09-01"),
            episode("I", "2024-09-01"),
            episode("J", "2024-09-01"),
        ],
        cp_plan=[
            {"child_id": "E", "start_date": "2025-03-31"},  # on a plan: excluded
            {"child_id": "J", "start_date": "2024-10-01", "end_date": "2025-03-31"},  # ended: in
        ],
        cla_episode=[
            {"child_id": "F", "start_date": "2024-09-01"},  # looked after: excluded
            {"child_id": "H", "start_date": "2024-09-01", "end_date": "2025-03-31"},  # left: in
        ],
        visit=[
            visit("A", "2025-02-18"),  # first day of the window: seen
            visit("C", "2025-02-17"),  # the day before the window: not seen
            visit("I", "2025-03-01", "CP"),  # not a CIN visit: not seen
            visit("J", "2025-03-31"),  # last day: seen
            # H: no visits: not seen
        ],
    )
    # denominator A, C, H, I, J = 5 (E on a plan, F looked after, B closed, D NFA)
    # not visited: C, H, I = 3
    assert nd(data, "cin_no_visit_6wk_pct") == (3, 5)

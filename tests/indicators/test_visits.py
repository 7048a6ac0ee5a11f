"""Statutory visits (issue 16): CP visits one by one, and looked-after children's visits.

Working days: Monday to Friday except bank holidays; "within 10 working days"
counts the days after the earlier date up to and including the later one.
"""

from __future__ import annotations

from csc_scorecard.indicators import visits  # noqa: F401  (registers the functions)
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.registry import INDICATORS
from csc_scorecard.periods import parse_period


def nd(data, indicator_id, period):
    rows = INDICATORS[indicator_id](data, parse_period(period))
    den = rows["denominator"]
    return rows["numerator"].sum(), (None if den.null_count() == rows.height else den.sum())


def visit(child, day, kind="CP"):
    return {"child_id": child, "kind": kind, "visit_date": day}


# Period: January 2025 (2025-01), Wed 1 Jan (bank holiday) to Fri 31 Jan.
CP = case_data(
    cp_plan=[
        {"child_id": "A", "start_date": "2024-12-02"},  # Mon 2 Dec 2024, open
        {"child_id": "B", "start_date": "2024-12-02"},
        {"child_id": "C", "start_date": "2025-01-27"},  # Mon 27 Jan: nothing due yet
        {"child_id": "D", "start_date": "2024-11-01", "end_date": "2025-01-10"},  # ended in Jan
    ],
    visit=[
        # A: 13 Dec, then Mon 6 Jan 2025: working days after 13 Dec to 6 Jan are
        # 16, 17, 18, 19, 20, 23, 24, 27, 30, 31 Dec, 2, 3, 6 Jan = 13 (25, 26 Dec,
        # 1 Jan are holidays): late. Then Mon 20 Jan: 7..10, 13..17, 20 = 10: exactly on time.
        visit("A", "2024-12-13"), visit("A", "2025-01-06"), visit("A", "2025-01-20"),
        # B: 30 Dec, then Tue 14 Jan: 31 Dec, 2, 3, 6..10, 13, 14 = 10: on time; then none:
        # 15..17, 20..24, 27..31 = 13 working days to 31 Jan: one visit due and missed.
        visit("B", "2024-12-30"), visit("B", "2025-01-14"),
        # "CIN" visits are not CP visits
        visit("B", "2025-01-20", kind="CIN"),
        # D: visit 8 Jan during the plan (on time after 24 Dec), 20 Jan after it ended: ignored
        visit("D", "2024-12-24"), visit("D", "2025-01-08"), visit("D", "2025-01-20"),
    ],
)


def test_cp_visits_count():
    # made in January during a plan: A 6, A 20, B 14, D 8 = 4
    assert nd(CP, "cp_visits_count", "2025-01") == (4, None)


def test_cp_visits_on_time_pct():
    # due: A 6 Jan (late), A 20 Jan (on time, exactly 10), B 14 Jan (on time),
    # B missed by 31 Jan (late), D 8 Jan (on time: 27, 30, 31 Dec, 2, 3, 6, 7, 8 = 8)
    # C: 27 Jan start, 4 working days to 31 Jan: nothing due -> 3 of 5
    assert nd(CP, "cp_visits_on_time_pct", "2025-01") == (3, 5)


def test_cp_visits_all_on_time_pct():
    # on a plan at 31 Jan: A (a late visit), B (missed), C (none due: on time) -> 1 of 3
    assert nd(CP, "cp_visits_all_on_time_pct", "2025-01") == (1, 3)


def episode(child, start, end=None, rne="S"):
    return {"child_id": child, "start_date": start, "end_date": end, "reason_new_episode": rne}


# Period 2024-25 (1 April 2024 to 31 March 2025).
CLA = case_data(
    cla_episode=[
        # E: placed 1 Mar 2025; first visit 8 Mar = exactly 7 days: on time; next due
        # 19 Apr (after period end): not judged -> on time
        episode("E", "2025-03-01"),
        # F: placed 1 Mar 2025, first visit 9 Mar (8 days): late
        episode("F", "2025-03-01"),
        # G: placed 1 Jan 2025, visits 5 Jan, 16 Feb (42 days: on time), then next
        # due 30 Mar (42 days) and none by 31 Mar: late
        episode("G", "2025-01-01"),
        # H: placed 1 Jun 2023; a legal-status-only change (L) on 1 Jan 2025 is the same
        # placement; past its first year visits are due 3 months apart: 31 Dec 2024 then
        # 31 Mar 2025 (exactly 3 months) is on time
        episode("H", "2023-06-01", "2025-01-01", rne="S"),
        episode("H", "2025-01-01", rne="L"),
        # I: ceased before period end: not in the denominator
        episode("I", "2024-04-01", "2024-06-01"),
    ],
    visit=[
        visit("E", "2025-03-08", "CLA"),
        visit("F", "2025-03-09", "CLA"),
        visit("G", "2025-01-05", "CLA"), visit("G", "2025-02-16", "CLA"),
        visit("H", "2024-04-15", "CLA"), visit("H", "2024-07-10", "CLA"),
        visit("H", "2024-10-01", "CLA"), visit("H", "2024-12-31", "CLA"),
        visit("H", "2025-03-31", "CLA"),
    ],
)


def test_cla_visits_timely_pct():
    # H: 15 Apr 2024 is still in the placement's first year (to 1 Jun 2024), so the next
    # visit was due 42 days later, 27 May 2024; it was made 10 Jul: late.
    # E on time, F late, G late, H late -> 1 of 4
    assert nd(CLA, "cla_visits_timely_pct", "2024-25") == (1, 4)
    # Q4 only (Jan-Mar 2025): H's steps due in Q4: after 31 Dec due 31 Mar, met exactly;
    # after 31 Mar due 30 Jun, not judged -> H on time; E on time, F, G late -> 2 of 4
    assert nd(CLA, "cla_visits_timely_pct", "2024-25-Q4") == (2, 4)

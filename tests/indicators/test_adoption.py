"""Adoption and special guardianship (issue 16), worked out by hand.

The A1, A2 and A10 averages cover the children adopted in the three years
ending on the period's last day (2024-25: 1 April 2022 to 31 March 2025).
"""

from __future__ import annotations

from csc_scorecard.indicators import adoption  # noqa: F401  (registers the functions)
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.registry import INDICATORS
from csc_scorecard.periods import parse_period


def nd(data, indicator_id, period="2024-25"):
    rows = INDICATORS[indicator_id](data, parse_period(period))
    den = rows["denominator"]
    return rows["numerator"].sum(), (None if den.null_count() == rows.height else den.sum())


def ep(child, start, end, rne, ls, place, rec=None):
    return {
        "child_id": child, "start_date": start, "end_date": end, "reason_new_episode": rne,
        "legal_status": ls, "placement": place, "reason_ceased": rec,
    }


EPISODES = [
    # A: in care 1 Jan 2022, placement order 1 Jul 2022, placed for adoption 1 Mar 2023,
    # adopted 1 Sep 2023 (E11).
    ep("A", "2022-01-01", "2022-07-01", "S", "C2", "U3", "X1"),
    ep("A", "2022-07-01", "2023-03-01", "L", "E1", "U3", "X1"),
    ep("A", "2023-03-01", "2023-09-01", "P", "E1", "A4", "E11"),
    # B: adopted by the foster carers: in care 1 Apr 2023, moved to them 1 Jun 2023 (P),
    # placement order 1 Oct 2023 (L), placed for adoption with them 1 Feb 2024 (T, A6),
    # adopted on the period's last day, 31 Mar 2025 (E12).
    ep("B", "2023-04-01", "2023-06-01", "S", "C2", "U1", "X1"),
    ep("B", "2023-06-01", "2023-10-01", "P", "C2", "U4", "X1"),
    ep("B", "2023-10-01", "2024-02-01", "L", "E1", "U4", "X1"),
    ep("B", "2024-02-01", "2025-03-31", "T", "E1", "A6", "E12"),
    # C: special guardianship to former foster carers (E43), 10 Oct 2024
    ep("C", "2024-05-01", "2024-10-10", "S", "C2", "U4", "E43"),
    # D: returned home (E4A) on the period's first day
    ep("D", "2023-01-01", "2024-04-01", "S", "C2", "U4", "E4A"),
    # E: adopted 31 Mar 2022, the day before the 2024-25 window; placed (A3) 1 Jun 2021
    ep("E", "2021-01-01", "2021-06-01", "S", "E1", "U3", "X1"),
    ep("E", "2021-06-01", "2022-03-31", "P", "E1", "A3", "E11"),
    # G: adopted 1 Dec 2024, but only the last episode is on record (RNE P, not S): the day
    # G entered care is not known, so A1 and A10 leave G out; A2 counts G (order 1 Jun 2024,
    # match 1 Aug 2024 = 30 + 31 = 61 days)
    ep("G", "2024-06-01", "2024-12-01", "P", "E1", "A4", "E11"),
    # F: an episode closing with X1 inside a continuing period of care is no ending
    ep("F", "2024-01-01", "2024-11-01", "S", "C2", "U3", "X1"),
    ep("F", "2024-11-01", None, "P", "C2", "U4"),
]
PLACED = [
    {"child_id": "A", "placed_date": "2023-03-01"},
    {"child_id": "B", "placed_date": "2024-02-01"},
]
AD1 = [
    {"child_id": "A", "decision_date": "2022-09-01", "match_date": "2023-02-01", "foster_care": False},
    {"child_id": "B", "decision_date": "2023-11-01", "match_date": "2024-01-15", "foster_care": True},
    {"child_id": "G", "decision_date": "2024-06-10", "match_date": "2024-08-01", "foster_care": False},
]


def data():
    return case_data(cla_episode=EPISODES, placed_for_adoption=PLACED, adoption=AD1)


def test_adoptions_sgo_and_share_adopted():
    # 2024-25 endings: B (E12, 31 Mar), C (E43), D (E4A, 1 Apr), G (E11); F continues
    assert nd(data(), "adoptions_count") == (2, None)
    assert nd(data(), "sgo_count") == (1, None)
    assert nd(data(), "cla_adopted_pct") == (2, 4)
    # 2023-24: A adopted (1 Sep 2023); no other endings
    assert nd(data(), "adoptions_count", "2023-24") == (1, None)


def test_a1_three_year_average():
    # window 1 Apr 2022 - 31 Mar 2025: A and B (E, 31 Mar 2022, is a day too early).
    # A: 1 Jan 2022 -> 1 Mar 2023 = 365 + 31 + 28 = 424 days
    # B: 1 Apr 2023 -> 1 Feb 2024 = 30+31+30+31+31+30+31+30+31+31 = 306 days
    assert nd(data(), "adoption_a1_days_avg") == (424 + 306, 2)  # average 365
    # 2023-24 window 1 Apr 2021 - 31 Mar 2024: A and E (no PlacedAdoption row: the A3
    # episode's start, 1 Jan 2021 -> 1 Jun 2021 = 31+28+31+30+31 = 151 days)
    assert nd(data(), "adoption_a1_days_avg", "2023-24") == (424 + 151, 2)


def test_a10_adjusts_for_foster_carer_adoption():
    # A as A1 (424); B adopted by the foster carers she moved in with on 1 Jun 2023:
    # 1 Apr 2023 -> 1 Jun 2023 = 30 + 31 = 61 days (not 306)
    assert nd(data(), "adoption_a10_days_avg") == (424 + 61, 2)  # average 242.5


def test_a2_placement_order_to_match():
    # A: 1 Jul 2022 -> 1 Feb 2023 = 31+31+30+31+30+31+31 = 215 days
    # B: 1 Oct 2023 -> 15 Jan 2024 = 31 + 30 + 31 + 14 = 106 days
    # G: 61 days (its entry to care being unknown does not matter here)
    assert nd(data(), "adoption_a2_days_avg") == (215 + 106 + 61, 3)

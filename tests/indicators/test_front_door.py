"""Front-door indicators, each on a tiny hand-made dataset worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from csc_scorecard.indicators import front_door  # noqa: F401  (registers the functions)
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.registry import INDICATORS
from csc_scorecard.periods import parse_period

YEAR = parse_period("2024-25")  # 1 Apr 2024 - 31 Mar 2025


def nd(data, indicator_id, period=YEAR):
    """(numerator, denominator) summed over the unit rows; denominator None for counts."""
    rows = INDICATORS[indicator_id](data, parse_period(period) if isinstance(period, str) else period)
    assert set(rows.columns) >= {"date", "numerator", "denominator"}
    den = rows["denominator"]
    return rows["numerator"].sum(), (None if den.null_count() == rows.height else den.sum())


def test_contacts_count_counts_each_contact_in_the_period():
    data = case_data(
        contact=[
            {"child_id": "A", "contact_date": "2024-04-01"},  # first day: in
            {"child_id": "A", "contact_date": "2024-04-01"},  # same child, same day: counted again
            {"child_id": "B", "contact_date": "2025-03-31"},  # last day: in
            {"child_id": "C", "contact_date": "2024-03-31"},  # day before: out
            {"child_id": "D", "contact_date": None},  # no date: out
        ]
    )
    # 3 contacts inside 1 Apr 2024 - 31 Mar 2025
    assert nd(data, "contacts_count") == (3, None)


REFERRALS = [
    {"child_id": "A", "referral_date": "2024-04-01", "nfa": False},
    {"child_id": "A", "referral_date": "2024-09-15", "nfa": True},
    {"child_id": "B", "referral_date": "2025-03-31", "nfa": None},
    {"child_id": "C", "referral_date": "2024-03-31", "nfa": False},  # previous year
    {"child_id": "D", "referral_date": "2025-04-01", "nfa": False},  # next year
]


def test_referrals_count_and_rate_units():
    data = case_data(referral=REFERRALS)
    # A twice (each referral counts), B once on the last day: 3
    assert nd(data, "referrals_count") == (3, None)
    assert nd(data, "referrals_rate_per_10k") == (3, None)  # the engine adds the population
    # Q1 (Apr-Jun 2024) holds only A's first referral
    assert nd(data, "referrals_count", "2024-25-Q1") == (1, None)


def test_referrals_nfa_pct():
    data = case_data(referral=REFERRALS)
    # in the year: A 1 Apr (no), A 15 Sep (NFA), B 31 Mar (unknown -> not NFA): 1 of 3
    assert nd(data, "referrals_nfa_pct") == (1, 3)


@pytest.mark.parametrize(
    ("earlier", "current", "is_rereferral"),
    [
        # exactly 12 months before, 365 days apart (no 29 Feb between): inside
        ("2024-06-10", "2025-06-10", True),
        # one day more, 366 days apart: outside
        ("2024-06-09", "2025-06-10", False),
        # exactly 12 months before across 29 Feb 2024, 366 days apart: inside
        ("2023-06-10", "2024-06-10", True),
        # 367 days across the leap day: outside
        ("2023-06-09", "2024-06-10", False),
        # from 29 Feb the year before is 28 Feb
        ("2023-02-28", "2024-02-29", True),
        ("2023-02-27", "2024-02-29", False),
        # the day before: inside
        ("2024-05-31", "2024-06-01", True),
    ],
)
def test_rereferral_within_12_months_edges(earlier, current, is_rereferral):
    data = case_data(
        referral=[
            {"child_id": "A", "referral_date": earlier},
            {"child_id": "A", "referral_date": current},
        ]
    )
    period = parse_period(f"M-{current[:7]}")  # the month of the later referral only
    assert nd(data, "rereferrals_12m_pct", period) == (1 if is_rereferral else 0, 1)


def test_rereferrals_12m_pct_hand_worked():
    data = case_data(
        referral=[
            {"child_id": "A", "referral_date": "2023-10-01"},  # last year, within 12m of A's next
            {"child_id": "A", "referral_date": "2024-05-01"},  # re-referral (7 months)
            {"child_id": "A", "referral_date": "2025-06-01"},  # next year: not in denominator
            {"child_id": "B", "referral_date": "2022-01-01"},  # over 2 years before
            {"child_id": "B", "referral_date": "2024-07-01"},  # not a re-referral
            {"child_id": "C", "referral_date": "2024-08-01"},  # first referral
            {"child_id": "C", "referral_date": "2024-12-01"},  # re-referral (4 months)
            {"child_id": "D", "referral_date": "2024-09-01"},  # another child: no effect on C
        ]
    )
    # in the year: A(May, yes), B(Jul, no), C(Aug, no), C(Dec, yes), D(Sep, no) -> 2 of 5
    assert nd(data, "rereferrals_12m_pct") == (2, 5)


def test_referrals_to_assessment_pct():
    data = case_data(
        referral=[
            {"child_id": "A", "referral_date": "2024-05-01", "closure_date": "2024-08-01"},
            {"child_id": "B", "referral_date": "2024-05-01", "closure_date": "2024-06-01"},
            {"child_id": "C", "referral_date": "2024-05-01"},
            {"child_id": "D", "referral_date": "2024-06-01"},
            {"child_id": "E", "referral_date": "2025-03-20"},
        ],
        assessment=[
            # A: the episode's own assessment (referral date matches): yes
            {"child_id": "A", "referral_date": "2024-05-01", "start_date": "2024-05-02"},
            # B: assessment of a later episode (different referral date): no
            {"child_id": "B", "referral_date": "2024-09-01", "start_date": "2024-09-02"},
            # C: no referral date on the assessment, starts while the episode is open: yes
            {"child_id": "C", "referral_date": None, "start_date": "2024-05-20"},
            # D: assessment started before the referral: no
            {"child_id": "D", "referral_date": None, "start_date": "2024-05-20"},
            # E: assessment starts after the period end, same episode: yes (followed by)
            {"child_id": "E", "referral_date": "2025-03-20", "start_date": "2025-04-02"},
        ],
    )
    # yes: A, C, E; no: B, D -> 3 of 5
    assert nd(data, "referrals_to_assessment_pct") == (3, 5)


def test_assessments_45_working_days_around_christmas():
    # From Fri 29 Nov 2024, the 45th working day is Wed 5 Feb 2025: December has
    # 25 and 26 Dec and 1 Jan off. Working days after the start: 2-6 Dec 5,
    # 9-13 10, 16-20 15, 23-24 17, 27 18, 30-31 20, 2-3 Jan 22, 6-10 27,
    # 13-17 32, 20-24 37, 27-31 42, 3 Feb 43, 4 Feb 44, 5 Feb 45, 6 Feb 46.
    data = case_data(
        assessment=[
            {"child_id": "A", "start_date": "2024-11-29", "authorised_date": "2025-02-05"},  # 45: in
            {"child_id": "B", "start_date": "2024-11-29", "authorised_date": "2025-02-06"},  # 46: late
            {"child_id": "C", "start_date": "2025-03-03", "authorised_date": "2025-03-03"},  # 0: in
            {"child_id": "D", "start_date": None, "authorised_date": "2024-07-01"},  # no start: not in time
            {"child_id": "E", "start_date": "2024-07-10", "authorised_date": "2024-07-01"},  # before start
            {"child_id": "F", "start_date": "2024-01-10", "authorised_date": "2024-03-01"},  # last year
        ]
    )
    assert nd(data, "assessments_completed_count") == (5, None)
    # within 45: A, C -> 2 of 5
    assert nd(data, "assessments_45wd_pct") == (2, 5)


def test_s47_count_and_rate():
    data = case_data(
        s47=[
            {"child_id": "A", "start_date": "2024-04-01"},
            {"child_id": "A", "start_date": "2024-10-01"},
            {"child_id": "B", "start_date": "2025-04-01"},
        ]
    )
    assert nd(data, "s47_count") == (2, None)
    assert nd(data, "s47_rate_per_10k") == (2, None)


def test_icpc_15_working_days_around_easter():
    # From Thu 10 Apr 2025: 11 Apr 1, 14-17 Apr 5, Good Friday 18 Apr and Easter
    # Monday 21 Apr off, 22-25 Apr 9, 28 Apr-2 May 14, 5 May (bank holiday) off,
    # 6 May 15, 7 May 16.
    data = case_data(
        s47=[
            {"child_id": "A", "start_date": "2025-04-10", "icpc_date": "2025-05-06"},  # 15: in
            {"child_id": "B", "start_date": "2025-04-10", "icpc_date": "2025-05-07"},  # 16: late
            {"child_id": "C", "start_date": "2025-04-10", "icpc_date": None,
             "icpc_not_required": True},  # no conference
            {"child_id": "D", "start_date": "2025-03-20", "icpc_date": "2025-04-03"},  # 10: in, ICPC in 2025-26
        ]
    )
    period = "2025-26"
    assert nd(data, "icpc_count", period) == (3, None)
    assert nd(data, "icpc_15wd_pct", period) == (2, 3)
    # conferences are placed by their own date, not the S47 start
    assert nd(data, "icpc_count", "2024-25") == (0, None)


def test_unit_dates_are_event_dates():
    data = case_data(referral=REFERRALS)
    rows = INDICATORS["referrals_count"](data, YEAR)
    assert rows.schema["date"] == pl.Date
    assert sorted(d.isoformat() for d in rows["date"]) == ["2024-04-01", "2024-09-15", "2025-03-31"]


# --- issue 16: re-referral count, strategy discussions ---------------------


def test_rereferrals_12m_count_counts_the_numerator_of_the_pct():
    from csc_scorecard.indicators.casedata import case_data as make
    from csc_scorecard.indicators.registry import INDICATORS as REG
    from csc_scorecard.periods import parse_period as pp

    data = make(
        referral=[
            {"child_id": "A", "referral_date": "2024-06-10"},
            {"child_id": "A", "referral_date": "2025-06-10"},  # 365 days after: re-referral
            {"child_id": "B", "referral_date": "2024-06-09"},
            {"child_id": "B", "referral_date": "2025-06-10"},  # 366 days after: not
            {"child_id": "C", "referral_date": "2025-07-01"},  # first referral: not
            {"child_id": "C", "referral_date": "2026-03-31"},  # 9 months after, last day: yes
        ]
    )
    # 2025-26 referrals: A 10 Jun, B 10 Jun, C 1 Jul, C 31 Mar -> re-referrals A and C (31 Mar)
    rows = REG["rereferrals_12m_count"](data, pp("2025-26"))
    assert rows["numerator"].sum() == 2
    assert sorted(rows["child_id"].to_list()) == ["A", "C"]
    assert rows["denominator"].null_count() == rows.height
    pct = REG["rereferrals_12m_pct"](data, pp("2025-26"))
    assert (pct["numerator"].sum(), pct["denominator"].sum()) == (2, 4)


def test_strategy_discussions_from_annex_a_list_5_else_unavailable_with_reason():
    import pytest

    from csc_scorecard.indicators.casedata import case_data as make
    from csc_scorecard.indicators.engine import compute, unavailable_reason
    from csc_scorecard.indicators.registry import Unavailable

    s47 = [
        {"child_id": "A", "start_date": "2024-04-01"},  # first day of the year: in
        {"child_id": "A", "start_date": "2024-04-01"},  # the same discussion twice: once
        {"child_id": "B", "start_date": "2025-03-31"},  # last day: in
        {"child_id": "C", "start_date": "2025-04-01"},  # next year: out
    ]
    from_census = make(s47=s47)
    with pytest.raises(Unavailable, match="needs Annex A list 5"):
        INDICATORS["strategy_discussions_count"](from_census, parse_period("2024-25"))
    values = compute(from_census, "2024-25", ["strategy_discussions_count"], breakdowns=["all"])
    # no data: the value is empty, not 0, and the reason is kept in words
    assert values["value"].to_list() == [None]
    assert "needs Annex A list 5" in unavailable_reason(
        from_census, "strategy_discussions_count", "2024-25"
    )

    from_annex_a = make(s47=s47)
    from_annex_a.notes.append("s47: no CIN census loaded; read from Annex A, whose lists ...")
    # 2024-25: A (1 Apr, once) and B (31 Mar) = 2
    assert nd(from_annex_a, "strategy_discussions_count") == (2, None)

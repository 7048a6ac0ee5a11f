"""Every indicator row of the seed annual report maps to a catalogue id.

The rows are those of the "Indicator Summary" tables (sections 3.1, 4.1, 5.1,
6.1 and 7.1) of the Somerset Children's Social Care annual report 2016/17 in
shared/seeds/002_...txt, written here as the report prints them. A count row
and its percentage row ("No of ..." / "% of ...") map to the one indicator
whose numerator is the count. Removing an indicator the council publishes, or
renaming its id, fails this test.
"""

from __future__ import annotations

import pytest

from csc_scorecard.indicators.catalogue import get_catalogue

SEED_ROWS: dict[str, list[tuple[str, str]]] = {
    "3.1": [
        ("No of Contacts", "contacts_count"),
        ("No of Referrals", "referrals_count"),
        ("No of Re-Referrals", "rereferrals_12m_count"),
        ("% Re-Referrals", "rereferrals_12m_pct"),
        ("No Referrals progressing to Assessment", "referrals_to_assessment_pct"),
        ("No of Assessments completed", "assessments_completed_count"),
        ("No of C&F Assessments on time according to priority set", "assessments_on_time_by_priority_pct"),
        ("% C&F Assessments completed on time according to priority set", "assessments_on_time_by_priority_pct"),
        ("No of C&F Assessments completed in 45 days", "assessments_45wd_pct"),
        ("% of C&F Assessments completed within 45 days", "assessments_45wd_pct"),
        ("No of Cancelled C&F Assessments", "assessments_cancelled_count"),
        ("No of S47 Enquiries completed", "s47_count"),
        ("No of Section 47 Enquiries completed within 10 days", "s47_completed_10wd_pct"),
        ("% of Section 47 Enquiries completed within 10 days", "s47_completed_10wd_pct"),
    ],
    "4.1": [
        ("No of Children subject of a CP Plan as at 31st March", "cp_open_count"),
        ("CP Ending in Year", "cp_ends_count"),
        ("Children CP for 2 years+ Ending in Year", "cp_ended_2yr_pct"),
        ("% of children CP for 2 years+ Ending in year", "cp_ended_2yr_pct"),
        ("CP Starting in Year", "cp_starts_count"),
        ("No of children with a Re-Plan within 2 Years of Previous Plan", "cp_repeat_2yr_pct"),
        ("% of children with a Re-Plan within 2 Years of Previous Plan", "cp_repeat_2yr_pct"),
        ("No of Strategy Discussions", "strategy_discussions_count"),
        ("No of CP Stat Visits Completed", "cp_visits_count"),
        ("% CP Stat Visits on Time", "cp_visits_on_time_pct"),
        ("% of Children subject of a plan who had all of their visits on time", "cp_visits_all_on_time_pct"),
        ("% of Children whose ICPC was on time", "icpc_15wd_pct"),
        ("% of children whose RCPC was on time", "cp_reviews_timely_pct"),
    ],
    "5.1": [
        ("CiN as at 31st March (excl CLA, CP & OT)", "cin_open_excl_cp_cla_count"),
        ("% CiN without a Plan or Revision is over 3 months old (as at 31st March)", "cin_plan_overdue_pct"),
        ("% CiN with no visit recorded in the last 6 weeks (as at 31st March)", "cin_no_visit_6wk_pct"),
        ("% CiN Stepped Down from CP", "cin_stepped_down_from_cp_pct"),
        ("% CiN Stepped Down from CLA", "cin_stepped_down_from_cla_pct"),
    ],
    "6.1": [
        ("No of CLA as at 31st March", "cla_open_count"),
        ("% of CLA for 2.5 Years + that have been in their current placement for 2 years +", "cla_longterm_stability_pct"),
        ("% of children with 3 or more placements as at 31st March", "cla_3plus_placements_pct"),
        ("% of CLA Placed more than 20 Miles from home address", "cla_20miles_pct"),
        ("% CLA Stat Visits on time", "cla_visits_timely_pct"),
        ("% of CLA Stat Reviews on Time", "cla_reviews_timely_pct"),
        ("% of CLA > 28 days that have had their IHA", "cla_iha_timely_pct"),
        ("% of CLA > 12 Months that have had their Health Assessments", "cla_health_check_pct"),
        ("% of CLA >12 Months that have had their Dental Assessment", "cla_dental_check_pct"),
        ("% of Children aged 4+ that have been CLA > 12 months that have had a SDQ recorded", "cla_sdq_pct"),
    ],
    "7.1": [
        ("No of Care Leavers", "care_leavers_count"),
        ("% of Care Leavers In Touch", "care_leavers_in_touch_pct"),
        ("% of ALL Care Leavers NEET", "care_leavers_neet_pct"),
        ("% of All Care Leavers in Suitable Accommodation", "care_leavers_suitable_accom_pct"),
    ],
}

#: The rates per 10,000 the report prints beside a count row.
SEED_RATES = {
    "referrals_count": "referrals_rate_per_10k",
    "assessments_completed_count": "assessments_rate_per_10k",
    "s47_count": "s47_rate_per_10k",
    "cp_open_count": "cp_rate_per_10k",
    "cp_ends_count": "cp_ends_rate_per_10k",
    "cp_starts_count": "cp_starts_rate_per_10k",
    "cla_open_count": "cla_rate_per_10k",
}

ROWS = [(section, text, ident) for section, rows in SEED_ROWS.items() for text, ident in rows]


def test_the_table_is_the_seed_reports_46_rows():
    assert len(ROWS) == 46
    assert [len(v) for v in SEED_ROWS.values()] == [14, 13, 5, 10, 4]


@pytest.mark.parametrize(
    ("section", "text", "ident"), ROWS, ids=[f"{s}:{i}" for s, _t, i in ROWS]
)
def test_seed_row_maps_to_a_catalogue_id(section, text, ident):
    assert ident in get_catalogue(), f"{section} {text!r}: {ident} is not in the catalogue"


@pytest.mark.parametrize(("count", "rate"), sorted(SEED_RATES.items()))
def test_seed_rate_is_declared_on_its_count(count, rate):
    entry = get_catalogue()[rate]
    assert entry.rate_of == count


def test_every_seed_row_has_a_place_in_the_annual_report():
    from csc_scorecard.reporting.layout import load_sections

    placed = {i.id for s in load_sections() for i in s.indicators}
    placed |= {i.rate for s in load_sections() for i in s.indicators if i.rate}
    missing = sorted({ident for _s, _t, ident in ROWS} - placed)
    assert missing == []
    assert set(SEED_RATES.values()) <= placed

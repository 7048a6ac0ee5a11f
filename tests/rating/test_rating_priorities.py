"""Priorities file and roll-up rules."""

import pytest

from csc_scorecard.rating import Direction, Rag, load_priorities, rollup_direction, rollup_rag
from csc_scorecard.rating.priorities import PriorityError, priority_of, summarise

ALL_IDS = """contacts_count referrals_count referrals_rate_per_10k rereferrals_12m_pct referrals_nfa_pct
referrals_to_assessment_pct assessments_completed_count assessments_45wd_pct s47_count s47_rate_per_10k
icpc_count icpc_15wd_pct cp_open_count cp_rate_per_10k cp_starts_count cp_ends_count cp_repeat_ever_pct
cp_repeat_2yr_pct cp_open_2yr_pct cp_ended_2yr_pct cp_reviews_timely_pct cp_visits_timely_pct
cin_open_count cin_rate_per_10k cin_no_visit_6wk_pct cla_open_count cla_rate_per_10k cla_starts_count
cla_ends_count cla_3plus_placements_pct cla_longterm_stability_pct cla_20miles_pct cla_reviews_timely_pct
cla_health_check_pct cla_dental_check_pct cla_sdq_pct cla_missing_pct care_leavers_in_touch_pct
care_leavers_eet_pct care_leavers_neet_pct care_leavers_suitable_accom_pct sw_caseload_avg sw_agency_pct
sw_turnover_pct sw_vacancy_pct""".split() + """early_help_open_count early_help_rate_per_10k
early_help_starts_count early_help_assessments_count early_help_closed_count
early_help_closed_outcomes_met_pct early_help_stepped_up_pct rereferrals_12m_count
assessments_rate_per_10k assessments_on_time_by_priority_pct assessments_cancelled_count
cin_open_excl_cp_cla_count cin_plan_overdue_pct cin_stepped_down_from_cp_pct
cin_stepped_down_from_cla_pct s47_completed_10wd_pct strategy_discussions_count
cp_starts_rate_per_10k cp_ends_rate_per_10k cp_visits_count cp_visits_on_time_pct
cp_visits_all_on_time_pct cla_visits_timely_pct cla_iha_timely_pct adoptions_count sgo_count
cla_adopted_pct adoption_a1_days_avg adoption_a10_days_avg adoption_a2_days_avg
care_leavers_count""".split()  # issue 16


def test_package_priorities_cover_every_indicator_once():
    prios = load_priorities(known_ids=ALL_IDS)
    assert [p.id for p in prios] == [
        "early_help",
        "right_help",
        "protected_from_harm",
        "looked_after_outcomes",
        "care_leavers",
        "workforce",
    ]
    listed = [i for p in prios for i in p.indicators]
    assert sorted(listed) == sorted(ALL_IDS)
    assert priority_of(prios)["cp_repeat_2yr_pct"].title == "Children are protected from harm"


def test_package_priorities_match_the_catalogue_when_there_is_one():
    from csc_scorecard.indicators.catalogue import get_catalogue

    ids = set(get_catalogue().ids())
    if not ids:
        pytest.skip("no indicator catalogue yet")
    listed = {i for p in load_priorities() for i in p.indicators}
    assert listed <= ids, sorted(listed - ids)


def test_bad_priorities_file(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text(
        "- id: a\n  title: A\n  indicators: [x]\n- id: b\n  title: B\n  indicators: [x]\n"
    )
    with pytest.raises(PriorityError, match="already in priority a"):
        load_priorities(path)
    path.write_text("- id: a\n  title: A\n  indicators: [x]\n")
    with pytest.raises(PriorityError, match="unknown indicator id 'x'"):
        load_priorities(path, known_ids={"y"})
    path.write_text("- id: a\n  indicators: [x]\n")
    with pytest.raises(PriorityError, match="title is required"):
        load_priorities(path)


G, A, R, B = Rag.G, Rag.A, Rag.R, Rag.B


@pytest.mark.parametrize(
    "ratings, expected",
    [
        ([G, G, G], G),
        ([G, G, None], G),  # unrated left out
        ([G, G, G, A], A),  # any amber
        ([A, A, A], A),  # all amber is amber, not red
        ([G, G, G, G, R], A),  # one red of five: under a third
        ([G, G, R], R),  # exactly a third red
        ([G, A, R, R, G, G], R),  # two of six red: a third
        ([G, G, G, A, R, G, G], A),  # one red of seven
        ([G, B, B], G),  # B ignored
        ([R, B, B, B], R),  # one red of one rated
        ([B, B], B),  # everything discontinued
        ([None, None], None),
        ([], None),
        ([B, None], None),
        (["G", "A", "G"], A),  # strings accepted
    ],
)
def test_rollup_rag(ratings, expected):
    assert rollup_rag(ratings) == expected


IMP, S, D = Direction.IMPROVING, Direction.STEADY, Direction.DECLINING


@pytest.mark.parametrize(
    "dirs, expected",
    [
        ([IMP, IMP, D], IMP),
        ([D, D, IMP, S], D),
        ([IMP, D], S),  # tie
        ([IMP, IMP, S, S, D], S),  # tie for most common
        ([S], S),
        ([Direction.INCREASED, Direction.DECREASED], None),  # contextual: no judgement
        ([IMP, Direction.INCREASED, Direction.INCREASED], IMP),
        ([None, None], None),
    ],
)
def test_rollup_direction(dirs, expected):
    assert rollup_direction(dirs) == expected


def test_rollup_direction_leaves_out_discontinued():
    assert rollup_direction([D, D, IMP], [B, B, G]) == IMP
    with pytest.raises(ValueError):
        rollup_direction([D], [G, G])


def test_summarise():
    prios = load_priorities()
    rows = [
        {"indicator_id": "care_leavers_eet_pct", "rag": "G", "direction": "improving"},
        {"indicator_id": "care_leavers_neet_pct", "rag": "A", "direction": "improving"},
        {"indicator_id": "care_leavers_in_touch_pct", "rag": "G", "direction": "declining"},
        {"indicator_id": "care_leavers_suitable_accom_pct", "rag": None, "direction": None},
    ]
    summary = {s["priority_id"]: s for s in summarise(rows, prios)}
    cl = summary["care_leavers"]
    assert (cl["rag"], cl["direction"], cl["G"], cl["A"], cl["not_rated"], cl["indicators"]) == (
        "A",
        "improving",
        2,
        1,
        1,
        4,
    )
    assert cl["direction_label"] == "↑ improving"
    assert summary["workforce"]["rag"] is None and summary["workforce"]["indicators"] == 0
    assert summary["workforce"]["direction_label"] == "N/A"

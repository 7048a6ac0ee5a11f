"""Figure references in words: every kind against figures worked out by hand."""

from __future__ import annotations

import pytest

from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.inspection.figures import FigureError, render_reference
from csc_scorecard.inspection.references import ReferenceSyntaxError, parse_reference, split_text
from tests.inspection.figure_source import MemorySource

CAT = get_catalogue()


def words(body: str, source: MemorySource, default: str | None = None) -> str:
    return render_reference(parse_reference(body), source, CAT, default_period=default).text


def test_increase_of_a_lower_is_better_percentage_is_worse_in_percentage_points():
    # sw_agency_pct: snapshot, 1 dp, lower is better. 15.04 shows as 15.0;
    # 26.0 - 15.0 = 11.0 points up, and up is worse.
    src = MemorySource({("sw_agency_pct", "2019-03"): 26.0, ("sw_agency_pct", "2018-06"): 15.04})
    assert words("sw_agency_pct | period 2019-03 | compare 2018-06", src) == (
        "26.0% at 31 March 2019, up 11.0 percentage points from 15.0% at 30 June 2018, "
        "which is worse")


def test_decrease_of_a_higher_is_better_flow_is_worse_against_last_year():
    # assessments_45wd_pct: flow, higher is better; 80.0 vs 85.5 a year before = 5.5 points down
    src = MemorySource({("assessments_45wd_pct", "2019-03"): 80.0,
                        ("assessments_45wd_pct", "2018-03"): 85.5})
    assert words("assessments_45wd_pct | compare last-year", src, "2019-03") == (
        "80.0% in March 2019, down 5.5 percentage points from 85.5% in March 2018, which is worse")


def test_increase_of_a_higher_is_better_percentage_is_better_and_one_point_is_singular():
    # 86.5 - 85.5 = 1.0 point: outside the steady band? the band is 1 point and its edge is
    # steady, so 1.0 is "broadly the same"; 2.0 points is better.
    src = MemorySource({("assessments_45wd_pct", "2019-03"): 87.5,
                        ("assessments_45wd_pct", "2018-03"): 85.5,
                        ("assessments_45wd_pct", "2019-02"): 86.5})
    assert words("assessments_45wd_pct | compare 2018-03", src, "2019-03").endswith(
        "up 2.0 percentage points from 85.5% in March 2018, which is better")
    assert words("assessments_45wd_pct | period 2019-02 | compare 2018-03", src) == (
        "86.5% in February 2019, up 1.0 percentage point from 85.5% in March 2018, "
        "broadly the same")


def test_decrease_of_a_lower_is_better_average_is_better_by_percent():
    # sw_caseload_avg: snapshot average, lower is better: (15.3 - 18.0) / 18.0 = -15.0%
    src = MemorySource({("sw_caseload_avg", "2018-12"): 15.3, ("sw_caseload_avg", "2018-01"): 18})
    assert words("sw_caseload_avg | period 2018-12 | compare 2018-01", src) == (
        "15.3 at 31 December 2018, down 15.0% from 18.0 at 31 January 2018, which is better")


def test_no_change_when_the_printed_figures_are_equal():
    # 85.04 and 84.96 both print as 85.0
    src = MemorySource({("sw_agency_pct", "2019-03"): 85.04, ("sw_agency_pct", "2018-06"): 84.96})
    assert words("sw_agency_pct | compare 2018-06", src, "2019-03") == (
        "85.0% at 31 March 2019, the same as at 30 June 2018")


def test_contextual_count_is_described_never_judged():
    # referrals_count: (120 - 100) / 100 = 20.0% up; contextual, so no better/worse
    src = MemorySource({("referrals_count", "2019-03"): 120, ("referrals_count", "2018-03"): 100})
    assert words("referrals_count | compare 2018-03", src, "2019-03") == (
        "120 in March 2019, up 20.0% from 100 in March 2018")


def test_missing_comparison_period_is_said_in_words_and_warned():
    src = MemorySource({("sw_agency_pct", "2019-03"): 26.0})
    done = render_reference(parse_reference("sw_agency_pct | compare 2017-06"), src, CAT,
                            default_period="2019-03")
    assert done.text == "26.0% at 31 March 2019; there is no figure at 30 June 2017 to compare with"
    assert done.warnings == ["no figure for sw_agency_pct for 2017-06 to compare with"]


def test_compare_without_a_period_takes_the_latest_of_the_same_kind():
    # months 2019-01 and 2019-02 stored, and a year: the latest month is February 2019
    src = MemorySource({("sw_agency_pct", "2019-01"): 20.0, ("sw_agency_pct", "2019-02"): 21.0,
                        ("sw_agency_pct", "2018-19"): 30.0, ("sw_agency_pct", "2018-06"): 21.0})
    assert words("sw_agency_pct | compare 2018-06", src) == (
        "21.0% at 28 February 2019, the same as at 30 June 2018")


def test_rank_lower_is_better_counts_from_the_lowest():
    # own 17.0 among 15.0, 18.2, 20.1, 22.0: one lower, so 2nd lowest of 5
    src = MemorySource({("cp_repeat_ever_pct", "2017-18"): 17.0},
                       {("cp_repeat_ever_pct", "2017-18"): {"a": 15.0, "b": 18.2, "c": 20.1,
                                                            "d": 22.0, "e": None}})
    assert words("cp_repeat_ever_pct | period 2017-18 | rank region", src) == (
        "17.0% in 2017-18, 2nd lowest of 5 councils in the South West, where lower is better")


def test_rank_tie_is_joint_and_first_place_has_the():
    # own 17.0 ties a peer's 17.04 (both print 17.0); one lower (15.0): joint 2nd lowest of 4
    peers = {("cp_repeat_ever_pct", "2017-18"): {"a": 17.04, "b": 15.0, "c": 20.0}}
    src = MemorySource({("cp_repeat_ever_pct", "2017-18"): 17.0}, peers)
    assert words("cp_repeat_ever_pct | rank region", src, "2017-18") == (
        "17.0% in 2017-18, joint 2nd lowest of 4 councils in the South West, where lower is better")
    src = MemorySource({("cp_repeat_ever_pct", "2017-18"): 14.0}, peers)
    assert words("cp_repeat_ever_pct | rank region", src, "2017-18").startswith(
        "14.0% in 2017-18, the lowest of 4 councils")


def test_rank_higher_is_better_counts_from_the_highest():
    # own 90.0 among 95, 80, 70, 60: one higher, so 2nd highest of 5 (4th lowest)
    src = MemorySource({("icpc_15wd_pct", "2017-18"): 90.0},
                       {("icpc_15wd_pct", "2017-18"): {"a": 95.0, "b": 80.0, "c": 70.0, "d": 60.0}})
    assert words("icpc_15wd_pct | rank region", src) == (
        "90.0% in 2017-18, 2nd highest of 5 councils in the South West, where higher is better")


def test_rank_needs_a_financial_year():
    src = MemorySource({("cp_repeat_ever_pct", "2018-03"): 17.0})
    with pytest.raises(FigureError, match="financial year"):
        words("cp_repeat_ever_pct | period 2018-03 | rank region", src)


def test_rolling_latest_period():
    # R3-2019-03 is later than R3-2019-02: "over the last 3 months"
    src = MemorySource({("assessments_45wd_pct", "R3-2019-02"): 88.0,
                        ("assessments_45wd_pct", "R3-2019-03"): 89.0})
    assert words("assessments_45wd_pct | period R3-latest", src) == "89.0% over the last 3 months"
    assert words("assessments_45wd_pct | period R3-2019-02", src) == (
        "88.0% over the 3 months to February 2019")


def test_missing_figure_and_no_value_are_errors():
    src = MemorySource({("sw_agency_pct", "2019-03"): None})
    with pytest.raises(FigureError, match="no value for 2019-03"):
        words("sw_agency_pct | period 2019-03", src)
    with pytest.raises(FigureError, match="no stored figure for sw_agency_pct .* for 2019-04"):
        words("sw_agency_pct | period 2019-04", src)
    with pytest.raises(FigureError, match="not in the indicator catalogue"):
        words("no_such_indicator", src)


def test_syntax():
    assert split_text("a {{b}} {x | period 2019-03} c")[0] == "a {b} "
    for bad in ("{x | colour red}", "{X}", "{x | period 2019-13}", "{x | rank county}",
                "{x | compare 2018-06 | rank region}", "open { brace {x}"):
        with pytest.raises(ReferenceSyntaxError):
            split_text(bad)

"""The plain rules: deadlines, the overdue boundary, vocabularies and the risk matrix."""

import datetime as dt

import pytest

from csc_scorecard.plans.rules import (
    Deadline,
    Direction,
    RiskBand,
    Status,
    Trend,
    is_overdue,
    parse_day,
    parse_deadline,
    risk_band,
    risk_score,
)


@pytest.mark.parametrize("text, due, precision", [
    ("Mar-18", dt.date(2018, 3, 31), "month"),       # a month falls on its last day
    ("Feb-24", dt.date(2024, 2, 29), "month"),       # leap year
    ("Feb-25", dt.date(2025, 2, 28), "month"),
    ("2018-09", dt.date(2018, 9, 30), "month"),
    ("September 2017", dt.date(2017, 9, 30), "month"),
    ("2017-11-17", dt.date(2017, 11, 17), "day"),
    ("17/11/17", dt.date(2017, 11, 17), "day"),
    ("17/11/2017", dt.date(2017, 11, 17), "day"),
    ("Ongoing", None, ""),
    ("", None, ""),
])
def test_deadlines_as_councils_write_them(text, due, precision):
    assert parse_deadline(text) == Deadline(due, precision)


def test_a_date_cell_is_a_day_deadline():
    assert parse_deadline(dt.datetime(2025, 1, 31, 0, 0)) == Deadline(dt.date(2025, 1, 31), "day")


@pytest.mark.parametrize("text", ["Smarch-18", "2018-13", "31/02/2018", "next spring", "2018-02-30"])
def test_bad_deadlines_say_what_was_expected(text):
    with pytest.raises(ValueError, match="expected a month"):
        parse_deadline(text)


def test_deadline_text_and_file_form():
    assert parse_deadline("Mar-18").text == "March 2018"
    assert parse_deadline("Mar-18").value == "2018-03"
    assert parse_deadline("2017-11-07").text == "7 November 2017"
    assert parse_deadline("2017-11-07").value == "2017-11-07"
    assert parse_deadline("ongoing").text == "Ongoing"


def test_overdue_boundary_for_a_month_deadline():
    due = parse_deadline("Sep-17").due  # 30 September 2017
    assert not is_overdue(due, "A", dt.date(2017, 9, 30))  # on the last day: still in time
    assert is_overdue(due, "A", dt.date(2017, 10, 1))      # the day after: overdue
    assert not is_overdue(due, "B", dt.date(2017, 10, 1))  # closed (complete) is never overdue
    assert not is_overdue(None, "R", dt.date(2030, 1, 1))  # no deadline: never overdue


def test_overdue_boundary_for_a_day_deadline():
    due = parse_deadline("17/11/2017").due
    assert not is_overdue(due, "G", dt.date(2017, 11, 17))
    assert is_overdue(due, "G", dt.date(2017, 11, 18))


def test_status_vocabulary_has_the_project_meanings():
    assert [s.value for s in Status] == ["G", "A", "R", "B"]
    assert Status.G.label == "Green: project is on target"
    assert Status.A.label == "Amber: project requires attention"
    assert Status.R.label == "Red: project is off target"
    assert Status.B.label == "Blue: project is closed"
    assert Status.parse("amber") is Status.A and Status.parse(" r ") is Status.R
    with pytest.raises(ValueError, match="expected G, A, R or B"):
        Status.parse("purple")


def test_direction_vocabulary():
    assert [d.value for d in Direction] == ["achieved", "progressing", "missed"]
    assert Direction.parse("Achieved a milestone") is Direction.ACHIEVED
    assert Direction.parse("missed or at risk") is Direction.MISSED
    assert "missed or at risk" in Direction.MISSED.label
    with pytest.raises(ValueError, match="achieved, progressing or missed"):
        Direction.parse("sideways")
    assert Trend.parse("Rising") is Trend.RISING


@pytest.mark.parametrize("likelihood, impact, score, band", [
    (1, 1, 1, RiskBand.LOW), (2, 2, 4, RiskBand.LOW),          # 4 is the top of low
    (1, 5, 5, RiskBand.MEDIUM), (3, 3, 9, RiskBand.MEDIUM),    # 5..9 medium
    (2, 5, 10, RiskBand.HIGH), (4, 4, 16, RiskBand.HIGH),      # 10..16 high
    (4, 5, 20, RiskBand.VERY_HIGH), (5, 5, 25, RiskBand.VERY_HIGH),
])
def test_risk_score_and_band(likelihood, impact, score, band):
    assert risk_score(likelihood, impact) == score
    assert risk_band(score) is band
    assert band.red == (score >= 10)


@pytest.mark.parametrize("likelihood, impact", [(0, 3), (6, 1), (3, 2.5)])
def test_risk_scale_is_one_to_five(likelihood, impact):
    with pytest.raises(ValueError, match="from 1 to 5"):
        risk_score(likelihood, impact)


def test_risk_band_labels_carry_words():
    assert RiskBand.HIGH.label == "High (red)" and RiskBand.LOW.label == "Low (green)"


def test_parse_day_refuses_a_month():
    assert parse_day("2025-03-31") == dt.date(2025, 3, 31)
    with pytest.raises(ValueError, match="not a date"):
        parse_day("Mar-25")

"""Key-findings sentences: hand-written expected wording for each case."""

from __future__ import annotations

import datetime as dt

import pytest

from csc_scorecard.reporting.findings import FigurePair, format_value, subject_phrase, write_finding

YEAR = {"period_name": "2024-25", "previous_name": "2023-24"}
MARCH = (dt.date(2025, 3, 31), dt.date(2024, 3, 31))


def finding(cur, prev, *, unit="count", polarity="contextual", decimals=0, subject=None, **kw):
    subject = subject or {
        "count": "The number of referrals",
        "percent": "The percentage of re-referrals within 12 months",
        "rate_per_10k": "The rate of referrals per 10,000 children",
        "average": "The average social worker caseload",
    }[unit]
    figures = kw.pop("figures", None) or FigurePair(cur, prev)
    return write_finding("x", subject=subject, unit=unit, polarity=polarity, decimals=decimals,
                         figures=figures, **YEAR, **kw)


def test_count_increase_with_rate_contextual():
    f = finding(5036, 4229, rate=FigurePair(461.2, 377.5))
    assert f.text == (
        "The number of referrals has increased by 19.1% on 2023-24, from 4,229 to 5,036, "
        "raising the rate per 10,000 children from 377.5 to 461.2."
    )
    assert f.judgement == "context"
    assert f.label == "Context (not judged)"


def test_count_decrease_small_is_still_described_not_judged():
    f = finding(30153, 30606)
    assert f.text == "The number of referrals has decreased by 1.5% on 2023-24, from 30,606 to 30,153."
    assert f.judgement == "context"


def test_snapshot_count_uses_dates_and_lowering_rate():
    f = finding(474, 502, snapshot=MARCH, rate=FigurePair(40.1, 42.5, ), rate_decimals=1,
                subject="The number of children looked after")
    assert f.text == (
        "The number of children looked after has decreased by 5.6%, from 502 at 31 March 2024 "
        "to 474 at 31 March 2025, lowering the rate per 10,000 children from 42.5 to 40.1."
    )


def test_percentage_fall_lower_is_better_is_better_in_points():
    f = finding(20.8, 24.7, unit="percent", polarity="lower_better", decimals=1)
    assert f.text == (
        "The percentage of re-referrals within 12 months has fallen by 3.9 percentage points, "
        "from 24.7% in 2023-24 to 20.8% in 2024-25. This is better than last year."
    )
    assert f.judgement == "better"
    assert f.label == "Better than last year"


def test_percentage_rise_lower_is_better_is_worse():
    f = finding(32.1, 28.7, unit="percent", polarity="lower_better", decimals=1,
                subject="The percentage of children placed more than 20 miles from home",
                snapshot=MARCH)
    assert f.text == (
        "The percentage of children placed more than 20 miles from home has risen by "
        "3.4 percentage points, from 28.7% at 31 March 2024 to 32.1% at 31 March 2025. "
        "This is worse than last year."
    )
    assert f.judgement == "worse"


def test_percentage_fall_higher_is_better_is_worse():
    f = finding(94.9, 97.0, unit="percent", polarity="higher_better", decimals=1,
                subject="The percentage of initial conferences on time")
    assert f.text == (
        "The percentage of initial conferences on time has fallen by 2.1 percentage points, "
        "from 97.0% in 2023-24 to 94.9% in 2024-25. This is worse than last year."
    )


def test_one_percentage_point_is_singular_and_within_band_is_similar():
    f = finding(51.0, 50.0, unit="percent", polarity="higher_better", decimals=1)
    assert "has risen by 1.0 percentage point, from 50.0% in 2023-24 to 51.0% in 2024-25." in f.text
    assert f.text.endswith("This is broadly the same as last year.")
    assert f.judgement == "similar"


def test_no_change_after_rounding():
    f = finding(37.62, 37.58, unit="percent", polarity="lower_better", decimals=1)
    assert f.text == (
        "The percentage of re-referrals within 12 months was 37.6% in 2024-25, the same as in "
        "2023-24. There is no change on last year."
    )
    assert f.judgement == "no_change"


def test_no_change_contextual_is_not_judged():
    f = finding(12, 12)
    assert f.text == "The number of referrals was 12 in 2024-25, the same as in 2023-24."
    assert f.judgement == "context"


def test_zero_baseline_count_gives_no_percentage():
    f = finding(12, 0)
    assert f.text == "The number of referrals has increased from 0 in 2023-24 to 12 in 2024-25."


def test_zero_baseline_percentage_is_points():
    f = finding(5.0, 0.0, unit="percent", polarity="lower_better", decimals=1)
    assert f.text == (
        "The percentage of re-referrals within 12 months has risen by 5.0 percentage points, "
        "from 0.0% in 2023-24 to 5.0% in 2024-25. This is worse than last year."
    )


def test_zero_both_years():
    assert finding(0, 0).text == "The number of referrals was 0 in 2024-25, the same as in 2023-24."


def test_missing_baseline():
    f = finding(13.4, None, unit="average", polarity="lower_better", decimals=1, snapshot=MARCH)
    assert f.text == (
        "The average social worker caseload was 13.4 at 31 March 2025; there is no figure at "
        "31 March 2024 to compare with."
    )
    assert f.judgement == "none"
    assert f.label == "No comparison"


def test_missing_current_figure():
    f = finding(None, 24.7, unit="percent", polarity="lower_better", decimals=1)
    assert f.text == (
        "There is no figure for the percentage of re-referrals within 12 months in 2024-25; "
        "it was 24.7% in 2023-24."
    )


def test_rate_change_is_relative_percent():
    f = finding(461.2, 377.5, unit="rate_per_10k", decimals=1)
    assert f.text == (
        "The rate of referrals per 10,000 children has increased by 22.2%, from 377.5 in "
        "2023-24 to 461.2 in 2024-25."
    )


def test_average_decrease_lower_is_better():
    f = finding(18.0, 20.0, unit="average", polarity="lower_better", decimals=1)
    assert f.text == (
        "The average social worker caseload has decreased by 10.0%, from 20.0 in 2023-24 to "
        "18.0 in 2024-25. This is better than last year."
    )


def test_count_with_polarity_is_judged():
    f = finding(188, 688, polarity="lower_better", subject="The number of cancelled assessments")
    assert f.text == (
        "The number of cancelled assessments has decreased by 72.7% on 2023-24, from 688 to 188. "
        "This is better than last year."
    )


def test_suppressed_figures_say_so_and_give_no_number():
    f = finding(3, 40, figures=FigurePair(None, 40, current_hidden=True))
    assert f.text == ("The number of referrals in 2024-25 is not shown (c) because it could "
                      "identify a small number of children.")
    g = finding(40, None, figures=FigurePair(40, None, previous_hidden=True))
    assert "no comparison is made" in g.text
    assert f.judgement == g.judgement == "none"


def test_quarter_wording():
    f = write_finding("x", subject="The percentage of assessments on time", unit="percent",
                      polarity="higher_better", decimals=1, figures=FigurePair(88.4, 82.8),
                      period_name="Q2 2024-25", previous_name="Q2 2023-24",
                      comparison="the same quarter last year")
    assert f.text == (
        "The percentage of assessments on time has risen by 5.6 percentage points, from 82.8% "
        "in Q2 2023-24 to 88.4% in Q2 2024-25. This is better than the same quarter last year."
    )


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "text"),
    [(30153, "count", 0, "30,153"), (88.44, "percent", 1, "88.4%"), (-1234.5, "average", 1, "-1,234.5"),
     (None, "count", 0, ""), (12, "days", 0, "12 days"), (0.05, "percent", 1, "0.1%")],
)
def test_format_value(value, unit, decimals, text):
    assert format_value(value, unit, decimals) == text


def test_subject_phrase():
    assert subject_phrase("Referrals", "count") == "The number of referrals"
    assert subject_phrase("Agency social workers", "percent") == "The percentage of agency social workers"
    assert subject_phrase("x", "average", "social worker caseload") == "The average social worker caseload"

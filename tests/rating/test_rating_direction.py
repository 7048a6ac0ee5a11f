"""Direction of travel and change: boundaries per polarity and unit."""

import pytest

from csc_scorecard.periods import parse_period
from csc_scorecard.rating import Direction, change, change_unit, direction, travel

HIGH, LOW, CTX = "higher_better", "lower_better", "contextual"


@pytest.mark.parametrize(
    "cur, prev, polarity, expected",
    [
        (61.0, 60.0, HIGH, Direction.STEADY),  # exactly 1pp: steady (edge inclusive)
        (61.1, 60.0, HIGH, Direction.IMPROVING),
        (58.9, 60.0, HIGH, Direction.DECLINING),
        (59.0, 60.0, HIGH, Direction.STEADY),
        (61.1, 60.0, LOW, Direction.DECLINING),
        (58.9, 60.0, LOW, Direction.IMPROVING),
        (61.1, 60.0, CTX, Direction.INCREASED),
        (58.9, 60.0, CTX, Direction.DECREASED),
        (60.5, 60.0, CTX, Direction.STEADY),
    ],
)
def test_percent_direction(cur, prev, polarity, expected):
    assert direction(cur, prev, polarity=polarity, unit="percent", decimals=1) == expected


@pytest.mark.parametrize(
    "cur, prev, polarity, expected",
    [
        (102, 100, HIGH, Direction.STEADY),  # exactly 2%: steady
        (103, 100, HIGH, Direction.IMPROVING),
        (97, 100, HIGH, Direction.DECLINING),
        (98, 100, LOW, Direction.STEADY),
        (97, 100, LOW, Direction.IMPROVING),
        (103, 100, LOW, Direction.DECLINING),
        (103, 100, CTX, Direction.INCREASED),
    ],
)
def test_count_direction(cur, prev, polarity, expected):
    assert direction(cur, prev, polarity=polarity, unit="count", decimals=0) == expected


def test_rates_and_averages_use_relative_change():
    assert direction(51.0, 50.0, polarity=LOW, unit="rate_per_10k", decimals=1) == Direction.STEADY
    assert (
        direction(51.1, 50.0, polarity=LOW, unit="rate_per_10k", decimals=1) == Direction.DECLINING
    )
    assert direction(17.0, 18.0, polarity=LOW, unit="average", decimals=1) == Direction.IMPROVING


def test_custom_steady_band():
    assert direction(63, 60, polarity=HIGH, unit="percent", steady_band=5) == Direction.STEADY
    assert direction(60.5, 60, polarity=HIGH, unit="percent", steady_band=0) == Direction.IMPROVING


def test_rounding_before_comparing():
    # 61.04 displays as 61.0: exactly 1pp from 60.0 -> steady
    assert direction(61.04, 60.0, polarity=HIGH, unit="percent", decimals=1) == Direction.STEADY
    assert direction(61.05, 60.0, polarity=HIGH, unit="percent", decimals=1) == Direction.IMPROVING


def test_baseline_zero_and_missing():
    assert change(5, 0, "count") is None
    assert change(5, None, "count") is None
    assert change(None, 5, "percent") is None
    assert change(5.0, 0.0, "percent") == pytest.approx(5.0)  # pp from 0% is defined
    assert direction(0, 0, polarity=HIGH, unit="count") == Direction.STEADY
    assert direction(3, 0, polarity=HIGH, unit="count") == Direction.IMPROVING
    assert direction(3, 0, polarity=CTX, unit="count") == Direction.INCREASED
    assert direction(None, 0, polarity=HIGH, unit="count") is None


def test_change_values_and_units():
    assert change(66.0, 60.0, "percent") == pytest.approx(6.0)
    assert change(110, 100, "count") == pytest.approx(10.0)
    assert change(90, 100, "rate_per_10k") == pytest.approx(-10.0)
    assert change(20, 25, "days") == pytest.approx(-20.0)
    assert change_unit("percent") == "pp"
    assert change_unit("average") == "%"
    with pytest.raises(ValueError):
        change(1, 2, "furlongs")


def test_arrow_follows_the_value_word_follows_polarity():
    assert travel(70, 60, polarity=HIGH, unit="percent").label == "↑ improving"
    assert travel(50, 60, polarity=HIGH, unit="percent").label == "↓ declining"
    assert travel(50, 60, polarity=LOW, unit="percent").label == "↓ improving"
    assert travel(70, 60, polarity=LOW, unit="percent").label == "↑ declining"
    assert travel(60.5, 60, polarity=LOW, unit="percent").label == "→ steady"
    assert travel(130, 100, polarity=CTX, unit="count").label == "↑ increased"
    assert travel(70, 100, polarity=CTX, unit="count").label == "↓ decreased"
    assert travel(None, 100, polarity=CTX, unit="count").label == "No comparison"
    t = travel(70, 60, polarity=HIGH, unit="percent")
    assert (t.arrow, t.change, t.change_unit) == ("↑", pytest.approx(10.0), "pp")


def test_previous_comparable_period():
    assert parse_period("2024-25-Q2").previous_comparable().label == "2023-24-Q2"
    assert parse_period("2024-25").previous_comparable().label == "2023-24"

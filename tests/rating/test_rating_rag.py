"""RAG boundaries for each polarity: on target, tolerance edge, relative/absolute, B, contextual."""

from decimal import Decimal

import pytest

from csc_scorecard.rating import Rag, TargetSpec, rag, rag_for_target, rag_label

HIGH, LOW, CTX = "higher_better", "lower_better", "contextual"


@pytest.mark.parametrize(
    "value, expected",
    [
        (90, Rag.G),  # better
        (85, Rag.G),  # exactly on target
        (84.9, Rag.A),  # just off
        (80, Rag.A),  # exactly on the tolerance edge (85 - 5)
        (79.9, Rag.R),  # just outside
        (10, Rag.R),
    ],
)
def test_higher_better_absolute(value, expected):
    assert rag(value, 85, polarity=HIGH, tolerance=5, decimals=1) == expected


@pytest.mark.parametrize(
    "value, expected",
    [(10, Rag.G), (20, Rag.G), (20.1, Rag.A), (22, Rag.A), (22.1, Rag.R), (50, Rag.R)],
)
def test_lower_better_absolute(value, expected):
    assert rag(value, 20, polarity=LOW, tolerance=2, decimals=1) == expected


@pytest.mark.parametrize(
    "value, expected",
    # 5% of 80 = 4: edge at 76
    [(80, Rag.G), (81, Rag.G), (79, Rag.A), (76, Rag.A), (75.9, Rag.R)],
)
def test_higher_better_relative(value, expected):
    assert (
        rag(value, 80, polarity=HIGH, tolerance=0.05, tolerance_type="relative", decimals=1)
        == expected
    )


@pytest.mark.parametrize(
    "value, expected",
    # 10% of 120 = 12: edge at 132
    [(100, Rag.G), (120, Rag.G), (121, Rag.A), (132, Rag.A), (133, Rag.R)],
)
def test_lower_better_relative(value, expected):
    assert (
        rag(value, 120, polarity=LOW, tolerance=0.1, tolerance_type="relative", decimals=0)
        == expected
    )


def test_relative_edge_is_exact_despite_binary_floats():
    # 0.1 * 0.3 is not exactly 0.03 in binary floating point
    assert (
        rag(0.27, 0.3, polarity=HIGH, tolerance=0.1, tolerance_type="relative", decimals=2) == Rag.A
    )
    assert rag(2.2, 2, polarity=LOW, tolerance=0.1, tolerance_type="relative", decimals=1) == Rag.A


def test_rounding_to_displayed_decimals():
    # 84.96 is displayed 85.0: on target
    assert rag(84.96, 85, polarity=HIGH, decimals=1) == Rag.G
    assert rag(84.94, 85, polarity=HIGH, decimals=1) == Rag.R
    # half rounds away from zero, like the displayed figure: 79.95 -> 80.0, on the edge
    assert rag(79.95, 85, polarity=HIGH, tolerance=5, decimals=1) == Rag.A
    assert rag(79.949, 85, polarity=HIGH, tolerance=5, decimals=1) == Rag.R
    # without decimals the raw value is compared
    assert rag(84.96, 85, polarity=HIGH) == Rag.R


def test_no_tolerance_means_off_target_is_red():
    assert rag(84, 85, polarity=HIGH) == Rag.R
    assert rag(85, 85, polarity=HIGH) == Rag.G


def test_discontinued_is_blue_whatever_the_value():
    assert rag(10, 85, polarity=HIGH, discontinued=True) == Rag.B
    assert rag(None, None, polarity=LOW, discontinued=True) == Rag.B
    assert rag(10, None, polarity=CTX, discontinued=True) == Rag.B


def test_contextual_and_missing_are_not_rated():
    assert rag(10, 85, polarity=CTX) is None
    assert rag(None, 85, polarity=HIGH) is None
    assert rag(float("nan"), 85, polarity=HIGH) is None
    assert rag(80, None, polarity=HIGH) is None
    assert rag_label(None) == "Not rated"
    assert rag_label(Rag.A).startswith("Amber")
    assert rag_label("R", short=True) == "Red"


def test_bad_arguments():
    with pytest.raises(ValueError):
        rag(1, 2, polarity="sideways")
    with pytest.raises(ValueError):
        rag(1, 2, polarity=HIGH, tolerance_type="fuzzy")
    with pytest.raises(ValueError):
        rag(1, 2, polarity=HIGH, tolerance=-1)


def test_polarity_aliases_from_benchmarks():
    assert rag(90, 85, polarity="high") == Rag.G
    assert rag(90, 85, polarity="low", tolerance=5) == Rag.A


def test_rag_for_target():
    spec = TargetSpec("x", "2024-25", Decimal("85"), Decimal("0.05"), "relative")
    assert (
        rag_for_target(81, spec, polarity=HIGH, decimals=1) == Rag.A
    )  # 5% of 85 = 4.25, edge 80.75
    assert rag_for_target(80.75, spec, polarity=HIGH, decimals=2) == Rag.A
    assert rag_for_target(80.74, spec, polarity=HIGH, decimals=2) == Rag.R
    assert rag_for_target(81, None, polarity=HIGH) is None

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_scorecard.periods import (
    Period,
    PeriodError,
    PeriodKind,
    financial_year_of,
    in_period_expr,
    parse_period,
    quarter_of,
)

D = dt.date


@pytest.mark.parametrize(
    "label, kind, start, end",
    [
        ("2024-25", "year", D(2024, 4, 1), D(2025, 3, 31)),
        ("1999-00", "year", D(1999, 4, 1), D(2000, 3, 31)),
        ("2024-25-Q1", "quarter", D(2024, 4, 1), D(2024, 6, 30)),
        ("2024-25-Q2", "quarter", D(2024, 7, 1), D(2024, 9, 30)),
        ("2024-25-Q3", "quarter", D(2024, 10, 1), D(2024, 12, 31)),
        ("2024-25-Q4", "quarter", D(2025, 1, 1), D(2025, 3, 31)),
        ("2024-09", "month", D(2024, 9, 1), D(2024, 9, 30)),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29)),
        ("2025-02", "month", D(2025, 2, 1), D(2025, 2, 28)),
        ("R12-2025-03", "r12", D(2024, 4, 1), D(2025, 3, 31)),
        ("R12-2024-12", "r12", D(2024, 1, 1), D(2024, 12, 31)),
        ("R12-2024-02", "r12", D(2023, 3, 1), D(2024, 2, 29)),
        # rolling three and six months: both cross the calendar year end
        ("R3-2025-02", "r3", D(2024, 12, 1), D(2025, 2, 28)),
        ("R6-2025-02", "r6", D(2024, 9, 1), D(2025, 2, 28)),
        ("R3-2024-02", "r3", D(2023, 12, 1), D(2024, 2, 29)),  # leap year
        ("R3-2025-03", "r3", D(2025, 1, 1), D(2025, 3, 31)),
        ("R6-2025-03", "r6", D(2024, 10, 1), D(2025, 3, 31)),
        ("R3-2025-01", "r3", D(2024, 11, 1), D(2025, 1, 31)),
        ("R6-2024-06", "r6", D(2024, 1, 1), D(2024, 6, 30)),
        ("YTD-2024-09", "ytd", D(2024, 4, 1), D(2024, 9, 30)),
        ("YTD-2025-02", "ytd", D(2024, 4, 1), D(2025, 2, 28)),
        ("YTD-2024-04", "ytd", D(2024, 4, 1), D(2024, 4, 30)),
        ("YTD-2025-03", "ytd", D(2024, 4, 1), D(2025, 3, 31)),
    ],
)
def test_parse_each_form(label: str, kind: str, start: dt.date, end: dt.date) -> None:
    p = parse_period(label)
    assert (p.label, p.kind, p.start, p.end) == (label, kind, start, end)
    assert p.kind == PeriodKind(kind)
    assert str(p) == label
    assert p.snapshot_date == end


def test_parse_is_forgiving_about_case_and_spaces() -> None:
    assert parse_period(" r12-2025-03 ").label == "R12-2025-03"
    assert parse_period("ytd-2024-09") == parse_period("YTD-2024-09")
    assert parse_period("2024-25-q3") == Period.quarter(2024, 3)
    assert parse_period(parse_period("2024-09")) == parse_period("2024-09")


def test_year_month_ambiguity() -> None:
    # 2010-11 and 2011-12 read as financial years ...
    assert parse_period("2010-11").kind == "year"
    assert parse_period("2011-12") == Period.financial_year_period(2011)
    # ... so those two months are written M-YYYY-MM, and round-trip
    nov_2010 = Period.month(2010, 11)
    assert nov_2010.label == "M-2010-11"
    assert (nov_2010.start, nov_2010.end) == (D(2010, 11, 1), D(2010, 11, 30))
    assert parse_period(str(nov_2010)) == nov_2010
    # a neighbouring month is unambiguous; the M- form works for any month
    assert parse_period("2010-12").kind == "month"
    assert parse_period("M-2024-09") == parse_period("2024-09")
    assert parse_period("M-2024-09").label == "2024-09"
    assert parse_period("R12-2010-11").end == D(2010, 11, 30)


@pytest.mark.parametrize(
    "label",
    [
        "",
        "2024",
        "2024-26",
        "2024-13",
        "2024-00",
        "2024-2025",
        "24-25",
        "2024-25-Q0",
        "2024-25-Q5",
        "2024-26-Q1",
        "2024-25 Q1",
        "R12-2025-13",
        "R12-2025",
        "YTD-2024-00",
        "YTD 2024-09",
        "FY2024-25",
        "2024/25",
        "Q1 2024-25",
        "M-2024-13",
        "2024-09-01",
    ],
)
def test_invalid_labels(label: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(label)
    message = str(info.value)
    assert repr(label) in message
    for form in ("2024-25", "2024-25-Q1", "2024-09", "R12-2025-03", "YTD-2024-09"):
        assert form in message


@pytest.mark.parametrize("bad", [None, 202425, D(2024, 4, 1)])
def test_non_string_labels(bad: object) -> None:
    with pytest.raises(PeriodError, match="Accepted forms"):
        parse_period(bad)  # type: ignore[arg-type]


def test_period_error_is_value_error() -> None:
    assert issubclass(PeriodError, ValueError)


def test_period_is_frozen_and_hashable() -> None:
    p = parse_period("2024-25")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.end = D(2025, 4, 1)  # type: ignore[misc]
    assert {p, parse_period("2024-25")} == {p}


def test_constructor_checks() -> None:
    with pytest.raises(PeriodError):
        Period("x", PeriodKind.MONTH, D(2024, 2, 1), D(2024, 1, 1))
    with pytest.raises(PeriodError):
        Period("x", "week", D(2024, 1, 1), D(2024, 1, 7))  # type: ignore[arg-type]
    assert Period("x", "month", D(2024, 1, 1), D(2024, 1, 31)).kind is PeriodKind.MONTH  # type: ignore[arg-type]
    with pytest.raises(PeriodError):
        Period.quarter(2024, 5)
    with pytest.raises(PeriodError):
        Period.month(2024, 0)


@pytest.mark.parametrize(
    "label, previous",
    [
        ("2024-25", "2023-24"),
        ("2000-01", "1999-00"),
        ("2024-25-Q1", "2023-24-Q1"),
        ("2024-25-Q4", "2023-24-Q4"),
        ("2024-09", "2023-09"),
        ("2025-01", "2024-01"),
        ("R12-2025-03", "R12-2024-03"),
        ("R12-2024-02", "R12-2023-02"),
        ("R3-2025-02", "R3-2024-02"),
        ("R6-2025-02", "R6-2024-02"),
        ("R3-2024-01", "R3-2023-01"),
        ("YTD-2024-09", "YTD-2023-09"),
        ("YTD-2025-02", "YTD-2024-02"),
    ],
)
def test_previous_comparable(label: str, previous: str) -> None:
    assert parse_period(label).previous_comparable() == parse_period(previous)


def test_previous_comparable_of_ambiguous_month() -> None:
    assert Period.month(2011, 11).previous_comparable().label == "M-2010-11"


def test_months() -> None:
    fy = parse_period("2024-25")
    assert [m.label for m in fy.months()] == [
        "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09",
        "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03",
    ]  # fmt: skip
    assert [m.label for m in parse_period("2024-25-Q4").months()] == [
        "2025-01",
        "2025-02",
        "2025-03",
    ]
    assert parse_period("2024-09").months() == [parse_period("2024-09")]
    assert [m.label for m in parse_period("YTD-2024-06").months()] == [
        "2024-04",
        "2024-05",
        "2024-06",
    ]
    r12 = parse_period("R12-2025-02").months()
    assert len(r12) == 12 and r12[0].label == "2024-03" and r12[-1].label == "2025-02"
    assert all(m.kind == "month" for m in r12)


def test_quarters() -> None:
    labels = lambda p: [q.label for q in parse_period(p).quarters()]  # noqa: E731
    assert labels("2024-25") == ["2024-25-Q1", "2024-25-Q2", "2024-25-Q3", "2024-25-Q4"]
    assert labels("2024-25-Q3") == ["2024-25-Q3"]
    assert labels("2024-09") == []
    assert labels("YTD-2024-09") == ["2024-25-Q1", "2024-25-Q2"]
    assert labels("YTD-2024-08") == ["2024-25-Q1"]
    assert labels("YTD-2024-05") == []
    assert labels("R12-2025-03") == ["2024-25-Q1", "2024-25-Q2", "2024-25-Q3", "2024-25-Q4"]
    assert labels("R12-2025-02") == ["2024-25-Q1", "2024-25-Q2", "2024-25-Q3"]
    assert labels("R12-2024-12") == ["2023-24-Q4", "2024-25-Q1", "2024-25-Q2", "2024-25-Q3"]


@pytest.mark.parametrize(
    "day, fy, quarter",
    [
        (D(2024, 3, 31), "2023-24", "2023-24-Q4"),
        (D(2024, 4, 1), "2024-25", "2024-25-Q1"),
        (D(2024, 6, 30), "2024-25", "2024-25-Q1"),
        (D(2024, 7, 1), "2024-25", "2024-25-Q2"),
        (D(2024, 12, 31), "2024-25", "2024-25-Q3"),
        (D(2025, 1, 1), "2024-25", "2024-25-Q4"),
        (D(1999, 12, 31), "1999-00", "1999-00-Q3"),
        (dt.datetime(2025, 3, 31, 23, 59), "2024-25", "2024-25-Q4"),
    ],
)
def test_financial_year_and_quarter_of(day: dt.date, fy: str, quarter: str) -> None:
    assert financial_year_of(day) == fy
    assert quarter_of(day) == quarter
    assert parse_period(fy).contains(day)
    assert parse_period(quarter).contains(day)


def test_financial_year_property() -> None:
    assert parse_period("2024-25").financial_year == "2024-25"
    assert parse_period("2024-25-Q4").financial_year == "2024-25"
    assert parse_period("2025-02").financial_year == "2024-25"
    assert parse_period("YTD-2025-02").financial_year == "2024-25"
    assert parse_period("R12-2025-03").financial_year == "2024-25"
    # a rolling year spanning two financial years belongs to its end's year
    assert parse_period("R12-2025-06").financial_year == "2025-26"


def test_contains_boundaries() -> None:
    q = parse_period("2024-25-Q3")
    assert not q.contains(D(2024, 9, 30))
    assert q.contains(D(2024, 10, 1))
    assert q.contains(D(2024, 12, 31))
    assert q.contains(dt.datetime(2024, 12, 31, 23, 59, 59))
    assert not q.contains(D(2025, 1, 1))
    with pytest.raises(TypeError):
        q.contains("2024-11-01")  # type: ignore[arg-type]


def test_in_period_expr() -> None:
    df = pl.DataFrame(
        {
            "d": [D(2024, 3, 31), D(2024, 4, 1), D(2024, 9, 30), D(2024, 10, 1), None],
            "ts": [
                dt.datetime(2024, 3, 31, 23, 59),
                dt.datetime(2024, 4, 1, 0, 0),
                dt.datetime(2024, 9, 30, 23, 59),
                dt.datetime(2024, 10, 1, 0, 0),
                None,
            ],
        }
    )
    ytd = parse_period("YTD-2024-09")
    want = [False, True, True, False, False]
    assert df.select(in_period_expr("d", ytd))["d"].to_list() == want
    assert df.select(in_period_expr(pl.col("ts"), "YTD-2024-09"))["ts"].to_list() == want
    assert df.filter(in_period_expr("d", ytd)).height == 2
    assert df.lazy().select(in_period_expr("d", ytd).sum()).collect().item() == 2


# ---------------------------------------------------------------------------
# Properties over generated periods
# ---------------------------------------------------------------------------

years = st.integers(min_value=2005, max_value=2035)
month_numbers = st.integers(min_value=1, max_value=12)
periods = st.one_of(
    years.map(Period.financial_year_period),
    st.builds(Period.quarter, years, st.integers(min_value=1, max_value=4)),
    st.builds(Period.month, years, month_numbers),
    st.builds(Period.rolling_twelve, years, month_numbers),
    st.builds(Period.rolling, st.sampled_from([3, 6]), years, month_numbers),
    st.builds(Period.year_to_date, years, month_numbers),
)


@settings(max_examples=300)
@given(p=periods)
def test_label_round_trips(p: Period) -> None:
    assert parse_period(str(p)) == p


@settings(max_examples=300)
@given(p=periods)
def test_months_tile_the_period(p: Period) -> None:
    months = p.months()
    assert months[0].start == p.start and months[-1].end == p.end
    for before, after in zip(months, months[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    expected = {"year": 12, "quarter": 3, "month": 1, "r12": 12, "r6": 6, "r3": 3}.get(p.kind)
    if expected is not None:
        assert len(months) == expected
    else:
        assert 1 <= len(months) <= 12


@settings(max_examples=300)
@given(p=periods)
def test_quarters_are_inside_and_ordered(p: Period) -> None:
    qs = p.quarters()
    assert all(p.start <= q.start and q.end <= p.end for q in qs)
    assert all(q.kind == "quarter" and len(q.months()) == 3 for q in qs)
    assert [q.start for q in qs] == sorted(q.start for q in qs)


@settings(max_examples=300)
@given(p=periods)
def test_previous_comparable_is_one_year_earlier(p: Period) -> None:
    prev = p.previous_comparable()
    assert prev.kind == p.kind
    assert (prev.start.year, prev.start.month, prev.start.day) == (
        p.start.year - 1,
        p.start.month,
        1,
    )
    assert (prev.end.year, prev.end.month) == (p.end.year - 1, p.end.month)
    assert len(prev.months()) == len(p.months())


@settings(max_examples=200)
@given(p=periods, day=st.dates(min_value=D(2004, 1, 1), max_value=D(2037, 12, 31)))
def test_contains_agrees_with_expr(p: Period, day: dt.date) -> None:
    expr_says = pl.DataFrame({"d": [day]}).select(in_period_expr("d", p))["d"].item()
    assert p.contains(day) == expr_says == (p.start <= day <= p.end)


@settings(max_examples=200)
@given(day=st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_financial_year_of_agrees_with_parse(day: dt.date) -> None:
    assert parse_period(financial_year_of(day)).contains(day)
    assert parse_period(quarter_of(day)).contains(day)
    assert (
        parse_period(financial_year_of(day)).quarters()[0].label == financial_year_of(day) + "-Q1"
    )


# ---------------------------------------------------------------------------
# Rolling three and six months
# ---------------------------------------------------------------------------


def test_rolling_labels_are_canonical() -> None:
    assert parse_period(" r3-2025-02 ").label == "R3-2025-02"
    assert parse_period("r6-2025-02") == Period.rolling(6, 2025, 2)
    assert Period.rolling_twelve(2025, 3) == Period.rolling(12, 2025, 3)
    assert [parse_period(x).rolling_months for x in ("R3-2025-02", "R6-2025-02", "R12-2025-03")] == [
        3,
        6,
        12,
    ]
    assert parse_period("2024-25").rolling_months is None


@pytest.mark.parametrize(
    "label, why",
    [
        ("R4-2025-02", "not R4"),
        ("R24-2025-02", "not R24"),
        ("R0-2025-02", "not R0"),
        ("R3-2025-13", "no month 13"),
        ("R6-2025-00", "no month 00"),
    ],
)
def test_rolling_errors_say_what_is_wrong(label: str, why: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(label)
    message = str(info.value)
    assert repr(label) in message and why in message
    assert "R3-2025-02" in message and "R6-2025-02" in message  # the accepted forms


def test_rolling_constructor_refuses_other_lengths() -> None:
    with pytest.raises(PeriodError, match="3, 6 or 12 months, not 4"):
        Period.rolling(4, 2025, 2)


def test_rolling_months_quarters_and_financial_year() -> None:
    r3 = parse_period("R3-2025-02")
    assert [m.label for m in r3.months()] == ["2024-12", "2025-01", "2025-02"]
    # Dec-Feb holds no whole financial quarter; Oct-Mar holds Q3 and Q4
    assert r3.quarters() == []
    assert [q.label for q in parse_period("R6-2025-03").quarters()] == ["2024-25-Q3", "2024-25-Q4"]
    # the year it is reported in is the year of its end
    assert r3.financial_year == "2024-25"
    assert parse_period("R6-2025-06").financial_year == "2025-26"
    assert parse_period("R6-2025-06").start == D(2025, 1, 1)

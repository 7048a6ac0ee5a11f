from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_scorecard.workdays import (
    COVERAGE_END,
    COVERAGE_START,
    WorkdaysCoverageError,
    add_working_days,
    bank_holiday_name,
    bank_holidays,
    is_bank_holiday,
    is_working_day,
    working_days_between,
    working_days_expr,
)

D = dt.date


# ---------------------------------------------------------------------------
# An independent derivation of the calendar, to check the data file against
# ---------------------------------------------------------------------------


def gauss_easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian) by Gauss's method, with its two exceptions."""
    a, b, c = year % 19, year % 4, year % 7
    k = year // 100
    p = (13 + 8 * k) // 25
    q = k // 4
    m = (15 - p + k - q) % 30
    n = (4 + k - q) % 7
    d = (19 * a + m) % 30
    e = (2 * b + 4 * c + 6 * d + n) % 7
    if d == 29 and e == 6:
        return D(year, 4, 19)
    if d == 28 and e == 6 and (11 * m + 11) % 30 < 19:
        return D(year, 4, 18)
    return D(year, 3, 22) + dt.timedelta(days=d + e)


@pytest.mark.parametrize(
    "year, sunday",
    [
        (2011, D(2011, 4, 24)),
        (2016, D(2016, 3, 27)),
        (2019, D(2019, 4, 21)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (1981, D(1981, 4, 19)),  # Gauss exception d=29, e=6
        (1954, D(1954, 4, 18)),  # Gauss exception d=28, e=6
        (2038, D(2038, 4, 25)),  # latest possible date
        (2285, D(2285, 3, 22)),  # earliest possible date
    ],
)
def test_easter_algorithm_known_dates(year: int, sunday: dt.date) -> None:
    assert gauss_easter(year) == sunday
    assert sunday.weekday() == 6


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    first_next = D(year + (month == 12), month % 12 + 1, 1)
    last = first_next - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.weekday())


def expected_holidays(year: int) -> set[dt.date]:
    """England and Wales bank holidays from the rules plus the known one-offs."""
    days: set[dt.date] = set()
    # New Year's Day, or the Monday after when it falls at a weekend
    days.add(
        _weekday_on_or_after(D(year, 1, 1), 0) if D(year, 1, 1).weekday() >= 5 else D(year, 1, 1)
    )
    easter = gauss_easter(year)
    days |= {easter - dt.timedelta(days=2), easter + dt.timedelta(days=1)}
    days.add(_weekday_on_or_after(D(year, 5, 1), 0))  # early May: first Monday
    days.add(_last_monday(year, 5))  # spring: last Monday in May
    days.add(_last_monday(year, 8))  # summer: last Monday in August
    # Christmas and Boxing Day: each weekend one moves to the next free weekday
    taken: set[dt.date] = set()
    for fixed in (D(year, 12, 25), D(year, 12, 26)):
        day = fixed
        while day.weekday() >= 5 or day in taken:
            day += dt.timedelta(days=1)
        taken.add(day)
    days |= taken
    # One-off changes
    if year == 2011:
        days.add(D(2011, 4, 29))  # royal wedding
    if year == 2012:  # spring holiday moved, diamond jubilee
        days -= {D(2012, 5, 28)}
        days |= {D(2012, 6, 4), D(2012, 6, 5)}
    if year == 2020:  # early May holiday moved to VE day
        days -= {D(2020, 5, 4)}
        days.add(D(2020, 5, 8))
    if year == 2022:  # spring holiday moved, platinum jubilee, state funeral
        days -= {D(2022, 5, 30)}
        days |= {D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19)}
    if year == 2023:
        days.add(D(2023, 5, 8))  # coronation
    return days


@pytest.mark.parametrize("year", range(2010, 2031))
def test_data_file_matches_rules_and_easter(year: int) -> None:
    table = set(bank_holidays(D(year, 1, 1), D(year, 12, 31)))
    assert table == expected_holidays(year)


def test_data_file_shape() -> None:
    table = bank_holidays()
    assert min(table) >= COVERAGE_START and max(table) <= COVERAGE_END
    assert {d.year for d in table} == set(range(2010, 2031))
    assert all(d.weekday() < 5 for d in table)
    assert all(name for name in table.values())
    per_year = {y: sum(1 for d in table if d.year == y) for y in range(2010, 2031)}
    extra = {2011: 9, 2012: 9, 2022: 10, 2023: 9}
    assert per_year == {y: extra.get(y, 8) for y in range(2010, 2031)}


@pytest.mark.parametrize(
    "day, fragment",
    [
        (D(2011, 4, 29), "wedding"),
        (D(2012, 6, 5), "Jubilee"),
        (D(2020, 5, 8), "VE"),
        (D(2022, 6, 3), "Platinum"),
        (D(2022, 9, 19), "funeral"),
        (D(2023, 5, 8), "Coronation"),
        (D(2021, 12, 27), "substitute"),
        (D(2022, 1, 3), "substitute"),
    ],
)
def test_one_off_and_substitute_days_are_named(day: dt.date, fragment: str) -> None:
    assert is_bank_holiday(day)
    name = bank_holiday_name(day)
    assert name is not None and fragment.lower() in name.lower()


def test_substitute_days() -> None:
    # Christmas 2021 on Saturday, Boxing Day Sunday: Mon 27 and Tue 28 off
    assert not is_working_day(D(2021, 12, 27)) and not is_working_day(D(2021, 12, 28))
    # Christmas 2022 on Sunday: Boxing Day Mon 26, Christmas substitute Tue 27
    assert not is_working_day(D(2022, 12, 26)) and not is_working_day(D(2022, 12, 27))
    assert is_working_day(D(2022, 12, 28))
    # Christmas 2020 on Friday, Boxing Day Saturday: substitute Mon 28
    assert not is_working_day(D(2020, 12, 28)) and is_working_day(D(2020, 12, 29))
    # New Year's Day 2023 on Sunday: Monday 2 Jan off
    assert not is_working_day(D(2023, 1, 2)) and is_working_day(D(2023, 1, 3))
    # The displaced weekdays of one-off moves are ordinary working days
    assert is_working_day(D(2012, 5, 28)) and is_working_day(D(2020, 5, 4))
    assert is_working_day(D(2022, 5, 30))


# ---------------------------------------------------------------------------
# Hand-worked counts
# ---------------------------------------------------------------------------


def test_s47_over_christmas_to_icpc() -> None:
    # S47 starts Fri 20 Dec 2024, ICPC Mon 13 Jan 2025.  Days after the start:
    #   Dec: Mon 23 (1), Tue 24 (2), [Wed 25 Christmas, Thu 26 Boxing Day],
    #        Fri 27 (3), Mon 30 (4), Tue 31 (5)
    #   Jan: [Wed 1 New Year], Thu 2 (6), Fri 3 (7), Mon 6 (8), Tue 7 (9),
    #        Wed 8 (10), Thu 9 (11), Fri 10 (12), Mon 13 (13)
    assert working_days_between(D(2024, 12, 20), D(2025, 1, 13)) == 13
    assert working_days_between(D(2025, 1, 13), D(2024, 12, 20)) == -13
    # 15 working days (the ICPC timescale) lands on Wed 15 Jan
    assert add_working_days(D(2024, 12, 20), 15) == D(2025, 1, 15)


def test_easter_2025() -> None:
    assert not is_working_day(D(2025, 4, 18))  # Good Friday
    assert not is_working_day(D(2025, 4, 21))  # Easter Monday
    # Thu 17 Apr -> Tue 22 Apr: Fri 18 holiday, weekend, Mon 21 holiday, Tue 22 (1)
    assert working_days_between(D(2025, 4, 17), D(2025, 4, 22)) == 1
    assert add_working_days(D(2025, 4, 17), 1) == D(2025, 4, 22)
    # Over the fortnight Mon 14 - Fri 25 Apr: 10 weekdays less 2 holidays = 8
    # (the start day, Mon 14, is not counted: 9 weekdays after it, 7 working)
    assert working_days_between(D(2025, 4, 14), D(2025, 4, 25)) == 7


def test_45_working_days_without_holidays() -> None:
    # Referral Mon 2 Sep 2024.  Sep: 3-6 (4), 9-13 (9), 16-20 (14), 23-27 (19),
    # 30 (20); Oct: 1-4 (24), 7-11 (29), 14-18 (34), 21-25 (39), 28-31 (43);
    # Nov: Fri 1 (44), Mon 4 (45).  No bank holidays in the window.
    referral = D(2024, 9, 2)
    assert add_working_days(referral, 45) == D(2024, 11, 4)
    assert working_days_between(referral, D(2024, 11, 1)) == 44
    assert working_days_between(referral, D(2024, 11, 4)) == 45  # in time
    assert working_days_between(referral, D(2024, 11, 5)) == 46  # late
    # Nov 2-3 are a weekend: still 44 on Sunday
    assert working_days_between(referral, D(2024, 11, 3)) == 44


def test_45_working_days_over_christmas() -> None:
    # Referral Fri 1 Nov 2024.  Nov: 4-8 (5), 11-15 (10), 18-22 (15), 25-29 (20);
    # Dec: 2-6 (25), 9-13 (30), 16-20 (35), 23-24 (37), [25, 26 holidays],
    # 27 (38), 30-31 (40); Jan: [1 holiday], 2-3 (42), 6, 7, 8 (45).
    referral = D(2024, 11, 1)
    assert add_working_days(referral, 45) == D(2025, 1, 8)
    assert working_days_between(referral, D(2025, 1, 7)) == 44
    assert working_days_between(referral, D(2025, 1, 8)) == 45


def test_2022_extra_holidays() -> None:
    # Wed 1 Jun -> Mon 6 Jun 2022: Thu 2 (spring, moved) and Fri 3 (jubilee) off
    assert working_days_between(D(2022, 6, 1), D(2022, 6, 6)) == 1
    # Fri 16 Sep -> Tue 20 Sep 2022: Mon 19 state funeral
    assert working_days_between(D(2022, 9, 16), D(2022, 9, 20)) == 1
    assert add_working_days(D(2022, 9, 16), 1) == D(2022, 9, 20)
    # Whole of June 2022: 22 weekdays less 2 holidays
    assert working_days_between(D(2022, 5, 31), D(2022, 6, 30)) == 20


def test_other_one_offs() -> None:
    assert working_days_between(D(2020, 5, 7), D(2020, 5, 11)) == 1  # VE day Fri 8 May
    assert working_days_between(D(2023, 5, 5), D(2023, 5, 9)) == 1  # coronation Mon 8 May
    assert working_days_between(D(2011, 4, 21), D(2011, 5, 3)) == 4  # GF, EM, wedding, May day
    assert working_days_between(D(2012, 6, 1), D(2012, 6, 6)) == 1  # 4-5 June 2012


def test_basic_conventions() -> None:
    mon, tue, fri, sat, sun = (D(2024, 9, d) for d in (9, 10, 13, 14, 15))
    assert working_days_between(mon, mon) == 0
    assert working_days_between(sat, sat) == 0
    assert working_days_between(mon, tue) == 1
    assert working_days_between(fri, sat) == 0
    assert working_days_between(fri, D(2024, 9, 16)) == 1
    assert working_days_between(sat, sun) == 0
    assert working_days_between(tue, mon) == -1
    assert is_working_day(mon) and not is_working_day(sat) and not is_working_day(sun)
    # datetimes count by their date
    assert working_days_between(dt.datetime(2024, 9, 9, 23, 0), dt.datetime(2024, 9, 10, 1, 0)) == 1


def test_add_working_days_conventions() -> None:
    mon, fri, sat = D(2024, 9, 9), D(2024, 9, 13), D(2024, 9, 14)
    assert add_working_days(mon, 0) == mon
    assert add_working_days(sat, 0) == sat
    assert add_working_days(fri, 1) == D(2024, 9, 16)
    assert add_working_days(sat, 1) == D(2024, 9, 16)
    assert add_working_days(mon, -1) == D(2024, 9, 6)
    # counting back from a weekend starts at the Friday, which is "day 0"
    assert add_working_days(sat, -1) == D(2024, 9, 12)
    assert add_working_days(mon, 5) == D(2024, 9, 16)
    with pytest.raises(TypeError):
        add_working_days(mon, 1.5)  # type: ignore[arg-type]


dates_2012_2029 = st.dates(min_value=D(2012, 1, 1), max_value=D(2029, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    # 400 working days is about 19 months: keep the results inside 2010-2030
    start=st.dates(min_value=D(2012, 1, 1), max_value=D(2028, 12, 31)),
    n=st.integers(min_value=-400, max_value=400),
)
def test_add_working_days_is_inverse_of_count(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        # earliest such day: the day before has a smaller count (or, going
        # backwards, a count one nearer zero)
        assert working_days_between(start, end - dt.timedelta(days=1)) == n - 1


@settings(max_examples=300, deadline=None)
@given(a=dates_2012_2029, b=dates_2012_2029, c=dates_2012_2029)
def test_count_is_antisymmetric_and_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    assert working_days_between(a, b) == -working_days_between(b, a)
    assert working_days_between(a, c) == working_days_between(a, b) + working_days_between(b, c)


@settings(max_examples=200, deadline=None)
@given(a=dates_2012_2029, offset=st.integers(min_value=-800, max_value=800))
def test_count_agrees_with_a_day_by_day_walk(a: dt.date, offset: int) -> None:
    b = min(max(a + dt.timedelta(days=offset), D(2012, 1, 1)), D(2029, 12, 31))
    lo, hi = sorted((a, b))
    walked = sum(is_working_day(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert working_days_between(a, b) == (walked if b >= a else -walked)


# ---------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: working_days_between(D(2009, 12, 31), D(2010, 1, 5)),
        lambda: working_days_between(D(2030, 12, 1), D(2031, 1, 2)),
        lambda: is_working_day(D(2031, 1, 1)),
        lambda: is_bank_holiday(D(2009, 12, 25)),
        lambda: add_working_days(D(2030, 12, 20), 10),
        lambda: add_working_days(D(2010, 1, 6), -10),
        lambda: add_working_days(D(2031, 1, 6), 1),
    ],
)
def test_outside_coverage_raises(call) -> None:
    with pytest.raises(WorkdaysCoverageError, match="2010-2030"):
        call()


def test_coverage_edges_are_fine() -> None:
    assert working_days_between(COVERAGE_START, COVERAGE_END) > 5000
    assert add_working_days(D(2030, 12, 20), 5) == D(2030, 12, 31)  # 23,24,27,30,31
    assert add_working_days(D(2010, 1, 5), -1) == D(2010, 1, 4)
    assert issubclass(WorkdaysCoverageError, ValueError)


def test_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        working_days_between("2024-01-01", D(2024, 2, 1))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Polars
# ---------------------------------------------------------------------------


def test_expr_hand_worked_examples() -> None:
    df = pl.DataFrame(
        {
            "s47_start": [D(2024, 12, 20), D(2025, 4, 17), D(2022, 6, 1), D(2025, 1, 13), None],
            "icpc": [D(2025, 1, 13), D(2025, 4, 22), D(2022, 6, 6), D(2024, 12, 20), D(2025, 1, 1)],
        }
    )
    out = df.select(working_days_expr("s47_start", "icpc"))
    assert out.columns == ["working_days"]
    assert out.schema["working_days"] == pl.Int32
    assert out["working_days"].to_list() == [13, 1, 1, -13, None]


def test_expr_on_datetimes_and_expressions_lazily() -> None:
    lf = pl.LazyFrame(
        {
            "a": [dt.datetime(2024, 12, 20, 9, 30)],
            "b": [dt.datetime(2025, 1, 13, 17, 0)],
        }
    )
    out = lf.select(working_days_expr(pl.col("a"), pl.col("b")).alias("n")).collect()
    assert out["n"].to_list() == [13]


def test_expr_outside_coverage_raises() -> None:
    df = pl.DataFrame({"a": [D(2024, 1, 1), D(2009, 6, 1)], "b": [D(2024, 2, 1), D(2024, 2, 1)]})
    with pytest.raises(WorkdaysCoverageError, match="2009-06-01"):
        df.select(working_days_expr("a", "b"))
    df = pl.DataFrame({"a": [D(2024, 1, 1)], "b": [D(2031, 2, 1)]})
    with pytest.raises(WorkdaysCoverageError, match="end date"):
        df.select(working_days_expr("a", "b"))


def test_expr_on_empty_frame() -> None:
    df = pl.DataFrame({"a": [], "b": []}, schema={"a": pl.Date, "b": pl.Date})
    assert df.select(working_days_expr("a", "b")).height == 0


pairs = st.lists(
    st.tuples(dates_2012_2029 | st.none(), dates_2012_2029 | st.none()),
    min_size=1,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(rows=pairs)
def test_expr_agrees_with_scalar(rows: list[tuple[dt.date | None, dt.date | None]]) -> None:
    df = pl.DataFrame(
        {"start": [r[0] for r in rows], "end": [r[1] for r in rows]},
        schema={"start": pl.Date, "end": pl.Date},
    )
    got = df.select(working_days_expr("start", "end"))["working_days"].to_list()
    want = [None if s is None or e is None else working_days_between(s, e) for s, e in rows]
    assert got == want


@settings(max_examples=200, deadline=None)
@given(a=dates_2012_2029, b=dates_2012_2029)
def test_scalar_agrees_with_numpy(a: dt.date, b: dt.date) -> None:
    # a third, independent implementation: numpy counts [begin, end)
    lo, hi = sorted((a, b))
    one = dt.timedelta(days=1)
    n = int(np.busday_count(lo + one, hi + one, holidays=list(bank_holidays())))
    assert working_days_between(a, b) == (n if b >= a else -n)

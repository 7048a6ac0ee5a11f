"""The generator's fast working-day arithmetic agrees with the project's own
(csc_scorecard.workdays): same bank holidays, same counting convention."""

from __future__ import annotations

import random
from datetime import date, timedelta

from csc_scorecard import workdays
from csc_scorecard.synth import calendar as cal


def test_same_bank_holidays_as_the_project():
    for d in workdays.bank_holidays():
        assert not cal.is_workday(d.toordinal()), d
    # every day of the covered years is a working day in one exactly when in the other
    d = workdays.COVERAGE_START
    while d <= workdays.COVERAGE_END:
        assert cal.is_workday(d.toordinal()) == workdays.is_working_day(d), d
        d += timedelta(days=1)


def test_counting_agrees_with_workdays():
    rng = random.Random(7)
    lo, hi = date(2011, 2, 1).toordinal(), date(2029, 6, 30).toordinal()
    for _ in range(3000):
        a = rng.randrange(lo, hi)
        b = a + rng.randrange(-400, 400)
        da, db = date.fromordinal(a), date.fromordinal(b)
        assert cal.workdays_between(a, b) == workdays.working_days_between(da, db), (da, db)
        n = rng.randrange(0, 300)
        start = cal.next_workday(a)
        assert cal.to_date(cal.add_workdays(start, n)) == workdays.add_working_days(
            date.fromordinal(start), n
        ), (date.fromordinal(start), n)


def test_outside_the_known_years_weekdays_count():
    # before 2010 and after 2030 the project knows no bank holidays
    assert cal.is_workday(date(2008, 12, 25).toordinal())  # a Thursday
    assert not cal.is_workday(date(2008, 12, 27).toordinal())  # a Saturday
    assert cal.is_workday(date(2031, 1, 1).toordinal())  # a Wednesday

"""A small hand-made council for the scorecard page tests (rows written straight into the models).

Council 123. Stored figures (worked by hand, so the pages can be checked against them):

cp_repeat_ever_pct (percent, lower is better, priority "protected_from_harm")
  2024-25  all 20/100 = 20.0%   North 3/40 = 7.5%   South 17/60 = 28.3%
  2023-24  all 25/100 = 25.0%   (so 2024-25 improved by 5.0 points)
referrals_count (count, contextual, priority "right_help")
  2024-25  all 3   North 1   South 2     team T1 1   team T2 2
  2023-24  all 2

The case tables hold the three referrals behind referrals_count 2024-25:
child A in North (team T1), children B and C in South (team T2).
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

LA = "123"
_sha = itertools.count(1)

VALUES = [
    # indicator, period, breakdown, breakdown value, numerator, denominator, value
    ("cp_repeat_ever_pct", "2024-25", "all", "all", 20, 100, 20.0),
    ("cp_repeat_ever_pct", "2024-25", "area", "North", 3, 40, 7.5),
    ("cp_repeat_ever_pct", "2024-25", "area", "South", 17, 60, 17 / 60 * 100),
    ("cp_repeat_ever_pct", "2023-24", "all", "all", 25, 100, 25.0),
    ("referrals_count", "2024-25", "all", "all", 3, None, 3),
    ("referrals_count", "2024-25", "area", "North", 1, None, 1),
    ("referrals_count", "2024-25", "area", "South", 2, None, 2),
    ("referrals_count", "2024-25", "team", "T1", 1, None, 1),
    ("referrals_count", "2024-25", "team", "T2", 2, None, 2),
    ("referrals_count", "2023-24", "all", "all", 2, None, 2),
]


def _submission(return_type, year="", subtype=""):
    from csc_scorecard.store.models import Submission

    return Submission.objects.create(
        return_type=return_type, year=year, subtype=subtype, la_code=LA,
        sha256=f"{next(_sha):064x}", is_current=True,
    )


def build_council() -> None:
    from csc_scorecard.results.models import IndicatorValue
    from csc_scorecard.store.models import Allocation, Referral, Team

    cin = _submission("cin_census", "2024-25")
    for child, day in (("A", dt.date(2024, 5, 1)), ("B", dt.date(2024, 6, 1)), ("C", dt.date(2024, 7, 1))):
        Referral.objects.create(submission=cin, child_id=child, referral_date=day)
    teams = _submission("local", subtype="teams")
    for team, area in (("T1", "North"), ("T2", "South")):
        Team.objects.create(submission=teams, team=team, area=area)
    alloc = _submission("local", subtype="allocations")
    for child, team in (("A", "T1"), ("B", "T2"), ("C", "T2")):
        Allocation.objects.create(submission=alloc, child_id=child, team=team,
                                  start_date=dt.date(2020, 1, 1))
    now = timezone.now()
    IndicatorValue.objects.bulk_create([
        IndicatorValue(indicator_id=i, period=p, breakdown=b, breakdown_value=v, la_code=LA,
                       numerator=n, denominator=d, value=val, computed_at=now)
        for i, p, b, v, n, d, val in VALUES
    ])

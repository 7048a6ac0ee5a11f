"""Small hand-made stores for the service tests (rows written straight into the models)."""

from __future__ import annotations

import datetime as dt
import itertools

D = dt.date
_sha = itertools.count(1)


def submission(return_type, year="", la_code="123", subtype="", current=True):
    from csc_scorecard.store.models import Submission

    return Submission.objects.create(
        return_type=return_type, year=year, subtype=subtype, la_code=la_code,
        sha256=f"{next(_sha):064x}", is_current=current,
    )


def referrals(sub, *rows):
    """rows: (child_id, date)"""
    from csc_scorecard.store.models import Referral

    for child, day in rows:
        Referral.objects.create(submission=sub, child_id=child, referral_date=day)


def teams(la_code="123", allocations=(), structure=(("T1", "North"), ("T2", "South"))):
    """A teams extract and an allocations extract: allocations are (child_id, team)."""
    from csc_scorecard.store.models import Allocation, Team

    teams_sub = submission("local", la_code=la_code, subtype="teams")
    for team, area in structure:
        Team.objects.create(submission=teams_sub, team=team, area=area)
    alloc = submission("local", la_code=la_code, subtype="allocations")
    for child, team in allocations:
        Allocation.objects.create(submission=alloc, child_id=child, team=team,
                                  start_date=D(2020, 1, 1))
    return teams_sub, alloc


def account(name, role, areas=(), active=True):
    from csc_scorecard.accounts.models import User

    return User.objects.create(username=name, role=role, areas=list(areas), is_active=active)

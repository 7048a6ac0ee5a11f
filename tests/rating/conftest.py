"""Accounts the target tests name: every target change points to an account."""

import pytest

NAMES = ("analyst1", "head_of_service", "a", "b", "x")


@pytest.fixture(autouse=True)
def _named_accounts(request):
    if not request.node.get_closest_marker("django_db") and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from csc_scorecard.accounts.models import User

    for name in NAMES:
        User.objects.get_or_create(username=name, defaults={"role": "analyst"})

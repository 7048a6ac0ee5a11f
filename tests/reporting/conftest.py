"""The account the commentary tests name: every commentary edit points to an account."""

import pytest


@pytest.fixture(autouse=True)
def _named_accounts(request):
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from csc_scorecard.accounts.models import User

    User.objects.get_or_create(username="analyst", defaults={"role": "analyst"})

"""Accounts of every role and signed-in clients for the web tests.

Background tasks run inside the request here (django-tasks' immediate
backend), so a test sees an upload's result at once; the serve and browser
tests run the real worker.
"""

from __future__ import annotations

import pytest

from .web_helpers import ROLES, make_account, signed_in


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Each test stages uploads in a data directory of its own.
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "home"))
    # A fast hasher: the tests create many accounts; sign-in itself is tested with the real one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture()
def accounts(db):
    return {role: make_account(role) for role in ROLES}


@pytest.fixture()
def clients(accounts):
    return {role: signed_in(user) for role, user in accounts.items()}

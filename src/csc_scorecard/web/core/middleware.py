"""Hold a signed-in account at two-factor until it has given a code.

A password alone gets an admin, analyst or manager no further than the
two-factor pages (enrol or verify), sign-out and the accessibility statement.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, connection
from django.shortcuts import redirect
from django.urls import reverse

from csc_scorecard.web.core.security import two_factor_done, two_factor_required

OPEN_BEFORE_TWO_FACTOR = ("accounts:two-factor", "accounts:enrol", "accounts:sign-out", "core:accessibility")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not two_factor_required(user) or two_factor_done(user):
            return None
        match = request.resolver_match
        if match and match.view_name in OPEN_BEFORE_TWO_FACTOR:
            return None
        return redirect(reverse("accounts:two-factor"))


class PageDataVersionMiddleware:
    """Read the "has the data changed" version once per GET, however many cached parts a page has."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        from csc_scorecard.services.page_cache import request_scope

        with request_scope():
            return self.get_response(request)


SESSION_TOUCHED_KEY = "csc_touched"
SESSION_TOUCH_SECONDS = 60
# How long a renewal waits for SQLite's one writer (an ingest can hold it for minutes).
TOUCH_LOCK_WAIT_MS = 200


class IdleExpiryMiddleware:
    """Count the idle hour from the last request without writing the session on every request.

    Saving the session each time (SESSION_SAVE_EVERY_REQUEST) is a database
    write per page, which queues every web process behind SQLite's one writer,
    and behind an ingest holding it, for up to the 30 s lock timeout (and then
    fails the page). Instead the expiry is moved on when the last renewal is over
    a minute old, so a session ends between 59 and 60 idle minutes after its last
    request. A renewal that cannot get the database at once is skipped: the
    session keeps its expiry (at least 59 minutes away) and the next request tries
    again. Sessions a view changed (sign-in, two-factor) are saved as usual by
    SessionMiddleware, which wraps this one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(time.time())
        if now - int(session.get(SESSION_TOUCHED_KEY, 0) or 0) >= SESSION_TOUCH_SECONDS:
            session[SESSION_TOUCHED_KEY] = now
            try:
                with _short_lock_wait():
                    session.save()
            except (DatabaseError, UpdateError):
                pass  # the writer is busy (or the session just ended): renewed on a later request
            session.modified = False  # saved here (or skipped): nothing more for SessionMiddleware
        return response


@contextmanager
def _short_lock_wait():
    """On SQLite, wait TOUCH_LOCK_WAIT_MS (not the 30 s timeout) for the write lock."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {TOUCH_LOCK_WAIT_MS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")

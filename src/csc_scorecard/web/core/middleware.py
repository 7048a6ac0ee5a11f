"""Hold a signed-in account at two-factor until it has given a code.

A password alone gets an admin, analyst or manager no further than the
two-factor pages (enrol or verify), sign-out and the accessibility statement.
"""

from __future__ import annotations

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


class IdleExpiryMiddleware:
    """Count the idle hour from the last request without writing the session on every request.

    Saving the session each time (SESSION_SAVE_EVERY_REQUEST) is a database
    write per page, which serialises every web process on SQLite's one writer.
    Instead the session is saved (and its expiry moved on) when the last save
    is over a minute old, so a session ends between 59 and 60 idle minutes
    after its last request. Placed after SessionMiddleware, which saves it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(SESSION_TOUCHED_KEY, 0) or 0) >= SESSION_TOUCH_SECONDS:
                session[SESSION_TOUCHED_KEY] = now  # marks it modified: saved with a fresh expiry
        return response

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

"""Home, the accessibility statement and the error pages. Thin: one service call, then render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from csc_scorecard.services import returns as returns_service


def home(request):
    from csc_scorecard.services.home_summary import home_summary

    return render(
        request,
        "core/home.html",
        {
            "summary": home_summary(request.user, request.GET.get("period")),
            "freshness": returns_service.freshness(request.user),
            "perms_upload": returns_service.can_upload(request.user),
        },
    )


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


def _error_page(request, status: int, template: str):
    # Error pages render in words only: no traceback, no request data.
    return render(request, template, status=status)


@login_not_required
def bad_request(request, exception=None):
    return _error_page(request, 400, "core/400.html")


@login_not_required
def forbidden(request, exception=None):
    return _error_page(request, 403, "core/403.html")


@login_not_required
def not_found(request, exception=None):
    return _error_page(request, 404, "core/404.html")


@login_not_required
def server_error(request):
    return _error_page(request, 500, "core/500.html")


@login_not_required
def csrf_failure(request, reason=""):
    # Usually a form left open past the session, or sent from another site.
    return render(request, "core/csrf_failure.html", status=403)

"""Accounts for administrators: who has set up two-factor, and resetting another's.

Thin: services.accounts checks the role (again), removes the devices and audits.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from csc_scorecard.services import accounts as service


def _require_admin(request) -> None:
    if not service.can_manage_accounts(request.user):
        raise PermissionDenied


def two_factor_list(request):
    _require_admin(request)
    return render(request, "accounts/two_factor_list.html", {
        "accounts": service.two_factor_status(request.user),
        "done": request.GET.get("reset", "")[:150],
    })


@require_http_methods(["GET", "POST"])
def two_factor_reset(request, username: str):
    """A confirmation step (GET), then the reset (POST with "yes" chosen)."""
    if not service.can_manage_accounts(request.user):
        if request.method == "POST":
            try:  # refused by the service, which audits the attempt
                service.reset_two_factor(username, by=request.user)
            except service.AccountError:
                pass
        raise PermissionDenied
    row = next((a for a in service.two_factor_status(request.user) if a["username"] == username), None)
    if row is None:
        raise Http404
    errors: list[dict] = []
    if request.method == "POST":
        answer = request.POST.get("confirm")
        if answer == "no":
            return redirect("accounts:two-factor-list")
        if answer != "yes":
            errors = [{"field": "confirm", "message": f"Select yes to reset two-factor for {username}, or no"}]
        else:
            try:
                service.reset_two_factor(username, by=request.user)
            except service.AccountError as refused:
                errors = [{"field": "confirm", "message": str(refused)}]
            else:
                return redirect(reverse("accounts:two-factor-list") + "?" + urlencode({"reset": username}))
    return render(request, "accounts/two_factor_reset.html", {
        "account": row, "error_summary": errors,
    }, status=400 if errors else 200)

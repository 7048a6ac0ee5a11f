"""Sign-in, two-factor (verify and first-time enrolment) and sign-out.

Thin: Django's auth, django-axes (lockout) and django-otp (TOTP devices) do
the checking; signals.py records each event through services.audit.
"""

from __future__ import annotations

import base64

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from csc_scorecard.accounts import signals
from csc_scorecard.accounts.forms import CodeForm, SignInForm, error_summary
from csc_scorecard.web.core.security import two_factor_done, two_factor_required

NEXT_KEY = "csc_next"


def _next_url(request) -> str:
    wanted = request.session.get(NEXT_KEY) or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("core:home")


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wanted = request.GET.get("next", "")
        auth_login(request, form.get_user())
        request.session[NEXT_KEY] = wanted
        if two_factor_required(request.user):
            return redirect("accounts:two-factor")
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "error_summary": error_summary(form) if form.is_bound else []},
        status=400 if form.is_bound else 200,
    )


def _confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Ask for the code from the account's app; an account without one enrols first."""
    if not two_factor_required(request.user) or two_factor_done(request.user):
        return redirect(_next_url(request))
    device = _confirmed_device(request.user)
    if device is None:
        return redirect("accounts:enrol")
    form = CodeForm(device, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, device)
            signals.two_factor_passed.send(sender=None, request=request, user=request.user)
            return redirect(_next_url(request))
        signals.two_factor_refused.send(sender=None, request=request, user=request.user)
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "error_summary": error_summary(form) if form.is_bound else []},
        status=400 if form.is_bound else 200,
    )


def _qr_svg(url: str) -> str:
    import segno

    svg = segno.make(url, error="m").svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", title="QR code for your authenticator app"
    )
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


def _key_in_groups(device) -> str:
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_http_methods(["GET", "POST"])
def enrol(request):
    """First sign-in of an account that needs two-factor: set up an authenticator app."""
    if not two_factor_required(request.user) or two_factor_done(request.user):
        return redirect(_next_url(request))
    if _confirmed_device(request.user) is not None:
        return redirect("accounts:two-factor")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(device, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            signals.two_factor_passed.send(sender=None, request=request, user=request.user, enrolled=True)
            return redirect(_next_url(request))
        signals.two_factor_refused.send(sender=None, request=request, user=request.user)
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "key": _key_in_groups(device),
            "error_summary": error_summary(form) if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
    )


@login_not_required
@require_POST
def sign_out(request):
    auth_logout(request)
    return render(request, "accounts/signed_out.html")

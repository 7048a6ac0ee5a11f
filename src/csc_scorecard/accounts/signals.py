"""Sign-in events into the audit trail, through services.audit.record.

Connected when the web app starts (csc_scorecard.web.core's ready()). The
detail never holds a password; an unknown account name is recorded as typed
(cut short), because repeated guesses at names are what an admin looks for.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal, receiver

from csc_scorecard.services import audit

# Sent by the two-factor views: (sender, request, user, enrolled)
two_factor_passed = Signal()
two_factor_refused = Signal()


def _name(value) -> str:
    return str(value or "")[:150]


@receiver(user_logged_in, dispatch_uid="csc-audit-sign-in")
def _signed_in(sender, request, user, **kwargs):
    audit.record(user, "sign-in", "password accepted")


@receiver(user_logged_out, dispatch_uid="csc-audit-sign-out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(user, "sign-out")


@receiver(user_login_failed, dispatch_uid="csc-audit-sign-in-failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    from django.contrib.auth import get_user_model

    name = _name(credentials.get("username"))
    account = get_user_model().objects.filter(username=name).first()
    if getattr(request, "axes_locked_out", False):
        detail = "refused: the account is locked"
    else:
        detail = "wrong password" if account else f"no account named {name!r}"
    audit.record(account, "sign-in-failed", detail)


@receiver(two_factor_passed, dispatch_uid="csc-audit-two-factor")
def _two_factor_passed(sender, request, user, enrolled=False, **kwargs):
    audit.record(user, "two-factor-enrolled" if enrolled else "two-factor-verified")


@receiver(two_factor_refused, dispatch_uid="csc-audit-two-factor-failed")
def _two_factor_refused(sender, request, user, **kwargs):
    audit.record(user, "two-factor-failed", "wrong code")


def connect_lockout() -> None:
    """django-axes' lockout signal (imported late: axes needs the app registry)."""
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, weak=False, dispatch_uid="csc-audit-lockout")


def _locked_out(sender, request, username, ip_address, **kwargs):
    from django.contrib.auth import get_user_model

    name = _name(username)
    account = get_user_model().objects.filter(username=name).first()
    audit.record(account, "lockout", f"account name {name!r} locked after repeated failures")

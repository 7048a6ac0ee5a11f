"""The demo's own sign-in: an analyst account with a fresh random password, shown once.

`csc-scorecard demo --serve` ends by serving the demo council; whoever ran it at
the machine gets an analyst account to look at it in the browser. Running the
demo again gives the same account a new password (the old one stops working)
and a new two-factor enrolment at its next sign-in. Audited like any account change.
"""

from __future__ import annotations

import secrets

__all__ = ["DEMO_ANALYST", "demo_analyst"]

DEMO_ANALYST = "demo-analyst"


def demo_analyst() -> tuple[str, str]:
    """(account name, password) of the demo analyst, made or reset now."""
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from csc_scorecard.accounts.models import User
    from csc_scorecard.services.audit import record

    password = secrets.token_urlsafe(15)  # 20 characters: past the 12-character minimum
    with transaction.atomic():
        account = User.objects.filter(username=DEMO_ANALYST).first()
        created = account is None
        if created:
            account = User(username=DEMO_ANALYST, role="analyst")
        account.role, account.is_active = "analyst", True
        account.set_password(password)
        account.save()
        # a new password means a new enrolment: the old authenticator entry may be long gone
        TOTPDevice.objects.filter(user=account).delete()
        record(account, "account-created" if created else "password-reset",
               f"account {DEMO_ANALYST}, role analyst (demo --serve)")
    return DEMO_ANALYST, password

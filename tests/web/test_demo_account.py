"""`demo --serve`'s sign-in: an analyst with a fresh password each run, enrolling two-factor anew."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from csc_scorecard.accounts.models import User
from csc_scorecard.services.demo_account import DEMO_ANALYST, demo_analyst
from csc_scorecard.store.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_demo_analyst_is_made_then_reset():
    name, first = demo_analyst()
    assert name == DEMO_ANALYST and len(first) >= 12
    user = User.objects.get(username=name)
    assert user.check_password(first) and user.role == "analyst" and user.is_active
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _, second = demo_analyst()
    assert second != first
    user.refresh_from_db()
    assert not user.check_password(first)  # the old password stops working
    assert user.check_password(second)
    assert not TOTPDevice.objects.filter(user=user).exists()  # enrols again at the next sign-in
    assert list(AuditEvent.objects.filter(account=user).values_list("action", flat=True)
                .order_by("id")) == ["account-created", "password-reset"]

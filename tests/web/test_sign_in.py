"""Sign-in as a person does it: password, two-factor enrolment and codes, lockout, CSRF, audit."""

from __future__ import annotations

import os
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from csc_scorecard.accounts.models import Role
from csc_scorecard.store.models import AuditEvent

from .web_helpers import PASSWORD, make_account, totp_code, totp_from_key

pytestmark = pytest.mark.django_db


def actions(name: str) -> list[str]:
    return list(AuditEvent.objects.filter(account__username=name).order_by("id").values_list("action", flat=True))


def post_password(client: Client, name: str, password: str = PASSWORD, next_url: str = ""):
    url = reverse("accounts:sign-in") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": name, "password": password})


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError) as caught:
        validate_password("Xk3#pq9!zT")  # 10 characters, otherwise strong
    assert any("at least 12 characters" in m for m in caught.value.messages)
    validate_password("a long enough passphrase 7")


def test_analyst_enrols_at_first_sign_in_then_uses_codes(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the deliberate wrong code
    make_account(Role.ANALYST, "ana")
    client = Client()
    response = post_password(client, "ana", next_url="/returns/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two-factor")
    response = client.get(reverse("accounts:two-factor"))
    assert response["Location"] == reverse("accounts:enrol")

    page = client.get(reverse("accounts:enrol")).content.decode()
    assert "<svg" in page and 'role="img"' in page  # the QR code, inline
    key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1)

    wrong_code = "000000" if totp_from_key(key) != "000000" else "111111"
    wrong = client.post(reverse("accounts:enrol"), {"code": wrong_code})
    assert wrong.status_code == 400
    assert "There is a problem" in wrong.content.decode()

    done = client.post(reverse("accounts:enrol"), {"code": totp_from_key(key)})
    assert done.status_code == 302 and done["Location"] == "/returns/"
    assert client.get("/returns/").status_code == 200
    assert TOTPDevice.objects.get(user__username="ana").confirmed

    # a later sign-in asks for the code, not a new set-up
    client.post(reverse("accounts:sign-out"))
    later = Client()
    post_password(later, "ana")
    assert later.get(reverse("core:home"))["Location"] == reverse("accounts:two-factor")
    device = TOTPDevice.objects.get(user__username="ana")
    device.refresh_from_db()
    device.last_t = -1  # the enrolment code may still be current; a device refuses a code twice
    device.save()
    response = later.post(reverse("accounts:two-factor"), {"code": totp_code(device)})
    assert response.status_code == 302
    assert later.get(reverse("core:home")).status_code == 200
    assert actions("ana") == [
        "sign-in", "two-factor-failed", "two-factor-enrolled", "sign-out", "sign-in", "two-factor-verified",
    ]


def test_wrong_password_is_audited_and_explained():
    make_account(Role.VIEWER, "vic")
    response = post_password(Client(), "vic", "not the password at all")
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and "Enter a correct account name and password" in text
    assert actions("vic") == ["sign-in-failed"]
    post_password(Client(), "nobody-here", "whatever it may be")
    event = AuditEvent.objects.filter(action="sign-in-failed", account=None).get()
    assert "nobody-here" in event.detail


def test_lockout_after_repeated_failures(settings):
    make_account(Role.VIEWER, "lou")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_password(client, "lou", "wrong wrong wrong").status_code == 400
    locked = post_password(client, "lou", "wrong wrong wrong")
    assert locked.status_code == 429
    assert "This account is locked" in locked.content.decode()
    # now even the right password is refused
    again = post_password(Client(), "lou")
    assert again.status_code == 429
    assert "lockout" in actions("lou")


def test_csrf_is_enforced_on_forms():
    make_account(Role.VIEWER, "cat")
    client = Client(enforce_csrf_checks=True)
    response = post_password(client, "cat")
    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # with the token from the page, the same sign-in works
    client.get(reverse("accounts:sign-in"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("accounts:sign-in"), {"username": "cat", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@pytest.mark.skipif(bool(os.environ.get("CSC_SCORECARD_INSECURE_COOKIES")), reason="cookies made insecure by hand")
def test_session_and_cookie_settings():
    from csc_scorecard.web import settings as project

    # an idle hour ends the session: its age is renewed by requests (at most once a minute,
    # by IdleExpiryMiddleware; test_logs_and_sessions checks the renewal itself)
    assert project.SESSION_COOKIE_AGE == 3600
    assert "csc_scorecard.web.core.middleware.IdleExpiryMiddleware" in project.MIDDLEWARE
    assert project.SESSION_COOKIE_HTTPONLY and project.X_FRAME_OPTIONS == "DENY"
    assert project.SESSION_COOKIE_SECURE is True and project.CSRF_COOKIE_SECURE is True


def test_sign_out_needs_post_and_ends_the_session():
    make_account(Role.VIEWER, "sam")
    client = Client()
    post_password(client, "sam")
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    client.post(reverse("accounts:sign-out"))
    assert client.get(reverse("core:home")).status_code == 302


def test_wrong_codes_slow_down_guessing():
    user = make_account(Role.ANALYST, "gus")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    post_password(client, "gus")
    right = totp_code(device)
    wrong = "000000" if right != "000000" else "111111"
    assert client.post(reverse("accounts:two-factor"), {"code": wrong}).status_code == 400
    # straight after a wrong code even the right one waits
    refused = client.post(reverse("accounts:two-factor"), {"code": right})
    assert refused.status_code == 400 and "Too many wrong codes" in refused.content.decode()
    assert client.get(reverse("core:home")).status_code == 302

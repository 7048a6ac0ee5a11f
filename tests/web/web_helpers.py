"""Small helpers the web tests share."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from csc_scorecard.accounts.models import Role, User

PASSWORD = "correct horse battery staple"
ROLES = [Role.ADMIN, Role.ANALYST, Role.MANAGER, Role.VIEWER]


def make_account(role: str, name: str | None = None, *, areas=None) -> User:
    user = User.objects.create_user(name or f"{role}-user", password=PASSWORD, role=role, areas=areas or [])
    return user


def signed_in(user: User, *, verified: bool = True) -> Client:
    """A client signed in as the account, past two-factor when `verified`."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if verified:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client




def totp_code(device) -> str:
    """The code an authenticator app shows now for a django-otp TOTP device."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def totp_from_key(key_text: str) -> str:
    """The current code for a base32 key as the enrolment page shows it (spaces allowed)."""
    import base64

    key = key_text.replace(" ", "").upper()
    key += "=" * (-len(key) % 8)
    return f"{totp(base64.b32decode(key), step=30, t0=0, digits=6, drift=0):06d}"


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_scripts = 0
        self.inline_styles = 0
        self.inline_handlers = 0

    def handle_starttag(self, tag, attrs):
        names = {k for k, _ in attrs}
        if tag == "script" and "src" not in names:
            self.inline_scripts += 1
        if tag == "style" or "style" in names:
            self.inline_styles += 1
        if any(n.startswith("on") for n in names):
            self.inline_handlers += 1


def inline_code(html: str) -> dict[str, int]:
    parser = _Scripts()
    parser.feed(html)
    return {
        "scripts": parser.inline_scripts,
        "styles": parser.inline_styles,
        "handlers": parser.inline_handlers,
    }

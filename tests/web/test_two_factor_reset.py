"""An administrator resets another account's two-factor: a confirmation step, audited, admin only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from csc_scorecard.store.models import AuditEvent

from .page_parse import read_table

pytestmark = pytest.mark.django_db


def reset_url(name: str) -> str:
    return reverse("accounts:two-factor-reset", args=[name])


def test_the_list_shows_who_has_set_up_two_factor(clients, accounts):
    # every account in `clients` has a confirmed device (signed_in makes one); add one without
    from .web_helpers import make_account

    make_account("viewer", "new-viewer")
    page = clients["admin"].get(reverse("accounts:two-factor-list")).content.decode()
    _, rows = read_table(page, "two-factor-table")
    shown = {r["account"]: (r["two_factor"], r["action"]) for r in rows}
    assert shown["analyst-user"] == ("Set up", "Reset")
    assert shown["new-viewer"] == ("Not set up", "")
    assert shown["admin-user"] == ("Set up", "Your account")  # no reset link for oneself
    assert reset_url("analyst-user") in page and reset_url("admin-user") not in page
    assert reset_url("new-viewer") not in page  # nothing to reset


@pytest.mark.parametrize("role", ["analyst", "manager", "viewer"])
def test_other_roles_are_refused_and_a_refused_reset_is_audited(clients, accounts, role):
    target = accounts["analyst"] if role != "analyst" else accounts["manager"]
    client = clients[role]
    assert client.get(reverse("accounts:two-factor-list")).status_code == 403
    assert client.get(reset_url(target.username)).status_code == 403
    response = client.post(reset_url(target.username), {"confirm": "yes"})
    assert response.status_code == 403 and "Traceback" not in response.content.decode()
    assert TOTPDevice.objects.filter(user=target).exists()  # nothing removed
    refused = AuditEvent.objects.get(action="two-factor-reset-refused")
    assert refused.account == accounts[role] and target.username in refused.detail
    assert not AuditEvent.objects.filter(action="two-factor-reset").exists()


def test_the_confirmation_step_then_the_reset_sends_the_account_to_set_up_again(clients, accounts):
    analyst = accounts["analyst"]
    admin = clients["admin"]
    page = admin.get(reset_url(analyst.username))
    assert page.status_code == 200 and "Reset two-factor for analyst-user?" in page.content.decode()
    assert TOTPDevice.objects.filter(user=analyst).count() == 1  # looking changes nothing

    # no answer: a GOV.UK error summary, nothing changed
    response = admin.post(reset_url(analyst.username), {})
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    # "no": back to the list, nothing changed
    assert admin.post(reset_url(analyst.username), {"confirm": "no"}).status_code == 302
    assert TOTPDevice.objects.filter(user=analyst).count() == 1
    assert not AuditEvent.objects.filter(action="two-factor-reset").exists()

    response = admin.post(reset_url(analyst.username), {"confirm": "yes"})
    assert response.status_code == 302 and "reset=analyst-user" in response["Location"]
    assert "Two-factor for analyst-user is reset" in admin.get(response["Location"]).content.decode()
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    event = AuditEvent.objects.get(action="two-factor-reset")
    assert event.account == accounts["admin"] and event.detail == "account analyst-user: 1 device(s) removed"

    # the analyst's open session is sent to two-factor, which has no device so goes to set-up
    signed_in = clients["analyst"]
    response = signed_in.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two-factor")
    response = signed_in.get(reverse("accounts:two-factor"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:enrol")


def test_an_admin_cannot_reset_their_own_and_unknown_accounts_are_not_found(clients, accounts):
    admin = clients["admin"]
    response = admin.post(reset_url("admin-user"), {"confirm": "yes"})
    assert response.status_code == 400 and "ask another administrator" in response.content.decode()
    assert TOTPDevice.objects.filter(user=accounts["admin"]).exists()
    assert admin.get(reset_url("nobody-here")).status_code == 404
    assert admin.post(reset_url("nobody-here"), {"confirm": "yes"}).status_code == 404


def test_the_reset_needs_the_forms_csrf_token(clients, accounts):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = clients["admin"].cookies  # signed in as the admin, but no token sent
    response = strict.post(reset_url("analyst-user"), {"confirm": "yes"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=accounts["analyst"]).exists()

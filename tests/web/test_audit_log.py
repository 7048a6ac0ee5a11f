"""The audit log page and its CSV download (admin only), read through services.audit_log."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from csc_scorecard.services import audit, audit_log

pytestmark = pytest.mark.django_db


def test_admin_browses_filters_and_downloads(clients, accounts):
    audit.record(accounts["analyst"], "issues-export", "submission 4, csv", rows=12)
    audit.record(accounts["manager"], "role-change", "viewer to manager")
    audit.record(None, "sign-in-failed", "no account named 'mallory'")
    page = clients["admin"].get(reverse("auditlog:list")).content.decode()
    assert "issues-export" in page and "submission 4, csv" in page and "(no account)" in page
    only = clients["admin"].get(reverse("auditlog:list"), {"action": "issues-export"}).content.decode()
    assert "submission 4, csv" in only and "viewer to manager" not in only
    assert "1 event." in only

    download = clients["admin"].get(reverse("auditlog:download"), {"account": "manager-user", "action": "role-change"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [(r["account"], r["action"], r["detail"]) for r in rows] == [("manager-user", "role-change", "viewer to manager")]
    # the download is itself recorded
    page = audit_log.read_events(accounts["admin"], action="audit-log-download")
    assert page.total == 1 and page.events[0]["rows"] == 1


@pytest.mark.parametrize("role", ["analyst", "manager", "viewer"])
def test_only_admins_read_the_log(role, accounts):
    with pytest.raises(PermissionDenied):
        audit_log.read_events(accounts[role])
    with pytest.raises(PermissionDenied):
        audit_log.events_csv(accounts[role])

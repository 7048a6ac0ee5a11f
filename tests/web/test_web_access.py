"""Who reaches which page: the allowed/forbidden matrix, sign-in and two-factor gates."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from csc_scorecard.accounts.models import Role
from csc_scorecard.store.models import AuditEvent, Submission

from .web_helpers import inline_code, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture()
def submission(db):
    return Submission.objects.create(
        return_type="cin_census", year="2024-25", la_code="999", sha256="a" * 64,
        file_names=["cin.xml"], row_counts={"child": 3}, issue_counts={"error": 1},
    )


A, N, M, V = Role.ADMIN, Role.ANALYST, Role.MANAGER, Role.VIEWER
# page -> roles that may open it (everyone else gets the 403 page)
MATRIX = {
    "core:home": {A, N, M, V},
    "returns:list": {A, N, M},
    "returns:upload": {A, N},
    "returns:issues": {A, N},
    "returns:issues-csv": {A, N},
    "returns:issues-xlsx": {A, N},
    "auditlog:list": {A},
    "auditlog:download": {A},
    "accounts:two-factor-list": {A},
    "accounts:two-factor-reset": {A},
}


def url_of(name: str, submission) -> str:
    if name.startswith("returns:issues"):
        return reverse(name, args=[submission.pk])
    if name == "accounts:two-factor-reset":
        return reverse(name, args=["viewer-user"])  # the confirmation step
    return reverse(name)


@pytest.mark.parametrize("page", sorted(MATRIX))
@pytest.mark.parametrize("role", [A, N, M, V])
def test_role_matrix(page, role, clients, submission):
    response = clients[role].get(url_of(page, submission))
    if role in MATRIX[page]:
        assert response.status_code == 200, response.content[:300]
    else:
        assert response.status_code == 403
        text = response.content.decode()
        assert "You cannot see this page" in text
        assert "Traceback" not in text


@pytest.mark.parametrize("page", sorted(MATRIX))
def test_signed_out_goes_to_sign_in(page, submission):
    url = url_of(page, submission)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")


@pytest.mark.parametrize("name", ["accounts:sign-in", "core:accessibility"])
def test_open_pages_signed_out(name):
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert "Accessibility statement" in response.content.decode()  # the footer link on every page


@pytest.mark.parametrize("role", [A, N, M])
def test_roles_that_see_children_need_two_factor(role, accounts):
    client = signed_in(accounts[role], verified=False)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two-factor")
    # and the two-factor page sends an account without a device to enrol
    response = client.get(reverse("accounts:two-factor"))
    assert response["Location"] == reverse("accounts:enrol")


def test_viewer_needs_no_two_factor(accounts):
    client = signed_in(accounts[V], verified=False)
    assert client.get(reverse("core:home")).status_code == 200


def test_unknown_page_is_404_in_words(clients):
    response = clients[A].get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_missing_submission_and_task_are_404(clients):
    assert clients[A].get(reverse("returns:issues", args=[999])).status_code == 404
    assert clients[A].get(reverse("tasks:detail", args=[999])).status_code == 404


def test_server_error_page_in_words(rf):
    from csc_scorecard.web.core.views import server_error

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = server_error(request)
    assert response.status_code == 500
    text = response.content.decode()
    assert "Sorry, there is a problem with the service" in text
    assert "Traceback" not in text


def test_pages_have_no_inline_code_and_strict_headers(clients, submission):
    for name in MATRIX:
        if name.endswith(("csv", "xlsx", "download")):
            continue
        response = clients[A].get(url_of(name, submission))
        assert inline_code(response.content.decode()) == {"scripts": 0, "styles": 0, "handlers": 0}, name
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_issue_exports_are_audited(clients, submission):
    before = AuditEvent.objects.filter(action="issues-export").count()
    clients[N].get(reverse("returns:issues-csv", args=[submission.pk]))
    clients[N].get(reverse("returns:issues-xlsx", args=[submission.pk]))
    events = AuditEvent.objects.filter(action="issues-export").order_by("id")
    assert events.count() == before + 2
    assert {e.user for e in events} == {"analyst-user"}
    assert "csv" in events[0].detail and "xlsx" in events[1].detail


def test_layout_has_council_name_skip_link_and_nav(clients):
    from csc_scorecard.config import council_file

    council_file().parent.mkdir(parents=True, exist_ok=True)
    council_file().write_text("la_code: '999'\nname: Testshire County Council\n")
    html = clients[A].get(reverse("core:home")).content.decode()
    assert 'class="govuk-generic-header__homepage-link">Testshire County Council</a>' in html
    assert 'class="govuk-skip-link"' in html and 'href="#main-content"' in html
    assert "govuk-generic-header" in html and "govuk-header__crown" not in html
    for item in ("Home", "Returns", "Audit log", "Sign out"):
        assert item in html
    viewer = clients[V].get(reverse("core:home")).content.decode()
    assert ">\n                  Returns" not in viewer and "Audit log" not in viewer


@pytest.mark.parametrize("name", ["returns:upload", "accounts:sign-out", "accounts:two-factor"])
def test_every_form_needs_its_csrf_token(name, accounts):
    client = signed_in(accounts[A])
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse(name), {})
    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 200  # still signed in: nothing happened


@pytest.mark.parametrize("url", ["/tasks/1/", "/tasks/1/status.json", "/returns/1/issues/", "/audit/audit-log.csv"])
def test_signed_out_never_reaches_data_by_guessing(url):
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_admin_site_has_no_sign_in_of_its_own():
    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sign-in/")
    assert "<h1 class=\"govuk-heading-l\">Sign in</h1>" in response.content.decode()

"""Targets, commentary, reports and the home summary in the browser; the new pages' role matrix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csc_scorecard.accounts.models import Role
from csc_scorecard.rating.models import Target, TargetChange
from csc_scorecard.reporting.models import Commentary
from csc_scorecard.store.models import AuditEvent

from .page_parse import read_table
from .pages_store import build_council
from .web_helpers import inline_code

pytestmark = pytest.mark.django_db
A, N, M, V = Role.ADMIN, Role.ANALYST, Role.MANAGER, Role.VIEWER

# page -> roles that may open it; everyone else gets the 403 page in words
MATRIX = {
    "scorecard:scorecard": {A, N, M, V},
    "scorecard:scorecard-csv": {A, N, M, V},
    "scorecard:scorecard-xlsx": {A, N, M, V},
    "scorecard:indicator": {A, N, M, V},
    "scorecard:children": {A, N},  # the plain manager account has no areas
    "scorecard:targets": {A, N},
    "scorecard:target-edit": {A, N},
    "scorecard:commentary": {A, N, M},
    "reports:list": {A, N, M, V},
}
ARGS = {
    "scorecard:indicator": ["referrals_count"],
    "scorecard:children": ["referrals_count"],
    "scorecard:target-edit": ["cp_repeat_ever_pct", "2024-25"],
}


@pytest.fixture()
def council(db):
    build_council()


@pytest.mark.parametrize("page", sorted(MATRIX))
@pytest.mark.parametrize("role", [A, N, M, V])
def test_role_matrix_of_the_new_pages(page, role, clients, council):
    response = clients[role].get(reverse(page, args=ARGS.get(page, [])) + "?period=2024-25")
    if role in MATRIX[page]:
        assert response.status_code == 200, response.content[:300]
    else:
        assert response.status_code == 403
        assert "You cannot see this page" in response.content.decode()


def _rag(client, area=""):
    html = client.get(reverse("scorecard:scorecard") + f"?period=2024-25{area}").content.decode()
    _, rows = read_table(html)
    return {r["_indicator"]: r for r in rows}["cp_repeat_ever_pct"]["rag_label"]


def test_a_changed_target_changes_the_rag_with_history(council, clients, accounts):
    url = reverse("scorecard:target-edit", args=["cp_repeat_ever_pct", "2024-25"])
    assert _rag(clients[N]) == "Not rated"
    # lower is better: 20.0 against a target of 22 is on target -> Green
    response = clients[N].post(url, {"target": "22", "tolerance": "", "tolerance_type": "absolute"})
    assert response.status_code == 302
    assert _rag(clients[N]).startswith("Green")
    # target 15, tolerance 2: Amber up to 17, Red beyond; 20.0 -> Red
    clients[N].post(url, {"target": "15", "tolerance": "2", "tolerance_type": "absolute"})
    assert _rag(clients[N]).startswith("Red")
    target = Target.objects.get(indicator_id="cp_repeat_ever_pct", year="2024-25")
    assert str(target.target.normalize()) == "15" and target.updated_by == accounts[N].username
    change = TargetChange.objects.get(field="target", action="updated")
    assert (change.old_value, change.new_value, change.changed_by) == ("22", "15", accounts[N].username)
    html = clients[N].get(url).content.decode()
    assert "<td class=\"govuk-table__cell\">22</td><td class=\"govuk-table__cell\">15</td>" in html
    assert AuditEvent.objects.filter(action="target", account=accounts[N]).count() == 2


def test_a_frozen_year_keeps_its_targets_and_the_pages_say_so(council, clients, accounts):
    from csc_scorecard.services.freeze import freeze_period

    url = reverse("scorecard:target-edit", args=["cp_repeat_ever_pct", "2024-25"])
    clients[N].post(url, {"target": "22", "tolerance": "", "tolerance_type": "absolute"})
    assert _rag(clients[N]).startswith("Green")  # 20.0 against 22, lower is better
    assert "frozen-note" not in clients[N].get(reverse("scorecard:targets") + "?year=2024-25").content.decode()
    freeze_period(accounts[N], "2024-25")
    # the target is changed after the freeze: kept, but the frozen year stays rated against 22
    response = clients[N].post(url, {"target": "15", "tolerance": "2", "tolerance_type": "absolute"})
    assert response.status_code == 302
    assert _rag(clients[N]).startswith("Green")
    assert str(Target.objects.get(indicator_id="cp_repeat_ever_pct", year="2024-25").target.normalize()) == "15"
    for page in (reverse("scorecard:targets") + "?year=2024-25", url + "?saved=1"):
        html = clients[N].get(page).content.decode()
        assert 'id="frozen-note"' in html and "rated against the targets as they stood then" in html
    assert "The scorecard rates against it now" not in clients[N].get(url + "?saved=1").content.decode()


def test_bad_targets_get_an_error_summary_and_change_nothing(council, clients):
    url = reverse("scorecard:target-edit", args=["cp_repeat_ever_pct", "2024-25"])
    for bad in ({"target": "lots"}, {"target": ""}, {"target": "10", "tolerance": "-3"},
                {"target": "10", "tolerance_type": "sideways"}):
        response = clients[N].post(url, bad)
        html = response.content.decode()
        assert response.status_code == 400, bad
        assert "There is a problem" in html and "govuk-error-message" in html
        assert "Traceback" not in html
    assert not Target.objects.exists() and not TargetChange.objects.exists()
    assert clients[V].post(url, {"target": "1"}).status_code == 403
    assert clients[M].post(url, {"target": "1"}).status_code == 403
    assert not Target.objects.exists()


def test_commentary_is_written_as_draft_then_approved_and_shown(council, clients, accounts):
    url = reverse("scorecard:commentary")
    form = {"subject_kind": "indicator", "subject_id": "cp_repeat_ever_pct", "period": "2024-25",
            "worried": "Repeat plans are up in the South.", "status": "draft"}
    assert clients[M].post(url, form).status_code == 302
    row = Commentary.objects.get(subject_id="cp_repeat_ever_pct", kind="worried")
    assert (row.status, row.author, row.period) == ("draft", accounts[M].username, "2024-25")
    page = clients[N].get(reverse("scorecard:indicator", args=["cp_repeat_ever_pct"]) + "?period=2024-25")
    assert "Repeat plans are up in the South." in page.content.decode()
    clients[N].post(url, {**form, "status": "approved"})
    row.refresh_from_db()
    assert (row.status, row.author) == ("approved", accounts[N].username)
    # emptying a box removes its text
    clients[N].post(url, {**form, "worried": "", "status": "approved"})
    assert not Commentary.objects.filter(kind="worried").exists()
    # a priority has the three boxes
    clients[N].post(url, {"subject_kind": "priority", "subject_id": "protected_from_harm",
                          "period": "2024-25-Q2", "working_well": "Visits on time.",
                          "next": "Audit the plans.", "status": "draft"})
    assert set(Commentary.objects.filter(subject_kind="priority").values_list("kind", flat=True)) == {
        "working_well", "next"}


def test_bad_commentary_is_refused_in_words(council, clients):
    url = reverse("scorecard:commentary")
    bad = {"subject_kind": "indicator", "subject_id": "nope", "period": "someday",
           "worried": "x" * 10_001, "status": "final"}
    response = clients[N].post(url, bad)
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html
    assert "10,000 characters" in html
    assert not Commentary.objects.exists()
    assert clients[V].post(url, {**bad, "subject_id": "cp_repeat_ever_pct"}).status_code == 403


def test_report_requests_are_checked_before_anything_is_queued(council, clients):
    from csc_scorecard.web.tasks.models import TaskRun

    url = reverse("reports:list")
    response = clients[N].post(url, {"kind": "quarterly", "period": "2024-25", "mode": "draft"})
    assert response.status_code == 400 and "needs a quarter" in response.content.decode()
    response = clients[N].post(url, {"kind": "annual", "period": "2024-25-Q1", "mode": "secret"})
    html = response.content.decode()
    assert "needs a financial year" in html and "Choose draft or publication" in html
    assert clients[V].post(url, {"kind": "annual", "period": "2024-25", "mode": "publication"}).status_code == 403
    assert not TaskRun.objects.exists()


def test_home_summary_exceptions_and_attention(council, clients, accounts):
    from decimal import Decimal

    from csc_scorecard.rating.targets import TargetSpec, import_specs

    # target 15, tolerance 2, lower is better: 20.0 is Red
    import_specs([TargetSpec("cp_repeat_ever_pct", "2024-25", Decimal(15), Decimal(2))],
                 user=accounts[N])
    html = clients[V].get(reverse("core:home") + "?period=2024-25").content.decode()
    assert "Summary by priority, 2024-25" in html
    exceptions = html[html.index('id="exceptions-table"'):html.index('id="attention"')]
    assert "/indicators/cp_repeat_ever_pct/" in exceptions and "referrals_count" not in exceptions
    assert 'govuk-tag--red app-rag">Red' in exceptions  # in words as well as colour
    assert "without commentary" in html  # the Red has none yet
    assert inline_code(html) == {"scripts": 0, "styles": 0, "handlers": 0}
    Commentary.objects.create(subject_kind="indicator", subject_id="cp_repeat_ever_pct",
                              period="2024-25", kind="worried", text="Looking into it.")
    html = clients[V].get(reverse("core:home") + "?period=2024-25").content.decode()
    assert "without commentary" not in html


@pytest.mark.slow  # two reports in three formats, PDF included: about 35 s
def test_a_report_is_generated_listed_and_downloaded(council, clients, accounts):
    from csc_scorecard.web.tasks.models import TaskRun

    response = clients[N].post(reverse("reports:list"),
                               {"kind": "annual", "period": "2024-25", "mode": "publication"})
    assert response.status_code == 302  # to the task page; the test backend ran it already
    run = TaskRun.objects.get(kind="reports.generate")
    assert run.status == "done", run.failure
    assert set(run.result["files"]) == {"html", "pdf", "docx"}
    listing = clients[V].get(reverse("reports:list")).content.decode()
    assert "Annual report, 2024-25 (publication)" in listing and accounts[N].username in listing
    pdf = clients[V].get(reverse("reports:download", args=[run.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = clients[N].get(reverse("reports:download", args=[run.pk, "docx"]))
    assert b"".join(docx.streaming_content)[:2] == b"PK"  # a zip, as every DOCX is
    assert clients[N].get(reverse("reports:download", args=[run.pk, "exe"])).status_code == 404
    # a draft is for officers: a viewer neither sees it listed nor downloads it
    clients[N].post(reverse("reports:list"), {"kind": "annual", "period": "2024-25", "mode": "draft"})
    draft = TaskRun.objects.filter(kind="reports.generate").exclude(pk=run.pk).get()
    assert "(draft)" not in clients[V].get(reverse("reports:list")).content.decode()
    assert clients[V].get(reverse("reports:download", args=[draft.pk, "pdf"])).status_code == 403

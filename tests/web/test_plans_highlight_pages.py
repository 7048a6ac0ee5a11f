"""The highlight-report editor: pre-filled from the plan and the stored results, the workflow
draft -> submitted -> approved with its refusals, and the documents built by the task worker.

Figures (tests/web/pages_store.py): cp_repeat_ever_pct 2024-25 is 20/100 = 20.0%, 2023-24 25.0%
(lower is better, so improving); the local measure "visits" 2024-25 is 100, 2023-24 not stored.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from csc_scorecard.accounts.models import Role
from csc_scorecard.plans import models as m
from csc_scorecard.web.tasks.models import TaskRun

from .page_parse import read_table
from .pages_store import build_council
from .plans_store import build_plan
from .web_helpers import inline_code, make_account, signed_in

pytestmark = pytest.mark.django_db
A, N, M, V = Role.ADMIN, Role.ANALYST, Role.MANAGER, Role.VIEWER
PERIOD = "2024-25"


@pytest.fixture()
def plan(accounts, tmp_path):
    make_account("manager", "kim")  # owns an action of programme 1 too
    build_council()
    build_plan(tmp_path)
    return m.Programme.objects.get(plan__reference="test-plan", number=1)


def _url(number: int = 1) -> str:
    return reverse("plans:highlight", args=["test-plan", number])


def _get(client, number: int = 1) -> str:
    return client.get(_url(number) + f"?period={PERIOD}").content.decode()


def _step(client, step: str, number: int = 1):
    return client.post(_url(number), {"period": PERIOD, "step": step})


def _report(programme):
    return m.HighlightReport.objects.get(programme=programme, period=PERIOD)


def test_editor_is_pre_filled_from_the_plan_and_the_stored_results(clients, plan):
    html = _get(clients[N])
    # overdue action 1(A)i (due January 2020, not complete) offered as slippage, the very high risk as a risk
    assert 'id="slippage-offered"' in html and "Overdue: action 1(A)i" in html
    assert 'id="risks-offered"' in html and "Risk 1.1 (score 20, Very high (red)): Hub building late" in html
    assert "Staff turnover" not in html.split('id="risks-offered"')[1].split("</div>")[0]  # 6: medium, not offered
    _, rows = read_table(html, "outcomes-table")
    by_measure = {r["measure"]: r for r in rows}
    cp = next(r for k, r in by_measure.items() if "repeat" in k.lower())
    assert cp["current"] == "20.0% (20/100), 2024-25" and cp["previous"] == "25.0%, 2023-24"
    assert cp["direction"].endswith("improving")
    visits = by_measure["Visits to the hub website (local measure)"]
    assert visits["current"] == "100, 2024-25" and visits["previous"] == "No figure, 2023-24"
    assert inline_code(html) == {"scripts": 0, "styles": 0, "handlers": 0}


def test_every_figure_on_the_page_is_the_documents_figure(clients, plan):
    from csc_scorecard.periods import parse_period
    from csc_scorecard.plans.highlight import outcome_table

    table = outcome_table(plan, parse_period(PERIOD), "123")
    _, rows = read_table(_get(clients[A]), "outcomes-table")
    assert [[r[k] for k in ("measure", "target", "current", "previous", "direction")] for r in rows] == [
        [c.text for c in cells[:5]] for cells in table.rows]


def test_manager_writes_and_submits_an_analyst_approves(clients, plan, accounts):
    response = clients[M].post(_url(), {"period": PERIOD, "status": "A", "trend": "progressing",
                                        "reason": "Hub late", "achievements": "Two hubs open\nWebsite live",
                                        "report_date": "14/04/2025"})
    assert response.status_code == 302
    report = _report(plan)
    assert (report.state, report.status, report.achievements, str(report.report_date)) == (
        "draft", "A", "Two hubs open\nWebsite live", "2025-04-14")
    assert report.history.latest().history_user == accounts[M]
    assert _step(clients[M], "submit").status_code == 302
    assert _report(plan).state == "submitted"
    assert _step(clients[M], "approve").status_code == 403  # a manager never approves
    html = _get(clients[N])
    assert "Submitted</strong> for approval by manager-user" in html
    assert 'value="approve"' in html and 'id="highlight-form"' not in html  # no prose edits now
    assert _step(clients[N], "approve").status_code == 302
    report = _report(plan)
    assert report.state == "approved"
    assert [h.history_user.username for h in report.history.order_by("history_date")] == [
        "manager-user", "manager-user", "analyst-user"]
    assert [h.state for h in report.history.order_by("history_date")] == ["draft", "submitted", "approved"]


def test_refused_transitions_change_nothing(clients, plan, accounts):
    # approving or sending back a report not yet submitted: refused in words
    response = _step(clients[N], "approve")
    assert response.status_code == 400
    assert "cannot be approved: only a submitted report can" in response.content.decode()
    assert not m.HighlightReport.objects.filter(programme=plan).exists()
    assert _step(clients[N], "reopen").status_code == 400
    empty = _step(clients[N], "submit")  # nothing written yet: nothing to submit
    assert empty.status_code == 400 and "save the draft first" in empty.content.decode()
    assert not m.HighlightReport.objects.filter(programme=plan).exists()
    # an analyst does not approve their own submission; another checker (an admin) does
    clients[N].post(_url(), {"period": PERIOD, "reason": "ready"})
    assert _step(clients[N], "submit").status_code == 302
    assert _step(clients[N], "approve").status_code == 403
    assert _report(plan).state == "submitted"
    # the prose is locked while submitted
    locked = clients[N].post(_url(), {"period": PERIOD, "reason": "changed my mind"})
    assert locked.status_code == 400 and "send it back to draft" in locked.content.decode()
    assert _report(plan).reason == "ready"
    assert _step(clients[A], "approve").status_code == 302
    assert _report(plan).state == "approved"
    assert _step(clients[M], "reopen").status_code == 403  # only analysts and admins reopen
    assert _step(clients[N], "reopen").status_code == 302 and _report(plan).state == "draft"
    assert _step(clients[N], "publish").status_code == 400  # no such step
    # saved "ready", submitted, approved, reopened: the refusals wrote nothing
    assert [h.state for h in _report(plan).history.order_by("history_date")] == [
        "draft", "submitted", "approved", "draft"]


def test_who_may_write_which_programme(clients, plan):
    # manager-user owns an action of programme 1 only; viewers never open the editor
    assert clients[M].post(_url(2), {"period": PERIOD, "reason": "not mine"}).status_code == 403
    assert _step(clients[M], "submit", 2).status_code == 403
    assert clients[V].post(_url(), {"period": PERIOD, "reason": "x"}).status_code == 403
    assert clients[V].get(_url()).status_code == 403
    assert not m.HighlightReport.objects.exists()
    html = _get(clients[M], 2)  # a manager may read programme 2's report, not write it
    assert 'id="highlight-form"' not in html and 'id="workflow"' not in html
    # empty sections print "nil return"
    assert '<p class="govuk-body app-note" id="read-achievements">nil return</p>' in html


def test_hostile_prose_is_refused_or_escaped(clients, plan):
    huge = clients[N].post(_url(), {"period": PERIOD, "achievements": "x" * 20_001})
    assert huge.status_code == 400 and "Keep it under 20,000 characters" in huge.content.decode()
    bad_date = clients[N].post(_url(), {"period": PERIOD, "report_date": "2025-13-45"})
    assert bad_date.status_code == 400 and "Not a date" in bad_date.content.decode()
    bad_period = clients[N].post(_url(), {"period": "2024-25-Q9", "reason": "x"})
    assert bad_period.status_code == 400
    assert not m.HighlightReport.objects.exists()
    hostile = "<script>alert(1)</script>"
    clients[N].post(_url(), {"period": PERIOD, "achievements": hostile})
    clients[N].post(_url(), {"period": PERIOD, "step": "submit"})
    html = _get(clients[M])  # read-only now: the lines are printed as bullets
    assert hostile not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_documents_use_the_saved_prose_and_download(clients, plan, accounts):
    clients[M].post(_url(), {"period": PERIOD, "achievements": "Two hubs open", "status": "G"})
    response = clients[M].post(reverse("plans:highlight-documents", args=["test-plan", 1]), {"period": PERIOD})
    assert response.status_code == 302
    run = TaskRun.objects.get(kind="reports.plan-document")
    assert run.status == "done", run.failure
    assert set(run.result["files"]) == {"html", "pdf", "docx"}
    assert run.arguments["draft"] is True  # not approved yet: every page marked draft
    html = _get(clients[M])
    _, docs = read_table(html, "documents-table")
    assert len(docs) == 1
    pdf = clients[M].get(reverse("reports:download", args=[run.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:4] == b"%PDF"
    page = b"".join(clients[M].get(reverse("reports:download", args=[run.pk, "html"])).streaming_content).decode()
    assert "Two hubs open" in page and "nil return" in page  # the voice of children was left empty
    assert "Overdue: action 1(A)i" in page
    # viewers see no draft documents; the task page says the files are ready
    assert clients[V].get(reverse("reports:download", args=[run.pk, "pdf"])).status_code == 403
    task_page = clients[M].get(reverse("tasks:detail", args=[run.pk])).content.decode()
    assert f'href="/reports/{run.pk}.pdf"' in task_page and "returns stored" not in task_page


def test_reports_page_lists_the_highlight_documents(clients, plan):
    clients[N].post(reverse("plans:highlight-documents", args=["test-plan", 1]), {"period": PERIOD})
    html = clients[N].get(reverse("reports:list")).content.decode()
    assert "Highlight report, programme 1, 2024-25 (draft)" in html


def test_approved_report_makes_final_documents(clients, plan, accounts):
    clients[M].post(_url(), {"period": PERIOD, "reason": "ok"})
    _step(clients[M], "submit")
    _step(clients[N], "approve")
    signed_in(accounts[A]).post(reverse("plans:highlight-documents", args=["test-plan", 1]), {"period": PERIOD})
    run = TaskRun.objects.get(kind="reports.plan-document")
    assert run.arguments["draft"] is False and run.title.endswith("(approved)")
    assert run.result["files"]["pdf"] == "highlight-programme-1-2024-25.pdf"  # no "-draft" in the name

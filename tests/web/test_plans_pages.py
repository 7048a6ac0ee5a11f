"""Plans pages: who reaches what, a manager updating their own action (and refused on another's),
the risk register's sorting and filters, local-measure entry.  The plan is tests/web/plans_store.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csc_scorecard.accounts.models import Role
from csc_scorecard.plans import models as m

from .page_parse import read_table
from .plans_store import build_plan
from .web_helpers import inline_code, make_account, signed_in

pytestmark = pytest.mark.django_db
A, N, M, V = Role.ADMIN, Role.ANALYST, Role.MANAGER, Role.VIEWER


@pytest.fixture()
def plan(accounts, tmp_path):
    kim = make_account("manager", "kim")
    build_plan(tmp_path)
    return {"kim": kim,
            "own": m.Action.objects.get(objective__programme__number=1, number="i"),
            "kims": m.Action.objects.get(objective__programme__number=1, number="ii")}


def _pages(plan) -> dict[str, tuple[str, set]]:
    """name -> (url, roles that may open it); every other role gets the 403 page."""
    return {
        "list": (reverse("plans:list"), {A, N, M, V}),
        "plan": (reverse("plans:plan", args=["test-plan"]), {A, N, M, V}),
        "programme": (reverse("plans:programme", args=["test-plan", 1]), {A, N, M, V}),
        "action": (reverse("plans:action", args=[plan["own"].pk]), {A, N, M, V}),
        "edit-own": (reverse("plans:action-edit", args=[plan["own"].pk]), {A, N, M}),
        "edit-kims": (reverse("plans:action-edit", args=[plan["kims"].pk]), {A, N}),
        "risks": (reverse("plans:risks", args=["test-plan"]), {A, N, M, V}),
        "highlight": (reverse("plans:highlight", args=["test-plan", 1]) + "?period=2024-25", {A, N, M}),
        "measures": (reverse("plans:measures"), {A, N, M, V}),
        "measure": (reverse("plans:measure", args=["visits"]), {A, N, M, V}),
    }


@pytest.mark.parametrize("role", [A, N, M, V])
def test_role_matrix(role, clients, plan):
    for name, (url, allowed) in _pages(plan).items():
        response = clients[role].get(url)
        if role in allowed:
            assert response.status_code == 200, (name, response.content[:300])
            assert inline_code(response.content.decode()) == {"scripts": 0, "styles": 0, "handlers": 0}, name
        else:
            assert response.status_code == 403, name
            assert "You cannot see this page" in response.content.decode()


def test_unknown_plan_programme_action_measure_are_404(clients, plan):
    for url in ("/plans/nope/", "/plans/test-plan/programmes/9/", "/plans/actions/999999/",
                "/plans/measures/nope/", "/plans/nope/risks/", "/plans/test-plan/programmes/9/highlight/"):
        assert clients[A].get(url).status_code == 404, url


def test_plans_is_in_the_navigation_for_every_role(clients, plan):
    for role in (A, N, M, V):
        assert 'href="/plans/"' in clients[role].get(reverse("core:home")).content.decode()


def test_programme_page_shows_status_in_words_overdue_owners_and_indicator_links(clients, plan):
    html = clients[V].get(reverse("plans:programme", args=["test-plan", 1])).content.decode()
    _, rows = read_table(html, "actions-A")
    by_number = {r["number"]: r for r in rows}
    assert by_number["i"]["owners"] == "manager-user"
    assert by_number["i"]["deadline"] == "January 2020 Overdue"  # past its deadline, status G
    assert by_number["i"]["status"] == "Green: project is on target"
    assert by_number["i"]["direction"] == "→ progressing"
    assert by_number["ii"]["deadline"] == "December 2099"
    assert by_number["ii"]["status"] == "Amber: project requires attention"
    assert 'href="/indicators/cp_repeat_ever_pct/"' in html
    assert 'href="/plans/measures/visits/"' in html and "Visits to the hub website" in html
    assert "Update" not in by_number["i"]["text"]  # a viewer is offered no update link
    manager = clients[M].get(reverse("plans:programme", args=["test-plan", 1])).content.decode()
    _, rows = read_table(manager, "actions-A")
    assert [r["number"] for r in rows if "Update" in r["text"]] == ["i"]  # only the one they own


def test_manager_updates_own_action_with_a_dated_note_kept_with_who_and_when(clients, plan, accounts):
    own = plan["own"]
    response = clients[M].post(reverse("plans:action-edit", args=[own.pk]), {
        "status": "R", "direction": "missed", "outcome": "Site delayed", "deadline": "Mar-25",
        "note": "Builder went bust", "note_date": "14/03/2025"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.direction, own.outcome) == ("R", "missed", "Site delayed")
    assert (str(own.deadline), own.deadline_precision) == ("2025-03-31", "month")  # a month falls on its last day
    latest = own.history.latest()
    assert latest.history_user == accounts[M] and latest.history_change_reason == "updated by manager-user"
    note = own.notes.get()
    assert (str(note.date), note.text, note.author) == ("2025-03-14", "Builder went bust", "manager-user")
    assert note.history.get().history_user == accounts[M]
    page = clients[V].get(reverse("plans:action", args=[own.pk])).content.decode()
    _, history = read_table(page, "history-table")
    assert "Builder went bust" in page and "manager-user" in page
    assert "status: Green: project is on target → Red: project is off target" in page
    assert "direction: → progressing → ↓ missed or at risk of missing milestones" in page


def test_manager_is_refused_another_managers_action_by_url_too(clients, plan):
    kims = plan["kims"]
    before = (kims.status, kims.history.count(), m.ProgressNote.objects.count())
    url = reverse("plans:action-edit", args=[kims.pk])
    assert clients[M].get(url).status_code == 403
    response = clients[M].post(url, {"status": "B", "direction": "achieved", "deadline": "Ongoing",
                                     "outcome": "", "note": "not mine"})
    assert response.status_code == 403 and "You cannot see this page" in response.content.decode()
    assert clients[V].post(reverse("plans:action-edit", args=[plan["own"].pk]), {"status": "B"}).status_code == 403
    kims.refresh_from_db()
    assert (kims.status, kims.history.count(), m.ProgressNote.objects.count()) == before
    # kim herself may, and so may an analyst
    assert signed_in(plan["kim"]).post(url, {"status": "B", "direction": "achieved",
                                             "deadline": "2099-12", "outcome": ""}).status_code == 302
    kims.refresh_from_db()
    assert kims.status == "B"


@pytest.mark.parametrize("field, value, message", [
    ("outcome", "x" * 10_001, "Keep it under 10,000 characters"),
    ("deadline", "Smarch-25", "Not a deadline"),
    ("note_date", "31/02/2025", "Not a date"),
    ("note_date", "2999-01-01", "cannot be dated in the future"),
    ("status", "purple", "Unknown status"),
])
def test_bad_input_gets_an_error_summary_and_changes_nothing(clients, plan, field, value, message):
    own = plan["own"]
    form = {"status": "G", "direction": "progressing", "outcome": "", "deadline": "2020-01",
            "note": "a note", "note_date": ""}
    form[field] = value
    response = clients[N].post(reverse("plans:action-edit", args=[own.pk]), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html and f'href="#{field}"' in html
    own.refresh_from_db()
    assert (own.outcome, own.history.count(), own.notes.count()) == ("", 1, 0)  # only the import's row


def test_script_tags_are_stored_as_text_and_shown_escaped(clients, plan):
    own = plan["own"]
    hostile = '<script>alert("x")</script>'
    clients[N].post(reverse("plans:action-edit", args=[own.pk]), {
        "status": "G", "direction": "progressing", "outcome": hostile, "deadline": "2020-01",
        "note": hostile, "note_date": ""})
    own.refresh_from_db()
    assert own.outcome == hostile
    for url in (reverse("plans:action", args=[own.pk]), reverse("plans:programme", args=["test-plan", 1])):
        html = clients[V].get(url).content.decode()
        assert hostile not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert inline_code(html)["scripts"] == 0


def test_edit_form_needs_its_csrf_token(accounts, plan):
    client = signed_in(accounts[N])
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("plans:action-edit", args=[plan["own"].pk]), {"status": "R"})
    assert response.status_code == 403
    plan["own"].refresh_from_db()
    assert plan["own"].status == "G"


def _risk_refs(client, query="") -> list[str]:
    html = client.get(reverse("plans:risks", args=["test-plan"]) + query).content.decode()
    return [r["_indicator"] or r["ref"] for r in read_table(html, "risks-table")[1]]


def test_risk_register_sorts_on_the_server_and_filters(clients, plan):
    c = clients[V]
    # default: highest score first (20, 12, 6, 2)
    assert _risk_refs(c) == ["1.1", "2.2", "1.2", "2.1"]
    assert _risk_refs(c, "?sort=score&order=asc") == ["2.1", "1.2", "2.2", "1.1"]
    assert _risk_refs(c, "?sort=ref&order=desc") == ["2.2", "2.1", "1.2", "1.1"]
    # owner A-Z, then the reference within one owner
    assert _risk_refs(c, "?sort=owner&order=asc") == ["1.2", "2.2", "1.1", "2.1"]
    assert _risk_refs(c, "?sort=band&order=desc") == ["1.1", "2.2", "1.2", "2.1"]
    assert _risk_refs(c, "?band=high") == ["2.2"]
    assert _risk_refs(c, "?band=very+high") == ["1.1"]
    assert _risk_refs(c, "?min_score=10") == ["1.1", "2.2"]
    assert _risk_refs(c, "?owner=Sam") == ["1.1", "2.1"]
    assert _risk_refs(c, "?owner=Ali&min_score=7") == ["2.2"]
    # unknown values are ignored, as on the scorecard
    assert _risk_refs(c, "?band=purple&min_score=99&owner=Nobody&sort=evil") == ["1.1", "2.2", "1.2", "2.1"]
    html = c.get(reverse("plans:risks", args=["test-plan"]) + "?sort=score&order=asc").content.decode()
    _, rows = read_table(html, "risks-table")
    assert {r["ref"]: r["band"] for r in rows} == {"2.1": "Low (green)", "1.2": "Medium (amber)",
                                                  "2.2": "High (red)", "1.1": "Very high (red)"}
    assert 'aria-sort="ascending"' in html and "sort=score&amp;order=desc" in html


def test_local_measure_entry_is_stored_through_the_import_service(clients, plan, accounts):
    from csc_scorecard.services.plans import measure_figure

    url = reverse("plans:measure", args=["visits"])
    response = clients[N].post(url, {"period": "2024-25-q2", "value": "1,234", "source": "Web analytics"})
    assert response.status_code == 302
    figure = measure_figure("visits", "2024-25-Q2")
    assert (figure.value, figure.source, figure.local) == (1234.0, "Web analytics", True)
    value = m.LocalMeasureValue.objects.get(measure__measure_id="visits", period="2024-25-Q2")
    assert value.history.get().history_user == accounts[N]
    html = clients[V].get(url).content.decode()
    _, rows = read_table(html, "values-table")
    # latest period end first: the year 2024-25 ends after its second quarter
    assert [(r["value"], r["source"]) for r in rows] == [("100", "analytics"), ("1,234", "Web analytics")]
    assert 'id="measure-form"' not in html  # viewers get no form
    # entering the period again replaces the value; the history keeps both
    clients[N].post(url, {"period": "2024-25-Q2", "value": "1300", "source": "corrected"})
    assert measure_figure("visits", "2024-25-Q2").value == 1300.0
    assert value.history.count() == 2


@pytest.mark.parametrize("measure, form, field, message", [
    ("visits", {"period": "2024-25-Q9", "value": "5"}, "period", "2024-25-Q9"),
    ("visits", {"period": "", "value": "5"}, "period", "Enter the period"),
    ("visits", {"period": "2024-25", "value": "lots"}, "value", "Expected a number"),
    ("visits", {"period": "2024-25", "value": "12.5"}, "value", "recorded to 0 decimal places"),
    ("rate", {"period": "2024-25", "value": "4.35"}, "value", "recorded to 1 decimal place;"),
    ("visits", {"period": "2024-25", "value": "5", "source": "s" * 301}, "source", "under 300"),
])
def test_bad_measure_values_are_refused_whole(clients, plan, measure, form, field, message):
    before = m.LocalMeasureValue.objects.count()
    response = clients[N].post(reverse("plans:measure", args=[measure]), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html and f'href="#{field}"' in html
    assert m.LocalMeasureValue.objects.count() == before


def test_measure_entry_refused_to_managers_and_viewers_and_source_escaped(clients, plan):
    url = reverse("plans:measure", args=["rate"])
    for role in (M, V):
        assert clients[role].post(url, {"period": "2024-25", "value": "4.3"}).status_code == 403
    assert not m.LocalMeasureValue.objects.filter(measure__measure_id="rate").exists()
    clients[A].post(url, {"period": "2024-25", "value": "4.3", "source": "<b>ONS</b>"})
    html = clients[M].get(url).content.decode()
    assert "&lt;b&gt;ONS&lt;/b&gt;" in html and "<b>ONS</b>" not in html

"""Inspection, self-evaluation and Annex A pack pages: roles, edits with history, audit, hostile input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csc_scorecard.accounts.models import Role
from csc_scorecard.inspection.models import (
    EvaluationSection,
    EvidenceBullet,
    Inspection,
    Recommendation,
)
from csc_scorecard.store.models import AuditEvent

from .inspection_store import AS_AT, build_inspection_world
from .page_parse import read_table
from .web_helpers import inline_code, make_account, signed_in

pytestmark = pytest.mark.django_db
A, N, M, V = Role.ADMIN, Role.ANALYST, Role.MANAGER, Role.VIEWER
READ, EDIT = {A, N, M, V}, {A, N}


@pytest.fixture()
def world(db, tmp_path):
    return build_inspection_world(tmp_path / "home")


def _pages(w) -> dict[str, tuple[str, set]]:
    i, e, s = w["inspection"].pk, w["evaluation"].pk, w["section"].pk
    return {
        "list": (reverse("inspection:list"), READ),
        "detail": (reverse("inspection:detail", args=[i]), READ),
        "new": (reverse("inspection:new"), EDIT),
        "edit": (reverse("inspection:edit", args=[i]), EDIT),
        "rec": (reverse("inspection:recommendation", args=[i, "R1"]), READ),
        "rec-new": (reverse("inspection:recommendation-new", args=[i]), EDIT),
        "rec-delete": (reverse("inspection:recommendation-delete", args=[i, "R1"]), EDIT),
        "evaluations": (reverse("inspection:evaluations"), READ),
        "evaluation": (reverse("inspection:evaluation", args=[e]), READ),
        "evaluation-new": (reverse("inspection:evaluation-new"), EDIT),
        "evaluation-edit": (reverse("inspection:evaluation-edit", args=[e]), EDIT),
        "section": (reverse("inspection:section", args=[e, s]), EDIT),
        "section-new": (reverse("inspection:section-new", args=[e]), EDIT),
        "section-delete": (reverse("inspection:section-delete", args=[e, s]), EDIT),
        "pack": (reverse("inspection:pack") + f"?as_at={AS_AT}", READ),
        "pack-quality": (reverse("inspection:pack-quality") + f"?as_at={AS_AT}", READ),
        "pack-journey": (reverse("inspection:pack-journey") + f"?as_at={AS_AT}", READ),
        "pack-children": (reverse("inspection:pack-children") + f"?as_at={AS_AT}", EDIT),
    }


@pytest.mark.parametrize("role", [A, N, M, V])
def test_role_matrix(role, clients, world):
    for name, (url, allowed) in _pages(world).items():
        response = clients[role].get(url)
        if role in allowed:
            assert response.status_code == 200, (name, response.content[:300])
            if response["Content-Type"].startswith("text/html"):
                assert inline_code(response.content.decode()) == {
                    "scripts": 0, "styles": 0, "handlers": 0}, name
        else:
            assert response.status_code == 403, name
            assert "You cannot see this page" in response.content.decode(), name


def test_signed_out_is_sent_to_sign_in(client, world):
    response = client.get(reverse("inspection:pack-children") + f"?as_at={AS_AT}")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_inspection_page_shows_judgements_and_linked_action_status_in_words(clients, world):
    html = clients[V].get(reverse("inspection:detail", args=[world["inspection"].pk])).content.decode()
    _, judged = read_table(html, "judgements-table")
    assert [r["grade"] for r in judged] == ["Requires improvement to be good"]
    assert 'href="https://reports.ofsted.gov.uk/provider/44/1"' in html
    # cypp/1(A)i: status R, deadline 31 January 2024, not complete (B): overdue on any later day
    _, actions = read_table(html, "actions-R1")
    assert len(actions) == 1 and actions[0]["status"].startswith("Red: ")
    assert actions[0]["deadline"] == "31 January 2024 Overdue"
    assert "Recruit permanent social workers" in html
    assert reverse("scorecard:indicator", args=["cp_repeat_ever_pct"]) in html


def test_recommendation_edit_persists_with_history_and_refuses_unknown_choices(clients, accounts, world):
    url = reverse("inspection:recommendation", args=[world["inspection"].pk, "R1"])
    response = clients[N].post(url, {"number": "R1", "text": "Secure a stable, permanent workforce.",
                                     "indicators": ["cp_repeat_ever_pct", "referrals_count"],
                                     "actions": ["cypp/1(A)i", "cypp/1(A)ii"]})
    assert response.status_code == 302
    rec = Recommendation.objects.get(number="R1")
    assert rec.text == "Secure a stable, permanent workforce."
    assert rec.action_refs == ["cypp/1(A)i", "cypp/1(A)ii"]
    assert rec.indicators == ["cp_repeat_ever_pct", "referrals_count"]
    last = rec.history.first()
    assert last.history_type == "~" and last.history_user == accounts[N]
    html = clients[N].get(url).content.decode()
    assert accounts[N].username in html  # the history table names who changed it
    # a forged action and indicator: refused, nothing changed
    response = clients[N].post(url, {"number": "R1", "text": "x", "indicators": ["no_such"],
                                     "actions": ["other/9(Z)ix"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Choose actions from the improvement plans" in body
    assert Recommendation.objects.get(number="R1").text == "Secure a stable, permanent workforce."
    # a manager cannot post even with a valid form
    response = clients[M].post(url, {"number": "R1", "text": "manager words"})
    assert response.status_code == 403
    assert Recommendation.objects.get(number="R1").text != "manager words"


def test_inspection_form_hostile_input_changes_nothing(clients, world):
    url = reverse("inspection:edit", args=[world["inspection"].pk])
    bad = {"kind": "ilacs'; DROP TABLE x;--", "title": "", "start_date": "2023-13-40",
           "end_date": "yesterday", "report_url": "javascript:alert(1)",
           "judgements": "Overall effectiveness - brilliant", "summary": "x" * 5000}
    response = clients[A].post(url, bad)
    assert response.status_code == 400
    html = response.content.decode()
    for message in ("Choose the kind of inspection", "Enter a title", "must be a date like",
                    "must start with https://", "write the area, a colon and the grade",
                    "4000 characters or fewer"):
        assert message in html
    visit = Inspection.objects.get(pk=world["inspection"].pk)
    assert visit.title == "ILACS November 2023" and visit.history.count() == 1  # its creation only
    # the last day before the first: refused
    good = {"kind": "ilacs", "title": "<script>alert(1)</script>", "start_date": "2023-11-06",
            "end_date": "2023-11-01", "judgements": "", "report_url": "", "summary": ""}
    assert clients[A].post(url, good).status_code == 400
    good["end_date"] = "2023-11-17"
    good["judgements"] = "Overall effectiveness: Good\nLeadership: requires improvement"
    assert clients[A].post(url, good).status_code == 302
    html = clients[V].get(reverse("inspection:detail", args=[visit.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    visit.refresh_from_db()
    assert [(j.area, j.grade) for j in visit.judgements.all()] == [
        ("Overall effectiveness", "good"), ("Leadership", "requires_improvement")]
    assert visit.history.first().history_user.role == A


def test_self_evaluation_page_live_figures_and_broken_reference_with_its_place(clients, world):
    html = clients[V].get(reverse("inspection:evaluation", args=[world["evaluation"].pk])).content.decode()
    # 20.0 - 25.0 = 5.0 points down, lower is better
    assert ("Repeat plans: 20.0% in 2024-25, down 5.0 percentage points from 25.0% in 2023-24, "
            "which is better") in html
    assert "section 1 (Protection), bullet 2: {cp_repeat_ever_pct | period 2019-20}" in html
    assert "no stored figure for cp_repeat_ever_pct" in html
    assert "Answers R1" in html
    # the broken reference stops the download, said in a GOV.UK error summary
    response = clients[V].get(reverse("inspection:evaluation-download",
                                      args=[world["evaluation"].pk, "pdf"]))
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()


def test_section_editor_preview_validation_and_save(clients, accounts, world):
    e, s = world["evaluation"].pk, world["section"].pk
    url = reverse("inspection:section", args=[e, s])
    preview = clients[N].post(url, {"action": "preview", "theme": "Protection", "title": "t",
                                    "bullets": "Now {cp_repeat_ever_pct | period 2024-25}"})
    assert preview.status_code == 200
    assert "Now 20.0% in 2024-25" in preview.content.decode()
    assert EvidenceBullet.objects.filter(section_id=s).count() == 2  # a preview stores nothing
    bad = clients[N].post(url, {"action": "save", "theme": "Protection", "title": "t",
                                "recommendations": "R1; DROP",
                                "bullets": "ok\n{cp_repeat_ever_pct | compare}\n{nope_pct}"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "govuk-error-summary" in body and "Bullet 2:" in body
    assert "Write recommendations as R1, R2" in body
    assert EvidenceBullet.objects.filter(section_id=s).count() == 2
    response = clients[N].post(url, {"action": "save", "theme": "Protection", "title": "Fewer repeats",
                                     "recommendations": "r1, R2",
                                     "bullets": "{cp_repeat_ever_pct | period 2024-25}\n\nSecond <b>bold</b>"})
    assert response.status_code == 302
    texts = list(EvidenceBullet.objects.filter(section_id=s).values_list("text", flat=True))
    assert texts == ["{cp_repeat_ever_pct | period 2024-25}", "Second <b>bold</b>"]
    section = world["section"].__class__.objects.get(pk=s)
    assert section.recommendations == ["R1", "R2"]
    assert section.history.first().history_user == accounts[N]
    # the old bullets' deletion is in their history too
    assert EvidenceBullet.history.filter(history_type="-").count() == 2
    html = clients[V].get(reverse("inspection:evaluation", args=[e])).content.decode()
    assert "Second &lt;b&gt;bold&lt;/b&gt;" in html and "20.0% in 2024-25" in html
    # now nothing is broken: the Word download is written
    response = clients[V].get(reverse("inspection:evaluation-download", args=[e, "docx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_pack_page_tables_and_chart_for_everyone_child_level_only_by_role(clients, accounts, world):
    html = clients[V].get(reverse("inspection:pack") + f"?as_at={AS_AT}").content.decode()
    _, counts = read_table(html, "list-counts")
    assert "Records and children in each list" in html and "journey-data" in html
    assert 'src="/inspection/pack/journey.svg?as_at=2024-03-31"' in html
    # no child is named on the aggregate page, and no link to the child-level part for a viewer
    assert ">C1<" not in html and "pack-children-link" not in html
    svg = clients[V].get(reverse("inspection:pack-journey") + f"?as_at={AS_AT}")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    # quality page: summary for the viewer, the rows naming children only for the analyst
    quality = clients[V].get(reverse("inspection:pack-quality") + f"?as_at={AS_AT}").content.decode()
    assert "L7: open case with no visit date" in quality and "quality-rows-page" not in quality
    before = AuditEvent.objects.count()
    quality = clients[N].get(reverse("inspection:pack-quality") + f"?as_at={AS_AT}").content.decode()
    assert "quality-rows-page" in quality and ">C1<" in quality
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.account, event.action) == (accounts[N], "inspection pack child-level")
    assert "data-quality rows" in event.detail and "C1" not in event.detail
    # children in several lists: C1 in L1, L3 and L7
    response = clients[N].get(reverse("inspection:pack-children") + f"?as_at={AS_AT}")
    assert "L1, L3, L7" in response.content.decode()
    event = AuditEvent.objects.order_by("-id").first()
    assert event.rows == 1 and "children in several lists" in event.detail


def test_viewer_and_manager_with_areas_cannot_reach_child_level_parts_by_url(clients, world):
    manager = signed_in(make_account(M, "area-manager", areas=["North"]))
    for client in (clients[V], manager):
        response = client.get(reverse("inspection:pack-children") + f"?as_at={AS_AT}")
        # ">C1<": the child id as page text (the bare letters can occur in the CSRF token)
        assert response.status_code == 403 and ">C1<" not in response.content.decode()
        response = client.get(reverse("inspection:pack-children") + "?as_at=nonsense")
        assert response.status_code == 403
    refused = AuditEvent.objects.filter(action="inspection pack child-level refused")
    assert refused.count() == 4


def test_pack_as_at_errors_and_download_through_a_task(clients, world, accounts):
    response = clients[V].get(reverse("inspection:pack") + "?as_at=2024-02-30")
    assert response.status_code == 400 and "Enter the as-at date like 2025-03-31" in response.content.decode()
    response = clients[V].post(reverse("inspection:pack"), {"as_at": AS_AT})
    assert response.status_code == 302 and "/tasks/" in response["Location"]
    from csc_scorecard.web.tasks.models import TaskRun

    run = TaskRun.objects.get(kind="inspection.pack")
    assert run.status == "done", run.failure
    assert sorted(run.result["files"]) == ["docx", "html", "pdf", "xlsx"]
    got = clients[V].get(reverse("inspection:pack-download", args=[run.pk, "html"]))
    body = b"".join(got.streaming_content).decode()
    assert "Records and children in each list" in body and ">C1<" not in body  # viewer: aggregate
    # another account's pack is not found for them (an admin may read it)
    assert clients[N].get(reverse("inspection:pack-download", args=[run.pk, "pdf"])).status_code == 404
    assert clients[A].get(reverse("inspection:pack-download", args=[run.pk, "pdf"])).status_code == 200
    assert clients[V].get(reverse("inspection:pack-download", args=[run.pk, "exe"])).status_code == 404


def test_self_evaluation_forms_refuse_hostile_and_huge_input(clients, world):
    e, s = world["evaluation"].pk, world["section"].pk
    response = clients[A].post(reverse("inspection:evaluation-edit", args=[e]), {
        "title": "", "period": "2024-25'; --", "inspection": "999999", "status": "published"})
    assert response.status_code == 400
    body = response.content.decode()
    for message in ("Enter a title", "Enter a period like", "Choose an inspection from the list",
                    "Choose draft or final"):
        assert message in body
    world["evaluation"].refresh_from_db()
    assert world["evaluation"].title == "Self-evaluation 2025"
    # 101 bullets, and one bullet of 3,000 characters: refused, the section unchanged
    url = reverse("inspection:section", args=[e, s])
    many = "\n".join(f"bullet {n}" for n in range(101))
    response = clients[A].post(url, {"theme": "T", "title": "t", "bullets": many})
    assert response.status_code == 400 and "at most 100 bullets" in response.content.decode()
    response = clients[A].post(url, {"theme": "T", "title": "t", "bullets": "x" * 3000})
    assert response.status_code == 400 and "longer than 2000 characters" in response.content.decode()
    assert EvidenceBullet.objects.filter(section_id=s).count() == 2
    # an unknown section or evaluation is a 404, not an error page with a traceback
    assert clients[A].get(reverse("inspection:section", args=[e, 99999])).status_code == 404
    assert clients[V].get(reverse("inspection:evaluation", args=[99999])).status_code == 404
    assert clients[V].get(reverse("inspection:recommendation", args=[world["inspection"].pk, "R99"])).status_code == 404


def _delete_urls(w) -> tuple[str, str]:
    return (reverse("inspection:recommendation-delete", args=[w["inspection"].pk, "R1"]),
            reverse("inspection:section-delete", args=[w["evaluation"].pk, w["section"].pk]))


@pytest.mark.parametrize("role", [A, N, M, V])
def test_delete_role_matrix_only_analysts_and_admins_delete(role, clients, world):
    rec_url, section_url = _delete_urls(world)
    # the confirmation pages, and the links to them, only for those who may delete
    detail = clients[role].get(reverse("inspection:detail", args=[world["inspection"].pk])).content.decode()
    evaluation = clients[role].get(reverse("inspection:evaluation", args=[world["evaluation"].pk])).content.decode()
    assert (rec_url in detail) == (role in EDIT) and (section_url in evaluation) == (role in EDIT)
    rec = clients[role].post(rec_url, {"confirm_unlink": "yes"})
    section = clients[role].post(section_url)
    if role in EDIT:
        assert (rec.status_code, section.status_code) == (302, 302)
        assert not Recommendation.objects.filter(number="R1").exists()
        assert not EvaluationSection.objects.exists() and not EvidenceBullet.objects.exists()
    else:
        assert (rec.status_code, section.status_code) == (403, 403)
        assert Recommendation.objects.filter(number="R1").exists()
        assert EvaluationSection.objects.count() == 1 and EvidenceBullet.objects.count() == 2


def test_delete_confirmation_pages_warn_and_post_with_csrf(clients, accounts, world):
    rec_url, section_url = _delete_urls(world)
    for url, button in ((rec_url, "Delete R1"), (section_url, "Delete the section")):
        html = clients[N].get(url).content.decode()
        assert "govuk-warning-text" in html and "csrfmiddlewaretoken" in html and 'method="post"' in html
        assert button in html and inline_code(html) == {"scripts": 0, "styles": 0, "handlers": 0}
    # the section's page says how many bullets go with it (the world's section has 2)
    assert "its 2 bullets will be removed" in clients[N].get(section_url).content.decode()
    client = signed_in(accounts[N])
    client.handler.enforce_csrf_checks = True
    assert client.post(rec_url, {"confirm_unlink": "yes"}).status_code == 403
    assert client.post(section_url).status_code == 403
    assert Recommendation.objects.filter(number="R1").exists() and EvaluationSection.objects.exists()
    # unknown ones: 404
    assert clients[N].get(reverse("inspection:recommendation-delete",
                                  args=[world["inspection"].pk, "R9"])).status_code == 404
    assert clients[N].post(reverse("inspection:section-delete",
                                   args=[world["evaluation"].pk, 99999])).status_code == 404


def test_deleting_a_linked_recommendation_needs_the_unlinking_confirmed_and_keeps_history(
        clients, accounts, world):
    from csc_scorecard.plans.models import Action

    # R1 names cypp/1(A)i; the plan's action ii names R1 itself: two links to go
    ii = Action.objects.get(number="ii")
    ii.recommendations = ["R1", "R2"]
    ii.save()
    rec_url, _ = _delete_urls(world)
    html = clients[A].get(rec_url).content.decode()
    _, links = read_table(html, "links-to-go")
    assert [r["action"] for r in links] == ["cypp/1(A)i", "cypp/1(A)ii"]
    assert "the number is taken off the action" in links[1]["how"]
    assert "Self-evaluation 2025: Protection" in html  # the section citing R1 is named
    # not confirmed: refused in a GOV.UK error summary, nothing changed
    response = clients[A].post(rec_url, {"confirm_unlink": "no"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Confirm that the linked improvement-plan actions" in body
    assert Recommendation.objects.filter(number="R1").exists()
    ii.refresh_from_db()
    assert ii.recommendations == ["R1", "R2"]
    # confirmed: deleted, the action unlinked, each in its history with the account
    response = clients[A].post(rec_url, {"confirm_unlink": "yes"})
    assert response.status_code == 302
    assert not Recommendation.objects.filter(number="R1").exists()
    gone = Recommendation.history.filter(number="R1").first()  # newest first
    assert gone.history_type == "-" and gone.history_user == accounts[A]
    assert gone.history_change_reason == "recommendation R1 deleted on the inspection page"
    ii.refresh_from_db()
    assert ii.recommendations == ["R2"]
    assert ii.history.first().history_user == accounts[A]
    html = clients[V].get(reverse("inspection:detail", args=[world["inspection"].pk])).content.decode()
    assert "recommendation R1 deleted on the inspection page" in html  # the inspection's history says so
    assert 'id="rec-R1"' not in html


def test_a_number_another_inspection_still_has_stays_on_the_action(clients, world):
    import datetime as dt

    from csc_scorecard.plans.models import Action

    other = Inspection.objects.create(kind="focused_visit", title="Focused visit 2024", la_code="123",
                                      start_date=dt.date(2024, 6, 3), end_date=dt.date(2024, 6, 4))
    Recommendation.objects.create(inspection=other, number="R1", text="Another R1")
    ii = Action.objects.get(number="ii")
    ii.recommendations = ["R1"]
    ii.save()
    rec_url, _ = _delete_urls(world)
    assert "another inspection also has a R1" in clients[N].get(rec_url).content.decode()
    assert clients[N].post(rec_url, {"confirm_unlink": "yes"}).status_code == 302
    ii.refresh_from_db()
    assert ii.recommendations == ["R1"]  # it may be answering the other inspection's R1
    assert list(Recommendation.objects.values_list("text", flat=True)) == ["Another R1"]


def test_deleting_a_section_records_each_deletion_with_the_account(clients, accounts, world):
    e, s = world["evaluation"].pk, world["section"].pk
    _, section_url = _delete_urls(world)
    assert clients[N].post(section_url).status_code == 302
    assert not EvaluationSection.objects.filter(pk=s).exists()
    gone = EvaluationSection.history.filter(id=s).first()
    assert gone.history_type == "-" and gone.history_user == accounts[N]
    bullets = EvidenceBullet.history.filter(history_type="-")
    assert bullets.count() == 2 and {b.history_user for b in bullets} == {accounts[N]}
    html = clients[V].get(reverse("inspection:evaluation", args=[e])).content.decode()
    assert "This self-evaluation has no sections yet." in html
    assert "section &#x27;Protection&#x27; deleted on the self-evaluation page" in html

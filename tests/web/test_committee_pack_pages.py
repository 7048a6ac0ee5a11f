"""The meeting's committee-pack page: build in the background, list, download; viewers only
ever see and download the published pack."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from csc_scorecard.accounts.models import Role
from csc_scorecard.plans import models as pm
from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.results.models import IndicatorValue
from csc_scorecard.scrutiny import models as sm

from .web_helpers import inline_code

A, N, V = Role.ANALYST, Role.MANAGER, Role.VIEWER
NOW = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)


@pytest.fixture
def meeting(db):
    from csc_scorecard.services.plans import import_plan_file

    import_plan_file(DEMO_PLAN)
    IndicatorValue.objects.create(indicator_id="assessments_45wd_pct", period="2024-25-Q4", la_code="999",
                                  numerator=70, denominator=100, value=70.0, computed_at=NOW)
    c = sm.Committee.objects.create(slug="cf", name="Children and Families Scrutiny Committee")
    this = sm.Meeting.objects.create(committee=c, date=dt.date(2025, 5, 16))
    sm.WorkProgrammeItem.objects.create(meeting=this, order=1, title="Programme 3 highlight report",
                                        paper_type="highlight_report", period="2024-25-Q4",
                                        programme=pm.Programme.objects.get(number=3))
    sm.WorkProgrammeItem.objects.create(meeting=this, order=2, title="Scrutiny work programme and tracker",
                                        paper_type="other")
    return this


def _url(meeting):
    return reverse("committee_packs:meeting", args=[meeting.committee.slug, meeting.date.isoformat()])


def test_build_list_and_download(meeting, clients):
    from csc_scorecard.web.tasks.models import TaskRun

    # the meeting's page links to the pack page
    meeting_page = clients[V].get(reverse("scrutiny:meeting", args=["cf", meeting.date])).content.decode()
    assert f'href="{_url(meeting)}"' in meeting_page
    page = clients[A].get(_url(meeting))
    html = page.content.decode()
    assert page.status_code == 200 and "Build the committee pack" in html
    assert inline_code(html) == {"scripts": 0, "styles": 0, "handlers": 0}
    response = clients[A].post(_url(meeting), {"mode": "publication"})
    assert response.status_code == 302  # to the task's page; the test backend ran it already
    published = TaskRun.objects.get(kind="scrutiny.committee_pack")
    assert published.status == "done", published.failure
    assert set(published.result["files"]) == {"pdf", "docx"}
    assert published.result["parts"] == 3  # highlight report, then tracker and work programme
    # the viewer (a scrutiny member) sees the published pack and downloads it, but builds nothing
    viewer_page = clients[V].get(_url(meeting)).content.decode()
    assert "Published pack (final, small numbers suppressed)" in viewer_page
    assert "Build the committee pack" not in viewer_page
    pdf = clients[V].get(reverse("committee_packs:download", args=[published.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert clients[V].post(_url(meeting), {"mode": "publication"}).status_code == 403
    # a draft is for officers: a viewer neither sees it listed nor downloads it
    clients[N].post(_url(meeting), {"mode": "draft"})
    draft = TaskRun.objects.filter(kind="scrutiny.committee_pack").exclude(pk=published.pk).get()
    assert draft.status == "done", draft.failure
    assert "Draft for officers" in clients[A].get(_url(meeting)).content.decode()
    assert "Draft for officers" not in clients[V].get(_url(meeting)).content.decode()
    assert clients[V].get(reverse("committee_packs:download", args=[draft.pk, "pdf"])).status_code == 403
    docx = clients[N].get(reverse("committee_packs:download", args=[draft.pk, "docx"]))
    assert b"".join(docx.streaming_content)[:2] == b"PK"
    assert clients[A].get(reverse("committee_packs:download", args=[draft.pk, "exe"])).status_code == 404


def test_refusals(meeting, clients):
    from csc_scorecard.web.tasks.models import TaskRun

    bad = clients[A].post(_url(meeting), {"mode": "everything"})
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
    assert 'href="#mode"' in bad.content.decode()
    assert not TaskRun.objects.exists()
    assert clients[A].get(reverse("committee_packs:meeting", args=["cf", "2025-05-17"])).status_code == 404
    assert clients[A].get("/scrutiny/cf/2025-13-40/pack/").status_code == 404  # no such day
    assert clients[A].get(reverse("committee_packs:meeting", args=["nobody", "2025-05-16"])).status_code == 404
    from django.test import Client

    signed_out = Client().get(_url(meeting))
    assert signed_out.status_code == 302 and "sign-in" in signed_out["Location"]


def test_a_pack_that_cannot_be_built_says_why(meeting, clients):
    from csc_scorecard.web.tasks.models import TaskRun

    sm.WorkProgrammeItem.objects.create(meeting=meeting, order=3, title="Annual report",
                                        paper_type="performance_report", report_kind="annual")  # no period
    clients[A].post(_url(meeting), {"mode": "draft"})
    run = TaskRun.objects.get(kind="scrutiny.committee_pack")
    assert run.status == "failed"
    assert run.failure.startswith("The pack could not be built: agenda item 3 (Annual report)")

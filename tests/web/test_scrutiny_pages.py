"""Scrutiny pages: every role reads the work programme and tracker; who may update and override."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from csc_scorecard.accounts.models import Role
from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.scrutiny import models as m
from csc_scorecard.scrutiny.demo import DEMO_SCRUTINY
from csc_scorecard.services.plans import import_plan_file
from csc_scorecard.services.scrutiny import import_scrutiny_file

from .web_helpers import inline_code, signed_in

pytestmark = pytest.mark.django_db
A, N, M, V = Role.ADMIN, Role.ANALYST, Role.MANAGER, Role.VIEWER
SLUG = "children-families"


@pytest.fixture()
def committee(db):
    import_plan_file(DEMO_PLAN, author="test")
    import_scrutiny_file(DEMO_SCRUTINY)


def _item(day: str, number: int) -> m.TrackerItem:
    return m.TrackerItem.objects.get(meeting__date=day, number=number)


def _pages():
    quiet = _item("2024-11-18", 2)
    return {
        "committees": reverse("scrutiny:committees"),
        "work-programme": reverse("scrutiny:work-programme", args=[SLUG]),
        "meeting": reverse("scrutiny:meeting", args=[SLUG, "2025-05-19"]),
        "tracker": reverse("scrutiny:tracker", args=[SLUG]) + "?as_of-day=19&as_of-month=5&as_of-year=2025",
        "item": reverse("scrutiny:item", args=[SLUG, quiet.pk]),
    }


def _statuses(html: str) -> dict[int, str]:
    found = re.findall(r'data-item="(\d+)">.*?data-status="(\w+)"', html, flags=re.S)
    return {int(pk): status for pk, status in found}


@pytest.mark.parametrize("role", [A, N, M, V])
def test_every_role_reads_every_page_with_no_inline_code(role, clients, committee):
    for name, url in _pages().items():
        response = clients[role].get(url)
        assert response.status_code == 200, (name, response.content[:300])
        html = response.content.decode()
        assert inline_code(html) == {"scripts": 0, "styles": 0, "handlers": 0}, name
        assert 'class="govuk-service-navigation__link" href="/scrutiny/"' in html  # the nav link


def test_viewers_see_no_forms_and_staff_see_theirs(clients, committee):
    url = _pages()["item"]
    forms = {role: re.findall(r'name="form" value="(\w+)"', clients[role].get(url).content.decode())
             for role in (A, N, M, V)}
    assert forms == {A: ["update", "override"], N: ["update", "override"], M: ["update"], V: []}


def test_the_meeting_page_shows_its_tracker_and_agenda(clients, committee):
    html = clients[V].get(_pages()["meeting"]).content.decode()
    # the 19 May 2025 tracker: 7 of the 8 items (the one completed in Sep 2024 was reported in Sep)
    statuses = _statuses(html)
    assert len(statuses) == 7 and _item("2024-05-20", 1).pk not in statuses
    assert statuses[_item("2024-11-18", 1).pk] == "Completed"
    assert statuses[_item("2024-11-18", 2).pk] == "Incomplete"
    assert "Set to Pending on 1 May 2025: Checks are booked" in html
    assert re.findall(r'<ol class="govuk-list govuk-list--number" id="agenda">(.*?)</ol>', html, re.S)[0].count("<li>") == 6
    assert "The committee pack for this meeting" not in html  # the pack's place is a comment until filled


def test_the_tracker_on_a_date_applies_the_three_month_boundary(clients, committee):
    quiet = _item("2024-11-18", 2)  # agreed 18 Nov 2024, never updated
    base = reverse("scrutiny:tracker", args=[SLUG])
    day_before = clients[V].get(base + "?as_of-day=17&as_of-month=2&as_of-year=2025").content.decode()
    on_the_day = clients[V].get(base + "?as_of-day=18&as_of-month=2&as_of-year=2025").content.decode()
    assert _statuses(day_before)[quiet.pk] == "Pending"
    assert _statuses(on_the_day)[quiet.pk] == "Incomplete"
    assert "3 months reached 18 February 2025" in on_the_day
    # by 18 Feb 2025 five meetings had agreed 1+1+1+2+2 = 7 items; March's item is not shown yet
    assert len(_statuses(on_the_day)) == 7


@pytest.mark.parametrize(("query", "message"), [
    ("as_of-day=31&as_of-month=2&as_of-year=2025", "The date to show the tracker on must be a real date"),
    ("as_of-day=&as_of-month=2&as_of-year=2025", "The date to show the tracker on must include a day"),
    ("as_of-day=x&as_of-month=y&as_of-year=z", "must be a real date"),
    ("as_of-day=1&as_of-month=1&as_of-year=20255", "must be a real date"),  # not cut to 2025
])
def test_a_bad_tracker_date_gets_an_error_summary(clients, committee, query, message):
    response = clients[V].get(reverse("scrutiny:tracker", args=[SLUG]) + "?" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html and 'href="#as_of-day"' in html


def _post(client, url, **data):
    return client.post(url, data)


@pytest.mark.parametrize("role", [A, N, M])
def test_staff_add_an_update_and_it_keeps_the_item_pending(role, clients, committee, accounts):
    quiet = _item("2024-11-18", 2)
    url = _pages()["item"]
    response = _post(clients[role], url, form="update", **{"date-day": "1", "date-month": "3", "date-year": "2025"},
                     text="Recruitment plan drafted; goes to the workforce board in April.")
    assert response.status_code == 302 and response["Location"].endswith("?saved=update")
    update = m.TrackerUpdate.objects.get(item=quiet)
    assert (update.date, update.author) == (dt.date(2025, 3, 1), accounts[role].username)
    assert update.history.get().history_user == accounts[role]
    # as of 19 May 2025 the clock runs from 1 March: Pending (3 months on 1 June)
    html = clients[V].get(_pages()["tracker"]).content.decode()
    assert _statuses(html)[quiet.pk] == "Pending"


def test_a_viewer_cannot_post_an_update_or_an_override(clients, committee):
    url = _pages()["item"]
    update = _post(clients[V], url, form="update", **{"date-day": "1", "date-month": "3", "date-year": "2025"},
                   text="x")
    override = _post(clients[M], url, form="override", status="Pending", reason="x")
    viewer_override = _post(clients[V], url, form="override", status="Pending", reason="x")
    assert (update.status_code, override.status_code, viewer_override.status_code) == (403, 403, 403)
    assert m.TrackerUpdate.objects.filter(item=_item("2024-11-18", 2)).count() == 0
    assert _item("2024-11-18", 2).status_override == ""


def test_update_mistakes_get_an_error_summary_and_change_nothing(clients, committee):
    url = _pages()["item"]
    blank = _post(clients[N], url, form="update", **{"date-day": "", "date-month": "", "date-year": ""}, text=" ")
    html = blank.content.decode()
    assert blank.status_code == 400
    assert 'href="#date-day">Enter the date of the update</a>' in html and 'href="#text">Enter the update</a>' in html
    early = _post(clients[N], url, form="update", **{"date-day": "1", "date-month": "11", "date-year": "2024"},
                  text="before the meeting")
    assert early.status_code == 400 and "on or after 2024-11-18" in early.content.decode()
    future = dt.date.today() + dt.timedelta(days=2)
    ahead = _post(clients[N], url, form="update", **{"date-day": str(future.day), "date-month": str(future.month),
                                                   "date-year": str(future.year)}, text="tomorrow")
    assert ahead.status_code == 400 and "cannot be in the future" in ahead.content.decode()
    assert m.TrackerUpdate.objects.filter(item=_item("2024-11-18", 2)).count() == 0


def test_override_needs_a_reason_then_shows_with_it(clients, committee, accounts):
    quiet = _item("2024-11-18", 2)
    url = _pages()["item"]
    refused = _post(clients[N], url, form="override", status="Pending", reason="  ")
    assert refused.status_code == 400
    assert 'href="#reason">Give the reason for overriding the status</a>' in refused.content.decode()
    assert _item("2024-11-18", 2).status_override == ""
    done = _post(clients[A], url, form="override", status="Pending", reason="Plan delayed by the restructure")
    assert done.status_code == 302
    page = clients[V].get(url).content.decode()
    assert "Set to Pending on " in page and "Plan delayed by the restructure" in page
    assert f"status set to Pending by {accounts[A].username}: Plan delayed by the restructure" in page  # history
    assert _item("2024-11-18", 2).status_override == "Pending" and quiet.history.count() == 2


def test_unknown_committee_meeting_or_item_is_not_found(clients, committee):
    other = _item("2024-11-18", 2).pk + 1000
    for url in (reverse("scrutiny:work-programme", args=["nope"]),
                reverse("scrutiny:meeting", args=[SLUG, "2025-05-20"]),
                reverse("scrutiny:meeting", args=[SLUG, "2025-02-30"]),
                reverse("scrutiny:item", args=[SLUG, other])):
        assert clients[V].get(url).status_code == 404, url


def test_the_item_form_needs_its_csrf_token(accounts, committee):
    client = signed_in(accounts[A])
    client.handler.enforce_csrf_checks = True
    response = client.post(_pages()["item"], {"form": "override", "status": "Pending", "reason": "x"})
    assert response.status_code == 403 and _item("2024-11-18", 2).status_override == ""


def test_signed_out_is_sent_to_sign_in(committee):
    from django.test import Client

    for name, url in _pages().items():
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), name

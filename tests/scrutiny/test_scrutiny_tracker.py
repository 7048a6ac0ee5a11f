"""The tracker through the service: statuses per meeting, updates and overrides with who and why."""

import datetime as dt

import pytest

from csc_scorecard.accounts.models import User
from csc_scorecard.scrutiny import models as m
from csc_scorecard.services import scrutiny as svc

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def people():
    return {role: User.objects.create_user(f"{role[:3]}", role=role)
            for role in ("admin", "analyst", "manager", "viewer")}


@pytest.fixture
def committee():
    c = m.Committee.objects.create(slug="cf", name="Children and Families Scrutiny Committee")
    for day in (D(2024, 1, 15), D(2024, 3, 11), D(2024, 5, 13), D(2024, 7, 8)):
        m.Meeting.objects.create(committee=c, date=day)
    return c


def _item(committee, agreed, outcome, **kw):
    meeting = committee.meetings.get(date=agreed)
    return m.TrackerItem.objects.create(meeting=meeting, number=meeting.tracker_items.count() + 1,
                                        agenda_item="Item", agreed_outcome=outcome, **kw)


def test_tracker_for_each_meeting(committee):
    done = _item(committee, D(2024, 1, 15), "done in Feb", completed_on=D(2024, 2, 20))
    quiet = _item(committee, D(2024, 1, 15), "no word since")
    _item(committee, D(2024, 3, 11), "agreed in March", due_date=D(2024, 12, 31))
    march = svc.tracker_as_of("cf", D(2024, 3, 11), for_meeting=svc.meeting("cf", D(2024, 3, 11)))
    # March: both January items (done shown once, quiet 15 Jan -> 11 Mar under 3 months); not March's own
    assert [(r.item.agreed_outcome, r.status) for r in march] == [
        ("done in Feb", "Completed"), ("no word since", "Pending")]
    may = svc.tracker_as_of("cf", D(2024, 5, 13), for_meeting=svc.meeting("cf", D(2024, 5, 13)))
    # May: the completed item is gone; quiet is Incomplete (15 Apr reached); March's item Pending (due Dec)
    assert [(r.item.pk, r.status) for r in may] == [(quiet.pk, "Incomplete"),
                                                   (quiet.pk + 1, "Pending")]
    master = svc.tracker_as_of("cf", D(2024, 5, 13))
    assert [r.item.pk for r in master] == [done.pk, quiet.pk, quiet.pk + 1]  # the master copy keeps it


def test_an_update_keeps_an_item_pending_and_is_in_the_history(committee, people):
    quiet = _item(committee, D(2024, 1, 15), "no word since")
    svc.add_update(quiet.pk, D(2024, 4, 15), "Officer met the schools forum", people["manager"])
    row = svc.tracker_as_of("cf", D(2024, 5, 13))[0]
    assert row.status == "Pending" and [u.text for u in row.updates] == ["Officer met the schools forum"]
    history = m.TrackerUpdate.history.get()
    assert history.history_user == people["manager"] and history.history_type == "+"
    assert history.history_change_reason == "update added by man"


def test_viewers_cannot_add_updates_and_nobody_adds_a_blank_or_misdated_one(committee, people):
    quiet = _item(committee, D(2024, 1, 15), "x")
    with pytest.raises(svc.ScrutinyPermissionDenied):
        svc.add_update(quiet.pk, D(2024, 2, 1), "text", people["viewer"])
    with pytest.raises(svc.ScrutinyInputError, match="Enter the update"):
        svc.add_update(quiet.pk, D(2024, 2, 1), "   ", people["analyst"])
    with pytest.raises(svc.ScrutinyInputError, match="on or after 2024-01-15"):
        svc.add_update(quiet.pk, D(2024, 1, 14), "too early", people["analyst"])
    with pytest.raises(svc.ScrutinyInputError, match="future"):
        svc.add_update(quiet.pk, D(2024, 2, 2), "tomorrow", people["analyst"], today=D(2024, 2, 1))
    assert m.TrackerUpdate.objects.count() == 0


def test_override_needs_a_reason_and_the_right_role(committee, people):
    quiet = _item(committee, D(2024, 1, 15), "x")
    with pytest.raises(svc.ScrutinyInputError, match="reason"):
        svc.override_status(quiet.pk, "Pending", "  ", people["analyst"])
    with pytest.raises(svc.ScrutinyPermissionDenied):
        svc.override_status(quiet.pk, "Pending", "because", people["manager"])
    with pytest.raises(ValueError, match="unknown status"):
        svc.override_status(quiet.pk, "Green", "because", people["admin"])
    quiet.refresh_from_db()
    assert quiet.status_override == "" and quiet.history.count() == 1  # only its creation
    svc.override_status(quiet.pk, "Pending", "Report deferred to July by the chair", people["analyst"],
                        on=D(2024, 5, 1))
    row = svc.tracker_as_of("cf", D(2024, 5, 13))[0]
    assert (row.status, row.overridden) == ("Pending", True)
    assert row.reason == "Set to Pending on 1 May 2024: Report deferred to July by the chair"
    svc.override_status(quiet.pk, svc.CLEAR, "Chair withdrew the deferral", people["admin"])
    assert svc.tracker_as_of("cf", D(2024, 5, 13))[0].status == "Incomplete"
    reasons = [h.history_change_reason for h in quiet.history.order_by("history_date")]
    assert reasons == [None, "status set to Pending by ana: Report deferred to July by the chair",
                       "override cleared by adm: Chair withdrew the deferral"]


def test_the_database_refuses_an_override_without_a_reason(committee):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        _item(committee, D(2024, 1, 15), "x", status_override="Completed")


def test_lookups_name_the_choices(committee):
    with pytest.raises(svc.ScrutinyNotFound, match="committees: cf"):
        svc.committee("nope")
    with pytest.raises(svc.ScrutinyNotFound, match="no meeting of 'cf' on 2024-02-01"):
        svc.meeting("cf", D(2024, 2, 1))
    assert svc.next_meeting("cf", D(2024, 3, 12)).date == D(2024, 5, 13)


def test_an_update_or_reason_over_the_limit_is_refused_whole(committee, people):
    quiet = _item(committee, D(2024, 1, 15), "x")
    with pytest.raises(svc.ScrutinyInputError, match="5,000 characters or fewer"):
        svc.add_update(quiet.pk, D(2024, 2, 1), "x" * 5001, people["analyst"])
    with pytest.raises(svc.ScrutinyInputError, match="5,000 characters or fewer"):
        svc.override_status(quiet.pk, "Pending", "y" * 5001, people["analyst"])
    svc.add_update(quiet.pk, D(2024, 2, 1), "x" * 5000, people["analyst"])  # the limit itself is fine
    quiet.refresh_from_db()
    assert m.TrackerUpdate.objects.count() == 1 and quiet.status_override == ""


def test_a_closed_linked_action_prompts_the_officer_but_does_not_complete_the_item(committee, people):
    from django.utils import timezone

    from csc_scorecard.plans import models as pm
    from csc_scorecard.services.plans import update_action

    plan = pm.Plan.objects.create(reference="cypp", title="CYPP")
    programme = pm.Programme.objects.create(plan=plan, number=6, title="Social work")
    objective = pm.Objective.objects.create(programme=programme, letter="A", text="Sufficiency")
    action = pm.Action.objects.create(objective=objective, number="i", text="Recruit carers", status="A")
    linked = _item(committee, D(2024, 1, 15), "report on carers", action=action)
    _item(committee, D(2024, 1, 15), "unlinked")
    today = timezone.localdate()
    assert svc.tracker_row(linked.pk, today).prompt == ""  # open action: nothing to say
    update_action(people["analyst"], action, status="B")  # closed today
    row = svc.tracker_row(linked.pk, today)
    assert row.status != "Completed"  # the committee's outcome is the clerk's call
    assert row.prompt == (f"The linked plan action {action.reference} was closed (Blue) on "
                          f"{today.day} {today:%B %Y}: record the completion if the committee's "
                          "outcome is met.")
    # the tracker as it stood before the closing says nothing; the unlinked item never does
    assert svc.tracker_row(linked.pk, today - dt.timedelta(days=1)).prompt == ""
    assert [r.prompt != "" for r in svc.tracker_as_of("cf", today)] == [True, False]
    # once completed, no prompt
    linked.completed_on = today
    linked.save()
    assert svc.tracker_row(linked.pk, today).prompt == ""

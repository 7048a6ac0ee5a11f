"""Store a checked scrutiny file (one transaction) and dump stored committees back to the template.

The file is the whole record of each committee it lists: committees are
matched by id, meetings by date, work-programme items by their order at the
meeting, tracker items by their number at the meeting, updates by date and
text.  An unchanged row is not saved again (the history shows real changes
only); a stored row of a listed committee that the file no longer has is
deleted (the history keeps it).  Committees the file does not list are left
alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from csc_scorecard.plans.store import StoreSummary, Writer
from csc_scorecard.scrutiny import models as m
from csc_scorecard.scrutiny.template import ParsedScrutiny

__all__ = ["dump_scrutiny", "store_scrutiny"]

_WP_FIELDS = ("title", "paper_type", "plan", "programme", "report_kind", "period", "lead_member",
              "lead_officer", "notes")
_TRACKER_FIELDS = ("agenda_item", "programme", "action", "action_owner", "agreed_outcome", "due_date",
                   "completed_on", "status_override", "override_reason", "override_on")


def store_scrutiny(parsed: ParsedScrutiny, *, account: Any = None, reason: str = "",
                   replace: bool = False) -> StoreSummary:
    """Store the file; rows made in the browser that it would delete or change back refuse it
    (plans.store.WebChangesWouldBeLost) unless ``replace``."""
    summary = StoreSummary()
    writer = Writer(account, reason[:100], summary, replace=replace)
    with transaction.atomic():
        for row in parsed.committees:
            committee = writer.put(m.Committee, {"slug": row["slug"]}, {"name": row["name"], "remit": row["remit"]})
            _store_committee(writer, committee, parsed)
        writer.refuse_lost_browser_rows()
    summary.counts = {
        "committees": len(parsed.committees), "meetings": len(parsed.meetings),
        "work programme items": len(parsed.work_programme), "tracker items": len(parsed.tracker),
        "tracker updates": len(parsed.tracker_updates),
    }
    return summary


def _store_committee(writer: Writer, committee: m.Committee, parsed: ParsedScrutiny) -> None:
    slug = committee.slug
    meetings: dict[dt.date, m.Meeting] = {}
    for row in (r for r in parsed.meetings if r["committee"] == slug):
        meetings[row["date"]] = writer.put(m.Meeting, {"committee": committee, "date": row["date"]},
                                           {"title": row["title"], "location": row["location"]})
    writer.delete_except(committee.meetings.all(), {x.id for x in meetings.values()})
    keep_items: dict[int, set[int]] = {x.id: set() for x in meetings.values()}
    for row in (r for r in parsed.work_programme if r["committee"] == slug):
        meeting = meetings[row["meeting"]]
        item = writer.put(m.WorkProgrammeItem, {"meeting": meeting, "order": row["order"]},
                          {k: row[k] for k in _WP_FIELDS})
        keep_items[meeting.id].add(item.id)
    keep_tracker: dict[int, set[int]] = {x.id: set() for x in meetings.values()}
    tracked: dict[tuple[dt.date, int], m.TrackerItem] = {}
    for row in (r for r in parsed.tracker if r["committee"] == slug):
        meeting = meetings[row["meeting"]]
        item = writer.put(m.TrackerItem, {"meeting": meeting, "number": row["number"]},
                          {k: row[k] for k in _TRACKER_FIELDS})
        keep_tracker[meeting.id].add(item.id)
        tracked[(row["meeting"], row["number"])] = item
    keep_updates: dict[int, set[int]] = {x.id: set() for x in tracked.values()}
    for row in (r for r in parsed.tracker_updates if r["committee"] == slug):
        item = tracked[(row["meeting"], row["item"])]
        update = writer.put(m.TrackerUpdate, {"item": item, "date": row["date"], "text": row["text"]},
                            {"author": row["author"]})
        keep_updates[item.id].add(update.id)
    for meeting in meetings.values():
        writer.delete_except(meeting.items.all(), keep_items[meeting.id])
        writer.delete_except(meeting.tracker_items.all(), keep_tracker[meeting.id])
    for item in tracked.values():
        writer.delete_except(item.updates.all(), keep_updates[item.id])


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def dump_scrutiny(committee_slug: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Stored committees (all, or one) as the template's sheets (rows of column -> value)."""
    committees = m.Committee.objects.all()
    if committee_slug:
        committees = committees.filter(slug=committee_slug)
    meetings = m.Meeting.objects.filter(committee__in=committees).select_related("committee").order_by(
        "committee__slug", "date")
    items = m.WorkProgrammeItem.objects.filter(meeting__in=meetings).select_related(
        "meeting__committee", "plan", "programme__plan").order_by("meeting__committee__slug", "meeting__date",
                                                                   "order")
    tracker = m.TrackerItem.objects.filter(meeting__in=meetings).select_related(
        "meeting__committee", "programme__plan", "action__objective__programme__plan").order_by(
        "meeting__committee__slug", "meeting__date", "number")
    updates = m.TrackerUpdate.objects.filter(item__in=tracker).select_related("item__meeting__committee").order_by(
        "item__meeting__committee__slug", "item__meeting__date", "item__number", "date", "id")

    def where(meeting: m.Meeting) -> dict[str, str]:
        return {"committee": meeting.committee.slug, "meeting": meeting.date.isoformat()}

    def links(plan: Any, programme: Any, action: Any = None) -> dict[str, Any]:
        plan = plan or (programme.plan if programme else None) or (
            action.objective.programme.plan if action else None)
        return {"plan": plan.reference if plan else "", "programme": programme.number if programme else "",
                "action": action.reference if action else ""}

    return {
        "committees": [{"committee": c.slug, "name": c.name, "remit": c.remit} for c in committees.order_by("slug")],
        "meetings": [{"committee": x.committee.slug, "date": x.date.isoformat(), "title": x.title,
                      "location": x.location} for x in meetings],
        "work_programme": [{**where(i.meeting), "order": i.order, "title": i.title, "paper_type": i.paper_type,
                            **links(i.plan, i.programme), "report_kind": i.report_kind, "period": i.period,
                            "lead_member": i.lead_member, "lead_officer": i.lead_officer, "notes": i.notes}
                           for i in items],
        "tracker": [{**where(t.meeting), "item": t.number, "agenda_item": t.agenda_item,
                     **links(None, t.programme, t.action), "action_owner": t.action_owner,
                     "agreed_outcome": t.agreed_outcome, "due_date": _day(t.due_date),
                     "completed_on": _day(t.completed_on), "status_override": t.status_override,
                     "override_reason": t.override_reason, "override_on": _day(t.override_on)} for t in tracker],
        "tracker_updates": [{**where(u.item.meeting), "item": u.item.number, "date": u.date.isoformat(),
                             "text": u.text, "author": u.author} for u in updates],
    }

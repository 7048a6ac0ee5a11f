"""Scrutiny committees for every front end: meetings, work programme, outcome tracker.

* :func:`committees`, :func:`committee`, :func:`meetings`, :func:`meeting` - look-ups
  that raise :class:`ScrutinyNotFound` with the known choices named.
* :func:`work_programme`, :func:`agenda` - items in agenda order.
* :func:`tracker_as_of` - the tracker with each item's derived status and its
  reason (rule: :mod:`csc_scorecard.scrutiny.status`, docs/scrutiny.md).
* :func:`add_update`, :func:`override_status` - the only ways a person changes
  a tracker item, with the permission rule here for every front end: analysts,
  admins and managers add updates; analysts and admins override; viewers
  (scrutiny members) read only.  Each change is kept in the model's history
  with the account.
* :func:`import_scrutiny_file`, :func:`export_scrutiny_file` - the template.

Nothing here touches child-level data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from csc_scorecard.scrutiny.status import (
    StatusJudgement,
    TrackerStatus,
    shown_at_meeting,
    tracker_status,
)
from csc_scorecard.scrutiny.template import ScrutinyFileError

if TYPE_CHECKING:
    from csc_scorecard.scrutiny.models import (
        Committee,
        Meeting,
        TrackerItem,
        TrackerUpdate,
        WorkProgrammeItem,
    )

__all__ = [
    "ScrutinyFileError",
    "ScrutinyInputError",
    "ScrutinyNotFound",
    "ScrutinyPermissionDenied",
    "Change",
    "TrackerRow",
    "add_update",
    "agenda",
    "can_add_update",
    "can_override",
    "committee",
    "committees",
    "export_scrutiny_file",
    "import_scrutiny_file",
    "item_history",
    "meeting",
    "meetings",
    "next_meeting",
    "override_status",
    "tracker_as_of",
    "tracker_item",
    "tracker_row",
    "work_programme",
]

TEXT_LIMIT = 5000  # characters in an update or a reason: a tracker entry, not a report
UPDATE_ROLES = ("admin", "analyst", "manager")
OVERRIDE_ROLES = ("admin", "analyst")
CLEAR = ""  # override_status(..., CLEAR, reason) returns an item to its derived status


class ScrutinyNotFound(LookupError):
    pass


class ScrutinyPermissionDenied(PermissionDenied, PermissionError):
    """The account may not change the tracker this way."""


class ScrutinyInputError(ValueError):
    """A change refused for its content (no text, no reason, a date out of range).

    ``errors`` maps the form field to its message (what a page's error summary lists).
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class TrackerRow:
    item: TrackerItem
    updates: list[TrackerUpdate]
    status: TrackerStatus
    reason: str
    overridden: bool
    judgement: StatusJudgement = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    # for the officers' pages: a closed linked plan action the tracker does not yet show
    # as completed ("" when there is none; the status itself is the committee's call)
    prompt: str = ""

    @property
    def meeting(self) -> Meeting:
        """The meeting where the action was agreed."""
        return self.item.meeting


# --------------------------------------------------------------------------
# Look-ups
# --------------------------------------------------------------------------


def committees() -> list[Committee]:
    from csc_scorecard.scrutiny.models import Committee

    return list(Committee.objects.all())


def committee(slug: str) -> Committee:
    from csc_scorecard.scrutiny.models import Committee

    found = Committee.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(Committee.objects.values_list("slug", flat=True)) or "none stored"
        raise ScrutinyNotFound(f"no committee {slug!r} (committees: {known})")
    return found


def meetings(committee_slug: str) -> list[Meeting]:
    return list(committee(committee_slug).meetings.all())


def meeting(committee_slug: str | None, date: dt.date) -> Meeting:
    """The meeting on ``date`` (of the committee, or of the only committee meeting that day)."""
    from csc_scorecard.scrutiny.models import Meeting

    found = Meeting.objects.filter(date=date).select_related("committee")
    if committee_slug:
        found = found.filter(committee=committee(committee_slug))
    hits = list(found)
    if not hits:
        where = f" of {committee_slug!r}" if committee_slug else ""
        raise ScrutinyNotFound(f"no meeting{where} on {date.isoformat()}")
    if len(hits) > 1:
        raise ScrutinyNotFound(f"several committees meet on {date.isoformat()} ("
                               + ", ".join(m.committee.slug for m in hits) + "); choose one with --committee")
    return hits[0]


def next_meeting(committee_slug: str, on: dt.date) -> Meeting | None:
    """The committee's first meeting on or after ``on`` (None when none is planned)."""
    return committee(committee_slug).meetings.filter(date__gte=on).order_by("date").first()


def work_programme(committee_slug: str) -> list[tuple[Meeting, list[WorkProgrammeItem]]]:
    """Every meeting of the committee, in date order, with its items in agenda order."""
    found = committee(committee_slug).meetings.prefetch_related(
        "items__programme__plan", "items__plan").order_by("date")
    return [(m, sorted(m.items.all(), key=lambda i: (i.order, i.id))) for m in found]


def agenda(meeting: Meeting) -> list[WorkProgrammeItem]:
    return list(meeting.items.select_related("programme__plan", "plan").order_by("order", "id"))


def tracker_item(item_id: int) -> TrackerItem:
    from csc_scorecard.scrutiny.models import TrackerItem

    found = TrackerItem.objects.select_related("meeting__committee").filter(pk=item_id).first()
    if found is None:
        raise ScrutinyNotFound(f"no tracker item {item_id}")
    return found


# --------------------------------------------------------------------------
# The tracker
# --------------------------------------------------------------------------


def tracker_as_of(committee_slug: str, as_of: dt.date, for_meeting: Meeting | None = None) -> list[TrackerRow]:
    """The tracker on ``as_of``: each item agreed by then, with its derived status.

    Without ``for_meeting`` this is the master copy: every item agreed at a
    meeting on or before ``as_of``.  With it, the tracker reported to that
    meeting: items agreed at earlier meetings, a Completed item only at the
    first meeting after its completion.
    """
    from csc_scorecard.scrutiny.models import TrackerItem

    chosen = committee(committee_slug)
    items = TrackerItem.objects.filter(meeting__committee=chosen).select_related(
        "meeting__committee", "programme__plan", "action__objective__programme").prefetch_related("updates")
    if for_meeting is not None:
        items = items.filter(meeting__date__lt=for_meeting.date)
    else:
        items = items.filter(meeting__date__lte=as_of)
    meeting_days = list(chosen.meetings.values_list("date", flat=True))
    rows = []
    for item in items.order_by("meeting__date", "number", "id"):
        updates = [u for u in item.updates.all() if u.date <= as_of]
        judgement = tracker_status(item, updates, as_of)
        if for_meeting is not None and not shown_at_meeting(item, judgement, for_meeting.date, meeting_days):
            continue
        rows.append(TrackerRow(item, updates, judgement.status, judgement.reason, judgement.overridden,
                               judgement, closed_action_prompt(item, judgement.status, as_of)))
    return rows


def closed_action_prompt(item: TrackerItem, status: TrackerStatus, as_of: dt.date) -> str:
    """When the item's linked plan action was closed (Blue) by ``as_of`` and the item is not
    Completed: the sentence asking the officer to record the completion if the outcome is met.
    Closing an action does not complete the committee's outcome by itself."""
    action = item.action
    if action is None or action.status != "B" or status == TrackerStatus.COMPLETED:
        return ""
    closed: dt.date | None = None
    previous = None
    for record in action.history.order_by("history_date", "history_id"):
        if record.status == "B" and previous != "B":
            closed = timezone.localdate(record.history_date)
        previous = record.status
    if closed is None or closed > as_of:
        return ""
    return (f"The linked plan action {action.reference} was closed (Blue) on {closed.day} "
            f"{closed:%B %Y}: record the completion if the committee's outcome is met.")


def tracker_row(item_id: int, as_of: dt.date) -> TrackerRow:
    """One tracker item with its updates to ``as_of`` and its status that day."""
    item = tracker_item(item_id)
    updates = [u for u in item.updates.order_by("date", "id") if u.date <= as_of]
    judgement = tracker_status(item, updates, as_of)
    return TrackerRow(item, updates, judgement.status, judgement.reason, judgement.overridden, judgement,
                      closed_action_prompt(item, judgement.status, as_of))


@dataclass(frozen=True)
class Change:
    when: dt.datetime
    who: str
    what: str


def item_history(item_id: int) -> list[Change]:
    """Who changed a tracker item and its updates, and why, newest first (from the kept history)."""
    from csc_scorecard.scrutiny.models import TrackerUpdate

    item = tracker_item(item_id)
    kinds = {"+": "added", "~": "changed", "-": "removed"}
    changes = [Change(h.history_date, h.history_user.username if h.history_user else "",
                      h.history_change_reason or f"item {kinds[h.history_type]}") for h in item.history.all()]
    changes += [Change(h.history_date, h.history_user.username if h.history_user else "",
                       h.history_change_reason or f"update of {h.date.isoformat()} {kinds[h.history_type]}")
                for h in TrackerUpdate.history.filter(item_id=item.pk)]
    return sorted(changes, key=lambda c: c.when, reverse=True)


def _role(account: Any) -> str:
    if account is None or not account.is_active:
        return ""
    return "admin" if account.is_superuser else str(account.role)


def can_add_update(account: Any) -> bool:
    return _role(account) in UPDATE_ROLES


def can_override(account: Any) -> bool:
    return _role(account) in OVERRIDE_ROLES


def _who(account: Any) -> str:
    return account.username if account is not None else "no account"


def add_update(item_id: int, date: dt.date, text: str, account: Any, *,
               today: dt.date | None = None) -> TrackerUpdate:
    """Add a dated update to a tracker item (analysts, admins, managers)."""
    from csc_scorecard.scrutiny.models import TrackerUpdate

    if not can_add_update(account):
        raise ScrutinyPermissionDenied(
            f"{_who(account)} may not add tracker updates: analysts, admins and managers only")
    item = tracker_item(item_id)
    text = (text or "").strip()
    problems = {}
    if date < item.agreed_on:
        problems["date"] = (f"The update's date must be on or after {item.agreed_on.isoformat()}, "
                            "the meeting where the action was agreed")
    if date > (today or dt.date.today()):
        problems["date"] = "The update's date cannot be in the future"
    if not text:
        problems["text"] = "Enter the update"
    elif len(text) > TEXT_LIMIT:
        problems["text"] = f"The update must be {TEXT_LIMIT:,} characters or fewer"
    if problems:
        raise ScrutinyInputError(problems)
    update = TrackerUpdate(item=item, date=date, text=text, author=account.username)
    update._history_user = account  # type: ignore[attr-defined]
    update._change_reason = f"update added by {account.username}"  # type: ignore[attr-defined]
    update.save()
    return update


def override_status(item_id: int, status: str, reason: str, account: Any, *,
                    on: dt.date | None = None) -> TrackerItem:
    """Set a tracker item's status by hand, with a reason (analysts, admins).

    ``status`` is Completed, Pending or Incomplete, or ``CLEAR`` ("") to return
    the item to its derived status (a reason is still asked for: it is kept in
    the history).  The override applies from ``on`` (default today).
    """
    if not can_override(account):
        raise ScrutinyPermissionDenied(
            f"{_who(account)} may not override a tracker status: analysts and admins only")
    item = tracker_item(item_id)
    reason = (reason or "").strip()
    word = (status or "").strip()
    problems = {}
    if word:
        try:
            chosen = str(TrackerStatus.parse(word))
        except ValueError as exc:
            problems["status"] = str(exc)
    if not reason:
        problems["reason"] = "Give the reason for overriding the status"
    elif len(reason) > TEXT_LIMIT:
        problems["reason"] = f"The reason must be {TEXT_LIMIT:,} characters or fewer"
    if problems:
        raise ScrutinyInputError(problems)
    if word:
        item.status_override = chosen
        item.override_reason = reason
        item.override_on = on or dt.date.today()
        change = f"status set to {item.status_override} by {account.username}: {reason}"
    else:
        item.status_override, item.override_reason, item.override_on = "", "", None
        change = f"override cleared by {account.username}: {reason}"
    item._history_user = account  # type: ignore[attr-defined]
    item._change_reason = change[:100]  # type: ignore[attr-defined]
    item.save()
    return item


# --------------------------------------------------------------------------
# Import and export (the template: docs/scrutiny.md)
# --------------------------------------------------------------------------


def _check_importer(account: Any) -> None:
    """An import replaces the committees it names: analysts and admins (None: a library call)."""
    if account is not None and not can_override(account):
        raise ScrutinyPermissionDenied(
            f"{_who(account)} may not import scrutiny files: analysts and admins only")


def import_scrutiny_file(path: Path | str, *, account: Any = None, author: str = "",
                         replace: bool = False):
    """Check the whole file, then store it in one transaction; raises ScrutinyFileError, or
    WebChangesWouldBeLost when it would delete or change rows made in the browser (unless
    ``replace``).

    Returns the store's summary (created, updated, deleted, unchanged, counts).
    """
    from csc_scorecard.scrutiny.store import store_scrutiny
    from csc_scorecard.scrutiny.template import read_scrutiny_file

    _check_importer(account)
    parsed = read_scrutiny_file(path)
    who = author or (account.username if account is not None else "")
    reason = f"import {Path(path).name}" + (f" by {who}" if who else "")
    return store_scrutiny(parsed, account=account, reason=reason, replace=replace)


def export_scrutiny_file(out: Path | str, committee_slug: str | None = None) -> Path:
    """Every committee (or one) in the template, ready to import again."""
    from csc_scorecard.plans.template import write_xlsx
    from csc_scorecard.scrutiny.store import dump_scrutiny
    from csc_scorecard.scrutiny.template import SHEETS

    if committee_slug:
        committee(committee_slug)
    return write_xlsx(dump_scrutiny(committee_slug), out, spec=SHEETS)

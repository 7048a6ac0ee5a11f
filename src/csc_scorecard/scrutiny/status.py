"""The outcome tracker's status, derived from dates by the committee's key (docs/scrutiny.md).

The key (Somerset's outcome tracker):

* **Completed** - action complete and will be removed from tracker for next meeting.
* **Pending** - action on-going or plans in place to address.
* **Incomplete** - no action currently in place with a minimum of 3 months since action agreed.

How the dates decide it, on a day ``as_of`` (only updates dated on or before
``as_of`` count; an item is judged as it stood that day):

1. An override (a status set by hand, always with a reason) that applies on
   ``as_of`` wins.  It applies from its ``override_on`` day (always, when that is
   empty).
2. **Completed** when the item has a completion date on or before ``as_of``.
3. **Pending** when the due date has not passed (``as_of`` on or before it).
4. The clock starts at the last sign of action: the latest update, or the
   meeting where the action was agreed when there is none.  **Incomplete** when
   ``as_of`` is on or after :func:`three_months_after` that day; otherwise
   **Pending**.

"3 months since" day D is exact: the same day of the month three calendar
months later, or the last day of that month when it is shorter (30 November
-> 28 February, or 29 February in a leap year; 31 August -> 30 November).
On that day it *is* 3 months, so an item agreed on 15 January with no update
is Pending on 14 April and Incomplete on 15 April.  An update dated on the
boundary day restarts the clock the same day, so the item stays Pending.

A Completed item is reported once: on the tracker of the committee's first
meeting dated after its completion (:func:`shown_at_meeting`), not on later
ones (the master copy keeps it).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

__all__ = [
    "StatusJudgement",
    "TrackerStatus",
    "completion_day",
    "shown_at_meeting",
    "three_months_after",
    "tracker_status",
]

MONTHS = 3  # "a minimum of 3 months since action agreed"


class TrackerStatus(StrEnum):
    COMPLETED = "Completed"
    PENDING = "Pending"
    INCOMPLETE = "Incomplete"

    @classmethod
    def parse(cls, word: object) -> TrackerStatus:
        key = str(word or "").strip().lower()
        for member in cls:
            if key == member.value.lower():
                return member
        raise ValueError(f"unknown status {word!r}; expected Completed, Pending or Incomplete")


KEY = {
    TrackerStatus.COMPLETED: "Action complete and will be removed from tracker for next meeting.",
    TrackerStatus.PENDING: "Action on-going or plans in place to address.",
    TrackerStatus.INCOMPLETE: "No action currently in place with a minimum of 3 months since action agreed.",
}


@dataclass(frozen=True)
class StatusJudgement:
    status: TrackerStatus
    reason: str
    overridden: bool = False


class TrackedItem(Protocol):
    """What the rule reads from a tracker item (the model, or anything shaped like it)."""

    agreed_on: dt.date
    due_date: dt.date | None
    completed_on: dt.date | None
    status_override: str
    override_reason: str
    override_on: dt.date | None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def three_months_after(day: dt.date) -> dt.date:
    """The first day on which it is 3 months since ``day`` (see the module's rule)."""
    return add_months(day, MONTHS)


def _dates(updates: Iterable[Any]) -> list[dt.date]:
    """Update dates: update objects with a ``date``, or dates themselves."""
    return [u if isinstance(u, dt.date) else u.date for u in updates]


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def completion_day(item: TrackedItem) -> dt.date | None:
    """The day an item was completed: its completion date, or the day a Completed override applies."""
    if item.completed_on is not None:
        return item.completed_on
    if item.status_override == TrackerStatus.COMPLETED:
        return item.override_on or item.agreed_on
    return None


def tracker_status(item: TrackedItem, updates: Iterable[Any], as_of: dt.date) -> StatusJudgement:
    """The item's status on ``as_of`` and the reason in words."""
    if item.status_override and (item.override_on is None or item.override_on <= as_of):
        status = TrackerStatus.parse(item.status_override)
        since = f" on {_long(item.override_on)}" if item.override_on else ""
        return StatusJudgement(status, f"Set to {status}{since}: {item.override_reason}", True)
    if item.completed_on is not None and item.completed_on <= as_of:
        return StatusJudgement(TrackerStatus.COMPLETED, f"Completed on {_long(item.completed_on)}.")
    if item.due_date is not None and as_of <= item.due_date:
        return StatusJudgement(TrackerStatus.PENDING, f"Due {_long(item.due_date)}, not yet passed.")
    seen = [d for d in _dates(updates) if d <= as_of]
    if seen:
        start, since = max(seen), f"last update {_long(max(seen))}"
    else:
        start, since = item.agreed_on, f"agreed {_long(item.agreed_on)}, no update since"
    boundary = three_months_after(start)
    due = f"; due date {_long(item.due_date)} passed" if item.due_date is not None else ""
    if as_of >= boundary:
        return StatusJudgement(
            TrackerStatus.INCOMPLETE,
            f"No action for 3 months or more: {since} (3 months reached {_long(boundary)}){due}.")
    return StatusJudgement(
        TrackerStatus.PENDING, f"Action within the last 3 months: {since} (3 months on {_long(boundary)}){due}.")


def shown_at_meeting(item: TrackedItem, judgement: StatusJudgement, meeting_day: dt.date,
                     meeting_days: Sequence[dt.date]) -> bool:
    """Whether the item appears on the tracker of the meeting on ``meeting_day``.

    Only items agreed at an earlier meeting appear.  A Completed item appears at
    the first of the committee's meetings (``meeting_days``) dated after its
    completion, and never after that; every other status appears.
    """
    if item.agreed_on >= meeting_day:
        return False
    if judgement.status != TrackerStatus.COMPLETED:
        return True
    done = completion_day(item) or item.agreed_on
    later = sorted(d for d in meeting_days if d > done)
    return bool(later) and later[0] == meeting_day

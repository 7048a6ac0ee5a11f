"""Committees, meetings, the work programme and the outcome tracker (docs/scrutiny.md).

Every model keeps its history (django-simple-history, as the plans app): each
save or delete writes a historical row with the account and a reason, so who
added an update or overrode a status, and when, can always be told.

A tracker item's status is not stored: it is derived from its dates
(:mod:`csc_scorecard.scrutiny.status`).  Only an override is stored, and only
with its reason.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from simple_history.models import HistoricalRecords

from csc_scorecard.scrutiny.status import TrackerStatus
from csc_scorecard.scrutiny.vocab import PAPER_TYPES, REPORT_KINDS

OVERRIDE_CHOICES = [("", "derived from the dates")] + [(s.value, s.value) for s in TrackerStatus]


class Committee(models.Model):
    slug = models.SlugField(max_length=60, unique=True)  # the CLI's --committee ID
    name = models.CharField(max_length=300)
    remit = models.TextField(blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=300, blank=True, default="")
    location = models.CharField(max_length=300, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "date"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="scrutiny_meeting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.committee.name}, {self.date.day} {self.date:%B %Y}"


class WorkProgrammeItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=1)  # agenda order within the meeting
    title = models.CharField(max_length=400)
    paper_type = models.CharField(max_length=20, choices=PAPER_TYPES, default="other")
    programme = models.ForeignKey("plans.Programme", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="scrutiny_items")
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="scrutiny_items")
    report_kind = models.CharField(max_length=10, choices=REPORT_KINDS, blank=True, default="")
    period = models.CharField(max_length=20, blank=True, default="")  # "2024-25-Q2"
    lead_member = models.CharField(max_length=300, blank=True, default="")
    lead_officer = models.CharField(max_length=300, blank=True, default="")
    notes = models.TextField(blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return f"{self.meeting.date} item {self.order}: {self.title}"


class TrackerItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tracker_items")  # agreed at
    number = models.PositiveIntegerField(default=1)  # the item's number among those agreed at the meeting
    agenda_item = models.CharField(max_length=400)
    programme = models.ForeignKey("plans.Programme", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="tracker_items")
    action = models.ForeignKey("plans.Action", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="tracker_items")
    action_owner = models.CharField(max_length=300, blank=True, default="")
    agreed_outcome = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    status_override = models.CharField(max_length=10, choices=OVERRIDE_CHOICES, blank=True, default="")
    override_reason = models.TextField(blank=True, default="")
    override_on = models.DateField(null=True, blank=True)  # the day the override applies from
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="scrutiny_tracker_item_unique"),
            # an override is never stored without its reason
            models.CheckConstraint(
                condition=models.Q(status_override="") | ~models.Q(override_reason=""),
                name="scrutiny_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.date}: {self.agenda_item}"

    @property
    def agreed_on(self) -> dt.date:
        """The day the action was agreed: its meeting's date."""
        return self.meeting.date


class TrackerUpdate(models.Model):
    item = models.ForeignKey(TrackerItem, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    text = models.TextField()
    author = models.CharField(max_length=150, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"

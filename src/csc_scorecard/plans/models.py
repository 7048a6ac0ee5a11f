"""Plans, programmes, objectives, actions, risks, highlight reports and local measures.

Every model keeps its history (django-simple-history): each save or delete
writes a historical row with the account (``history_user``), the time and a
reason (``history_change_reason``, e.g. "import cypp.xlsx by j.smith"), so
who changed what and when can always be told.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from csc_scorecard.plans.references import validate_plan_reference
from csc_scorecard.plans.rules import (
    Deadline,
    Direction,
    RiskBand,
    Status,
    Trend,
    is_overdue,
    risk_band,
    risk_score,
)

STATUS_CHOICES = [(s.value, s.label) for s in Status]
DIRECTION_CHOICES = [(d.value, d.label) for d in Direction]
TREND_CHOICES = [(t.value, t.value) for t in Trend]
PRECISION_CHOICES = [("", "no deadline"), ("month", "month"), ("day", "day")]
REPORT_STATES = [("draft", "draft"), ("submitted", "submitted"), ("approved", "approved")]


class Plan(models.Model):
    # e.g. "cypp-2016-19"; not a word the plans pages use under /plans/
    reference = models.SlugField(max_length=60, unique=True, validators=[validate_plan_reference])
    title = models.CharField(max_length=300)
    period = models.CharField(max_length=40, blank=True, default="")  # "2016-19"
    governing_body = models.CharField(max_length=300, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.title


class Programme(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="programmes")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=400)
    lead_delivery_group = models.CharField(max_length=300, blank=True, default="")
    chair = models.CharField(max_length=300, blank=True, default="")
    lead_sponsor = models.CharField(max_length=300, blank=True, default="")
    scrutiny_champion = models.CharField(max_length=300, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_programme_unique")]

    def __str__(self) -> str:
        return f"Programme {self.number}: {self.title}"


class Objective(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="objectives")
    letter = models.CharField(max_length=5)  # "A", "B" ...
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "letter"], name="plans_objective_unique")
        ]

    def __str__(self) -> str:
        return f"({self.letter}) {self.text[:60]}"


class Action(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    number = models.CharField(max_length=10)  # "i", "ii", "6.1"
    position = models.PositiveIntegerField(default=0)  # order in the plan
    text = models.TextField()
    # owners: ActionOwner rows (accounts or named people)
    deadline = models.DateField(null=True, blank=True)  # the day it falls due (month -> last day)
    deadline_precision = models.CharField(max_length=5, choices=PRECISION_CHOICES, blank=True, default="")
    success = models.TextField(blank=True, default="")  # what success looks like
    kpi = models.TextField(blank=True, default="")
    indicators = models.JSONField(default=list, blank=True)  # catalogue ids and local-measure ids
    outcome = models.TextField(blank=True, default="")
    status = models.CharField(max_length=1, choices=STATUS_CHOICES, default="G")
    direction = models.CharField(max_length=12, choices=DIRECTION_CHOICES, default="progressing")
    # inspection recommendations as free references for now ("R1", "R2")
    recommendations = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "number"], name="plans_action_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"

    @property
    def reference(self) -> str:
        """"1(A)ii": programme, objective letter, action number."""
        return f"{self.objective.programme.number}({self.objective.letter}){self.number}"

    @property
    def deadline_info(self) -> Deadline:
        return Deadline(self.deadline, self.deadline_precision if self.deadline else "")

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return is_overdue(self.deadline, self.status, on or dt.date.today())

    @property
    def owner_names(self) -> list[str]:
        return [o.display for o in self.owners.all()]


class ActionOwner(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="owners")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    name = models.CharField(max_length=300, blank=True, default="")  # a named person or group
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "id"]

    @property
    def display(self) -> str:
        if self.account_id and not self.name:
            full = self.account.get_full_name()
            return full or self.account.username
        return self.name

    def __str__(self) -> str:
        return self.display


class ProgressNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField()
    text = models.TextField()
    author = models.CharField(max_length=150, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"


class Risk(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveIntegerField()  # the risk's reference within its programme
    risk = models.TextField()
    impacts = models.TextField(blank=True, default="")
    mitigations = models.TextField(blank=True, default="")
    owner = models.CharField(max_length=300, blank=True, default="")
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    review_date = models.DateField(null=True, blank=True)
    trend = models.CharField(max_length=10, choices=TREND_CHOICES, default="new")
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="plans_risk_unique"),
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="plans_risk_scale_1_5",
            ),
        ]

    @property
    def score(self) -> int:
        return risk_score(self.likelihood, self.impact)

    @property
    def band(self) -> RiskBand:
        return risk_band(self.score)

    def __str__(self) -> str:
        return f"Risk {self.programme.number}.{self.number}: {self.risk[:60]}"


class HighlightReport(models.Model):
    """The author's prose for a programme's highlight report for a period.

    Text fields hold one entry per line (printed as bullets); an empty field
    prints "nil return".
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="highlights")
    period = models.CharField(max_length=20)  # "2024-25-Q2"
    report_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=1, choices=STATUS_CHOICES, blank=True, default="")
    trend = models.CharField(max_length=12, choices=DIRECTION_CHOICES, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    achievements = models.TextField(blank=True, default="")
    slippage = models.TextField(blank=True, default="")
    voice_of_children = models.TextField(blank=True, default="")
    next_period = models.TextField(blank=True, default="")
    risks = models.TextField(blank=True, default="")
    issues = models.TextField(blank=True, default="")
    variances = models.TextField(blank=True, default="")
    decisions = models.TextField(blank=True, default="")
    state = models.CharField(max_length=10, choices=REPORT_STATES, default="draft")
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "period"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "period"], name="plans_highlight_unique")
        ]

    def __str__(self) -> str:
        return f"Highlight report, programme {self.programme.number}, {self.period}"


class LocalMeasure(models.Model):
    """An indicator the returns cannot give, declared LOCAL; its values are entered."""

    measure_id = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=20)  # the catalogue's units: count, percent, rate_per_10k ...
    polarity = models.CharField(max_length=20)  # higher_better, lower_better, contextual
    decimals = models.PositiveSmallIntegerField(default=0)
    definition = models.TextField(blank=True, default="")
    source = models.CharField(max_length=300, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure_id"]

    def __str__(self) -> str:
        return f"{self.measure_id} (LOCAL)"


class LocalMeasureValue(models.Model):
    measure = models.ForeignKey(LocalMeasure, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=20)
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="plans_measure_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure.measure_id} {self.period}: {self.value}"

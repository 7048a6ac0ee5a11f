"""Inspections, their judgements and recommendations; self-evaluations.

Every model keeps its history (django-simple-history, as the improvement
plans do), so "who changed recommendation R5's wording, and when" has an
answer.  Figures are never stored here: a self-evaluation's evidence bullets
hold figure references that are read from the stored results each time the
document is rendered (csc_scorecard.inspection.document).
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

KIND_CHOICES = [
    ("ilacs", "ILACS inspection"),
    ("focused_visit", "Focused visit"),
    ("jtai", "Joint targeted area inspection (JTAI)"),
    ("monitoring_visit", "Monitoring visit"),
]
#: Ofsted's four-point scale for graded (ILACS) judgements
GRADE_CHOICES = [
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("requires_improvement", "Requires improvement to be good"),
    ("inadequate", "Inadequate"),
]
STATUS_CHOICES = [("draft", "Draft"), ("final", "Final")]


class Inspection(models.Model):
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    title = models.CharField(max_length=200)
    la_code = models.CharField(max_length=10, blank=True, default="")
    start_date = models.DateField()
    end_date = models.DateField()
    published_date = models.DateField(null=True, blank=True)
    report_url = models.URLField(max_length=500, blank=True, default="")
    summary = models.TextField(blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "start_date", "la_code"],
                                               name="inspection_unique_visit")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%B %Y}"


class Judgement(models.Model):
    """A graded judgement for one area (ILACS); visits that are not graded have none."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=200)  # "The impact of leaders on social work practice"
    grade = models.CharField(max_length=24, choices=GRADE_CHOICES)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "area"],
                                               name="inspection_judgement_unique_area")]


class Recommendation(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE,
                                   related_name="recommendations")
    number = models.CharField(max_length=10)  # "R1"
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    indicators = models.JSONField(default=list, blank=True)  # catalogue ids
    # improvement-plan actions answering it, as references ("<plan>/<action number>")
    action_refs = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"],
                                               name="inspection_recommendation_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}: {self.text[:60]}"


class SelfEvaluation(models.Model):
    title = models.CharField(max_length=200)
    la_code = models.CharField(max_length=10, blank=True, default="")
    # the period figures are read for unless a reference names its own ("" = latest stored)
    period = models.CharField(max_length=20, blank=True, default="")
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="self_evaluations")
    status = models.CharField(max_length=5, choices=STATUS_CHOICES, default="draft")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "id"]

    def __str__(self) -> str:
        return self.title


class EvaluationSection(models.Model):
    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE,
                                   related_name="sections")
    position = models.PositiveIntegerField(default=0)
    theme = models.CharField(max_length=120)  # "Workforce"
    title = models.CharField(max_length=300)  # the claim the bullets evidence
    recommendations = models.JSONField(default=list, blank=True)  # ["R1", "R2"]
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "position", "id"]


class EvidenceBullet(models.Model):
    section = models.ForeignKey(EvaluationSection, on_delete=models.CASCADE,
                                related_name="bullets")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()  # may carry {figure references}
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "position", "id"]

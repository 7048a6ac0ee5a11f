"""Targets per indicator per financial year, and every change ever made to them.

A :class:`Target` row is what the RAG rating reads.  It is only ever changed
through :func:`csc_scorecard.rating.targets.import_targets`, which writes one
:class:`TargetChange` per changed field (who, when, old value, new value), so
the history of a target can always be told.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

TOLERANCE_TYPE_CHOICES = [
    ("absolute", "Absolute (in the indicator's unit)"),
    ("relative", "Relative (fraction of target)"),
]
ACTION_CHOICES = [("created", "created"), ("updated", "updated"), ("deleted", "deleted")]


class Target(models.Model):
    indicator_id = models.CharField(max_length=100)
    # Financial year as "2024-25"; quarters of the year use the year's target.
    year = models.CharField(max_length=7)
    target = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    tolerance = models.DecimalField(max_digits=20, decimal_places=6, default=0)
    tolerance_type = models.CharField(
        max_length=10, choices=TOLERANCE_TYPE_CHOICES, default="absolute"
    )
    discontinued = models.BooleanField(default=False)
    note = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_id", "year"], name="rating_target_unique_indicator_year"
            )
        ]
        ordering = ["indicator_id", "year"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}"

    @property
    def updated_by(self) -> str:
        """The user name of the account that last changed this target."""
        return self.updated_by_account.username if self.updated_by_account_id else ""


class TargetChange(models.Model):
    """One field of one target changed: kept for ever, never edited."""

    indicator_id = models.CharField(max_length=100, db_index=True)
    year = models.CharField(max_length=7)
    action = models.CharField(max_length=10, choices=ACTION_CHOICES)
    field = models.CharField(max_length=20)
    old_value = models.TextField(blank=True, default="")
    new_value = models.TextField(blank=True, default="")
    changed_at = models.DateTimeField()
    changed_by_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(max_length=500, blank=True, default="")  # the imported file's name

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year} {self.field}: {self.old_value!r} -> {self.new_value!r}"

    @property
    def changed_by(self) -> str:
        """The user name of the account that made the change."""
        return self.changed_by_account.username if self.changed_by_account_id else ""

"""Commentary written by analysts and managers, kept per subject and period.

A subject is an indicator (its catalogue id), a priority (its id in
priorities.yml), an annual-report section (its id in sections.yml) or the
report as a whole (``report``).  ``kind`` says which box the text fills:
``commentary`` for an indicator or section, and for a priority the three
boxes of the quarterly report: ``working_well``, ``worried`` and ``next``.
Commentary is imported from a file (``csc-scorecard commentary import``);
importing again replaces the text and keeps who and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

SUBJECT_KINDS = [
    ("indicator", "Indicator"),
    ("priority", "Priority"),
    ("section", "Report section"),
    ("report", "Whole report"),
]
COMMENTARY_KINDS = [
    ("commentary", "Commentary"),
    ("working_well", "Areas of success / what is working well"),
    ("worried", "Areas of concern / what are we worried about"),
    ("next", "Focus for next quarter / what needs to happen"),
]

STATUS_CHOICES = [("draft", "Draft"), ("approved", "Approved")]


class Commentary(models.Model):
    subject_kind = models.CharField(max_length=20, choices=SUBJECT_KINDS)
    subject_id = models.CharField(max_length=100)
    period = models.CharField(max_length=20)  # a period label: "2024-25" or "2024-25-Q2"
    kind = models.CharField(max_length=20, choices=COMMENTARY_KINDS, default="commentary")
    la_code = models.CharField(max_length=10, blank=True, default="")
    text = models.TextField()
    author_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    source_file = models.CharField(max_length=255, blank=True, default="")
    # Draft text is for the people writing it; reports in publication mode use approved text.
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default="approved")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id", "period", "kind", "la_code"],
                name="reporting_commentary_unique",
            )
        ]
        ordering = ["period", "subject_kind", "subject_id", "kind"]
        verbose_name_plural = "commentary"

    def __str__(self) -> str:
        return f"{self.subject_kind} {self.subject_id} {self.period} {self.kind}"

    @property
    def author(self) -> str:
        """The user name of the account that last wrote this text."""
        return self.author_account.username if self.author_account_id else ""

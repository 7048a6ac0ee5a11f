"""Indicator values as computed from the store, with their provenance.

One row per indicator, period, breakdown value and council. The values are
derived data: :func:`csc_scorecard.indicators.results.compute_and_store`
replaces them whenever the case data changes.
"""

from __future__ import annotations

from django.db import models


class IndicatorValue(models.Model):
    indicator_id = models.CharField(max_length=80)
    period = models.CharField(max_length=20)  # a period label, e.g. "2024-25-Q1"
    # "all", "area", "team", "sex", "age", "ethnicity" or "disability"
    breakdown = models.CharField(max_length=20, default="all")
    breakdown_value = models.CharField(max_length=120, default="all")
    la_code = models.CharField(max_length=10, blank=True, default="")
    numerator = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)  # null for counts (and rates without a population)
    value = models.FloatField(null=True, blank=True)  # null when the denominator is 0 or missing
    computed_at = models.DateTimeField()
    submissions = models.JSONField(default=list)  # ids of the submissions the figure came from
    population_note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_id", "period", "breakdown", "breakdown_value", "la_code"],
                name="results_indicator_value_unique",
            )
        ]
        indexes = [models.Index(fields=["period", "breakdown", "la_code"])]
        ordering = ["indicator_id", "period", "breakdown", "breakdown_value"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.breakdown}={self.breakdown_value}: {self.value}"

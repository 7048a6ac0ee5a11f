"""Indicator values as computed from the store, with their provenance.

One row per indicator, period, breakdown value and council. The values are
derived data: :func:`csc_scorecard.indicators.results.compute_and_store`
replaces them, and :mod:`csc_scorecard.services.recompute` decides when.

:class:`ComputedYear` records, per council and financial year, what the
year's figures were computed from, so whether they are stale is decided by
comparing those inputs with the store's (see csc_scorecard.results.provenance).
"""

from __future__ import annotations

from django.db import models


class ComputedYear(models.Model):
    """What one council's figures for one financial year were computed from."""

    la_code = models.CharField(max_length=10, blank=True, default="")
    year = models.CharField(max_length=7)  # financial year, "2024-25"
    computed_at = models.DateTimeField()
    periods = models.JSONField(default=list)  # the period labels computed
    # [[id, sha256], ...] of the current submissions whose year reaches this one
    submissions = models.JSONField(default=list)
    reference_id = models.CharField(max_length=64, blank=True, default="")  # reference import
    population = models.IntegerField(null=True, blank=True)  # 0-17 population of the rates
    population_source = models.CharField(max_length=20, blank=True, default="")  # set | reference
    population_note = models.CharField(max_length=200, blank=True, default="")  # with its vintage
    catalogue_version = models.CharField(max_length=64, blank=True, default="")
    settings_hash = models.CharField(max_length=64, blank=True, default="")  # council settings used

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["la_code", "year"], name="results_computed_year_unique")
        ]
        ordering = ["la_code", "year"]

    def __str__(self) -> str:
        return f"{self.la_code or '-'} {self.year} computed {self.computed_at:%Y-%m-%d %H:%M}"


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
    # the year's provenance; null for values written by hand (tests, imports of old figures)
    computed_year = models.ForeignKey(
        ComputedYear, null=True, blank=True, on_delete=models.SET_NULL, related_name="values"
    )

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


class Freeze(models.Model):
    """One freeze of a council's financial year: its stored figures kept as they stood.

    A year can be frozen again: each freeze is a new version and the latest
    wins (history is kept, never deleted). An administrator can withdraw the
    latest version (``withdrawn_at``), and the year is then read live again.
    The rule is in csc_scorecard.services.freeze.
    """

    la_code = models.CharField(max_length=10, blank=True, default="")
    year = models.CharField(max_length=7)  # financial year, "2024-25"
    version = models.PositiveIntegerField()
    label = models.CharField(max_length=200, blank=True, default="")
    frozen_at = models.DateTimeField()
    frozen_by = models.CharField(max_length=150)  # the account's user name, kept if it goes
    # the year's own period labels (year, quarters, months, ...) and the year before's
    # (the comparisons a report or a scorecard of the year reads)
    periods = models.JSONField(default=list)
    context_periods = models.JSONField(default=list)
    # per financial year held: what its figures came from (submissions, reference data,
    # catalogue, population), copied from results.ComputedYear at the freeze
    provenance = models.JSONField(default=dict)
    reference_vintage = models.CharField(max_length=200, blank=True, default="")
    # the scorecard's published comparisons (SN average, England) for the year as they were
    # read at the freeze: {"rows": [...] or None, "notes": [...]}
    benchmarks = models.JSONField(default=dict)
    # the year's targets as they stood at the freeze ({"rows": [...]}; {} for a freeze made
    # before targets were kept): a frozen year is rated against these, not later edits
    targets = models.JSONField(default=dict)
    rows = models.PositiveIntegerField(default=0)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.CharField(max_length=150, blank=True, default="")
    withdrawn_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["la_code", "year", "version"],
                                    name="results_freeze_version_unique")
        ]
        ordering = ["la_code", "year", "version"]

    def __str__(self) -> str:
        return f"{self.la_code or '-'} {self.year} frozen v{self.version} {self.frozen_at:%Y-%m-%d}"


class FrozenValue(models.Model):
    """One stored figure as it stood when its freeze was made (the IndicatorValue's fields)."""

    freeze = models.ForeignKey(Freeze, on_delete=models.CASCADE, related_name="values")
    indicator_id = models.CharField(max_length=80)
    period = models.CharField(max_length=20)
    breakdown = models.CharField(max_length=20, default="all")
    breakdown_value = models.CharField(max_length=120, default="all")
    la_code = models.CharField(max_length=10, blank=True, default="")
    numerator = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()
    submissions = models.JSONField(default=list)
    population_note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["freeze", "indicator_id", "period", "breakdown", "breakdown_value"],
                name="results_frozen_value_unique",
            )
        ]
        indexes = [models.Index(fields=["freeze", "period", "breakdown"])]
        ordering = ["indicator_id", "period", "breakdown", "breakdown_value"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.breakdown}={self.breakdown_value}: {self.value} (frozen)"

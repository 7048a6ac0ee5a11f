"""Looked-after children: health of the OC2 cohort (checks, teeth, immunisations,
SDQ) and missing or away from placement."""


from __future__ import annotations

import polars as pl

from csc_scorecard.indicators.casedata import per_case_data
from csc_scorecard.indicators.children_looked_after.episodes import (
    age_expr,
    birth_dates,
    cached_per_period,
    code_expr,
    continuous_since,
    empty_units,
    episodes_at_end,
    looked_after_during,
    prepared_episodes,
    snapshot_units,
)
from csc_scorecard.indicators.registry import CaseData, indicator
from csc_scorecard.periods import Period

# --------------------------------------------------------------------------
# Health (OC2 cohort)
# --------------------------------------------------------------------------


def oc2_cohort(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after at the period end and continuously for 12 months or more, with their
    OC2 row (if any) and birth date.

    Found once per CaseData and period (shared: treat as read-only).
    """
    return cached_per_period(data, ("oc2_cohort", period), lambda: _oc2_cohort(data, period))


def _oc2_cohort(data: CaseData, period: Period) -> pl.DataFrame:
    cohort = (
        episodes_at_end(data, period)
        .filter(pl.col("poc_start") <= continuous_since(period.end, 12))
        .select("child_id")
    )
    oc2 = data["health_outcome"]
    wanted = [
        c
        for c in ("sdq_score", "health_assessment", "teeth_check", "immunisations", "birth_date")
        if c in oc2.columns
    ]
    year = (
        pl.col("collection_year").cast(pl.Utf8)
        if "collection_year" in oc2.columns
        else pl.lit(None, dtype=pl.Utf8)
    )
    # Several years' returns: prefer the return of the period's financial
    # year, then the latest return, then the last row.
    oc2 = (
        oc2.select(
            pl.col("child_id").cast(pl.Utf8),
            *[pl.col(c) for c in wanted],
            (year == period.financial_year).fill_null(False).alias("_this_year"),
            year.alias("_year"),
        )
        .rename({"birth_date": "oc2_birth_date"} if "birth_date" in wanted else {})
        .sort(["_this_year", "_year"], nulls_last=False, maintain_order=True)
        .unique(subset="child_id", keep="last", maintain_order=True)
        .drop("_this_year", "_year")
    )
    frame = cohort.join(oc2, on="child_id", how="left").join(
        birth_dates(data), on="child_id", how="left"
    )
    if "oc2_birth_date" in frame.columns:
        frame = frame.with_columns(
            pl.coalesce("birth_date", pl.col("oc2_birth_date").cast(pl.Date)).alias("birth_date")
        )
    return frame


def _oc2_flag(data: CaseData, period: Period, flag: str) -> pl.DataFrame:
    frame = oc2_cohort(data, period)
    numerator = (
        pl.col(flag).cast(pl.Boolean).fill_null(False) if flag in frame.columns else pl.lit(False)
    )
    return snapshot_units(frame, period, numerator.cast(pl.Float64), pl.lit(1.0))


@indicator("cla_health_check_pct")
def cla_health_check_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort: share whose annual health assessment was up to date.

    OC2's HEALTH_ASSESSMENT, not HEALTH_CHECK: the latter is the health
    promotion (development) check of under-5s (DfE rules 545/546).
    """
    return _oc2_flag(data, period, "health_assessment")


@indicator("cla_dental_check_pct")
def cla_dental_check_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort: share who had their teeth checked by a dentist."""
    return _oc2_flag(data, period, "teeth_check")


@indicator("cla_immunisations_pct")
def cla_immunisations_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort: share whose immunisations were up to date."""
    return _oc2_flag(data, period, "immunisations")


def _sdq_cohort(data: CaseData, period: Period) -> pl.DataFrame:
    frame = oc2_cohort(data, period)
    age = age_expr("birth_date", period.end)
    return frame.filter(age.is_between(5, 16).fill_null(False))


@indicator("cla_sdq_pct")
def cla_sdq_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort aged 5 to 16 at the period end: share with an SDQ score recorded."""
    frame = _sdq_cohort(data, period)
    has_score = pl.col("sdq_score").is_not_null() if "sdq_score" in frame.columns else pl.lit(False)
    return snapshot_units(frame, period, has_score.cast(pl.Float64), pl.lit(1.0))


@indicator("cla_sdq_avg_score")
def cla_sdq_avg_score(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort aged 5 to 16 with an SDQ score: average score (sum of scores / children)."""
    frame = _sdq_cohort(data, period)
    if "sdq_score" not in frame.columns:
        return empty_units()
    frame = frame.filter(pl.col("sdq_score").is_not_null())
    return snapshot_units(frame, period, pl.col("sdq_score").cast(pl.Float64), pl.lit(1.0))


# --------------------------------------------------------------------------
# Missing and away from placement
# --------------------------------------------------------------------------


@per_case_data
def _missing_episodes(data: CaseData) -> pl.DataFrame:
    return data["missing_episode"].select(
        pl.col("child_id").cast(pl.Utf8),
        code_expr("kind").alias("kind"),
        pl.col("start_date").cast(pl.Date),
        pl.col("end_date").cast(pl.Date),
    )


def _missing_share(data: CaseData, period: Period, kind: str) -> pl.DataFrame:
    during = cached_per_period(
        data,
        ("looked_after_during", period.start, period.end),
        lambda: looked_after_during(prepared_episodes(data), period),
    )
    episodes = _missing_episodes(data)
    had = (
        episodes.filter(
            (pl.col("kind") == kind)
            & (pl.col("start_date") <= period.end)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= period.start))
        )
        .select("child_id")
        .unique()
        .with_columns(pl.lit(True).alias("had"))
    )
    frame = during.join(had, on="child_id", how="left")
    return snapshot_units(
        frame, period, pl.col("had").fill_null(False).cast(pl.Float64), pl.lit(1.0)
    )


@indicator("cla_missing_pct")
def cla_missing_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after during the period: share with a missing episode (kind M) in the period."""
    return _missing_share(data, period, "M")


@indicator("cla_away_pct")
def cla_away_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after during the period: share away from placement without authorisation
    (kind A) in the period."""
    return _missing_share(data, period, "A")

"""Measures that need one of the optional local extracts (docs/local_csvs.md).

Definitions are in catalogue/local_extracts.yml; each function returns unit
rows. When the extract has not been loaded at all, the function raises
Unavailable with the extract's name, so the figure reads "no data: needs the
... extract" and is never shown as 0.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.indicators import requirements
from csc_scorecard.indicators.casedata import working_days
from csc_scorecard.indicators.children_looked_after import prepared_episodes
from csc_scorecard.indicators.registry import CaseData, Unavailable, indicator, units
from csc_scorecard.periods import Period, in_period_expr

ONE = pl.lit(1.0)

#: S47 enquiries: completed within 10 working days of starting
S47_WORKING_DAYS = 10
#: initial health assessments: within 20 working days of coming into care,
#: for children looked after for at least 28 days
IHA_WORKING_DAYS = 20
IHA_MIN_DAYS_LOOKED_AFTER = 28

NEEDED = {
    "assessment_timescale": requirements.ASSESSMENT_TIMESCALES,
    "s47_completion": requirements.S47_COMPLETIONS,
    "health_assessment": requirements.HEALTH_ASSESSMENTS,
}


def extract(data: CaseData, table: str) -> pl.DataFrame:
    """The extract's rows; Unavailable when it has never been loaded (no rows at all)."""
    frame = data.tables.get(table)
    if frame is None or frame.is_empty():
        raise Unavailable(NEEDED[table])
    return frame


@indicator("assessments_on_time_by_priority_pct")
def assessments_on_time_by_priority_pct(data: CaseData, period: Period) -> pl.DataFrame:
    done = extract(data, "assessment_timescale").filter(
        in_period_expr("completed_date", period) & pl.col("cancelled_date").is_null()
    )
    in_time = (
        working_days("start_date", "completed_date") <= pl.col("timescale_days")
    ).fill_null(False)
    return units(done, date=pl.col("completed_date"), numerator=in_time, denominator=ONE)


@indicator("assessments_cancelled_count")
def assessments_cancelled_count(data: CaseData, period: Period) -> pl.DataFrame:
    cancelled = extract(data, "assessment_timescale").filter(
        in_period_expr("cancelled_date", period)
    )
    return units(cancelled, date=pl.col("cancelled_date"), numerator=ONE)


@indicator("s47_completed_10wd_pct")
def s47_completed_10wd_pct(data: CaseData, period: Period) -> pl.DataFrame:
    done = extract(data, "s47_completion").filter(in_period_expr("completed_date", period))
    in_time = (working_days("start_date", "completed_date") <= S47_WORKING_DAYS).fill_null(False)
    return units(done, date=pl.col("completed_date"), numerator=in_time, denominator=ONE)


@indicator("cla_iha_timely_pct")
def cla_iha_timely_pct(data: CaseData, period: Period) -> pl.DataFrame:
    ihas = extract(data, "health_assessment").select("child_id", "iha_date")
    eps = prepared_episodes(data)
    # periods of care starting in the period and lasting 28 days or more (to their end,
    # or to period end while still open)
    until = pl.min_horizontal(pl.col("poc_end").fill_null(pl.lit(period.end)), pl.lit(period.end))
    started = (
        eps.group_by(["child_id", "poc"], maintain_order=True)
        .agg(pl.col("poc_start").first(), pl.col("poc_end").first())
        .filter(in_period_expr("poc_start", period))
        .filter((until - pl.col("poc_start")).dt.total_days() >= IHA_MIN_DAYS_LOOKED_AFTER)
    )
    first_iha = (
        started.select("child_id", "poc", "poc_start", "poc_end")
        .join(ihas, on="child_id")
        .filter(
            (pl.col("iha_date") >= pl.col("poc_start"))
            & (pl.col("poc_end").is_null() | (pl.col("iha_date") <= pl.col("poc_end")))
        )
        .group_by("child_id", "poc")
        .agg(pl.col("iha_date").min())
    )
    frame = started.join(first_iha, on=["child_id", "poc"], how="left")
    in_time = (working_days("poc_start", "iha_date") <= IHA_WORKING_DAYS).fill_null(False)
    return units(frame, date=pl.col("poc_start"), numerator=in_time, denominator=ONE)

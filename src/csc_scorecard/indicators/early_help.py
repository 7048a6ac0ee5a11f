"""Early help: episodes from the local early-help extract, assessments from Annex A list 2.

Definitions are in catalogue/early_help.yml; each function returns unit rows.
Annex A list 2 holds early-help *assessments* (start and completion dates)
only; episodes, their closure and why they closed come from the optional
early-help extract (docs/local_csvs.md). Without the extract those figures are
unavailable with that reason, never 0.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.indicators import requirements
from csc_scorecard.indicators.casedata import open_at
from csc_scorecard.indicators.registry import CaseData, Unavailable, indicator, units
from csc_scorecard.periods import Period, in_period_expr

ONE = pl.lit(1.0)

OUTCOMES_MET = "OUTCOMES_MET"
STEP_UP = "STEP_UP"

NEEDS_EXTRACT = requirements.EARLY_HELP
NEEDS_LIST_2 = requirements.EARLY_HELP_ASSESSMENTS


def episodes(data: CaseData) -> pl.DataFrame:
    frame = data.tables.get("early_help_episode")
    if frame is None or frame.is_empty():
        raise Unavailable(NEEDS_EXTRACT)
    return frame.filter(pl.col("start_date").is_not_null())


@indicator("early_help_open_count")
def early_help_open_count(data: CaseData, period: Period) -> pl.DataFrame:
    # children with an episode open at the end of the last day (closed that day: not open)
    children = (
        episodes(data)
        .filter(open_at("start_date", "end_date", period.end))
        .unique(subset="child_id", maintain_order=True)
    )
    return units(children, date=pl.lit(period.end), numerator=ONE)


@indicator("early_help_starts_count")
def early_help_starts_count(data: CaseData, period: Period) -> pl.DataFrame:
    started = episodes(data).filter(in_period_expr("start_date", period))
    return units(started, date=pl.col("start_date"), numerator=ONE)


def _closed(data: CaseData, period: Period) -> pl.DataFrame:
    return episodes(data).filter(in_period_expr("end_date", period))


@indicator("early_help_closed_count")
def early_help_closed_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(_closed(data, period), date=pl.col("end_date"), numerator=ONE)


def _closed_share(data: CaseData, period: Period, reason: str) -> pl.DataFrame:
    closed = _closed(data, period)
    return units(
        closed, date=pl.col("end_date"),
        numerator=(pl.col("closure_reason").str.to_uppercase() == reason).fill_null(False),
        denominator=ONE,
    )


@indicator("early_help_closed_outcomes_met_pct")
def early_help_closed_outcomes_met_pct(data: CaseData, period: Period) -> pl.DataFrame:
    return _closed_share(data, period, OUTCOMES_MET)


@indicator("early_help_stepped_up_pct")
def early_help_stepped_up_pct(data: CaseData, period: Period) -> pl.DataFrame:
    return _closed_share(data, period, STEP_UP)


@indicator("early_help_assessments_count")
def early_help_assessments_count(data: CaseData, period: Period) -> pl.DataFrame:
    list_2 = data["early_help"].filter(pl.col("start_date").is_not_null())
    if list_2.is_empty():
        extract = data.tables.get("early_help_episode")
        if extract is None or extract.is_empty():
            raise Unavailable(NEEDS_LIST_2)
        list_2 = extract.select("child_id", pl.col("assessment_date").alias("start_date"))
    started = list_2.filter(in_period_expr("start_date", period)).unique(
        subset=["child_id", "start_date"], maintain_order=True
    )
    return units(started, date=pl.col("start_date"), numerator=ONE)

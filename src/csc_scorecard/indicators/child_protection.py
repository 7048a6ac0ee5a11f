"""Child protection plans: open, starting, ending, repeat plans, duration, reviews, visits.

Definitions are in catalogue/child_protection.yml; each function returns unit rows.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.indicators.casedata import open_at, working_days
from csc_scorecard.indicators.registry import CaseData, indicator, units
from csc_scorecard.periods import Period, in_period_expr

ONE = pl.lit(1.0)

#: A plan has lasted "2 years or more" when it spans at least 730 days
#: counting both its first and its last day (DfE: more than 729 days).
TWO_YEARS_DAYS = 730

#: Statutory visits to a child on a plan: at least every 10 working days.
VISIT_WORKING_DAYS = 10


def _plans(data: CaseData) -> pl.DataFrame:
    return data["cp_plan"].filter(pl.col("start_date").is_not_null())


def open_plans(data: CaseData, day: dt.date) -> pl.DataFrame:
    """Children on a plan at the end of ``day``: one row a child (their latest plan)."""
    return (
        _plans(data)
        .filter(open_at("start_date", "end_date", day))
        .sort("child_id", "start_date")
        .unique(subset="child_id", keep="last", maintain_order=True)
    )


@indicator("cp_open_count")
def cp_open_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(open_plans(data, period.end), date=pl.lit(period.end), numerator=ONE)


def _starts(data: CaseData, period: Period) -> pl.DataFrame:
    return _plans(data).filter(in_period_expr("start_date", period))


def _ends(data: CaseData, period: Period) -> pl.DataFrame:
    return _plans(data).filter(in_period_expr("end_date", period))


@indicator("cp_starts_count")
def cp_starts_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(_starts(data, period), date=pl.col("start_date"), numerator=ONE)


@indicator("cp_ends_count")
def cp_ends_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(_ends(data, period), date=pl.col("end_date"), numerator=ONE)


@indicator("cp_repeat_ever_pct")
def cp_repeat_ever_pct(data: CaseData, period: Period) -> pl.DataFrame:
    first = _plans(data).group_by("child_id").agg(pl.col("start_date").min().alias("_first"))
    starts = _starts(data, period).join(first, on="child_id", how="left")
    repeat = (pl.col("previous_plans").fill_null(0) > 0) | (
        pl.col("_first") < pl.col("start_date")
    ).fill_null(False)
    return units(starts, date=pl.col("start_date"), numerator=repeat, denominator=ONE)


@indicator("cp_repeat_2yr_pct")
def cp_repeat_2yr_pct(data: CaseData, period: Period) -> pl.DataFrame:
    starts = _starts(data, period).with_row_index("_row")
    earlier = _plans(data).select(
        "child_id", pl.col("start_date").alias("e_start"), pl.col("end_date").alias("e_end")
    ).filter(pl.col("e_end").is_not_null())
    recent = (
        starts.select("_row", "child_id", "start_date")
        .join(earlier, on="child_id", how="inner")
        .filter(
            (pl.col("e_start") < pl.col("start_date"))
            & (pl.col("e_end") <= pl.col("start_date"))
            & (pl.col("e_end") >= pl.col("start_date").dt.offset_by("-2y"))
        )
        .select("_row")
        .unique()
        .with_columns(pl.lit(True).alias("_recent"))
    )
    frame = starts.join(recent, on="_row", how="left")
    return units(
        frame,
        date=pl.col("start_date"),
        numerator=pl.col("_recent").fill_null(False),
        denominator=ONE,
    )


def _lasted_two_years(end: pl.Expr) -> pl.Expr:
    days = (end - pl.col("start_date")).dt.total_days() + 1
    return (days >= TWO_YEARS_DAYS).fill_null(False)


@indicator("cp_open_2yr_pct")
def cp_open_2yr_pct(data: CaseData, period: Period) -> pl.DataFrame:
    return units(
        open_plans(data, period.end),
        date=pl.lit(period.end),
        numerator=_lasted_two_years(pl.lit(period.end)),
        denominator=ONE,
    )


@indicator("cp_ended_2yr_pct")
def cp_ended_2yr_pct(data: CaseData, period: Period) -> pl.DataFrame:
    return units(
        _ends(data, period),
        date=pl.col("end_date"),
        numerator=_lasted_two_years(pl.col("end_date")),
        denominator=ONE,
    )


@indicator("cp_reviews_timely_pct")
def cp_reviews_timely_pct(data: CaseData, period: Period) -> pl.DataFrame:
    end = pl.lit(period.end)
    plans = open_plans(data, period.end).filter(
        pl.col("start_date").dt.offset_by("3mo") <= end
    ).select("child_id", "start_date")
    reviews = (
        data["cp_review"]
        .select("child_id", pl.col("plan_start_date").alias("start_date"), "review_date")
        .filter(pl.col("review_date").is_not_null())
        .unique()
        .join(plans, on=["child_id", "start_date"], how="inner")
        .filter((pl.col("review_date") >= pl.col("start_date")) & (pl.col("review_date") <= end))
        .sort("child_id", "review_date")
        .with_columns(pl.col("review_date").shift(1).over("child_id").alias("_previous"))
        .with_columns(
            pl.when(pl.col("_previous").is_null())
            .then(pl.col("start_date").dt.offset_by("3mo"))
            .otherwise(pl.col("_previous").dt.offset_by("6mo"))
            .alias("_due")
        )
        .group_by("child_id")
        .agg(
            (pl.col("review_date") <= pl.col("_due")).all().alias("_all_on_time"),
            pl.col("review_date").max().alias("_last"),
        )
    )
    frame = plans.join(reviews, on="child_id", how="left")
    timely = (
        pl.when(pl.col("_last").is_null())
        .then(end <= pl.col("start_date").dt.offset_by("3mo"))
        .otherwise(pl.col("_all_on_time") & (end <= pl.col("_last").dt.offset_by("6mo")))
    ).fill_null(False)
    return units(frame, date=end, numerator=timely, denominator=ONE)


@indicator("cp_visits_timely_pct")
def cp_visits_timely_pct(data: CaseData, period: Period) -> pl.DataFrame:
    plans = open_plans(data, period.end).select(
        "child_id",
        "start_date",
        pl.max_horizontal(pl.col("start_date"), pl.lit(period.start)).alias("_from"),
    )
    visits = (
        data["visit"]
        .filter(
            (pl.col("kind").str.strip_chars().str.to_uppercase() == "CP")
            & pl.col("visit_date").is_not_null()
        )
        .select("child_id", "visit_date")
        .unique()
        .join(plans, on="child_id", how="inner")
        .filter(
            (pl.col("visit_date") >= pl.col("start_date"))
            & (pl.col("visit_date") <= pl.lit(period.end))
        )
    )
    # The clock starts at the last visit on or before the window opens (the
    # window is the period, or from the plan's start if it began in the period);
    # with no such visit, at the window's opening.
    anchors = (
        visits.filter(pl.col("visit_date") <= pl.col("_from"))
        .group_by("child_id")
        .agg(pl.col("visit_date").max().alias("_anchor"))
    )
    starts = plans.join(anchors, on="child_id", how="left").select(
        "child_id", pl.coalesce("_anchor", "_from").alias("day")
    )
    inside = visits.filter(pl.col("visit_date") > pl.col("_from")).select(
        "child_id", pl.col("visit_date").alias("day")
    )
    ends = plans.select("child_id", pl.lit(period.end).alias("day"))
    gaps = (
        pl.concat([starts, inside, ends])
        .sort("child_id", "day")
        .with_columns(pl.col("day").shift(1).over("child_id").alias("_previous"))
        .filter(pl.col("_previous").is_not_null())
        .with_columns(working_days("_previous", "day").alias("_gap"))
        .group_by("child_id")
        .agg(
            (pl.col("_gap").is_not_null() & (pl.col("_gap") <= VISIT_WORKING_DAYS))
            .all()
            .alias("_seen")
        )
    )
    frame = plans.join(gaps, on="child_id", how="left")
    return units(
        frame,
        date=pl.lit(period.end),
        numerator=pl.col("_seen").fill_null(False),
        denominator=ONE,
    )

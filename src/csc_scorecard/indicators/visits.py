"""Statutory visits: child protection visits counted one by one, and looked-after children's visits.

Definitions are in catalogue/visits.yml; each function returns unit rows. The
visits come from the local visits extract (docs/local_csvs.md, kinds CP and CLA).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.indicators.casedata import open_at, working_days
from csc_scorecard.indicators.child_protection import VISIT_WORKING_DAYS, open_plans
from csc_scorecard.indicators.registry import CaseData, indicator, units
from csc_scorecard.periods import Period

ONE = pl.lit(1.0)

# Looked-after children's visits (Care Planning, Placement and Case Review
# (England) Regulations 2010, reg. 28). These are settings: a council whose
# policy is stricter changes them here, and the catalogue text names them.
#: the first visit: within this many days of a placement starting
CLA_FIRST_VISIT_DAYS = 7
#: in the placement's first year: at most this many days between visits (6 weeks)
CLA_FIRST_YEAR_INTERVAL_DAYS = 42
#: after the placement's first year: at most this many calendar months between visits.
#: The regulations allow it where the placement is intended to last until 18;
#: the returns do not record intention, so it applies to every placement past a year.
CLA_LATER_INTERVAL_MONTHS = 3


def _visits(data: CaseData, kind: str) -> pl.DataFrame:
    return (
        data["visit"]
        .filter(
            (pl.col("kind").str.strip_chars().str.to_uppercase() == kind)
            & pl.col("visit_date").is_not_null()
        )
        .select("child_id", "visit_date")
        .unique()
    )


def _cp_visit_units(data: CaseData, period: Period) -> pl.DataFrame:
    """One row per CP visit made in the period during a plan, and one per visit that fell due
    and was not made by period end (plans open at period end): child_id, plan_start, day,
    made, on_time. A visit is on time within 10 working days of the previous visit of the
    plan, or of the plan's start for the first."""
    plans = (
        data["cp_plan"]
        .filter(
            pl.col("start_date").is_not_null()
            & (pl.col("start_date") <= pl.lit(period.end))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.lit(period.start)))
        )
        .select("child_id", pl.col("start_date").alias("plan_start"), pl.col("end_date").alias("plan_end"))
        .unique()
    )
    visits = (
        _visits(data, "CP")
        .join(plans, on="child_id", how="inner")
        .filter(
            (pl.col("visit_date") >= pl.col("plan_start"))
            & (pl.col("plan_end").is_null() | (pl.col("visit_date") <= pl.col("plan_end")))
            & (pl.col("visit_date") <= pl.lit(period.end))
        )
        .select("child_id", "plan_start", pl.col("visit_date").alias("day"))
    )
    anchors = plans.select("child_id", "plan_start", pl.col("plan_start").alias("day"))
    steps = (
        pl.concat([anchors.with_columns(pl.lit(False).alias("made")),
                   visits.with_columns(pl.lit(True).alias("made"))])
        .sort("child_id", "plan_start", "day", "made")
        .with_columns(pl.col("day").shift(1).over("child_id", "plan_start").alias("_previous"))
    )
    made = steps.filter(pl.col("made") & (pl.col("day") >= pl.lit(period.start))).with_columns(
        (working_days("_previous", "day") <= VISIT_WORKING_DAYS).fill_null(False).alias("on_time")
    )
    still_open = plans.filter(
        pl.col("plan_end").is_null() | (pl.col("plan_end") > pl.lit(period.end))
    ).select("child_id", "plan_start")
    last = steps.group_by("child_id", "plan_start").agg(pl.col("day").max().alias("_last"))
    overdue = (
        still_open.join(last, on=["child_id", "plan_start"], how="left")
        .filter(working_days("_last", pl.lit(period.end)) > VISIT_WORKING_DAYS)
        .select(
            "child_id", "plan_start", pl.lit(period.end).alias("day"),
            pl.lit(False).alias("made"), pl.lit(False).alias("on_time"),
        )
    )
    return pl.concat(
        [made.select("child_id", "plan_start", "day", "made", "on_time"), overdue]
    ).sort("child_id", "day")


@indicator("cp_visits_count")
def cp_visits_count(data: CaseData, period: Period) -> pl.DataFrame:
    made = _cp_visit_units(data, period).filter(pl.col("made"))
    return units(made, date=pl.col("day"), numerator=ONE)


@indicator("cp_visits_on_time_pct")
def cp_visits_on_time_pct(data: CaseData, period: Period) -> pl.DataFrame:
    return units(
        _cp_visit_units(data, period), date=pl.col("day"), numerator=pl.col("on_time"),
        denominator=ONE,
    )


@indicator("cp_visits_all_on_time_pct")
def cp_visits_all_on_time_pct(data: CaseData, period: Period) -> pl.DataFrame:
    children = open_plans(data, period.end).select(
        "child_id", pl.col("start_date").alias("plan_start")
    )
    late = (
        _cp_visit_units(data, period)
        .filter(~pl.col("on_time"))
        .select("child_id", "plan_start")
        .unique()
        .with_columns(pl.lit(True).alias("_late"))
    )
    frame = children.join(late, on=["child_id", "plan_start"], how="left").sort("child_id")
    return units(
        frame, date=pl.lit(period.end), numerator=~pl.col("_late").fill_null(False),
        denominator=ONE,
    )


def _placement_starts(data: CaseData, day: dt.date) -> pl.DataFrame:
    """child_id, placement_start: the current placement of each child looked after at ``day``
    (the latest episode start on or before it that is not a change of legal status only)."""
    episodes = data["cla_episode"].filter(pl.col("start_date").is_not_null())
    looked_after = episodes.filter(open_at("start_date", "end_date", day)).select("child_id").unique()
    new_placement = pl.col("reason_new_episode").str.strip_chars().str.to_uppercase() != "L"
    return (
        episodes.filter(new_placement.fill_null(True) & (pl.col("start_date") <= pl.lit(day)))
        .group_by("child_id")
        .agg(pl.col("start_date").max().alias("placement_start"))
        .join(looked_after, on="child_id", how="inner")
    )


@indicator("cla_visits_timely_pct")
def cla_visits_timely_pct(data: CaseData, period: Period) -> pl.DataFrame:
    end = period.end
    placements = _placement_starts(data, end)
    visits = (
        _visits(data, "CLA")
        .join(placements, on="child_id", how="inner")
        .filter((pl.col("visit_date") >= pl.col("placement_start")) & (pl.col("visit_date") <= pl.lit(end)))
        .select("child_id", "placement_start", pl.col("visit_date").alias("day"), pl.lit(False).alias("anchor"))
    )
    anchors = placements.with_columns(pl.col("placement_start").alias("day"), pl.lit(True).alias("anchor"))
    # after the last visit, the next is "made" the day after period end: late if it fell due by then
    sentinels = placements.with_columns(
        pl.lit(end + dt.timedelta(days=1)).alias("day"), pl.lit(False).alias("anchor")
    )
    start = pl.col("placement_start")
    steps = (
        pl.concat([anchors.select(visits.columns), visits, sentinels.select(visits.columns)])
        .sort("child_id", "day", pl.col("anchor").not_())
        .with_columns(
            pl.col("day").shift(1).over("child_id").alias("_previous"),
            pl.col("anchor").shift(1).over("child_id").alias("_after_anchor"),
        )
        .filter(pl.col("_previous").is_not_null())
        .with_columns(
            pl.when(pl.col("_after_anchor"))
            .then(pl.col("_previous") + pl.duration(days=CLA_FIRST_VISIT_DAYS))
            .when(pl.col("_previous") < start.dt.offset_by("1y"))
            .then(pl.col("_previous") + pl.duration(days=CLA_FIRST_YEAR_INTERVAL_DAYS))
            .otherwise(pl.col("_previous").dt.offset_by(f"{CLA_LATER_INTERVAL_MONTHS}mo"))
            .alias("_due")
        )
        # only visits falling due in this period are judged in it (one not yet due is not late)
        .filter((pl.col("_due") >= pl.lit(period.start)) & (pl.col("_due") <= pl.lit(end)))
        .group_by("child_id")
        .agg((pl.col("day") <= pl.col("_due")).all().alias("_on_time"))
    )
    frame = placements.join(steps, on="child_id", how="left").sort("child_id")
    return units(
        frame, date=pl.lit(end), numerator=pl.col("_on_time").fill_null(True), denominator=ONE
    )

"""Children in need: episodes open at period end, and visits to children on CIN plans.

Definitions are in catalogue/children_in_need.yml; each function returns unit rows.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.indicators.casedata import open_at
from csc_scorecard.indicators.child_protection import open_plans
from csc_scorecard.indicators.registry import CaseData, indicator, units
from csc_scorecard.periods import Period

ONE = pl.lit(1.0)

#: "No visit in the 6 weeks up to period end": no visit in the 42 days ending on it.
VISIT_WINDOW_DAYS = 42


def open_episodes(data: CaseData, day: dt.date) -> pl.DataFrame:
    """CIN episodes open at the end of ``day``; referrals closed with no further action excluded."""
    return data["referral"].filter(
        open_at("referral_date", "closure_date", day) & ~pl.col("nfa").fill_null(False)
    )


@indicator("cin_open_count")
def cin_open_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(open_episodes(data, period.end), date=pl.lit(period.end), numerator=ONE)


def children_in_need_only(data: CaseData, day: dt.date) -> pl.DataFrame:
    """Children with a CIN episode open at the end of ``day`` who are neither on a CP plan
    nor looked after then (the seed's "CiN excl CLA & CP"): one row a child."""
    on_plan = open_plans(data, day).select("child_id")
    looked_after = (
        data["cla_episode"]
        .filter(open_at("start_date", "end_date", day))
        .select("child_id")
    )
    return (
        open_episodes(data, day)
        .select("child_id")
        .unique()
        .join(on_plan, on="child_id", how="anti")
        .join(looked_after, on="child_id", how="anti")
        .sort("child_id")
    )


@indicator("cin_open_excl_cp_cla_count")
def cin_open_excl_cp_cla_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(children_in_need_only(data, period.end), date=pl.lit(period.end), numerator=ONE)


@indicator("cin_no_visit_6wk_pct")
def cin_no_visit_6wk_pct(data: CaseData, period: Period) -> pl.DataFrame:
    end = period.end
    children = children_in_need_only(data, end)
    since = end - dt.timedelta(days=VISIT_WINDOW_DAYS)
    seen = (
        data["visit"]
        .filter(
            (pl.col("kind").str.strip_chars().str.to_uppercase() == "CIN")
            & (pl.col("visit_date") > pl.lit(since))
            & (pl.col("visit_date") <= pl.lit(end))
        )
        .select("child_id")
        .unique()
        .with_columns(pl.lit(True).alias("_seen"))
    )
    frame = children.join(seen, on="child_id", how="left").sort("child_id")
    return units(
        frame,
        date=pl.lit(end),
        numerator=~pl.col("_seen").fill_null(False),
        denominator=ONE,
    )


#: A CIN plan is overdue when neither started nor reviewed in the 3 calendar
#: months up to period end: reviewed exactly 3 months before (31 Dec for
#: 31 March) is still in time, a day earlier is overdue.
PLAN_REVIEW_MONTHS = 3


def _plan_reviews(data: CaseData) -> pl.DataFrame:
    """child_id, day: every date a CIN plan was started (the census's CIN plan start dates)
    or reviewed (the optional local CIN plan reviews extract, when loaded)."""
    days = [data["cin_plan"].select("child_id", pl.col("start_date").alias("day"))]
    reviews = data.tables.get("cin_plan_review")
    if reviews is not None and reviews.height:
        days.append(reviews.select("child_id", pl.col("review_date").alias("day")))
    return pl.concat(days).filter(pl.col("day").is_not_null())


@indicator("cin_plan_overdue_pct")
def cin_plan_overdue_pct(data: CaseData, period: Period) -> pl.DataFrame:
    end = period.end
    children = children_in_need_only(data, end)
    open_plan = (
        data["cin_plan"]
        .filter(open_at("start_date", "end_date", end))
        .select("child_id")
        .unique()
        .with_columns(pl.lit(True).alias("_has_plan"))
    )
    latest = (
        _plan_reviews(data)
        .filter(pl.col("day") <= pl.lit(end))
        .group_by("child_id")
        .agg(pl.col("day").max().alias("_latest"))
    )
    frame = children.join(open_plan, on="child_id", how="left").join(
        latest, on="child_id", how="left"
    )
    in_time = pl.col("_has_plan").fill_null(False) & (
        pl.col("_latest").dt.offset_by(f"{PLAN_REVIEW_MONTHS}mo") >= pl.lit(end)
    ).fill_null(False)
    return units(frame, date=pl.lit(end), numerator=~in_time, denominator=ONE)


def _stepped_down(data: CaseData, period: Period, ended: pl.DataFrame) -> pl.DataFrame:
    """Children in need only at period end, flagged when ``ended`` (child_id, ended) holds an
    end in the year up to period end (on or after the same day a year before: 365 days for
    31 March 2025, not 366) and their open CIN episode began on or before it (it continued)."""
    end = period.end
    children = children_in_need_only(data, end)
    year_before = pl.lit(end).dt.offset_by("-1y")
    episodes = open_episodes(data, end).select("child_id", "referral_date")
    stepped = (
        ended.filter((pl.col("ended") >= year_before) & (pl.col("ended") <= pl.lit(end)))
        .join(episodes, on="child_id", how="inner")
        .filter(pl.col("referral_date") <= pl.col("ended"))
        .select("child_id")
        .unique()
        .with_columns(pl.lit(True).alias("_stepped"))
    )
    frame = children.join(stepped, on="child_id", how="left")
    return units(
        frame, date=pl.lit(end), numerator=pl.col("_stepped").fill_null(False), denominator=ONE
    )


@indicator("cin_stepped_down_from_cp_pct")
def cin_stepped_down_from_cp_pct(data: CaseData, period: Period) -> pl.DataFrame:
    ended = data["cp_plan"].select("child_id", pl.col("end_date").alias("ended"))
    return _stepped_down(data, period, ended.filter(pl.col("ended").is_not_null()))


@indicator("cin_stepped_down_from_cla_pct")
def cin_stepped_down_from_cla_pct(data: CaseData, period: Period) -> pl.DataFrame:
    # the end of a period of care: an episode ending with a reason ceased (not X1,
    # which only closes an episode inside a continuing period of care)
    ended = data["cla_episode"].filter(
        pl.col("end_date").is_not_null()
        & (pl.col("reason_ceased").str.strip_chars().str.to_uppercase() != "X1").fill_null(True)
    ).select("child_id", pl.col("end_date").alias("ended"))
    return _stepped_down(data, period, ended)

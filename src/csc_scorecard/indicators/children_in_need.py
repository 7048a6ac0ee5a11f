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


@indicator("cin_no_visit_6wk_pct")
def cin_no_visit_6wk_pct(data: CaseData, period: Period) -> pl.DataFrame:
    end = period.end
    on_plan = open_plans(data, end).select("child_id")
    looked_after = (
        data["cla_episode"]
        .filter(open_at("start_date", "end_date", end))
        .select("child_id")
    )
    children = (
        open_episodes(data, end)
        .select("child_id")
        .unique()
        .join(on_plan, on="child_id", how="anti")
        .join(looked_after, on="child_id", how="anti")
    )
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

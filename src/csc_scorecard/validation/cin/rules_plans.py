"""CIN census rules on CIN plans (<CINPlanDates>), child protection plans
(<ChildProtectionPlans>) and their reviews.

A plan runs from its start date up to (not including) its end date, or on
while it has no end date; two plans "overlap" when one starts while the
other runs. A CIN plan may end on the day a CP plan starts (stepping up) and
start on the day one ends (stepping down): that is not running together.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.cin.common import (
    EPISODE_KEY,
    cin_rule,
    codes,
    day,
    fail,
    missing,
    outside_year,
    pairs,
    period,
    with_episode,
    with_person,
)
from csc_scorecard.validation.core import shared


@shared("CINplanDates")
def _plans(t) -> pl.DataFrame:
    return t["CINplanDates"].with_columns(
        day("CINPlanStartDate").alias("_start"), day("CINPlanEndDate").alias("_end")
    )


@shared("ChildProtectionPlans")
def _cpps(t) -> pl.DataFrame:
    return t["ChildProtectionPlans"].with_columns(
        day("CPPstartDate").alias("_cp_start"), day("CPPendDate").alias("_cp_end")
    )


def _runs(start: str, end: str, when: pl.Expr) -> pl.Expr:
    """``when`` falls while the plan [start, end) runs."""
    return ((when >= pl.col(start)) & (pl.col(end).is_null() | (when < pl.col(end)))).fill_null(False)


def _overlap(frame: pl.DataFrame, start: str, end: str) -> pl.DataFrame:
    both = pairs(frame)
    return both.filter(_runs(f"{start}_other", f"{end}_other", pl.col(start)))


# -- CIN plans -----------------------------------------------------------------

PLAN_TABLES = ("CINplanDates", "ChildProtectionPlans")


@shared("CINplanDates", "ChildProtectionPlans")
def _plan_with_cpp(t) -> pl.DataFrame:
    """Each CIN plan paired with each CP plan of the same episode."""
    cps = _cpps(t).select(*EPISODE_KEY, "_cp_start", "_cp_end", "CPPstartDate", "CPPendDate")
    return _plans(t).join(cps, on=EPISODE_KEY)


@cin_rule("4001", reads=PLAN_TABLES)
def cin_and_cp_plan_both_open(t, ctx):
    rows = _plan_with_cpp(t).filter(missing("CINPlanEndDate") & missing("CPPendDate"))
    return fail(rows, "CINplanDates", "CINPlanEndDate", "CPPendDate")


@cin_rule("4016", reads=PLAN_TABLES)
def cin_plan_starts_during_cp_plan(t, ctx):
    rows = _plan_with_cpp(t).filter(_runs("_cp_start", "_cp_end", pl.col("_start")))
    return fail(rows, "CINplanDates", "CINPlanStartDate", "CPPstartDate", "CPPendDate")


@cin_rule("4017", reads=PLAN_TABLES)
def cp_plan_starts_during_cin_plan(t, ctx):
    rows = _plan_with_cpp(t).filter(_runs("_start", "_end", pl.col("_cp_start")))
    return fail(rows, "CINplanDates", "CINPlanStartDate", "CINPlanEndDate", "CPPstartDate")


@cin_rule("4003", reads=("CINplanDates", "Reviews"))
def cp_review_during_cin_plan(t, ctx):
    plans = _plans(t).select(*EPISODE_KEY, "_start", "_end", "CINPlanStartDate", "CINPlanEndDate")
    rows = (
        t["Reviews"].join(plans, on=EPISODE_KEY)
        .filter(_runs("_start", "_end", day("CPPreviewDate")))
    )
    return fail(rows, "Reviews", "CINPlanStartDate", "CINPlanEndDate", "CPPreviewDate")


@cin_rule("4004", reads=("CINplanDates",))
def several_open_cin_plans(t, ctx):
    rows = _plans(t).filter(missing("CINPlanEndDate")).filter(pl.col("_child_no").is_duplicated())
    return fail(rows, "CINplanDates", "CINPlanEndDate")


@cin_rule("4008", reads=("CINplanDates", "ChildIdentifiers"))
def cin_plan_starts_after_death(t, ctx):
    rows = with_person(_plans(t), t).filter(pl.col("_start") > day("PersonDeathDate"))
    return fail(rows, "CINplanDates", "PersonDeathDate", "CINPlanStartDate")


@cin_rule("4009Q", reads=("CINplanDates", "ChildIdentifiers"))
def cin_plan_ends_after_death(t, ctx):
    rows = with_person(_plans(t), t).filter(pl.col("_end") > day("PersonDeathDate"))
    return fail(rows, "CINplanDates", "PersonDeathDate", "CINPlanEndDate")


@cin_rule("4010", reads=("CINplanDates",))
def cin_plan_start_valid(t, ctx):
    _, end = period(ctx)
    rows = _plans(t).filter(pl.col("_start").is_null() | (pl.col("_start") > end))
    return fail(rows, "CINplanDates", "CINPlanStartDate")


@cin_rule("4011", reads=("CINplanDates",))
def cin_plan_ends_before_start(t, ctx):
    rows = _plans(t).filter(pl.col("_end") < pl.col("_start"))
    return fail(rows, "CINplanDates", "CINPlanEndDate", "CINPlanStartDate")


@cin_rule("4012Q", reads=("CINplanDates",))
def cin_plan_one_day(t, ctx):
    rows = _plans(t).filter(pl.col("_end") == pl.col("_start"))
    return fail(rows, "CINplanDates", "CINPlanStartDate", "CINPlanEndDate")


@cin_rule("4013", reads=("CINplanDates",))
def cin_plan_end_in_year(t, ctx):
    rows = _plans(t).filter(outside_year("CINPlanEndDate", ctx))
    return fail(rows, "CINplanDates", "CINPlanEndDate")


@cin_rule("4014", reads=("CINplanDates",))
def cin_plans_overlap(t, ctx):
    rows = _overlap(_plans(t), "_start", "_end")
    return fail(rows, "CINplanDates", "CINPlanStartDate", "CINPlanEndDate")


@cin_rule("4015", reads=("CINplanDates", "CINdetails"))
def cin_plan_before_referral(t, ctx):
    rows = with_episode(t, "CINplanDates").filter(day("CINPlanStartDate") < day("CINreferralDate"))
    return fail(rows, "CINplanDates", "CINPlanStartDate", "CINreferralDate")


# -- child protection plans -------------------------------------------------------


@cin_rule("1105", reads=("ChildProtectionPlans", "CINdetails"))
def cp_plan_before_referral(t, ctx):
    rows = with_episode(t, "ChildProtectionPlans").filter(day("CPPstartDate") < day("CINreferralDate"))
    return fail(rows, "ChildProtectionPlans", "CPPstartDate", "CINreferralDate")


@cin_rule("8720", reads=("ChildProtectionPlans",))
def cp_start_valid(t, ctx):
    _, end = period(ctx)
    rows = _cpps(t).filter(pl.col("_cp_start").is_null() | (pl.col("_cp_start") > end))
    return fail(rows, "ChildProtectionPlans", "CPPstartDate")


@cin_rule("8730", reads=("ChildProtectionPlans",))
def previous_plans_missing(t, ctx):
    # Present and a whole number, zero or more.
    rows = _cpps(t).filter(
        missing("NumberOfPreviousCPP")
        | ~pl.col("NumberOfPreviousCPP").str.strip_chars().str.contains(r"^\d+$").fill_null(False)
    )
    return fail(rows, "ChildProtectionPlans", "NumberOfPreviousCPP")


@cin_rule("8840", reads=("ChildProtectionPlans",))
def cp_plan_one_day(t, ctx):
    rows = _cpps(t).filter(pl.col("_cp_start") == pl.col("_cp_end"))
    return fail(rows, "ChildProtectionPlans", "CPPstartDate", "CPPendDate")


@cin_rule("8841", reads=("ChildProtectionPlans", "Reviews"))
def review_not_after_start(t, ctx):
    starts = _cpps(t).select(*EPISODE_KEY, "CPPID", "_cp_start", "CPPstartDate")
    rows = (
        t["Reviews"].join(starts, on=[*EPISODE_KEY, "CPPID"])
        .filter(day("CPPreviewDate") <= pl.col("_cp_start"))
    )
    return fail(rows, "Reviews", "CPPstartDate", "CPPreviewDate")


@cin_rule("8842Q", reads=("Reviews",))
def review_date_missing(t, ctx):
    return fail(t["Reviews"].filter(missing("CPPreviewDate")), "Reviews", "CPPreviewDate")


def _category(field: str):
    def check(t, ctx):
        value = pl.col(field).str.strip_chars()
        rows = _cpps(t).filter(missing(field) | ~value.is_in(codes(ctx, "abuse_category")))
        return fail(rows, "ChildProtectionPlans", field)

    return check


cin_rule("8905", reads=("ChildProtectionPlans",))(_category("InitialCategoryOfAbuse"))
cin_rule("8910", reads=("ChildProtectionPlans",))(_category("LatestCategoryOfAbuse"))


@cin_rule("8915", reads=("ChildProtectionPlans", "ChildIdentifiers"))
def cp_plan_starts_after_death(t, ctx):
    rows = with_person(_cpps(t), t).filter(pl.col("_cp_start") > day("PersonDeathDate"))
    return fail(rows, "ChildProtectionPlans", "CPPstartDate", "PersonDeathDate")


@cin_rule("8920", reads=("ChildProtectionPlans", "ChildIdentifiers"))
def cp_plan_ends_after_death(t, ctx):
    rows = with_person(_cpps(t), t).filter(pl.col("_cp_end") > day("PersonDeathDate"))
    return fail(rows, "ChildProtectionPlans", "PersonDeathDate", "CPPendDate")


@cin_rule("8925", reads=("ChildProtectionPlans",))
def cp_plan_ends_before_start(t, ctx):
    rows = _cpps(t).filter(pl.col("_cp_end") < pl.col("_cp_start"))
    return fail(rows, "ChildProtectionPlans", "CPPstartDate", "CPPendDate")


@cin_rule("8930", reads=("ChildProtectionPlans",))
def cp_plan_end_in_year(t, ctx):
    rows = _cpps(t).filter(outside_year("CPPendDate", ctx))
    return fail(rows, "ChildProtectionPlans", "CPPendDate")


@cin_rule("8935", reads=("ChildProtectionPlans",))
def several_open_cp_plans(t, ctx):
    rows = _cpps(t).filter(missing("CPPendDate")).filter(pl.col("_child_no").is_duplicated())
    return fail(rows, "ChildProtectionPlans", "CPPendDate")


@cin_rule("8940", reads=("ChildProtectionPlans",))
def cp_plans_overlap(t, ctx):
    rows = _overlap(_cpps(t), "_cp_start", "_cp_end")
    return fail(rows, "ChildProtectionPlans", "CPPstartDate", "CPPendDate")

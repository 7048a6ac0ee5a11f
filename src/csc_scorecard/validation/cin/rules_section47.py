"""CIN census rules on section 47 enquiries and initial child protection conferences (ICPCs).

An ICPC may be recorded in a <Section47> module (DateOfInitialCPC) or, when
the enquiry itself is not in this year's return, on the episode
(<CINdetails> DateOfInitialCPC) - not both for the same conference. An
enquiry is "open" (ongoing) when it has neither an ICPC date nor
ICPCnotRequired = true; one with an ICPC is over on the conference's date.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.cin.common import (
    EPISODE_KEY,
    cin_rule,
    day,
    fail,
    in_year,
    missing,
    outside_year,
    pairs,
    period,
    true,
    weekend,
    whole_return,
    with_episode,
)
from csc_scorecard.validation.core import collect
from csc_scorecard.workdays import add_working_days

OPEN_S47_LIMIT = 15  # working days


def _s(t) -> pl.DataFrame:
    return t["Section47"]


def _open() -> pl.Expr:
    return missing("DateOfInitialCPC") & ~true("ICPCnotRequired")


def _icpcs(t) -> pl.DataFrame:
    """Every ICPC date of every episode, from both levels, one row each."""
    return pl.concat(
        [
            t["CINdetails"].select(*EPISODE_KEY, day("DateOfInitialCPC").alias("_icpc"), "_row", "_child",
                                    "DateOfInitialCPC"),
            _s(t).select(*EPISODE_KEY, day("DateOfInitialCPC").alias("_icpc"), "_row", "_child",
                         "DateOfInitialCPC"),
        ]
    ).filter(pl.col("_icpc").is_not_null())


@cin_rule("1104", reads=("CINdetails", "Section47"))
def icpc_before_referral(t, ctx):
    referrals = t["CINdetails"].select(*EPISODE_KEY, "CINreferralDate")
    rows = _icpcs(t).join(referrals, on=EPISODE_KEY).filter(pl.col("_icpc") < day("CINreferralDate"))
    return fail(rows, "Section47", "CINreferralDate", "DateOfInitialCPC")


@cin_rule("2883", reads=("CINdetails", "Section47", "ChildProtectionPlans"))
def more_plans_than_conferences(t, ctx):
    # Across the whole return: plans starting this year against conferences held this year,
    # counted at both levels (the DfE counts the return, not each child).
    plans = t["ChildProtectionPlans"].filter(in_year("CPPstartDate", ctx)).height
    conferences = sum(x.filter(in_year("DateOfInitialCPC", ctx)).height
                      for x in (t["CINdetails"], _s(t)))
    found = whole_return("ChildProtectionPlans", plans_starting=plans, conferences=conferences)
    return found if plans > conferences else found.head(0)


@cin_rule("2884", reads=("CINdetails", "Section47"))
def icpc_at_both_levels(t, ctx):
    # The same conference recorded on the episode and in one of its S47 modules.
    s47 = _s(t).select(*EPISODE_KEY, day("DateOfInitialCPC").alias("_s47_icpc")).drop_nulls()
    rows = (
        t["CINdetails"].with_columns(day("DateOfInitialCPC").alias("_icpc"))
        .join(s47, left_on=[*EPISODE_KEY, "_icpc"], right_on=[*EPISODE_KEY, "_s47_icpc"], how="semi")
    )
    return fail(rows, "CINdetails", "DateOfInitialCPC")


@cin_rule("2885", reads=("CINdetails", "Section47", "ChildProtectionPlans"))
def plan_not_on_conference_day(t, ctx):
    # A plan starting this year starts on the day of a conference of its episode: one in a
    # Section47 module, or, when the episode has no S47 module, the episode's own.
    # (Lazy: the fourteen steps are one query.)
    plans = t["ChildProtectionPlans"].lazy().filter(in_year("CPPstartDate", ctx)).with_columns(
        day("CPPstartDate").alias("_start")
    )
    with_s47 = _s(t).lazy().select(EPISODE_KEY).unique()
    icpcs = pl.concat([
        _s(t).lazy().select(*EPISODE_KEY, day("DateOfInitialCPC").alias("_icpc")),
        t["CINdetails"].lazy().join(with_s47, on=EPISODE_KEY, how="anti")
        .select(*EPISODE_KEY, day("DateOfInitialCPC").alias("_icpc")),
    ]).drop_nulls()
    same_day = plans.join(icpcs, left_on=[*EPISODE_KEY, "_start"], right_on=[*EPISODE_KEY, "_icpc"],
                          how="semi")
    rows = (
        plans.join(same_day.select("_row"), on="_row", how="anti")
        .join(
            icpcs.group_by(EPISODE_KEY).agg(pl.col("_icpc").dt.to_string("%Y-%m-%d").str.join(",")
                                            .alias("DateOfInitialCPC")),
            on=EPISODE_KEY, how="left",
        )
    )
    return fail(collect(rows), "ChildProtectionPlans", "CPPstartDate", "DateOfInitialCPC")


@cin_rule("2889", reads=("Section47", "CINdetails"))
def s47_before_referral(t, ctx):
    rows = with_episode(t, "Section47").filter(day("S47ActualStartDate") < day("CINreferralDate"))
    return fail(rows, "Section47", "S47ActualStartDate", "CINreferralDate")


@cin_rule("8615", reads=("Section47",))
def s47_start_missing_or_late(t, ctx):
    rows = _s(t).filter(
        day("S47ActualStartDate").is_null()
        | (day("S47ActualStartDate") > day("DateOfInitialCPC")).fill_null(False)
    )
    return fail(rows, "Section47", "S47ActualStartDate", "DateOfInitialCPC")


@cin_rule("8675Q", reads=("Section47",))
def long_open_s47(t, ctx):
    _, end = period(ctx)
    cutoff = add_working_days(end, -OPEN_S47_LIMIT)
    rows = _s(t).filter(_open() & (day("S47ActualStartDate") < cutoff))
    return fail(rows, "Section47", "DateOfInitialCPC", "S47ActualStartDate", "ICPCnotRequired")


@cin_rule("8715", reads=("Section47",))
def icpc_in_year(t, ctx):
    # The S47 module's conference only: one recorded on the episode may belong to an enquiry
    # of an earlier year (a plan open at 1 April), so it may predate the census year.
    return fail(_s(t).filter(outside_year("DateOfInitialCPC", ctx)), "Section47", "DateOfInitialCPC")


@cin_rule("8740", reads=("Section47",))
def open_s47_start_in_year(t, ctx):
    rows = _s(t).filter(_open() & ~in_year("S47ActualStartDate", ctx).fill_null(False))
    return fail(rows, "Section47", "S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired")


@cin_rule("8839", reads=("Section47",))
def several_open_s47_in_episode(t, ctx):
    rows = _s(t).filter(_open()).filter(pl.struct(EPISODE_KEY).is_duplicated())
    return fail(rows, "Section47", "DateOfInitialCPC")


@cin_rule("8868", reads=("Section47", "CINdetails"))
def closed_with_open_s47(t, ctx):
    rows = with_episode(t, "Section47").filter(~missing("CINclosureDate") & _open())
    return fail(rows, "Section47", "ICPCnotRequired", "CINclosureDate", "DateOfInitialCPC")


@cin_rule("8870Q", reads=("Section47",))
def target_on_weekend(t, ctx):
    return fail(_s(t).filter(weekend("InitialCPCtarget")), "Section47", "InitialCPCtarget")


@cin_rule("8875", reads=("Section47",))
def icpc_on_weekend(t, ctx):
    # A rule of the S47 module, as the DfE places it.
    return fail(_s(t).filter(weekend("DateOfInitialCPC")), "Section47", "DateOfInitialCPC")


@cin_rule("8890", reads=("Section47",))
def s47_during_another(t, ctx):
    # An enquiry runs from its start to its conference, or on while open; "not required" ends it.
    s = _s(t).with_columns(
        day("S47ActualStartDate").alias("_start"),
        day("DateOfInitialCPC").alias("_end"),
        _open().alias("_ongoing"),
    )
    rows = pairs(s).filter(
        (pl.col("_start") >= pl.col("_start_other"))
        & (pl.col("_ongoing_other") | (pl.col("_start") < pl.col("_end_other")).fill_null(False))
    )
    return fail(rows, "Section47", "S47ActualStartDate")

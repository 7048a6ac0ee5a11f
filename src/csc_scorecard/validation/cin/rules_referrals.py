"""CIN census rules on the referral and CIN episode (<CINdetails>), and on what an
episode may hold given how it ended: no further action (NFA), closed after
assessment (RC8, RC9), closed.

An episode is "open" when it has no CINclosureDate. Episodes of one child
"overlap" when one's referral date falls on or after another's referral date
and before that other's closure date (or the other is still open).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.validation.cin.common import (
    EPISODE_KEY,
    cin_rule,
    codes,
    count_per_episode,
    day,
    fail,
    false,
    missing,
    outside_year,
    pairs,
    period,
    true,
    with_person,
)
from csc_scorecard.validation.core import collect, shared
from csc_scorecard.workdays import is_working_day

AFTER_ASSESSMENT = ["RC8", "RC9"]  # closed after assessment: no further action / early help
DIED = "RC2"


def _cin(t) -> pl.DataFrame:
    return t["CINdetails"]


def _reason() -> pl.Expr:
    return pl.col("ReasonForClosure").str.strip_chars()


@cin_rule("8555Q", reads=("CINdetails", "ChildIdentifiers"))
def referred_after_death(t, ctx):
    rows = with_person(_cin(t), t).filter(day("CINreferralDate") > day("PersonDeathDate"))
    return fail(rows, "CINdetails", "CINreferralDate", "PersonDeathDate")


@cin_rule("8568", reads=("CINdetails",))
def nfa_flag_valid(t, ctx):
    rows = _cin(t).filter(~true("ReferralNFA") & ~false("ReferralNFA"))
    return fail(rows, "CINdetails", "ReferralNFA")


@cin_rule("8569Q", reads=("CINdetails",))
def old_referral_flagged_nfa(t, ctx):
    # A referral made before the last working day before 1 April cannot be an NFA of this year
    # (one made on that day may still be decided in the new year).
    start, _ = period(ctx)
    cutoff = start - dt.timedelta(days=1)
    while not is_working_day(cutoff):
        cutoff -= dt.timedelta(days=1)
    rows = _cin(t).filter(~false("ReferralNFA") & (day("CINreferralDate") < cutoff))
    return fail(rows, "CINdetails", "ReferralNFA", "CINreferralDate")


@cin_rule("8585Q", reads=("CINdetails", "ChildIdentifiers"))
def died_without_death_date(t, ctx):
    rows = with_person(_cin(t), t).filter((_reason() == DIED) & missing("PersonDeathDate"))
    return fail(rows, "CINdetails", "ReasonForClosure", "PersonDeathDate")


@cin_rule("8600", reads=("CINdetails",))
def referral_date_valid(t, ctx):
    _, end = period(ctx)
    rows = _cin(t).filter(day("CINreferralDate").is_null() | (day("CINreferralDate") > end))
    return fail(rows, "CINdetails", "CINreferralDate")


@cin_rule("8606", reads=("CINdetails", "ChildIdentifiers"))
def referral_long_before_birth(t, ctx):
    referred, limit = day("CINreferralDate"), pl.duration(days=280)  # 40 weeks
    rows = with_person(_cin(t), t).filter(
        (referred < day("PersonBirthDate") - limit).fill_null(False)
        | (referred < day("ExpectedPersonBirthDate") - limit).fill_null(False)
    )
    return fail(rows, "CINdetails", "CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate")


@cin_rule("8610", reads=("CINdetails",))
def primary_need_missing(t, ctx):
    rows = _cin(t).filter(false("ReferralNFA") & missing("PrimaryNeedCode"))
    return fail(rows, "CINdetails", "ReferralNFA", "PrimaryNeedCode")


@cin_rule("8620", reads=("CINdetails",))
def closure_in_year(t, ctx):
    rows = _cin(t).filter(outside_year("CINclosureDate", ctx))
    return fail(rows, "CINdetails", "CINclosureDate")


@cin_rule("8630", reads=("CINdetails",))
def closure_before_referral(t, ctx):
    rows = _cin(t).filter(day("CINclosureDate") < day("CINreferralDate"))
    return fail(rows, "CINdetails", "CINreferralDate", "CINclosureDate")


@cin_rule("8640", reads=("CINdetails",))
def closure_reason_valid(t, ctx):
    rows = _cin(t).filter(~missing("ReasonForClosure") & ~_reason().is_in(codes(ctx, "closure_reason")))
    return fail(rows, "CINdetails", "ReasonForClosure")


@cin_rule("8650", reads=("CINdetails",))
def primary_need_valid(t, ctx):
    need = pl.col("PrimaryNeedCode").str.strip_chars()
    rows = _cin(t).filter(~missing("PrimaryNeedCode") & ~need.is_in(codes(ctx, "primary_need")))
    return fail(rows, "CINdetails", "PrimaryNeedCode")


@cin_rule("8805", reads=("CINdetails",))
def closed_without_reason(t, ctx):
    rows = _cin(t).filter(~missing("CINclosureDate") & missing("ReasonForClosure"))
    return fail(rows, "CINdetails", "CINclosureDate", "ReasonForClosure")


@cin_rule("8810", reads=("CINdetails",))
def reason_without_closure(t, ctx):
    rows = _cin(t).filter(~missing("ReasonForClosure") & missing("CINclosureDate"))
    return fail(rows, "CINdetails", "ReasonForClosure", "CINclosureDate")


def _open_acted() -> pl.Expr:
    # Open and explicitly not NFA (a missing or invalid flag is rule 8568's).
    return missing("CINclosureDate") & false("ReferralNFA")


@cin_rule("8815", reads=("CINdetails",))
def several_open_episodes(t, ctx):
    open_ = _cin(t).filter(_open_acted())
    rows = open_.filter(pl.col("_child_no").is_duplicated())
    return fail(rows, "CINdetails", "ReferralNFA", "CINclosureDate")


@cin_rule("8816", reads=("CINdetails",))
def open_episode_not_latest(t, ctx):
    latest = _cin(t).group_by("_child_no").agg(day("CINreferralDate").max().alias("_latest"))
    rows = (
        _cin(t)
        .filter(_open_acted())
        .join(latest, on="_child_no")
        .filter(day("CINreferralDate") < pl.col("_latest"))
    )
    return fail(rows, "CINdetails", "CINreferralDate", "ReferralNFA")


@cin_rule("8820", reads=("CINdetails",))
def episodes_overlap(t, ctx):
    eps = _cin(t).with_columns(
        day("CINreferralDate").alias("_start"), day("CINclosureDate").alias("_end")
    )
    both = pairs(eps).filter(
        (pl.col("_start") >= pl.col("_start_other"))
        & (pl.col("_end_other").is_null() | (pl.col("_start") < pl.col("_end_other")))
    )
    return fail(both, "CINdetails", "CINreferralDate", "CINclosureDate")


@cin_rule("8866", reads=("CINdetails",))
def referral_source_valid(t, ctx):
    source = pl.col("ReferralSource").str.strip_chars()
    rows = _cin(t).filter(missing("ReferralSource") | ~source.is_in(codes(ctx, "referral_source")))
    return fail(rows, "CINdetails", "CINreferralDate", "ReferralSource")


# -- what an episode may hold ---------------------------------------------------


def _holdings(t) -> pl.DataFrame:
    """Each episode with the number of assessments, CIN plans, S47s and CP plans it holds."""
    out = _cin(t).lazy()  # the four joins as one query
    for table, alias in (
        ("Assessments", "_assessments"),
        ("CINplanDates", "_plans"),
        ("Section47", "_s47s"),
        ("ChildProtectionPlans", "_cpps"),
    ):
        out = out.join(count_per_episode(t, table, alias).lazy().select(*EPISODE_KEY, alias), on=EPISODE_KEY)
    return collect(out)


HOLDS = ("CINdetails", "Assessments", "CINplanDates", "Section47", "ChildProtectionPlans")


@cin_rule("2990", reads=HOLDS)
def activity_after_closed_at_assessment(t, ctx):
    # Closed after assessment means nothing beyond the assessment: no plan, S47 or conference.
    rows = _holdings(t).filter(
        _reason().is_in(AFTER_ASSESSMENT)
        & (
            (pl.col("_plans") > 0) | (pl.col("_s47s") > 0) | (pl.col("_cpps") > 0)
            | ~missing("DateOfInitialCPC")
        )
    )
    return fail(rows, "CINdetails", "ReasonForClosure")


@cin_rule("8825Q", reads=("CINdetails", "Assessments"))
def closed_at_assessment_without_one(t, ctx):
    rows = count_per_episode(t, "Assessments", "_n").filter(
        _reason().is_in(AFTER_ASSESSMENT) & (pl.col("_n") == 0)
    )
    return fail(rows, "CINdetails", "ReasonForClosure")


@cin_rule("2991Q", reads=("CINdetails", "Assessments", "Section47"))
def s47_without_assessment(t, ctx):
    eps = count_per_episode(t, "Assessments", "_a").join(
        count_per_episode(t, "Section47", "_s").select(*EPISODE_KEY, "_s"), on=EPISODE_KEY
    )
    rows = eps.filter((pl.col("_s") > 0) & (pl.col("_a") == 0))
    return fail(rows, "CINdetails", "CINdetailsID")


@cin_rule("4000", reads=("CINdetails", "CINplanDates"))
def nfa_with_cin_plan(t, ctx):
    rows = count_per_episode(t, "CINplanDates", "_n").filter(true("ReferralNFA") & (pl.col("_n") > 0))
    return fail(rows, "CINdetails", "ReferralNFA")


@cin_rule("8832", reads=("CINdetails", "ChildProtectionPlans"))
def nfa_with_cp_plan(t, ctx):
    rows = count_per_episode(t, "ChildProtectionPlans", "_n").filter(
        true("ReferralNFA") & (pl.col("_n") > 0)
    )
    return fail(rows, "CINdetails", "CINdetailsID", "ReferralNFA")


@shared("CINdetails", "Assessments", "Section47", "ChildProtectionPlans", "CINplanDates")
def _activity_dates(t) -> pl.DataFrame:
    """Every dated piece of activity of an episode, one row each (key, date, field, where)."""
    parts = []  # lazy: the eight parts are one query

    def take(table: str, field: str) -> None:
        parts.append(
            t[table].lazy().select(
                *EPISODE_KEY,
                day(field).alias("_when"),
                pl.lit(field).alias("_field"),
                pl.col(field).alias("_value"),
                pl.col("_row").alias("_where"),
            ).filter(pl.col("_when").is_not_null())
        )

    take("CINdetails", "DateOfInitialCPC")
    take("Assessments", "AssessmentActualStartDate")
    take("Assessments", "AssessmentAuthorisationDate")
    take("Section47", "S47ActualStartDate")
    take("Section47", "DateOfInitialCPC")
    take("ChildProtectionPlans", "CPPendDate")
    take("CINplanDates", "CINPlanStartDate")
    take("CINplanDates", "CINPlanEndDate")
    return collect(pl.concat(parts))


@cin_rule("8565", reads=HOLDS)
def activity_after_closure(t, ctx):
    late = (
        _cin(t)
        .select(*EPISODE_KEY, "_row", "_child", "CINclosureDate", day("CINclosureDate").alias("_closed"))
        .join(_activity_dates(t), on=EPISODE_KEY)
        .filter(pl.col("_when") > pl.col("_closed"))
        .with_columns(
            (pl.col("_field") + "=" + pl.col("_value") + " at " + pl.col("_where")).alias("activity")
        )
    )
    return fail(late, "CINdetails", "CINclosureDate", "activity")


@cin_rule("8831", reads=("CINdetails", "Assessments", "Section47"))
def nfa_with_activity(t, ctx):
    dates = _activity_dates(t).filter(
        pl.col("_field").is_in(
            ["AssessmentActualStartDate", "AssessmentAuthorisationDate", "S47ActualStartDate",
             "DateOfInitialCPC"]
        )
    )
    rows = (
        _cin(t)
        .filter(true("ReferralNFA"))
        .join(dates, on=EPISODE_KEY)
        .with_columns((pl.col("_field") + "=" + pl.col("_value")).alias("activity"))
    )
    return fail(rows, "CINdetails", "ReferralNFA", "activity")


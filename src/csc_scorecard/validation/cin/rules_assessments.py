"""CIN census rules on assessments (<Assessments>) and the factors identified at them.

An assessment is "completed" when it has an AssessmentAuthorisationDate,
"open" (ongoing) when it has none. Factor 21 means "no factors identified".
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.cin.common import (
    cin_rule,
    day,
    fail,
    missing,
    outside_year,
    pairs,
    period,
    with_episode,
)
from csc_scorecard.workdays import add_working_days

NO_FACTORS = "21"
OPEN_ASSESSMENT_LIMIT = 45  # working days


def _a(t) -> pl.DataFrame:
    return t["Assessments"]


def _open() -> pl.Expr:
    return missing("AssessmentAuthorisationDate")


def _factors() -> pl.Expr:
    return pl.col("AssessmentFactors").list.eval(pl.element().str.strip_chars().str.to_uppercase())


@cin_rule("1103", reads=("Assessments", "CINdetails"))
def assessment_before_referral(t, ctx):
    rows = with_episode(t, "Assessments").filter(
        day("AssessmentActualStartDate") < day("CINreferralDate")
    )
    return fail(rows, "Assessments", "AssessmentActualStartDate", "CINreferralDate")


@cin_rule("8608", reads=("Assessments",))
def start_after_end(t, ctx):
    rows = _a(t).filter(day("AssessmentActualStartDate") > day("AssessmentAuthorisationDate"))
    return fail(rows, "Assessments", "AssessmentActualStartDate", "AssessmentAuthorisationDate")


@cin_rule("8614", reads=("Assessments",))
def factors_on_open_assessment(t, ctx):
    rows = _a(t).filter(_open() & (pl.col("AssessmentFactors").list.len() > 0))
    return fail(rows, "Assessments", "AssessmentAuthorisationDate", "AssessmentFactors")


@cin_rule("8670Q", reads=("Assessments",))
def long_open_assessment(t, ctx):
    # Started more than 45 working days before the reference date and still not completed.
    _, end = period(ctx)
    cutoff = add_working_days(end, -OPEN_ASSESSMENT_LIMIT)
    rows = _a(t).filter(_open() & (day("AssessmentActualStartDate") < cutoff))
    return fail(rows, "Assessments", "AssessmentActualStartDate")


@cin_rule("8696", reads=("Assessments",))
def end_in_year(t, ctx):
    rows = _a(t).filter(outside_year("AssessmentAuthorisationDate", ctx))
    return fail(rows, "Assessments", "AssessmentAuthorisationDate")


@cin_rule("8736", reads=("Assessments",))
def open_assessment_start_in_year(t, ctx):
    start, end = period(ctx)
    began = day("AssessmentActualStartDate")
    rows = _a(t).filter(_open() & ~began.is_between(pl.lit(start), pl.lit(end)).fill_null(False))
    return fail(rows, "Assessments", "AssessmentAuthorisationDate", "AssessmentActualStartDate")


@cin_rule("8863Q", reads=("Assessments",))
def assessment_during_another(t, ctx):
    a = _a(t).with_columns(
        day("AssessmentActualStartDate").alias("_start"),
        day("AssessmentAuthorisationDate").alias("_end"),
    )
    rows = pairs(a).filter(
        (pl.col("_start") >= pl.col("_start_other"))
        & (pl.col("_end_other").is_null() | (pl.col("_start") < pl.col("_end_other")))
    )
    return fail(rows, "Assessments", "AssessmentActualStartDate", "AssessmentAuthorisationDate")


@cin_rule("8867", reads=("Assessments", "CINdetails"))
def closed_with_open_assessment(t, ctx):
    rows = with_episode(t, "Assessments").filter(~missing("CINclosureDate") & _open())
    return fail(rows, "Assessments", "CINclosureDate", "AssessmentAuthorisationDate")


@cin_rule("8869", reads=("Assessments",))
def no_factors_with_others(t, ctx):
    f = _factors()
    rows = _a(t).filter(f.list.contains(NO_FACTORS) & (f.list.len() > 1))
    return fail(rows, "Assessments", "AssessmentFactors")


@cin_rule("8873Q", reads=("Assessments", "CINdetails"))
def no_factors_should_close_at_assessment(t, ctx):
    alone = _a(t).group_by("_child_no", "CINdetailsID").len().filter(pl.col("len") == 1)
    f = _factors()
    rows = (
        with_episode(t, "Assessments")
        .join(alone.drop("len"), on=["_child_no", "CINdetailsID"], how="semi")
        .filter(
            ~_open()
            & f.list.contains(NO_FACTORS)  # used at all (21 with others is 8869's)
            # Still open, or closed for another reason: no factors means closed at assessment.
            & ~pl.col("ReasonForClosure").str.strip_chars().is_in(["RC8", "RC9"]).fill_null(False)
        )
    )
    return fail(rows, "Assessments", "ReasonForClosure", "AssessmentFactors")


@cin_rule("8896", reads=("Assessments",))
def several_open_in_episode(t, ctx):
    open_ = _a(t).filter(_open())
    rows = open_.filter(pl.struct("_child_no", "CINdetailsID").is_duplicated())
    return fail(rows, "Assessments", "AssessmentAuthorisationDate")


@cin_rule("8897Q", reads=("Assessments",))
def completed_without_factors(t, ctx):
    rows = _a(t).filter(~_open() & (pl.col("AssessmentFactors").list.len() == 0))
    return fail(rows, "Assessments", "AssessmentAuthorisationDate", "AssessmentFactors")


@cin_rule("8898", reads=("Assessments",))
def factor_repeated(t, ctx):
    f = _factors()
    rows = _a(t).filter(f.list.len() > f.list.unique().list.len())
    return fail(rows, "Assessments", "AssessmentFactors")


def _uses(code: str):
    def check(t, ctx):
        rows = _a(t).filter(_factors().list.contains(code))
        return fail(rows, "Assessments", "AssessmentFactors")

    return check


cin_rule("8945Q", reads=("Assessments",))(_uses("18A"))  # undivided physical abuse
cin_rule("8950Q", reads=("Assessments",))(_uses("19A"))  # undivided sexual abuse

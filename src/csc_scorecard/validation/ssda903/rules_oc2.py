"""OC2: health, SDQ and offending of children looked after for 12 months at 31 March.

"The cohort" is the children looked after continuously for at least 12 months
at 31 March (common.twelve_months). Ages are the OC2 row's own DOB, at the
year's start (1 April) or end (31 March) as each rule says.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    age,
    blank,
    codes,
    date,
    fail,
    filled,
    get,
    in_cohort,
    is_in,
    lit_date,
    shared,
    twelve_months,
    year_end,
    year_start,
)

CORE = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
ITEMS = ("CONVICTED", "HEALTH_CHECK", *CORE, "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
LONG = [{"DECOM": "01/01/2023", "RNE": "S", "LS": "C2", "PLACE": "U1"}]  # in the cohort
SHORT = [{"DECOM": "01/06/2024", "RNE": "S", "LS": "C2", "PLACE": "U1"}]  # not in it
DONE = {"IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0"}


@shared("OC2")
def _oc2(t, ctx, *extra: str) -> pl.DataFrame:
    df = get(t, "OC2", "DOB", "SDQ_SCORE", "SDQ_REASON", *ITEMS, *extra)
    start, end = lit_date(year_start(ctx)), lit_date(year_end(ctx))
    return df.with_columns(_age_start=age(date("DOB"), start), _age_end=age(date("DOB"), end))


def _any_filled(cols) -> pl.Expr:
    return pl.any_horizontal([filled(c) for c in cols])


def _any_blank(cols) -> pl.Expr:
    return pl.any_horizontal([blank(c) for c in cols])


def _is(col: str, value: str) -> pl.Expr:
    return pl.col(col).str.strip_chars() == value


@rule903("180", fails={"OC2": [{"SDQ_SCORE": "41"}]}, passes={"OC2": [{"SDQ_SCORE": "40"}]})
def sdq_score_valid(t, ctx):
    df = _oc2(t, ctx)
    score = pl.col("SDQ_SCORE").str.strip_chars().cast(pl.Int64, strict=False)
    return fail(df, "OC2", filled("SDQ_SCORE") & ~score.is_between(0, 40).fill_null(False), ["SDQ_SCORE"])


@rule903("196", fails={"OC2": [{"SDQ_REASON": "SDQ9"}]}, passes={"OC2": [{"SDQ_REASON": "SDQ2"}]})
def sdq_reason_valid(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", filled("SDQ_REASON") & ~is_in("SDQ_REASON", codes(ctx, "OC2", "SDQ_REASON")), ["SDQ_REASON"])


@rule903("181", fails={"OC2": [{**DONE, "CONVICTED": "Y"}]}, passes={"OC2": [{**DONE, "CONVICTED": "0"}]})
def items_zero_or_one(t, ctx):
    df = _oc2(t, ctx)
    bad = pl.any_horizontal([filled(c) & ~is_in(c, ("0", "1")) for c in ITEMS])
    return fail(df, "OC2", bad, ITEMS)


@rule903("182", fails={"OC2": [{"CONVICTED": "0", "IMMUNISATIONS": "1"}]}, passes={"OC2": [{**DONE, "CONVICTED": "0"}]})
def items_all_or_none(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", _any_filled(ITEMS) & _any_blank(CORE), ITEMS)


@rule903("158", fails={"OC2": [{"INTERVENTION_RECEIVED": "1", "INTERVENTION_OFFERED": "1"}]},
         passes={"OC2": [{"INTERVENTION_RECEIVED": "1"}]})
def offered_after_received(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", _is("INTERVENTION_RECEIVED", "1") & filled("INTERVENTION_OFFERED"),
                ["INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"])


@rule903("159", fails={"OC2": [{"SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0"}]},
         passes={"OC2": [{"SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0", "INTERVENTION_OFFERED": "1"}]})
def offered_missing(t, ctx):
    df = _oc2(t, ctx)
    mask = _is("SUBSTANCE_MISUSE", "1") & _is("INTERVENTION_RECEIVED", "0") & blank("INTERVENTION_OFFERED")
    return fail(df, "OC2", mask, ["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"])


@rule903("192", fails={"OC2": [{"SUBSTANCE_MISUSE": "1"}]},
         passes={"OC2": [{"SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1"}]})
def received_missing(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", _is("SUBSTANCE_MISUSE", "1") & blank("INTERVENTION_RECEIVED"),
                ["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"])


@rule903("193", fails={"OC2": [{"SUBSTANCE_MISUSE": "0", "INTERVENTION_OFFERED": "1"}]},
         passes={"OC2": [{"SUBSTANCE_MISUSE": "0"}]})
def intervention_without_misuse(t, ctx):
    df = _oc2(t, ctx)
    mask = ~_is("SUBSTANCE_MISUSE", "1").fill_null(False) & (filled("INTERVENTION_RECEIVED") | filled("INTERVENTION_OFFERED"))
    return fail(df, "OC2", mask, ["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"])


def _outside_cohort(column_set: tuple[str, ...], fields: list[str]):
    def check(t, ctx):
        df = _oc2(t, ctx)
        cohort = twelve_months(t, ctx)
        return fail(df, "OC2", ~in_cohort(cohort) & _any_filled(column_set), fields)

    return check


rule903("185", fails={"OC2": [{"SDQ_SCORE": "10"}], "Episodes": SHORT},
        passes={"OC2": [{"SDQ_SCORE": "10"}], "Episodes": LONG})(_outside_cohort(("SDQ_SCORE",), ["SDQ_SCORE"]))
rule903("198", fails={"OC2": [{"SDQ_REASON": "SDQ2"}], "Episodes": SHORT},
        passes={"OC2": [{"SDQ_REASON": "SDQ2"}], "Episodes": LONG})(_outside_cohort(("SDQ_REASON",), ["SDQ_REASON"]))
rule903("190", fails={"OC2": [DONE], "Episodes": SHORT},
        passes={"OC2": [DONE], "Episodes": LONG})(_outside_cohort(ITEMS, list(ITEMS)))


@rule903("191", fails={"OC2": [{"IMMUNISATIONS": "1"}], "Episodes": LONG}, passes={"OC2": [DONE], "Episodes": LONG})
def cohort_items_blank(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", in_cohort(twelve_months(t, ctx)) & _any_blank(CORE), CORE)


_AGE8 = {"DOB": "01/01/2016"}
_AGE2 = {"DOB": "01/01/2023"}
_AGE17 = {"DOB": "01/01/2007"}


@rule903("186", fails={"OC2": [_AGE8], "Episodes": LONG}, passes={"OC2": [{**_AGE8, "SDQ_SCORE": "12"}], "Episodes": LONG})
def sdq_expected(t, ctx):
    df = _oc2(t, ctx)
    mask = in_cohort(twelve_months(t, ctx)) & (pl.col("_age_start") >= 4) & (pl.col("_age_end") < 17)
    return fail(df, "OC2", mask & blank("SDQ_SCORE") & blank("SDQ_REASON"), ["SDQ_SCORE"])


@rule903("188", fails={"OC2": [{**_AGE2, "SDQ_SCORE": "10"}]}, passes={"OC2": [_AGE2]})
def sdq_under_4(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", (pl.col("_age_end") < 4) & (filled("SDQ_SCORE") | filled("SDQ_REASON")),
                ["SDQ_SCORE", "SDQ_REASON"])


@rule903("189", fails={"OC2": [{**_AGE17, "SDQ_SCORE": "10"}]}, passes={"OC2": [_AGE17]})
def sdq_over_17(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", (pl.col("_age_start") >= 17) & (filled("SDQ_SCORE") | filled("SDQ_REASON")),
                ["DOB", "SDQ_SCORE", "SDQ_REASON"])


@rule903("197a", fails={"OC2": [{"SDQ_SCORE": "10", "SDQ_REASON": "SDQ1"}]}, passes={"OC2": [{"SDQ_SCORE": "10"}]})
def sdq_reason_with_score(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", filled("SDQ_SCORE") & filled("SDQ_REASON"), ["SDQ_SCORE", "SDQ_REASON"])


@rule903("197B", fails={"OC2": [{"DOB": "01/10/2020"}], "Episodes": LONG},
         passes={"OC2": [{"DOB": "01/10/2020", "SDQ_REASON": "SDQ1"}], "Episodes": LONG})
def sdq_turning_4_or_17(t, ctx):
    df = _oc2(t, ctx)
    turning = ((pl.col("_age_start") < 4) & (pl.col("_age_end") >= 4)) | (
        (pl.col("_age_start") < 17) & (pl.col("_age_end") >= 17)
    )
    mask = in_cohort(twelve_months(t, ctx)) & turning & blank("SDQ_SCORE") & blank("SDQ_REASON")
    return fail(df, "OC2", mask, ["SDQ_REASON", "DOB"])


@rule903("157", fails={"OC2": [{**_AGE8, "SDQ_REASON": "SDQ1"}], "Episodes": LONG},
         passes={"OC2": [{**_AGE8, "SDQ_REASON": "SDQ2"}], "Episodes": LONG})
def sdq1_for_school_age(t, ctx):
    # SDQ1 says the child was too young or too old for the questionnaire.
    df = _oc2(t, ctx)
    mask = _is("SDQ_REASON", "SDQ1") & (pl.col("_age_start") >= 4) & (pl.col("_age_end") <= 16)
    return fail(df, "OC2", mask, ["SDQ_REASON", "DOB"])


@rule903("542", fails={"OC2": [{**_AGE8, "CONVICTED": "0"}]}, passes={"OC2": [_AGE8]}, tables=["OC2"])
def convicted_under_10(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", (pl.col("_age_end") < 10) & filled("CONVICTED"), ["CONVICTED"])


@rule903("543", fails={"OC2": [{**_AGE17, **DONE}], "Episodes": LONG},
         passes={"OC2": [{**_AGE17, **DONE, "CONVICTED": "0"}], "Episodes": LONG})
def convicted_missing(t, ctx):
    df = _oc2(t, ctx)
    mask = in_cohort(twelve_months(t, ctx)) & (pl.col("_age_end") >= 10) & blank("CONVICTED")
    return fail(df, "OC2", mask, ["DOB", "CONVICTED"])


@rule903("544", fails={"OC2": [{"CONVICTED": "0", "IMMUNISATIONS": "1"}]}, passes={"OC2": [{**DONE, "CONVICTED": "0"}]})
def convicted_without_core(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", filled("CONVICTED") & _any_blank(CORE), ["CONVICTED", *CORE])


@rule903("545", fails={"OC2": [{**_AGE2, **DONE}], "Episodes": LONG},
         passes={"OC2": [{**_AGE2, **DONE, "HEALTH_CHECK": "1"}], "Episodes": LONG}, tables=["OC2", "Episodes"])
def health_check_missing(t, ctx):
    df = _oc2(t, ctx)
    mask = in_cohort(twelve_months(t, ctx)) & (pl.col("_age_end") < 5) & blank("HEALTH_CHECK")
    return fail(df, "OC2", mask, ["DOB", "HEALTH_CHECK"])


@rule903("546", fails={"OC2": [{**_AGE8, **DONE, "HEALTH_CHECK": "1"}]}, passes={"OC2": [{**_AGE8, **DONE}]})
def health_check_over_5(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", (pl.col("_age_end") >= 5) & filled("HEALTH_CHECK"), ["DOB", "HEALTH_CHECK"])


@rule903("547", fails={"OC2": [{"HEALTH_CHECK": "1", "IMMUNISATIONS": "1"}]},
         passes={"OC2": [{**DONE, "HEALTH_CHECK": "1"}]})
def health_check_without_core(t, ctx):
    df = _oc2(t, ctx)
    return fail(df, "OC2", filled("HEALTH_CHECK") & _any_blank(CORE), ["HEALTH_CHECK", *CORE])

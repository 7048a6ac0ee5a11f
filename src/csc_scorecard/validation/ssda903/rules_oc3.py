"""OC3: care leavers around their 17th to 21st birthdays, and which children may
have OC3, AD1 or OC2 information at all."""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    age,
    children_in,
    codes,
    date,
    episodes,
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

LEAVER = {"DOB": "01/06/2006", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "S2"}
OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")
AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
OC2_ITEMS = ("CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
             "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
EP = {"DECOM": "01/05/2023", "RNE": "S", "LS": "C2", "PLACE": "U1"}
A = {"DATE_INT": "01/01/2024", "DATE_MATCH": "01/03/2024", "FOSTER_CARE": "0", "NB_ADOPTR": "1",
     "SEX_ADOPTR": "F1", "LS_ADOPTR": "L0"}


@shared("OC3")
def _oc3(t) -> pl.DataFrame:
    return get(t, "OC3", "DOB", *OC3_ITEMS)


def _any(cols) -> pl.Expr:
    return pl.any_horizontal([filled(c) for c in cols])


def _code_rule(column: str):
    def check(t, ctx):
        df = _oc3(t)
        return fail(df, "OC3", filled(column) & ~is_in(column, codes(ctx, "OC3", column)), [column])

    return check


rule903("131", fails={"OC3": [{**LEAVER, "IN_TOUCH": "MAYBE"}]}, passes={"OC3": [LEAVER]})(_code_rule("IN_TOUCH"))
rule903("132", fails={"OC3": [{**LEAVER, "ACTIV": "F9"}]}, passes={"OC3": [LEAVER]})(_code_rule("ACTIV"))
rule903("133", fails={"OC3": [{**LEAVER, "ACCOM": "Q1"}]}, passes={"OC3": [LEAVER]})(_code_rule("ACCOM"))


@rule903("153", fails={"OC3": [{**LEAVER, "ACCOM": None}]}, passes={"OC3": [{**LEAVER, "IN_TOUCH": "DIED", "ACTIV": None,
                                                                          "ACCOM": None}]})
def oc3_all_or_none(t, ctx):
    # A young person who died or went home for 6 months has no activity or accommodation (rule 344).
    df = _oc3(t)
    some = _any(OC3_ITEMS)
    every = pl.all_horizontal([filled(c) for c in OC3_ITEMS])
    exempt = is_in("IN_TOUCH", ("DIED", "RHOM")).fill_null(False)
    return fail(df, "OC3", some & ~every & ~exempt, OC3_ITEMS)


@rule903("344", fails={"OC3": [{**LEAVER, "IN_TOUCH": "RHOM"}]}, passes={"OC3": [{**LEAVER, "IN_TOUCH": "RHOM", "ACTIV": None,
                                                                               "ACCOM": None}]})
def died_or_home_with_details(t, ctx):
    df = _oc3(t)
    return fail(df, "OC3", is_in("IN_TOUCH", ("DIED", "RHOM")) & (filled("ACTIV") | filled("ACCOM")), OC3_ITEMS)


@rule903("345", fails={"OC3": [{**LEAVER, "ACTIV": "0"}]}, passes={"OC3": [LEAVER]})
def in_touch_without_details(t, ctx):
    df = _oc3(t)
    zero = (pl.col("ACTIV").str.strip_chars() == "0") | (pl.col("ACCOM").str.strip_chars() == "0")
    return fail(df, "OC3", (pl.col("IN_TOUCH") == "YES") & zero.fill_null(False), OC3_ITEMS)


@rule903("391", fails={"OC3": [{**LEAVER, "DOB": "01/06/2010"}]}, passes={"OC3": [LEAVER]})
def oc3_age(t, ctx):
    # Aged 17 to 21 at 31 March means that birthday fell in the collection year.
    df = _oc3(t)
    years = age(date("DOB"), lit_date(year_end(ctx)))
    return fail(df, "OC3", _any(OC3_ITEMS) & ~years.is_between(17, 21).fill_null(False), ["DOB", *OC3_ITEMS])


def _oc3_of(t, mask: pl.Expr) -> set[str]:
    ep = episodes(t)
    return set(ep.filter(mask.fill_null(False))["CHILD"].to_list())


@rule903("1000", fails={"OC3": [LEAVER], "Episodes": [{**EP, "DEC": "01/06/2024", "REC": "E2"}]},
         passes={"OC3": [LEAVER], "Episodes": [{**EP, "DEC": "01/06/2024", "REC": "E13"}]})
def died_in_care_with_oc3(t, ctx):
    died = _oc3_of(t, pl.col("REC") == "E2")
    return fail(_oc3(t), "OC3", pl.col("CHILD").is_in(list(died)) & _any(OC3_ITEMS), OC3_ITEMS)


@rule903("1011", fails={"OC3": [LEAVER], "Episodes": [{**EP, "DEC": "01/06/2024", "REC": "E3"}]},
         passes={"OC3": [LEAVER], "Episodes": [{**EP, "DEC": "01/06/2024", "REC": "E13"}]})
def transferred_with_oc3(t, ctx):
    moved = _oc3_of(t, pl.col("_last") & (pl.col("REC") == "E3"))
    return fail(_oc3(t), "OC3", pl.col("CHILD").is_in(list(moved)) & _any(OC3_ITEMS), OC3_ITEMS)


@rule903("1007", fails={"OC3": [LEAVER], "Episodes": [EP]},
         passes={"OC3": [LEAVER], "Episodes": [{**EP, "DEC": "01/06/2024", "REC": "E13"}]})
def still_looked_after_with_oc3(t, ctx):
    still = _oc3_of(t, pl.col("_last") & pl.col("_end").is_null())
    return fail(_oc3(t), "OC3", pl.col("CHILD").is_in(list(still)) & _any(OC3_ITEMS), OC3_ITEMS)


@rule903("134", fails={"OC3": [LEAVER], "AD1": [A]}, passes={"OC3": [LEAVER], "AD1": [{"DOB": "01/06/2006"}]})
def adoption_and_care_leaver(t, ctx):
    ad1 = get(t, "AD1", *AD1_ITEMS).filter(_any(AD1_ITEMS))
    return fail(_oc3(t), "OC3", pl.col("CHILD").is_in(ad1["CHILD"].to_list()) & _any(OC3_ITEMS), OC3_ITEMS)


@rule903("215", fails={"OC3": [LEAVER], "OC2": [{"CONVICTED": "0"}]}, passes={"OC3": [LEAVER], "OC2": [{"DOB": "01/06/2006"}]})
def care_leaver_with_oc2(t, ctx):
    oc2 = get(t, "OC2", *OC2_ITEMS).filter(_any(OC2_ITEMS))
    return fail(_oc3(t), "OC3", pl.col("CHILD").is_in(oc2["CHILD"].to_list()) & _any(OC3_ITEMS), OC3_ITEMS)


@rule903("187", fails={"OC3": [LEAVER], "Episodes": [{**EP, "DECOM": "01/01/2023"}], "AD1": [{}]},
         passes={"OC3": [LEAVER], "Episodes": [{**EP, "DECOM": "01/06/2024"}], "AD1": [{}]})
def twelve_months_with_leaver_data(t, ctx):
    cohort = twelve_months(t, ctx)
    out = fail(_oc3(t), "OC3", in_cohort(cohort) & _any(OC3_ITEMS), OC3_ITEMS)
    ad1 = get(t, "AD1", *AD1_ITEMS)
    return pl.concat([out, fail(ad1, "AD1", in_cohort(cohort) & _any(AD1_ITEMS), AD1_ITEMS)], how="diagonal")


OTHER_TABLES = ("Reviews", "Missing", "PlacedAdoption", "PrevPerm", "AD1")


@rule903("1012", fails={"OC3": [LEAVER], "Episodes": [{**EP, "CHILD": "2"}], "Reviews": [{"REVIEW": "01/06/2024"}]},
         passes={"OC3": [LEAVER], "Episodes": [{**EP, "CHILD": "2"}], "Reviews": [{"CHILD": "2", "REVIEW": "01/06/2024"}]},
         tables=["Episodes", "OC3"])
def leaver_only_with_other_data(t, ctx):
    # A care leaver with no episode this year is in the return for OC3 alone.
    only = children_in(t, "OC3") - children_in(t, "Episodes")
    parts = []
    for table in OTHER_TABLES:
        if table in t:
            df = get(t, table, "CHILD")
            parts.append(fail(df, table, pl.col("CHILD").is_in(list(only)), ["CHILD"]))
    return pl.concat(parts, how="diagonal") if parts else fail(_oc3(t).head(0), "OC3", None, [])


@rule903("628", fails={"Episodes": [{**EP, "CHILD": "2"}], "Header": [{"MOTHER": "0"}], "OC3": [LEAVER]},
         passes={"Episodes": [{**EP, "CHILD": "2"}], "Header": [{"MOTHER": None}], "OC3": [LEAVER]})
def leaver_motherhood(t, ctx):
    only = children_in(t, "OC3") - children_in(t, "Episodes")
    head = get(t, "Header", "MOTHER")
    return fail(head, "Header", pl.col("CHILD").is_in(list(only)) & filled("MOTHER"), ["MOTHER"])


@rule903("1014", fails={"Episodes": [{**EP, "CHILD": "2"}], "UASC": [{"DUC": "01/01/2024"}], "OC3": [LEAVER]},
         passes={"Episodes": [{**EP, "CHILD": "2"}], "UASC": [{"CHILD": "2", "DUC": "01/01/2024"}],
                 "OC3": [LEAVER]})
def leaver_uasc(t, ctx):
    only = children_in(t, "OC3") - children_in(t, "Episodes")
    df = get(t, "UASC", "DUC")
    return fail(df, "UASC", pl.col("CHILD").is_in(list(only)), ["DUC"])


@rule903("1016", fails={"OC3": [LEAVER], "Episodes": [{**EP, "DEC": "01/07/2024", "REC": "E13"}]},
         passes={"OC3": [LEAVER], "Episodes": [{**EP, "DEC": "01/05/2024", "REC": "E13"}]})
def left_after_birthday_with_oc3(t, ctx):
    # Looked after on their 17th or 18th birthday this year, then left: no OC3 this year.
    start, end = lit_date(year_start(ctx)), lit_date(year_end(ctx))
    df = _oc3(t).join(episodes(t).select("CHILD", "_start", "_end"), on="CHILD", how="inner")
    hit = pl.lit(False)
    for years in (17, 18):
        day = date("DOB").dt.offset_by(f"{years}y")
        hit = hit | (day.is_between(start, end) & (pl.col("_start") <= day) & (pl.col("_end") > day))
    out = df.filter(hit & _any(OC3_ITEMS)).unique("_row", keep="first")
    return fail(out, "OC3", None, OC3_ITEMS)

"""Reviews, previous permanence (PrevPerm) and UASC."""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    RESPITE,
    age,
    bad_date,
    birthday,
    blank,
    codes,
    date,
    episodes,
    fail,
    filled,
    get,
    is_in,
    lit_date,
    needs_column,
    shared,
    year_start,
)

R = {"DOB": "01/01/2015", "REVIEW": "01/06/2024", "REVIEW_CODE": "PN1"}
EP = {"DECOM": "01/05/2024", "RNE": "S", "LS": "C2", "PLACE": "U1"}
PP = {"DOB": "01/01/2015", "PREV_PERM": "P1", "LA_PERM": "933", "DATE_PERM": "01/01/2020"}


@shared("Reviews")
def _reviews(t) -> pl.DataFrame:
    return get(t, "Reviews", "DOB", "REVIEW", "REVIEW_CODE").with_columns(
        _age=age(date("DOB"), date("REVIEW")))


@rule903("166", fails={"Reviews": [{**R, "REVIEW": None}]}, passes={"Reviews": [R]})
def review_date_valid(t, ctx):
    return fail(_reviews(t), "Reviews", blank("REVIEW") | bad_date("REVIEW"), ["REVIEW"])


@rule903("167", fails={"Reviews": [{**R, "REVIEW_CODE": "PN8"}]}, passes={"Reviews": [R]})
def participation_valid(t, ctx):
    df = _reviews(t)
    return fail(df, "Reviews", ~is_in("REVIEW_CODE", codes(ctx, "Reviews", "REVIEW_CODE")).fill_null(False),
                ["REVIEW_CODE"])


@rule903("440", fails={"Reviews": [{**R, "REVIEW_CODE": "PN0"}]}, passes={"Reviews": [R]})
def under_4_code_for_older(t, ctx):
    df = _reviews(t)
    return fail(df, "Reviews", (pl.col("REVIEW_CODE") == "PN0") & (pl.col("_age") >= 4), ["DOB", "REVIEW", "REVIEW_CODE"])


@rule903("441", fails={"Reviews": [{**R, "DOB": "01/01/2022"}]}, passes={"Reviews": [{**R, "DOB": "01/01/2022",
                                                                                        "REVIEW_CODE": "PN0"}]})
def older_code_for_under_4(t, ctx):
    df = _reviews(t)
    return fail(df, "Reviews", (pl.col("REVIEW_CODE") != "PN0") & (pl.col("_age") < 4), ["DOB", "REVIEW", "REVIEW_CODE"])


@rule903("399", fails={"Episodes": [{**EP, "LS": "V3"}], "Header": [{"MOTHER": "0"}], "Reviews": [R]},
         passes={"Episodes": [EP], "Header": [{"MOTHER": "0"}], "Reviews": [R]})
def respite_only_with_reviews(t, ctx):
    # Children looked after only under respite (V3/V4) have no reviews or motherhood data.
    ep = episodes(t)
    only = ep.group_by("CHILD").agg(_all_respite=is_in("LS", RESPITE).fill_null(False).all())
    kids = only.filter(pl.col("_all_respite"))["CHILD"].to_list()
    head = get(t, "Header", "MOTHER")
    reviews = _reviews(t)
    return pl.concat([
        fail(head, "Header", pl.col("CHILD").is_in(kids) & filled("MOTHER"), ["MOTHER"]),
        fail(reviews, "Reviews", pl.col("CHILD").is_in(kids) & (filled("REVIEW") | filled("REVIEW_CODE")),
             ["REVIEW", "REVIEW_CODE"]),
    ], how="diagonal")


# -- previous permanence -------------------------------------------------------------------


@shared("PrevPerm")
def _perm(t) -> pl.DataFrame:
    return get(t, "PrevPerm", "PREV_PERM", "LA_PERM", "DATE_PERM")


@rule903("630", fails={"Episodes": [EP], "PrevPerm": [{**PP, "LA_PERM": None}]},
         passes={"Episodes": [EP], "PrevPerm": [PP]})
def permanence_missing(t, ctx):
    # Answered means a code, and for an order (not Z1) the LA and the date too.
    ep = episodes(t).filter((pl.col("RNE") == "S") & (pl.col("_start") >= lit_date(year_start(ctx))))
    perm = _perm(t)
    complete = filled("PREV_PERM") & ((pl.col("PREV_PERM") == "Z1") | (filled("LA_PERM") & filled("DATE_PERM")))
    answered = perm.filter(complete)["CHILD"].to_list()
    return fail(ep, "Episodes", ~pl.col("CHILD").is_in(answered), ["RNE"])


@rule903("631", fails={"PrevPerm": [{**PP, "PREV_PERM": "P9"}]}, passes={"PrevPerm": [PP]})
def permanence_code(t, ctx):
    df = _perm(t)
    return fail(df, "PrevPerm", filled("PREV_PERM") & ~is_in("PREV_PERM", codes(ctx, "PrevPerm", "PREV_PERM")),
                ["PREV_PERM"])


# A previous permanence date may be partly unknown: zz for the day, or the day and month.
PARTIAL_DATE = r"^(?:\d{2}|ZZ)/(?:\d{2}|ZZ)/\d{4}$"


@rule903("632", fails={"Episodes": [EP], "PrevPerm": [{**PP, "DATE_PERM": "zz/13/2020"}]},
         passes={"Episodes": [EP], "PrevPerm": [{**PP, "DATE_PERM": "zz/zz/2020"}]})
def permanence_date(t, ctx):
    starts = episodes(t).filter(pl.col("RNE") == "S").group_by("CHILD").agg(_care_from=pl.col("_start").max())
    df = _perm(t).join(starts, on="CHILD", how="left")
    text = pl.col("DATE_PERM").str.strip_chars().str.to_uppercase()
    as_date = pl.coalesce(
        text.str.strptime(pl.Date, "%d/%m/%Y", strict=False),
        text.str.replace(r"^ZZ/", "01/").str.strptime(pl.Date, "%d/%m/%Y", strict=False),
        text.str.replace(r"^ZZ/ZZ/", "01/01/").str.strptime(pl.Date, "%d/%m/%Y", strict=False),
    )
    bad = filled("DATE_PERM") & (~text.str.contains(PARTIAL_DATE) | as_date.is_null() | (as_date > pl.col("_care_from")))
    return fail(df, "PrevPerm", bad, ["DATE_PERM", "DECOM"])


@rule903("633", fails={"PrevPerm": [{**PP, "LA_PERM": "93"}]}, passes={"PrevPerm": [PP]})
def permanence_la(t, ctx):
    # LA codes are three digits; the DfE's list also has codes for the other UK nations.
    df = _perm(t)
    la = pl.col("LA_PERM").str.strip_chars()
    ok = la.str.contains(r"^\d{3}$") | la.is_in(["WAL", "SCO", "NIR", "NUK"])
    return fail(df, "PrevPerm", filled("LA_PERM") & ~ok, ["LA_PERM"])


@rule903("634", fails={"Episodes": [{**EP, "DECOM": "01/01/2016"}], "PrevPerm": [PP]},
         passes={"Episodes": [EP], "PrevPerm": [PP]})
def permanence_before_2016(t, ctx):
    ep = episodes(t)
    recent = ep.filter(pl.col("_start") >= lit_date(dt.date(2016, 4, 1)))["CHILD"].to_list()
    df = _perm(t).filter(pl.col("CHILD").is_in(ep["CHILD"].to_list()))
    some = filled("PREV_PERM") | filled("LA_PERM") | filled("DATE_PERM")
    return fail(df, "PrevPerm", some & ~pl.col("CHILD").is_in(recent), ["LA_PERM", "PREV_PERM", "DATE_PERM"])


@rule903("635", fails={"PrevPerm": [{**PP, "PREV_PERM": "Z1"}]},
         passes={"PrevPerm": [{**PP, "PREV_PERM": "Z1", "LA_PERM": None, "DATE_PERM": None}]})
def permanence_details_for_none(t, ctx):
    df = _perm(t)
    return fail(df, "PrevPerm", (pl.col("PREV_PERM") == "Z1") & (filled("LA_PERM") | filled("DATE_PERM")),
                ["LA_PERM", "DATE_PERM", "PREV_PERM"])


# -- UASC -------------------------------------------------------------------------------------

U = {"DOB": "01/01/2008", "SEX": "M", "DUC": "01/06/2024"}


@shared("UASC")
def _uasc(t) -> pl.DataFrame:
    return get(t, "UASC", "DOB", "DUC").with_columns(_duc=date("DUC"), _dob=date("DOB"))


@rule903("104", fails={"UASC": [{**U, "DUC": "1 June"}]}, passes={"UASC": [U]})
def uasc_ceased_valid(t, ctx):
    return fail(_uasc(t), "UASC", bad_date("DUC"), ["DUC"])


@rule903("304", fails={"UASC": [{**U, "DUC": "02/01/2026"}]}, passes={"UASC": [U]})
def uasc_ceased_after_18(t, ctx):
    df = _uasc(t)
    return fail(df, "UASC", pl.col("_duc") > birthday(pl.col("_dob"), 18), ["DUC"])


@rule903("303", fails={"UASC": [U], "Header": [{"UASC": "0"}]}, passes={"UASC": [U], "Header": [{"UASC": "1"}]})
def uasc_ceased_not_uasc(t, ctx):
    needs_column(t, "Header", "UASC", "which only the XML return carries")
    head = get(t, "Header", "UASC").unique("CHILD", keep="first").select("CHILD", pl.col("UASC").alias("_flag"))
    df = _uasc(t).join(head, on="CHILD", how="left")
    return fail(df, "UASC", filled("DUC") & (pl.col("_flag").fill_null("") != "1"), ["DUC"])


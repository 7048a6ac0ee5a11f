"""Adoption: AD1 (children adopted in the year) and PlacedAdoption (decisions
that a child should, or should no longer, be placed for adoption), checked
against each other and against the episodes.

LS_ADOPTR codes: L0 single adopter; L11 different-sex married couple; L12
same-sex married couple; L2 civil partners; L3 different-sex unmarried
couple; L4 same-sex unmarried couple.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.runs import before
from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    bad_date,
    blank,
    codes,
    date,
    episodes,
    fail,
    filled,
    get,
    is_in,
    lit_date,
    shared,
    with_header,
    year_end,
    year_start,
)

AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
A = {"DOB": "01/01/2020", "DATE_INT": "01/01/2024", "DATE_MATCH": "01/03/2024", "FOSTER_CARE": "0",
     "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11"}
P = {"DOB": "01/01/2020", "DATE_PLACED": "01/01/2024", "DATE_PLACED_CEASED": None, "REASON_PLACED_CEASED": None}
ADOPTED = ("E11", "E12")
FOR_ADOPTION = ("A3", "A4", "A5", "A6")
EP = {"DECOM": "01/05/2023", "RNE": "S", "LS": "E1", "PLACE": "U1"}
EPA = {"DECOM": "01/06/2024", "RNE": "P", "LS": "E1", "PLACE": "A4", "DEC": "01/12/2024", "REC": "E11"}
BEFORE = {**EP, "DEC": "01/06/2024", "REC": "X1"}


@shared("AD1")
def _ad1(t) -> pl.DataFrame:
    return get(t, "AD1", *AD1_ITEMS).with_columns(_int=date("DATE_INT"), _match=date("DATE_MATCH"))


@shared("PlacedAdoption")
def _placed(t) -> pl.DataFrame:
    df = get(t, "PlacedAdoption", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED")
    return df.with_columns(_dp=date("DATE_PLACED"), _dpc=date("DATE_PLACED_CEASED"))


@shared("Episodes")
def _first_adoption_placement(t) -> pl.DataFrame:
    ep = episodes(t).filter(is_in("PLACE", FOR_ADOPTION))
    return ep.group_by("CHILD").agg(_placed_on=pl.col("_start").min())


def _is(col: str, value: str) -> pl.Expr:
    return pl.col(col).str.strip_chars() == value


# -- AD1 on its own ----------------------------------------------------------------


@rule903("112", fails={"AD1": [{**A, "DATE_INT": "1 Jan 2024"}]}, passes={"AD1": [A]})
def date_should_be_placed_valid(t, ctx):
    return fail(_ad1(t), "AD1", bad_date("DATE_INT"), ["DATE_INT"])


@rule903("113", fails={"AD1": [{**A, "DATE_MATCH": "00/03/2024"}]}, passes={"AD1": [A]})
def date_matched_valid(t, ctx):
    return fail(_ad1(t), "AD1", bad_date("DATE_MATCH"), ["DATE_MATCH"])


def _ad1_codes(column: str, allowed=None):
    def check(t, ctx):
        valid = allowed if allowed is not None else codes(ctx, "AD1", column)
        return fail(_ad1(t), "AD1", filled(column) & ~is_in(column, valid), [column])

    return check


rule903("114", fails={"AD1": [{**A, "FOSTER_CARE": "2"}]}, passes={"AD1": [A]})(_ad1_codes("FOSTER_CARE", ("0", "1")))
rule903("175", fails={"AD1": [{**A, "NB_ADOPTR": "3"}]}, passes={"AD1": [A]})(_ad1_codes("NB_ADOPTR", ("1", "2")))
rule903("176", fails={"AD1": [{**A, "SEX_ADOPTR": "M2"}]}, passes={"AD1": [A]})(_ad1_codes("SEX_ADOPTR"))
rule903("177", fails={"AD1": [{**A, "LS_ADOPTR": "L5"}]}, passes={"AD1": [A]})(_ad1_codes("LS_ADOPTR"))


@rule903("151", fails={"AD1": [{**A, "LS_ADOPTR": None}]}, passes={"AD1": [A]})
def ad1_all_or_none(t, ctx):
    df = _ad1(t)
    some = pl.any_horizontal([filled(c) for c in AD1_ITEMS])
    every = pl.all_horizontal([filled(c) for c in AD1_ITEMS])
    return fail(df, "AD1", some & ~every, AD1_ITEMS)


@rule903("333", fails={"AD1": [{**A, "DATE_INT": "01/04/2024"}]}, passes={"AD1": [A]})
def should_be_placed_after_match(t, ctx):
    return fail(_ad1(t), "AD1", pl.col("_int") > pl.col("_match"), ["DATE_INT", "DATE_MATCH"])


def _adopters(ls: str, allowed: tuple[str, ...] | None = None, barred: tuple[str, ...] | None = None):
    def check(t, ctx):
        sex = pl.col("SEX_ADOPTR").str.strip_chars()
        wrong = ~sex.is_in(list(allowed)) if allowed is not None else sex.is_in(list(barred or ()))
        return fail(_ad1(t), "AD1", _is("LS_ADOPTR", ls) & wrong.fill_null(True), ["LS_ADOPTR", "SEX_ADOPTR"])

    return check


COUPLES = ("MM", "FF", "MF")
rule903("514", fails={"AD1": [{**A, "LS_ADOPTR": "L0", "SEX_ADOPTR": "MF"}]},
        passes={"AD1": [{**A, "LS_ADOPTR": "L0", "SEX_ADOPTR": "F1", "NB_ADOPTR": "1"}]})(_adopters("L0", barred=COUPLES))
rule903("517", fails={"AD1": [{**A, "LS_ADOPTR": "L3", "SEX_ADOPTR": "FF"}]},
        passes={"AD1": [{**A, "LS_ADOPTR": "L3"}]})(_adopters("L3", allowed=("MF",)))
rule903("518", fails={"AD1": [{**A, "LS_ADOPTR": "L4"}]},
        passes={"AD1": [{**A, "LS_ADOPTR": "L4", "SEX_ADOPTR": "MM"}]})(_adopters("L4", allowed=("MM", "FF")))
rule903("519", fails={"AD1": [{**A, "LS_ADOPTR": "L2", "SEX_ADOPTR": "M1"}]},
        passes={"AD1": [{**A, "LS_ADOPTR": "L2", "SEX_ADOPTR": "FF"}]})(_adopters("L2", allowed=COUPLES))
rule903("520", fails={"AD1": [{**A, "SEX_ADOPTR": "FF"}]}, passes={"AD1": [A]})(_adopters("L11", barred=("MM", "FF")))
rule903("524", fails={"AD1": [{**A, "LS_ADOPTR": "L12"}]},
        passes={"AD1": [{**A, "LS_ADOPTR": "L12", "SEX_ADOPTR": "FF"}]})(_adopters("L12", allowed=("MM", "FF")))


@rule903("511", fails={"AD1": [{**A, "SEX_ADOPTR": "F1"}]}, passes={"AD1": [A]})
def two_adopters_sexes(t, ctx):
    df = _ad1(t)
    return fail(df, "AD1", _is("NB_ADOPTR", "2") & ~is_in("SEX_ADOPTR", COUPLES).fill_null(False),
                ["NB_ADOPTR", "SEX_ADOPTR"])


# -- AD1 and the episodes ------------------------------------------------------------


@rule903("601", fails={"Episodes": [BEFORE, EPA], "AD1": [{"CHILD": "2", **A}]},
         passes={"Episodes": [BEFORE, EPA], "AD1": [A]})
def adopted_without_ad1(t, ctx):
    ep = episodes(t)
    adopted = ep.filter(is_in("REC", ADOPTED) & (pl.col("_end") >= lit_date(year_start(ctx))))
    ad1 = _ad1(t).filter(pl.all_horizontal([filled(c) for c in AD1_ITEMS]))
    return fail(adopted, "Episodes", ~pl.col("CHILD").is_in(ad1["CHILD"].to_list()), ["REC"])


@rule903("602", fails={"Episodes": [BEFORE, {**EPA, "REC": "E13"}], "AD1": [A]},
         passes={"Episodes": [BEFORE, EPA], "AD1": [A]})
def ad1_without_adoption(t, ctx):
    ep = episodes(t)
    adopted = ep.filter(is_in("REC", ADOPTED) & (pl.col("_end") >= lit_date(year_start(ctx))))
    df = _ad1(t).filter(pl.any_horizontal([filled(c) for c in AD1_ITEMS]))
    return fail(df, "AD1", ~pl.col("CHILD").is_in(adopted["CHILD"].to_list()), ["CHILD"])


@rule903("582", fails={"Episodes": [BEFORE, {**EPA, "DEC": "01/03/2024"}], "AD1": [A]},
         passes={"Episodes": [BEFORE, EPA], "AD1": [A]})
def adopted_on_match_date(t, ctx):
    ep = episodes(t).filter(is_in("REC", ADOPTED)).select("CHILD", "_end", "DEC")
    df = _ad1(t).join(ep, on="CHILD", how="inner")
    return fail(df, "AD1", pl.col("_end") == pl.col("_match"), ["DEC", "DATE_MATCH"])


@rule903("331", fails={"Episodes": [BEFORE, EPA], "AD1": [{**A, "DATE_MATCH": "01/07/2024"}]},
         passes={"Episodes": [BEFORE, EPA], "AD1": [A]})
def matched_after_placed(t, ctx):
    df = _ad1(t).join(_first_adoption_placement(t), on="CHILD", how="inner")
    return fail(df, "AD1", pl.col("_match") > pl.col("_placed_on"), ["DATE_MATCH"])


@rule903("521", fails={"Episodes": [BEFORE, EPA], "AD1": [{**A, "DATE_INT": "01/07/2024", "DATE_MATCH": "02/07/2024"}]},
         passes={"Episodes": [BEFORE, EPA], "AD1": [A]})
def should_be_placed_after_placed(t, ctx):
    df = _ad1(t).join(_first_adoption_placement(t), on="CHILD", how="inner")
    return fail(df, "AD1", pl.col("_int") > pl.col("_placed_on"), ["DATE_INT"])


@rule903("334", fails={"Episodes": [BEFORE, EPA], "AD1": [{**A, "DATE_INT": "01/01/2023"}]},
         passes={"Episodes": [BEFORE, EPA], "AD1": [A]})
def should_be_placed_before_care(t, ctx):
    starts = episodes(t).filter(pl.col("RNE") == "S").group_by("CHILD").agg(_care_from=pl.col("_start").max())
    df = _ad1(t).join(starts, on="CHILD", how="inner")
    return fail(df, "AD1", pl.col("_int") < pl.col("_care_from"), ["DATE_INT"])


@rule903("335", fails={"Episodes": [BEFORE, {**EPA, "PLACE": "A5"}], "AD1": [A]},
         passes={"Episodes": [BEFORE, EPA], "AD1": [A]})
def foster_carer_flag_disagrees(t, ctx):
    last = episodes(t).filter(is_in("REC", ADOPTED)).select("CHILD", "PLACE")
    df = _ad1(t).join(last, on="CHILD", how="inner")
    with_carers = is_in("PLACE", ("A3", "A5"))
    bad = (_is("FOSTER_CARE", "0") & with_carers) | (_is("FOSTER_CARE", "1") & is_in("PLACE", ("A4", "A6")))
    return fail(df, "AD1", bad, ["PLACE", "FOSTER_CARE"])


# -- PlacedAdoption --------------------------------------------------------------------


@rule903("115", fails={"PlacedAdoption": [{**P, "DATE_PLACED": "2024"}]}, passes={"PlacedAdoption": [P]})
def date_placed_valid(t, ctx):
    return fail(_placed(t), "PlacedAdoption", bad_date("DATE_PLACED"), ["DATE_PLACED"])


@rule903("116", fails={"PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "31/04/2024", "REASON_PLACED_CEASED": "RD1"}]},
         passes={"PlacedAdoption": [P]})
def date_placed_ceased_valid(t, ctx):
    return fail(_placed(t), "PlacedAdoption", bad_date("DATE_PLACED_CEASED"), ["DATE_PLACED_CEASED"])


@rule903("120", fails={"PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/05/2024", "REASON_PLACED_CEASED": "RD9"}]},
         passes={"PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/05/2024", "REASON_PLACED_CEASED": "RD1"}]})
def reason_placed_ceased_valid(t, ctx):
    valid = codes(ctx, "PlacedAdoption", "REASON_PLACED_CEASED")
    return fail(_placed(t), "PlacedAdoption", filled("REASON_PLACED_CEASED") & ~is_in("REASON_PLACED_CEASED", valid),
                ["REASON_PLACED_CEASED"])


@rule903("119", fails={"PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/05/2024"}]},
         passes={"PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/05/2024", "REASON_PLACED_CEASED": "RD1"}]})
def ceased_date_and_reason(t, ctx):
    df = _placed(t)
    return fail(df, "PlacedAdoption", filled("DATE_PLACED_CEASED") != filled("REASON_PLACED_CEASED"),
                ["REASON_PLACED_CEASED", "DATE_PLACED_CEASED"])


@rule903("184", fails={"Header": [{"DOB": "01/01/2020"}], "PlacedAdoption": [{**P, "DATE_PLACED": "01/12/2019"}]},
         passes={"Header": [{"DOB": "01/01/2020"}], "PlacedAdoption": [P]})
def placed_before_birth(t, ctx):
    df = with_header(_placed(t), t, "DOB", suffix="_header")
    return fail(df, "PlacedAdoption", pl.col("_dp") < date("DOB_header"), ["DATE_PLACED", "DOB"])


@rule903("522", fails={"PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/12/2023", "REASON_PLACED_CEASED": "RD1"}]},
         passes={"PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/05/2024", "REASON_PLACED_CEASED": "RD1"}]})
def placed_after_ceased(t, ctx):
    return fail(_placed(t), "PlacedAdoption", pl.col("_dp") > pl.col("_dpc"), ["DATE_PLACED", "DATE_PLACED_CEASED"])


@rule903("563", fails={"PlacedAdoption": [{**P, "DATE_PLACED": None, "REASON_PLACED_CEASED": "RD1"}]},
         passes={"PlacedAdoption": [P]})
def ceased_without_placed(t, ctx):
    df = _placed(t)
    return fail(df, "PlacedAdoption", (filled("DATE_PLACED_CEASED") | filled("REASON_PLACED_CEASED")) & blank("DATE_PLACED"),
                ["DATE_PLACED", "REASON_PLACED_CEASED", "DATE_PLACED_CEASED"])


@shared("PlacedAdoption")
def _placed_sorted(t) -> pl.DataFrame:
    df = _placed(t).sort(["CHILD", "_dp", "_row"])
    return df.with_columns(_prev_dpc=before(pl.col("_dpc"), "CHILD"),  # sorted by CHILD: validation.runs
                           _has_prev=before(pl.col("_dp"), "CHILD").is_not_null())


_TWO_OPEN = [P, {**P, "DATE_PLACED": "01/06/2024"}]
_TWO_CLOSED = [{**P, "DATE_PLACED_CEASED": "01/03/2024", "REASON_PLACED_CEASED": "RD1"}, {**P, "DATE_PLACED": "01/06/2024"}]


@rule903("579", fails={"PlacedAdoption": _TWO_OPEN}, passes={"PlacedAdoption": _TWO_CLOSED})
def decision_while_decision_open(t, ctx):
    df = _placed_sorted(t)
    open_prev = pl.col("_has_prev") & (pl.col("_prev_dpc").is_null() | (pl.col("_prev_dpc") > pl.col("_dp")))
    return fail(df, "PlacedAdoption", open_prev, ["DATE_PLACED", "DATE_PLACED_CEASED"])


@rule903("583", fails={"PlacedAdoption": _TWO_OPEN}, passes={"PlacedAdoption": _TWO_CLOSED})
def earlier_decision_not_revoked(t, ctx):
    df = _placed_sorted(t)
    return fail(df, "PlacedAdoption", pl.col("_has_prev") & pl.col("_prev_dpc").is_null(),
                ["DATE_PLACED", "DATE_PLACED_CEASED"])


@rule903("523", fails={"PlacedAdoption": [{**P, "DATE_PLACED": "02/01/2024"}], "AD1": [A]},
         passes={"PlacedAdoption": [P], "AD1": [A]})
def placed_differs_from_should_be_placed(t, ctx):
    ad1 = _ad1(t).select("CHILD", "_int")
    df = _placed(t).join(ad1, on="CHILD", how="inner")
    return fail(df, "PlacedAdoption", pl.col("_dp") != pl.col("_int"), ["DATE_PLACED"])


@rule903("525", fails={"PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/05/2024", "REASON_PLACED_CEASED": "RD1"}],
                       "AD1": [A]}, passes={"PlacedAdoption": [P], "AD1": [A]})
def reversed_then_adopted(t, ctx):
    ad1 = _ad1(t).filter(pl.any_horizontal([filled(c) for c in AD1_ITEMS]))
    df = _placed(t)
    return fail(df, "PlacedAdoption", filled("DATE_PLACED_CEASED") & pl.col("CHILD").is_in(ad1["CHILD"].to_list()),
                ["DATE_PLACED_CEASED"])


# -- PlacedAdoption and the episodes -------------------------------------------------


@rule903("551", fails={"Episodes": [BEFORE, EPA], "PlacedAdoption": [{**P, "CHILD": "2"}]},
         passes={"Episodes": [BEFORE, EPA], "PlacedAdoption": [P]})
def placed_without_decision(t, ctx):
    ep = episodes(t).filter(is_in("PLACE", FOR_ADOPTION))
    decided = _placed(t).filter(filled("DATE_PLACED"))["CHILD"].to_list()
    return fail(ep, "Episodes", ~pl.col("CHILD").is_in(decided), ["PLACE"])


@rule903("553", fails={"Episodes": [EP], "PlacedAdoption": [{**P, "CHILD": "2"}]},
         passes={"Episodes": [EP], "PlacedAdoption": [P]})
def order_without_decision(t, ctx):
    ep = episodes(t).filter(pl.col("LS") == "E1")
    decided = _placed(t).filter(filled("DATE_PLACED"))["CHILD"].to_list()
    return fail(ep.unique("CHILD", keep="first"), "Episodes", ~pl.col("CHILD").is_in(decided), ["CHILD"])


@rule903("552", fails={"Episodes": [BEFORE, EPA], "PlacedAdoption": [{**P, "DATE_PLACED": "01/07/2024"}]},
         passes={"Episodes": [BEFORE, EPA], "PlacedAdoption": [P]})
def decision_after_placement(t, ctx):
    df = _placed(t).join(_first_adoption_placement(t), on="CHILD", how="inner")
    return fail(df, "PlacedAdoption", pl.col("_dp") > pl.col("_placed_on"), ["DATE_PLACED"])


@rule903("554", fails={"Episodes": [EP], "PlacedAdoption": [{**P, "DATE_PLACED": "01/07/2023"}]},
         passes={"Episodes": [EP], "PlacedAdoption": [{**P, "DATE_PLACED": "01/04/2023"}]})
def decision_after_order(t, ctx):
    order = episodes(t).filter(pl.col("LS") == "E1").group_by("CHILD").agg(_order=pl.col("_start").min())
    df = _placed(t).join(order, on="CHILD", how="inner")
    return fail(df, "PlacedAdoption", pl.col("_dp") > pl.col("_order"), ["DATE_PLACED"])


@rule903("1003", fails={"Episodes": [EP], "PlacedAdoption": [{**P, "DATE_PLACED": "01/01/2023"}]},
         passes={"Episodes": [EP], "PlacedAdoption": [{**P, "DATE_PLACED": "01/06/2023"}]})
def decision_before_care(t, ctx):
    starts = episodes(t).filter(pl.col("RNE") == "S").group_by("CHILD").agg(_care_from=pl.col("_start").min())
    df = _placed(t).join(starts, on="CHILD", how="inner")
    return fail(df, "PlacedAdoption", pl.col("_dp") < pl.col("_care_from"), ["DATE_PLACED"])


@shared("Episodes")
def _left_care(t) -> pl.DataFrame:
    ep = episodes(t)
    return ep.filter(pl.col("_last") & pl.col("_end").is_not_null() & (pl.col("REC") != "X1")).select(
        "CHILD", "_end", "REC")


@rule903("557", fails={"Episodes": [{**EP, "DEC": "01/09/2024", "REC": "E13"}], "PlacedAdoption": [P]},
         passes={"Episodes": [{**EP, "DEC": "01/09/2024", "REC": "E13"}],
                 "PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/08/2024", "REASON_PLACED_CEASED": "RD1"}]})
def left_without_reversal(t, ctx):
    left = _left_care(t).filter(~is_in("REC", ADOPTED) & (pl.col("_end") >= lit_date(year_start(ctx))))
    df = _placed(t).join(left, on="CHILD", how="inner")
    return fail(df, "PlacedAdoption", filled("DATE_PLACED") & blank("DATE_PLACED_CEASED"),
                ["DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "REC"])


@rule903("558", fails={"Episodes": [BEFORE, EPA], "PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/08/2024",
                                                                       "REASON_PLACED_CEASED": "RD1"}]},
         passes={"Episodes": [BEFORE, EPA], "PlacedAdoption": [P]})
def adopted_with_reversal(t, ctx):
    adopted = _left_care(t).filter(is_in("REC", ADOPTED))
    df = _placed(t).join(adopted, on="CHILD", how="inner")
    return fail(df, "PlacedAdoption", filled("DATE_PLACED_CEASED"), ["DATE_PLACED_CEASED", "REC"])


@rule903("117", fails={"Episodes": [{**EP, "DEC": "01/09/2024", "REC": "E13"}],
                       "PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/10/2024", "REASON_PLACED_CEASED": "RD1"}]},
         passes={"Episodes": [{**EP, "DEC": "01/09/2024", "REC": "E13"}],
                 "PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/08/2024", "REASON_PLACED_CEASED": "RD1"}]})
def decision_after_year_or_care(t, ctx):
    df = _placed(t).join(_left_care(t), on="CHILD", how="left")
    limit = pl.min_horizontal(pl.col("_end").fill_null(lit_date(year_end(ctx))), lit_date(year_end(ctx)))
    return fail(df, "PlacedAdoption", (pl.col("_dp") > limit) | (pl.col("_dpc") > limit),
                ["DATE_PLACED", "DATE_PLACED_CEASED"])


@rule903("118", fails={"Episodes": [EP], "PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/03/2024",
                                                               "REASON_PLACED_CEASED": "RD1"}]},
         passes={"Episodes": [EP], "PlacedAdoption": [{**P, "DATE_PLACED_CEASED": "01/06/2024",
                                                        "REASON_PLACED_CEASED": "RD1"}]})
def reversal_before_year(t, ctx):
    first = episodes(t).group_by("CHILD").agg(_care_from=pl.col("_start").min())
    df = _placed(t).join(first, on="CHILD", how="left")
    before = (pl.col("_dpc") < lit_date(year_start(ctx))) | (pl.col("_dpc") < pl.col("_care_from"))
    return fail(df, "PlacedAdoption", before, ["DATE_PLACED_CEASED"])

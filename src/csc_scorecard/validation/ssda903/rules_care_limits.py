"""Episodes: the limits the law and the DfE's guidance set on legal statuses,
placement types and reasons for leaving care by age and by length (police
protection 72 hours, respite 17 days, temporary placements, under-10s on remand,
adoption after 18, ...)."""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    age,
    date,
    episodes,
    fail,
    filled,
    get,
    is_in,
    lit_date,
    with_header,
    year_end,
    year_start,
)
from csc_scorecard.validation.ssda903.rules_episodes import (
    ADOPTED,
    CHANGED_PLACEMENT,
    SGO,
    TEMPORARY,
)
from csc_scorecard.validation.ssda903.rules_episodes import example_episode as ep_row


@rule903(
    "358",
    fails={"Header": [{"DOB": "01/01/2016"}], "Episodes": [ep_row(LS="J2")]},
    passes={"Header": [{"DOB": "01/01/2012"}], "Episodes": [ep_row(LS="J2")]},
)
def remand_under_10(t, ctx):
    ep = with_header(episodes(t), t, "DOB")
    mask = is_in("LS", ("J1", "J2", "J3")) & (age(date("DOB"), pl.col("_start")) < 10)
    return fail(ep, "Episodes", mask, ["DECOM", "DOB", "LS"])


@rule903(
    "359",
    fails={"Header": [{"DOB": "01/06/2006"}], "Episodes": [ep_row(DECOM="01/05/2023")]},
    passes={"Header": [{"DOB": "01/06/2006"}], "Episodes": [ep_row(DECOM="01/05/2023", LS="V2", PLACE="K2")]},
)
def looked_after_past_18(t, ctx):
    ep = with_header(episodes(t), t, "DOB")
    eighteen = date("DOB").dt.offset_by("18y")
    past = (pl.col("_end").is_null() & (eighteen <= lit_date(year_end(ctx)))) | (pl.col("_end") > eighteen)
    allowed = (pl.col("LS") == "V2") & is_in("PLACE", ("K1", "K2"))
    return fail(ep, "Episodes", past & ~allowed, ["DEC", "LS", "PLACE"])


def _max_days(ls: str, days: int):
    def check(t, ctx):
        ep = episodes(t)
        long = (pl.col("_end") - pl.col("_start")).dt.total_days() > days
        return fail(ep, "Episodes", (pl.col("LS") == ls) & long, ["LS", "DECOM", "DEC"])

    return check


rule903("361", fails={"Episodes": [ep_row(LS="L1", DEC="05/05/2024", REC="E13")]},
        passes={"Episodes": [ep_row(LS="L1", DEC="03/05/2024", REC="E13")]})(_max_days("L1", 3))
rule903("362", fails={"Episodes": [ep_row(LS="L2", DEC="01/06/2024", REC="E13")]},
        passes={"Episodes": [ep_row(LS="L2", DEC="20/05/2024", REC="E13")]})(_max_days("L2", 21))
rule903("363", fails={"Episodes": [ep_row(LS="L3", DEC="10/05/2024", REC="E13")]},
        passes={"Episodes": [ep_row(LS="L3", DEC="07/05/2024", REC="E13")]})(_max_days("L3", 7))
rule903("365", fails={"Episodes": [ep_row(LS="V3", DEC="20/05/2024", REC="E13")]},
        passes={"Episodes": [ep_row(LS="V3", DEC="17/05/2024", REC="E13")]})(_max_days("V3", 17))


@rule903("366", fails={"Episodes": [ep_row(LS="V3", RNE="P")]}, passes={"Episodes": [ep_row(LS="V3", RNE="S")]})
def respite_placement_change(t, ctx):
    ep = get(t, "Episodes", "LS", "RNE")
    return fail(ep, "Episodes", (pl.col("LS") == "V3") & is_in("RNE", CHANGED_PLACEMENT), ["RNE", "LS"])


@rule903(
    "367",
    fails={"Episodes": [ep_row(LS="V3", DECOM=f"{d:02d}/05/2024", DEC=f"{d + 16:02d}/05/2024", REC="E13")
                        for d in (1,)] + [ep_row(LS="V3", DECOM=f"01/{m:02d}/2024", DEC=f"16/{m:02d}/2024", REC="E13")
                                          for m in (6, 7, 8, 9, 10)]},
    passes={"Episodes": [ep_row(LS="V3", DECOM="01/06/2024", DEC="16/06/2024", REC="E13")]},
)
def respite_over_75_days(t, ctx):
    ep = episodes(t).filter(pl.col("LS") == "V3")
    start, end = lit_date(year_start(ctx)), lit_date(year_end(ctx))
    days = (pl.min_horizontal(pl.col("_end").fill_null(end), end) - pl.max_horizontal(pl.col("_start"), start))
    ep = ep.with_columns(_days=days.dt.total_days().clip(lower_bound=0))
    return fail(ep, "Episodes", pl.col("_days").sum().over("CHILD") > 75, ["LS", "DECOM", "DEC"])


def _min_age(places: tuple[str, ...], years: int):
    def check(t, ctx):
        ep = with_header(episodes(t), t, "DOB")
        return fail(ep, "Episodes", is_in("PLACE", places) & (age(date("DOB"), pl.col("_start")) < years),
                    ["DECOM", "PLACE", "DOB"])

    return check


_H = {"DOB": "01/01/2012"}
rule903("371", fails={"Header": [_H], "Episodes": [ep_row(PLACE="K3")]},
        passes={"Header": [{"DOB": "01/01/2008"}], "Episodes": [ep_row(PLACE="K3")]})(_min_age(("H5", "K3"), 16))
rule903("372", fails={"Header": [{"DOB": "01/01/2016"}], "Episodes": [ep_row(PLACE="R5")]},
        passes={"Header": [_H], "Episodes": [ep_row(PLACE="R5")]})(_min_age(("R5",), 10))
rule903("373", fails={"Header": [{"DOB": "01/01/2022"}], "Episodes": [ep_row(PLACE="S1")]},
        passes={"Header": [_H], "Episodes": [ep_row(PLACE="S1")]})(_min_age(("S1",), 4))
rule903("374", fails={"Header": [_H], "Episodes": [ep_row(PLACE="P3")]},
        passes={"Header": [{"DOB": "01/01/2008"}], "Episodes": [ep_row(PLACE="P3")]})(_min_age(("P3",), 14))


def _temporary_days(place: str, days: int):
    def check(t, ctx):
        ep = episodes(t)
        long = (pl.col("_end") - pl.col("_start")).dt.total_days() > days
        return fail(ep, "Episodes", (pl.col("PLACE") == place) & long, ["DECOM", "DEC", "PLACE"])

    return check


rule903("375", fails={"Episodes": [ep_row(PLACE="T1", DEC="01/07/2024", REC="X1")]},
        passes={"Episodes": [ep_row(PLACE="T1", DEC="01/06/2024", REC="X1")]})(_temporary_days("T1", 42))
rule903("376", fails={"Episodes": [ep_row(PLACE="T3", DEC="01/06/2024", REC="X1")]},
        passes={"Episodes": [ep_row(PLACE="T3", DEC="15/05/2024", REC="X1")]})(_temporary_days("T3", 21))
rule903("379", fails={"Episodes": [ep_row(PLACE="T4", DEC="10/05/2024", REC="X1")]},
        passes={"Episodes": [ep_row(PLACE="T4", DEC="08/05/2024", REC="X1")]})(_temporary_days("T4", 7))


@rule903(
    "377",
    fails={"Episodes": [ep_row(PLACE="T3", DECOM=f"01/{m:02d}/2024", DEC=f"05/{m:02d}/2024", REC="X1") for m in (5, 7, 9)]},
    passes={"Episodes": [ep_row(PLACE="T3", DECOM=f"01/{m:02d}/2024", DEC=f"05/{m:02d}/2024", REC="X1") for m in (5, 7)]},
)
def carer_holidays_over_two(t, ctx):
    ep = episodes(t)
    in_year = (pl.col("_start") >= lit_date(year_start(ctx))) & (pl.col("_start") <= lit_date(year_end(ctx)))
    ep = ep.filter((pl.col("PLACE") == "T3") & in_year)
    return fail(ep, "Episodes", pl.len().over("CHILD") > 2, ["PLACE"])


@rule903("378", fails={"Episodes": [ep_row(PLACE="P1", LS="V2")]}, passes={"Episodes": [ep_row(PLACE="P1", LS="C2")]})
def parents_under_section_20(t, ctx):
    ep = get(t, "Episodes", "PLACE", "LS")
    return fail(ep, "Episodes", (pl.col("PLACE") == "P1") & (pl.col("LS") == "V2"), ["PLACE", "LS"])


@rule903("380", fails={"Episodes": [ep_row(PLACE="T4", RNE="S")]}, passes={"Episodes": [ep_row(PLACE="U1", RNE="S")]})
def care_starts_temporary(t, ctx):
    ep = get(t, "Episodes", "PLACE", "RNE")
    return fail(ep, "Episodes", is_in("PLACE", TEMPORARY) & is_in("RNE", ("S", "B")), ["PLACE", "RNE"])


@rule903("381", fails={"Episodes": [ep_row(PLACE="T4", DEC="03/05/2024", REC="E13")]},
         passes={"Episodes": [ep_row(PLACE="T4", DEC="03/05/2024", REC="X1")]})
def care_ends_temporary(t, ctx):
    ep = get(t, "Episodes", "PLACE", "REC")
    return fail(ep, "Episodes", is_in("PLACE", TEMPORARY) & filled("REC") & (pl.col("REC") != "X1"), ["PLACE", "REC"])


@rule903("382", fails={"Episodes": [ep_row(PLACE="T4", LS="V3")]}, passes={"Episodes": [ep_row(PLACE="U1", LS="V3")]})
def respite_temporary(t, ctx):
    ep = get(t, "Episodes", "PLACE", "LS")
    return fail(ep, "Episodes", is_in("PLACE", TEMPORARY) & is_in("LS", ("V3", "V4")), ["LS", "PLACE"])


@rule903("384", fails={"Episodes": [ep_row(PLACE="U4", LS="V4")]}, passes={"Episodes": [ep_row(PLACE="U3", LS="V4")]})
def respite_long_term_foster(t, ctx):
    ep = get(t, "Episodes", "PLACE", "LS")
    return fail(ep, "Episodes", is_in("PLACE", ("U1", "U4")) & is_in("LS", ("V3", "V4")), ["PLACE", "LS"])


@rule903(
    "383",
    fails={"Episodes": [ep_row(DEC="01/06/2024", REC="X1"), ep_row(DECOM="01/06/2024", RNE="P", PLACE="T3", DEC="05/06/2024",
                                                                REC="X1"), ep_row(DECOM="05/06/2024", RNE="P", PLACE="U3")]},
    passes={"Episodes": [ep_row(DEC="01/06/2024", REC="X1"), ep_row(DECOM="01/06/2024", RNE="P", PLACE="T3", DEC="05/06/2024",
                                                                 REC="X1"), ep_row(DECOM="05/06/2024", RNE="P")]},
)
def temporary_then_back(t, ctx):
    ep = episodes(t)
    between = pl.col("_prev_place").is_not_null() & pl.col("_next_place").is_not_null()
    differs = (pl.col("_prev_place") != pl.col("_next_place")) | (
        pl.col("_prev_post").fill_null("") != pl.col("_next_post").fill_null("")
    )
    return fail(ep, "Episodes", is_in("PLACE", TEMPORARY) & between & differs, ["PLACE", "RNE", "PL_POST"])


def _rec_age(recs: tuple[str, ...], test):
    def check(t, ctx):
        ep = with_header(episodes(t), t, "DOB")
        return fail(ep, "Episodes", is_in("REC", recs) & test(age(date("DOB"), pl.col("_end"))), ["REC", "DEC", "DOB"])

    return check


_A18 = {"DOB": "01/01/2006"}
_A10 = {"DOB": "01/01/2014"}
rule903("386", fails={"Header": [_A18], "Episodes": [ep_row(DEC="01/06/2024", REC="E11")]},
        passes={"Header": [_A10], "Episodes": [ep_row(DEC="01/06/2024", REC="E11")]})(_rec_age(ADOPTED, lambda a: a >= 18))
rule903("387", fails={"Header": [_A10], "Episodes": [ep_row(DEC="01/06/2024", REC="E5")]},
        passes={"Header": [_A18], "Episodes": [ep_row(DEC="01/06/2024", REC="E5")]})(_rec_age(("E5", "E6"), lambda a: a < 14))
rule903("389", fails={"Header": [_A10], "Episodes": [ep_row(DEC="01/06/2024", REC="E7")]},
        passes={"Header": [_A18], "Episodes": [ep_row(DEC="01/06/2024", REC="E7")]})(_rec_age(("E7",), lambda a: a < 16))
rule903("407", fails={"Header": [_A18], "Episodes": [ep_row(DEC="01/06/2024", REC="E45")]},
        passes={"Header": [_A10], "Episodes": [ep_row(DEC="01/06/2024", REC="E45")]})(_rec_age(SGO, lambda a: a >= 18))
rule903("460", fails={"Header": [_A10], "Episodes": [ep_row(DEC="01/06/2024", REC="E17")]},
        passes={"Header": [_A18], "Episodes": [ep_row(DEC="01/06/2024", REC="E17")]})(_rec_age(("E17",), lambda a: a < 18))

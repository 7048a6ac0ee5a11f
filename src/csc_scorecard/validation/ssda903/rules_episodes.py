"""Episodes: codes, dates, the order of episodes and what a reason for a new
episode or for an episode ceasing implies.

RNE codes, as the 903 guide gives them: S started to be looked after; L legal
status changed only; P placement changed only; B placement and legal status
both changed; T placement type changed, same carer; U legal status and
placement type changed, same carer.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.validation.runs import before, running_sum
from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    age,
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
    periods_of_care,
    with_header,
    year_end,
    year_start,
)

F = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"]
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
OTHER = ("Z1", "Z11", "Z12", "Z13", "Z14")
CHANGED_PLACEMENT = ("P", "B", "T", "U")
ADOPTED = ("E11", "E12")
SGO = ("E45", "E46", "E47", "E48")


def example_episode(**values):
    """One episode row for an example, filled with ordinary values."""
    row = {"DECOM": "01/05/2024", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U1",
           "PLACE_PROVIDER": "PR1", "DEC": None, "REC": None, "PL_POST": "AB1 2CD", "URN": "SC123456"}
    row.update(values)
    return row


def _code_rule(column: str, required: bool):
    def check(t, ctx):
        ep = get(t, "Episodes", column)
        bad = ~is_in(column, codes(ctx, "Episodes", column)).fill_null(False)
        if not required:
            bad = bad & filled(column)
        return fail(ep, "Episodes", bad, [column])

    return check


@rule903("141", fails={"Episodes": [example_episode(DECOM="2024/05/01x")]}, passes={"Episodes": [example_episode()]})
def start_date_valid(t, ctx):
    ep = get(t, "Episodes", "DECOM")
    return fail(ep, "Episodes", blank("DECOM") | bad_date("DECOM"), ["DECOM"])


@rule903("147", fails={"Episodes": [example_episode(DEC="31/13/2024", REC="E13")]}, passes={"Episodes": [example_episode()]})
def end_date_valid(t, ctx):
    ep = get(t, "Episodes", "DEC")
    return fail(ep, "Episodes", bad_date("DEC"), ["DEC"])


rule903("143", fails={"Episodes": [example_episode(RNE="Q")]}, passes={"Episodes": [example_episode()]})(_code_rule("RNE", True))
rule903("144", fails={"Episodes": [example_episode(LS="C3")]}, passes={"Episodes": [example_episode()]})(_code_rule("LS", True))
rule903("145", fails={"Episodes": [example_episode(CIN="N9")]}, passes={"Episodes": [example_episode()]})(_code_rule("CIN", True))
rule903("146", fails={"Episodes": [example_episode(PLACE="H5")]}, passes={"Episodes": [example_episode()]})(_code_rule("PLACE", True))
rule903("149", fails={"Episodes": [example_episode(DEC="01/06/2024", REC="E4")]},
        passes={"Episodes": [example_episode(DEC="01/06/2024", REC="E4A")]})(_code_rule("REC", False))
rule903("178", fails={"Episodes": [example_episode(PLACE_PROVIDER="PR9")]},
        passes={"Episodes": [example_episode()]})(_code_rule("PLACE_PROVIDER", False))
rule903("1009", fails={"Episodes": [example_episode(REASON_PLACE_CHANGE="MOVED")]},
        passes={"Episodes": [example_episode(REASON_PLACE_CHANGE="CARPL")]})(_code_rule("REASON_PLACE_CHANGE", False))


@rule903(
    "142",
    fails={"Episodes": [example_episode(DECOM="01/05/2024"), example_episode(DECOM="01/06/2024", RNE="P")]},
    passes={"Episodes": [example_episode(DECOM="01/05/2024", DEC="01/06/2024", REC="X1"), example_episode(DECOM="01/06/2024", RNE="P")]},
)
def earlier_episode_open(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", ~pl.col("_last") & pl.col("_end").is_null(), ["DECOM", "DEC", "REC"])


@rule903(
    "148",
    fails={"Episodes": [example_episode(DEC="01/06/2024", REC=None)]},
    passes={"Episodes": [example_episode(DEC="01/06/2024", REC="E13")]},
)
def end_date_and_reason_together(t, ctx):
    ep = get(t, "Episodes", "DEC", "REC")
    return fail(ep, "Episodes", filled("DEC") != filled("REC"), ["DEC", "REC"])


@rule903(
    "213",
    fails={"Episodes": [example_episode(PLACE="T1", PLACE_PROVIDER="PR1")]},
    passes={"Episodes": [example_episode(PLACE="T1", PLACE_PROVIDER=None)]},
)
def provider_not_needed(t, ctx):
    ep = get(t, "Episodes", "PLACE", "PLACE_PROVIDER")
    return fail(ep, "Episodes", is_in("PLACE", TEMPORARY + OTHER) & filled("PLACE_PROVIDER"),
                ["PLACE", "PLACE_PROVIDER"])


@rule903(
    "526",
    fails={"Episodes": [example_episode(PLACE="U1", PLACE_PROVIDER=None)]},
    passes={"Episodes": [example_episode(PLACE="U1", PLACE_PROVIDER="PR1")]},
)
def provider_missing(t, ctx):
    ep = get(t, "Episodes", "PLACE", "PLACE_PROVIDER")
    return fail(ep, "Episodes", filled("PLACE") & ~is_in("PLACE", TEMPORARY + OTHER) & blank("PLACE_PROVIDER"),
                ["PLACE", "PLACE_PROVIDER"])


def _provider_rule(provider: str, places: tuple[str, ...], only: bool = False):
    def check(t, ctx):
        ep = get(t, "Episodes", "PLACE", "PLACE_PROVIDER")
        wrong = ~is_in("PLACE", places) if only else is_in("PLACE", places)
        return fail(ep, "Episodes", (pl.col("PLACE_PROVIDER").str.strip_chars() == provider) & wrong,
                    ["PLACE", "PLACE_PROVIDER"])

    return check


rule903("527", fails={"Episodes": [example_episode(PLACE="R2", PLACE_PROVIDER="PR1")]},
        passes={"Episodes": [example_episode(PLACE="U1", PLACE_PROVIDER="PR1")]})(_provider_rule("PR1", ("P1", "R2", "R5")))
rule903("528", fails={"Episodes": [example_episode(PLACE="P1", PLACE_PROVIDER="PR2")]},
        passes={"Episodes": [example_episode(PLACE="U1", PLACE_PROVIDER="PR2")]})(_provider_rule("PR2", ("P1", "R2", "R5")))
rule903("529", fails={"Episodes": [example_episode(PLACE="U3", PLACE_PROVIDER="PR3")]},
        passes={"Episodes": [example_episode(PLACE="K2", PLACE_PROVIDER="PR1")]})(
    _provider_rule("PR3", ("P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6")))
rule903("530", fails={"Episodes": [example_episode(PLACE="P1", PLACE_PROVIDER="PR4")]},
        passes={"Episodes": [example_episode(PLACE="U1", PLACE_PROVIDER="PR4")]})(_provider_rule("PR4", ("P1",)))
rule903("531", fails={"Episodes": [example_episode(PLACE="P1", PLACE_PROVIDER="PR5")]},
        passes={"Episodes": [example_episode(PLACE="U1", PLACE_PROVIDER="PR5")]})(_provider_rule("PR5", ("P1",)))
rule903("550", fails={"Episodes": [example_episode(PLACE="U1", PLACE_PROVIDER="PR0")]},
        passes={"Episodes": [example_episode(PLACE="P1", PLACE_PROVIDER="PR0")]})(_provider_rule("PR0", ("P1",), only=True))


@rule903(
    "217",
    fails={"Episodes": [example_episode(PLACE="A5", RNE="P")]},
    passes={"Episodes": [example_episode(PLACE="A5", RNE="T")]},
)
def adoption_by_foster_carer_rne(t, ctx):
    ep = episodes(t)
    mask = is_in("PLACE", ("A3", "A5")) & (pl.col("_start") >= lit_date(dt.date(2015, 4, 1))) & ~is_in(
        "RNE", ("S", "T", "U")
    ).fill_null(False)
    return fail(ep, "Episodes", mask, ["PLACE", "DECOM", "RNE"])


@rule903(
    "225",
    fails={"Episodes": [example_episode(DEC="01/06/2024", REC="X1"), example_episode(DECOM="01/06/2024", RNE="P", PLACE="U2")]},
    passes={"Episodes": [example_episode(DEC="01/06/2024", REC="X1", REASON_PLACE_CHANGE="CARPL"),
                         example_episode(DECOM="01/06/2024", RNE="P", PLACE="U2")]},
)
def placement_change_reason_missing(t, ctx):
    ep = episodes(t).with_columns(_rpc=pl.col("REASON_PLACE_CHANGE"))
    mask = (
        (pl.col("REC").str.strip_chars() == "X1")
        & is_in("_next_rne", ("P", "B", "T", "U"))
        & ~is_in("PLACE", TEMPORARY)
        & ~is_in("_next_place", TEMPORARY)
        & blank("_rpc")
        & (pl.col("_start") >= lit_date(dt.date(2016, 4, 1)))
    )
    return fail(ep, "Episodes", mask, ["REASON_PLACE_CHANGE", "REC"])


@rule903(
    "226",
    fails={"Episodes": [example_episode(PLACE="T2", REASON_PLACE_CHANGE="CARPL")]},
    passes={"Episodes": [example_episode(PLACE="U1", REASON_PLACE_CHANGE="CARPL", DEC="01/06/2024", REC="X1")]},
)
def placement_change_reason_temporary(t, ctx):
    ep = get(t, "Episodes", "PLACE", "REASON_PLACE_CHANGE")
    return fail(ep, "Episodes", is_in("PLACE", TEMPORARY) & filled("REASON_PLACE_CHANGE"),
                ["REASON_PLACE_CHANGE", "PLACE"])


@rule903(
    "233",
    fails={"Episodes": [example_episode(REASON_PLACE_CHANGE="CARPL")]},
    passes={"Episodes": [example_episode(REASON_PLACE_CHANGE="CARPL", DEC="01/06/2024", REC="X1")]},
    example_year="2025-26",
)
def placement_change_reason_open(t, ctx):
    ep = get(t, "Episodes", "DEC", "REASON_PLACE_CHANGE")
    return fail(ep, "Episodes", filled("REASON_PLACE_CHANGE") & blank("DEC"), ["REASON_PLACE_CHANGE", "DEC"])


@rule903(
    "302",
    fails={"Header": [{"DOB": "01/06/2024"}], "Episodes": [example_episode(DECOM="01/05/2024")]},
    passes={"Header": [{"DOB": "01/04/2024"}], "Episodes": [example_episode(DECOM="01/05/2024")]},
)
def started_before_birth(t, ctx):
    ep = with_header(episodes(t), t, "DOB")
    return fail(ep, "Episodes", pl.col("_start") < date("DOB"), ["DECOM", "DOB"])


@rule903(
    "352",
    fails={"Header": [{"DOB": "01/04/2006"}], "Episodes": [example_episode(DECOM="01/05/2024")]},
    passes={"Header": [{"DOB": "01/06/2006"}], "Episodes": [example_episode(DECOM="01/05/2024")]},
)
def started_at_18(t, ctx):
    ep = with_header(episodes(t), t, "DOB")
    return fail(ep, "Episodes", (pl.col("RNE") == "S") & (age(date("DOB"), pl.col("_start")) >= 18), ["DECOM", "RNE"])


@rule903("353", fails={"Episodes": [example_episode(DECOM="13/10/1991")]}, passes={"Episodes": [example_episode(DECOM="14/10/1991")]})
def started_before_1991(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", pl.col("_start") < lit_date(dt.date(1991, 10, 14)), ["DECOM"])


@rule903("354", fails={"Episodes": [example_episode(DECOM="01/04/2025")]}, passes={"Episodes": [example_episode(DECOM="31/03/2025")]})
def started_after_year(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", pl.col("_start") > lit_date(year_end(ctx)), ["DECOM"])


@rule903("385", fails={"Episodes": [example_episode(DEC="01/04/2025", REC="E13")]},
         passes={"Episodes": [example_episode(DEC="31/03/2025", REC="E13")]})
def ended_after_year(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", pl.col("_end") > lit_date(year_end(ctx)), ["DEC"])


@rule903("355", fails={"Episodes": [example_episode(DEC="01/05/2024", REC="E13")]},
         passes={"Episodes": [example_episode(DEC="02/05/2024", REC="E13")]})
def lasted_under_a_day(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", pl.col("_end") == pl.col("_start"), ["DECOM", "DEC"])


@rule903("356", fails={"Episodes": [example_episode(DEC="30/04/2024", REC="E13")]},
         passes={"Episodes": [example_episode(DEC="02/05/2024", REC="E13")]})
def ended_before_start(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", pl.col("_end") < pl.col("_start"), ["DECOM", "DEC"])


@rule903("357", fails={"Episodes": [example_episode(RNE="P")]}, passes={"Episodes": [example_episode(RNE="S")]})
def first_episode_starts(t, ctx):
    # Only a first episode that began this year can be known to be the first ever.
    ep = episodes(t)
    mask = pl.col("_first") & (pl.col("_start") >= lit_date(year_start(ctx))) & (pl.col("RNE") != "S")
    return fail(ep, "Episodes", mask, ["RNE"])


@rule903("388", fails={"Episodes": [example_episode(DEC="01/06/2024", REC="X1")]},
         passes={"Episodes": [example_episode(DEC="01/06/2024", REC="X1"), example_episode(DECOM="01/06/2024", RNE="P")]})
def continuation_missing(t, ctx):
    ep = episodes(t)
    no_next = pl.col("_next_start").is_null() | (pl.col("_next_start") != pl.col("_end"))
    return fail(ep, "Episodes", (pl.col("REC") == "X1") & no_next, ["REC"])


@rule903("390", fails={"Episodes": [example_episode(PLACE="U1", DEC="01/06/2024", REC="E11")]},
         passes={"Episodes": [example_episode(PLACE="A5", DEC="01/06/2024", REC="E11")]})
def adopted_not_placed(t, ctx):
    ep = get(t, "Episodes", "PLACE", "REC")
    return fail(ep, "Episodes", is_in("REC", ADOPTED) & ~is_in("PLACE", ("A3", "A4", "A5", "A6")), ["PLACE", "REC"])


@rule903("408", fails={"Episodes": [example_episode(PLACE="A5", LS="C2")]}, passes={"Episodes": [example_episode(PLACE="A5", LS="E1")]})
def placed_without_order(t, ctx):
    ep = get(t, "Episodes", "PLACE", "LS")
    return fail(ep, "Episodes", is_in("PLACE", ("A5", "A6")) & ~is_in("LS", ("E1", "D1")), ["PLACE", "LS"])


@rule903("426", fails={"Episodes": [example_episode(LS="V3", DEC="05/05/2024", REC="E13"), example_episode(DECOM="01/06/2024", LS="V4")]},
         passes={"Episodes": [example_episode(LS="V3", DEC="05/05/2024", REC="E13"), example_episode(DECOM="01/06/2024", LS="V3")]})
def both_respite_kinds(t, ctx):
    ep = episodes(t)
    both = (pl.col("LS") == "V3").any().over("CHILD") & (pl.col("LS") == "V4").any().over("CHILD")
    return fail(ep, "Episodes", both & is_in("LS", ("V3", "V4")), ["LS"])


@rule903("431", fails={"Episodes": [example_episode(DEC="01/06/2024", REC="E13"), example_episode(DECOM="01/06/2024", RNE="S")]},
         passes={"Episodes": [example_episode(DEC="01/06/2024", REC="E13"), example_episode(DECOM="05/06/2024", RNE="S")]})
def restart_same_day(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", (pl.col("RNE") == "S") & (pl.col("_prev_end") == pl.col("_start")), ["RNE", "DECOM"])


@rule903("432", fails={"Episodes": [example_episode(DEC="01/06/2024", REC="E13"), example_episode(DECOM="05/06/2024", RNE="P")]},
         passes={"Episodes": [example_episode(DEC="01/06/2024", REC="E13"), example_episode(DECOM="05/06/2024", RNE="S")]})
def after_ceasing_not_start(t, ctx):
    ep = episodes(t)
    ceased = pl.col("_prev_rec").is_not_null() & (pl.col("_prev_rec") != "X1")
    return fail(ep, "Episodes", ceased & (pl.col("RNE") != "S"), ["RNE"])


@rule903("433", fails={"Episodes": [example_episode(DEC="01/06/2024", REC="X1"), example_episode(DECOM="05/06/2024", RNE="P")]},
         passes={"Episodes": [example_episode(DEC="01/06/2024", REC="X1"), example_episode(DECOM="01/06/2024", RNE="P")]})
def continuation_gap(t, ctx):
    ep = episodes(t)
    gap = pl.col("_prev_end").is_not_null() & (pl.col("_prev_end") != pl.col("_start"))
    return fail(ep, "Episodes", is_in("RNE", ("L", "P", "B", "T", "U")) & gap, ["RNE", "DECOM"])


def _placement_same() -> pl.Expr:
    same = pl.lit(True)
    for now, was in (("PLACE", "_prev_place"), ("PL_POST", "_prev_post"), ("URN", "_prev_urn"),
                        ("PLACE_PROVIDER", "_prev_provider")):
        same = same & (pl.col(now).fill_null("") == pl.col(was).fill_null(""))
    return same


_PREV = example_episode(DEC="01/06/2024", REC="X1")


@rule903("434", fails={"Episodes": [_PREV, example_episode(DECOM="01/06/2024", RNE="L")]},
         passes={"Episodes": [_PREV, example_episode(DECOM="01/06/2024", RNE="L", LS="E1")]})
def legal_status_change_only(t, ctx):
    ep = episodes(t).filter(pl.col("_prev_end").is_not_null())
    bad = (pl.col("LS") == pl.col("_prev_ls")) | ~_placement_same()
    return fail(ep, "Episodes", (pl.col("RNE") == "L") & bad, ["RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"])


@rule903("435", fails={"Episodes": [_PREV, example_episode(DECOM="01/06/2024", RNE="P")]},
         passes={"Episodes": [_PREV, example_episode(DECOM="01/06/2024", RNE="P", PL_POST="ZZ1 1ZZ")]})
def placement_change_only(t, ctx):
    ep = episodes(t).filter(pl.col("_prev_end").is_not_null())
    bad = (pl.col("LS") != pl.col("_prev_ls")) | _placement_same()
    return fail(ep, "Episodes", (pl.col("RNE") == "P") & bad, ["RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"])


@rule903("436", fails={"Episodes": [_PREV, example_episode(DECOM="01/06/2024", RNE="B", PL_POST="ZZ1 1ZZ")]},
         passes={"Episodes": [_PREV, example_episode(DECOM="01/06/2024", RNE="B", LS="E1", PL_POST="ZZ1 1ZZ")]})
def both_changed(t, ctx):
    ep = episodes(t).filter(pl.col("_prev_end").is_not_null())
    bad = (pl.col("LS") == pl.col("_prev_ls")) | _placement_same()
    return fail(ep, "Episodes", is_in("RNE", ("B", "U")) & bad, ["RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"])


@rule903("437", fails={"Episodes": [example_episode(DEC="01/06/2024", REC="E2"), example_episode(DECOM="05/06/2024")]},
         passes={"Episodes": [example_episode(DEC="01/06/2024", REC="E2")]})
def episodes_after_death(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", is_in("REC", ("E2", "E15")) & ~pl.col("_last"), ["REC"])


@rule903("446", fails={"Episodes": [example_episode(LS="E1", DECOM="01/12/2005")]},
         passes={"Episodes": [example_episode(LS="E1", DECOM="30/12/2005")]})
def placement_order_before_2005(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", (pl.col("LS") == "E1") & (pl.col("_start") < lit_date(dt.date(2005, 12, 30))),
                ["LS", "DECOM"])


@rule903("501", fails={"Episodes": [example_episode(DEC="10/06/2024", REC="X1"), example_episode(DECOM="01/06/2024", RNE="P")]},
         passes={"Episodes": [example_episode(DEC="01/06/2024", REC="X1"), example_episode(DECOM="01/06/2024", RNE="P")]})
def overlapping_episodes(t, ctx):
    ep = episodes(t)
    return fail(ep, "Episodes", pl.col("_start") < pl.col("_prev_end"), ["DECOM", "DEC"])


@rule903("504", fails={"Episodes": [_PREV, example_episode(DECOM="01/06/2024", RNE="P", CIN="N2")]},
         passes={"Episodes": [_PREV, example_episode(DECOM="01/06/2024", RNE="P", CIN="N1")]})
def need_changed_in_period(t, ctx):
    ep = periods_of_care(episodes(t))
    first = pl.col("CIN").first().over(["CHILD", "_poc"])
    return fail(ep, "Episodes", pl.col("CIN") != first, ["CIN"])


@rule903("199", fails={"Episodes": [example_episode(PLACE="A5", DEC="01/06/2024", REC="E11"), example_episode(DECOM="01/09/2024")]},
         passes={"Episodes": [example_episode(PLACE="A5", DEC="01/06/2024", REC="E11")]})
def adopted_before(t, ctx):
    ep = episodes(t)
    adopted = running_sum(is_in("REC", ADOPTED).cast(pl.Int32), "CHILD")  # ep is sorted by CHILD
    adopted_earlier = before(adopted, "CHILD").fill_null(0) > 0
    return fail(ep, "Episodes", adopted_earlier, ["CHILD"])


@rule903("336", fails={"Episodes": [example_episode(PLACE="K2", DEC="01/06/2024", REC="X1"), example_episode(DECOM="01/06/2024", PLACE="A5",
                                                                                      RNE="T")]},
         passes={"Episodes": [example_episode(PLACE="U1", DEC="01/06/2024", REC="X1"), example_episode(DECOM="01/06/2024", PLACE="A5", RNE="T")]})
def foster_before_adoption(t, ctx):
    ep = episodes(t)
    mask = is_in("PLACE", ("A3", "A5")) & pl.col("_prev_place").is_not_null() & ~is_in(
        "_prev_place", ("A3", "A5", "U1", "U2", "U3", "U4", "U5", "U6"))
    return fail(ep, "Episodes", mask, ["PLACE"])


@rule903("516", fails={"Episodes": [example_episode(PLACE="K2", DEC="01/06/2024", REC="E45")]},
         passes={"Episodes": [example_episode(PLACE="U4", DEC="01/06/2024", REC="E45")]})
def order_to_former_foster_carers(t, ctx):
    # E45/E46: an order in favour of the former foster carers, so the child was fostered (U1-U6).
    ep = get(t, "Episodes", "REC", "PLACE")
    foster = ("U1", "U2", "U3", "U4", "U5", "U6")
    return fail(ep, "Episodes", is_in("REC", ("E45", "E46")) & ~is_in("PLACE", foster).fill_null(False),
                ["REC", "PLACE"])

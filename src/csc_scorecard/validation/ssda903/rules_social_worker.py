"""Social worker episodes (SWEpisodes): the SW..STG1 rules check values, the
SW..STG2 rules check the episodes against each other and the year."""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.runs import before, ends_run
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
    year_end,
    year_start,
)

Y = "2025-26"
S = {"DOB": "01/01/2012", "SW_ID": "SW123", "SW_DECOM": "01/04/2025", "SW_DEC": None, "SW_REASON": "FCONTA"}
CLOSED = {**S, "SW_DEC": "01/09/2025"}
NEXT = {**S, "SW_DECOM": "01/09/2025", "SW_REASON": "MANAGE"}
EP = {"DECOM": "01/01/2024", "RNE": "S", "LS": "C2", "PLACE": "U1"}


@shared("SWEpisodes")
def _sw(t) -> pl.DataFrame:
    df = get(t, "SWEpisodes", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON")
    df = df.with_columns(_s=date("SW_DECOM"), _e=date("SW_DEC")).sort(["CHILD", "_s", "_row"])
    return df.with_columns(  # sorted by CHILD: validation.runs, not over()
        _prev_s=before(pl.col("_s"), "CHILD"),
        _prev_e=before(pl.col("_e"), "CHILD"),
        _last=ends_run("CHILD"),
    )


@rule903("SW02STG1", fails={"SWEpisodes": [{**S, "SW_ID": "AB123"}]}, passes={"SWEpisodes": [S]}, example_year=Y)
def worker_id_form(t, ctx):
    sw_id = pl.col("SW_ID").str.strip_chars().str.to_uppercase()
    return fail(_sw(t), "SWEpisodes", filled("SW_ID") & ~(sw_id.str.starts_with("SW") | sw_id.str.starts_with("XX")),
                ["SW_ID"])


@rule903("SW04STG1", fails={"SWEpisodes": [{**S, "SW_DECOM": None}]}, passes={"SWEpisodes": [S]}, example_year=Y)
def worker_start_valid(t, ctx):
    return fail(_sw(t), "SWEpisodes", blank("SW_DECOM") | bad_date("SW_DECOM"), ["SW_DECOM"])


@rule903("SW05STG1", fails={"SWEpisodes": [{**S, "SW_DEC": "2025/09/01x"}]}, passes={"SWEpisodes": [CLOSED]},
         example_year=Y)
def worker_end_valid(t, ctx):
    return fail(_sw(t), "SWEpisodes", bad_date("SW_DEC"), ["SW_DEC"])


@rule903("SW13STG1", fails={"SWEpisodes": [{**S, "SW_REASON": "SW13"}]}, passes={"SWEpisodes": [S]}, example_year=Y)
def worker_change_reason(t, ctx):
    valid = codes(ctx, "SWEpisodes", "SW_REASON")
    return fail(_sw(t), "SWEpisodes", ~is_in("SW_REASON", valid).fill_null(False), ["SW_REASON"])


@rule903("SW06STG2", fails={"SWEpisodes": [{**S, "SW_DECOM": "01/04/2026"}]}, passes={"SWEpisodes": [S]}, example_year=Y)
def worker_starts_after_year(t, ctx):
    return fail(_sw(t), "SWEpisodes", pl.col("_s") > lit_date(year_end(ctx)), ["SW_DECOM"])


@rule903("SW07STG2", fails={"SWEpisodes": [{**S, "SW_DECOM": "01/01/2025", "SW_DEC": "01/03/2025"}]},
         passes={"SWEpisodes": [CLOSED]}, example_year=Y)
def worker_ends_outside_year(t, ctx):
    e = pl.col("_e")
    return fail(_sw(t), "SWEpisodes", (e < lit_date(year_start(ctx))) | (e > lit_date(year_end(ctx))), ["SW_DEC"])


@rule903("SW08STG2", fails={"SWEpisodes": [S, NEXT]}, passes={"SWEpisodes": [CLOSED, NEXT]}, example_year=Y)
def worker_previous_open(t, ctx):
    df = _sw(t)
    return fail(df, "SWEpisodes", ~pl.col("_last") & pl.col("_e").is_null(), ["SW_DEC"])


@rule903("SW09STG2", fails={"SWEpisodes": [{**S, "SW_DEC": "01/04/2025"}]}, passes={"SWEpisodes": [CLOSED]},
         example_year=Y)
def worker_under_a_day(t, ctx):
    return fail(_sw(t), "SWEpisodes", pl.col("_e") == pl.col("_s"), ["SW_DECOM", "SW_DEC"])


@rule903("SW10STG2", fails={"SWEpisodes": [CLOSED, {**NEXT, "SW_DECOM": "01/08/2025"}]},
         passes={"SWEpisodes": [CLOSED, NEXT]}, example_year=Y)
def worker_overlap(t, ctx):
    return fail(_sw(t), "SWEpisodes", pl.col("_s") < pl.col("_prev_e"), ["SW_DECOM"])


@rule903("SW10aSTG2", fails={"SWEpisodes": [CLOSED, {**NEXT, "SW_DECOM": "20/09/2025"}]},
         passes={"SWEpisodes": [CLOSED, {**NEXT, "SW_DECOM": "05/09/2025"}]}, example_year=Y)
def worker_gap(t, ctx):
    gap = (pl.col("_s") - pl.col("_prev_e")).dt.total_days().abs()
    return fail(_sw(t), "SWEpisodes", pl.col("_prev_e").is_not_null() & (gap > 7), ["SW_DECOM"])


@rule903("SW10bSTG2", fails={"SWEpisodes": [S, {**NEXT, "SW_REASON": "FCONTA"}]},
         passes={"SWEpisodes": [CLOSED, NEXT]}, example_year=Y)
def worker_first_contact_while_open(t, ctx):
    df = _sw(t)
    open_prev = pl.col("_prev_s").is_not_null() & (pl.col("_prev_e").is_null() | (pl.col("_prev_e") > pl.col("_s")))
    return fail(df, "SWEpisodes", (pl.col("SW_REASON") == "FCONTA") & open_prev, ["SW_DECOM", "SW_REASON"])


def _looked_after_at_end(t, ctx, since_start: bool = False) -> list[str]:
    """Children with an episode open at 31 March (begun by 1 April when `since_start`)."""
    ep = episodes(t).filter(pl.col("_end").is_null() & (pl.col("_start") <= lit_date(year_end(ctx))))
    if since_start:
        first = episodes(t).group_by("CHILD").agg(_from=pl.col("_start").min())
        ep = ep.join(first, on="CHILD").filter(pl.col("_from") <= lit_date(year_start(ctx)))
    return ep["CHILD"].to_list()


@rule903("SW11bSTG2", fails={"SWEpisodes": [CLOSED], "Episodes": [EP]},
         passes={"SWEpisodes": [CLOSED], "Episodes": [{**EP, "DEC": "01/09/2025", "REC": "E13"}]}, example_year=Y)
def worker_none_after_end(t, ctx):
    # Only a child still looked after at 31 March needs a social worker episode then;
    # without the episodes every child is taken to be.
    df = _sw(t)
    if "Episodes" in t:
        df = df.filter(pl.col("CHILD").is_in(_looked_after_at_end(t, ctx)))
    return fail(df, "SWEpisodes", pl.col("_last") & (pl.col("_e") < lit_date(year_end(ctx))), ["SW_DEC"])


@rule903("SW12STG2", fails={"SWEpisodes": [{**S, "SW_DECOM": "01/06/2025"}], "Episodes": [EP]},
         passes={"SWEpisodes": [S], "Episodes": [EP]}, example_year=Y)
def worker_year_not_covered(t, ctx):
    # Looked after all year to 31 March: the social worker episodes must reach back to 1 April.
    at_end = _looked_after_at_end(t, ctx, since_start=True)
    df = _sw(t).with_columns(_earliest=pl.col("_s").min().over("CHILD"))
    first = (pl.col("_s") == pl.col("_earliest")) & pl.col("CHILD").is_in(at_end)
    return fail(df.unique("CHILD", keep="first"), "SWEpisodes", first & (pl.col("_earliest") > lit_date(year_start(ctx))),
                ["SW_DECOM"])


@rule903("SW17STG2", fails={"SWEpisodes": [CLOSED]}, passes={"SWEpisodes": [S]}, example_year=Y)
def worker_none_open_at_end(t, ctx):
    df = _sw(t)
    end = lit_date(year_end(ctx))
    open_end = (pl.col("_s") <= end) & (pl.col("_e").is_null() | (pl.col("_e") >= end))
    none_open = ~open_end.any().over("CHILD")
    return fail(df, "SWEpisodes", pl.col("_last") & none_open, ["SW_DEC", "SW_DECOM"])


@rule903("SW18STG2", fails={"SWEpisodes": [{**S, "SW_DEC": "01/03/2025"}]}, passes={"SWEpisodes": [CLOSED]},
         example_year=Y)
def worker_ends_before_start(t, ctx):
    return fail(_sw(t), "SWEpisodes", pl.col("_e") < pl.col("_s"), ["SW_DEC", "SW_DECOM"])


@rule903("SW19STG2", fails={"SWEpisodes": [CLOSED, {**NEXT, "SW_DECOM": "01/04/2025"}]},
         passes={"SWEpisodes": [CLOSED, NEXT]}, example_year=Y)
def worker_same_start(t, ctx):
    df = _sw(t)
    return fail(df, "SWEpisodes", pl.col("_s").is_not_null() & (pl.len().over(["CHILD", "_s"]) > 1),
                ["SW_DEC", "SW_DECOM"])


def _complete(columns: tuple[str, ...]):
    def check(t, ctx):
        df = _sw(t)
        return fail(df, "SWEpisodes", pl.any_horizontal([blank(c) for c in columns]), columns)

    return check


rule903("SW01aSTG1", fails={"SWEpisodes": [{**S, "SW_ID": None}]}, passes={"SWEpisodes": [S]})(
    _complete(("SW_DECOM", "SW_ID")))
rule903("SW01bSTG1", fails={"SWEpisodes": [{**S, "SW_REASON": None}]}, passes={"SWEpisodes": [S]})(
    _complete(("SW_DECOM", "SW_ID", "SW_REASON")))

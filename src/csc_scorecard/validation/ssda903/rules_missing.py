"""Missing and away-from-placement periods, and deprivation of liberty orders
(DoLo, from 2026-27): dated periods with the same checks on their dates."""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.runs import before
from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    bad_date,
    blank,
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

M = {"MISSING": "M", "MIS_START": "01/06/2024", "MIS_END": "03/06/2024", "DOB": "01/01/2012"}
EP = {"DECOM": "01/05/2024", "RNE": "S", "LS": "C2", "PLACE": "U1"}
CEASED = {**EP, "DEC": "01/09/2024", "REC": "E13"}


@shared("Missing")
def _missing(t) -> pl.DataFrame:
    df = get(t, "Missing", "MISSING", "MIS_START", "MIS_END", "DOB")
    return df.with_columns(_ms=date("MIS_START"), _me=date("MIS_END"), _dob=date("DOB"))


@shared("Episodes")
def _ceased(t) -> pl.DataFrame:
    """Each child's last episode, when it ended their care (not a continuation)."""
    ep = episodes(t).filter(pl.col("_last") & pl.col("_end").is_not_null() & (pl.col("REC") != "X1"))
    return ep.select("CHILD", pl.col("_end").alias("_left"), pl.col("REC").alias("_rec"))


@rule903("1004", fails={"Missing": [{**M, "MIS_START": "32/05/2024"}]}, passes={"Missing": [M]})
def missing_start_valid(t, ctx):
    return fail(_missing(t), "Missing", bad_date("MIS_START"), ["MIS_START"])


@rule903("1005", fails={"Missing": [{**M, "MIS_END": "3 June"}]}, passes={"Missing": [M]})
def missing_end_valid(t, ctx):
    return fail(_missing(t), "Missing", bad_date("MIS_END"), ["MIS_END"])


@rule903("1006", fails={"Missing": [{**M, "MISSING": "X"}]}, passes={"Missing": [{**M, "MISSING": "A"}]})
def missing_type(t, ctx):
    return fail(_missing(t), "Missing", filled("MISSING") & ~is_in("MISSING", ("M", "A")), ["MISSING"])


@rule903("564", fails={"Missing": [{**M, "MIS_START": None}]}, passes={"Missing": [M]})
def missing_without_start(t, ctx):
    return fail(_missing(t), "Missing", filled("MISSING") & blank("MIS_START"), ["MISSING", "MIS_START"])


@rule903("565", fails={"Missing": [{**M, "MISSING": None}]}, passes={"Missing": [M]})
def start_without_type(t, ctx):
    return fail(_missing(t), "Missing", filled("MIS_START") & blank("MISSING"), ["MISSING", "MIS_START"])


@rule903("566", fails={"Missing": [{**M, "MISSING": None, "MIS_START": None}]}, passes={"Missing": [M]})
def end_without_type(t, ctx):
    return fail(_missing(t), "Missing", filled("MIS_END") & blank("MISSING"), ["MISSING", "MIS_END"])


@rule903("567", fails={"Missing": [{**M, "MIS_END": "31/05/2024"}]}, passes={"Missing": [M]})
def missing_ends_before_start(t, ctx):
    return fail(_missing(t), "Missing", pl.col("_me") < pl.col("_ms"), ["MIS_START", "MIS_END"])


@rule903("570", fails={"Missing": [{**M, "MIS_START": "01/04/2025", "MIS_END": None}]}, passes={"Missing": [M]})
def missing_starts_after_year(t, ctx):
    return fail(_missing(t), "Missing", pl.col("_ms") > lit_date(year_end(ctx)), ["MIS_START"])


@rule903("571", fails={"Missing": [{**M, "MIS_START": "01/03/2024", "MIS_END": "03/03/2024"}]}, passes={"Missing": [M]})
def missing_ends_outside_year(t, ctx):
    me = pl.col("_me")
    return fail(_missing(t), "Missing", (me < lit_date(year_start(ctx))) | (me > lit_date(year_end(ctx))), ["MIS_END"])


def _overlap(df: pl.DataFrame, start: str, end: str) -> pl.Expr:
    """A period starting while the child's previous one (by start date) was still open
    (`df` sorted by CHILD and start, so validation.runs gives the previous one)."""
    prev_end = before(pl.col(end), "CHILD")
    has_prev = before(pl.col(start), "CHILD").is_not_null()
    return has_prev & (prev_end.is_null() | (prev_end > pl.col(start)))


@rule903("574", fails={"Missing": [{**M, "MIS_END": None}, {**M, "MIS_START": "10/06/2024", "MIS_END": "11/06/2024"}]},
         passes={"Missing": [M, {**M, "MIS_START": "10/06/2024", "MIS_END": "11/06/2024"}]})
def missing_while_missing(t, ctx):
    df = _missing(t).sort(["CHILD", "_ms", "_row"])
    return fail(df, "Missing", _overlap(df, "_ms", "_me"), ["MIS_START", "MIS_END"])


@rule903("575", fails={"Missing": [{**M, "MIS_END": None}], "Episodes": [{**EP, "DEC": "01/07/2024", "REC": "X1"},
                                                                         {**EP, "DECOM": "01/07/2024", "RNE": "P"}]},
         passes={"Missing": [M], "Episodes": [{**EP, "DEC": "01/07/2024", "REC": "X1"}, {**EP, "DECOM": "01/07/2024",
                                                                                          "RNE": "P"}]})
def missing_outlives_placement(t, ctx):
    ep = episodes(t).select("CHILD", "_start", "_end")
    df = _missing(t).filter(pl.col("_me").is_null())
    joined = df.join(ep, on="CHILD", how="inner").filter(
        (pl.col("_start") <= pl.col("_ms")) & (pl.col("_end").is_null() | (pl.col("_end") > pl.col("_ms")))
    )
    return fail(joined.filter(pl.col("_end").is_not_null()).unique("_row"), "Missing", None, ["MIS_END"])


@rule903("577", fails={"Missing": [{**M, "MIS_END": None}], "Episodes": [CEASED]},
         passes={"Missing": [M], "Episodes": [CEASED]})
def missing_open_after_care(t, ctx):
    df = _missing(t).join(_ceased(t), on="CHILD", how="inner")
    return fail(df, "Missing", pl.col("_me").is_null(), ["MIS_END"])


@rule903("578", fails={"Missing": [{**M, "MIS_START": "02/09/2024", "MIS_END": None}], "Episodes": [CEASED]},
         passes={"Missing": [M], "Episodes": [CEASED]})
def missing_after_care(t, ctx):
    df = _missing(t).join(_ceased(t), on="CHILD", how="inner")
    return fail(df, "Missing", pl.col("_ms") > pl.col("_left"), ["MIS_START"])


@rule903("580", fails={"Missing": [{**M, "MIS_START": "30/08/2024", "MIS_END": None}], "Episodes": [CEASED]},
         passes={"Missing": [{**M, "MIS_START": "30/08/2024", "MIS_END": None}],
                 "Episodes": [{**CEASED, "REC": "E8"}]})
def missing_at_leaving(t, ctx):
    df = _missing(t).join(_ceased(t), on="CHILD", how="inner")
    open_then = (pl.col("_ms") <= pl.col("_left")) & (pl.col("_me").is_null() | (pl.col("_me") > pl.col("_left")))
    out = df.filter(open_then & (pl.col("_rec") != "E8")).with_columns(REC=pl.col("_rec"))
    return fail(out, "Missing", None, ["REC", "MIS_START"])


@rule903("581", fails={"Missing": [{**M, "MIS_START": "01/04/2024", "MIS_END": "02/04/2024"}], "Episodes": [EP]},
         passes={"Missing": [M], "Episodes": [EP]})
def missing_before_care(t, ctx):
    first = episodes(t).group_by("CHILD").agg(_first_start=pl.col("_start").min())
    df = _missing(t).join(first, on="CHILD", how="inner")
    return fail(df, "Missing", pl.col("_ms") < pl.col("_first_start"), ["MIS_START"])


@rule903("586", fails={"Missing": [{**M, "DOB": "01/07/2024"}]}, passes={"Missing": [M]})
def missing_before_birth(t, ctx):
    return fail(_missing(t), "Missing", pl.col("_ms") < pl.col("_dob"), ["MIS_START"])


# -- deprivation of liberty orders (2026-27) -------------------------------------------

D = {"DOB": "01/01/2012", "DOLO_START": "01/06/2026", "DOLO_END": "01/09/2026"}
Y = "2026-27"


@shared("DoLo")
def _dolo(t) -> pl.DataFrame:
    df = get(t, "DoLo", "DOLO_START", "DOLO_END", "DOB")
    return df.with_columns(_ds=date("DOLO_START"), _de=date("DOLO_END"), _dob=date("DOB"))


@rule903("700", fails={"DoLo": [{**D, "DOLO_START": None}]}, passes={"DoLo": [D]}, example_year=Y)
def dolo_start_valid(t, ctx):
    return fail(_dolo(t), "DoLo", blank("DOLO_START") | bad_date("DOLO_START"), ["DOLO_START"])


@rule903("701", fails={"DoLo": [{**D, "DOLO_END": "31/09/2026"}]}, passes={"DoLo": [D]}, example_year=Y)
def dolo_end_valid(t, ctx):
    return fail(_dolo(t), "DoLo", bad_date("DOLO_END"), ["DOLO_END"])


@rule903("702", fails={"DoLo": [{**D, "DOLO_END": "01/05/2026"}]}, passes={"DoLo": [D]}, example_year=Y)
def dolo_ends_before_start(t, ctx):
    return fail(_dolo(t), "DoLo", pl.col("_de") < pl.col("_ds"), ["DOLO_START", "DOLO_END"])


@rule903("703", fails={"DoLo": [{**D, "DOLO_START": "01/04/2027", "DOLO_END": None}]}, passes={"DoLo": [D]},
         example_year=Y)
def dolo_starts_after_year(t, ctx):
    return fail(_dolo(t), "DoLo", pl.col("_ds") > lit_date(year_end(ctx)), ["DOLO_START"])


@rule903("704", fails={"DoLo": [{**D, "DOLO_START": "01/01/2026", "DOLO_END": "01/02/2026"}]}, passes={"DoLo": [D]},
         example_year=Y)
def dolo_ends_outside_year(t, ctx):
    de = pl.col("_de")
    return fail(_dolo(t), "DoLo", (de < lit_date(year_start(ctx))) | (de > lit_date(year_end(ctx))), ["DOLO_END"])


@rule903("705", fails={"DoLo": [{**D, "DOLO_END": None}, {**D, "DOLO_START": "01/07/2026"}]},
         passes={"DoLo": [D, {**D, "DOLO_START": "01/10/2026", "DOLO_END": None}]}, example_year=Y)
def dolo_while_open(t, ctx):
    df = _dolo(t).sort(["CHILD", "_ds", "_row"])
    return fail(df, "DoLo", _overlap(df, "_ds", "_de"), ["DOLO_START", "DOLO_END"])


@rule903("707", fails={"DoLo": [{**D, "DOLO_END": None}], "Episodes": [{**EP, "DECOM": "01/05/2026",
                                                                          "DEC": "01/10/2026", "REC": "E13"}]},
         passes={"DoLo": [D], "Episodes": [{**EP, "DECOM": "01/05/2026", "DEC": "01/10/2026", "REC": "E13"}]},
         example_year=Y)
def dolo_open_after_care(t, ctx):
    df = _dolo(t).join(_ceased(t), on="CHILD", how="inner")
    return fail(df, "DoLo", pl.col("_de").is_null(), ["DOLO_END"])


@rule903("708", fails={"DoLo": [{**D, "DOB": "01/07/2026"}]}, passes={"DoLo": [D]}, example_year=Y)
def dolo_before_birth(t, ctx):
    return fail(_dolo(t), "DoLo", pl.col("_ds") < pl.col("_dob"), ["DOLO_START"])


# Settings where a DoLO cannot be the legal basis: secure children's homes (K1), with
# parents (P1), young offender institutions or prison (R5), supported accommodation (K3, H5).
DOLO_BARRED = ("K1", "P1", "R5", "K3", "H5")


@rule903("710", fails={"DoLo": [D], "Episodes": [{**EP, "DECOM": "01/05/2026", "PLACE": "K1"}]},
         passes={"DoLo": [D], "Episodes": [{**EP, "DECOM": "01/05/2026", "PLACE": "K2"}]}, example_year=Y)
def dolo_barred_placement(t, ctx):
    ep = episodes(t).select("CHILD", "_start", "_end", "PLACE")
    df = _dolo(t).join(ep, on="CHILD", how="inner")
    overlaps = (pl.col("_start") <= pl.col("_de").fill_null(lit_date(year_end(ctx)))) & (
        pl.col("_end").is_null() | (pl.col("_end") > pl.col("_ds"))
    )
    out = df.filter(overlaps & is_in("PLACE", DOLO_BARRED)).unique("_row", keep="first")
    return fail(out, "DoLo", None, ["DOLO_START", "PLACE"])

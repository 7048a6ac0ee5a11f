"""Rules that compare this year's return with last year's (tables named
``<table>_last``: from files given for last year, or the store's previous
submission). Without last year's tables they are reported *not run*."""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    children_in,
    date,
    episodes,
    fail,
    filled,
    get,
    is_in,
    lit_date,
    needs_column,
    shared,
    with_header,
    year_end,
    year_start,
)

H = {"SEX": "F", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "A12345678901B", "MOTHER": "0", "MC_DOB": None}
CARRIED = {"DECOM": "01/05/2023", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U1", "PLACE_PROVIDER": "PR1",
           "URN": "SC1", "PL_POST": "AB1 2CD"}
EP = {"DECOM": "01/05/2024", "RNE": "S", "LS": "C2", "PLACE": "U1"}
LEAVER = {"DOB": "01/06/2006", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "S2"}


# Sex was coded 1/2 until 2023-24 and M/F from 2024-25: the same child, the same sex.
SEX_CODES = {"1": "M", "2": "F"}


def _header_vs_last(column: str, as_date: bool = False, ignore: tuple[str, ...] = ()):
    def check(t, ctx):
        last = get(t, "Header_last", "CHILD", column).unique("CHILD", keep="first").select(
            "CHILD", pl.col(column).alias("_last_value"))
        df = get(t, "Header", column).join(last, on="CHILD", how="inner")
        now, before = (date(column), date("_last_value")) if as_date else (
            pl.col(column).str.strip_chars(), pl.col("_last_value").str.strip_chars())
        if column == "SEX":
            now, before = now.replace(SEX_CODES), before.replace(SEX_CODES)
        both = filled(column) & filled("_last_value")
        if ignore:
            both = both & ~is_in(column, ignore) & ~is_in("_last_value", ignore)
        return fail(df, "Header", both & (now != before), [column])

    return check


rule903("202", fails={"Header": [H], "Header_last": [{**H, "SEX": "1"}]},
        passes={"Header": [H], "Header_last": [{**H, "SEX": "2"}]})(_header_vs_last("SEX"))
rule903("203", fails={"Header": [H], "Header_last": [{**H, "DOB": "02/01/2012"}]},
        passes={"Header": [H], "Header_last": [{**H, "DOB": "2012-01-01"}]})(_header_vs_last("DOB", as_date=True))
rule903("204", fails={"Header": [H], "Header_last": [{**H, "ETHNIC": "WIRI"}]},
        passes={"Header": [H], "Header_last": [H]}, tables=["Header", "Header_last"])(_header_vs_last("ETHNIC"))
rule903("208", fails={"Header": [H], "Header_last": [{**H, "UPN": "B12345678901C"}]},
        passes={"Header": [H], "Header_last": [{**H, "UPN": "UN5"}]})(
    _header_vs_last("UPN", ignore=("UN1", "UN2", "UN3", "UN4", "UN5")))
rule903("624", fails={"Header": [{**H, "MC_DOB": "01/01/2024"}], "Header_last": [{**H, "MC_DOB": "01/02/2024"}]},
        passes={"Header": [{**H, "MC_DOB": "01/01/2024"}], "Header_last": [{**H, "MC_DOB": "01/01/2024"}]})(
    _header_vs_last("MC_DOB", as_date=True))


@shared("Header_last", "Header")
def _with_last_header(t, *columns: str) -> pl.DataFrame:
    last = get(t, "Header_last", "CHILD", *columns).unique("CHILD", keep="first").select(
        "CHILD", *[pl.col(c).alias(f"_last_{c}") for c in columns])
    return get(t, "Header", *columns).join(last, on="CHILD", how="inner")


@rule903("207", fails={"Header": [H], "Header_last": [{**H, "MOTHER": "1"}], "Episodes": [EP]},
         passes={"Header": [H], "Header_last": [H], "Episodes": [EP]})
def mother_no_longer(t, ctx):
    df = _with_last_header(t, "MOTHER")
    return fail(df, "Header", (pl.col("MOTHER") == "0") & (pl.col("_last_MOTHER") == "1"), ["MOTHER"])


@rule903("626", fails={"Header": [{**H, "MOTHER": "1", "MC_DOB": "01/01/2024"}], "Header_last": [H]},
         passes={"Header": [{**H, "MOTHER": "1", "MC_DOB": "01/06/2024"}], "Header_last": [H]})
def mother_before_year_but_not_last_year(t, ctx):
    df = _with_last_header(t, "MOTHER", "MC_DOB")
    mask = (pl.col("MOTHER") == "1") & (pl.col("_last_MOTHER") == "0") & (date("MC_DOB") < lit_date(year_start(ctx)))
    return fail(df, "Header", mask, ["MOTHER", "MC_DOB"])


@shared("Episodes_last")
def _last_open(t) -> pl.DataFrame:
    """Each child's episode still open at the end of last year."""
    last = episodes(t, "Episodes_last").filter(pl.col("_last") & pl.col("_end").is_null())
    return last.select("CHILD", *[pl.col(c).alias(f"_ly_{c}") for c in
                                  ("_start", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "URN")])


@shared("Episodes")
def _first_this_year(t) -> pl.DataFrame:
    return episodes(t).filter(pl.col("_first"))


@rule903("502", fails={"Episodes": [{**CARRIED, "DECOM": "02/05/2023"}], "Episodes_last": [CARRIED]},
         passes={"Episodes": [CARRIED], "Episodes_last": [CARRIED]})
def carried_episode_start_differs(t, ctx):
    df = _first_this_year(t).join(_last_open(t), on="CHILD", how="inner")
    return fail(df, "Episodes", pl.col("_start") != pl.col("_ly__start"), ["DECOM"])


def _carried_differs(column: str):
    def check(t, ctx):
        df = _first_this_year(t).join(_last_open(t), on="CHILD", how="inner")
        differs = pl.col(column).fill_null("") != pl.col(f"_ly_{column}").fill_null("")
        return fail(df, "Episodes", (pl.col("_start") < lit_date(year_start(ctx))) & differs, [column])

    return check


for code, column, other in (("503A", "RNE", "P"), ("503B", "LS", "C1"), ("503C", "CIN", "N2"), ("503D", "PLACE", "U2"),
                            ("503E", "PLACE_PROVIDER", "PR2"), ("503F", "URN", "SC2")):
    rule903(code, fails={"Episodes": [CARRIED], "Episodes_last": [{**CARRIED, column: other}]},
            passes={"Episodes": [CARRIED], "Episodes_last": [CARRIED]},
            tables=["Episodes", "Episodes_last"])(_carried_differs(column))


@rule903("562", fails={"Episodes": [CARRIED], "Episodes_last": [{**CARRIED, "DECOM": "01/06/2023"}]},
         passes={"Episodes": [CARRIED], "Episodes_last": [CARRIED]})
def earlier_start_not_last_year(t, ctx):
    last_starts = episodes(t, "Episodes_last").select("CHILD", pl.col("_start").alias("_ly"))
    df = _first_this_year(t).filter(pl.col("_start") < lit_date(year_start(ctx)))
    matched = df.join(last_starts, left_on=["CHILD", "_start"], right_on=["CHILD", "_ly"], how="semi")
    return fail(df, "Episodes", ~pl.col("_row").is_in(matched["_row"].to_list()), ["DECOM"])


@rule903("NoE", fails={"Episodes": [CARRIED], "Episodes_last": [{**CARRIED, "CHILD": "2"}]},
         passes={"Episodes": [CARRIED], "Episodes_last": [CARRIED]})
def no_episodes_last_year(t, ctx):
    df = _first_this_year(t).filter(pl.col("_start") < lit_date(year_start(ctx)))
    return fail(df, "Episodes", ~pl.col("CHILD").is_in(list(children_in(t, "Episodes_last"))), ["DECOM"])


@rule903("1002", fails={"Episodes": [{**EP, "CHILD": "2"}], "Episodes_last": [{**CARRIED, "CHILD": "3"}],
                        "OC3": [LEAVER]},
         passes={"Episodes": [{**EP, "CHILD": "2"}], "Episodes_last": [CARRIED], "OC3": [LEAVER]})
def leaver_never_looked_after(t, ctx):
    seen = children_in(t, "Episodes") | children_in(t, "Episodes_last")
    df = get(t, "OC3", "IN_TOUCH", "ACTIV", "ACCOM")
    some = filled("IN_TOUCH") | filled("ACTIV") | filled("ACCOM")
    return fail(df, "OC3", some & ~pl.col("CHILD").is_in(list(seen)), ["IN_TOUCH", "ACTIV", "ACCOM"])


@rule903("1010", fails={"Episodes": [{**EP, "CHILD": "2"}], "Episodes_last": [CARRIED], "OC3": [LEAVER]},
         passes={"Episodes": [{**EP, "CHILD": "2"}], "Episodes_last": [{**CARRIED, "DEC": "01/01/2024",
                                                                         "REC": "E13"}], "OC3": [LEAVER]})
def leaver_open_last_year_no_episodes(t, ctx):
    open_last = set(_last_open(t)["CHILD"].to_list()) - children_in(t, "Episodes")
    df = get(t, "OC3", "IN_TOUCH", "ACTIV", "ACCOM")
    some = filled("IN_TOUCH") | filled("ACTIV") | filled("ACCOM")
    return fail(df, "OC3", some & pl.col("CHILD").is_in(list(open_last)), ["IN_TOUCH", "ACTIV", "ACCOM"])


@rule903("576", fails={"Missing": [{"MISSING": "M", "MIS_START": "01/06/2024"}],
                       "Missing_last": [{"MISSING": "M", "MIS_START": "01/03/2024"}]},
         passes={"Missing": [{"MISSING": "M", "MIS_START": "01/03/2024", "MIS_END": "02/04/2024"}],
                 "Missing_last": [{"MISSING": "M", "MIS_START": "01/03/2024"}]},
         tables=["Missing", "Missing_last"])
def missing_open_last_year(t, ctx):
    last = get(t, "Missing_last", "MIS_START", "MIS_END").filter(pl.col("MIS_END").is_null())
    last = last.with_columns(_ms=date("MIS_START")).select("CHILD", "_ms", "_row", "_child")
    now = get(t, "Missing", "MIS_START").with_columns(_ms=date("MIS_START")).select("CHILD", "_ms")
    lost = last.join(now, on=["CHILD", "_ms"], how="anti").with_columns(MIS_START=pl.col("_ms").cast(pl.Utf8))
    return fail(lost, "Missing_last", None, ["CHILD", "MIS_START"])


@rule903("348", fails={"OC3": [LEAVER], "OC3_last": [{**LEAVER, "IN_TOUCH": "DIED", "ACTIV": None, "ACCOM": None}]},
         passes={"OC3": [LEAVER], "OC3_last": [LEAVER]}, tables=["OC3", "OC3_last"], example_year="2025-26")
def leaver_died_before(t, ctx):
    died = get(t, "OC3_last", "IN_TOUCH").filter(pl.col("IN_TOUCH") == "DIED")["CHILD"].to_list()
    df = get(t, "OC3", "IN_TOUCH")
    return fail(df, "OC3", pl.col("CHILD").is_in(died), ["IN_TOUCH"])


# -- derived placement values carried over (run only when the episodes carry them) -------

DERIVED = "which the DfE derives from the postcodes (not in a council's own files)"
_D = {"PL_LA": "E10000027", "PL_LOCATION": "IN", "PL_DISTANCE": "12.3"}


def _carried_derived(column: str):
    def check(t, ctx):
        needs_column(t, "Episodes", column, DERIVED)
        needs_column(t, "Episodes_last", column, DERIVED)
        last = episodes(t, "Episodes_last").filter(pl.col("_last") & pl.col("_end").is_null())
        last = last.join(get(t, "Episodes_last", column).select("_row", pl.col(column).alias("_ly_value")), on="_row")
        first = _first_this_year(t).join(get(t, "Episodes", column).select("_row", column), on="_row", suffix="_x")
        df = first.join(last.select("CHILD", "_ly_value"), on="CHILD", how="inner")
        differs = pl.col(column).fill_null("") != pl.col("_ly_value").fill_null("")
        return fail(df, "Episodes", (pl.col("_start") < lit_date(year_start(ctx))) & differs, [column])

    return check


for code, column, other in (("452", "PL_LA", "E10000028"), ("453", "PL_DISTANCE", "40.1"),
                            ("503G", "PL_DISTANCE", "40.1"), ("503H", "PL_LA", "E10000028"),
                            ("503J", "PL_LOCATION", "OUT")):
    rule903(code, fails={"Episodes": [{**CARRIED, **_D}], "Episodes_last": [{**CARRIED, **_D, column: other}]},
            passes={"Episodes": [{**CARRIED, **_D}], "Episodes_last": [{**CARRIED, **_D}]},
            tables=["Episodes", "Episodes_last"])(_carried_derived(column))


# -- periods open at the end of last year --------------------------------------------------

_DOLO = {"DOB": "01/01/2012", "DOLO_START": "01/03/2026"}


@rule903("706", fails={"DoLo": [{**_DOLO, "DOLO_START": "01/06/2026"}], "DoLo_last": [_DOLO]},
         passes={"DoLo": [{**_DOLO, "DOLO_END": "01/05/2026"}], "DoLo_last": [_DOLO]},
         tables=["DoLo", "DoLo_last"], example_year="2026-27")
def dolo_open_last_year(t, ctx):
    last = get(t, "DoLo_last", "DOLO_START", "DOLO_END").filter(pl.col("DOLO_END").is_null())
    last = last.with_columns(_ds=date("DOLO_START"))
    now = get(t, "DoLo", "DOLO_START").with_columns(_ds=date("DOLO_START")).select("CHILD", "_ds")
    lost = last.join(now, on=["CHILD", "_ds"], how="anti")
    return fail(lost, "DoLo_last", None, ["DOLO_START"])


# -- decisions to place for adoption, against last year's -----------------------------------

_PA = {"DOB": "01/01/2020", "DATE_PLACED": "01/01/2024"}


@shared("PlacedAdoption_last", "PlacedAdoption")
def _placed_pair(t) -> pl.DataFrame:
    last = get(t, "PlacedAdoption_last", "DATE_PLACED", "DATE_PLACED_CEASED").select(
        "CHILD", _ly_dp=date("DATE_PLACED"), _ly_dpc=date("DATE_PLACED_CEASED"))
    now = get(t, "PlacedAdoption", "DATE_PLACED").with_columns(_dp=date("DATE_PLACED"))
    return now.join(last, on="CHILD", how="left")


@rule903("559", fails={"PlacedAdoption": [_PA], "PlacedAdoption_last": [{**_PA, "CHILD": "2"}]},
         passes={"PlacedAdoption": [_PA], "PlacedAdoption_last": [_PA]})
def earlier_decision_not_returned_before(t, ctx):
    df = _placed_pair(t)
    seen = df.group_by("_row").agg(_seen=(pl.col("_ly_dp") == pl.col("_dp")).fill_null(False).any())
    df = df.unique("_row", keep="first").join(seen, on="_row")
    return fail(df, "PlacedAdoption", (pl.col("_dp") < lit_date(year_start(ctx))) & ~pl.col("_seen"), ["DATE_PLACED"])


@rule903("560", fails={"PlacedAdoption": [{**_PA, "DATE_PLACED": "01/02/2024"}], "PlacedAdoption_last": [_PA]},
         passes={"PlacedAdoption": [_PA], "PlacedAdoption_last": [_PA]})
def decision_date_changed(t, ctx):
    df = _placed_pair(t).filter(pl.col("_ly_dp").is_not_null() & pl.col("_ly_dpc").is_null())
    return fail(df.unique("_row"), "PlacedAdoption", pl.col("_dp") != pl.col("_ly_dp"),
                ["DATE_PLACED", "DATE_PLACED_CEASED"])


@rule903("561", fails={"PlacedAdoption": [_PA], "PlacedAdoption_last": [{**_PA, "DATE_PLACED_CEASED": "01/03/2024"}]},
         passes={"PlacedAdoption": [_PA], "PlacedAdoption_last": [_PA]})
def decision_reversed_last_year_repeated(t, ctx):
    df = _placed_pair(t)
    return fail(df.unique("_row"), "PlacedAdoption",
                (pl.col("_dp") == pl.col("_ly_dp")) & pl.col("_ly_dpc").is_not_null(), ["DATE_PLACED"])


@rule903("1001", fails={"OC3": [LEAVER], "Header": [{"DOB": "01/06/2006"}],
                        "Episodes": [{**EP, "DECOM": "01/01/2023", "DEC": "01/02/2023", "REC": "E13"}],
                        "Episodes_last": [{**EP, "DECOM": "01/01/2023", "DEC": "01/02/2023", "REC": "E13"}]},
         passes={"OC3": [LEAVER], "Header": [{"DOB": "01/06/2006"}],
                 "Episodes": [{**EP, "DECOM": "01/01/2022", "DEC": "01/02/2023", "REC": "E13"}],
                 "Episodes_last": [{**EP, "DECOM": "01/01/2022", "DEC": "01/02/2023", "REC": "E13"}]})
def leaver_not_relevant(t, ctx):
    # A (former) relevant child was looked after for 13 weeks or more after their 14th
    # birthday, some of it on or after their 16th. Only two years of episodes are known.
    both = pl.concat([episodes(t).select("CHILD", "_start", "_end", "LS"),
                      episodes(t, "Episodes_last").select("CHILD", "_start", "_end", "LS")]).unique(["CHILD", "_start"])
    both = with_header(both.filter(~is_in("LS", ("V3", "V4")).fill_null(False)), t, "DOB")
    born = date("DOB")
    fourteen, sixteen = born.dt.offset_by("14y"), born.dt.offset_by("16y")
    end = pl.col("_end").fill_null(lit_date(year_end(ctx)))
    days = (end - pl.max_horizontal(pl.col("_start"), fourteen)).dt.total_days().clip(lower_bound=0)
    per_child = both.with_columns(_days=days, _after16=end >= sixteen).group_by("CHILD").agg(
        _days=pl.col("_days").sum(), _after16=pl.col("_after16").any())
    relevant = per_child.filter((pl.col("_days") >= 91) & pl.col("_after16"))["CHILD"].to_list()
    df = get(t, "OC3", "IN_TOUCH", "ACTIV", "ACCOM")
    some = filled("IN_TOUCH") | filled("ACTIV") | filled("ACCOM")
    known = pl.col("CHILD").is_in(per_child["CHILD"].to_list())
    return fail(df, "OC3", some & known & ~pl.col("CHILD").is_in(relevant), ["IN_TOUCH", "ACTIV", "ACCOM"])

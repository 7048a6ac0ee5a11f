"""The child's details (Header): sex, birth date, ethnicity, UPN, motherhood, UASC."""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import (
    RESPITE,
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
    needs_column,
    shared,
    with_header,
    year_end,
    year_start,
)

MALE = ("M", "1")
FEMALE = ("F", "2")
UPN_UNKNOWN = ("UN1", "UN2", "UN3", "UN4", "UN5")
# A UPN: a check letter, eleven digits, then a digit or (a temporary UPN) a letter.
UPN_FORM = r"^[A-Z]\d{11}[A-Z0-9]$"


@rule903("101", fails={"Header": [{"SEX": "1"}]}, passes={"Header": [{"SEX": "M"}]})
def sex_code(t, ctx):
    h = get(t, "Header", "SEX")
    return fail(h, "Header", ~is_in("SEX", codes(ctx, "Header", "SEX")).fill_null(False), ["SEX"])


@rule903("102", fails={"Header": [{"DOB": "31/02/2015"}]}, passes={"Header": [{"DOB": "28/02/2015"}]})
def birth_date_valid(t, ctx):
    h = get(t, "Header", "DOB")
    return fail(h, "Header", blank("DOB") | bad_date("DOB"), ["DOB"])


@rule903("103", fails={"Header": [{"ETHNIC": "XXXX"}]}, passes={"Header": [{"ETHNIC": "WBRI"}]})
def ethnicity_code(t, ctx):
    h = get(t, "Header", "ETHNIC")
    return fail(h, "Header", ~is_in("ETHNIC", codes(ctx, "Header", "ETHNIC")).fill_null(False), ["ETHNIC"])


@rule903("105", fails={"Header": [{"UASC": "2"}]}, passes={"Header": [{"UASC": "0"}]})
def uasc_flag(t, ctx):
    # The UASC flag is an XML item of HEADER; CSV returns carry it in the UASC table.
    needs_column(t, "Header", "UASC", "which only the XML return carries")
    h = get(t, "Header", "UASC")
    return fail(h, "Header", ~is_in("UASC", ("0", "1")).fill_null(False), ["UASC"])


@rule903("168", fails={"Header": [{"UPN": "A12345"}]}, passes={"Header": [{"UPN": "UN3"}]})
def upn_form(t, ctx):
    h = get(t, "Header", "UPN")
    upn = pl.col("UPN").str.strip_chars().str.to_uppercase()
    ok = upn.is_in(list(UPN_UNKNOWN)) | upn.str.contains(UPN_FORM)
    return fail(h, "Header", filled("UPN") & ~ok, ["UPN"])


@rule903(
    "171", fails={"Header": [{"MC_DOB": "2020-13-01x"}]}, passes={"Header": [{"MC_DOB": "01/12/2020"}]}
)
def mothers_child_birth_date_valid(t, ctx):
    h = get(t, "Header", "MC_DOB")
    return fail(h, "Header", bad_date("MC_DOB"), ["MC_DOB"])


@rule903(
    "174",
    fails={"Header": [{"SEX": "M", "MC_DOB": "01/12/2020"}]},
    passes={"Header": [{"SEX": "F", "MC_DOB": "01/12/2020"}]},
)
def male_mother(t, ctx):
    h = get(t, "Header", "SEX", "MC_DOB")
    return fail(h, "Header", is_in("SEX", MALE) & filled("MC_DOB"), ["SEX", "MC_DOB"])


@rule903(
    "209",
    fails={"Header": [{"UPN": "UN1", "DOB": "01/06/2012"}]},
    passes={"Header": [{"UPN": "UN1", "DOB": "01/06/2022"}]},
)
def school_age_un1(t, ctx):
    # UN1 means "not yet of school age": wrong for a child of 5 to 15 at the year's start.
    h = get(t, "Header", "UPN", "DOB")
    years = age(date("DOB"), lit_date(year_start(ctx)))
    return fail(h, "Header", (pl.col("UPN").str.strip_chars() == "UN1") & years.is_between(5, 15), ["UPN", "DOB"])


@rule903(
    "210",
    fails={"Header": [{"UPN": "UN4"}], "Episodes": [{"DECOM": "01/01/2025"}]},
    passes={"Header": [{"UPN": "UN4"}], "Episodes": [{"DECOM": "28/03/2025"}]},
)
def un4_after_a_week(t, ctx):
    # UN4 ("UPN not yet obtained") is only for a child who arrived in the last week.
    ep = episodes(t)
    end = year_end(ctx)
    open_end = ep.filter(pl.col("_end").is_null() & (pl.col("_start") < lit_date(end).dt.offset_by("-7d")))
    h = get(t, "Header", "UPN")
    mask = (pl.col("UPN").str.strip_chars() == "UN4") & pl.col("CHILD").is_in(open_end["CHILD"].to_list())
    return fail(h, "Header", mask, ["UPN"])


@rule903("232", fails={"Header": [{"SEX": "U"}]}, passes={"Header": [{"SEX": "F"}]}, example_year="2025-26")
def sex_unknown(t, ctx):
    h = get(t, "Header", "SEX")
    return fail(h, "Header", pl.col("SEX").str.strip_chars() == "U", ["SEX"])


@rule903("301", fails={"Header": [{"DOB": "01/04/2025"}]}, passes={"Header": [{"DOB": "31/03/2025"}]})
def born_after_year(t, ctx):
    h = get(t, "Header", "DOB")
    return fail(h, "Header", date("DOB") > lit_date(year_end(ctx)), ["DOB"])


@rule903("351", fails={"Header": [{"DOB": "01/01/1998"}]}, passes={"Header": [{"DOB": "01/06/1999"}]})
def over_25(t, ctx):
    h = get(t, "Header", "DOB")
    return fail(h, "Header", age(date("DOB"), lit_date(year_start(ctx))) > 25, ["DOB"])


@rule903("442", fails={"Header": [{"UPN": None}]}, passes={"Header": [{"UPN": "UN2"}]}, tables=["Header"])
def upn_missing(t, ctx):
    h = get(t, "Header", "UPN")
    return fail(h, "Header", blank("UPN"), ["UPN"])


@rule903(
    "444",
    fails={"Header": [{"CHILD": "1", "UPN": "A12345678901B"}, {"CHILD": "2", "UPN": "A12345678901B"}]},
    passes={"Header": [{"CHILD": "1", "UPN": "UN1"}, {"CHILD": "2", "UPN": "UN1"}]},
)
def upn_duplicate(t, ctx):
    h = get(t, "Header", "UPN").with_columns(_upn=pl.col("UPN").str.strip_chars().str.to_uppercase())
    real = pl.col("_upn").is_not_null() & ~pl.col("_upn").is_in(list(UPN_UNKNOWN))
    shared = pl.col("CHILD").n_unique().over("_upn") > 1
    return fail(h, "Header", real & shared, ["UPN"])


@rule903(
    "611",
    fails={"Header": [{"MOTHER": "1", "MC_DOB": None}]},
    passes={"Header": [{"MOTHER": "1", "MC_DOB": "01/01/2024"}]},
)
def mother_without_child_birth(t, ctx):
    h = get(t, "Header", "MOTHER", "MC_DOB")
    return fail(h, "Header", (pl.col("MOTHER").str.strip_chars() == "1") & blank("MC_DOB"), ["MOTHER", "MC_DOB"])


@rule903(
    "612",
    fails={"Header": [{"SEX": "F", "MOTHER": "0", "MC_DOB": "01/01/2024"}]},
    passes={"Header": [{"SEX": "F", "MOTHER": "1", "MC_DOB": "01/01/2024"}]},
)
def child_birth_without_mother(t, ctx):
    h = get(t, "Header", "SEX", "MOTHER", "MC_DOB")
    not_mother = (pl.col("MOTHER").str.strip_chars() != "1").fill_null(True)
    return fail(h, "Header", is_in("SEX", FEMALE) & filled("MC_DOB") & not_mother, ["SEX", "MOTHER", "MC_DOB"])


@rule903(
    "620",
    fails={"Header": [{"MOTHER": "1", "DOB": "01/06/2015"}]},
    passes={"Header": [{"MOTHER": "1", "DOB": "01/06/2008"}]},
)
def mother_under_11(t, ctx):
    h = get(t, "Header", "MOTHER", "DOB")
    young = age(date("DOB"), lit_date(year_start(ctx))) < 11
    return fail(h, "Header", (pl.col("MOTHER").str.strip_chars() == "1") & young, ["DOB", "MOTHER"])


@rule903(
    "621",
    fails={"Header": [{"DOB": "01/06/2008", "MC_DOB": "01/06/2007"}]},
    passes={"Header": [{"DOB": "01/06/2008", "MC_DOB": "01/06/2024"}]},
)
def mother_younger_than_child(t, ctx):
    h = get(t, "Header", "DOB", "MC_DOB")
    return fail(h, "Header", date("MC_DOB") <= date("DOB"), ["DOB", "MC_DOB"])


@rule903(
    "165",
    fails={"Header": [{"SEX": "F", "MOTHER": "2"}], "Episodes": [{"DECOM": "01/05/2024"}]},
    passes={"Header": [{"SEX": "F", "MOTHER": "0"}], "Episodes": [{"DECOM": "01/05/2024"}]},
    tables=["Header", "Episodes"],
)
def mother_status_valid(t, ctx):
    # Mother is 0 or 1; a boy cannot be recorded as a mother.
    h = get(t, "Header", "SEX", "MOTHER")
    code = pl.col("MOTHER").str.strip_chars()
    bad = (filled("MOTHER") & ~code.is_in(["0", "1"])) | (is_in("SEX", MALE) & (code == "1"))
    return fail(h, "Header", bad, ["MOTHER", "SEX"])


@shared("Episodes", "Header")
def _looked_after_girls(t, ctx) -> pl.DataFrame:
    """Girls looked after in the year other than only under respite (V3/V4), with their
    Header row. The DfE text sets no age, so none is set here (as the sector's validator)."""
    ep = episodes(t)
    in_year = ep.filter(
        (pl.col("_end").is_null() | (pl.col("_end") >= lit_date(year_start(ctx))))
        & ~is_in("LS", RESPITE).fill_null(False)
    )
    h = get(t, "Header", "SEX", "DOB", "MOTHER")
    girls = h.filter(is_in("SEX", FEMALE))
    return girls.filter(pl.col("CHILD").is_in(in_year["CHILD"].to_list()))


@rule903(
    "393",
    fails={"Header": [{"SEX": "F", "DOB": "01/01/2010", "MOTHER": None}], "Episodes": [{"DECOM": "01/05/2024"}]},
    passes={"Header": [{"SEX": "F", "DOB": "01/01/2010", "MOTHER": "0"}], "Episodes": [{"DECOM": "01/05/2024"}]},
)
def mother_missing(t, ctx):
    girls = _looked_after_girls(t, ctx)
    return fail(girls, "Header", blank("MOTHER"), ["MOTHER"])


@rule903(
    "607",
    fails={
        "Header": [{"SEX": "F", "DOB": "01/01/2008", "MOTHER": None}],
        "Episodes": [{"DECOM": "01/05/2023", "DEC": "01/02/2025", "REC": "E13", "LS": "C2"}],
    },
    passes={
        "Header": [{"SEX": "F", "DOB": "01/01/2008", "MOTHER": "0"}],
        "Episodes": [{"DECOM": "01/05/2023", "DEC": "01/02/2025", "REC": "E13", "LS": "C2"}],
    },
)
def leaver_mother_missing(t, ctx):
    ep = episodes(t)
    ceased = ep.filter(
        pl.col("_last")
        & (pl.col("_end") >= lit_date(year_start(ctx)))
        & (pl.col("REC").str.strip_chars() != "X1").fill_null(True)
        & ~is_in("LS", RESPITE).fill_null(False)
    )
    h = get(t, "Header", "SEX", "MOTHER")
    mask = is_in("SEX", FEMALE) & blank("MOTHER") & pl.col("CHILD").is_in(ceased["CHILD"].to_list())
    return fail(h, "Header", mask, ["MOTHER", "SEX"])


@rule903(
    "625",
    fails={"Header": [{"MC_DOB": "01/03/2025"}], "Episodes": [{"DECOM": "01/05/2023", "DEC": "01/01/2025", "REC": "E13"}]},
    passes={"Header": [{"MC_DOB": "01/12/2024"}], "Episodes": [{"DECOM": "01/05/2023", "DEC": "01/01/2025", "REC": "E13"}]},
)
def child_born_after_care(t, ctx):
    last = episodes(t).filter(pl.col("_last")).select("CHILD", "_end")
    h = get(t, "Header", "MC_DOB").join(last, on="CHILD", how="left")
    limit = pl.min_horizontal(pl.col("_end").fill_null(lit_date(year_end(ctx))), lit_date(year_end(ctx)))
    return fail(h, "Header", date("MC_DOB") > limit, ["MC_DOB"])


@rule903(
    "234",
    fails={"Header": [{"DOB": "01/01/2016"}], "Episodes": [{"REASON_PLACE_CHANGE": "CUSTOD", "DECOM": "01/05/2024"}]},
    passes={"Header": [{"DOB": "01/01/2010"}], "Episodes": [{"REASON_PLACE_CHANGE": "CUSTOD", "DECOM": "01/05/2024"}]},
    example_year="2025-26",
)
def custody_under_10(t, ctx):
    ep = with_header(episodes(t), t, "DOB")
    on = pl.coalesce(pl.col("_end"), pl.col("_start"))
    mask = (pl.col("REASON_PLACE_CHANGE").str.strip_chars() == "CUSTOD") & (age(date("DOB"), on) < 10)
    return fail(ep, "Episodes", mask, ["REASON_PLACE_CHANGE", "DOB"])


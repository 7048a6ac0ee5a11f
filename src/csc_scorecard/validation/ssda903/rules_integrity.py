"""Internal checks (INT..) that the tables agree with the Header, and EPI.

These are the same check on different tables, so each code is one line made by
a small factory; the factory's docstring says what the check is.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation.ssda903.catalogue import rule903
from csc_scorecard.validation.ssda903.common import children_in, date, fail, get

H = {"DOB": "01/01/2012", "SEX": "F"}


def _not_in_header(table: str):
    """A child in `table` with no Header row."""

    def check(t, ctx):
        df = get(t, table, "CHILD")
        return fail(df, table, ~pl.col("CHILD").is_in(list(children_in(t, "Header"))), ["CHILD"])

    return check


def _differs_from_header(table: str, column: str):
    """`column` in `table` not the same as the child's Header value (dates compared as dates)."""

    def check(t, ctx):
        head = get(t, "Header", "CHILD", column).unique("CHILD", keep="first").select(
            "CHILD", pl.col(column).alias("_header_value")
        )
        df = get(t, table, "CHILD", column).join(head, on="CHILD", how="inner")
        if column == "DOB":
            mine, theirs = date(column), date("_header_value")
            differs = (mine != theirs) | (mine.is_null() != theirs.is_null())
        else:
            differs = pl.col(column).fill_null("") != pl.col("_header_value").fill_null("")
        return fail(df, table, differs, [column])

    return check


def _once_only(table: str):
    """A child with more than one row in `table`."""

    def check(t, ctx):
        df = get(t, table, "CHILD")
        return fail(df, table, pl.len().over("CHILD") > 1, ["CHILD"])

    return check


for code, table in (("INT01", "AD1"), ("INT02", "PlacedAdoption"), ("INT03", "Episodes"), ("INT04", "Missing"),
                    ("INT05", "OC2"), ("INT06", "OC3"), ("INT07", "PrevPerm"), ("INT08", "Reviews"),
                    ("INT09", "UASC")):
    rule903(code, fails={"Header": [{"CHILD": "1", **H}], table: [{"CHILD": "2"}]},
            passes={"Header": [{"CHILD": "1", **H}], table: [{"CHILD": "1"}]})(_not_in_header(table))

for code, table in (("INT11", "AD1"), ("INT12", "PlacedAdoption"), ("INT13", "Missing"), ("INT14", "OC2"),
                    ("INT15", "OC3"), ("INT16", "PrevPerm"), ("INT17", "Reviews"), ("INT18", "UASC")):
    rule903(code, fails={"Header": [H], table: [{"DOB": "02/01/2012"}]},
            passes={"Header": [H], table: [{"DOB": "2012-01-01"}]})(_differs_from_header(table, "DOB"))

rule903("INT21", fails={"Header": [H], "UASC": [{"SEX": "M"}]},
        passes={"Header": [H], "UASC": [{"SEX": "F"}]})(_differs_from_header("UASC", "SEX"))

for code, table in (("INT31", "AD1"), ("INT32", "Header"), ("INT33", "OC2"), ("INT34", "OC3"), ("INT35", "PrevPerm"),
                    ("INT36", "UASC")):
    rule903(code, fails={table: [{"CHILD": "1"}, {"CHILD": "1"}]},
            passes={table: [{"CHILD": "1"}, {"CHILD": "2"}]})(_once_only(table))


@rule903("EPI", fails={"Header": [{"CHILD": "1"}], "Episodes": [{"CHILD": "2"}]},
         passes={"Header": [{"CHILD": "1"}], "Episodes": [{"CHILD": "1"}]}, tables=["Header", "Episodes"])
def header_without_episodes(t, ctx):
    # Children in the Header with no episode this year: the DfE's portal needs episodes
    # before it checks anything else about them (care leavers in OC3 only are expected).
    h = get(t, "Header", "CHILD")
    seen = children_in(t, "Episodes") | children_in(t, "OC3")
    return fail(h, "Header", ~pl.col("CHILD").is_in(list(seen)), ["CHILD"])

"""Breakdowns: the team, area and characteristics of every unit row.

A unit (a referral, a plan, a looked-after child...) is placed in a team
*at the unit's date*: the child's allocation with the latest start date on
or before that date which had not ended before it (``start_date <= date``
and ``end_date`` null or ``>= date``; an allocation with no start date
counts as open from the beginning). With no such allocation the team is
``Unallocated``. The area is the team's area in the team table
(``Unallocated`` for unallocated units, ``Area not known`` for a team the
table does not list). Team-keyed units (workforce) carry their own team.

Child characteristics come from the child table (one row per child, the
latest values: see casedata):

- sex: ``Male``, ``Female`` or ``Not known``;
- age band at the unit's date: ``Unborn``, ``Under 1``, ``1-4``, ``5-9``,
  ``10-15``, ``16-17``, ``18+`` or ``Not known``;
- ethnicity group, DfE's major groups from the ethnicity code: ``White``,
  ``Mixed``, ``Asian``, ``Black``, ``Other`` (Chinese and any other
  ethnic group, as in DfE's children's social care tables) or ``Not known``
  (refused, not obtained, missing or an unrecognised code);
- disability: ``Yes`` (one or more disability codes), ``No`` (``NONE``) or
  ``Not known`` (nothing recorded).
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.indicators.registry import CaseData

__all__ = [
    "AGE_BANDS",
    "BREAKDOWNS",
    "CHILD_BREAKDOWNS",
    "ETHNICITY_GROUPS",
    "UNALLOCATED",
    "attach_breakdowns",
    "child_characteristics",
    "known_values",
    "team_at_dates",
]

UNALLOCATED = "Unallocated"
AREA_NOT_KNOWN = "Area not known"
NOT_KNOWN = "Not known"

#: Breakdown kinds, in display order, and the column each is read from.
BREAKDOWNS: dict[str, str] = {
    "all": "",
    "area": "area",
    "team": "team",
    "sex": "sex",
    "age": "age_band",
    "ethnicity": "ethnicity_group",
    "disability": "disability",
}
CHILD_BREAKDOWNS = ("sex", "age", "ethnicity", "disability")

AGE_BANDS = ("Unborn", "Under 1", "1-4", "5-9", "10-15", "16-17", "18+", NOT_KNOWN)

ETHNICITY_GROUPS: dict[str, str] = {
    **dict.fromkeys(("WBRI", "WIRI", "WIRT", "WOTH", "WROM"), "White"),
    **dict.fromkeys(("MWBC", "MWBA", "MWAS", "MOTH"), "Mixed"),
    **dict.fromkeys(("AIND", "APKN", "ABAN", "AOTH"), "Asian"),
    **dict.fromkeys(("BCRB", "BAFR", "BOTH"), "Black"),
    **dict.fromkeys(("CHNE", "OOTH"), "Other"),
    **dict.fromkeys(("REFU", "NOBT"), NOT_KNOWN),
}

_SEX = {"M": "Male", "1": "Male", "F": "Female", "2": "Female"}


def _clean(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Utf8).str.strip_chars().str.to_uppercase()


def child_characteristics(data: CaseData) -> pl.DataFrame:
    """child_id, sex, ethnicity_group, disability, birth_date, expected_birth_date: one row a child."""
    child = data["child"]
    if child.is_empty():
        return pl.DataFrame(
            schema={
                "child_id": pl.Utf8, "sex": pl.Utf8, "ethnicity_group": pl.Utf8,
                "disability": pl.Utf8, "birth_date": pl.Date, "expected_birth_date": pl.Date,
            }
        )
    disabilities = _clean("disabilities")
    frame = child.select(
        pl.col("child_id").cast(pl.Utf8),
        _clean("sex").replace_strict(_SEX, default=NOT_KNOWN).alias("sex"),
        _clean("ethnicity").replace_strict(ETHNICITY_GROUPS, default=NOT_KNOWN)
        .alias("ethnicity_group"),
        pl.when(disabilities.is_null() | (disabilities == ""))
        .then(pl.lit(NOT_KNOWN))
        .when(disabilities == "NONE")
        .then(pl.lit("No"))
        .otherwise(pl.lit("Yes"))
        .alias("disability"),
        pl.col("birth_date"),
        pl.col("expected_birth_date"),
    )
    # Hand-made frames may repeat a child: keep the last row given.
    return frame.unique(subset="child_id", keep="last", maintain_order=True)


def _age_band(birth: str, expected: str, date: str) -> pl.Expr:
    b, d = pl.col(birth), pl.col(date)
    def month_day(x: pl.Expr) -> pl.Expr:  # month and day are Int8: widen before arithmetic
        return x.dt.month().cast(pl.Int32) * 100 + x.dt.day().cast(pl.Int32)

    years = (
        d.dt.year().cast(pl.Int32)
        - b.dt.year().cast(pl.Int32)
        - (month_day(d) < month_day(b)).cast(pl.Int32)
    )
    return (
        pl.when(b.is_null() & pl.col(expected).is_not_null() & (d < pl.col(expected)))
        .then(pl.lit("Unborn"))
        .when(b.is_null())
        .then(pl.lit(NOT_KNOWN))
        .when(d < b)
        .then(pl.lit("Unborn"))
        .when(years < 1)
        .then(pl.lit("Under 1"))
        .when(years < 5)
        .then(pl.lit("1-4"))
        .when(years < 10)
        .then(pl.lit("5-9"))
        .when(years < 16)
        .then(pl.lit("10-15"))
        .when(years < 18)
        .then(pl.lit("16-17"))
        .otherwise(pl.lit("18+"))
    )


def team_at_dates(pairs: pl.DataFrame, allocations: pl.DataFrame) -> pl.DataFrame:
    """For each distinct (child_id, date), the team holding the child on that date.

    Returns child_id, date, team (``Unallocated`` when no allocation covers the date).
    """
    pairs = pairs.select("child_id", "date").unique()
    alloc = allocations.select(
        pl.col("child_id").cast(pl.Utf8),
        pl.col("team").cast(pl.Utf8).str.strip_chars().alias("team"),
        pl.col("start_date").alias("a_start"),
        pl.col("end_date").alias("a_end"),
    ).filter(pl.col("team").is_not_null() & (pl.col("team") != ""))
    if alloc.is_empty() or pairs.is_empty():
        return pairs.with_columns(pl.lit(UNALLOCATED).alias("team"))
    # Fast path: the allocation with the latest start on or before the date
    # (an as-of join). Where that one had already ended, an earlier allocation
    # may still be open (overlapping rows): settle those few exactly.
    dated = alloc.filter(pl.col("a_start").is_not_null()).sort(
        ["child_id", "a_start", "a_end", "team"], nulls_last=True
    )
    # Several allocations starting the same day: keep the one ending last.
    dated = dated.unique(subset=["child_id", "a_start"], keep="last", maintain_order=True)
    asof = (
        pairs.sort("child_id", "date")
        .join_asof(
            dated, left_on="date", right_on="a_start", by="child_id", strategy="backward",
            check_sortedness=False,
        )
    )
    settled = (pl.col("a_start").is_not_null()) & (
        pl.col("a_end").is_null() | (pl.col("a_end") >= pl.col("date"))
    )
    fast = asof.filter(settled).select("child_id", "date", "team")
    rest = asof.filter(~settled).select("child_id", "date")
    if rest.height:
        exact = (
            rest.join(alloc, on="child_id", how="inner")
            .filter(
                (pl.col("a_start").is_null() | (pl.col("a_start") <= pl.col("date")))
                & (pl.col("a_end").is_null() | (pl.col("a_end") >= pl.col("date")))
            )
            .sort(
                ["child_id", "date", "a_start", "a_end", "team"],
                descending=[False, False, True, True, False],
                nulls_last=[False, False, True, False, False],
            )
            .unique(subset=["child_id", "date"], keep="first")
            .select("child_id", "date", "team")
        )
        fast = pl.concat([fast, exact])
    return pairs.join(fast, on=["child_id", "date"], how="left").with_columns(
        pl.col("team").fill_null(UNALLOCATED)
    )


def _team_areas(data: CaseData) -> pl.DataFrame:
    teams = data["team"]
    if teams.is_empty():
        return pl.DataFrame(schema={"team": pl.Utf8, "area": pl.Utf8})
    return (
        teams.select(
            pl.col("team").cast(pl.Utf8).str.strip_chars(),
            pl.col("area").cast(pl.Utf8).str.strip_chars(),
        )
        .filter(pl.col("team").is_not_null() & (pl.col("team") != ""))
        .unique(subset="team", keep="last", maintain_order=True)
    )


def known_values(data: CaseData) -> dict[str, list[str]]:
    """Areas and teams of the team table (so a team with no units still shows a zero)."""
    areas = _team_areas(data)
    return {
        "area": sorted({a for a in areas["area"].to_list() if a}),
        "team": sorted(areas["team"].to_list()),
    }


def attach_breakdowns(units: pl.DataFrame, data: CaseData) -> pl.DataFrame:
    """Add team, area, sex, age_band, ethnicity_group and disability to unit rows.

    ``units`` has ``child_id`` (null for team-keyed rows), ``unit_team``
    (the team of team-keyed rows, else null) and ``date``; other columns are
    kept. Child characteristics are null on team-keyed rows.
    """
    child_rows = units.filter(pl.col("child_id").is_not_null())
    teams = team_at_dates(child_rows.select("child_id", "date"), data["allocation"])
    out = units.join(teams, on=["child_id", "date"], how="left").with_columns(
        pl.coalesce(pl.col("unit_team"), pl.col("team"), pl.lit(UNALLOCATED)).alias("team")
    )
    areas = _team_areas(data)
    out = out.join(areas, on="team", how="left").with_columns(
        pl.when(pl.col("team") == UNALLOCATED)
        .then(pl.lit(UNALLOCATED))
        .otherwise(pl.col("area").fill_null(AREA_NOT_KNOWN))
        .alias("area")
    )
    chars = child_characteristics(data)
    out = out.join(chars, on="child_id", how="left")
    is_child = pl.col("child_id").is_not_null()
    return out.with_columns(
        pl.when(is_child).then(pl.col(c).fill_null(NOT_KNOWN)).alias(c)
        for c in ("sex", "ethnicity_group", "disability")
    ).with_columns(
        pl.when(is_child).then(_age_band("birth_date", "expected_birth_date", "date"))
        .alias("age_band")
    ).drop("birth_date", "expected_birth_date")

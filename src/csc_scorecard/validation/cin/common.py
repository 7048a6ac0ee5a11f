"""What every CIN census rule module shares: the rule list, dates, joins.

A rule module writes::

    @cin_rule("1103", reads=("Assessments", "CINdetails"))
    def assessment_before_referral(t, ctx):
        ...
        return fail(rows, "Assessments", "AssessmentActualStartDate", "CINreferralDate")

The code's message, fields and years come from rules.yml (the DfE's list,
built by scripts/build_cin_rule_list.py); ``reads`` names the tables the
function uses, so a rule whose table is not supplied is reported not run.
Values in the tables are the file's text: ``day("X")`` parses a date column
(null when missing or not a date) and ``true("X")`` a true/false flag.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl

from csc_scorecard.returns.cin_census.spec import YearSpec, spec_for, supported_years
from csc_scorecard.validation.core import Context, RuleFunction, collect, memo, rule
from csc_scorecard.yaml_load import safe_load

HERE = Path(__file__).parent
RETURN_TYPE = "cin"


@functools.cache
def rule_list() -> dict[str, dict]:
    """rules.yml by code: message, fields, tables, first_year, retired_in."""
    data = safe_load((HERE / "rules.yml").read_text(encoding="utf-8"))
    return {entry["code"]: entry for entry in data["rules"]}


@functools.cache
def la_codes() -> frozenset[str]:
    lines = (HERE / "la_codes.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def cin_rule(code: str, *, reads: Iterable[str]) -> Callable[[RuleFunction], RuleFunction]:
    """Register a CIN census rule under its DfE code, with the list's facts."""
    entry = rule_list()[code]
    return rule(
        code,
        return_type=RETURN_TYPE,
        message=entry["message"],
        tables=tuple(reads),
        fields=tuple(entry["fields"]),
        first_year=entry["first_year"],
        retired_in=entry["retired_in"],
    )


# -- the census year -----------------------------------------------------------


def period(ctx: Context) -> tuple[dt.date, dt.date]:
    """1 April to 31 March (the reference date) of the context's collection year."""
    return dt.date(ctx.year_start, 4, 1), dt.date(ctx.year_start + 1, 3, 31)


def year_spec(ctx: Context) -> YearSpec:
    """The census's code lists for the year (the nearest known year outside the range)."""
    first, last = supported_years()
    return spec_for(min(max(ctx.year_start + 1, first), last))


def codes(ctx: Context, name: str) -> list[str]:
    """The codes valid for the year in one of the census code lists."""
    return list(year_spec(ctx).codes[name])


def in_year(col: str, ctx: Context) -> pl.Expr:
    start, end = period(ctx)
    return day(col).is_between(pl.lit(start), pl.lit(end))


def outside_year(col: str, ctx: Context) -> pl.Expr:
    """Present (as a date) and not within the census year."""
    return day(col).is_not_null() & ~in_year(col, ctx)


# -- values --------------------------------------------------------------------


def day(col: str) -> pl.Expr:
    """The column as a date; null when missing or not an ISO date."""
    return pl.col(col).str.strip_chars().str.to_date("%Y-%m-%d", strict=False)


def true(col: str) -> pl.Expr:
    return pl.col(col).str.strip_chars().str.to_lowercase().is_in(["true", "1"]).fill_null(False)


def false(col: str) -> pl.Expr:
    return pl.col(col).str.strip_chars().str.to_lowercase().is_in(["false", "0"]).fill_null(False)


def missing(col: str) -> pl.Expr:
    return pl.col(col).is_null() | (pl.col(col).str.strip_chars() == "")


def weekend(col: str) -> pl.Expr:
    return (day(col).dt.weekday() >= 6).fill_null(False)


def birthday(col: str, years: int) -> pl.Expr:
    """The date someone born on the column's date turns ``years`` old."""
    return day(col).dt.offset_by(f"{years}y")


# -- answers -------------------------------------------------------------------


def fail(rows: pl.DataFrame, table: str, *fields: str) -> pl.DataFrame:
    """The failing rows as a rule returns them: where they are, then the fields."""
    schema = rows.schema
    return rows.lazy().select(  # one lazy query: Polars entered once, not twice
        pl.lit(table).alias("_table"),
        pl.col("_row"),
        pl.col("_child"),
        *[pl.col(f).cast(pl.Utf8) if schema[f] != pl.List(pl.Utf8) else
          pl.col(f).list.join(",") for f in fields],
    ).unique(subset=["_row"], maintain_order=True).pipe(collect)


def whole_return(table: str, **values: str | int | None) -> pl.DataFrame:
    """One failing 'row' for a rule about the return as a whole (a percentage, a count)."""
    return pl.DataFrame(
        {"_table": [table], "_row": ["the whole return"], "_child": [None]}
        | {k: [None if v is None else str(v)] for k, v in values.items()},
        schema={"_table": pl.Utf8, "_row": pl.Utf8, "_child": pl.Utf8}
        | {k: pl.Utf8 for k in values},
    )


# -- joins ---------------------------------------------------------------------

EPISODE_KEY = ["_child_no", "CINdetailsID"]
CIN_COLUMNS = (
    "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
    "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA",
)
PERSON_COLUMNS = ("PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate", "Sex", "UPNunknown")


def with_episode(t, table: str) -> pl.DataFrame:
    """A nested table's rows with their CINdetails' fields (a clash gets the suffix _cin)."""
    def make() -> pl.DataFrame:
        episodes = t["CINdetails"].select(*EPISODE_KEY, *CIN_COLUMNS)
        return t[table].join(episodes, on=EPISODE_KEY, how="left", suffix="_cin")

    return memo((t[table], t["CINdetails"]), ("with_episode", table), make)


def with_person(frame: pl.DataFrame, t) -> pl.DataFrame:
    """Rows with their child's birth, death and sex fields (matched on the child's ordinal)."""
    def make() -> pl.DataFrame:
        people = t["ChildIdentifiers"].select("_child_no", *PERSON_COLUMNS)
        have = [c for c in PERSON_COLUMNS if c in frame.columns]
        return frame.drop(have).join(people, on="_child_no", how="left")

    # Worth keeping when `frame` is itself shared (a table, a helper's plans).
    return memo((frame, t["ChildIdentifiers"]), "with_person", make)


def pairs(frame: pl.DataFrame, by: list[str] | str = "_child_no") -> pl.DataFrame:
    """Every ordered pair of different rows sharing ``by``; the other row's columns end _other."""
    return frame.join(frame, on=by, how="inner", suffix="_other").filter(
        pl.col("_row") != pl.col("_row_other")
    )


def count_per_episode(t, table: str, alias: str, where: pl.Expr | None = None) -> pl.DataFrame:
    """Each episode (all of them) with the number of ``table`` rows in it matching ``where``."""
    def make() -> pl.DataFrame:  # one lazy query, not four eager steps
        rows = t[table].lazy() if where is None else t[table].lazy().filter(where)
        counts = rows.group_by(EPISODE_KEY).agg(pl.len().alias(alias))
        return collect(
            t["CINdetails"].lazy()
            .join(counts, on=EPISODE_KEY, how="left")
            .with_columns(pl.col(alias).fill_null(0))
        )

    if where is not None:  # an expression is no key
        return make()
    return memo((t[table], t["CINdetails"]), ("count_per_episode", table, alias), make)


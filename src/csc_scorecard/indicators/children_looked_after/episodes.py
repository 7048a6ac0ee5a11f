"""Looked-after children: the episodes every measure starts from (short breaks out,
periods of care, new placements and carers), the dates they are judged on and the
shared snapshot and cache helpers (see the package's docstring)."""


from __future__ import annotations

import calendar
import datetime as dt

import polars as pl

from csc_scorecard.indicators.casedata import per_case_data
from csc_scorecard.indicators.registry import CaseData, units
from csc_scorecard.periods import Period

# --------------------------------------------------------------------------
# Code lists (SSDA903)
# --------------------------------------------------------------------------

SHORT_BREAK_LEGAL_STATUSES = ("V3", "V4")
#: RNE codes for an episode that changes the placement (P, T) or the legal
#: status and the placement together (B, U).  L changes the legal status only.
PLACEMENT_CHANGE_RNE = ("P", "T", "B", "U")
#: RNE codes where the carers change too (T and U keep the same carers).
CARER_CHANGE_RNE = ("P", "B")
#: Temporary placements (hospital, holiday, carer's holiday, up to 7 days).
TEMPORARY_PLACEMENTS = ("T0", "T1", "T2", "T3", "T4")
#: Placed for adoption; A5 and A6 are with the child's current foster carers.
PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")
ADOPTION_WITH_CURRENT_CARERS = ("A5", "A6")
#: Foster placements.
FOSTER_PLACEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6")
#: Placed with parents or other person with parental responsibility.
PLACED_WITH_PARENTS = ("P1",)

MILES_LIMIT = 20.0


# --------------------------------------------------------------------------
# Small helpers shared with the care-leaver module
# --------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def continuous_since(day: dt.date, months: int) -> dt.date:
    """Latest start date that gives ``months`` full months of care by the end of ``day``."""
    return add_months(day + dt.timedelta(days=1), -months)


def age_expr(birth: str | pl.Expr, on: dt.date | pl.Expr) -> pl.Expr:
    """Age in whole years on a date (someone born on 29 February ages on 1 March)."""
    b = pl.col(birth) if isinstance(birth, str) else birth
    d = pl.lit(on, dtype=pl.Date) if isinstance(on, dt.date) else on
    before_birthday = (d.dt.month().cast(pl.Int32) * 100 + d.dt.day().cast(pl.Int32)) < (
        b.dt.month().cast(pl.Int32) * 100 + b.dt.day().cast(pl.Int32)
    )
    return d.dt.year().cast(pl.Int32) - b.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)


def code_expr(col: str) -> pl.Expr:
    """A code column trimmed and upper-cased (null stays null)."""
    return pl.col(col).cast(pl.Utf8).str.strip_chars().str.to_uppercase()


def empty_units(key: str = "child_id") -> pl.DataFrame:
    return pl.DataFrame(
        schema={key: pl.Utf8, "date": pl.Date, "numerator": pl.Float64, "denominator": pl.Float64}
    )


def optional_table(data: CaseData, name: str) -> pl.DataFrame | None:
    """An optional table: None when the case data has no such frame."""
    return data.tables.get(name)


def _stored(raw: pl.DataFrame, name: str, dtype: type[pl.DataType]) -> pl.Expr:
    """A stored column, or nulls when a hand-made frame leaves it out."""
    column = pl.col(name) if name in raw.columns else pl.lit(None)
    return column.cast(dtype).alias(name)


@per_case_data
def birth_dates(data: CaseData) -> pl.DataFrame:
    """child_id -> birth_date from the child table (one row per child).

    Computed once per CaseData (the frame is shared: treat it as read-only).
    """
    child = optional_table(data, "child")
    if child is None or "birth_date" not in child.columns:
        return pl.DataFrame(schema={"child_id": pl.Utf8, "birth_date": pl.Date})
    return (
        child.select(pl.col("child_id").cast(pl.Utf8), pl.col("birth_date").cast(pl.Date))
        .filter(pl.col("birth_date").is_not_null())
        .unique(subset="child_id", keep="last", maintain_order=True)
    )


# --------------------------------------------------------------------------
# Episodes, periods of care, placements
# --------------------------------------------------------------------------


@per_case_data
def prepared_episodes(data: CaseData) -> pl.DataFrame:
    """Episodes without short breaks, in order, with periods of care and placement flags.

    Computed once per CaseData and shared by every indicator and period (the
    frame is shared: treat it as read-only).

    Added columns:

    ``poc`` (period of care number within the child), ``poc_start``,
    ``poc_end`` (null while open), ``new_poc``;

    ``new_placement``: the episode begins a placement.  True for the first
    episode of a period of care and for RNE P, T, B or U; false for RNE L
    (legal status only), for a temporary placement (T0-T4), for the return
    from a temporary placement to the placement held before it (same
    placement type, postcode and URN), and for a move to adoption with the
    current foster carers (placement A5/A6 with RNE T or U), which DfE does
    not count as a placement change;

    ``new_carer``: the episode begins a spell with different carers.  True
    for the first episode of a period of care and for RNE P or B, with the
    same exclusions for temporary placements and returns.
    """
    raw = data["cla_episode"]
    eps = (
        raw.select(
            pl.col("child_id").cast(pl.Utf8),
            pl.col("start_date").cast(pl.Date),
            pl.col("end_date").cast(pl.Date),
            code_expr("reason_new_episode").alias("rne"),
            code_expr("legal_status").alias("ls"),
            code_expr("placement").alias("place"),
            code_expr("reason_ceased").alias("rec"),
            code_expr("home_postcode").alias("home_postcode"),
            code_expr("placement_postcode").alias("placement_postcode"),
            code_expr("urn").alias("urn"),
            # the 903's PL_DISTANCE and PL_LA as stored (null/blank when the file had none;
            # a frame made by hand may leave the columns out)
            _stored(raw, "distance_miles", pl.Float64),
            pl.when(_stored(raw, "placement_la", pl.Utf8).str.strip_chars() != "")
            .then(_stored(raw, "placement_la", pl.Utf8).str.strip_chars().str.to_uppercase())
            .alias("placement_la"),
        )
        .filter(
            pl.col("child_id").is_not_null()
            & pl.col("start_date").is_not_null()
            & ~pl.col("ls").is_in(SHORT_BREAK_LEGAL_STATUSES).fill_null(False)
        )
        .unique(subset=["child_id", "start_date"], keep="last", maintain_order=True)
        .sort(["child_id", "start_date"])
    )
    by_child = "child_id"
    prev_end = pl.col("end_date").shift(1).over(by_child)
    first = pl.int_range(pl.len()).over(by_child) == 0
    new_poc = (
        first
        | (pl.col("rne") == "S").fill_null(False)
        | (prev_end.is_not_null() & (prev_end < pl.col("start_date"))).fill_null(False)
    )
    eps = eps.with_columns(new_poc.alias("new_poc"))
    eps = eps.with_columns(pl.col("new_poc").cast(pl.Int32).cum_sum().over(by_child).alias("poc"))
    group = ["child_id", "poc"]
    place_key = pl.concat_str(
        [pl.col(c).fill_null("") for c in ("place", "placement_postcode", "urn")], separator="|"
    )
    is_temp = pl.col("place").is_in(TEMPORARY_PLACEMENTS).fill_null(False)
    eps = eps.with_columns(
        pl.col("start_date").first().over(group).alias("poc_start"),
        pl.col("end_date").last().over(group).alias("poc_end"),
        is_temp.alias("is_temp"),
        place_key.alias("_key"),
    )
    is_return = pl.col("is_temp").shift(1).over(by_child).fill_null(False) & (
        pl.col("_key") == pl.col("_key").shift(2).over(by_child)
    ).fill_null(False)
    not_a_move = pl.col("is_temp") | is_return
    adoption_same_carers = pl.col("place").is_in(ADOPTION_WITH_CURRENT_CARERS).fill_null(
        False
    ) & pl.col("rne").is_in(("T", "U")).fill_null(False)
    new_placement = (
        pl.when(pl.col("new_poc"))
        .then(True)
        .when(not_a_move | adoption_same_carers)
        .then(False)
        .otherwise(pl.col("rne").is_in(PLACEMENT_CHANGE_RNE).fill_null(False))
    )
    new_carer = (
        pl.when(pl.col("new_poc"))
        .then(True)
        .when(not_a_move)
        .then(False)
        .otherwise(pl.col("rne").is_in(CARER_CHANGE_RNE).fill_null(False))
    )
    return eps.with_columns(
        new_placement.alias("new_placement"), new_carer.alias("new_carer")
    ).drop("_key")


def looked_after_at(eps: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """The episode each child was in at ``day`` (one row per child looked after then)."""
    return (
        eps.filter(
            (pl.col("start_date") <= day)
            & (pl.col("end_date").is_null() | (pl.col("end_date") > day))
        )
        .sort(["child_id", "start_date"])
        .unique(subset="child_id", keep="last", maintain_order=True)
    )


def looked_after_during(eps: pl.DataFrame, period: Period) -> pl.DataFrame:
    """child_id of every child looked after on at least one day of the period."""
    return (
        eps.filter(
            (pl.col("start_date") <= period.end)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= period.start))
        )
        .select("child_id")
        .unique(maintain_order=True)
    )


def periods_of_care(eps: pl.DataFrame) -> pl.DataFrame:
    """One row per period of care: child_id, poc, poc_start, poc_end."""
    return eps.group_by(["child_id", "poc"], maintain_order=True).agg(
        pl.col("poc_start").first(), pl.col("poc_end").first()
    )


@per_case_data
def _period_cache(data: CaseData) -> dict[tuple, pl.DataFrame]:
    """Per-CaseData store of per-period frames shared by several indicators.

    Keyed on (what, period or date, ...); the engine runs every indicator for
    one period after another, so e.g. the children looked after at a period's
    end are found once per period, not once per indicator.
    """
    return {}


def cached_per_period(data: CaseData, key: tuple, make) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    """``make()``, worked out once per CaseData and key (see _period_cache)."""
    cache = _period_cache(data)
    if key not in cache:
        cache[key] = make()
    return cache[key]


@per_case_data
def care_periods(data: CaseData) -> pl.DataFrame:
    """The periods of care of the case data's children (worked out once per CaseData)."""
    return periods_of_care(prepared_episodes(data))


def episodes_at_end(data: CaseData, period: Period) -> pl.DataFrame:
    """The episode each child was in at the period end (shared: treat as read-only)."""
    day = period.end
    return cached_per_period(
        data, ("looked_after_at", day), lambda: looked_after_at(prepared_episodes(data), day)
    )


def snapshot_units(
    frame: pl.DataFrame, period: Period, numerator: pl.Expr, denominator: pl.Expr | None
) -> pl.DataFrame:
    """Unit rows dated at the period's end (the measures of those looked after at a date)."""
    return units(frame, date=pl.lit(period.end), numerator=numerator, denominator=denominator)



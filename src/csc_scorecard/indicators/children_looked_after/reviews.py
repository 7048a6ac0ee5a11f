"""Looked-after children: reviews held on time (first within 20 working days, the second
within 3 months, then every 6 months)."""


from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.indicators.casedata import per_case_data
from csc_scorecard.indicators.children_looked_after.episodes import (
    add_months,
    episodes_at_end,
    prepared_episodes,
    snapshot_units,
)
from csc_scorecard.indicators.registry import CaseData, indicator
from csc_scorecard.periods import Period
from csc_scorecard.workdays import WorkdaysCoverageError, add_working_days

# --------------------------------------------------------------------------
# Reviews
# --------------------------------------------------------------------------

FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6


def _first_review_due(poc_start: dt.date) -> dt.date:
    try:
        return add_working_days(poc_start, FIRST_REVIEW_WORKING_DAYS)
    except WorkdaysCoverageError:
        # Before 2010 bank holidays are unknown; four weeks is the same span.
        return poc_start + dt.timedelta(days=28)


def reviews_on_time(
    poc_start: dt.date,
    reviews: list[dt.date],
    period: Period,
    history_from: dt.date | None = None,
) -> bool:
    """True when no review of this period of care was overdue on any day of the period.

    The first review is due within 20 working days of the start of care, the
    second within 3 months of the first, and each later one within 6 months of
    the one before (Care Planning Regulations 2010, reg. 33).  Each due date
    runs from the date the previous review was actually held.  A review is
    overdue from the day after its due date until it is held; a child is on
    time unless some review was overdue on at least one day of the period.

    ``history_from`` is the first date the review data covers (a 903 return
    holds one year's reviews).  For care that started before it, earlier
    reviews cannot be seen: the first review seen is taken as a later
    (6-monthly) review, due at the latest 6 months after ``history_from``.
    """
    if history_from is not None and poc_start < history_from:
        due = add_months(history_from, LATER_REVIEW_MONTHS)
        first_seen_is_first = False
    else:
        due = _first_review_due(poc_start)
        first_seen_is_first = True
    held_so_far = 0
    for held in sorted(r for r in reviews if poc_start <= r <= period.end):
        if held > due and due < period.end and held >= period.start:
            return False  # late, and overdue on a day of the period
        held_so_far += 1
        second = held_so_far == 1 and first_seen_is_first
        due = add_months(held, SECOND_REVIEW_MONTHS if second else LATER_REVIEW_MONTHS)
    # The next review, not yet held by the period end.
    return not due < period.end


def review_history_start(reviews: pl.DataFrame) -> dt.date | None:
    """First date the review data covers: 1 April of the earliest collection year
    loaded, or else the earliest review date recorded."""
    if "collection_year" in reviews.columns:
        years = [
            y
            for y in reviews.get_column("collection_year").cast(pl.Utf8).drop_nulls().to_list()
            if len(y) >= 4 and y[:4].isdigit()
        ]
        if years:
            return dt.date(int(min(years)[:4]), 4, 1)
    earliest = reviews.get_column("review_date").cast(pl.Date).min()
    return earliest if isinstance(earliest, dt.date) else None


@per_case_data
def _review_dates(data: CaseData) -> pl.DataFrame:
    """child_id, review_date of every review recorded, in date order within each child."""
    return (
        data["cla_review"]
        .select(pl.col("child_id").cast(pl.Utf8), pl.col("review_date").cast(pl.Date))
        .drop_nulls()
        .sort(["child_id", "review_date"], maintain_order=True)
    )


@per_case_data
def _review_history_from(data: CaseData) -> dt.date | None:
    return review_history_start(data["cla_review"])


@per_case_data
def _first_reviews_due(data: CaseData) -> pl.DataFrame:
    """poc_start -> first_due (:func:`_first_review_due`) for every period of care's start."""
    starts = (
        prepared_episodes(data).get_column("poc_start").drop_nulls().unique().sort().to_list()
    )
    return pl.DataFrame(
        {"poc_start": starts, "first_due": [_first_review_due(d) for d in starts]},
        schema={"poc_start": pl.Date, "first_due": pl.Date},
    )


def _months_after(day: pl.Expr, second: pl.Expr) -> pl.Expr:
    """``day`` plus 3 months where ``second`` is true, else 6 months (as :func:`add_months`)."""
    return (
        pl.when(second)
        .then(day.dt.offset_by(f"{SECOND_REVIEW_MONTHS}mo"))
        .otherwise(day.dt.offset_by(f"{LATER_REVIEW_MONTHS}mo"))
    )


@indicator("cla_reviews_timely_pct")
def cla_reviews_timely_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after at the period end for 20 working days or more: share whose reviews were
    all held on time (none overdue on any day of the period).

    :func:`reviews_on_time` for every child at once: each review's due date
    runs from the review before it, so the chain is worked out with a shift
    within each child's reviews rather than a loop.
    """
    start, end = period.start, period.end
    history_from = _review_history_from(data)
    children = (
        episodes_at_end(data, period)
        .select("child_id", "poc_start")
        .join(_first_reviews_due(data), on="poc_start", how="left", maintain_order="left")
        # Not yet looked after for 20 working days: not counted.
        .filter(pl.col("first_due") <= end)
    )
    if history_from is not None:
        # Care that began before the review data: the first review seen is a 6-monthly one.
        seen_late = pl.col("poc_start") < history_from
        children = children.with_columns(
            pl.when(seen_late)
            .then(pl.lit(add_months(history_from, LATER_REVIEW_MONTHS), dtype=pl.Date))
            .otherwise(pl.col("first_due"))
            .alias("due0"),
            (~seen_late).alias("first_is_first"),
        )
    else:
        children = children.with_columns(
            pl.col("first_due").alias("due0"), pl.lit(True).alias("first_is_first")
        )
    # The reviews of the current period of care held by the period end, in order.
    held = (
        children.select("child_id", "poc_start", "due0", "first_is_first")
        .join(_review_dates(data), on="child_id", how="inner")
        .filter(pl.col("review_date").is_between(pl.col("poc_start"), pl.lit(end)))
        .sort(["child_id", "review_date"], maintain_order=True)
    )
    k = pl.int_range(pl.len()).over("child_id")
    previous = pl.col("review_date").shift(1).over("child_id")
    due = (
        pl.when(k == 0)
        .then(pl.col("due0"))
        .otherwise(_months_after(previous, (k == 1) & pl.col("first_is_first")))
    )
    per_child = (
        held.with_columns(due.alias("due"))
        .with_columns(
            (
                (pl.col("review_date") > pl.col("due"))
                & (pl.col("due") < end)
                & (pl.col("review_date") >= start)
            ).alias("late")
        )
        .group_by("child_id")
        .agg(
            pl.col("late").any().alias("any_late"),
            pl.col("review_date").max().alias("last_held"),
            pl.len().alias("n_held"),
        )
    )
    # The next review, not yet held by the period end.
    next_due = (
        pl.when(pl.col("n_held").fill_null(0) == 0)
        .then(pl.col("due0"))
        .otherwise(
            _months_after(
                pl.col("last_held"), (pl.col("n_held") == 1) & pl.col("first_is_first")
            )
        )
    )
    on_time = ~pl.col("any_late").fill_null(False) & ~(next_due < end)
    frame = children.join(per_child, on="child_id", how="left", maintain_order="left").select(
        "child_id", on_time.cast(pl.Float64).alias("on_time")
    )
    return snapshot_units(frame, period, pl.col("on_time"), pl.lit(1.0))



"""Adoption and special guardianship (SSDA903 episodes, AD1 and PlacedAdoption).

Definitions are in catalogue/adoption.yml; each function returns unit rows.
Periods of care, placements and carer spells are those of
``children_looked_after.prepared_episodes`` (short breaks left out), so these
figures agree with cla_ends_count.

DfE publishes the adoption timeliness measures (A1, A2, A10) as averages over
three years: here, the children adopted in the three years ending on the
period's last day (for 2024-25: 1 April 2022 to 31 March 2025).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.indicators.children_looked_after import (
    PLACED_FOR_ADOPTION,
    code_expr,
    prepared_episodes,
)
from csc_scorecard.indicators.registry import CaseData, indicator, units
from csc_scorecard.periods import Period

ONE = pl.lit(1.0)

ADOPTED = ("E11", "E12")  # adopted: application unopposed / opposed
SPECIAL_GUARDIANSHIP = ("E43", "E44")  # SGO to former foster carers / to other carers
PLACEMENT_ORDER = "E1"  # legal status: placement order granted
ROLLING_YEARS = 3


def _care_endings(data: CaseData, start: dt.date, end: dt.date) -> pl.DataFrame:
    """One row per child whose period of care ended between ``start`` and ``end``
    (the last such ending): child_id, poc, poc_start, poc_end, rec (of the last episode)."""
    eps = prepared_episodes(data)
    last = (
        eps.group_by(["child_id", "poc"], maintain_order=True)
        .agg(pl.col("poc_start").first(), pl.col("poc_end").first(), pl.col("rec").last())
        .filter(pl.col("poc_end").is_between(start, end))
    )
    return last.sort(["child_id", "poc_end"]).unique(
        subset="child_id", keep="last", maintain_order=True
    )


def _ended(data: CaseData, period: Period, codes: tuple[str, ...]) -> pl.DataFrame:
    ended = _care_endings(data, period.start, period.end)
    return units(ended.filter(pl.col("rec").is_in(codes)), date=pl.col("poc_end"), numerator=ONE)


@indicator("adoptions_count")
def adoptions_count(data: CaseData, period: Period) -> pl.DataFrame:
    return _ended(data, period, ADOPTED)


@indicator("sgo_count")
def sgo_count(data: CaseData, period: Period) -> pl.DataFrame:
    return _ended(data, period, SPECIAL_GUARDIANSHIP)


@indicator("cla_adopted_pct")
def cla_adopted_pct(data: CaseData, period: Period) -> pl.DataFrame:
    ended = _care_endings(data, period.start, period.end)
    return units(
        ended, date=pl.col("poc_end"),
        numerator=pl.col("rec").is_in(ADOPTED).fill_null(False), denominator=ONE,
    )


def rolling_start(period: Period) -> dt.date:
    """The first day of the three years ending on the period's last day."""
    end = period.end + dt.timedelta(days=1)
    try:
        first = end.replace(year=end.year - ROLLING_YEARS)
    except ValueError:  # 29 February
        first = end.replace(year=end.year - ROLLING_YEARS, day=28)
    return first


def _adoptions_in_window(data: CaseData, period: Period) -> pl.DataFrame:
    """Children adopted in the three years to period end, with the dates A1, A2 and A10 need:
    poc_start (entered care), placed (moved in with the adopters), carers_from (the start of
    the spell with the carers who adopted), order (placement order), foster_carer, match."""
    adopted = _care_endings(data, rolling_start(period), period.end).filter(
        pl.col("rec").is_in(ADOPTED)
    ).select("child_id", "poc", "poc_start", "poc_end")
    eps = prepared_episodes(data).join(adopted.select("child_id", "poc"), on=["child_id", "poc"])
    # the day the child entered care is known only when the period of care's first
    # episode on record is its start (RNE S); a return of one year alone may hold
    # only the last episodes, and then A1 and A10 leave the child out
    entered = (
        eps.group_by("child_id", "poc", maintain_order=True)
        .agg((pl.col("rne").first() == "S").alias("_entered_known"))
    )
    adopted = adopted.join(entered, on=["child_id", "poc"], how="left").with_columns(
        pl.when(pl.col("_entered_known").fill_null(False)).then(pl.col("poc_start"))
        .alias("entered")
    )
    eps = eps.with_columns(
        pl.col("new_carer").cast(pl.Int32).cum_sum().over("child_id", "poc").alias("_spell")
    ).with_columns(pl.col("start_date").first().over("child_id", "poc", "_spell").alias("_spell_start"))
    placement = (
        eps.filter(pl.col("place").is_in(PLACED_FOR_ADOPTION).fill_null(False))
        .group_by("child_id", "poc")
        .agg(
            pl.col("start_date").min().alias("_placement_episode"),
            pl.col("_spell_start").first().alias("carers_from"),
            pl.col("place").first().alias("_place"),
        )
    )
    order = (
        eps.filter(pl.col("ls") == PLACEMENT_ORDER)
        .group_by("child_id", "poc")
        .agg(pl.col("start_date").min().alias("order"))
    )
    frame = adopted.join(placement, on=["child_id", "poc"], how="left").join(
        order, on=["child_id", "poc"], how="left"
    )
    placed = (
        data["placed_for_adoption"]
        .select("child_id", pl.col("placed_date").alias("_placed"))
        .filter(pl.col("_placed").is_not_null())
        .join(frame.select("child_id", "poc_start", "poc_end"), on="child_id")
        .filter(pl.col("_placed").is_between(pl.col("poc_start"), pl.col("poc_end")))
        .group_by("child_id")
        .agg(pl.col("_placed").min())
    )
    ad1 = (
        data["adoption"]
        .select("child_id", "decision_date", "match_date", "foster_care")
        .join(frame.select("child_id", "poc_end"), on="child_id")
        .filter(pl.col("decision_date").is_null() | (pl.col("decision_date") <= pl.col("poc_end")))
        .sort("child_id", "decision_date", nulls_last=False)
        .unique(subset="child_id", keep="last", maintain_order=True)
        .select("child_id", pl.col("match_date").alias("match"), "foster_care")
    )
    return (
        frame.join(placed, on="child_id", how="left")
        .join(ad1, on="child_id", how="left")
        .with_columns(
            pl.coalesce("_placed", "_placement_episode").alias("placed"),
            (
                pl.col("foster_care").fill_null(False)
                | code_expr("_place").is_in(("A5", "A6")).fill_null(False)
            ).alias("foster_carer"),
        )
    )


def _days(frame: pl.DataFrame, start: str, end: pl.Expr) -> pl.DataFrame:
    days = (end - pl.col(start)).dt.total_days()
    known = days.is_not_null()
    return units(
        frame, date=pl.col("poc_end"),
        numerator=pl.when(known).then(days.clip(lower_bound=0)).otherwise(0),
        denominator=known,
    )


@indicator("adoption_a1_days_avg")
def adoption_a1_days_avg(data: CaseData, period: Period) -> pl.DataFrame:
    return _days(_adoptions_in_window(data, period), "entered", pl.col("placed"))


@indicator("adoption_a10_days_avg")
def adoption_a10_days_avg(data: CaseData, period: Period) -> pl.DataFrame:
    # adopted by their foster carers: the clock stops when the child moved in with them
    moved_in = (
        pl.when(pl.col("foster_carer") & pl.col("carers_from").is_not_null())
        .then(pl.min_horizontal("carers_from", "placed"))
        .otherwise(pl.col("placed"))
    )
    return _days(_adoptions_in_window(data, period), "entered", moved_in)


@indicator("adoption_a2_days_avg")
def adoption_a2_days_avg(data: CaseData, period: Period) -> pl.DataFrame:
    return _days(_adoptions_in_window(data, period), "order", pl.col("match"))

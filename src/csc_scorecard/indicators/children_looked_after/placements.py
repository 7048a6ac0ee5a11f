"""Looked-after children: numbers and flows, placement types, placement stability and
placements more than 20 miles from home."""


from __future__ import annotations

import polars as pl

from csc_scorecard.indicators._distance import council_codes, placement_distances
from csc_scorecard.indicators.casedata import per_case_data
from csc_scorecard.indicators.children_looked_after.episodes import (
    FOSTER_PLACEMENTS,
    MILES_LIMIT,
    PLACED_FOR_ADOPTION,
    PLACED_WITH_PARENTS,
    age_expr,
    birth_dates,
    care_periods,
    continuous_since,
    empty_units,
    episodes_at_end,
    optional_table,
    prepared_episodes,
    snapshot_units,
)
from csc_scorecard.indicators.registry import CaseData, indicator, units
from csc_scorecard.periods import Period

# --------------------------------------------------------------------------
# Numbers looked after, starting and ceasing
# --------------------------------------------------------------------------


@indicator("cla_open_count")
def cla_open_count(data: CaseData, period: Period) -> pl.DataFrame:
    """Children looked after at the period end (short breaks excluded)."""
    return snapshot_units(episodes_at_end(data, period), period, pl.lit(1.0), None)


@indicator("cla_starts_count")
def cla_starts_count(data: CaseData, period: Period) -> pl.DataFrame:
    """Children who started a period of care in the period, each counted once (first start)."""
    pocs = care_periods(data)
    started = (
        pocs.filter(pl.col("poc_start").is_between(period.start, period.end))
        .sort(["child_id", "poc_start"])
        .unique(subset="child_id", keep="first", maintain_order=True)
    )
    return units(started, date=pl.col("poc_start"), numerator=pl.lit(1.0))


@indicator("cla_ends_count")
def cla_ends_count(data: CaseData, period: Period) -> pl.DataFrame:
    """Children whose period of care ended in the period, each counted once (last end)."""
    pocs = care_periods(data)
    ended = (
        pocs.filter(pl.col("poc_end").is_between(period.start, period.end))
        .sort(["child_id", "poc_end"])
        .unique(subset="child_id", keep="last", maintain_order=True)
    )
    return units(ended, date=pl.col("poc_end"), numerator=pl.lit(1.0))


@per_case_data
def _asylum_seeker_flags(data: CaseData) -> pl.DataFrame | None:
    """child_id -> asylum_seeker (any row true); None without the column."""
    child = optional_table(data, "child")
    if child is None or "asylum_seeker" not in child.columns:
        return None
    return (
        child.select(pl.col("child_id").cast(pl.Utf8), pl.col("asylum_seeker").cast(pl.Boolean))
        .group_by("child_id")
        .agg(pl.col("asylum_seeker").fill_null(False).any())
    )


@per_case_data
def _uasc_ceased_dates(data: CaseData) -> pl.DataFrame | None:
    """child_id, ceased_uasc_date of the UASC table; None without the column."""
    uasc = optional_table(data, "uasc")
    if uasc is None or "ceased_uasc_date" not in uasc.columns:
        return None
    return uasc.select(pl.col("child_id").cast(pl.Utf8), pl.col("ceased_uasc_date").cast(pl.Date))


@indicator("cla_uasc_count")
def cla_uasc_count(data: CaseData, period: Period) -> pl.DataFrame:
    """Unaccompanied asylum-seeking children looked after at the period end.

    A child counts when the child table marks them an asylum seeker and no
    UASC row records that their UASC status ceased on or before the period end.
    """
    at_end = episodes_at_end(data, period).select("child_id")
    flags = _asylum_seeker_flags(data)
    if flags is None:
        return empty_units()
    ceased = pl.DataFrame(schema={"child_id": pl.Utf8, "uasc_ceased": pl.Boolean})
    uasc = _uasc_ceased_dates(data)
    if uasc is not None:
        ceased = (
            uasc.select(
                "child_id",
                (pl.col("ceased_uasc_date") <= period.end).fill_null(False).alias("uasc_ceased"),
            )
            .group_by("child_id")
            .agg(pl.col("uasc_ceased").any())
        )
    frame = (
        at_end.join(flags, on="child_id", how="inner")
        .join(ceased, on="child_id", how="left")
        .filter(pl.col("asylum_seeker") & ~pl.col("uasc_ceased").fill_null(False))
    )
    return snapshot_units(frame, period, pl.lit(1.0), None)


# --------------------------------------------------------------------------
# Placement type at the period end
# --------------------------------------------------------------------------


def _placement_share(data: CaseData, period: Period, codes: tuple[str, ...]) -> pl.DataFrame:
    at_end = episodes_at_end(data, period)
    return snapshot_units(
        at_end,
        period,
        pl.col("place").is_in(codes).fill_null(False).cast(pl.Float64),
        pl.lit(1.0),
    )


@indicator("cla_foster_pct")
def cla_foster_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after at the period end in a foster placement (U1-U6)."""
    return _placement_share(data, period, FOSTER_PLACEMENTS)


@indicator("cla_placed_with_parents_pct")
def cla_placed_with_parents_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after at the period end placed with parents or others with parental responsibility (P1)."""
    return _placement_share(data, period, PLACED_WITH_PARENTS)


# --------------------------------------------------------------------------
# Placement stability
# --------------------------------------------------------------------------


def placements_in_period(eps: pl.DataFrame, period: Period) -> pl.DataFrame:
    """child_id -> number of placements the child had during the period.

    The placement held on the period's first day counts once (any episode
    that started before the period and was open on its first day); then each
    episode starting in the period that begins a placement counts
    (``new_placement``, see :func:`prepared_episodes`).
    """
    held_at_start = (
        eps.filter(
            (pl.col("start_date") < period.start)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= period.start))
        )
        .select("child_id")
        .unique()
        .with_columns(pl.lit(1, dtype=pl.Int64).alias("held"))
    )
    started = (
        eps.filter(
            pl.col("start_date").is_between(period.start, period.end) & pl.col("new_placement")
        )
        .group_by("child_id")
        .agg(pl.len().cast(pl.Int64).alias("started"))
    )
    return held_at_start.join(started, on="child_id", how="full", coalesce=True).select(
        "child_id",
        (pl.col("held").fill_null(0) + pl.col("started").fill_null(0)).alias("placements"),
    )


@indicator("cla_3plus_placements_pct")
def cla_3plus_placements_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after at the period end with three or more placements during the period."""
    eps = prepared_episodes(data)
    at_end = episodes_at_end(data, period).select("child_id")
    frame = at_end.join(placements_in_period(eps, period), on="child_id", how="left")
    return snapshot_units(
        frame, period, (pl.col("placements").fill_null(0) >= 3).cast(pl.Float64), pl.lit(1.0)
    )


@indicator("cla_longterm_stability_pct")
def cla_longterm_stability_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Aged under 16 and looked after 2.5 years or more at the period end: share with the
    same carers for 2 years or more (an adoptive placement joined to the placement before it).
    """
    eps = prepared_episodes(data)
    end = period.end
    at_end = episodes_at_end(data, period).select("child_id", "poc", "poc_start")
    cohort = at_end.join(birth_dates(data), on="child_id", how="inner").filter(
        (age_expr("birth_date", end) < 16) & (pl.col("poc_start") <= continuous_since(end, 30))
    )
    # Carer spells of the current period of care, up to the period end.
    spells = (
        eps.join(cohort.select("child_id", "poc"), on=["child_id", "poc"], how="inner")
        .filter(pl.col("new_carer") & (pl.col("start_date") <= end))
        .sort(["child_id", "start_date"])
        .group_by("child_id", maintain_order=True)
        .agg(
            pl.col("start_date").last().alias("spell_start"),
            pl.col("place").last().alias("spell_place"),
            pl.col("start_date").shift(1).last().alias("previous_spell_start"),
        )
    )
    stable_since = (
        pl.when(
            pl.col("spell_place").is_in(PLACED_FOR_ADOPTION).fill_null(False)
            & pl.col("previous_spell_start").is_not_null()
        )
        .then(pl.col("previous_spell_start"))
        .otherwise(pl.col("spell_start"))
    )
    frame = cohort.join(spells, on="child_id", how="left").with_columns(
        stable_since.alias("stable_since")
    )
    numerator = (pl.col("stable_since") <= continuous_since(end, 24)).fill_null(False)
    return snapshot_units(frame, period, numerator.cast(pl.Float64), pl.lit(1.0))


# --------------------------------------------------------------------------
# Distance from home
# --------------------------------------------------------------------------


@indicator("cla_20miles_pct")
def cla_20miles_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Local definition: looked after at the period end and placed more than 20 miles from
    home, of those whose distance is known (sources in ``_distance``).

    Children whose distance cannot be found are left out of the denominator.
    """
    frame = placement_distances(data, episodes_at_end(data, period))
    known = pl.col("distance_miles").is_not_null()
    return snapshot_units(
        frame,
        period,
        (known & (pl.col("distance_miles") > MILES_LIMIT)).fill_null(False).cast(pl.Float64),
        known.cast(pl.Float64),
    )


@indicator("cla_20miles_outside_la_pct")
def cla_20miles_outside_la_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """DfE's and LAIT's definition: of all children looked after at the period end, those
    placed more than 20 miles from home and outside the council's boundary.

    A child counts when the distance is over 20 miles and the placement's
    authority is known and is not the council. When no child's distance can
    be found at all, or the placement authority cannot be told for anyone,
    the figure is left empty (denominator 0) rather than shown as 0%.
    """
    frame = placement_distances(data, episodes_at_end(data, period))
    own = council_codes(data)
    place_la = pl.col("placement_la_found")
    outside = place_la.is_not_null() & (place_la != "") & ~place_la.is_in(sorted(own))
    far = (pl.col("distance_miles") > MILES_LIMIT).fill_null(False)
    # without the council's code nothing can be "outside"; without any child both far-or-near
    # and placed-somewhere known, a 0% would only say the data is missing
    judged = frame.filter(pl.col("distance_miles").is_not_null() & place_la.is_not_null())
    usable = judged.height > 0 and bool(own)
    return snapshot_units(
        frame,
        period,
        (far & outside.fill_null(False) & pl.lit(usable)).cast(pl.Float64),
        pl.lit(1.0 if usable else 0.0),
    )



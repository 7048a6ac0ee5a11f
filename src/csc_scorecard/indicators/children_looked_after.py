"""Children looked after: numbers, placement stability, distance, reviews,
health (OC2) and missing.

Every measure here works from the SSDA903 episodes in ``cla_episode`` after
the same preparation (:func:`prepared_episodes`):

* Episodes under legal status V3 or V4 (an agreed series of short breaks)
  are removed first: a child on short breaks is never counted as looked
  after, as in all DfE figures.
* The remaining episodes of each child are put in date order and grouped
  into *periods of care*.  A period of care starts with an episode whose
  reason for new episode (RNE) is ``S``, or with any episode that does not
  follow on from the child's previous episode (a gap between the previous
  end date and this start date, or no previous episode).  It ends with the
  end date of its last episode (null while still open).
* Each episode is flagged ``new_placement`` when it begins a new placement
  for placement-count purposes, and ``new_carer`` when it begins a spell
  with new carers (for long-term stability).  See :func:`prepared_episodes`.

Dates: a child is *looked after at* a date ``d`` when an episode has
``start_date <= d`` and its end date is null or after ``d``.  An episode that
ends on 31 March therefore does not make the child looked after "at 31
March": the child ceased during the year, exactly as in the DfE counts
(which take those at 31 March from episodes with no end date in the year's
return).  "Looked after continuously for N months at ``d``" means the period
of care started on or before ``(d + 1 day) - N months`` - for 31 March 2025
and 12 months that is 1 April 2024, a full twelve months by the end of 31
March.

History: a 903 return holds only the episodes open during its year, so with
a single year loaded a period of care that began earlier is seen from its
earliest recorded episode.  The numbers, flows, 3+ placements, OC2 cohort
(12 months) and missing measures are unaffected; long-term stability (2.5
years in care, 2 years with the same carers) needs the returns of the two or
three years before loaded too, or it under-counts its cohort.  The reviews
measure copes with short review history (see :func:`reviews_on_time`).
"""

from __future__ import annotations

import calendar
import datetime as dt

import polars as pl

from csc_scorecard.indicators._distance import council_codes, placement_distances
from csc_scorecard.indicators.casedata import per_case_data
from csc_scorecard.indicators.registry import CaseData, indicator, units
from csc_scorecard.periods import Period
from csc_scorecard.workdays import WorkdaysCoverageError, add_working_days

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


def _table(data: CaseData, name: str) -> pl.DataFrame | None:
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
    child = _table(data, "child")
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


def _cached(data: CaseData, key: tuple, make) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    cache = _period_cache(data)
    if key not in cache:
        cache[key] = make()
    return cache[key]


@per_case_data
def _periods_of_care(data: CaseData) -> pl.DataFrame:
    return periods_of_care(prepared_episodes(data))


def _at_end(data: CaseData, period: Period) -> pl.DataFrame:
    """The episode each child was in at the period end (shared: treat as read-only)."""
    day = period.end
    return _cached(
        data, ("looked_after_at", day), lambda: looked_after_at(prepared_episodes(data), day)
    )


def _snapshot_units(
    frame: pl.DataFrame, period: Period, numerator: pl.Expr, denominator: pl.Expr | None
) -> pl.DataFrame:
    return units(frame, date=pl.lit(period.end), numerator=numerator, denominator=denominator)


# --------------------------------------------------------------------------
# Numbers looked after, starting and ceasing
# --------------------------------------------------------------------------


@indicator("cla_open_count")
def cla_open_count(data: CaseData, period: Period) -> pl.DataFrame:
    """Children looked after at the period end (short breaks excluded)."""
    return _snapshot_units(_at_end(data, period), period, pl.lit(1.0), None)


@indicator("cla_starts_count")
def cla_starts_count(data: CaseData, period: Period) -> pl.DataFrame:
    """Children who started a period of care in the period, each counted once (first start)."""
    pocs = _periods_of_care(data)
    started = (
        pocs.filter(pl.col("poc_start").is_between(period.start, period.end))
        .sort(["child_id", "poc_start"])
        .unique(subset="child_id", keep="first", maintain_order=True)
    )
    return units(started, date=pl.col("poc_start"), numerator=pl.lit(1.0))


@indicator("cla_ends_count")
def cla_ends_count(data: CaseData, period: Period) -> pl.DataFrame:
    """Children whose period of care ended in the period, each counted once (last end)."""
    pocs = _periods_of_care(data)
    ended = (
        pocs.filter(pl.col("poc_end").is_between(period.start, period.end))
        .sort(["child_id", "poc_end"])
        .unique(subset="child_id", keep="last", maintain_order=True)
    )
    return units(ended, date=pl.col("poc_end"), numerator=pl.lit(1.0))


@per_case_data
def _asylum_seeker_flags(data: CaseData) -> pl.DataFrame | None:
    """child_id -> asylum_seeker (any row true); None without the column."""
    child = _table(data, "child")
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
    uasc = _table(data, "uasc")
    if uasc is None or "ceased_uasc_date" not in uasc.columns:
        return None
    return uasc.select(pl.col("child_id").cast(pl.Utf8), pl.col("ceased_uasc_date").cast(pl.Date))


@indicator("cla_uasc_count")
def cla_uasc_count(data: CaseData, period: Period) -> pl.DataFrame:
    """Unaccompanied asylum-seeking children looked after at the period end.

    A child counts when the child table marks them an asylum seeker and no
    UASC row records that their UASC status ceased on or before the period end.
    """
    at_end = _at_end(data, period).select("child_id")
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
    return _snapshot_units(frame, period, pl.lit(1.0), None)


# --------------------------------------------------------------------------
# Placement type at the period end
# --------------------------------------------------------------------------


def _placement_share(data: CaseData, period: Period, codes: tuple[str, ...]) -> pl.DataFrame:
    at_end = _at_end(data, period)
    return _snapshot_units(
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
    at_end = _at_end(data, period).select("child_id")
    frame = at_end.join(placements_in_period(eps, period), on="child_id", how="left")
    return _snapshot_units(
        frame, period, (pl.col("placements").fill_null(0) >= 3).cast(pl.Float64), pl.lit(1.0)
    )


@indicator("cla_longterm_stability_pct")
def cla_longterm_stability_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Aged under 16 and looked after 2.5 years or more at the period end: share with the
    same carers for 2 years or more (an adoptive placement joined to the placement before it).
    """
    eps = prepared_episodes(data)
    end = period.end
    at_end = _at_end(data, period).select("child_id", "poc", "poc_start")
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
    return _snapshot_units(frame, period, numerator.cast(pl.Float64), pl.lit(1.0))


# --------------------------------------------------------------------------
# Distance from home
# --------------------------------------------------------------------------


@indicator("cla_20miles_pct")
def cla_20miles_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Local definition: looked after at the period end and placed more than 20 miles from
    home, of those whose distance is known (sources in ``_distance``).

    Children whose distance cannot be found are left out of the denominator.
    """
    frame = placement_distances(data, _at_end(data, period))
    known = pl.col("distance_miles").is_not_null()
    return _snapshot_units(
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
    frame = placement_distances(data, _at_end(data, period))
    own = council_codes(data)
    place_la = pl.col("placement_la_found")
    outside = place_la.is_not_null() & (place_la != "") & ~place_la.is_in(sorted(own))
    far = (pl.col("distance_miles") > MILES_LIMIT).fill_null(False)
    # without the council's code nothing can be "outside"; without any child both far-or-near
    # and placed-somewhere known, a 0% would only say the data is missing
    judged = frame.filter(pl.col("distance_miles").is_not_null() & place_la.is_not_null())
    usable = judged.height > 0 and bool(own)
    return _snapshot_units(
        frame,
        period,
        (far & outside.fill_null(False) & pl.lit(usable)).cast(pl.Float64),
        pl.lit(1.0 if usable else 0.0),
    )


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
        _at_end(data, period)
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
    return _snapshot_units(frame, period, pl.col("on_time"), pl.lit(1.0))


# --------------------------------------------------------------------------
# Health (OC2 cohort)
# --------------------------------------------------------------------------


def oc2_cohort(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after at the period end and continuously for 12 months or more, with their
    OC2 row (if any) and birth date.

    Found once per CaseData and period (shared: treat as read-only).
    """
    return _cached(data, ("oc2_cohort", period), lambda: _oc2_cohort(data, period))


def _oc2_cohort(data: CaseData, period: Period) -> pl.DataFrame:
    cohort = (
        _at_end(data, period)
        .filter(pl.col("poc_start") <= continuous_since(period.end, 12))
        .select("child_id")
    )
    oc2 = data["health_outcome"]
    wanted = [
        c
        for c in ("sdq_score", "health_assessment", "teeth_check", "immunisations", "birth_date")
        if c in oc2.columns
    ]
    year = (
        pl.col("collection_year").cast(pl.Utf8)
        if "collection_year" in oc2.columns
        else pl.lit(None, dtype=pl.Utf8)
    )
    # Several years' returns: prefer the return of the period's financial
    # year, then the latest return, then the last row.
    oc2 = (
        oc2.select(
            pl.col("child_id").cast(pl.Utf8),
            *[pl.col(c) for c in wanted],
            (year == period.financial_year).fill_null(False).alias("_this_year"),
            year.alias("_year"),
        )
        .rename({"birth_date": "oc2_birth_date"} if "birth_date" in wanted else {})
        .sort(["_this_year", "_year"], nulls_last=False, maintain_order=True)
        .unique(subset="child_id", keep="last", maintain_order=True)
        .drop("_this_year", "_year")
    )
    frame = cohort.join(oc2, on="child_id", how="left").join(
        birth_dates(data), on="child_id", how="left"
    )
    if "oc2_birth_date" in frame.columns:
        frame = frame.with_columns(
            pl.coalesce("birth_date", pl.col("oc2_birth_date").cast(pl.Date)).alias("birth_date")
        )
    return frame


def _oc2_flag(data: CaseData, period: Period, flag: str) -> pl.DataFrame:
    frame = oc2_cohort(data, period)
    numerator = (
        pl.col(flag).cast(pl.Boolean).fill_null(False) if flag in frame.columns else pl.lit(False)
    )
    return _snapshot_units(frame, period, numerator.cast(pl.Float64), pl.lit(1.0))


@indicator("cla_health_check_pct")
def cla_health_check_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort: share whose annual health assessment was up to date.

    OC2's HEALTH_ASSESSMENT, not HEALTH_CHECK: the latter is the health
    promotion (development) check of under-5s (DfE rules 545/546).
    """
    return _oc2_flag(data, period, "health_assessment")


@indicator("cla_dental_check_pct")
def cla_dental_check_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort: share who had their teeth checked by a dentist."""
    return _oc2_flag(data, period, "teeth_check")


@indicator("cla_immunisations_pct")
def cla_immunisations_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort: share whose immunisations were up to date."""
    return _oc2_flag(data, period, "immunisations")


def _sdq_cohort(data: CaseData, period: Period) -> pl.DataFrame:
    frame = oc2_cohort(data, period)
    age = age_expr("birth_date", period.end)
    return frame.filter(age.is_between(5, 16).fill_null(False))


@indicator("cla_sdq_pct")
def cla_sdq_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort aged 5 to 16 at the period end: share with an SDQ score recorded."""
    frame = _sdq_cohort(data, period)
    has_score = pl.col("sdq_score").is_not_null() if "sdq_score" in frame.columns else pl.lit(False)
    return _snapshot_units(frame, period, has_score.cast(pl.Float64), pl.lit(1.0))


@indicator("cla_sdq_avg_score")
def cla_sdq_avg_score(data: CaseData, period: Period) -> pl.DataFrame:
    """OC2 cohort aged 5 to 16 with an SDQ score: average score (sum of scores / children)."""
    frame = _sdq_cohort(data, period)
    if "sdq_score" not in frame.columns:
        return empty_units()
    frame = frame.filter(pl.col("sdq_score").is_not_null())
    return _snapshot_units(frame, period, pl.col("sdq_score").cast(pl.Float64), pl.lit(1.0))


# --------------------------------------------------------------------------
# Missing and away from placement
# --------------------------------------------------------------------------


@per_case_data
def _missing_episodes(data: CaseData) -> pl.DataFrame:
    return data["missing_episode"].select(
        pl.col("child_id").cast(pl.Utf8),
        code_expr("kind").alias("kind"),
        pl.col("start_date").cast(pl.Date),
        pl.col("end_date").cast(pl.Date),
    )


def _missing_share(data: CaseData, period: Period, kind: str) -> pl.DataFrame:
    during = _cached(
        data,
        ("looked_after_during", period.start, period.end),
        lambda: looked_after_during(prepared_episodes(data), period),
    )
    episodes = _missing_episodes(data)
    had = (
        episodes.filter(
            (pl.col("kind") == kind)
            & (pl.col("start_date") <= period.end)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= period.start))
        )
        .select("child_id")
        .unique()
        .with_columns(pl.lit(True).alias("had"))
    )
    frame = during.join(had, on="child_id", how="left")
    return _snapshot_units(
        frame, period, pl.col("had").fill_null(False).cast(pl.Float64), pl.lit(1.0)
    )


@indicator("cla_missing_pct")
def cla_missing_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after during the period: share with a missing episode (kind M) in the period."""
    return _missing_share(data, period, "M")


@indicator("cla_away_pct")
def cla_away_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Looked after during the period: share away from placement without authorisation
    (kind A) in the period."""
    return _missing_share(data, period, "A")

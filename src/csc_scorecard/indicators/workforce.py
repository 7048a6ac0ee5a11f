"""Social work workforce, from the council's own workforce snapshots.

One row of ``workforce_snapshot`` is a team's position on a snapshot date:
FTE children and family social workers employed by the council and in post
(``fte_in_post``, agency workers *not* included), agency FTE, vacant FTE,
FTE who left since the previous snapshot (``leavers_fte``) and cases held.

Every measure reads the snapshot at the latest snapshot date *within* the
period (all teams' rows at that date).  A period with no snapshot gives no
units, hence no figure: an older snapshot is never carried forward into a
period it does not describe.  The unit is the team, so the engine can roll
teams up to areas; each team's figure is ``sum(numerator) / sum(denominator)``.

DfE's definitions (children's social work workforce census, 30 September)
are followed with our snapshot in place of 30 September:

* caseload: cases / FTE of case-holding social workers, agency included
  (we cannot tell which workers hold cases, so all FTE in post and agency
  FTE count);
* agency rate: agency FTE / (agency FTE + FTE in post);
* vacancy rate: vacancy FTE / (vacancy FTE + FTE in post);
* turnover rate: FTE leavers in the period (the sum of ``leavers_fte`` over
  all snapshots dated in the period) / FTE in post at the latest snapshot.
  Over a year this is DfE's annual rate; over a quarter it is the quarter's
  turnover, not annualised.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.indicators.casedata import per_case_data
from csc_scorecard.indicators.registry import CaseData, indicator, units
from csc_scorecard.periods import Period

_VALUES = ("fte_in_post", "agency_fte", "vacancy_fte", "leavers_fte", "cases")


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "team": pl.Utf8,
            "date": pl.Date,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
        }
    )


@per_case_data
def _snapshots(data: CaseData) -> pl.DataFrame:
    """The snapshot rows with a team, typed (once per CaseData)."""
    snaps = data["workforce_snapshot"]
    return snaps.select(
        pl.col("team").cast(pl.Utf8),
        pl.col("snapshot_date").cast(pl.Date),
        *[pl.col(c).cast(pl.Float64) for c in _VALUES if c in snaps.columns],
    ).filter(pl.col("team").is_not_null())


@per_case_data
def _latest_by_period(data: CaseData) -> dict[Period, pl.DataFrame]:
    return {}


def _in_period(data: CaseData, period: Period) -> pl.DataFrame:
    return _snapshots(data).filter(pl.col("snapshot_date").is_between(period.start, period.end))


def latest_snapshot(data: CaseData, period: Period) -> pl.DataFrame:
    """Each team's row at the latest snapshot date in the period (empty if none).

    Found once per CaseData and period (shared: treat as read-only).
    """
    cache = _latest_by_period(data)
    if period not in cache:
        cache[period] = _latest_snapshot(data, period)
    return cache[period]


def _latest_snapshot(data: CaseData, period: Period) -> pl.DataFrame:
    snaps = _in_period(data, period)
    if snaps.is_empty():
        return snaps
    latest = snaps.get_column("snapshot_date").max()
    # A team listed twice on the same date: add its rows together (a value
    # recorded on none of them stays null).
    return (
        snaps.filter(pl.col("snapshot_date") == latest)
        .group_by(["team", "snapshot_date"], maintain_order=True)
        .agg(
            pl.when(pl.col(c).count() > 0).then(pl.col(c).sum()).alias(c)
            for c in _VALUES
            if c in snaps.columns
        )
    )


def _fte(col: str) -> pl.Expr:
    return pl.col(col).fill_null(0.0)


def _team_units(frame: pl.DataFrame, numerator: pl.Expr, denominator: pl.Expr) -> pl.DataFrame:
    if frame.is_empty():
        return _empty()
    return units(
        frame,
        date=pl.col("snapshot_date"),
        numerator=numerator,
        denominator=denominator,
        key="team",
    )


@indicator("sw_caseload_avg")
def sw_caseload_avg(data: CaseData, period: Period) -> pl.DataFrame:
    """Average cases per FTE social worker (agency included) at the latest snapshot."""
    frame = latest_snapshot(data, period)
    if frame.is_empty():
        return _empty()
    # A team with no caseload recorded says nothing about caseloads: leave it out.
    frame = frame.filter(pl.col("cases").is_not_null())
    return _team_units(frame, pl.col("cases"), _fte("fte_in_post") + _fte("agency_fte"))


@indicator("sw_agency_pct")
def sw_agency_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Agency FTE as a share of agency FTE plus FTE in post, at the latest snapshot."""
    frame = latest_snapshot(data, period)
    return _team_units(frame, _fte("agency_fte"), _fte("agency_fte") + _fte("fte_in_post"))


@indicator("sw_vacancy_pct")
def sw_vacancy_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Vacant FTE as a share of vacant FTE plus FTE in post, at the latest snapshot."""
    frame = latest_snapshot(data, period)
    return _team_units(frame, _fte("vacancy_fte"), _fte("vacancy_fte") + _fte("fte_in_post"))


@indicator("sw_turnover_pct")
def sw_turnover_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """FTE leavers over the period as a share of FTE in post at the latest snapshot."""
    snaps = _in_period(data, period)
    latest = latest_snapshot(data, period)
    if latest.is_empty():
        return _empty()
    leavers = snaps.group_by("team").agg(_fte("leavers_fte").sum().alias("leavers"))
    in_post = latest.select("team", "snapshot_date", _fte("fte_in_post").alias("in_post"))
    # Teams with leavers but no row at the latest date (e.g. a team merged away)
    # still count their leavers; they add nothing to the FTE in post.
    frame = in_post.join(leavers, on="team", how="full", coalesce=True).with_columns(
        pl.col("snapshot_date").fill_null(latest.get_column("snapshot_date").max())
    )
    return _team_units(frame, _fte("leavers"), _fte("in_post"))

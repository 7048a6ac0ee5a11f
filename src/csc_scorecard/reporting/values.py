"""The one set of stored results a report is built from.

:class:`ResultSet` reads the council's stored indicator values for the
report's periods once (whole council and areas), applies publication-mode
suppression to all of them in one pass (:func:`csc_scorecard.rating.suppression.suppress`,
grouped by indicator and period, the council total counting as one of the
group), and answers every figure the report shows.  The scorecard (RAG,
direction, targets, benchmarks) is given the same values through
:meth:`ResultSet.provider`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from csc_scorecard.periods import Period
from csc_scorecard.rating.suppression import TOTAL_AREA, suppress

__all__ = ["Figure", "ReportError", "ResultSet", "resolve_la_code"]


class ReportError(RuntimeError):
    """The report cannot be produced (a clear message for the user)."""


@dataclass(frozen=True)
class Figure:
    """One stored figure with its display text (``c`` when suppressed)."""

    indicator_id: str
    period: str
    area: str
    numerator: float | None
    denominator: float | None
    value: float | None
    hidden: bool
    numerator_display: str
    denominator_display: str
    value_display: str


def resolve_la_code(la_code: str | None) -> str:
    """The council whose results are reported: the one council rule
    (csc_scorecard.services.council), checked against the stored results."""
    from csc_scorecard.services.council import CouncilNotChosen
    from csc_scorecard.services.results import NoResults, results_council

    try:
        return results_council(la_code)
    except (CouncilNotChosen, NoResults) as exc:
        raise ReportError(str(exc)) from None


class ResultSet:
    def __init__(self, frame: pl.DataFrame, *, la_code: str, units: Mapping[str, tuple[str, int]],
                 publication: bool) -> None:
        self.la_code = la_code
        self.publication = publication
        # the freeze (services.freeze.FreezeInfo) the figures come from, None when live
        self.freeze: Any = None
        self.units = dict(units)
        self.computed_at: dt.datetime | None = (
            frame["computed_at"].max() if "computed_at" in frame.columns and frame.height else None
        )
        self._figures: dict[tuple[str, str, str], Figure] = {}
        # (period, area or TOTAL_AREA) -> the 0-17 population the rates there used, or why empty
        self.population_notes: dict[tuple[str, str], str] = {}
        self._areas: dict[tuple[str, str], list[str]] = {}
        if frame.height == 0:
            return
        rows = frame.select(
            "indicator_id", "period", "breakdown", "breakdown_value",
            "numerator", "denominator", "value",
        ).to_dicts()
        for r in rows:
            r["area"] = TOTAL_AREA if r["breakdown"] == "all" else r["breakdown_value"]
            unit, decimals = self.units.get(r["indicator_id"], ("count", 0))
            r["unit"], r["decimals"] = unit, decimals
        table = pl.DataFrame(
            [{k: r[k] for k in ("indicator_id", "period", "area", "numerator", "denominator",
                                "value", "unit", "decimals")} for r in rows],
            schema={"indicator_id": pl.String, "period": pl.String, "area": pl.String,
                    "numerator": pl.Float64, "denominator": pl.Float64, "value": pl.Float64,
                    "unit": pl.String, "decimals": pl.Int64},
        )
        if publication:
            shown = suppress(table, redact=False)
        else:  # display strings only, nothing hidden
            shown = suppress(table, redact=False, low=1, high=0)
        for r in shown.iter_rows(named=True):
            key = (r["indicator_id"], r["period"], r["area"])
            self._figures[key] = Figure(
                r["indicator_id"], r["period"], r["area"], r["numerator"], r["denominator"],
                r["value"], bool(r["suppressed"]), r["numerator_display"],
                r["denominator_display"], r["value_display"],
            )
            if r["area"] != TOTAL_AREA:
                self._areas.setdefault((r["indicator_id"], r["period"]), []).append(r["area"])

    # ------------------------------------------------------------------
    @classmethod
    def from_store(cls, periods: Iterable[Period], *, la_code: str | None, publication: bool,
                   units: Mapping[str, tuple[str, int]], context: Period | None = None) -> ResultSet:
        """The stored figures of the periods; ``context`` is the report's period: when its
        year is frozen, the figures come from the freeze (services.results decides)."""
        from csc_scorecard.services.council import CouncilNotChosen
        from csc_scorecard.services.results import (
            NoResults,
            council_values,
            freeze_for,
            stored_population_notes,
        )

        periods = list(periods)
        try:
            code, frame = council_values(periods, la_code=la_code, breakdowns=["all", "area"],
                                         context=context)
        except (CouncilNotChosen, NoResults) as exc:
            raise ReportError(str(exc)) from None
        result = cls(frame, la_code=code, units=units, publication=publication)
        if context is not None:
            result.freeze = freeze_for(context, code)
        result.population_notes = stored_population_notes(periods, la_code=code)
        return result

    def population_note(self, period: str, area: str = TOTAL_AREA) -> str:
        """The 0-17 population a stored rate of ``period`` in ``area`` used, or why it is empty."""
        return self.population_notes.get((period, area), "")

    # ------------------------------------------------------------------
    def figure(self, indicator_id: str, period: str, area: str = TOTAL_AREA) -> Figure | None:
        return self._figures.get((indicator_id, period, area))

    def has_period(self, period: str) -> bool:
        return any(k[1] == period for k in self._figures)

    def areas(self, indicator_id: str, periods: Iterable[str]) -> list[str]:
        """Areas with a figure in any of the periods; known areas first, 'not known'/'Unallocated' last."""
        seen: set[str] = set()
        for p in periods:
            seen.update(self._areas.get((indicator_id, p), []))
        last = ("Unallocated", "Area not known")
        return sorted(seen, key=lambda a: (a in last, a.lower()))

    def provider(self, period: Period, by: str | None) -> pl.DataFrame:
        """build_scorecard's values provider over the same figures (council rows; areas with by='area')."""
        rows: list[dict[str, Any]] = []
        for (ind, per, area), f in self._figures.items():
            if per != period.label or (area != TOTAL_AREA and by != "area"):
                continue
            rows.append({"indicator_id": ind, "area": area, "numerator": f.numerator,
                         "denominator": f.denominator, "value": f.value})
        return pl.DataFrame(rows, schema={"indicator_id": pl.String, "area": pl.String,
                                          "numerator": pl.Float64, "denominator": pl.Float64,
                                          "value": pl.Float64})

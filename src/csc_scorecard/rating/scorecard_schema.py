"""What a scorecard is made of: the provider types, its error, indicator metadata
(from the catalogue or the values), and the columns of the rated and displayed frames.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.periods import Period
from csc_scorecard.rating.numbers import normalise_polarity

ValuesProvider = Callable[[Period, "str | None"], "pl.DataFrame | None"]
BenchmarksProvider = Callable[[Period], "pl.DataFrame | None"]


class ScorecardError(RuntimeError):
    """The scorecard cannot be built (a clear message for the user)."""


@dataclass(frozen=True)
class IndicatorMeta:
    id: str
    title: str
    unit: str
    polarity: str
    decimals: int


SCORECARD_SCHEMA: dict[str, Any] = {
    "priority_id": pl.String,
    "priority": pl.String,
    "indicator_id": pl.String,
    "title": pl.String,
    "area": pl.String,
    "period": pl.String,
    "unit": pl.String,
    "polarity": pl.String,
    "decimals": pl.Int64,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "value_display": pl.String,
    "num_den": pl.String,
    "target": pl.Float64,
    "target_display": pl.String,
    "tolerance_display": pl.String,
    "rag": pl.String,
    "rag_label": pl.String,
    "direction": pl.String,
    "direction_label": pl.String,
    "previous_period": pl.String,
    "previous_value": pl.Float64,
    "previous_display": pl.String,
    "change": pl.Float64,
    "change_unit": pl.String,
    "change_display": pl.String,
    "sn_average": pl.Float64,
    "sn_display": pl.String,
    "england": pl.Float64,
    "england_display": pl.String,
    "benchmark_period": pl.String,
    "suppressed": pl.Boolean,
}

#: column -> heading of the human-readable scorecard (CSV and table)
DISPLAY_COLUMNS: dict[str, str] = {
    "priority": "Priority",
    "title": "Indicator",
    "area": "Area",
    "value_display": "Value",
    "num_den": "Numerator/denominator",
    "target_display": "Target",
    "rag_label": "RAG",
    "direction_label": "Direction",
    "previous_display": "Previous",
    "change_display": "Change",
    "sn_display": "SN average",
    "england_display": "England",
}


# --------------------------------------------------------------------------
# Indicator metadata
# --------------------------------------------------------------------------


def _meta_from(indicator_id: str, source: Any) -> IndicatorMeta:
    """Metadata from a catalogue entry, or from what a values row says about itself.

    Unit and decimals are never guessed from the id: an indicator the catalogue
    lacks must bring them with its values, else it is an error.
    """
    get = source.get if isinstance(source, Mapping) else (lambda k, d=None: getattr(source, k, d))
    unit, decimals = get("unit", None), get("decimals", None)
    if unit is None or decimals is None:
        raise ScorecardError(
            f"indicator {indicator_id!r} is not in the indicator catalogue and its values give "
            "no unit and decimals; add it to the catalogue or recompute the stored results"
        )
    try:
        return IndicatorMeta(
            indicator_id,
            get("title", None) or indicator_id,
            Unit.parse(unit),
            normalise_polarity(get("polarity", None) or Polarity.CONTEXTUAL),
            int(decimals),
        )
    except ValueError as exc:
        raise ScorecardError(f"indicator {indicator_id!r}: {exc}") from None


def _catalogue_meta() -> dict[str, Any]:
    # A broken catalogue is an error the user must see (CatalogueError names file and line).
    from csc_scorecard.indicators.catalogue import get_catalogue

    return {e.id: e for e in get_catalogue()}

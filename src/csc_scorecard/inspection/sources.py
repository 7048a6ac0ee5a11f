"""The figures a self-evaluation reads: the council's stored results and the
published figures of the councils in its region.

:class:`StoredFigureSource` is the :class:`~csc_scorecard.inspection.figures.FigureSource`
of a real document.  Stored values are read through the one results reader
(csc_scorecard.services.results); the region's published figures come from the benchmarks reference
data (the imported files or the shipped snapshot) via measures.yml.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.inspection.figures import Peers, StoredFigure
from csc_scorecard.services.rolling_figures import RollingFigures, rolling_labels

__all__ = ["StoredFigureSource", "region_peers"]


def _read_values(la_code: str) -> pl.DataFrame:
    from csc_scorecard.services.results import stored_values

    return stored_values(la_code=la_code, breakdown="all")


def region_peers(indicator_id: str, year: str, la_code: str,
                 neighbours_like: str | None = None) -> Peers | None:
    """Published values of the other councils in ``la_code``'s region for ``year``.

    A council that DfE does not publish (the synthetic demo council) takes
    the region of ``neighbours_like``.  None when the indicator has no
    published figure or nothing is published for the year.
    """
    from csc_scorecard.benchmarks import reference as ref
    from csc_scorecard.benchmarks.mapping import load_mapping
    from csc_scorecard.benchmarks.paths import reference_file

    mapping = load_mapping()
    spec = mapping.indicators.get(indicator_id)
    path = reference_file(ref.MEASURES_FILE, None)
    if spec is None or path is None:
        return None
    rows = (
        pl.scan_parquet(path)
        .filter(pl.col("measure_id") == spec.published.measure_id,
                pl.col("geographic_level") == ref.LEVEL_LA)
        .select("la_code", "region_code", "region_name", "year", "value", "source_file")
        .collect()
    )
    placed = rows.filter(pl.col("region_code").is_not_null())
    own = placed.filter(pl.col("la_code") == la_code).sort("year")
    if own.height == 0 and neighbours_like:  # not published: the borrowed council's region
        own = placed.filter(pl.col("la_code") == neighbours_like).sort("year")
    if own.height == 0:
        return None
    region_code, region_name = own["region_code"][-1], own["region_name"][-1]
    year_rows = rows.filter(pl.col("year") == year, pl.col("region_code") == region_code,
                            pl.col("la_code") != la_code).unique("la_code", keep="first")
    if year_rows.height == 0:
        return None
    values = year_rows["value"].to_list()
    if spec.transform == "complement":
        values = [None if v is None else 100.0 - v for v in values]
    name = region_name or region_code
    source = f"DfE published figures {year}, {year_rows['source_file'][0]}"
    return Peers(f"the {name}" if name.lower().startswith(("south", "north", "east", "west"))
                 else name, dict(zip(year_rows["la_code"].to_list(), values, strict=True)), source)


class StoredFigureSource:
    """The council's stored figures (council totals) and its region's published ones.

    Rolling periods (R3, R6, R12) that are not stored are worked out when asked
    (csc_scorecard.services.rolling_figures), for windows whose every month is stored.
    """

    def __init__(self, la_code: str, neighbours_like: str | None = None) -> None:
        self.la_code = la_code
        self.neighbours_like = neighbours_like
        frame = _read_values(la_code)
        self._values = {
            (r["indicator_id"], r["period"]): StoredFigure(r["value"], r["numerator"], r["denominator"])
            for r in frame.iter_rows(named=True)
        }
        self._computed = frame["computed_at"].max() if frame.height else None
        self._rolling: RollingFigures | None = None

    @property
    def computed_at(self):  # noqa: ANN201 - a datetime or None
        return self._computed

    def figure(self, indicator_id: str, period: str) -> StoredFigure | None:
        stored = self._values.get((indicator_id, period))
        if stored is not None or period not in self._rolling_labels(indicator_id):
            return stored
        if self._rolling is None:
            self._rolling = RollingFigures(self.la_code)
        got = self._rolling.figure(indicator_id, period)
        return None if got is None else StoredFigure(*got)

    def _stored_periods(self, indicator_id: str) -> list[str]:
        return [p for (i, p) in self._values if i == indicator_id]

    def _rolling_labels(self, indicator_id: str) -> list[str]:
        return rolling_labels(set(self._stored_periods(indicator_id)))

    def periods(self, indicator_id: str) -> list[str]:
        stored = self._stored_periods(indicator_id)
        return list(dict.fromkeys([*stored, *self._rolling_labels(indicator_id)]))

    def peers(self, indicator_id: str, year: str, group: str) -> Peers | None:
        return region_peers(indicator_id, year, self.la_code, self.neighbours_like)

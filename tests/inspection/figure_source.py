"""A small in-memory FigureSource for the tests: the figures are written by each test."""

from __future__ import annotations

from csc_scorecard.inspection.figures import Peers, StoredFigure


class MemorySource:
    def __init__(self, values: dict[tuple[str, str], float | None],
                 peers: dict[tuple[str, str], dict[str, float | None]] | None = None) -> None:
        self.values = values
        self._peers = peers or {}

    def figure(self, indicator_id: str, period: str) -> StoredFigure | None:
        if (indicator_id, period) not in self.values:
            return None
        return StoredFigure(self.values[(indicator_id, period)], None, None)

    def periods(self, indicator_id: str) -> list[str]:
        return [p for (i, p) in self.values if i == indicator_id]

    def peers(self, indicator_id: str, year: str, group: str) -> Peers | None:
        found = self._peers.get((indicator_id, year))
        return None if found is None else Peers("the South West", found, "test figures")

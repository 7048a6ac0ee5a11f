"""Rolling-period figures (R3, R6, R12) worked out when a document asks for one.

The recompute stores years, quarters and months only. Storing the three
rolling periods for every month end as well would add 36 periods a year to
the 17 it computes now (a recompute more than three times as long, and three
times the stored values) for figures that only self-evaluations and
inspection packs read, a handful at a time. So a rolling figure is computed
on demand, here, by the indicator engine over the council's current case data
(the same function and rules as the stored figures), and kept while the data
is unchanged (services.page_cache). docs/self-evaluation.md says why.

A rolling period is offered only when every month in it has a stored month
figure for the indicator: "the last 3 months" never silently covers a month
the returns do not reach.
"""

from __future__ import annotations

from typing import Any

from csc_scorecard.periods import Period, PeriodError, PeriodKind, parse_period

__all__ = ["ROLLING", "RollingFigures", "rolling_labels"]

ROLLING = (3, 6, 12)
_KINDS = (PeriodKind.R3, PeriodKind.R6, PeriodKind.R12)


def rolling_labels(stored_months: set[str]) -> list[str]:
    """The R3/R6/R12 labels whose every month is among ``stored_months`` (month labels)."""
    out = []
    for label in sorted(stored_months):
        try:
            month = parse_period(label)
        except PeriodError:
            continue
        if month.kind is not PeriodKind.MONTH:
            continue
        for n in ROLLING:
            window = Period.rolling(n, month.end.year, month.end.month)
            if {m.label for m in window.months()} <= stored_months:
                out.append(window.label)
    return out


class RollingFigures:
    """One council's rolling figures; its case data is loaded at most once, when first needed."""

    def __init__(self, la_code: str) -> None:
        self.la_code = la_code
        self._data: Any = None

    def _case_data(self) -> Any:
        if self._data is None:
            from csc_scorecard.indicators.casedata import load_case_data

            self._data = load_case_data(self.la_code or None)
        return self._data

    def figure(self, indicator_id: str, label: str) -> tuple[float | None, float | None, float | None] | None:
        """(value, numerator, denominator) for the council as a whole; None when not rolling
        or the engine gives no row."""
        try:
            period = parse_period(label)
        except PeriodError:
            return None
        if period.kind not in _KINDS:
            return None
        from csc_scorecard.services.page_cache import remember

        return remember("rolling-figure", (self.la_code, indicator_id, period.label),
                        lambda: self._compute(indicator_id, period))

    def _compute(self, indicator_id: str, period: Period):  # noqa: ANN202 - a figure tuple or None
        from csc_scorecard.indicators.engine import compute

        frame = compute(self._case_data(), [period], [indicator_id], breakdowns=("all",))
        rows = frame.filter(frame["breakdown"] == "all").to_dicts()
        if not rows:
            return None
        row = rows[0]
        return row["value"], row["numerator"], row["denominator"]

"""Recompute: which years are stale, and recomputing only those.

Each council's figures are kept per financial year together with what they
were computed from (results.ComputedYear; the rule is in
csc_scorecard.results.provenance). A year is stale when it was never
computed, or when its submissions, its population (set by hand, or the ONS
estimate of the imported reference data) or the catalogue changed since.

- :func:`stale_years` / :func:`stale_summary`: what is stale and why (``status``);
- :func:`recompute`: recompute the stale years (or one year asked for);
- :func:`recompute_after_ingest`: what an ingest calls once it stored something.

Django must be configured, and the schema migrated (these write).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from csc_scorecard.periods import Period, parse_period
from csc_scorecard.progress import Progress, as_progress

__all__ = [
    "RecomputeSummary",
    "StaleYear",
    "recompute",
    "recompute_after_ingest",
    "stale_summary",
    "stale_years",
]


@dataclass(frozen=True)
class StaleYear:
    la_code: str
    year: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        who = f" (LA {self.la_code})" if self.la_code else ""
        return f"results for {self.year}{who} are stale: {'; '.join(self.reasons)}"


@dataclass
class RecomputeSummary:
    la_code: str
    years: dict[str, list[str]] = field(default_factory=dict)  # year -> why it was recomputed
    rows: int = 0

    def __str__(self) -> str:
        who = f"LA {self.la_code}" if self.la_code else "the council"
        if not self.years:
            return f"{who}: nothing is stale; no figures recomputed"
        years = ", ".join(self.years)
        return f"{who}: recomputed {years} ({self.rows:,} values)"


def _councils(la_code: str | None) -> list[str]:
    """The chosen council, or every council in the store when none is chosen."""
    from csc_scorecard.services.council import CouncilNotChosen, choose_council, stored_councils

    try:
        return [choose_council(la_code).la_code]
    except CouncilNotChosen:
        return stored_councils()


def _years_of(la_code: str) -> list[str]:
    from csc_scorecard.indicators.results import covered_financial_years

    return covered_financial_years(la_code or None)


def stale_years(la_code: str | None = None, *, population: int | None = None,
                all_councils: bool = False) -> list[StaleYear]:
    """Stale years of the chosen council (of every council with ``all_councils``), oldest first."""
    from csc_scorecard.results.models import ComputedYear
    from csc_scorecard.results.provenance import inputs_now, stale_reasons
    from csc_scorecard.services.council import stored_councils

    councils = (stored_councils() or [""]) if all_councils else _councils(la_code)
    out = []
    for code in councils:
        recorded = {c.year: c for c in ComputedYear.objects.filter(la_code=code)}
        for year in _years_of(code):
            reasons = stale_reasons(recorded.get(year), inputs_now(code, year, population), code, year)
            if reasons:
                out.append(StaleYear(code, year, tuple(reasons)))
    return out


def stale_summary() -> list[str]:
    """One line per stale year of every council in the store, for ``status``."""
    return [str(s) for s in stale_years(all_councils=True)]


def recompute(
    period: Period | str | None = None,
    *,
    la_code: str | None = None,
    population: int | None = None,
    quarters: bool = True,
    months: bool = True,
    progress: Progress | None = None,
) -> list[RecomputeSummary]:
    """Recompute the stale years; with ``period``, that period's financial year whether stale or not.

    The council is the chosen one (services.council); when the store holds
    several and none is chosen, each council's stale years are recomputed.
    ``progress`` (csc_scorecard.progress) sees one step per council recomputed.
    """
    from csc_scorecard.indicators.casedata import load_case_data
    from csc_scorecard.indicators.results import compute_and_store, periods_for_years

    progress = as_progress(progress)

    asked = None
    if period is not None:
        asked = (parse_period(period) if isinstance(period, str) else period).financial_year
    summaries = []
    for code in _councils(la_code):
        summary = RecomputeSummary(code)
        if asked is not None:
            stale = {s.year: list(s.reasons) for s in stale_years(code, population=population)}
            summary.years = {asked: stale.get(asked, ["asked for"])}
        else:
            summary.years = {s.year: list(s.reasons)
                             for s in stale_years(code, population=population)}
        if summary.years:
            who = f" (LA {code})" if code else ""
            data = load_case_data(code, population=population)
            # One year at a time, newest first, each stored in its own transaction: the
            # year a council has just uploaded (usually the newest) is on the scorecard
            # as soon as it is computed, not after every older year it made stale.
            for year in sorted(summary.years, reverse=True):
                periods = periods_for_years([year], quarters=quarters, months=months)
                with progress.step(f"Recomputing {year}{who}", total=len(periods)) as step:
                    rows = compute_and_store(periods, la_code=code, data=data,
                                             population=population)
                    summary.rows += rows
                    step.advance(len(periods))
                    step.note(f"{rows:,} values")
        summaries.append(summary)
    return summaries


def recompute_after_ingest(*, quarters: bool = True, months: bool = True) -> dict[str, int]:
    """Recompute the stale years of every council in the store; rows written per council."""
    from csc_scorecard.services.council import stored_councils

    written: dict[str, int] = {}
    for code in stored_councils() or [""]:
        for summary in recompute(la_code=code or None, quarters=quarters, months=months):
            if summary.years:
                written[summary.la_code] = written.get(summary.la_code, 0) + summary.rows
    return written

"""The scorecard of a period, as a front end shows it: the full table or the summary by priority.

The figures come from the stored results (services.results) of the chosen
council (services.council); rating/scorecard.py does the rating itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

__all__ = ["ScorecardView", "area_rate_notes", "scorecard_view"]


@dataclass
class ScorecardView:
    frame: pl.DataFrame  # the rated scorecard (rating.scorecard.SCORECARD_SCHEMA)
    shown: pl.DataFrame  # what to print: display columns, or the summary by priority
    notes: list[str] = field(default_factory=list)  # missing benchmarks and the like, once each
    frozen: str = ""  # "The figures for 2024-25 were frozen on ..." when they come from a freeze (also a note)

    @property
    def empty(self) -> bool:
        return self.frame.height == 0


def scorecard_view(period: str, *, by: str | None = None, publication: bool = False,
                   la_code: str | None = None, summary: bool = False,
                   account: Any = None) -> ScorecardView:
    """Build the period's scorecard and the table a front end shows of it.

    With an ``account``, a viewer always gets the publication (suppressed)
    figures. A note says so when the period's figures are stale.
    """
    from csc_scorecard.rating.priorities import load_priorities, summarise
    from csc_scorecard.rating.rag import rag_label
    from csc_scorecard.rating.scorecard import build_scorecard, display_frame
    from csc_scorecard.services.access import publication_only

    if account is not None and publication_only(account):
        publication = True
    notes: list[str] = []
    frame = build_scorecard(period, by=by, publication=publication, la_code=la_code, notes=notes)
    frozen = _freeze_note(period, la_code)
    notes[:0] = [frozen] if frozen else []
    notes.extend(_stale_notes(period, la_code, frozen=bool(frozen)))
    if by == "area":
        notes.extend(area_rate_notes(period, la_code))
    if summary:
        rows = summarise(frame.filter(pl.col("area") == "all").to_dicts(), load_priorities())
        shown = pl.DataFrame(
            [
                {
                    "Priority": r["title"],
                    "RAG": rag_label(r["rag"], short=True),  # type: ignore[arg-type]
                    "Direction": r["direction_label"],
                    "G/A/R/B": f"{r['G']}/{r['A']}/{r['R']}/{r['B']}",
                    "Not rated": str(r["not_rated"]),
                }
                for r in rows
            ]
        )
    else:
        shown = display_frame(frame, by=by)
    return ScorecardView(frame, shown, list(dict.fromkeys(notes)), frozen)


def _freeze_note(period: str, la_code: str | None) -> str:
    """The "frozen on DATE" sentence when the period's figures come from a freeze, else ""."""
    from csc_scorecard.services.council import CouncilNotChosen
    from csc_scorecard.services.results import NoResults, freeze_for, results_council

    try:
        code = results_council(la_code, required=False)
    except (CouncilNotChosen, NoResults):
        return ""
    info = freeze_for(period, code)
    return info.note() if info is not None else ""


def _stale_notes(period: str, la_code: str | None, *, frozen: bool = False) -> list[str]:
    """A line when the period's financial year is stale (the figures shown are older)."""
    from csc_scorecard.periods import parse_period
    from csc_scorecard.services.recompute import stale_years

    year = parse_period(period).financial_year
    tail = ("; the frozen figures shown do not change (`csc-scorecard recompute` updates the "
            "live ones)" if frozen else "; run `csc-scorecard recompute`")
    return [f"{s}{tail}" for s in stale_years(la_code) if s.year == year]


def area_rate_notes(period: str, la_code: str | None) -> list[str]:
    """One line per area: the children aged 0-17 its stored rates per 10,000 divide by (with the
    population's source), or why its rates are empty."""
    from csc_scorecard.services.results import TOTAL_AREA, stored_population_notes

    notes = stored_population_notes([period], la_code=la_code)
    return [
        f"Rates per 10,000 for {area}: {note.removeprefix(f'{area}: ')}"
        for (_p, area), note in sorted(notes.items()) if area != TOTAL_AREA
    ]

"""Improvement programmes in the quarterly performance report, beside the figures they answer.

A programme is linked to a priority when one of its actions links one of the
priority's indicators.  Each linked programme is shown with its status and
trend from its highlight report for the period, and its overdue actions as
at the period's end.  No plans stored: nothing is added.
"""

from __future__ import annotations

from collections.abc import Iterable

from csc_scorecard.periods import Period
from csc_scorecard.plans import models as m
from csc_scorecard.plans.highlight import direction_words, status_words
from csc_scorecard.reporting.model import Cell, Heading, Table

__all__ = ["linked_programme_blocks", "linked_programmes"]


def linked_programmes(indicator_ids: Iterable[str]) -> list[m.Programme]:
    wanted = set(indicator_ids)
    found: dict[int, m.Programme] = {}
    for action in m.Action.objects.select_related("objective__programme__plan"):
        if wanted & set(action.indicators):
            programme = action.objective.programme
            found.setdefault(programme.id, programme)
    return sorted(found.values(), key=lambda p: (p.plan.reference, p.number))


def linked_programme_blocks(indicator_ids: Iterable[str], period: Period, heading: str,
                            table_id: str) -> list:
    programmes = linked_programmes(indicator_ids)
    if not programmes:
        return []
    rows = []
    for programme in programmes:
        h = m.HighlightReport.objects.filter(programme=programme, period=period.label).first()
        late = [a.reference for a in m.Action.objects.filter(objective__programme=programme)
                .select_related("objective__programme") if a.is_overdue(period.end)]
        rows.append([
            Cell(f"{programme.plan.title}: programme {programme.number}, {programme.title}", row_header=True),
            Cell(status_words(h.status if h else ""), css=f"rag-{h.status}" if h and h.status else ""),
            Cell(direction_words(h.trend if h else "")),
            Cell(f"{len(late)}: {', '.join(late)}" if late else "None", numeric=not late),
        ])
    return [Heading(heading, 3, table_id), Table(
        id=f"{table_id}-table", caption=f"{heading} (overdue as at {period.end:%d %B %Y})",
        columns=["Programme", "Status", "Status trend", "Overdue actions"], rows=rows,
        widths=[4, 2, 2, 2])]

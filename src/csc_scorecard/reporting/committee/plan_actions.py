"""The improvement-plan actions that answer an indicator (an action links indicators by id), as
the committee documents show them; the actions come from services.plans.actions_linking."""

from __future__ import annotations

import datetime as dt

from csc_scorecard.reporting.model import Cell, Table

__all__ = ["action_status_text", "actions_table"]


def action_status_text(action, on: dt.date) -> str:
    """Status and direction in words (never colour alone); OVERDUE first when it is."""
    from csc_scorecard.plans.highlight import direction_words
    from csc_scorecard.plans.rules import Status

    text = f"{Status(action.status).label}; {direction_words(action.direction)}"
    return f"OVERDUE. {text}" if action.is_overdue(on) else text


def actions_table(table_id: str, caption: str, actions: list, on: dt.date) -> Table:
    rows = []
    for a in actions:
        rows.append([
            Cell(a.reference, row_header=True),
            Cell(a.text),
            Cell(", ".join(a.owner_names) or "Not given"),
            Cell(a.deadline_info.text),
            Cell(action_status_text(a, on), css=f"rag-{a.status}"),
        ])
    return Table(table_id, caption, ["Action", "What will be done", "Owner", "Deadline", "Status"],
                 rows, widths=[0.8, 3.6, 1.5, 1.2, 2.0])

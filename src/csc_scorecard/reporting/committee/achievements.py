"""The summary of achievements and priorities, per area of service (Walsall's two-column table).

Mapping (documented in docs/scrutiny.md):

* **Areas of service** are the council's priorities (``priorities.yml``), the
  same groups as the quarterly report, for a cover of either report.
* **Achievements** of an area, in this order: the lines of its *approved*
  "what is working well" commentary for the period (``priority: ID``,
  box ``working_well``); each of its indicators that improved (the key
  findings' judgement, "Better than last year"); each improvement-plan action
  linked to one of its indicators that is closed (status Blue) or has
  achieved a milestone.
* **Priorities** of an area: the lines of its *approved* "what needs to
  happen" commentary (box ``next``); each of its indicators that
  deteriorated ("Worse than last year"); each linked action overdue at the
  period's end.

Draft commentary is never used: the table goes to a public committee.  An
area with nothing on either side is still listed, saying so.
"""

from __future__ import annotations

import datetime as dt
from itertools import zip_longest
from typing import Any

from csc_scorecard.reporting.findings import format_value
from csc_scorecard.reporting.model import Cell, Heading, Para, Section, Table
from csc_scorecard.services.plans import actions_linking

__all__ = ["achievements_and_priorities", "achievements_section"]

NOTHING = "Nothing recorded"


def _lines(store: Any, priority_id: str, period: str, box: str) -> list[str]:
    """A priority's commentary box as lines (a bulleted list gives one line a bullet)."""
    from csc_scorecard.reporting.commentary import text_blocks

    text = store.get("priority", priority_id, period, box)
    out: list[str] = []
    for what, content in text_blocks(text or ""):
        out.extend(content if what == "ul" else [content])
    return out


def _figure_words(ctx: Any, ind: str) -> str:
    e = ctx.entry(ind)
    pair = ctx.pair(ind)
    before = format_value(pair.previous, e.unit, e.decimals)
    after = format_value(pair.current, e.unit, e.decimals)
    return f"{e.title}: {before} in {ctx.prev_name} to {after} in {ctx.pname}"


def achievements_and_priorities(ctx: Any, on: dt.date) -> list[tuple[Any, list[str], list[str]]]:
    """(priority, achievements, priorities) for every area of service."""
    from csc_scorecard.plans.rules import Direction, Status
    from csc_scorecard.rating.priorities import load_priorities
    from csc_scorecard.reporting.commentary import CommentaryStore

    period = ctx.period.label
    # approved text only (draft commentary is never published); the council's own wins
    store = CommentaryStore([period], ctx.rs.la_code, approved_only=True)
    out = []
    for pr in load_priorities():
        ids = [i for i in pr.indicators if i in ctx.catalogue]
        good = _lines(store, pr.id, period, "working_well")
        todo = _lines(store, pr.id, period, "next")
        for ind in ids:
            judgement = ctx.finding(ind).judgement
            if judgement == "better":
                good.append(f"{_figure_words(ctx, ind)}, better than {ctx.comparison}")
            elif judgement == "worse":
                todo.append(f"{_figure_words(ctx, ind)}, worse than {ctx.comparison}")
        for a in actions_linking(ids):
            if a.status == Status.B or a.direction == Direction.ACHIEVED:
                done = "closed" if a.status == Status.B else "achieved a milestone"
                good.append(f"Action {a.reference} {done}: {a.text}")
            elif a.is_overdue(on):
                todo.append(f"Action {a.reference} is overdue (due {a.deadline_info.text}): {a.text}")
        out.append((pr, good, todo))
    return out


def achievements_section(ctx: Any, number: str, on: dt.date) -> Section:
    sec = Section("achievements", number, "Summary of achievements and priorities")
    sec.blocks.append(Para(
        "For each area of service: what has been achieved (approved commentary on what is working "
        "well, indicators that improved, improvement-plan actions closed or milestones achieved) "
        "and the priorities (approved commentary on what needs to happen, indicators that "
        f"deteriorated, actions overdue at {on:%d %B %Y})."))
    for k, (pr, good, todo) in enumerate(achievements_and_priorities(ctx, on), start=1):
        sec.blocks.append(Heading(f"{number}.{k} {pr.title}", 3, f"ap-{pr.id}"))
        rows = [[Cell(a or ""), Cell(p or "")] for a, p in zip_longest(good or [NOTHING], todo or [NOTHING])]
        sec.blocks.append(Table(f"ap-{pr.id}-table", f"{pr.title}: achievements and priorities",
                                ["Achievements", "Priorities"], rows, css="achievements", widths=[1, 1]))
    return sec

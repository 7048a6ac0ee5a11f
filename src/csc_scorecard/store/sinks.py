"""The sink an ingest's readers push rows into (see returns.base).

It turns each row into a tuple for its canonical table (store/bulk.py), writing
each full batch as it fills, so a large file never sits in memory whole, and
counts the event dates on the way, from which the ingest checks the year a
return is filed under.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from itertools import chain
from typing import TYPE_CHECKING

from csc_scorecard.store.bulk import TableWriter
from csc_scorecard.store.models import CANONICAL_TABLES

if TYPE_CHECKING:
    from csc_scorecard.returns.base import ColumnBatch

# Dates that say when things happened (not birth dates): used to check a
# return really belongs to the year it is filed under.
EVENT_DATES = {
    "cla_episode": ("start_date", "end_date"),
    "cla_review": ("review_date",),
    "referral": ("referral_date", "closure_date"),
    "assessment": ("start_date", "authorised_date"),
    "s47": ("start_date",),
    "cp_plan": ("start_date", "end_date"),
    "contact": ("contact_date",),
}


class DatabaseSink:
    """Reader rows to the canonical tables in batches, watching event dates (see the module)."""

    def __init__(self, submission_id: int):
        self.submission_id = submission_id
        self.writers: dict[str, TableWriter] = {}
        # per table: its writer's add, and the event-date fields to watch
        self._adders: dict[str, tuple[Callable[[dict], None], tuple[str, ...]]] = {}
        # event dates counted as they come; their financial years are worked out
        # once, at the end, with periods.financial_year_of
        self.event_dates: Counter[dt.date] = Counter()

    def add(self, table: str, row: dict) -> None:
        found = self._adders.get(table) or self._new_writer(table)
        add, events = found
        for name in events:
            value = row.get(name)
            if isinstance(value, dt.date):
                self.event_dates[value] += 1
        add(row)

    def add_columns(self, table: str, batch: ColumnBatch) -> None:
        """A batch of rows of `table`, a column at a time (see returns.base)."""
        if table not in self._adders:
            self._new_writer(table)
        events = [batch.column(n) for n in EVENT_DATES.get(table, ()) if n in batch.names]
        if events:
            # counted in the order `add` counts them: row by row, field by field
            values = (
                events[0] if len(events) == 1 else chain.from_iterable(zip(*events, strict=True))
            )
            self.event_dates.update(v for v in values if isinstance(v, dt.date))
        self.writers[table].add_columns(batch)

    def _new_writer(self, table: str) -> tuple[Callable[[dict], None], tuple[str, ...]]:
        model = CANONICAL_TABLES.get(table)
        if model is None:
            raise ValueError(f"reader produced rows for unknown table {table!r}")
        writer = self.writers[table] = TableWriter(model, self.submission_id)
        found = self._adders[table] = (writer.add, EVENT_DATES.get(table, ()))
        return found

    def flush(self) -> None:
        for writer in self.writers.values():
            writer.flush()

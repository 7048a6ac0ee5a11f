"""The sink an ingest's readers push rows into (see returns.base).

It turns each row into a tuple for its canonical table (store/bulk.py) and
counts the event dates on the way, from which the ingest checks the year a
return is filed under. It works in one of two ways:

- writing (a submission id given): each full batch goes to the database as it
  fills, so a large file never sits in memory whole;
- collecting (``submission_id=None``): a reader running in a worker process
  (store/parallel_read.py) has no submission yet and must not touch the
  database, so the prepared batches are kept. Such a sink pickles to its
  batches and event dates alone, crosses back to the main process, and there
  `write(submission_id)` writes them inside the submission's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from csc_scorecard.store.bulk import TableWriter
from csc_scorecard.store.models import CANONICAL_TABLES

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

    def __init__(self, submission_id: int | None):
        self.submission_id = submission_id
        self.writers: dict[str, TableWriter] = {}
        # per table: its writer's add, and the event-date fields to watch
        self._adders: dict[str, tuple[Callable[[dict], None], tuple[str, ...]]] = {}
        # event dates counted as they come; their financial years are worked out
        # once, at the end, with periods.financial_year_of
        self.event_dates: Counter[dt.date] = Counter()
        self._collected: dict[str, list[list[tuple]]] = {}  # table -> batches, once unpickled

    def add(self, table: str, row: dict) -> None:
        found = self._adders.get(table)
        if found is None:
            model = CANONICAL_TABLES.get(table)
            if model is None:
                raise ValueError(f"reader produced rows for unknown table {table!r}")
            writer = self.writers[table] = TableWriter(model, self.submission_id)
            found = self._adders[table] = (writer.add, EVENT_DATES.get(table, ()))
        add, events = found
        for name in events:
            value = row.get(name)
            if isinstance(value, dt.date):
                self.event_dates[value] += 1
        add(row)

    def flush(self) -> None:
        for writer in self.writers.values():
            writer.flush()

    def write(self, submission_id: int) -> None:
        """Write what a collecting sink kept (after it crossed from a worker)."""
        batches = {table: w.batches for table, w in self.writers.items()} | self._collected
        for table, kept in batches.items():
            TableWriter(CANONICAL_TABLES[table], submission_id).write_batches(kept)
        self._collected = {}

    def __getstate__(self) -> dict:
        # writers hold the database connection and conversion closures: only
        # the data crosses between processes
        if self.submission_id is not None:
            raise TypeError("a writing sink holds a database connection and cannot be pickled")
        self.flush()
        kept = {table: w.batches for table, w in self.writers.items()} | self._collected
        return {"event_dates": self.event_dates, "collected": kept}

    def __setstate__(self, state: dict) -> None:
        self.__init__(None)  # type: ignore[misc]
        self.event_dates = state["event_dates"]
        self._collected = state["collected"]

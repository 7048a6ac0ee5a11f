"""What every reader hands to the store.

A reader never touches the database: it turns files into canonical rows
(dicts keyed by the field names of csc_scorecard.store.models) and pushes
them into a sink, with located issues alongside. The ingest's sink writes
rows to the database in batches, so a large file never sits in memory whole;
the default ListSink keeps them in lists, which is what tests look at.

Rows with an error are not passed to the sink: they are counted in
`quarantined`, so nothing disappears without a trace.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Protocol

from csc_scorecard.returns.issues import Issue, IssueLog, Severity

RETURN_TYPES = ("ssda903", "cin_census", "annex_a", "local")


class RowSink(Protocol):
    def add(self, table: str, row: dict) -> None: ...

    # A sink may also take a batch of rows of one table a column at a time
    # (`add_columns`, as ListSink and the store's DatabaseSink do); ReadResult
    # hands a sink without it one dict a row.


@dataclass
class ColumnBatch:
    """`size` rows of one table as columns: each field's values in row order, or
    (`fixed`) one value every row has. A row is the dict of every field's value."""

    size: int
    columns: dict[str, Sequence]
    fixed: dict[str, object] = field(default_factory=dict)

    def column(self, name: str) -> Iterable:
        """The field's values, row by row (KeyError when the batch has no such field)."""
        if name in self.columns:
            return self.columns[name]
        return repeat(self.fixed[name], self.size)

    @property
    def names(self) -> list[str]:
        return [*self.columns, *self.fixed]

    def dicts(self) -> Iterator[dict]:
        names = self.names
        if not names:  # rows of no fields given (each field its default)
            yield from ({} for _ in range(self.size))
            return
        for row in zip(*map(self.column, names), strict=True):
            yield dict(zip(names, row, strict=True))


class ListSink:
    """Keeps every row in memory, table by table."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict]] = defaultdict(list)

    def add(self, table: str, row: dict) -> None:
        self.tables[table].append(row)

    def add_columns(self, table: str, batch: ColumnBatch) -> None:
        self.tables[table].extend(batch.dicts())


@dataclass
class ReadResult:
    return_type: str
    files: list[Path]
    year: str = ""  # collection year "2024-25" as found in content or name ("" when unknown)
    la_code: str = ""  # 3-digit DfE code when the content says it
    subtype: str = ""  # local extracts: "teams", "allocations", "visits", "workforce"
    # Annex A: the rolling window its lists cover (earliest and latest event date)
    # and the "as at" date its title rows give, when they give one.
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    as_at: dt.date | None = None
    sink: RowSink = field(default_factory=ListSink)
    counts: Counter = field(default_factory=Counter)  # canonical table -> rows passed to the sink
    quarantined: Counter = field(default_factory=Counter)  # canonical table -> rows refused
    source_rows: dict[str, int] = field(default_factory=dict)  # source table/list -> rows read
    issues: list[Issue] = field(default_factory=list)
    _logs: dict[str, IssueLog] = field(default_factory=dict, repr=False)

    def log(self, file: str | Path) -> IssueLog:
        """The issue log for one file of this result (file is named as the user gave it)."""
        name = Path(file).name if isinstance(file, Path) else file
        if name not in self._logs:
            self._logs[name] = IssueLog(name, self.issues)
        return self._logs[name]

    def add_row(self, table: str, row: dict) -> None:
        self.sink.add(table, row)
        self.counts[table] += 1

    def add_columns(self, table: str, batch: ColumnBatch) -> None:
        """A batch of rows of one table at once, given a column at a time: a fast path
        builds its rows so, and a sink that takes them so makes no dict per row."""
        if not batch.size:
            return
        add_columns = getattr(self.sink, "add_columns", None)
        if add_columns is None:
            add = self.sink.add
            for row in batch.dicts():
                add(table, row)
        else:
            add_columns(table, batch)
        self.counts[table] += batch.size

    def quarantine(self, table: str, n: int = 1) -> None:
        self.quarantined[table] += n

    def finish(self) -> ReadResult:
        """Close the issue logs (adds the 'more issues than listed' summaries)."""
        for log in self._logs.values():
            log.close()
        return self

    @property
    def tables(self) -> dict[str, list[dict]]:
        """Rows by table, when the sink kept them (tests, small files)."""
        if isinstance(self.sink, ListSink):
            return dict(self.sink.tables)
        raise TypeError("rows went to a streaming sink and were not kept")

    @property
    def row_counts(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

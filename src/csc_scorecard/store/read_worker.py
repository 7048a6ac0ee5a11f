"""A read-ahead worker: reads groups of return files in its own process (see store/read_ahead.py).

    python -m csc_scorecard.store.read_worker FOLDER JOBS_FILE

JOBS_FILE (pickled, written by the ingest) lists the groups to read, in the
order the ingest will want them. For each, the worker runs the same reader the
ingest would (store/reading.py) into a RecordingSink, pickles what it got to
FOLDER/<index>.pickle and prints a line saying so (DONE and the index), so the ingest
can take it while the worker goes on to the next.

This module must not need Django or the database: it is started as a fresh
interpreter, and its start-up time is paid before the first group is read.
Nothing it knows of a child reaches its output or its error stream: a reader's
failure is written down as the exception's type and place only, as the ingest
itself logs it.
"""

from __future__ import annotations

import pickle
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from csc_scorecard.returns.base import ColumnBatch
from csc_scorecard.returns.issues import FileRejected

DONE = "read-ahead done: "  # the line that says a group's answer is ready (anything else printed is ignored)


@dataclass
class ReadJob:
    index: int  # the group's place in the ingest's plan
    group: object  # returns.detect.FileGroup
    year: str
    la_code: str
    rule_tables: bool  # build the CIN rules' tables on the way, as the ingest does


@dataclass
class WorkerRead:
    """What a worker hands back for one group: the reader's result (without its sink), every
    row in the order the reader gave them, and the rules' tables it built."""

    result: object  # returns.base.ReadResult
    batches: list[tuple[str, ColumnBatch]]
    rule_tables: dict = field(default_factory=dict)


@dataclass
class WorkerRejected:
    file: str
    reason: str


@dataclass
class WorkerCrashed:
    """A reader bug: its type and place only (the message could quote a child's data)."""

    name: str
    filename: str
    lineno: int


class RecordingSink:
    """Keeps the rows a reader gives, as column batches, each table's in the order given.

    Rows one at a time (dicts) are gathered into a batch while they are of the
    same table with the same fields in the same order, so the ingest replays a
    few column batches rather than a dict per row: the store's sink writes a
    batch and the same rows given one at a time identically (a field a row
    lacks gets its default either way), and counts the same event dates. The
    census interleaves its tables (a child, its referral, the next child), so
    each table has its own open batch: a table's rows keep their order, which is
    all the store sees (each table numbers its own rows).
    """

    def __init__(self) -> None:
        self.batches: list[tuple[str, ColumnBatch]] = []
        self._open: dict[str, tuple[tuple, list[tuple]]] = {}  # table -> (fields, rows)

    def add(self, table: str, row: dict) -> None:
        keys = tuple(row)
        found = self._open.get(table)
        if found is None or found[0] != keys:
            self._close(table)
            found = self._open[table] = (keys, [])
        found[1].append(tuple(row.values()))

    def add_columns(self, table: str, batch: ColumnBatch) -> None:
        self._close(table)
        columns = {name: list(values) for name, values in batch.columns.items()}
        self.batches.append((table, ColumnBatch(batch.size, columns, dict(batch.fixed))))

    def finish(self) -> list[tuple[str, ColumnBatch]]:
        for table in list(self._open):
            self._close(table)
        return self.batches

    def _close(self, table: str) -> None:
        found = self._open.pop(table, None)
        if found is None or not found[1]:
            return
        keys, rows = found
        if keys:
            columns = dict(zip(keys, map(list, zip(*rows, strict=True)), strict=True))
        else:  # rows of no fields: every field takes its default
            columns = {}
        self.batches.append((table, ColumnBatch(len(rows), columns)))


def read_one(job: ReadJob) -> WorkerRead | WorkerRejected | WorkerCrashed:
    from csc_scorecard.store.reading import read_group

    sink = RecordingSink()
    rule_tables: dict | None = {} if job.rule_tables else None
    try:
        result = read_group(
            job.group, year=job.year, la_code=job.la_code, sink=sink, rule_tables=rule_tables  # type: ignore[arg-type]
        )
    except FileRejected as exc:
        return WorkerRejected(exc.file, exc.reason)
    except Exception as exc:  # noqa: BLE001 - handed to the ingest, which says it in words
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return WorkerCrashed(type(exc).__name__, where.filename, where.lineno or 0)
    result.sink = None  # type: ignore[assignment] - the ingest gives it its own sink
    return WorkerRead(result, sink.finish(), rule_tables or {})


def main(folder: str, jobs_file: str) -> int:
    out = Path(folder)
    jobs: list[ReadJob] = pickle.loads(Path(jobs_file).read_bytes())
    for job in jobs:
        read = read_one(job)
        partial = out / f".{job.index}.partial"
        with partial.open("wb") as handle:
            pickle.dump(read, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(out / f"{job.index}.pickle")
        print(f"{DONE}{job.index}", flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a process by store/read_ahead.py
    # by its name, not as __main__, so what it pickles unpickles in the ingest
    from csc_scorecard.store import read_worker

    sys.exit(read_worker.main(*sys.argv[1:3]))

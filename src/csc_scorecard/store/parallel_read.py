"""Reading the returns of one ingest side by side, in worker processes.

Reading a return (parsing, cleaning and checking every cell) is most of an
ingest's time, and the returns of one ingest are independent of each other
until they are stored. So when an ingest holds several sizeable returns, each
is read in a worker process while the main process stores the ones already
read: on a 2-core machine a county year's 903, census, Annex A and local
extracts then take about half as long.

A worker runs the same reader the main process would (store.ingest.read_group)
into a collecting sink (store/sinks.py), so what is stored is the same, row for
row and issue for issue, as a read in the main process: only where the reading
happens changes. Everything that touches the database - the submission, its
transaction, the year checks, superseding, the DfE rules - stays in the main
process, in the order of the groups, so a rejected return still leaves the
store exactly as it was. A worker never touches the database.

Workers are forked from the main process (Linux only: elsewhere, and when
CSC_SCORECARD_INGEST_WORKERS is 0 or 1, every return is read in the main
process, as it is for small ingests, where starting workers would cost more
than it saves, and for a return too large to hold in memory at once).
If a worker dies (killed for memory, say) its return, and the rest, are
read in the main process instead.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import traceback
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from csc_scorecard.returns import detect
from csc_scorecard.returns.base import ReadResult
from csc_scorecard.returns.issues import FileRejected
from csc_scorecard.store.sinks import DatabaseSink

log = logging.getLogger(__name__)

WORKERS_SETTING = "CSC_SCORECARD_INGEST_WORKERS"
# Below this many bytes in all, reading in workers saves less than starting them costs.
MIN_TOTAL_BYTES = 2 * 1024 * 1024
# A worker holds a return's rows until the main process stores them; a return
# larger than this is read (streaming, in batches) in the main process instead.
MAX_GROUP_BYTES = 512 * 1024 * 1024


class ReaderCrashed(Exception):
    """A reader failed in a worker: its exception's type and where it was raised,
    all the main process is told (the message could quote a child's record)."""

    def __init__(self, type_name: str, file: str, line: int):
        super().__init__(type_name, file, line)
        self.type_name, self.file, self.line = type_name, file, line


@dataclass
class ReadDone:
    """What a worker read for one group: the result (with its collecting sink), or
    why the file was refused, or where the reader failed."""

    result: ReadResult | None = None
    rule_tables: dict = field(default_factory=dict)
    rejected: str = ""
    crashed: tuple[str, str, int] | None = None

    def unwrap(self, label: str) -> tuple[ReadResult, dict, DatabaseSink]:
        """The result, rule tables and sink; or the reader's failure raised again."""
        if self.crashed is not None:
            raise ReaderCrashed(*self.crashed)
        if self.result is None:
            raise FileRejected(label, self.rejected)
        sink = self.result.sink
        assert isinstance(sink, DatabaseSink)
        return self.result, self.rule_tables, sink


def worker_count() -> int:
    """Worker processes for reading, from CSC_SCORECARD_INGEST_WORKERS (default:
    the CPUs, at most 4); 0 or 1 reads everything in the main process."""
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    configured = os.environ.get(WORKERS_SETTING, "").strip()
    if configured:
        try:
            return max(0, int(configured))
        except ValueError:
            log.warning("%s is not a whole number (%r): reading in one process", WORKERS_SETTING,
                        configured)
            return 0
    return min(os.cpu_count() or 1, 4)


class ReadAhead:
    """Reads groups in worker processes ahead of the main process storing them.

    `take(group)` gives the worker's ReadDone for a group, or None when the main
    process should read it itself. Groups are taken in the order given; at most
    one more group than there are workers is read ahead, so memory stays bounded.
    Use as a context manager: leaving it stops the workers.
    """

    def __init__(self, groups: Sequence[detect.FileGroup], *, year: str, la_code: str,
                 skip: Sequence[detect.FileGroup] = ()):
        self.year, self.la_code = year, la_code
        self.queue = [g for g in groups if _worth_a_worker(g) and not any(g is s for s in skip)]
        self.futures: dict[int, Future] = {}
        self.executor: ProcessPoolExecutor | None = None
        workers = min(worker_count(), len(self.queue))
        total = sum(_size(g) for g in self.queue)
        if workers < 2 or total < MIN_TOTAL_BYTES:
            self.queue = []
            return
        self.executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork"),
            initializer=_forget_database_connections,
        )
        self.ahead = workers + 1
        self._submit_more()

    def take(self, group: detect.FileGroup) -> ReadDone | None:
        future = self.futures.pop(id(group), None)
        if future is None:
            return None
        try:
            done = future.result()
        except BrokenProcessPool:
            log.warning("a reading worker stopped; reading the rest in this process")
            self.close()
            return None
        self._submit_more()
        return done

    def _submit_more(self) -> None:
        while self.executor is not None and self.queue and len(self.futures) < self.ahead:
            group = self.queue.pop(0)
            self.futures[id(group)] = self.executor.submit(
                read_in_worker, group, self.year, self.la_code
            )

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        self.futures.clear()
        self.queue = []

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_in_worker(group: detect.FileGroup, year: str, la_code: str) -> ReadDone:
    """Run in a worker: read one group into a collecting sink."""
    from csc_scorecard.store.ingest import read_group  # the ingest imports this module

    rule_tables: dict = {}
    try:
        result = read_group(group, year=year, la_code=la_code, sink=DatabaseSink(None),
                            rule_tables=rule_tables)
    except FileRejected as exc:
        return ReadDone(rejected=exc.reason)
    except Exception as exc:  # noqa: BLE001 - reported as the main process would report it
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return ReadDone(crashed=(type(exc).__name__, where.filename, where.lineno or 0))
    return ReadDone(result=result, rule_tables=rule_tables)


def _forget_database_connections() -> None:
    """A forked worker drops (without closing) the connections it inherited: they
    belong to the main process, which is using them."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.connection = None


def _size(group: detect.FileGroup) -> int:
    return sum(_file_size(p) for p in group.paths)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _worth_a_worker(group: detect.FileGroup) -> bool:
    return _size(group) <= MAX_GROUP_BYTES

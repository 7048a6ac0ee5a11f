"""Reading an ingest's later returns in other processes while it stores the earlier ones.

Reading a year's returns is almost all Python, so one process uses one core:
on a 2-core machine the other sat idle while the census and the Annex A
workbook were read one after the other. With several groups to ingest, the
ingest now hands all but the first to up to two worker processes
(store/read_worker.py), each a fresh interpreter that needs neither Django nor
the database. The ingest reads the first group itself while they start, then
stores each group whose reading is in (next_index: one read sooner may go
before one still being read, never before an earlier group of its own return
and subtype), replaying a worker's rows into the store's sink - the same sink,
each table's rows in the same order, that a reader in this process would have
filled - inside the group's own transaction. So what each submission holds,
and every issue and refusal, is what reading here gives; only the time, and
the order submissions are numbered in, differ.

A worker is a fresh interpreter, not a fork: a fork of a process whose Polars
has started its thread pool can hang. Anything going wrong with a worker (it
cannot start, dies, or its answer cannot be read) costs nothing but time: that
group is read in this process instead, as without read-ahead, and a warning is
logged (by type, never a child's data).

Workers keep what they read under the data directory, in a folder only this
user can open, removed when the ingest ends (or, if it was killed outright, by
the first ingest with workers a day later).
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from csc_scorecard.returns import detect
from csc_scorecard.returns.issues import FileRejected
from csc_scorecard.store.read_worker import DONE, ReadJob, WorkerCrashed, WorkerRead, WorkerRejected

log = logging.getLogger(__name__)

# Below this many bytes in the groups a worker would read, starting one (about half a
# second of this machine's time to start Python and import the readers) costs more than it saves.
MIN_BYTES_AHEAD = 2_000_000
# A worker keeps a group's rows until it hands them over, where reading here streams them
# to the store in batches: a group larger than this is read here, so memory stays bounded
# (a county year's census is about 7 MB, about 60 MB of rows in a worker).
MAX_GROUP_BYTES = 60_000_000
MAX_WORKERS = 2
LEFTOVER_SECONDS = 24 * 3600
# Seconds of reading per MB of each kind of file, roughly: only to share the groups
# fairly between the workers
COST_PER_MB = {detect.CIN_XML: 0.2, detect.SSDA903_XML: 0.2, detect.ANNEX_A_XLSX: 0.5}
DEFAULT_COST_PER_MB = 0.25


class ReaderCrashed(Exception):
    """A reader failed in a worker: its exception's type and place (the message is not kept)."""

    def __init__(self, crash: WorkerCrashed):
        super().__init__(crash.name)
        self.name, self.filename, self.lineno = crash.name, crash.filename, crash.lineno


@dataclass
class _Worker:
    process: subprocess.Popen
    done: set[int] = field(default_factory=set)  # answers written, by the listener thread
    ended: bool = False  # its output has closed: it finished, or died


class ReadAhead:
    """Workers reading groups of an ingest's plan ahead of it (see the module).

    ``next_index(pending)`` says which group the ingest should store next, and
    ``take(index)`` gives a worker's WorkerRead for the group at that place of
    the plan, or None when the ingest should read it itself.
    """

    def __init__(self, folder: Path, workers: list[_Worker], owner: dict[int, _Worker], keys: list):
        self.folder = folder
        self.workers = workers
        self.owner = owner
        self.keys = keys  # each group's return and subtype: its order among its kind is kept
        self.changed = threading.Condition()
        for worker in workers:
            threading.Thread(target=self._listen, args=(worker,), daemon=True).start()

    @classmethod
    def start(
        cls, groups: Sequence[detect.FileGroup], *, year: str, la_code: str, home: Path,
        only: Sequence[int] | None = None,
    ) -> ReadAhead | None:
        """Workers for all groups but the first (of `only`, the places worth reading:
        not those already stored), or None when that is not worth it."""
        plans = share_out(groups, only)
        if not plans:
            return None
        _remove_leftovers(home)
        folder = Path(tempfile.mkdtemp(prefix=".read-ahead-", dir=home))  # 0700: child data
        workers: list[_Worker] = []
        owner: dict[int, _Worker] = {}
        for n, indexes in enumerate(plans):
            jobs = [ReadJob(i, groups[i], year, la_code, groups[i].kind == detect.CIN_XML) for i in indexes]
            jobs_file = folder / f"jobs-{n}.pickle"
            jobs_file.write_bytes(pickle.dumps(jobs, protocol=pickle.HIGHEST_PROTOCOL))
            try:
                process = subprocess.Popen(
                    [sys.executable, "-m", "csc_scorecard.store.read_worker", str(folder), str(jobs_file)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,  # a worker's troubles are its answers, not its stderr
                    env=_worker_environment(),
                    text=True,
                )
            except OSError as exc:
                log.warning("read-ahead worker could not start (%s); reading in this process", type(exc).__name__)
                continue
            worker = _Worker(process)
            workers.append(worker)
            owner.update(dict.fromkeys(indexes, worker))
        if not workers:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        return cls(folder, workers, owner, [(g.return_type, g.subtype) for g in groups])

    def next_index(self, pending: Sequence[int]) -> int:
        """The group (of `pending`, in plan order) to store next: the first that is
        ready - read here, or its worker's answer is in - and that no earlier pending
        group of the same return and subtype must precede (a later submission of a
        return replaces an earlier one of its year, so they keep the plan's order).
        While none is, it waits for a worker; a worker's end makes its groups ours."""
        with self.changed:
            while True:
                seen: set = set()
                for index in pending:
                    key = self.keys[index]
                    if key in seen:
                        continue
                    seen.add(key)
                    worker = self.owner.get(index)
                    if worker is None or index in worker.done or worker.ended:
                        return index
                self.changed.wait()

    def take(self, index: int) -> WorkerRead | None:
        """The worker's reading of the group at `index`; FileRejected or ReaderCrashed
        when the reader refused it or failed there, as reading it here would have."""
        worker = self.owner.pop(index, None)
        if worker is None:
            return None
        with self.changed:
            while index not in worker.done and not worker.ended:
                self.changed.wait()
        if index not in worker.done:
            log.warning(
                "read-ahead worker ended early (exit code %s); reading in this process", worker.process.wait()
            )
            self._forget(worker)
            return None
        answer_file = self.folder / f"{index}.pickle"
        try:
            answer = pickle.loads(answer_file.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            log.warning("read-ahead answer could not be read (%s); reading in this process", type(exc).__name__)
            return None
        finally:
            answer_file.unlink(missing_ok=True)
        if isinstance(answer, WorkerRejected):
            raise FileRejected(answer.file, answer.reason)
        if isinstance(answer, WorkerCrashed):
            raise ReaderCrashed(answer)
        return answer

    def close(self) -> None:
        """Stop any worker still running (the ingest failed or skipped its groups) and
        remove what they wrote."""
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.process.kill()
            worker.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _listen(self, worker: _Worker) -> None:
        """A worker's output, line by line, as it comes (a thread per worker)."""
        stream = worker.process.stdout
        try:
            for line in stream or ():
                if line.startswith(DONE) and line[len(DONE):].strip().isdigit():
                    with self.changed:
                        worker.done.add(int(line[len(DONE):]))
                        self.changed.notify_all()
        except (OSError, ValueError):  # closed under it: the ingest is over
            pass
        finally:
            with self.changed:
                worker.ended = True
                self.changed.notify_all()
            if stream:
                stream.close()

    def _forget(self, worker: _Worker) -> None:
        for i in [i for i, w in self.owner.items() if w is worker]:
            del self.owner[i]


def share_out(groups: Sequence[detect.FileGroup], only: Sequence[int] | None = None) -> list[list[int]]:
    """The plan's places each worker reads, in plan order: every group but the first
    (read here while the workers start) and any too large to hold (MAX_GROUP_BYTES),
    shared so each worker's reading takes about as long; [] when there is too little
    to read for a worker to pay its way."""
    places = list(range(len(groups))) if only is None else sorted(only)
    sizes = {i: _size(groups[i]) for i in places[1:]}
    later = [i for i, size in sizes.items() if size <= MAX_GROUP_BYTES]
    sizes = {i: sizes[i] for i in later}
    if not later or sum(sizes.values()) < MIN_BYTES_AHEAD:
        return []
    cost = {i: sizes[i] / 1e6 * COST_PER_MB.get(groups[i].kind, DEFAULT_COST_PER_MB) for i in later}
    count = min(MAX_WORKERS, len(later), max(1, (os.cpu_count() or 1)))
    loads = [0.0] * count
    plans: list[list[int]] = [[] for _ in range(count)]
    for i in sorted(later, key=lambda i: -cost[i]):  # largest first, to the least loaded
        n = loads.index(min(loads))
        plans[n].append(i)
        loads[n] += cost[i]
    return [sorted(p) for p in plans if p]


def _remove_leftovers(home: Path) -> None:
    """Folders an ingest killed outright could not remove (they hold child data): any
    older than a day, so an ingest still running elsewhere keeps its own."""
    now = time.time()
    for folder in home.glob(".read-ahead-*"):
        try:
            if now - folder.stat().st_mtime > LEFTOVER_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


def _size(group: detect.FileGroup) -> int:
    total = 0
    for path in group.paths:
        try:
            total += path.stat().st_size
        except OSError:
            pass  # the ingest reports a file that went missing
    return total


def _worker_environment() -> dict[str, str]:
    """This environment, with the folder this package was imported from first on the
    worker's path, so it runs the same code (an editable install, a test's checkout)."""
    import csc_scorecard

    env = dict(os.environ)
    source = str(Path(csc_scorecard.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH", "")) if p)
    return env

"""Progress on long work: one reporter that services and commands are handed.

Long work (ingest, recompute, synth, reports, validation, the demo) is a
sequence of steps, each with an optional count of items. A service takes a
``Progress`` and calls::

    with progress.step("Reading the CIN census", total=3) as step:
        ...
        step.advance()            # one item done
        step.note("12,351 rows")  # what the step produced, shown when it ends

and never decides how that is shown. The front end picks the reporter:

- :func:`reporter` gives a rich progress bar (step, counts, time left) on a
  terminal, and plain lines, one per step start and end, when the output is
  piped, in CI, or ``TERM=dumb``; ``NO_PROGRESS`` silences both;
- a bare ``Progress()`` shows nothing (tests, the web).

Every reporter keeps how long each step took (:attr:`Progress.timings`), so
the demo can end by printing them. Messages name steps and counts only,
never a child's data.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["PlainProgress", "Progress", "RichProgress", "Step", "as_progress", "reporter"]

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD")


class Step:
    """One step under way: count items done, add a note for its closing line."""

    def __init__(self, progress: Progress, label: str, total: int | None):
        self.progress = progress
        self.label = label
        self.total = total
        self.done = 0
        self.notes: list[str] = []
        self.started = time.perf_counter()

    def advance(self, n: int = 1, *, item: str = "") -> None:
        self.done += n
        self.progress._advanced(self, item)

    def note(self, text: str) -> None:
        self.notes.append(text)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


class Progress:
    """The reporter interface, silent by itself; subclasses show the steps."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[Step]:
        current = Step(self, label, total)
        self._started(current)
        failed = False
        try:
            yield current
        except BaseException:
            failed = True
            raise
        finally:
            self.timings.append((label, current.seconds))
            self._finished(current, failed)

    def timing_lines(self) -> list[str]:
        """'label  1.2 s' per step, and the total: what the demo prints at the end."""
        if not self.timings:
            return []
        width = max(len(label) for label, _ in self.timings)
        lines = [f"{label:<{width}}  {seconds:6.1f} s" for label, seconds in self.timings]
        lines.append(f"{'total':<{width}}  {sum(s for _, s in self.timings):6.1f} s")
        return lines

    def close(self) -> None:
        """Stop any live display (a no-op for line output)."""

    # hooks for subclasses
    def _started(self, step: Step) -> None: ...

    def _advanced(self, step: Step, item: str) -> None: ...

    def _finished(self, step: Step, failed: bool) -> None: ...


class PlainProgress(Progress):
    """A line when a step starts, one per item when there are few, one when it ends."""

    def __init__(self, stream: IO[str] | None = None):
        super().__init__()
        self.stream = stream if stream is not None else sys.stderr

    def _write(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def _started(self, step: Step) -> None:
        count = f" ({step.total:,} items)" if step.total else ""
        self._write(f"start: {step.label}{count}")

    def _advanced(self, step: Step, item: str) -> None:
        of = f"/{step.total:,}" if step.total else ""
        self._write(f"  {step.label}: {step.done:,}{of}{' ' + item if item else ''}")

    def _finished(self, step: Step, failed: bool) -> None:
        notes = f"; {'; '.join(step.notes)}" if step.notes else ""
        what = "failed" if failed else "done"
        self._write(f"{what}: {step.label} in {step.seconds:.1f} s{notes}")


class RichProgress(Progress):
    """A rich progress bar per step: its label, done/total, elapsed and time left."""

    def __init__(self, console: Any = None):
        super().__init__()
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bars

        self.console = console or Console(stderr=True)
        self.bars = Bars(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.tasks: dict[int, Any] = {}
        self.bars.start()

    def _started(self, step: Step) -> None:
        self.tasks[id(step)] = self.bars.add_task(step.label, total=step.total)

    def _advanced(self, step: Step, item: str) -> None:
        label = f"{step.label}: {item}" if item else step.label
        self.bars.update(self.tasks[id(step)], completed=step.done, description=label)

    def _finished(self, step: Step, failed: bool) -> None:
        task = self.tasks.pop(id(step))
        total = step.total if step.total is not None else max(step.done, 1)
        notes = f" ({'; '.join(step.notes)})" if step.notes else ""
        mark = "[red]failed[/] " if failed else ""
        self.bars.update(task, total=total, completed=total, description=f"{mark}{step.label}{notes}")

    def close(self) -> None:
        self.bars.stop()


def wants_plain(stream: IO[str] | None = None) -> bool:
    """Plain lines when the output is not a terminal, in CI, or on a dumb terminal."""
    stream = stream if stream is not None else sys.stderr
    if any(os.environ.get(name) for name in CI_VARIABLES):
        return True
    if os.environ.get("TERM") == "dumb":
        return True
    return not (hasattr(stream, "isatty") and stream.isatty())


def reporter(stream: IO[str] | None = None, *, console: Any = None) -> Progress:
    """The reporter a command should use for where its output goes."""
    if os.environ.get("NO_PROGRESS"):
        return Progress()
    if wants_plain(stream):
        return PlainProgress(stream)
    return RichProgress(console)


class _Callback(Progress):
    """Adapts an old-style `progress(message)` callable: a call per step and per named item."""

    def __init__(self, fn: Callable[[str], None]):
        super().__init__()
        self.fn = fn

    def _started(self, step: Step) -> None:
        self.fn(step.label)

    def _advanced(self, step: Step, item: str) -> None:
        if item:
            self.fn(item)


def as_progress(value: Progress | Callable[[str], None] | None) -> Progress:
    """A Progress from what a caller passed: a reporter, a message callable, or nothing."""
    if value is None:
        return Progress()
    if isinstance(value, Progress):
        return value
    return _Callback(value)

"""Python's garbage collector held back while an ingest runs.

An ingest makes millions of short-lived objects (cells, values, row tuples)
and keeps many of them for a while (a batch of rows, a workbook's sheets).
With the collector's default thresholds its full collections run again and
again over everything the process holds (Django, the readers' tables), which
cost the county year's ingest about a sixth of its time. So for the length
of an ingest the objects already alive are set aside (gc.freeze: never
looked at until the ingest ends) and the youngest generation is collected
less often. The ingest makes few reference cycles, so memory stays bounded;
what it does make is collected as usual, only in larger steps. Nothing an
ingest stores depends on when the collector runs.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

# allocations between collections of the youngest generation while an ingest runs
# (Python's default is 700)
INGEST_THRESHOLD = 50_000

P = ParamSpec("P")
R = TypeVar("R")


def collecting_less(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` with the collector held back as above; nested calls keep the outer setting."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        thresholds = gc.get_threshold()
        if thresholds[0] >= INGEST_THRESHOLD:  # already inside one
            return func(*args, **kwargs)
        gc.freeze()
        gc.set_threshold(INGEST_THRESHOLD, *thresholds[1:])
        try:
            return func(*args, **kwargs)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()

    return wrapper

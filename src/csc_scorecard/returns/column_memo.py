"""What the CSV readers' column-by-column fast paths share (returns/local/columnwise.py,
returns/ssda903/columnwise.py).

A CSV repeats a few hundred dates, a handful of codes and a few thousand child
ids many times over, and nearly every cell reads with nothing to report. So a
fast path reads a chunk of rows column by column through a `CellMemo` per
column: spelling -> the value the reader's own cleaning gives it, or `SLOW`
when that cleaning would report anything, in which case the whole row goes to
the reader's row-by-row path, which reports it as it always did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, TypeVar

from csc_scorecard.returns.issues import FileRejected

#: a cell the row-by-row path must see: it has something to report
SLOW: Any = object()
#: rows read column by column at a time: big enough to amortise, small enough that a
#: 200 MB file is never held as rows whole
CHUNK_ROWS = 20_000
#: spellings remembered per column: a hostile file of distinct values cannot grow it
MAX_MEMO = 100_000

T = TypeVar("T")


class CellMemo(dict):
    """spelling -> its value (or SLOW), read by `read` the first time it is asked for."""

    __slots__ = ("read",)

    def __init__(self, read: Callable[[str], Any]):
        super().__init__()
        self.read = read

    def __missing__(self, raw: str) -> Any:
        value = self.read(raw)
        if len(self) < MAX_MEMO:
            self[raw] = value
        return value


def chunks(rows: Iterator[T], size: int | None = None) -> Iterator[list[T]]:
    """`rows` a list of `size` (default CHUNK_ROWS) at a time. A malformed line further on
    (FileRejected) is raised after the rows before it are handed on, as a row-by-row loop
    would have (list.extend keeps what it took before the error)."""
    while True:
        chunk: list[T] = []
        try:
            chunk.extend(islice(rows, size or CHUNK_ROWS))
        except FileRejected:
            if chunk:
                yield chunk
            raise
        if not chunk:
            return
        yield chunk


def plain_id(raw: str) -> bool:
    """An id of ASCII letters and digits only: clean_child_id gives it back as it is
    (nothing to strip, no spreadsheet '.0' to drop)."""
    return raw.isascii() and raw.isalnum()


def quick_date(raw: str) -> dt.date | None | Any:
    """The two date shapes exports use, read the way parse_date reads them, without its
    regular expressions: '2024-04-01' and '01/04/2024' give the date, or SLOW when it is
    not a real calendar date (parse_date's error). Any other text gives None: the
    caller asks parse_date."""
    if len(raw) != 10 or not raw.isascii():
        return None
    try:
        if raw[4] == "-" and raw[7] == "-" and (raw[:4] + raw[5:7] + raw[8:]).isdigit():
            return dt.date(int(raw[:4]), int(raw[5:7]), int(raw[8:]))
        if raw[2] == "/" and raw[5] == "/" and (raw[:2] + raw[3:5] + raw[6:]).isdigit():
            return dt.date(int(raw[6:]), int(raw[3:5]), int(raw[:2]))
    except ValueError:
        return SLOW
    return None

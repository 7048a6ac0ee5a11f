"""The local reader's fast path: a chunk of rows is read column by column.

An extract repeats a few thousand child ids, a few hundred dates and a dozen
team names tens of thousands of times, and nearly every cell reads with
nothing to report. So each column keeps a memo, spelling -> value, filled the
first time a spelling is seen by the same cleaning function the row checker
uses; a spelling that would make the checker say anything (an error, a
warning, a blank in a required column) is remembered as `SLOW`. A chunk's
columns are then read with C-level ``map`` over the memo, and a row is built
straight from its values, unless one of its cells is `SLOW`, its width is not
the header's, or a check across its columns (an end before a start, an
overlap) has something to say: that row goes to the row checker
(reader._Checker.row) as before, which reports it exactly as it always did.
Rows are handed on in file order either way, so the issues come out in the
same order too.

Teams and area populations are tiny and check duplicates across rows: they
have no fast plan and always take the row checker.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from csc_scorecard.returns.base import ColumnBatch
from csc_scorecard.returns.cleaning import (
    MAX_ID_CHARS,
    clean_text,
    parse_bool,
    parse_child_id,
    parse_code,
    parse_date,
    parse_float,
    parse_int,
)
from csc_scorecard.returns.column_memo import SLOW, CellMemo, chunks, plain_id, quick_date
from csc_scorecard.returns.local.extracts import (
    ASSESSMENT_TIMESCALES,
    EARLY_HELP_CLOSURE_ALIASES,
    EARLY_HELP_CLOSURES,
)
from csc_scorecard.returns.local.fields import MAX_NAME_CHARS, VISIT_KIND_ALIASES, VISIT_KINDS

_SPACES = re.compile(r"\s+")


# ---- cell readings: the value the checker would keep, or SLOW where it would report ----
# Each mirrors the "nothing to report" case of one reader._Checker field helper.


def read_child(raw: str) -> Any:
    if plain_id(raw) and len(raw) <= MAX_ID_CHARS:
        return raw
    parsed = parse_child_id(raw)
    return parsed.value if parsed.value and not parsed.error else SLOW


def name_reader(required: bool, max_chars: int) -> Callable[[str], Any]:
    def read(raw: str) -> Any:
        value = _SPACES.sub(" ", clean_text(raw))
        if (required and not value) or len(value) > max_chars:
            return SLOW
        return value

    return read


def date_reader(required: bool) -> Callable[[str], Any]:
    def read(raw: str) -> Any:
        day = quick_date(raw)
        if day is not None:
            return day
        parsed = parse_date(raw)
        if parsed.error or parsed.warning or (required and parsed.value is None):
            return SLOW
        return parsed.value

    return read


def code_reader(valid: list[str], aliases: dict[str, str], *, required: bool) -> Callable[[str], Any]:
    def read(raw: str) -> Any:
        parsed = parse_code(raw, valid, aliases)
        if not parsed.ok or (required and parsed.value is None):
            return SLOW
        return parsed.value

    return read


def read_bool(raw: str) -> Any:
    parsed = parse_bool(raw)
    return parsed.value if parsed.ok else SLOW


def number_reader(whole: bool) -> Callable[[str], Any]:
    def read(raw: str) -> Any:
        parsed = parse_int(raw) if whole else parse_float(raw)
        if not parsed.ok or (parsed.value is not None and parsed.value < 0):
            return SLOW
        return parsed.value

    return read


@dataclass(frozen=True)
class FastPlan:
    """How one extract's rows are read on the fast path: its columns, each with its
    cell reading, and `build`, which makes the row from the values (and the Excel row
    number, last) or returns None when a check across columns has something to say.
    A row is a tuple of its columns' fields and then source_row (`names`); with no
    `build`, every row is its values as read."""

    columns: tuple[tuple[str, Callable[[str], Any]], ...]
    build: Callable[..., tuple | None] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (*(name for name, _read in self.columns), "source_row")


def _in_order(later: dt.date | None, earlier: dt.date | None) -> bool:
    return later is None or earlier is None or later >= earlier


def read_rows(checker: Any, plan: FastPlan | None, rows: Iterator[list[str]], first_row: int) -> None:
    """Check every row after the header (Excel row `first_row` on), fast where it can be."""
    if plan is None:
        for excel_row, row in enumerate(rows, start=first_row):
            if clean_text("".join(row)):  # every cell blank (one call, not one a cell)
                checker.row(row, excel_row)
        return
    width = checker.width
    filler = [""] * width  # stands in for a row of another width (which goes slow)
    # a column the file does not have reads as blank, as the checker's _raw gives it
    getters = [
        itemgetter(checker.positions[name]) if name in checker.positions else None
        for name, _read in plan.columns
    ]
    memos = [CellMemo(read) for _name, read in plan.columns]
    start = first_row
    for chunk in chunks(rows):
        odd = [i for i, n in enumerate(map(len, chunk)) if n != width]
        even = chunk
        if odd:
            even = list(chunk)
            for i in odd:
                even[i] = filler
        columns = []
        for getter, memo in zip(getters, memos, strict=True):
            if getter is None:
                columns.append([memo[""]] * len(chunk))
            else:
                columns.append(list(map(memo.__getitem__, map(getter, even))))
        slow = set(odd)
        for values in columns:
            if SLOW in values:
                slow.update(i for i, v in enumerate(values) if v is SLOW)
        _hand_on(checker, plan, chunk, start, columns, slow)
        start += len(chunk)


def _hand_on(
    checker: Any, plan: FastPlan, chunk: list[list[str]], start: int, columns: list[list],
    slow: set[int],
) -> None:
    build = plan.build
    numbers = range(start, start + len(chunk))
    if build is None and not slow:  # the usual chunk: its columns are its rows' fields
        _hand_columns(checker, plan, len(chunk), [*columns, numbers])
        return
    rows: list[tuple] = []  # built since the last row the checker saw, handed on before it
    for i, values in enumerate(zip(*columns, numbers, strict=True)):
        if i not in slow:
            out = values if build is None else build(checker, *values)
            if out is not None:
                rows.append(out)
                continue
        row = chunk[i]
        if clean_text("".join(row)):  # every cell blank (one call, not one a cell)
            if rows:
                _hand_columns(checker, plan, len(rows), list(zip(*rows, strict=True)))
                rows = []
            checker.row(row, start + i)
    if rows:
        _hand_columns(checker, plan, len(rows), list(zip(*rows, strict=True)))


def _hand_columns(checker: Any, plan: FastPlan, size: int, columns: list) -> None:
    checker.rows_read += size
    batch = ColumnBatch(size, dict(zip(plan.names, columns, strict=True)))
    checker.result.add_columns(checker.fmt.table, batch)


# ---- the plans: one per extract with a fast path -----------------------------------
# Each `build` gives the fields the checker's handler stores (in the plan's column
# order, then source_row) and None where the handler would report something across
# columns; extracts with no such check have no build.


def _allocation(checker: Any, child, team, worker, start, end, excel_row) -> tuple | None:
    if not _in_order(end, start):
        return None
    intervals = checker.intervals[child]
    for other_start, other_end, _row in intervals:
        if start < (other_end or dt.date.max) and other_start < (end or dt.date.max):
            return None  # an overlap: the checker warns of it
    intervals.append((start, end, excel_row))
    return child, team, worker, start, end, excel_row


def _early_help(checker: Any, child, start, assessed, end, team, reason, excel_row) -> tuple | None:
    if (reason and end is None) or not (_in_order(end, start) and _in_order(assessed, start)):
        return None  # a closure without an end date, or dates out of order
    return child, start, assessed, end, team, (reason or "") if end else "", excel_row


def _assessment_timescale(checker: Any, child, start, done, cancelled, days, excel_row):
    if not (_in_order(done, start) and _in_order(cancelled, start)):
        return None
    return child, start, done, cancelled, days, excel_row


def _s47_completion(checker: Any, child, start, done, excel_row) -> tuple | None:
    if not _in_order(done, start):
        return None
    return child, start, done, excel_row


def _health_assessment(checker: Any, child, iha, started, excel_row) -> tuple | None:
    if not _in_order(iha, started):
        return None
    return child, iha, started, excel_row


def _timescale_days(raw: str) -> Any:
    days = number_reader(True)(raw)
    return days if days in ASSESSMENT_TIMESCALES else SLOW


_REQUIRED_DATE, _DATE = date_reader(True), date_reader(False)
_REQUIRED_NAME, _NAME = name_reader(True, MAX_NAME_CHARS), name_reader(False, MAX_NAME_CHARS)
_FIGURE, _WHOLE = number_reader(False), number_reader(True)

FAST_PLANS: dict[str, FastPlan] = {
    "visits": FastPlan(
        (("child_id", read_child),
         ("kind", code_reader(VISIT_KINDS, VISIT_KIND_ALIASES, required=True)),
         ("visit_date", _REQUIRED_DATE), ("seen_alone", read_bool)),
    ),
    "allocations": FastPlan(
        (("child_id", read_child), ("team", _REQUIRED_NAME), ("worker", _NAME),
         ("start_date", _REQUIRED_DATE), ("end_date", _DATE)),
        _allocation,
    ),
    "workforce": FastPlan(
        (("team", _REQUIRED_NAME), ("snapshot_date", _REQUIRED_DATE), ("fte_in_post", _FIGURE),
         ("agency_fte", _FIGURE), ("vacancy_fte", _FIGURE), ("leavers_fte", _FIGURE),
         ("cases", _WHOLE)),
    ),
    "early_help": FastPlan(
        (("child_id", read_child), ("start_date", _REQUIRED_DATE), ("assessment_date", _DATE),
         ("end_date", _DATE), ("team", _NAME),
         ("closure_reason",
          code_reader(EARLY_HELP_CLOSURES, EARLY_HELP_CLOSURE_ALIASES, required=False))),
        _early_help,
    ),
    "assessment_timescales": FastPlan(
        (("child_id", read_child), ("start_date", _REQUIRED_DATE), ("completed_date", _DATE),
         ("cancelled_date", _DATE), ("timescale_days", _timescale_days)),
        _assessment_timescale,
    ),
    "s47_completions": FastPlan(
        (("child_id", read_child), ("start_date", _REQUIRED_DATE), ("completed_date", _DATE)),
        _s47_completion,
    ),
    "health_assessments": FastPlan(
        (("child_id", read_child), ("iha_date", _REQUIRED_DATE), ("care_start_date", _DATE)),
        _health_assessment,
    ),
    "cin_plan_reviews": FastPlan(
        (("child_id", read_child), ("review_date", _REQUIRED_DATE)),
    ),
}

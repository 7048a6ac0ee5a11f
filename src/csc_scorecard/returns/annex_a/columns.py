"""Cleaning an Annex A table a column at a time: the list reader's fast path.

A list repeats few distinct values in most columns (two genders, a few
hundred dates), and the ids and names that do differ are nearly all plain
text already. So rather than clean each of a workbook's half a million cells
in turn, a block of rows is split into columns, each column's *distinct*
values are cleaned once (by the same `ListReader._parse_cell` the
cell-by-cell path uses, or by a check that plain text is already clean), and
the rows are put back together with C-level maps.

Only rows with nothing to report take this path. A row holding any value
that has an error or a warning, or that leaves a required value missing, is
marked for `ListReader._parse_row` to read cell by cell, in its place among
the others, so its issues are worded, located and ordered exactly as before.

Values come either as openpyxl and the CSV reader give them, or as calamine
gives them ("native": '' for an empty cell, floats for whole numbers, dates
as dates); native values are turned into openpyxl's shape (`as_openpyxl`)
before anything parses them, so both kinds clean to the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

from csc_scorecard.returns.annex_a.spec import ColumnSpec
from csc_scorecard.returns.cleaning import MAX_ID_CHARS, Parsed, clean_text

CHUNK_ROWS = 5000  # rows split into columns at a time: memory stays bounded
MEMO_LIMIT = 100_000  # distinct raw values remembered per column before starting afresh

_SLOW = object()  # the memo's mark for a value that must be read cell by cell


def as_openpyxl(value: object) -> object:
    """A calamine value as openpyxl gives it: '' is None, 3.0 is 3, a date a datetime."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        number = cast(float, value)
        return int(number) if number.is_integer() else number
    if kind is dt.date:
        day = cast(dt.date, value)
        return dt.datetime(day.year, day.month, day.day)
    return value


def _same(value: object) -> object:
    return value


def is_blank_value(value: object) -> bool:
    """A cell that counts as empty (as the row-by-row reader's `_is_blank` sees it)."""
    return value is None or (isinstance(value, str) and not clean_text(value))


def plain_text_limit(col: ColumnSpec, text_chars: int) -> int:
    """How long an already clean str may be to be kept as it is: 0 when a
    column's values always need parsing (only ids and free text are kept as given)."""
    if col.kind == "id":
        return MAX_ID_CHARS
    if col.kind == "text":
        return text_chars
    return 0


@dataclass
class CleanBlock:
    """One block of rows, cleaned: what the reader does with each row, by position."""

    values: list[tuple]  # every row's cleaned values, in `cells` order (valid unless slow/blank)
    slow: set[int] = field(default_factory=set)  # rows to read cell by cell
    blank: set[int] = field(default_factory=set)  # rows with no values at all: skipped


class ColumnCleaner:
    """Cleans the rows of one table block by block, remembering each column's values."""

    def __init__(
        self,
        cells: list[tuple[int, ColumnSpec]],
        parse_cell: Callable[[ColumnSpec, object], tuple[Parsed, object]],
        *,
        native: bool,
        text_chars: int,
    ) -> None:
        self.cells = cells
        self.parse_cell = parse_cell
        self.norm: Callable[[object], object] = as_openpyxl if native else _same
        self.native = native
        self.positions = [pos for pos, _ in cells]
        self.needed = max(self.positions, default=-1) + 1  # a row this long holds every cell
        self.limits = [plain_text_limit(col, text_chars) for _, col in cells]
        self.memos: list[dict] = [{} for _ in cells]
        self.slow_values: list[set] = [set() for _ in cells]
        # whether a column's memo gives any usable value other than the raw one:
        # a column that cleans to itself (plain ids, calamine's dates) needs no map
        self.changes = [False] * len(cells)
        # the first required column decides quickly which rows can be blank
        self.probe = next((j for j, (_, col) in enumerate(cells) if col.required), None)

    def normalised(self, row: Sequence) -> list | Sequence:
        """A row as the cell-by-cell path reads it."""
        return list(map(self.norm, row)) if self.native else row

    def clean(self, block: list[Sequence]) -> CleanBlock:
        try:
            return self._clean(block)
        except TypeError:  # an unhashable value (none come from the readers): cell by cell
            return CleanBlock([()] * len(block), slow=set(range(len(block))))

    def _clean(self, block: list[Sequence]) -> CleanBlock:
        if not self.cells:
            return CleanBlock([()] * len(block), slow=set(range(len(block))))
        needed, shortest = self.needed, min(map(len, block))
        if shortest < needed or shortest != max(map(len, block)):
            # rows of different lengths (CSV): padded, as missing cells are empty
            width = max(needed, max(map(len, block)))
            block = [r if len(r) == width else [*r, *[None] * (width - len(r))] for r in block]
        every = list(zip(*block, strict=True))  # all of the block's columns, in C
        columns = [every[pos] for pos in self.positions]
        out = CleanBlock([])
        blank_probe: set = set()
        cleaned: list = []
        for j, column in enumerate(columns):
            distinct = set(column)
            if (True in distinct or False in distinct) and bool in set(map(type, column)):
                # True == 1 == 1.0, so one set or dict key would stand for all three:
                # cells of type bool are read cell by cell and kept out of the memo
                out.slow.update(i for i, v in enumerate(column) if type(v) is bool)
                distinct = {v for v in column if type(v) is not bool}
                memo = self._remember(j, distinct)
                cleaned.append([None if type(v) is bool else memo[v] for v in column])
            else:
                memo = self._remember(j, distinct)
                cleaned.append(map(memo.__getitem__, column) if self.changes[j] else column)
            slow_here = distinct & self.slow_values[j]
            if slow_here:
                out.slow.update(i for i, v in enumerate(column) if v in slow_here)
                if j == self.probe:  # a blank required cell is always a slow one
                    blank_probe = {v for v in slow_here if is_blank_value(self.norm(v))}
        out.values = list(zip(*cleaned, strict=True))
        self._find_blank_rows(block, columns, blank_probe, out)
        return out

    def _remember(self, j: int, distinct: set) -> dict:
        """Column j's memo (raw value -> cleaned value, or _SLOW), with `distinct` in it."""
        memo, slow = self.memos[j], self.slow_values[j]
        if len(memo) > MEMO_LIMIT:  # a hostile sheet of distinct values: start afresh
            memo.clear()
            slow.clear()
            self.changes[j] = False
        new = [v for v in distinct if v not in memo]
        if not new:
            return memo
        col = self.cells[j][1]
        if limit := self.limits[j]:
            # Ids and free text: nearly every value is distinct, and already clean when
            # it is non-empty ASCII with no surrounding space, not over the limit and
            # not starting '#' (as Excel's errors all do); the parser would give it back
            # unchanged. Ids with a '.' are left to it: it reads '123.0' as '123'.
            dotted = col.kind != "id"
            plain = [
                v
                for v in new
                if type(v) is str
                and 0 < len(v) <= limit
                and v.isascii()
                and v[0] != "#"
                and v.strip() == v
                and (dotted or "." not in v)
            ]
            if plain:
                memo.update(zip(plain, plain, strict=True))
                if len(plain) == len(new):
                    return memo
                new = [v for v in new if v not in memo]
        elif col.kind == "date":
            # a date cell is always a clean date (parse_date); calamine's are kept as they are
            dates = [v for v in new if type(v) is dt.date]
            if dates:
                memo.update(zip(dates, dates, strict=True))
                new = [v for v in new if v not in memo]
        norm, parse = self.norm, self.parse_cell
        for value in new:
            parsed, _shown = parse(col, norm(value))
            if not (parsed.error or parsed.warning) and (
                parsed.value not in (None, "") or not col.required
            ):
                memo[value] = cleaned = parsed.value
                if not (cleaned is value or (type(cleaned) is str and cleaned == value)):
                    self.changes[j] = True
            else:
                memo[value] = _SLOW
                slow.add(value)
        return memo

    def _find_blank_rows(
        self, block: list[Sequence], columns: Sequence[Sequence], blank_probe: set, out: CleanBlock
    ) -> None:
        # A row whose required (probe) cell holds a value is not blank; only the
        # others (a sheet's trailing empty rows, rows without an id) are looked at whole.
        if self.probe is None:
            candidates: Sequence[int] = range(len(block))
        elif blank_probe:
            candidates = [i for i, v in enumerate(columns[self.probe]) if v in blank_probe]
        else:
            return
        norm = self.norm
        for i in candidates:
            if all(is_blank_value(norm(v)) for v in block[i]):
                out.blank.add(i)

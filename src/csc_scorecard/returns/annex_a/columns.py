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
from operator import itemgetter

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
        return int(value) if value.is_integer() else value  # type: ignore[attr-defined]
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)  # type: ignore[attr-defined]
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


def is_plain(text: str, limit: int, *, dotted: bool) -> bool:
    """Whether cleaning a str cell would give it back unchanged, with nothing to say.

    True for non-empty ASCII text with no surrounding space, not over
    `limit` characters and not starting '#' (Excel's errors all do). Ids with a
    '.' are left to the parser (dotted=False), which reads '123.0' as '123'.
    """
    return (
        0 < len(text) <= limit
        and text.isascii()
        and text[0] != "#"
        and text.strip() == text
        and (dotted or "." not in text)
    )


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
        self.pick = itemgetter(*self.positions) if len(cells) > 1 else None
        self.limits = [plain_text_limit(col, text_chars) for _, col in cells]
        self.memos: list[dict] = [{} for _ in cells]
        self.slow_values: list[set] = [set() for _ in cells]
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
        needed = self.needed
        if min(map(len, block)) < needed:  # short CSV rows: the missing cells are empty
            block = [r if len(r) >= needed else [*r, *[None] * (needed - len(r))] for r in block]
        if self.pick is None:
            columns: list[Sequence] = [[row[self.positions[0]] for row in block]]
        else:
            columns = list(zip(*map(self.pick, block), strict=True))
        out = CleanBlock([])
        blank_probe: set = set()
        cleaned = []
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
                cleaned.append(map(memo.__getitem__, column))
            slow_here = distinct & self.slow_values[j]
            if slow_here:
                out.slow.update(i for i, v in enumerate(column) if v in slow_here)
            if j == self.probe:
                blank_probe = {v for v in distinct if is_blank_value(self.norm(v))}
        out.values = list(zip(*cleaned, strict=True))
        self._find_blank_rows(block, columns, blank_probe, out)
        return out

    def _remember(self, j: int, distinct: set) -> dict:
        """Column j's memo (raw value -> cleaned value, or _SLOW), with `distinct` in it."""
        memo, slow = self.memos[j], self.slow_values[j]
        if len(memo) > MEMO_LIMIT:  # a hostile sheet of distinct values: start afresh
            memo.clear()
            slow.clear()
        new = [v for v in distinct if v not in memo]
        if not new:
            return memo
        col = self.cells[j][1]
        limit = self.limits[j]
        dotted = col.kind != "id"
        norm, parse = self.norm, self.parse_cell
        for value in new:
            if limit and type(value) is str and is_plain(value, limit, dotted=dotted):
                memo[value] = value
                continue
            parsed, _shown = parse(col, norm(value))
            if not (parsed.error or parsed.warning) and (
                parsed.value not in (None, "") or not col.required
            ):
                memo[value] = parsed.value
            else:
                memo[value] = _SLOW
                slow.add(value)
        return memo

    def _find_blank_rows(
        self, block: list[Sequence], columns: list[Sequence], blank_probe: set, out: CleanBlock
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

"""The 903 CSV reader's fast path: a chunk of records is read column by column.

A 903 table repeats a few hundred dates and a handful of codes thousands of
times, and nearly every cell reads with nothing to report. So each column
keeps a memo, spelling -> value, filled the first time a spelling is seen by
the RowParser's own reading of a cell (RowParser._value); a spelling that
RowParser.parse would say anything about (an error, a warning, a blank in a
required column, a code that ends on some date) is remembered as `SLOW`. A
chunk's columns are then read with C-level ``map`` over the memos, and a
record whose cells are all clean becomes its row straight away; any other
record is given to RowParser.parse as before, which reports it exactly as it
always did. The caller keeps the records in file order, so the issues come
out in the same order too.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from csc_scorecard.returns.cleaning import clean_text
from csc_scorecard.returns.column_memo import SLOW, CellMemo, plain_id, quick_date
from csc_scorecard.returns.ssda903.parsing import RowParser, blank_value
from csc_scorecard.returns.ssda903.yearspec import ColumnSpec


def cell_reader(parser: RowParser, col: ColumnSpec) -> Callable[[str], Any]:
    """How RowParser.parse reads a cell of `col` that the file has, when that reading
    has nothing to report; else SLOW."""

    def read(raw: str) -> Any:
        if col.type == "child_id" and plain_id(raw):
            return raw
        if col.type == "date":
            day = quick_date(raw)
            if day is not None:
                return day
        text = clean_text(raw)
        codes_read: dict[str, str] = {}
        parsed = parser._value(col, text, codes_read)
        if parsed.error or parsed.warning or (not text and col.required):
            return SLOW
        if codes_read.get(col.name, "") in col.code_ends:
            return SLOW  # a code that ends: whether it may be used depends on the row's date
        return parsed.value

    return read


class TableReading:
    """The fast path for one CSV of one table, given its header positions (`mapping`,
    position -> column name, as match_columns gives it)."""

    def __init__(self, parser: RowParser, mapping: dict[int, str]):
        self.parser = parser
        position = {name: pos for pos, name in mapping.items()}
        self.getters: list[Callable[[list[str]], str]] = []
        self.memos: list[CellMemo] = []
        # the row's keys, in the order RowParser.parse makes them, and where each value
        # comes from: ("cell", i) the i-th read column, ("row",) the Excel row, or a constant
        sources: dict[str, tuple] = {"child_id": ("constant", ""), "source_row": ("row",)}
        for col in parser.table.columns.values():
            if col.name in position:
                if col.field:
                    sources[col.field] = ("cell", len(self.memos))
                self.getters.append(itemgetter(position[col.name]))
                self.memos.append(CellMemo(cell_reader(parser, col)))
            elif col.field:  # a column the file lacks reads as blank, with nothing to say
                sources[col.field] = ("constant", blank_value(col))
        self.keys = tuple(sources)
        self.sources = tuple(sources.values())
        self.width = max(mapping, default=-1) + 1  # records shorter than this go slow
        # a record read fast has a required cell that is not blank, so it is not a blank row
        self.never_blank = any(
            col.required for col in parser.table.columns.values() if col.name in position
        )

    def rows(self, records: list[list[str]], row_numbers: list[int]) -> list[dict | None]:
        """Each record's row when every cell of it reads with nothing to say, else None
        (the caller hands it to RowParser.parse)."""
        count = len(records)
        short = [i for i, n in enumerate(map(len, records)) if n < self.width]
        if short:
            records = list(records)
            filler = [""] * self.width
            for i in short:
                records[i] = filler
        cells = [
            list(map(memo.__getitem__, map(getter, records)))
            for getter, memo in zip(self.getters, self.memos, strict=True)
        ]
        slow = set(short)
        for values in cells:
            if SLOW in values:
                slow.update(i for i, v in enumerate(values) if v is SLOW)
        columns = [
            cells[source[1]] if source[0] == "cell"
            else row_numbers if source[0] == "row"
            else [source[1]] * count
            for source in self.sources
        ]
        keys = self.keys
        return [
            None if i in slow else dict(zip(keys, values, strict=True))
            for i, values in enumerate(zip(*columns, strict=True))
        ]

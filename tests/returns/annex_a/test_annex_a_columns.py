"""The column-at-a-time fast path hands every cell with something to say to the cell-by-cell path."""

from __future__ import annotations

import datetime as dt

from csc_scorecard.returns.annex_a.columns import ColumnCleaner
from csc_scorecard.returns.annex_a.spec import load_spec
from csc_scorecard.returns.annex_a.tables import ListReader
from csc_scorecard.returns.base import ReadResult


def _cleaner(native: bool) -> ColumnCleaner:
    spec = load_spec().lists[1]
    cells = [(0, spec.column("child_id")), (1, spec.column("contact_date"))]
    reader = ListReader(ReadResult("annex_a", []))
    return ColumnCleaner(cells, reader._parse_cell, native=native, text_chars=80)


def test_plain_rows_are_clean_and_the_rest_go_cell_by_cell():
    day = dt.date(2024, 5, 1)
    block = [
        ["123", day],  # 0 plain
        [" 45 ", day],  # 1 spaces: the parser strips them, but reports nothing -> clean "45"
        [True, day],  # 2 a bool: never from the memo
        [1.0, day],  # 3 a float id: parsed, "1"
        ["", day],  # 4 a missing id: slow (reported)
        ["9", "31/02/2024"],  # 5 a bad date: slow
        ["", ""],  # 6 blank
        ["x" * 60, day],  # 7 too long an id: slow
    ]
    out = _cleaner(native=True).clean(block)
    assert out.blank == {6}
    assert out.slow - out.blank == {2, 4, 5, 7}  # a blank row is skipped before anything
    assert out.values[0] == ("123", day)
    assert out.values[1] == ("45", day)
    assert out.values[3] == ("1", day)


def test_true_and_one_are_not_taken_for_each_other():
    block = [[1.0, dt.date(2024, 5, 1)], [True, dt.date(2024, 5, 1)]]
    out = _cleaner(native=True).clean(block)
    assert out.slow == {1}
    assert out.values[0][0] == "1"


def test_openpyxl_datetimes_and_short_rows():
    block = [["5", dt.datetime(2024, 5, 1, 9, 30)], ["6"]]
    out = _cleaner(native=False).clean(block)
    assert out.values[0] == ("5", dt.date(2024, 5, 1))
    assert out.slow == {1}  # no contact date: a required value missing

"""tables._list_column: a column of lists built from its distinct lists."""

import polars as pl

from csc_scorecard.validation.cin.tables import _list_column

LIST = pl.List(pl.Utf8)


def test_lists_keep_their_rows_and_order():
    values = (["3A", "4B"], [], ["3A", "4B"], ["21"], [])
    got = _list_column(values, LIST)
    assert got.dtype == LIST
    assert got.to_list() == [["3A", "4B"], [], ["3A", "4B"], ["21"], []]


def test_no_rows_gives_an_empty_list_column():
    got = _list_column((), LIST)
    assert got.dtype == LIST and got.len() == 0

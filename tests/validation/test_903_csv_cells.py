"""The 903 CSV loader's cells: cleaned a column at a time, the odd ones by _value.

A cell that starts and ends with printable ASCII is kept as it is; any other
(blank, padded, a BOM, a non-ASCII space or control character at an end) goes
through _value, as every cell did before; ragged rows and repeated columns
take the row-by-row path. Each case is worked by hand.
"""

from __future__ import annotations

from csc_scorecard.validation.ssda903.tables import load_903_tables

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"


def _load(tmp_path, text):
    path = tmp_path / "header.csv"
    path.write_text(text, encoding="utf-8")
    return load_903_tables([path]).tables["Header"]


def test_cells_needing_cleaning_are_cleaned_and_the_others_kept(tmp_path):
    rows = [
        "1, M ,01/01/2012,WBRI,UN2,,",  # padded with spaces
        "2,\u00a0F,\ufeff02/02/2012,\u2003WBRI\u2003,\x1cUN1,0, ",  # NBSP, a BOM, em spaces, a Python-only space
        "3,F x,03/03/2013,WBRI,A 1,1,\t",  # inner spaces kept; a tab is blank
        "4,é,04/04/2014,ÀWBRI,UN2é,,",  # non-ASCII letters at an end: through _value, unchanged
    ]
    h = _load(tmp_path, "\n".join([HEADER, *rows]) + "\n")
    assert h["SEX"].to_list() == ["M", "F", "F x", "é"]
    assert h["DOB"].to_list() == ["01/01/2012", "02/02/2012", "03/03/2013", "04/04/2014"]
    assert h["ETHNIC"].to_list() == ["WBRI", "WBRI", "WBRI", "ÀWBRI"]
    assert h["UPN"].to_list() == ["UN2", "UN1", "A 1", "UN2é"]
    assert h["MOTHER"].to_list() == [None, "0", "1", None]
    assert h["MC_DOB"].to_list() == [None, None, None, None]
    assert h["_row"].to_list() == [2, 3, 4, 5] and h["_child"].to_list() == ["1", "2", "3", "4"]


def test_a_file_of_blank_rows_only_has_an_empty_table(tmp_path):
    h = _load(tmp_path, HEADER + "\n,,,,,,\n \n")
    assert h.height == 0 and h.columns[:2] == ["CHILD", "SEX"]
    assert h.schema["CHILD"].is_(h.schema["_child"])


def test_ragged_rows_go_row_by_row(tmp_path):
    # Row 2 has a cell too many (ignored), row 3 stops after DOB (the rest blank).
    h = _load(tmp_path, HEADER + "\n1,M,01/01/2012,WBRI,UN2,,,extra\n2, F ,02/02/2012\n")
    assert h.select("CHILD", "SEX", "DOB", "ETHNIC").rows() == [
        ("1", "M", "01/01/2012", "WBRI"), ("2", "F", "02/02/2012", None)]


def test_a_repeated_column_keeps_its_last_cell(tmp_path):
    h = _load(tmp_path, HEADER + ",SEX\n1,M,01/01/2012,WBRI,UN2,,, F \n")
    assert h["SEX"].to_list() == ["F"]
    assert h.columns.count("SEX") == 1


def test_the_column_path_matches_the_row_by_row_path_on_odd_cells():
    # Every cell kind side by side, odd ones in some columns only (so some are cleaned
    # whole-column and some again by _value): the same frame as _frame over _value'd dicts.
    from csc_scorecard.validation.ssda903.tables import _frame, _frame_by_column, _value

    kinds = ["", " ", "A", " A", "A ", "\ufeffB", "\u00a0C\u00a0", "é", "x y", "\t", "1", "\x1c", "ÀZ"]
    columns = ["CHILD", "SEX", "DOB", "", "ETHNIC"]
    records = [[kinds[(r * 3 + c) % len(kinds)] if c != 1 else "M" for c in range(len(columns))]
               for r in range(len(kinds) * 2)]
    positions = list(range(2, 2 + len(records)))
    rows = [{c: _value(v) for c, v in zip(columns, record, strict=True) if c} for record in records]
    expected = _frame(rows, [c for c in columns if c], positions)
    got = _frame_by_column(records, columns, positions)
    assert got.equals(expected) and got.schema == expected.schema
    clean = [["1", "M", "01/01/2012", "x", "WBRI"], ["2", "", "", "y", "WBRI"]]
    rows = [{c: _value(v) for c, v in zip(columns, record, strict=True) if c} for record in clean]
    assert _frame_by_column(clean, columns, [2, 3]).equals(_frame(rows, [c for c in columns if c], [2, 3]))

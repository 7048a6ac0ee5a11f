"""The 903 CSV reader's column-by-column fast path (returns/ssda903/columnwise.py)
hands every record with something to say to RowParser.parse: the rows, issues and
counts are exactly those of the record-by-record reading."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from csc_scorecard.returns import column_memo
from csc_scorecard.returns.column_memo import SLOW, quick_date
from csc_scorecard.returns.ssda903 import columnwise, read_csv_tables

DATES = ["01/04/2024", "15/06/2023", "2024-05-01", "31/02/2024", "1/6/24", "", "soon",
         " 02/02/2011 ", "45000", "0000-01-01"]
CODES = ["C2", "c2", "V2", "", "ZZ", "U4", "H5", "P2"]
CHILDREN = ["100", "101", "102.0", " 103 ", "", "A-1"]
POSTS = ["ZY10 5", "ab1 2cd", "", "nowhere at all"]
EPISODES = {
    "CHILD": CHILDREN, "DECOM": DATES, "RNE": ["P", "L", "", "Q"], "LS": CODES,
    "CIN": ["N1", "n2", "", "N9"], "PLACE": CODES, "PLACE_PROVIDER": ["PR1", "", "PRX"],
    "DEC": DATES, "REC": ["E8", "", "X1"], "REASON_PLACE_CHANGE": ["", "CARPL", "??"],
    "HOME_POST": POSTS, "PL_POST": POSTS, "URN": ["SC308903", "", "XXXXXXXXXXXXXXXXXX"],
}
HEADER = {"CHILD": CHILDREN, "SEX": ["M", "F", "1", "", "X"], "DOB": DATES,
          "ETHNIC": ["WBRI", "", "NOPE"], "UPN": ["X356749508527", ""], "MOTHER": ["0", "1", "", "2"],
          "MC_DOB": DATES}


def _hostile(path: Path, columns: dict[str, list[str]], seed: int) -> Path:
    rng = random.Random(seed)
    lines = [",".join(columns)]
    for _ in range(300):
        cells = [rng.choice(pool) if rng.random() < 0.25 else pool[0] for pool in columns.values()]
        roll = rng.random()
        if roll < 0.03:
            cells = [""] * len(cells)
        elif roll < 0.06:
            cells = cells[:3]
        elif roll < 0.09:
            cells.append(rng.choice(["", "extra"]))
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")
    return path


def _everything(result) -> tuple:
    return (dict(result.tables), dict(result.quarantined), result.source_rows,
            [i.as_row() for i in result.issues])


def _record_by_record(paths, monkeypatch) -> tuple:
    with monkeypatch.context() as patch:  # every cell SLOW: every record goes to parse
        patch.setattr(columnwise, "cell_reader", lambda parser, col: lambda raw: SLOW)
        return _everything(read_csv_tables(paths, year="2024-25"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_reads_hostile_records_as_row_parser_does(tmp_path, monkeypatch, seed):
    paths = [_hostile(tmp_path / "episodes.csv", EPISODES, seed),
             _hostile(tmp_path / "header.csv", HEADER, seed + 10)]
    fast = _everything(read_csv_tables(paths, year="2024-25"))
    assert fast == _record_by_record(paths, monkeypatch)
    assert fast[3] and fast[0], "the files are meant to hold both problems and good rows"


def test_chunks_keep_row_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(column_memo, "CHUNK_ROWS", 11)
    paths = [_hostile(tmp_path / "episodes.csv", EPISODES, 4)]
    assert _everything(read_csv_tables(paths, year="2024-25")) == _record_by_record(
        paths, monkeypatch
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2024-04-01", dt.date(2024, 4, 1)), ("01/04/2024", dt.date(2024, 4, 1)),
     ("31/02/2024", SLOW), ("2024-02-30", SLOW), ("1/4/2024", None), ("01.04.2024", None),
     (" 2024-4-1 ", None), ("2024-04-01T10:00", None), ("١٢/٠٤/٢٠٢٤", None), ("", None)],
)
def test_quick_date(raw, expected):
    assert quick_date(raw) is expected if expected in (None, SLOW) else quick_date(raw) == expected

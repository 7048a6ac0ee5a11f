"""The local reader's column-by-column fast path (returns/local/columnwise.py) hands
every cell with something to say to the row checker: the rows, issues and counts
are exactly those of the row-by-row reading."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from csc_scorecard.returns import column_memo
from csc_scorecard.returns.column_memo import SLOW
from csc_scorecard.returns.local import columnwise, read_local_csv
from csc_scorecard.returns.local.columnwise import read_child

# spellings per column: the good ones the fast path takes, and every kind of trouble
CHILD = ["1001", "1002", "1003", "1004.0", " 1005 ", "A-17", "x" * 51, "", "\ufeff1006", "١٢٣"]
DATE = ["2024-04-01", "01/05/2024", "2024-06-01", "2025-03-31", "1/6/24", "31/02/2024",
        "not a date", "", "45000", " 2024-07-01 "]
NAME = ["Locality 1 Unit 1", "  CIC  Team ", "", "T" * 81, "North\u00a0Team"]
KIND = ["CIN", "cp", "Child in need", "Home", "", "CLA"]
BOOL = ["Y", "n", "1", "", "maybe", "TRUE"]
REASON = ["OUTCOMES_MET", "step up", "", "lost", "MOVED"]
NUMBER = ["1", "0", "6.5", "-1", "lots", "", "25", "10", "45", "2.5"]

COLUMNS = {
    "visits": {"child_id": CHILD, "kind": KIND, "visit_date": DATE, "seen_alone": BOOL},
    "allocations": {"child_id": CHILD[:4] * 3 + CHILD, "team": NAME, "worker": NAME,
                    "start_date": DATE, "end_date": DATE},
    "early_help": {"child_id": CHILD, "start_date": DATE, "assessment_date": DATE,
                   "end_date": DATE, "closure_reason": REASON, "team": NAME},
    "assessment_timescales": {"child_id": CHILD, "start_date": DATE, "timescale_days": NUMBER,
                              "completed_date": DATE, "cancelled_date": DATE},
    "s47_completions": {"child_id": CHILD, "start_date": DATE, "completed_date": DATE},
    "health_assessments": {"child_id": CHILD, "iha_date": DATE, "care_start_date": DATE},
    "cin_plan_reviews": {"child_id": CHILD, "review_date": DATE},
    "workforce": {"team": NAME, "snapshot_date": DATE, "fte_in_post": NUMBER,
                  "agency_fte": NUMBER, "vacancy_fte": NUMBER, "leavers_fte": NUMBER,
                  "cases": NUMBER},
}


def _hostile_csv(path: Path, subtype: str, seed: int, *, drop: str = "") -> Path:
    rng = random.Random(seed)
    pools = {k: v for k, v in COLUMNS[subtype].items() if k != drop}
    lines = [",".join(pools)]
    for _ in range(400):
        roll = rng.random()
        if roll < 0.03:
            lines.append("")  # a blank line
            continue
        cells = [rng.choice(pool) if rng.random() < 0.3 else pool[rng.randrange(2)]
                 for pool in pools.values()]
        if roll < 0.06:
            cells = [""] * len(cells)  # a row of blank cells
        elif roll < 0.09:
            cells.append(rng.choice(["", "extra"]))  # wider than the header
        elif roll < 0.12:
            cells = cells[: rng.randrange(len(cells))]  # narrower
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _everything(result) -> tuple:
    return (
        result.subtype, dict(result.tables), dict(result.quarantined), result.source_rows,
        [i.as_row() for i in result.issues],
    )


def _row_by_row(path: Path, monkeypatch) -> tuple:
    with monkeypatch.context() as patch:
        patch.setattr(columnwise, "FAST_PLANS", {})
        from csc_scorecard.returns.local import reader

        patch.setattr(reader, "FAST_PLANS", {})
        return _everything(read_local_csv(path))


@pytest.mark.parametrize("subtype", sorted(COLUMNS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_reads_hostile_rows_as_the_row_checker_does(tmp_path, monkeypatch, subtype, seed):
    path = _hostile_csv(tmp_path / f"{subtype}.csv", subtype, seed)
    fast = _everything(read_local_csv(path))
    assert fast == _row_by_row(path, monkeypatch)
    assert fast[4], "the file is meant to hold problems"


def test_fast_path_with_an_optional_column_missing(tmp_path, monkeypatch):
    path = _hostile_csv(tmp_path / "allocations.csv", "allocations", 4, drop="worker")
    assert _everything(read_local_csv(path)) == _row_by_row(path, monkeypatch)


def test_rows_spanning_chunks_keep_their_row_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(column_memo, "CHUNK_ROWS", 7)
    path = _hostile_csv(tmp_path / "early_help.csv", "early_help", 5)
    fast = _everything(read_local_csv(path))
    assert fast == _row_by_row(path, monkeypatch)


def test_a_clean_file_goes_fast_and_reads_as_worked_by_hand(tmp_path, monkeypatch):
    path = tmp_path / "visits.csv"
    path.write_text("child_id,kind,visit_date,seen_alone\n7,CP,2024-10-03,Y\n\n8,cin,03/10/2024,\n")
    monkeypatch.setattr(
        "csc_scorecard.returns.local.reader._Checker.row",
        lambda *a: pytest.fail("a clean row went to the row checker"),
    )
    result = read_local_csv(path)
    assert result.tables["visit"] == [
        {"child_id": "7", "kind": "CP", "visit_date": dt.date(2024, 10, 3), "seen_alone": True,
         "source_row": 2},
        {"child_id": "8", "kind": "CIN", "visit_date": dt.date(2024, 10, 3), "seen_alone": None,
         "source_row": 4},
    ]
    assert result.source_rows == {"visits": 2} and not result.issues


def test_an_overlap_found_on_the_fast_path_is_reported_by_the_checker(tmp_path):
    path = tmp_path / "allocations.csv"
    path.write_text("child_id,team,start_date,end_date\n1,A,2024-01-01,\n1,B,2024-02-01,\n")
    result = read_local_csv(path)
    assert [(i.code, i.location.row) for i in result.issues] == [("overlap", 3)]
    assert result.row_counts == {"allocation": 2}


def test_a_malformed_line_rejects_the_file_after_the_rows_before_it(tmp_path):
    from csc_scorecard.returns.base import ListSink
    from csc_scorecard.returns.issues import FileRejected

    path = tmp_path / "visits.csv"
    too_long = "x" * 200_000  # past the csv module's field limit: csv.Error
    path.write_text(f'child_id,kind,visit_date\n1,CP,2024-10-03\n2,CP,"{too_long}"\n')
    sink = ListSink()
    with pytest.raises(FileRejected, match="cannot be read at line 3"):
        read_local_csv(path, sink=sink)
    assert [r["child_id"] for r in sink.tables["visit"]] == ["1"]  # as row by row did


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12345", "12345"), ("AB12", "AB12"), ("12345.0", "12345"), (" 7 ", "7"), ("", SLOW),
     ("9" * 51, SLOW), ("A-1", "A-1")],
)
def test_read_child(raw, expected):
    assert read_child(raw) == expected if expected is not SLOW else read_child(raw) is SLOW

"""Runs of clean rows made into canonical rows a column at a time (annex_a/canonical_columns.py)
give exactly what CanonicalRows.emit gives row by row: the same rows, issues, counts and window,
on randomised workbooks of every list full of trouble."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import openpyxl
import pytest

from csc_scorecard.returns.annex_a import columns, read_annex_a_csvs, read_annex_a_workbook, tables
from csc_scorecard.returns.annex_a.spec import load_spec, match_columns
from csc_scorecard.synth.annex_a_headers import COMMON, HEADERS

ALL_HEADERS = {
    **HEADERS,
    10: COMMON
    + (
        "Does the Child have a Disability",
        "Date of decision that child should be placed for adoption",
        "Date of matching child and prospective adopters",
        "Date of adoption order",
        "Date of decision that child should no longer be placed for adoption",
        "Reason why child no longer to be placed for adoption",
    ),
}
DAYS = [dt.datetime(2024, 4, 1) + dt.timedelta(days=d) for d in (0, 3, 40, 90, 200, 300)]
IDS = ["1001", "1002", "1003", "1004", 1005, 1006.0, " 1007 ", "", "x" * 60, "#N/A", True]
TEXT = ["North Team", "South Team", "", "  Spaced  ", "T" * 90, 17]
POSTCODES = ["AB1 2CD", "ab12cd", "", "not a postcode", "ZZ99 9ZZ"]
URNS = ["SC123456", "sc654321", "", "X" * 12]
TROUBLE = {  # per kind: values that are wrong, blank or odd
    "date": ["", "31/02/2024", "soon", 45000, "2024-05-01"],
    "code": ["", "zz) nonsense", 3],
    "bool": ["", "maybe", True, 0],
    "int": ["", -1, "lots", 2.5],
}


def _pool(col) -> list:
    """The good values of one column, then its trouble."""
    spec = load_spec()
    if col.kind == "id":
        return IDS
    if col.kind == "date":
        return DAYS + TROUBLE["date"]
    if col.kind == "code":
        codes = spec.codes[col.codes]
        letters = [f"{codes.letters[c]}) {c}" for c in codes.codes[:3] if c in codes.letters]
        return codes.codes[:4] + letters + TROUBLE["code"]
    if col.kind == "bool":
        return ["a) Yes", "b) No", "Y", "N"] + TROUBLE["bool"]
    if col.kind == "int":
        return [0, 1, 3] + TROUBLE["int"]
    if col.key == "placement_postcode":
        return POSTCODES
    if col.key == "urn":
        return URNS
    return TEXT


def _hostile_workbook(path: Path, seed: int, rows_per_list: int = 120) -> Path:
    rng = random.Random(seed)
    spec = load_spec()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for number, headers in ALL_HEADERS.items():
        ws = wb.create_sheet(f"List {number}")
        if rng.random() < 0.5:
            ws.append([f"Annex A list {number}, as at 31/03/2025"])  # a title row
        ws.append(list(headers))
        colmap = match_columns(spec.lists[number], list(headers))
        pools = [_pool(colmap[pos]) if pos in colmap else TEXT for pos in range(len(headers))]
        clean = rng.random() < 0.3  # some sheets nearly clean: long runs
        for _ in range(rows_per_list):
            roll = rng.random()
            if roll < 0.03:
                ws.append([])  # a blank row
                continue
            trouble = 0.02 if clean else 0.12
            row = [
                rng.choice(pool)
                if rng.random() < trouble
                else pool[rng.randrange(min(4, len(pool)))]
                for pool in pools
            ]
            if roll < 0.05:
                row.append("stray")  # a value past the last header
            ws.append(row)
    wb.save(path)
    return path


def _everything(result) -> tuple:
    return (
        {table: rows for table, rows in result.tables.items()},
        dict(result.counts),
        dict(result.quarantined),
        result.source_rows,
        [i.as_row() for i in result.issues],
        (result.window_start, result.window_end, result.as_at, result.year),
    )


def _row_by_row(rows, log, spec, table, keys, values, excel_rows) -> None:
    for cleaned, excel_row in zip(values, excel_rows, strict=True):
        rows.emit(log, spec, table, dict(zip(keys, cleaned, strict=True)), excel_row)


@pytest.mark.parametrize("seed", range(6))
def test_column_runs_read_hostile_workbooks_as_emit_does(tmp_path, monkeypatch, seed):
    path = _hostile_workbook(tmp_path / "annex_a.xlsx", seed)
    fast = _everything(read_annex_a_workbook(path))
    with monkeypatch.context() as patch:
        patch.setattr(tables, "emit_clean_rows", _row_by_row)
        slow = _everything(read_annex_a_workbook(path))
    assert fast == slow
    assert len(fast[3]) == 10, "every list is meant to be recognised"
    assert fast[4], "the workbook is meant to hold problems"


@pytest.mark.parametrize("chunk", [1, 7])
def test_runs_across_small_blocks(tmp_path, monkeypatch, chunk):
    path = _hostile_workbook(tmp_path / "annex_a.xlsx", 11, rows_per_list=60)
    monkeypatch.setattr(tables, "CHUNK_ROWS", chunk)
    monkeypatch.setattr(columns, "CHUNK_ROWS", chunk)
    fast = _everything(read_annex_a_workbook(path))
    with monkeypatch.context() as patch:
        patch.setattr(tables, "emit_clean_rows", _row_by_row)
        assert _everything(read_annex_a_workbook(path)) == fast


def test_a_clean_workbook_never_goes_row_by_row(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List 8"
    ws.append(list(ALL_HEADERS[8]))
    colmap = match_columns(load_spec().lists[8], list(ALL_HEADERS[8]))
    for i in range(30):
        ws.append(
            [_pool(colmap[pos])[i % 2] if pos in colmap else "" for pos in range(len(colmap) + 1)]
        )
    path = tmp_path / "clean.xlsx"
    wb.save(path)
    monkeypatch.setattr(
        "csc_scorecard.returns.annex_a.canonical.CanonicalRows.emit",
        lambda *a: pytest.fail("a clean row went through emit"),
    )
    result = read_annex_a_workbook(path)
    assert result.counts["cla_episode"] == 30 and result.counts["child"] == 2


@pytest.mark.parametrize("seed", [21, 22])
def test_column_runs_read_hostile_csvs_as_emit_does(tmp_path, monkeypatch, seed):
    book = openpyxl.load_workbook(_hostile_workbook(tmp_path / "annex_a.xlsx", seed))
    paths = []
    for ws in book.worksheets:
        path = tmp_path / f"{ws.title}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            for row in ws.iter_rows(values_only=True):
                out.writerow(
                    ["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, dt.datetime) else v
                     for v in row]
                )  # fmt: skip
        paths.append(path)
    fast = _everything(read_annex_a_csvs(paths))
    with monkeypatch.context() as patch:
        patch.setattr(tables, "emit_clean_rows", _row_by_row)
        assert _everything(read_annex_a_csvs(paths)) == fast
    assert len(fast[3]) == 10 and fast[4]

"""The two real-format Annex A workbooks in shared/fixtures, read as xlsx and as CSVs."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from csc_scorecard.config import shared_dir
from csc_scorecard.returns.annex_a import (
    identify_annex_a_header,
    read_annex_a_csvs,
    read_annex_a_workbook,
)
from csc_scorecard.returns.issues import Severity

FIXTURES = shared_dir() / "fixtures" / "annex_a"
WORKBOOKS = ["Annex_A_sample.xlsx", "Annex_A_2024_Jan.xlsx"]

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared fixtures not available")


def _sheets(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's rows, read directly with openpyxl (independently of the reader)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets
        }
    finally:
        wb.close()


def _data_rows(rows: list[tuple]) -> list[tuple]:
    return [r for r in rows[1:] if any(v not in (None, "") and str(v).strip() for v in r)]


@pytest.fixture(scope="module", params=WORKBOOKS)
def workbook(request):
    path = FIXTURES / request.param
    return path, read_annex_a_workbook(path), _sheets(path)


def test_every_sheet_is_recognised_as_its_list(workbook):
    _path, _result, sheets = workbook
    for title, rows in sheets.items():
        number = int(title.split()[-1])
        assert identify_annex_a_header([str(h) for h in rows[0]]) == number


def test_row_counts_per_list_match_the_sheets(workbook):
    _path, result, sheets = workbook
    labels = {
        1: "List 1 (contacts)",
        2: "List 2 (early help)",
        3: "List 3 (referrals)",
        4: "List 4 (assessments)",
        5: "List 5 (S47 enquiries)",
        6: "List 6 (children in need)",
        7: "List 7 (CP plans)",
        8: "List 8 (children looked after)",
        9: "List 9 (care leavers)",
        10: "List 10 (adoption)",
        11: "List 11 (adopters)",
    }
    for number, label in labels.items():
        assert result.source_rows[label] == len(_data_rows(sheets[f"List {number}"])), label
    n = {k: len(_data_rows(sheets[f"List {k}"])) for k in range(1, 12)}
    counts = result.row_counts
    assert counts["contact"] == n[1]
    assert counts["early_help"] == n[2]
    assert counts["assessment"] == n[4]
    assert counts["s47"] == n[5]
    assert counts["cp_plan"] == n[7]
    assert counts["cla_episode"] == n[8]
    assert counts["care_leaver"] == n[9]
    assert counts["placed_for_adoption"] == n[10]
    # referrals: list 3 and list 6 rows, one row where both name the same child and date
    keys3 = {(r[0], r[5]) for r in _data_rows(sheets["List 3"])}
    keys6 = {(r[0], r[6]) for r in _data_rows(sheets["List 6"])}
    assert counts["referral"] == n[3] + n[6] - len(keys3 & keys6)
    # one child row per child id named in lists 1-10
    ids = {str(r[0]) for k in range(1, 11) for r in _data_rows(sheets[f"List {k}"])}
    assert counts["child"] == len(ids)
    assert not result.quarantined


def test_allocations_carry_teams_and_workers(workbook):
    _path, result, sheets = workbook
    allocations = result.tables["allocation"]
    expected = 0
    for k in (3, 4, 5, 6, 7, 8, 9):
        rows = sheets[f"List {k}"]
        team_pos = [str(h).strip() for h in rows[0]].index("Allocated Team")
        expected += sum(
            1 for r in _data_rows(rows) if r[team_pos] and str(r[team_pos]).strip() not in ("#N/A",)
        )
    assert len(allocations) == expected
    first = [a for a in allocations if a["child_id"] == "6537810" and a["source_row"] == 2][0]
    assert first["team"] == "Multi Agency Safeguarding Hub"
    assert first["worker"] == "Dustin Hazlett"  # the non-breaking space is cleaned
    assert first["start_date"] == dt.date(2020, 9, 16)
    assert first["end_date"] is None
    teams = {a["team"] for a in allocations}
    assert {"Locality 4 Duty Team", "Children in Care Team 1", "Care Leavers Team"} <= teams
    assert "#N/A" not in teams


def test_specific_values(workbook):
    _path, result, _sheets_ = workbook
    t = result.tables
    children = {c["child_id"]: c for c in t["child"]}
    assert children["9212044"]["sex"] == "F"  # written 'Female' without a letter
    assert children["6217392"]["sex"] == "M"  # 'a) Male'
    assert children["11973218"]["ethnicity"] == "APKN"  # 'k) APKN'
    assert children["11973218"]["birth_date"] is None
    assert children["9212044"]["birth_date"] == dt.date(2015, 1, 25)
    contacts = {c["child_id"]: c for c in t["contact"]}
    assert contacts["9212044"]["source"] == "6"  # 'q) 6: Police'
    assert contacts["6217392"]["source"] == "1B"  # 'b) 1B: Individual'
    assert contacts["9212044"]["contact_date"] == dt.date(2020, 9, 16)
    cla = {c["child_id"]: c for c in t["cla_episode"]}
    assert cla["1373595"]["legal_status"] == "C2"  # 'C2: FCO'
    assert cla["1761444"]["legal_status"] == "E1"
    assert cla["1761444"]["placement"] == "U6"  # 'f) U6: Foster placement - not FFA'
    assert cla["1761444"]["provider"] == "PR4"  # 'e) PR4 - Private provision'
    assert cla["1761444"]["placement_postcode"] == "T28 2WB"
    assert cla["3623204"]["reason_ceased"] == "E47"
    assert cla["3623204"]["end_date"] == dt.date(2020, 9, 22)
    plans = [p for p in t["cp_plan"] if p["child_id"] == "10721552"][0]
    assert plans["initial_category"] == "PHY"  # 'Physical abuse'
    assert plans["end_date"] == dt.date(2021, 2, 16)
    leaver = {c["child_id"]: c for c in t["care_leaver"]}["7961370"]
    assert leaver == {**leaver, "in_touch": "YES", "activity": "F1", "accommodation": "Y1"}
    referral = [r for r in t["referral"] if r["child_id"] == "4653765"][0]
    assert referral["source"] == "3D" and referral["nfa"] is False
    # list 10 dates come from formulas: the cached values are read
    placed = {p["child_id"]: p for p in t["placed_for_adoption"]}
    assert placed["13782635"]["placed_date"] == dt.date(2014, 9, 17)
    assert placed["13782635"]["reason_ceased"] == "RD2"


def test_fixture_problems_are_reported_where_they_are(workbook):
    path, result, _sheets_ = workbook
    issues = result.issues
    assert not result.errors
    na = [i for i in issues if i.code == "excel-error"]
    assert na and all(i.location.table == "List 6 (children in need), sheet 'List 6'" for i in na)
    assert {i.location.column for i in na} == {"Allocated Team", "Allocated Worker"}
    assert min(i.location.row for i in na) == 2
    need = [i for i in issues if i.location.column == "Primary Need Code"]
    assert (
        len(need) == 1 and need[0].location.row == 2 and need[0].location.value.startswith("PSRMEM")
    )
    postcode = [i for i in issues if i.code == "bad-postcode"]
    assert [(i.location.row, i.location.value) for i in postcode] == [(3, "nope")]
    assert all(i.location.file == path.name for i in issues)


def test_the_window_beats_the_year_in_the_workbook_name():
    # Annex_A_2024_Jan.xlsx is named for January 2024 (collection year 2023-24),
    # but its lists run from 16/05/2019 (the earliest List 4 assessment start)
    # to 08/02/2021 (the latest event of any list), so it is filed under 2020-21
    # and a warning names both years.
    jan = read_annex_a_workbook(FIXTURES / "Annex_A_2024_Jan.xlsx")
    assert jan.year == "2020-21"
    assert (jan.window_start, jan.window_end, jan.as_at) == (
        dt.date(2019, 5, 16), dt.date(2021, 2, 8), None
    )
    [mismatch] = [i for i in jan.issues if i.code == "year-mismatch"]
    assert mismatch.severity is Severity.WARNING
    assert "2023-24" in mismatch.message and "2020-21" in mismatch.message
    # no year in the name: the window alone gives it, as a note
    sample = read_annex_a_workbook(FIXTURES / "Annex_A_sample.xlsx")
    assert sample.year == "2020-21"
    assert any(i.code == "year-inferred" and i.severity is Severity.INFO for i in sample.issues)
    # a year given by the caller is kept (the store checks it against the window)
    given = read_annex_a_workbook(FIXTURES / "Annex_A_sample.xlsx", year="2024-25")
    assert given.year == "2024-25"
    assert not any(i.code == "year-mismatch" for i in given.issues)


def _write_csvs(path: Path, folder: Path, date_style: str) -> list[Path]:
    out = []
    for title, rows in _sheets(path).items():
        target = folder / f"{title}.csv"
        with open(target, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            for row in rows:
                cells = []
                for v in row:
                    if isinstance(v, dt.datetime):
                        v = v.date().isoformat() if date_style == "iso" else v.strftime("%d/%m/%Y")
                    cells.append("" if v is None else v)
                writer.writerow(cells)
        out.append(target)
    return out


@pytest.mark.parametrize("name", WORKBOOKS)
@pytest.mark.parametrize("date_style", ["iso", "uk"])
def test_the_same_lists_as_csvs_give_the_same_rows(tmp_path, name, date_style):
    path = FIXTURES / name
    from_xlsx = read_annex_a_workbook(path, year="2020-21")
    from_csv = read_annex_a_csvs(_write_csvs(path, tmp_path, date_style), year="2020-21")
    assert from_csv.row_counts == from_xlsx.row_counts
    assert from_csv.source_rows == from_xlsx.source_rows
    for table, rows in from_xlsx.tables.items():
        assert from_csv.tables[table] == rows, table
    xlsx_issues = sorted((i.code, i.location.row, i.location.column) for i in from_xlsx.issues)
    csv_issues = sorted((i.code, i.location.row, i.location.column) for i in from_csv.issues)
    assert csv_issues == xlsx_issues

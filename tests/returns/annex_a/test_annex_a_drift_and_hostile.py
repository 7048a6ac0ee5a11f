"""Annex A workbooks and CSVs as councils really send them, and files that are not Annex A at all."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from csc_scorecard.returns.annex_a import (
    identify_annex_a_header,
    read_annex_a_csvs,
    read_annex_a_workbook,
)
from csc_scorecard.returns.annex_a import reader as annex_reader
from csc_scorecard.returns.issues import FileRejected, Severity

REFERRAL_HEADERS = [
    "Child Unique ID ",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of\nReferral ",
    "Referral  Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
]
CLA_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Unaccompanied Asylum Seeking Child ((UASC)) within the Last 12 Months (Y/N))",
    "Does the Child have a Disability",
    "Date Started to be Looked After ",
    "Child’s Category of Need",
    "Child's Legal Status",
    "Date Ceased to be Looked After",
    "Reason Ceased to be Looked After",
    "Placement Type",
    "Placement Provider",
    "Placement postcode",
    "Allocated Team",
    "Allocated Worker",
    "Local notes",
]


def _drifted_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Refs"
    ws.append(["Annex A - Referrals, Anytown Council, 2023-24"])
    ws.append(["Run on 01/02/2024"])
    ws.append([])
    ws.append(REFERRAL_HEADERS)  # header on row 4
    ws.append(
        [
            1001,
            "a) Male",
            "a) WBRI",
            dt.datetime(2015, 3, 1),
            8,
            dt.datetime(2023, 6, 1),
            "q) 6: Police",
            "b) No",
            0,
            "Locality 1 Duty Team",
            "Ann Smith",
        ]
    )
    ws.append(
        [
            1002.0,
            "b) Female",
            "o) BAFR",
            "02/04/2012",
            11,
            "31/02/2023",
            "e) 2A: Schools",
            "No",
            1,
            "Locality 1 Duty Team",
            "Ann Smith",
        ]
    )
    ws.append(
        [
            None,
            "b) Female",
            "a) WBRI",
            None,
            None,
            dt.datetime(2023, 7, 1),
            "q) 6: Police",
            "No",
            0,
            "",
            "",
        ]
    )
    ws.append(
        [
            1003,
            "Girl",
            "White British",
            None,
            None,
            dt.datetime(2023, 7, 2),
            "Police",
            "a) Yes",
            0,
            "Locality 2 Duty Team",
            None,
        ]
    )
    cla = wb.create_sheet("Looked after children")
    cla.append(CLA_HEADERS)
    cla.append(
        [
            1001,
            "a) Male",
            "a) WBRI",
            dt.datetime(2015, 3, 1),
            8,
            "a) Yes",
            "a) Yes",
            dt.datetime(2023, 8, 1),
            "N1 - Abuse or neglect",
            "V2: Single period of accommodation under section 20",
            None,
            None,
            "d) U4: Foster placement - long term",
            "b) PR1 - Own provision",
            "ab1 2cd",
            "Children in Care Team 1",
            "Bob Jones",
            "anything",
        ]
    )
    wb.create_sheet("Notes").append(["These lists were produced for the inspection."])
    wb.save(path)
    return path


def test_drifted_headers_title_rows_and_sheet_names(tmp_path):
    result = read_annex_a_workbook(_drifted_workbook(tmp_path / "annex.xlsx"))
    assert result.source_rows == {"List 3 (referrals)": 4, "List 8 (children looked after)": 1}
    referrals = {r["child_id"]: r for r in result.tables["referral"]}
    assert set(referrals) == {"1001", "1003"}
    assert referrals["1001"]["referral_date"] == dt.date(2023, 6, 1)
    assert referrals["1001"]["source"] == "6"
    assert referrals["1003"]["source"] == "6" and referrals["1003"]["nfa"] is True
    assert result.quarantined["referral"] == 2
    children = {c["child_id"]: c for c in result.tables["child"]}
    assert children["1003"]["sex"] == "F" and children["1003"]["ethnicity"] == "WBRI"
    assert children["1001"]["asylum_seeker"] is True
    assert children["1001"]["disabilities"] == "YES"
    assert children["1001"]["team"] == "Children in Care Team 1"  # the latest event's team
    episode = result.tables["cla_episode"][0]
    assert episode["legal_status"] == "V2"
    assert episode["placement"] == "U4" and episode["provider"] == "PR1"
    assert episode["placement_postcode"] == "AB1 2CD"
    assert episode["cin_category"] == "N1"
    # the collection year from the title row
    assert result.year == "2023-24"

    issues = result.issues
    bad_date = [i for i in issues if i.code == "bad-date"]
    assert len(bad_date) == 1
    assert bad_date[0].severity is Severity.ERROR
    assert bad_date[0].location.row == 6  # the header is on row 4
    assert bad_date[0].location.column == "Date of Referral"
    assert bad_date[0].location.table == "List 3 (referrals), sheet 'Refs'"
    missing_id = [i for i in issues if i.code == "missing-value"]
    assert [(i.location.row, i.location.column) for i in missing_id] == [(7, "Child Unique ID")]
    extra = [i for i in issues if i.code == "extra-column"]
    assert [i.location.column for i in extra] == ["Local notes"]
    unknown = [i for i in issues if i.code == "unknown-sheet"]
    assert [i.location.table for i in unknown] == ["Notes"]


def test_identify_annex_a_header():
    assert identify_annex_a_header(REFERRAL_HEADERS) == 3
    assert identify_annex_a_header(CLA_HEADERS) == 8
    assert identify_annex_a_header(["CHILD UNIQUE ID", "DATE OF CONTACT", "CONTACT SOURCE"]) == 1
    # SSDA903 tables: upper-case codes
    assert identify_annex_a_header("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB".split(",")) is None
    assert (
        identify_annex_a_header(
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN".split(
                ","
            )
        )
        is None
    )
    assert identify_annex_a_header("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM".split(",")) is None
    assert (
        identify_annex_a_header("CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR".split(","))
        is None
    )
    # the local extracts
    assert identify_annex_a_header(["child_id", "team", "start_date", "end_date", "worker"]) is None
    assert identify_annex_a_header(["child_id", "kind", "visit_date", "seen_alone"]) is None
    assert identify_annex_a_header(["team", "area"]) is None
    assert identify_annex_a_header([]) is None
    assert identify_annex_a_header(["Date of Referral", "Referral Source"]) is None  # no child id


def test_csv_list_with_title_rows_and_wide_row(tmp_path):
    path = tmp_path / "list_1.csv"
    wide = ",".join(["x"] * 20000)
    path.write_text(
        "Annex A list 1\n"
        "Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Date of Contact,Contact Source\n"
        "77,a) Male,a) WBRI,01/01/2010,14,01/09/2023,q) 6: Police\n"
        f"78,b) Female,s) NOBT,,,02/09/23,t) 9: Anonymous,{wide}\n",
        encoding="utf-8",
    )
    result = read_annex_a_csvs([path])
    assert [c["source"] for c in result.tables["contact"]] == ["6", "9"]
    assert result.tables["contact"][1]["contact_date"] == dt.date(2023, 9, 2)
    by_code = {i.code: i for i in result.issues}
    assert by_code["extra-values"].location.row == 4
    assert by_code["two-digit-year"].location.row == 4  # two-digit year
    assert by_code["two-digit-year"].location.column == "Date of Contact"


def test_csv_with_wrong_headers_is_refused(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("name,colour\nA,red\n", encoding="utf-8")
    with pytest.raises(FileRejected, match="not one of Ofsted's Annex A lists"):
        read_annex_a_csvs([path])


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    path.write_bytes(b"")
    with pytest.raises(FileRejected, match="empty"):
        read_annex_a_workbook(path)


def test_junk_named_xlsx_is_refused(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(FileRejected, match="not an Excel .xlsx workbook") as err:
        read_annex_a_workbook(path)
    assert err.value.file == "annex_a.xlsx"


def test_renamed_csv_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    path.write_text("Child Unique ID,Date of Contact,Contact Source\n1,01/01/2024,q) 6: Police\n")
    with pytest.raises(FileRejected, match="looks like a CSV"):
        read_annex_a_workbook(path)


def test_old_xls_or_encrypted_workbook_is_refused(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(FileRejected, match="password-protected"):
        read_annex_a_workbook(path)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(FileRejected, match="not an Excel .xlsx workbook"):
        read_annex_a_workbook(path)


def test_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 100)
    with pytest.raises(FileRejected):
        read_annex_a_workbook(path)


def test_zip_bomb_is_refused_before_opening(tmp_path, monkeypatch):
    path = tmp_path / "annex_a.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", "0" * 2_000_000)
    monkeypatch.setattr(annex_reader, "MAX_UNZIPPED_BYTES", 1_000_000)
    with pytest.raises(FileRejected, match="zip bomb"):
        read_annex_a_workbook(path)


def test_workbook_without_any_list_is_refused(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["name", "colour"])
    wb.active.append(["A", "red"])
    wb.save(path)
    with pytest.raises(FileRejected, match="no Annex A list was recognised"):
        read_annex_a_workbook(path)


def test_very_wide_sheet_is_read_within_bounds(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Child Unique ID", "Gender", "Date of Contact", "Contact Source"])
    ws.append([5, "a) Male", dt.datetime(2024, 1, 2), "q) 6: Police"] + ["x"] * 5000)
    wb.save(path)
    result = read_annex_a_workbook(path)
    assert result.row_counts["contact"] == 1
    assert [i.code for i in result.issues if i.code == "extra-values"] == ["extra-values"]


def test_a_sheet_named_as_one_list_but_holding_another(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List 2"
    ws.append(["Child Unique ID", "Date of Contact", "Contact Source"])
    ws.append(["9", dt.datetime(2024, 1, 2), "Police"])
    wb.save(path)
    result = read_annex_a_workbook(path)
    assert result.row_counts["contact"] == 1
    assert any(i.code == "list-name-mismatch" for i in result.issues)

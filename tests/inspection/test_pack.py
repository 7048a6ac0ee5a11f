"""The Annex A inspection pack against a small workbook written here, worked out by hand."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from csc_scorecard.inspection.pack.compute import compute_pack
from csc_scorecard.inspection.pack.lists import read_lists

D = dt.date
AS_AT = D(2024, 3, 31)
CHILD = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth"]
ALLOC = ["Allocated Team", "Allocated Worker"]

LISTS = {
    "List 1": (CHILD + ["Date of Contact", "Contact Source"], [
        ["C1", "M", "WBRI", D(2010, 5, 1), D(2024, 1, 10), "6"],
        ["C2", "F", "WBRI", D(2023, 6, 1), D(2024, 2, 1), "2A"],
        ["C3", "F", "NOBT", D(2015, 1, 1), D(2024, 2, 15), "6"],
    ]),
    "List 3": (CHILD + ["Date of Referral", "Referral Source", "Referral NFA"] + ALLOC, [
        ["C1", "M", "WBRI", D(2010, 5, 1), D(2023, 3, 1), "6", "No", "Team A", "Ann"],
        ["C1", "M", "WBRI", D(2010, 5, 1), D(2024, 1, 12), "6", "No", "Team A", "Ann"],
        ["C2", "F", "WBRI", D(2023, 6, 1), D(2024, 2, 2), "2A", "Yes", "Team A", "Ann"],
        ["C4", "M", "WBRI", D(2012, 1, 1), D(2024, 2, 20), "6", "No", "Team B", "Bob"],
    ]),
    "List 4": (CHILD + ["Disability", "Assessment start date", "Assessment authorised date"] + ALLOC, [
        ["C1", "M", "WBRI", D(2010, 5, 1), "No", D(2024, 1, 15), D(2024, 1, 29), "Team A", "Ann"],
        ["C3", "F", "NOBT", D(2015, 1, 1), "No", D(2023, 12, 1), D(2024, 2, 16), "Team A", "Ann"],
        ["C4", "M", "WBRI", D(2012, 1, 1), "Yes", D(2024, 2, 21), None, "Team B", "Bob"],
    ]),
    "List 5": (CHILD + ["Disability", "Section 47 enquiry start date",
                        "Date of initial child protection conference"] + ALLOC, [
        ["C1", "M", "WBRI", D(2010, 5, 1), "No", D(2024, 2, 1), D(2024, 2, 20), "Team A", "Ann"],
        ["C4", "M", "WBRI", D(2012, 1, 1), "Yes", D(2024, 2, 22), D(2024, 3, 20), "Team B", "Bob"],
    ]),
    "List 7": (CHILD + ["Disability", "Child protection plan start date",
                        "Date of last statutory visit", "Date of latest review conference",
                        "Child protection plan end date"] + ALLOC, [
        ["C1", "M", "WBRI", D(2010, 5, 1), "No", D(2024, 2, 20), D(2024, 3, 25), D(2024, 3, 1),
         None, "Team A", "Ann"],
        ["C4", "M", "WBRI", D(2012, 1, 1), "Yes", D(2024, 3, 21), None, None, None, "Team B", "Bob"],
        ["C5", "F", "WBRI", D(2009, 1, 1), "No", D(2023, 1, 1), D(2023, 11, 1), None,
         D(2023, 12, 1), "Team B", "Bob"],
    ]),
    "List 8": (CHILD + ["Disability", "Date started to be looked after", "Legal status",
                        "Date of latest statutory review", "Date of last social work visit",
                        "Date ceased to be looked after"] + ALLOC, [
        ["C1", "M", "WBRI", D(2010, 5, 1), "No", D(2024, 3, 10), "C2", None, D(2024, 3, 15), None,
         "Team A", "Ann"],
        ["C6", "F", "WBRI", D(2006, 4, 1), "No", D(2022, 5, 1), "C2", D(2023, 8, 1), D(2024, 1, 1),
         None, "Team A", ""],
    ]),
    "List 9": (CHILD + ["Disability", "In touch", "Main activity"] + ALLOC, [
        ["C7", "M", "WBRI", D(2004, 1, 1), "No", "Yes", "F1", "Leaving Care", "Cat"],
        ["C8", "F", "WBRI", D(2005, 1, 1), "No", "No", "G6", "Leaving Care", "Cat"],
    ]),
}


@pytest.fixture
def workbook(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in LISTS.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "annex_a.xlsx"
    book.save(path)
    return path


def test_counts_timeliness_caseloads_and_journey(workbook):
    pack = compute_pack(read_lists(workbook), AS_AT, "annex_a.xlsx")
    counts = {n: (r, c) for n, r, c in pack.counts}
    # List 3 has 4 records for 3 children (C1 twice)
    assert counts[1] == (3, 3) and counts[3] == (4, 3) and counts[4] == (3, 3)
    assert counts[7] == (3, 3) and counts[8] == (2, 2) and counts[2] == (0, 0)
    timely = {m: (c, o) for _, m, c, o in pack.timeliness}
    # contacts: C1 10 Jan (Wed) -> referral 12 Jan (Fri), 2 working days; C2 1 Feb (Thu) ->
    # 2 Feb (Fri), 1 working day; C3 never referred
    assert timely["Contacts leading to a referral within 30 days"] == (2, 3)
    assert timely["Contacts referred by the next working day"] == (1, 3)
    # C1's 2024-01-12 referral is 317 days after its 2023-03-01 one: 1 re-referral of 4
    assert timely["Re-referrals within 12 months of a previous referral"] == (1, 4)
    assert timely["Referrals with no further action"] == (1, 4)  # C2
    # C1: 15 Jan -> 29 Jan 2024 = 10 working days; C3: 1 Dec 2023 -> 16 Feb 2024 =
    # 18 (Dec, less 25 and 26) + 22 (Jan, less the 1st) + 12 (1-16 Feb) = 52; C4 not authorised
    assert pack.assessment_bands == {"0-10 working days": 1, "11-20 working days": 0,
                                     "21-45 working days": 0, "Over 45 working days": 1,
                                     "Not yet authorised": 1}
    assert timely["Assessments authorised within 45 working days"] == (1, 2)
    # C1: 1 Feb -> 20 Feb = 13 working days; C4: 22 Feb -> 20 Mar = 19
    assert timely["S47 enquiries with an ICPC within 15 working days"] == (1, 2)
    # open CP plans at 31 March: C1, C4 (C5 ended). C1 visited 25 Mar = 3 working days before
    # (26, 27, 28 Mar; 29 Mar is Good Friday); C4 has no visit. C1 reviewed 1 Mar.
    assert timely["Open CP plans with a visit in the last 10 working days"] == (1, 2)
    assert timely["Open CP plans with a review in the last 6 months"] == (1, 2)
    # CLA: C1 visited 15 Mar (16 days); C6 1 Jan (90 days), reviewed Aug 2023 (> 6 months)
    assert timely["Children looked after visited in the last 6 weeks"] == (1, 2)
    assert timely["Children looked after reviewed in the last 6 months"] == (0, 2)
    assert timely["Care leavers in touch"] == (1, 2)
    # open cases of lists 4-8 by worker: Ann has C3? no - C3's assessment is authorised
    # (closed); Ann: C1 (lists 5, 7, 8), so 1; Bob: C4 (lists 4, 5, 7), so 1; C6 has no worker
    assert pack.caseload_workers == [("Ann", "Team A", 1), ("Bob", "Team B", 1)]
    # ages at 31 March 2024 in List 1: C1 13 (10-15), C2 0 (under 1), C3 9 (5-9)
    assert pack.breakdowns["age"]["Under 1"][1] == 1 and pack.breakdowns["age"]["10-15"][1] == 1
    assert pack.breakdowns["sex"]["F"][1] == 2 and pack.breakdowns["disability"]["YES"][4] == 1
    # journey: contacts C1 C2 C3; referral C1 C2; assessment C1; S47 C1; CP C1; care C1
    assert pack.journey == [("Contact", 3, 3, 2, 1), ("Referral", 3, 2, 1, 1),
                            ("Assessment", 3, 1, 1, 0), ("S47 enquiry", 2, 1, 1, 0),
                            ("CP plan", 3, 1, 1, 0), ("Looked after", 2, 1, 0, 0)]
    for _step, _in_list, came, went, stopped in pack.journey[:-1]:
        assert went + stopped == came
    for (_, _, _, went, _), (_, _, came, _, _) in zip(pack.journey, pack.journey[1:], strict=False):
        assert went == came
    # C1 is in lists 1, 3, 4, 5, 7, 8 (6 lists); C4 in 3, 4, 5, 7; C2 in 1, 3; C3 in 1, 4;
    # C5 (L7), C6 (L8), C7 and C8 (L9) in one list each
    assert pack.children_lists[0] == ("C1", [1, 3, 4, 5, 7, 8])
    assert pack.several_lists == {1: 4, 2: 2, 4: 1, 6: 1}
    problems = {(p.list_number, p.child_id, p.what) for p in pack.problems}
    assert (7, "C4", "open case with no visit date") in problems
    assert (8, "C6", "open case with no allocated worker") in problems


def test_dates_after_the_end_and_implausible_caseloads(workbook, tmp_path):
    from csc_scorecard.inspection.pack import compute

    lists = read_lists(workbook)
    pack = compute_pack(lists, D(2024, 3, 15))  # the 20 and 21 March dates are now "after"
    whats = [p.what for p in pack.problems if p.child_id == "C4" and p.list_number == 7]
    assert "start date 2024-03-21 is after the list's end (2024-03-15)" in whats
    old = compute.CASELOAD_LIMIT
    compute.CASELOAD_LIMIT = 0
    try:
        pack = compute_pack(lists, AS_AT)
    finally:
        compute.CASELOAD_LIMIT = old
    assert any("worker Ann (Team A) has 1 open children" in p.what for p in pack.problems)


@pytest.mark.django_db
def test_outputs_and_child_level_by_role(workbook, tmp_path):
    from csc_scorecard.accounts.models import User
    from csc_scorecard.services.inspection import write_inspection_pack
    from csc_scorecard.store.models import AuditEvent

    viewer = User.objects.create(username="vera", role="viewer")
    files = write_inspection_pack(AS_AT, tmp_path / "v", account=viewer, file=workbook)
    html = files["html"].read_text(encoding="utf-8")
    assert "Records and children in each list" in html and ">C4<" not in html
    assert AuditEvent.objects.filter(account=viewer, action__endswith="refused").count() == 1
    analyst = User.objects.create(username="ann", role="analyst")
    files = write_inspection_pack(AS_AT, tmp_path / "a", account=analyst, file=workbook)
    html = files["html"].read_text(encoding="utf-8")
    assert "Data-quality problems, row by row (child level)" in html and ">C4<" in html
    assert AuditEvent.objects.filter(account=analyst, action__endswith="granted").count() == 1
    from openpyxl import load_workbook

    book = load_workbook(files["xlsx"])
    assert "list-counts" in book.sheetnames and "journey-data" in book.sheetnames
    assert book["list-counts"]["B5"].value == 4  # List 3's records (row 3 is List 1)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(files["pdf"]),
                        str(tmp_path / "page")], check=True)
        assert list(tmp_path.glob("page*.png"))


@pytest.mark.django_db
def test_report_inspection_pack_command(workbook, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from csc_scorecard.accounts.models import User
    from csc_scorecard.cli import cli

    User.objects.create(username="vic", role="viewer")
    monkeypatch.setenv("CSC_SCORECARD_USER", "vic")
    out = tmp_path / "pack"
    result = CliRunner().invoke(cli, ["report", "inspection-pack", "--as-at", "2024-03-31",
                                      "--out", str(out), "--annex-a", str(workbook)])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".html", ".pdf", ".xlsx"]
    html = (out / "inspection-pack-2024-03-31.html").read_text(encoding="utf-8")
    assert "shown only to roles allowed" in html  # a viewer gets the aggregate pack
    result = CliRunner().invoke(cli, ["report", "inspection-pack", "--as-at", "2024-02-30",
                                      "--out", str(out)])
    assert result.exit_code == 2 and "2024-02-30" in result.output
    result = CliRunner().invoke(cli, ["report", "inspection-pack", "--as-at", "2024-03-31",
                                      "--out", str(out)])
    assert result.exit_code == 2 and "no Annex A is loaded" in result.output

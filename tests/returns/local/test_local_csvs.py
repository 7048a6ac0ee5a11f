"""The local CSV extracts: teams, allocations, visits, workforce."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from csc_scorecard.returns.issues import FileRejected, Severity
from csc_scorecard.returns.local import identify_local_header, read_local_csv


def _write(tmp_path: Path, text: str, name: str = "extract.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _issues(result, code: str) -> list[tuple[int | None, str]]:
    return [(i.location.row, i.location.column) for i in result.issues if i.code == code]


def test_identify_local_header():
    assert identify_local_header(["team", "area"]) == "teams"
    assert identify_local_header(["Child ID", "Team", "Start Date", "End Date"]) == "allocations"
    assert identify_local_header(["child_id", "kind", "visit_date", "seen_alone"]) == "visits"
    assert (
        identify_local_header(
            [
                "team",
                "snapshot_date",
                "fte_in_post",
                "agency_fte",
                "vacancy_fte",
                "leavers_fte",
                "cases",
            ]
        )
        == "workforce"
    )
    assert identify_local_header(["CHILD", "DECOM", "RNE", "LS"]) is None
    assert identify_local_header(["Child Unique ID", "Allocated Team", "Date of Referral"]) is None
    assert identify_local_header([]) is None


def test_teams(tmp_path):
    path = _write(
        tmp_path,
        "\ufeffTeam , AREA\n"
        "Locality 1 Unit 1,North\n"
        "  Locality 2 Unit 1 ,  South \n"
        "\n"
        ",East\n"
        "Locality 1 Unit 1,South\n",
    )
    result = read_local_csv(path)
    assert result.subtype == "teams" and result.return_type == "local"
    assert result.tables["team"] == [
        {"team": "Locality 1 Unit 1", "area": "North", "source_row": 2},
        {"team": "Locality 2 Unit 1", "area": "South", "source_row": 3},
        {"team": "Locality 1 Unit 1", "area": "South", "source_row": 6},
    ]
    assert result.quarantined["team"] == 1
    assert _issues(result, "missing-value") == [(5, "Team")]
    assert _issues(result, "team-conflict") == [(6, "AREA")]
    assert result.source_rows == {"teams": 4}


def test_allocations(tmp_path):
    path = _write(
        tmp_path,
        "child_id,team,start_date,end_date,worker,notes\n"
        "1001.0,Locality 1 Unit 1,2024-04-01,2024-09-30,A. Patel,x\n"  # row 2
        "1001,CIC Team 1,01/10/2024,,B. Jones,\n"  # row 3
        "1002,Locality 1 Unit 1,2024-05-01,2024-04-01,,\n"  # row 4: end before start
        "1003,Locality 2 Unit 1,2024-05-01,,,\n"  # row 5
        "1003,Locality 2 Unit 2,2024-06-01,,,\n"  # row 6: overlaps row 5
        "1004,Locality 2 Unit 1,1/6/24,,,\n"  # row 7: two-digit year
        "1005,Locality 2 Unit 1,not a date,,,\n"  # row 8
        ",Locality 2 Unit 1,2024-01-01,,,\n",  # row 9
    )
    result = read_local_csv(path)
    assert result.subtype == "allocations"
    rows = result.tables["allocation"]
    assert [r["source_row"] for r in rows] == [2, 3, 5, 6, 7]
    assert rows[0] == {
        "child_id": "1001",
        "team": "Locality 1 Unit 1",
        "worker": "A. Patel",
        "start_date": dt.date(2024, 4, 1),
        "end_date": dt.date(2024, 9, 30),
        "source_row": 2,
    }
    assert rows[1]["end_date"] is None and rows[1]["start_date"] == dt.date(2024, 10, 1)
    assert rows[4]["start_date"] == dt.date(2024, 6, 1)
    assert result.quarantined["allocation"] == 3
    assert _issues(result, "date-order") == [(4, "end_date")]
    assert _issues(result, "overlap") == [(6, "start_date")]
    assert _issues(result, "two-digit-year") == [(7, "start_date")]
    assert _issues(result, "bad-date") == [(8, "start_date")]
    assert _issues(result, "missing-value") == [(9, "child_id")]
    assert _issues(result, "extra-column") == [(1, "notes")]
    sev = {i.code: i.severity for i in result.issues}
    assert sev["date-order"] is Severity.ERROR and sev["overlap"] is Severity.WARNING


def test_allocations_next_to_each_other_do_not_overlap(tmp_path):
    path = _write(
        tmp_path, "child_id,team,start_date,end_date\n1,A,2024-01-01,2024-01-31\n1,B,2024-02-01,\n"
    )
    result = read_local_csv(path)
    assert result.row_counts == {"allocation": 2}
    assert not result.issues


def test_visits(tmp_path):
    path = _write(
        tmp_path,
        "CHILD_ID,Kind,Visit_Date,Seen_Alone,extra\n"
        "2001,cp,2024-10-03,Y,\n"  # row 2
        "2001, CP ,2024-10-24,no,\n"  # row 3
        "2002,CLA,15/11/2024,,\n"  # row 4
        "2003,Home,2024-11-01,1,\n"  # row 5: unknown kind
        "2004,CIN,2024-11-01,maybe,\n"  # row 6: bad seen_alone (stored empty)
        "2005,CIN,,Y,\n",  # row 7: no date
    )
    result = read_local_csv(path, subtype="visits")
    rows = result.tables["visit"]
    assert [(r["child_id"], r["kind"], r["visit_date"], r["seen_alone"]) for r in rows] == [
        ("2001", "CP", dt.date(2024, 10, 3), True),
        ("2001", "CP", dt.date(2024, 10, 24), False),
        ("2002", "CLA", dt.date(2024, 11, 15), None),
        ("2004", "CIN", dt.date(2024, 11, 1), None),
    ]
    assert _issues(result, "bad-code") == [(5, "Kind")]
    assert _issues(result, "bad-yes-no") == [(6, "Seen_Alone")]
    assert _issues(result, "missing-value") == [(7, "Visit_Date")]
    assert result.quarantined["visit"] == 2


def test_workforce(tmp_path):
    path = _write(
        tmp_path,
        "team,snapshot_date,fte_in_post,agency_fte,vacancy_fte,leavers_fte,cases\n"
        "Locality 1 Unit 1,2024-12-31,6.5,1.0,1.5,0,112\n"  # row 2
        "Locality 1 Unit 2,31/12/2024,5,,,,\n"  # row 3: blanks are fine
        "Locality 2 Unit 1,2024-12-31,-1,0,0,0,10\n"  # row 4: negative FTE
        "Locality 2 Unit 2,2024-12-31,4,lots,0,0,10\n"  # row 5: not a number
        "Locality 2 Unit 3,2024-12-31,4,0,0,0,10.5\n",  # row 6: fractional cases
    )
    result = read_local_csv(path)
    assert result.subtype == "workforce"
    rows = result.tables["workforce_snapshot"]
    assert rows[0] == {
        "team": "Locality 1 Unit 1",
        "snapshot_date": dt.date(2024, 12, 31),
        "fte_in_post": 6.5,
        "agency_fte": 1.0,
        "vacancy_fte": 1.5,
        "leavers_fte": 0.0,
        "cases": 112,
        "source_row": 2,
    }
    assert rows[1]["agency_fte"] is None and rows[1]["cases"] is None
    assert len(rows) == 2
    assert _issues(result, "bad-number") == [(4, "fte_in_post"), (5, "agency_fte"), (6, "cases")]
    assert result.quarantined["workforce_snapshot"] == 3


def test_windows_1252_is_read_with_a_note(tmp_path):
    path = _write(tmp_path, "team,area\nSéverine's Team,Nørth\n", encoding="cp1252")
    result = read_local_csv(path)
    assert result.tables["team"][0]["team"] == "Séverine's Team"
    assert [i.code for i in result.issues] == ["encoding"]
    assert result.issues[0].severity is Severity.INFO


def test_tab_separated_utf16_from_excel(tmp_path):
    path = tmp_path / "teams.txt"
    path.write_bytes("team\tarea\nA\tNorth\n".encode("utf-16"))
    assert read_local_csv(path).tables["team"] == [{"team": "A", "area": "North", "source_row": 2}]


def test_extra_values_beyond_the_header(tmp_path):
    path = _write(tmp_path, "team,area\nA,North,,oops\n")
    result = read_local_csv(path)
    assert result.row_counts == {"team": 1}
    issue = [i for i in result.issues if i.code == "extra-values"][0]
    assert (issue.location.row, issue.location.column, issue.location.value) == (
        2,
        "column D",
        "oops",
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff" * 200, "binary"),
        (b"PK\x03\x04" + b"\x00" * 100, "zip or Excel"),
        (b"name,colour\nA,red\n", "not one of the local extract formats"),
        (b"\n\n\n", "no header row"),
        (b'team,area\n"A' + b"x" * 200_000 + b'",North\n', "cannot be read at line"),
    ],
)
def test_files_that_are_not_local_extracts_are_refused(tmp_path, content, reason):
    path = tmp_path / "extract.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=reason):
        read_local_csv(path)


def test_named_subtype_with_missing_columns_is_refused(tmp_path):
    path = _write(tmp_path, "child_id,team\n1,A\n")
    with pytest.raises(FileRejected, match="needs the column"):
        read_local_csv(path, subtype="allocations")
    with pytest.raises(FileRejected, match="unknown local extract kind"):
        read_local_csv(path, subtype="payroll")


def test_a_very_wide_row(tmp_path):
    path = _write(tmp_path, "child_id,kind,visit_date\n1,CP,2024-01-01" + ",z" * 50_000 + "\n")
    result = read_local_csv(path)
    assert result.row_counts == {"visit": 1}
    assert [i.message for i in result.issues if i.code == "extra-values"] == [
        "50000 value(s) beyond the last named column were ignored"
    ]

"""Reading 903 files into rule tables, and `csc-scorecard validate` on them."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.validation.files import run_files
from csc_scorecard.validation.ssda903.tables import load_903_tables

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def _write(folder, header_rows, episode_rows):
    folder.mkdir(exist_ok=True)
    (folder / "header.csv").write_text("\ufeff" + HEADER + header_rows, encoding="utf-8")
    if episode_rows is not None:  # None: no episodes file at all
        (folder / "episodes.csv").write_text(EPISODES + episode_rows, encoding="utf-8")
    return folder


def test_csv_rows_are_numbered_as_excel_does_and_values_kept_as_text(tmp_path):
    folder = _write(tmp_path / "903", "1, M ,01/01/2012,WBRI,UN2,,\n\n2,X,2012-13-01,XXXX,UN2,,\n", "")
    loaded = load_903_tables(sorted(folder.glob("*.csv")))
    h = loaded.tables["Header"]
    # Row 1 is the header, row 3 the blank line: the second child is on Excel's row 4.
    assert h["_row"].to_list() == [2, 4]
    assert h["CHILD"].to_list() == ["1", "2"] and h["_child"].to_list() == ["1", "2"]
    assert h["SEX"].to_list() == ["M", "X"]  # stripped, never coerced
    assert h["MOTHER"].to_list() == [None, None]
    assert loaded.sources["Header"] == "header.csv"


def test_xml_children_are_flattened_into_the_same_tables(tmp_path):
    xml = tmp_path / "return.xml"
    xml.write_text(
        "<?xml version='1.0'?><EXPSSDA903>"
        "<CHILD><HEADER><CHILDID>7</CHILDID><SEX>F</SEX><DOB>2012-01-01</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN2</UPN>"
        "<AREVIEW><REVIEW>2024-06-01</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW></HEADER>"
        "<EPISODE><DECOM>2024-05-01</DECOM><RNE>S</RNE><LS>C2</LS><PL>U1</PL></EPISODE></CHILD>"
        "<CHILD><HEADER><CHILDID>8</CHILDID><SEX>M</SEX></HEADER></CHILD></EXPSSDA903>"
    )
    loaded = load_903_tables([xml])
    assert loaded.tables["Header"]["_row"].to_list() == [1, 2]  # the CHILD's position
    assert loaded.tables["Episodes"].select("CHILD", "PLACE", "DECOM", "_row").rows() == [("7", "U1", "2024-05-01", 1)]
    assert loaded.tables["Reviews"].select("CHILD", "DOB", "REVIEW_CODE").rows() == [("7", "2012-01-01", "PN1")]


def test_run_files_finds_the_failures_and_the_year_from_the_data(tmp_path):
    # Child 1: sex X (rule 101) and a placement postcode that is no postcode (392c).
    folder = _write(tmp_path / "903", "1,X,01/01/2012,WBRI,UN2,,\n",
                    "1,01/05/2024,S,C2,N1,U1,PR1,,,,AB1 2CD,NOT A CODE,SC1\n")
    run = run_files([folder], la="933")
    (ret,) = run.returns
    assert ret.year == "2024-25" and ret.year_how == "from the latest episode date"
    failed = {r.spec.code: r for r in ret.results if r.failure_count}
    assert failed["101"].failures["_row"].to_list() == [2]
    assert failed["392c"].failures.select("_child", "PL_POST").rows() == [("1", "NOT A CODE")]


def _validate(*args):
    return CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)


def test_csv_format_has_exactly_the_columns_and_is_safe_in_excel(tmp_path):
    folder = _write(tmp_path / "903", "=HYPERLINK(1),X,01/01/2012,WBRI,UN2,,\n", "")
    result = _validate(str(folder), "--year", "2024-25", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["rule", "severity", "return", "table", "child", "row", "fields", "message"]
    sex = [r for r in rows[1:] if r[0] == "101"]
    assert sex == [["101", "error", "ssda903", "Header", "'=HYPERLINK(1)", "2", "SEX=X",
                    "The child or young person’s reported sex is not valid."]]


def test_json_and_xlsx_formats(tmp_path):
    folder = _write(tmp_path / "903", "1,X,01/01/2012,WBRI,UN2,,\n", None)
    result = _validate(str(folder), "--year", "2024-25", "--format", "json")
    data = json.loads(result.output)
    assert data["returns"][0]["year"] == "2024-25"
    by_rule = {s["rule"]: s for s in data["summary"]}
    assert by_rule["101"]["outcome"] == "failed" and by_rule["101"]["children"] == 1
    assert data["issues"][0]["return"] == "ssda903"
    assert by_rule["141"]["outcome"] == "not run"  # no episodes given
    out = tmp_path / "out.xlsx"
    result = _validate(str(folder), "--year", "2024-25", "--format", "xlsx", "--output", str(out))
    assert result.exit_code == 0
    book = openpyxl.load_workbook(out)
    issues = list(book["Issues"].values)
    assert issues[0][:3] == ("rule", "severity", "return")
    assert any(r[0] == "101" and r[4] == "Header" for r in issues[1:])


def test_table_format_puts_the_summary_first(tmp_path):
    folder = _write(tmp_path / "903", "1,X,01/01/2012,WBRI,UN2,,\n", None)
    result = _validate(str(folder), "--year", "2024-25")
    assert result.exit_code == 0
    text = result.output
    assert text.index("Summary by rule") < text.index("Issues")
    assert "not run" in text and "needs the Episodes table(s), not supplied" in text


def test_exit_codes(tmp_path):
    folder = _write(tmp_path / "903", "1,X,01/01/2012,WBRI,UN2,,\n", "")
    assert _validate(str(folder), "--year", "2024-25", "--strict", "--format", "csv").exit_code == 1
    assert _validate(str(tmp_path / "nothing-here")).exit_code == 2
    bad_year = _validate(str(folder), "--year", "2024")
    assert bad_year.exit_code == 2 and "not a financial year like 2024-25" in bad_year.output
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n1,2\n")
    assert _validate(str(other)).exit_code == 2


def test_last_year_files_feed_the_rules_that_compare_years(tmp_path):
    this = _write(tmp_path / "this", "1,F,01/01/2012,WBRI,UN2,0,\n", "1,01/05/2023,S,C2,N1,U1,PR1,,,,AB1 2CD,AB3 4EF,\n")
    last = _write(tmp_path / "last", "1,M,01/01/2012,WBRI,UN2,0,\n", "1,01/05/2023,S,C2,N1,U1,PR1,,,,AB1 2CD,AB3 4EF,\n")
    without = {r.spec.code: r for r in run_files([this], year="2024-25").results}
    assert without["202"].outcome.value == "not run"
    with_last = {r.spec.code: r for r in run_files([this], year="2024-25", last_year=[last]).results}
    assert with_last["202"].failures.select("_child", "SEX").rows() == [("1", "F")]
    assert with_last["502"].outcome.value == "passed"


def test_failures_as_store_issues(tmp_path):
    from csc_scorecard.validation.report import as_store_issues

    folder = _write(tmp_path / "903", "1,X,01/01/2012,WBRI,UN2,,\n", None)
    found = [i for i in as_store_issues(run_files([folder], year="2024-25")) if i.code == "rule 101"]
    assert len(found) == 1
    (issue,) = found
    assert issue.severity.value == "warning"
    assert (issue.location.file, issue.location.table, issue.location.row) == ("header.csv", "Header", 2)
    assert (issue.location.column, issue.location.value) == ("SEX", "X")
    assert issue.message.startswith("DfE error 101: The child")  # no child id: the row locates it

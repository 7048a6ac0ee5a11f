"""Every issue code a reader can emit is in the one table, and the docs list exactly that table.

Three nets, since no one of them catches everything:
- the source: every code a reader names (a `Code.X` member or a `code="..."`
  literal) is in the table, and no reader spells a code as a bare string;
- the readers run over the shared fixtures and over broken files written
  here, and every issue they emit carries a known code;
- every other reader test runs strict (tests/returns/conftest.py), so a test
  file that provokes an unknown code fails where it is read.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from csc_scorecard.returns import issue_codes
from csc_scorecard.returns.annex_a import read_annex_a_csvs, read_annex_a_workbook
from csc_scorecard.returns.cin_census import read_cin_census
from csc_scorecard.returns.issue_codes import ISSUE_CODES, Code, UnknownIssueCode
from csc_scorecard.returns.issues import IssueLog, Severity
from csc_scorecard.returns.local import read_local_csv
from csc_scorecard.returns.ssda903 import read_csv_tables, read_xml

ROOT = Path(__file__).resolve().parents[2]
RETURNS = ROOT / "src" / "csc_scorecard" / "returns"
DOCS = ROOT / "docs" / "issue_codes.md"
FIXTURES = ROOT.parent / "shared" / "fixtures"


# -- the source ---------------------------------------------------------------


def _sources() -> list[Path]:
    return sorted(p for p in RETURNS.rglob("*.py") if p.name != "issue_codes.py")


def test_every_code_named_in_the_readers_source_is_in_the_table():
    members = set(Code.__members__)
    named: set[str] = set()
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for member in re.findall(r"\bCode\.([A-Z0-9_]+)\b", text):
            assert member in members, f"{path.name}: Code.{member}"
            named.add(Code[member].value)
        literals = re.findall(r"\bcode=\"([^\"]*)\"", text)
        assert not literals, f"{path.name} spells issue codes as strings: {literals}"
    # The table holds nothing the readers never raise (no dead codes).
    assert named == set(ISSUE_CODES), set(ISSUE_CODES) ^ named


# -- the readers, run -----------------------------------------------------------


def _shared_results():
    for folder in sorted((FIXTURES / "ssda903").iterdir()):
        yield read_csv_tables(sorted(folder.glob("*.csv")))
        yield read_xml(folder / "fake_903.xml")
    for path in sorted((FIXTURES / "cin_census").glob("*.xml")):
        yield read_cin_census(path)
        yield read_cin_census(path, year="2029-30", la_code="999")
    for path in sorted((FIXTURES / "annex_a").glob("*.xlsx")):
        yield read_annex_a_workbook(path)


@pytest.mark.skipif(not FIXTURES.exists(), reason="shared fixtures not present")
def test_the_shared_fixtures_raise_only_known_codes():
    seen: set[str] = set()
    for result in _shared_results():
        for issue in result.issues:
            assert issue.code in ISSUE_CODES, issue.describe()
            seen.add(issue.code)
    # The fixtures are messy enough to exercise a good part of the table.
    assert len(seen) >= 20, sorted(seen)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _broken_903(folder: Path) -> list[Path]:
    folder.mkdir()
    header = _write(
        folder / "header.csv",
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,NOTES\n"
        "1,1,01/02/2010,WBRI,A1,,,x\n"
        "1,maybe,1/2/10,ZZZZ,A1,yes,31/02/2020,y\n"  # duplicate child, bad values
        ",,,,,,,\n",
        encoding="cp1252",
    )
    episodes = _write(
        folder / "episodes.csv",
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST\n"
        "1,01/05/2024,S,C2,N1,P2,PR1,,,,NOPE NOPE NOPE\n"
        "1,not a date,S,C2,N1,U1,PR1,,,,\n"
        "2,01/06/2024,S,C2,N1,U1,PR1,,,,,extra\n",
    )
    return [header, episodes]


def _broken_cin(path: Path) -> Path:
    long_id = "X" * 60
    return _write(
        path,
        "<?xml version='1.0'?>\n<Message><Header><CollectionDetails><Collection>CIN</Collection>"
        "<Year>twenty</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>"
        "<Source><LEA>9999</LEA></Source></Header><Children>\n"
        f"<Child><ChildIdentifiers><LAchildID>{long_id}</LAchildID><UPN>A12</UPN>"
        "<UPNunknown>UN1</UPNunknown><PersonBirthDate>01/05/2015</PersonBirthDate>"
        "<GenderCurrent>9</GenderCurrent><Mystery>1</Mystery></ChildIdentifiers>\n"
        "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>\n"
        "<CINdetails><CINreferralDate>2024-06-01</CINreferralDate><ReferralSource>1A</ReferralSource>"
        "<ReferralSource>1B</ReferralSource><ReferralNFA>maybe</ReferralNFA>"
        "<CINclosureDate>2024-05-01</CINclosureDate>"
        "<ChildProtectionPlans><CPPstartDate>2024-07-01</CPPstartDate>"
        "<NumberOfPreviousCPP>lots</NumberOfPreviousCPP></ChildProtectionPlans></CINdetails>\n"
        f"</Child><Child><ChildIdentifiers><LAchildID>{long_id}</LAchildID></ChildIdentifiers></Child>\n"
        "</Children></Message>\n",
    )


def _broken_annex(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List 1"
    ws.append(["Child Unique ID", "Gender", "Date of Contact", "Contact Source"])
    ws.append(["1", "a) Male", dt.date(2024, 5, 1), "#N/A"])
    ws.append(["Y" * 60, "b) Female", "2/5/24", ""])
    again = wb.create_sheet("Contacts again")
    again.append(["Child Unique ID", "Gender", "Date of Contact", "Contact Source"])
    again.append(["1", "b) Female", dt.date(2024, 6, 1), ""])
    path = folder / "annex.xlsx"
    wb.save(path)
    return path


def _broken_locals(folder: Path) -> list[Path]:
    return [
        _write(
            folder / "teams.csv", "team,area\nA,North\nA,North\nA,South\n" + "B" * 90 + ",East\n"
        ),
        _write(
            folder / "visits.csv",
            "child_id,kind,visit_date,seen_alone\n1,CP,2024-05-01,maybe\n2,,2024-05-01,\n",
        ),
        _write(
            folder / "workforce.csv",
            "team,snapshot_date,fte_in_post,cases\nA,2024-03-31,-1,3.5\n",
        ),
    ]


def test_broken_files_raise_only_known_codes(tmp_path):
    results = [
        read_csv_tables(_broken_903(tmp_path / "903_2024_25")),
        read_cin_census(_broken_cin(tmp_path / "cin.xml")),
        read_annex_a_workbook(_broken_annex(tmp_path)),
        *(read_local_csv(p) for p in _broken_locals(tmp_path)),
    ]
    seen = {i.code for r in results for i in r.issues}
    assert seen <= set(ISSUE_CODES), seen - set(ISSUE_CODES)
    assert "" not in seen
    # codes the shared fixtures do not provoke
    assert {
        "repeated-element",
        "duplicate-list",
        "bad-id",
        "bad-upn",
        "too-long",
        "duplicate-team",
        "excel-error",
    } <= seen, seen


# -- one problem, one code, whichever reader --------------------------------------


def test_a_bad_yes_no_is_bad_yes_no_in_every_reader(tmp_path):
    folder = tmp_path / "903"
    folder.mkdir()
    uasc = _write(folder / "uasc.csv", "CHILD,SEX,DOB,DUC\n1,1,01/02/2010,01/01/2028\n")
    oc2 = _write(
        folder / "oc2.csv",
        "CHILD,DOB,SEX,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
        "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n"
        "1,01/02/2010,1,,,maybe,1,1,1,1,0,,\n",
    )
    from_903 = read_csv_tables([uasc, oc2], year="2024-25")
    from_cin = read_cin_census(_broken_cin(tmp_path / "cin.xml"))
    annex = _write(
        tmp_path / "list_5.csv",
        "Child Unique ID,Gender,Date of Birth,Date of S47 enquiry start,"
        "Conference not required\n"
        "1,a) Male,01/01/2015,01/05/2024,perhaps\n",
    )
    from_annex = read_annex_a_csvs([annex])
    visits = _write(
        tmp_path / "visits.csv", "child_id,kind,visit_date,seen_alone\n1,CP,2024-05-01,maybe\n"
    )
    from_local = read_local_csv(visits)
    for result in (from_903, from_cin, from_annex, from_local):
        kinds = {i.code for i in result.issues if "yes/no" in i.message}
        assert kinds == {"bad-yes-no"}, (result.return_type, kinds)


def test_an_unknown_year_is_year_unknown_in_the_903_and_the_census(tmp_path):
    folder = tmp_path / "no_year"
    folder.mkdir()
    header = _write(
        folder / "header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/02/2010,WBRI,A1,,\n"
    )
    cin = _write(
        tmp_path / "cin.xml",
        "<?xml version='1.0'?>\n<Message><Header/><Children><Child><ChildIdentifiers>"
        "<LAchildID>1</LAchildID></ChildIdentifiers></Child></Children></Message>\n",
    )
    for result in (read_csv_tables([header]), read_cin_census(cin)):
        assert result.year == ""
        assert [
            i.code for i in result.issues if "year" in i.message and "collection" in i.message
        ] == ["year-unknown"], result.return_type


# -- the IssueLog enforces the table ------------------------------------------------


def test_the_issue_log_refuses_an_unknown_code_when_strict(monkeypatch):
    log = IssueLog("f.csv")
    monkeypatch.setattr(issue_codes, "STRICT", True)
    with pytest.raises(UnknownIssueCode, match="bad-flag"):
        log.warning("not a yes/no value", code="bad-flag")
    with pytest.raises(UnknownIssueCode):
        log.warning("no code at all")
    issue = log.warning("not a yes/no value", code=Code.BAD_YES_NO)
    assert issue is not None and issue.code == "bad-yes-no" and type(issue.code) is str
    monkeypatch.setattr(issue_codes, "STRICT", False)
    assert log.warning("tolerated outside the tests", code="bad-flag") is not None


def test_every_code_has_a_usual_severity_and_a_meaning():
    for code, info in ISSUE_CODES.items():
        assert info.code.value == code
        assert isinstance(info.severity, Severity)
        assert info.meaning.endswith(".") and len(info.meaning) > 10, code
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code) and len(code) <= 40, code  # IssueRecord.code


# -- the docs -----------------------------------------------------------------------

_DOC_ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \| (.+?) \| (.+) \|$")


def test_the_docs_list_exactly_the_table_with_an_example_each():
    rows = [_DOC_ROW.match(line) for line in DOCS.read_text(encoding="utf-8").splitlines()]
    documented = [m for m in rows if m]
    codes = [m.group(1) for m in documented]
    assert len(codes) == len(set(codes)), "a code is documented twice"
    assert set(codes) == set(ISSUE_CODES), set(codes) ^ set(ISSUE_CODES)
    for m in documented:
        info = ISSUE_CODES[m.group(1)]
        assert m.group(2) == info.severity.value, m.group(1)
        assert m.group(3) == info.meaning, m.group(1)
        assert len(m.group(4)) > 20, f"{m.group(1)} needs an example"

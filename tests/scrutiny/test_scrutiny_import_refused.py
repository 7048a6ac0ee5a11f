"""Broken scrutiny files are refused whole, each problem located (sheet, row, column, value)."""

import pytest
import yaml
from openpyxl import Workbook

from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.scrutiny import models as m
from csc_scorecard.scrutiny.demo import DEMO_SCRUTINY
from csc_scorecard.services import scrutiny as svc
from csc_scorecard.services.plans import import_plan_file

pytestmark = pytest.mark.django_db
MODELS = (m.Committee, m.Meeting, m.WorkProgrammeItem, m.TrackerItem, m.TrackerUpdate)


@pytest.fixture
def stored():
    """The demo plan and the example committee, so a refused file must leave them as they were."""
    import_plan_file(DEMO_PLAN, author="test")
    svc.import_scrutiny_file(DEMO_SCRUTINY)
    return _counts()


def _counts():
    return [model.objects.count() for model in MODELS]


def _sheets():
    return yaml.safe_load(DEMO_SCRUTINY.read_text(encoding="utf-8"))


def _refused(path) -> list[str]:
    with pytest.raises(svc.ScrutinyFileError) as caught:
        svc.import_scrutiny_file(path)
    assert "nothing was imported" in str(caught.value)
    return [str(p) for p in caught.value.problems]


def _xlsx(path, tables):
    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def test_an_xlsx_with_every_kind_of_mistake_lists_each_and_stores_nothing(stored, tmp_path):
    path = _xlsx(tmp_path / "broken.xlsx", {
        "committees": [["committee", "name"], ["children-families", "Children and Families"],
                       ["Bad Slug!", "x"]],
        "meetings": [["committee", "date", "title"], ["children-families", "2025-01-20", ""],
                     ["children-families", "2025-01-20", "again"], ["children-families", "31/02/2025", ""],
                     ["adults", "2025-02-01", ""]],
        "work_programme": [["committee", "meeting", "order", "title", "paper_type", "programme", "report_kind",
                            "period"],
                           ["children-families", "2025-01-20", 1, "Q3", "performance_report", "", "quarterly",
                            "2024-25"],
                           ["children-families", "2025-01-20", 2, "HR", "highlight_report", 9, "", "2024-25-Q3"],
                           ["children-families", "2025-01-20", 3, "Misc", "briefing", "", "", ""]],
        "tracker": [["committee", "meeting", "item", "agenda_item", "plan", "action", "agreed_outcome",
                     "status_override", "override_reason"],
                    ["children-families", "2025-01-20", 1, "Q3", "cypp-2023-26", "9(Z)i", "outcome", "", ""],
                    ["children-families", "2025-01-20", 2, "DBS", "", "", "outcome", "Green", "why"],
                    ["children-families", "2025-01-20", 3, "DBS", "", "", "outcome", "Completed", ""],
                    ["children-families", "2025-03-01", 4, "x", "nope", "", "outcome", "", ""]],
        "tracker_updates": [["committee", "meeting", "item", "date"],
                            ["children-families", "2025-01-20", 7, "2025-01-01"]],
    })
    problems = _refused(path)
    assert problems == [
        "sheet tracker_updates, row 1, column text: required column is missing",
        "sheet committees, row 3, column committee (A): 'Bad Slug!': use lower-case letters, digits, - and _ only"
        " (e.g. children-families)",
        "sheet meetings, row 3, column date (B): '2025-01-20': a second meeting of children-families on this date",
        "sheet meetings, row 4, column date (B): '31/02/2025': not a date: '31/02/2025'; expected a day such as"
        " 2025-01-20 or 20/01/2025",
        "sheet meetings, row 5, column committee (A): 'adults': unknown committee (list it in the committees sheet)",
        "sheet work_programme, row 2, column period (H): '2024-25': a quarterly report needs a quarter (2024-25-Q2)",
        "sheet work_programme, row 3, column programme (F): '9': unknown programme in any stored plan",
        "sheet work_programme, row 4, column paper_type (E): 'briefing': expected one of performance_report,"
        " highlight_report, plan_summary, plan_update, other",
        "sheet tracker, row 2, column action (F): '9(Z)i': unknown action",
        "sheet tracker, row 3, column status_override (H): 'Green': unknown status 'Green'; expected Completed,"
        " Pending or Incomplete",
        "sheet tracker, row 4, column override_reason (I): overriding the status to Completed needs a reason",
        "sheet tracker, row 5, column meeting (B): '2025-03-01': no meeting of children-families on this date"
        " (list it in the meetings sheet)",
        "sheet tracker, row 5, column plan (E): 'nope': unknown plan (plans: cypp-2023-26)",
        "sheet tracker_updates, row 2, column item (C): '7': no such item in the tracker sheet for this meeting",
        "sheet tracker_updates, row 2, column date (D): '2025-01-01': is before the meeting that agreed the action",
        "sheet tracker_updates, row 2, column text: is required",
    ]
    assert _counts() == stored


def test_missing_required_columns_and_sheets(stored, tmp_path):
    path = _xlsx(tmp_path / "cols.xlsx", {"committees": [["committee", "remit"], ["cf", "r"]],
                                          "tracker": [["committee", "meeting", "item", "colour"]]})
    problems = _refused(path)
    assert "sheet committees, row 1, column name: required column is missing" in problems
    assert "sheet tracker, row 1, column colour (D): unknown column; expected one of committee, meeting, item," \
           " agenda_item, plan, programme, action, action_owner, agreed_outcome, due_date, completed_on," \
           " status_override, override_reason, override_on" in problems
    assert "sheet tracker, row 1, column agreed_outcome: required column is missing" in problems
    assert "sheet meetings: sheet is missing" in problems
    assert _counts() == stored


def test_duplicate_keys_in_yml(stored, tmp_path):
    sheets = _sheets()
    sheets["meetings"].append(dict(sheets["meetings"][0]))
    sheets["tracker"].append(dict(sheets["tracker"][0]))
    sheets["work_programme"].append(dict(sheets["work_programme"][0]))
    sheets["committees"].append(dict(sheets["committees"][0]))
    path = tmp_path / "dups.yml"
    path.write_text(yaml.safe_dump(sheets), encoding="utf-8")
    problems = _refused(path)
    assert problems == [
        "sheet committees, row 2, column committee: 'children-families': duplicate committee",
        "sheet meetings, row 8, column date: '2024-05-20': a second meeting of children-families on this date",
        "sheet work_programme, row 25, column order: '1': a second item with this order at this meeting",
        "sheet tracker, row 9, column item: '1': a second tracker item with this number at this meeting",
    ]
    assert _counts() == stored


def test_an_action_outside_its_programme_and_report_rules(stored, tmp_path):
    sheets = _sheets()
    sheets["tracker"][1]["programme"] = 2           # action 1(B)i is in programme 1
    sheets["work_programme"][0]["period"] = ""      # a performance report without its period
    sheets["work_programme"][2]["report_kind"] = "annual"  # an "other" item with a report kind
    sheets["tracker"][0]["completed_on"] = "2024-05-01"    # before the meeting (20 May 2024)
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(sheets), encoding="utf-8")
    assert _refused(path) == [
        "sheet work_programme, row 1, column period: a performance_report needs the period it reports"
        " (2024-25 or 2024-25-Q2)",
        "sheet work_programme, row 3, column report_kind: 'annual': only a performance_report has a report kind",
        "sheet tracker, row 1, column completed_on: '2024-05-01': is before the meeting that agreed the action",
        "sheet tracker, row 2, column action: '1(B)i': is not in programme 2",
    ]


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("empty.yml", b"", "file: expected a mapping of sheet name to a list of rows"),
    ("junk.xlsx", b"\x00\xff\xfeRubbish not a zip" * 20, "workbook: cannot be read as xlsx"),
    ("junk.yml", b"\xff\xfe\x00\x81garbage", "junk.yml: not UTF-8 text (byte 1); save it as CSV UTF-8"),
    ("notes.txt", b"hello", "file: '.txt': unknown file type; expected .xlsx, .csv or .yml"),
])
def test_empty_junk_and_unknown_files(stored, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    problems = _refused(path)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    assert _counts() == stored


def test_an_empty_workbook_and_an_empty_csv_folder(stored, tmp_path):
    empty = _xlsx(tmp_path / "empty.xlsx", {"Sheet1": []})
    assert _refused(empty) == ["file: none of the template's sheets found (expected committees, meetings,"
                               " work_programme, tracker, tracker_updates)"]
    folder = tmp_path / "csvs"
    folder.mkdir()
    (folder / "meetings.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xd8")
    assert _refused(folder) == ["meetings.csv: not UTF-8 text (byte 1); save it as CSV UTF-8"]
    assert _counts() == stored


def test_a_csv_folder_imports_like_the_workbook(stored, tmp_path):
    import csv

    sheets = _sheets()
    folder = tmp_path / "csvs"
    folder.mkdir()
    for name, rows in sheets.items():
        columns = list(dict.fromkeys(k for r in rows for k in r))
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, columns)
            writer.writeheader()
            writer.writerows(rows)
    summary = svc.import_scrutiny_file(folder / "tracker.csv")
    assert summary.unchanged == 45 and summary.created == summary.updated == summary.deleted == 0


def test_a_manager_may_not_import(stored, tmp_path):
    from csc_scorecard.accounts.models import User

    with pytest.raises(svc.ScrutinyPermissionDenied):
        svc.import_scrutiny_file(DEMO_SCRUTINY, account=User.objects.create_user("mgr", role="manager"))

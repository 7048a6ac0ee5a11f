"""The optional local extracts of issue 16: early help, assessment timescales, S47
completions, initial health assessments. Every unusable value names its row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csc_scorecard.returns.local import identify_local_header, read_local_csv


def _write(tmp_path: Path, text: str, name: str = "extract.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _issues(result, code: str) -> list[tuple[int | None, str]]:
    return [(i.location.row, i.location.column) for i in result.issues if i.code == code]


def test_the_extracts_are_recognised_by_their_headers():
    assert identify_local_header(
        ["Child ID", "Start Date", "Assessment Date", "End Date", "Closure Reason", "Team"]
    ) == "early_help"
    assert identify_local_header(
        ["child_id", "start_date", "timescale_days", "completed_date", "cancelled_date"]
    ) == "assessment_timescales"
    assert identify_local_header(["child_id", "start_date", "completed_date"]) == "s47_completions"
    assert identify_local_header(["child_id", "iha_date", "care_start_date"]) == "health_assessments"
    assert identify_local_header(["Child ID", "Review Date"]) == "cin_plan_reviews"
    # the older extracts are still told apart
    assert identify_local_header(["Child ID", "Team", "Start Date", "End Date"]) == "allocations"


def test_early_help(tmp_path):
    path = _write(
        tmp_path,
        "child_id,start_date,assessment_date,end_date,closure_reason,team\n"
        "EH1,01/04/2024,10/04/2024,31/03/2025,Needs met,Early Help North\n"  # alias
        "EH2,01/05/2024,,,,\n"  # open
        "EH3,01/05/2024,,01/06/2024,STEP_UP,\n"
        "EH4,01/05/2024,,01/06/2024,lost,\n"  # row 5: not a reason
        "EH5,01/05/2024,,01/04/2024,OTHER,\n"  # row 6: ends before it starts
        "EH6,01/05/2024,,,OUTCOMES_MET,\n",  # row 7: reason without end: open, warned
    )
    result = read_local_csv(path)
    assert result.subtype == "early_help"
    rows = result.tables["early_help_episode"]
    assert [(r["child_id"], r["closure_reason"]) for r in rows] == [
        ("EH1", "OUTCOMES_MET"), ("EH2", ""), ("EH3", "STEP_UP"), ("EH6", "")
    ]
    assert rows[0]["end_date"] == dt.date(2025, 3, 31)
    assert rows[0]["assessment_date"] == dt.date(2024, 4, 10)
    assert _issues(result, "bad-code") == [(5, "closure_reason")]
    assert _issues(result, "date-order") == [(6, "end_date")]
    assert _issues(result, "missing-value") == [(7, "end_date")]


def test_assessment_timescales(tmp_path):
    path = _write(
        tmp_path,
        "child_id,start_date,timescale_days,completed_date,cancelled_date\n"
        "A1,01/04/2024,10,12/04/2024,\n"
        "A2,01/04/2024,25,,03/04/2024\n"
        "A3,01/04/2024,20,12/04/2024,\n"  # row 4: 20 is no priority's timescale
        "A4,01/04/2024,45,01/03/2024,\n",  # row 5: completed before it started
    )
    result = read_local_csv(path)
    rows = result.tables["assessment_timescale"]
    assert [(r["child_id"], r["timescale_days"]) for r in rows] == [("A1", 10), ("A2", 25)]
    assert rows[1]["cancelled_date"] == dt.date(2024, 4, 3)
    assert _issues(result, "bad-number") == [(4, "timescale_days")]
    assert _issues(result, "date-order") == [(5, "completed_date")]


def test_s47_completions_and_health_assessments(tmp_path):
    s47 = read_local_csv(_write(
        tmp_path, "child_id,start_date,completed_date\nS1,2024-04-01,2024-04-15\nS2,,2024-04-15\n"
    ))
    assert s47.tables["s47_completion"] == [
        {"child_id": "S1", "start_date": dt.date(2024, 4, 1), "completed_date": dt.date(2024, 4, 15),
         "source_row": 2}
    ]
    assert _issues(s47, "missing-value") == [(3, "start_date")]
    iha = read_local_csv(_write(
        tmp_path, "child_id,iha_date,care_start_date\nC1,2024-05-01,2024-04-10\n"
        "C2,2024-03-01,2024-04-10\n", name="iha.csv",
    ))
    assert [r["child_id"] for r in iha.tables["health_assessment"]] == ["C1"]
    assert _issues(iha, "date-order") == [(3, "iha_date")]


def test_cin_plan_reviews(tmp_path):
    result = read_local_csv(_write(
        tmp_path, "child_id,review_date\nC1,31/12/2024\nC2,31/13/2024\n", name="rev.csv"
    ))
    assert result.subtype == "cin_plan_reviews"
    assert [r["review_date"] for r in result.tables["cin_plan_review"]] == [dt.date(2024, 12, 31)]
    assert _issues(result, "bad-date") == [(3, "review_date")]

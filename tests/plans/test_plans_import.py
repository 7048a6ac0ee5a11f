"""plans import / export: the template round-trips; broken files are refused whole, every problem located."""

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.plans import models as m
from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.plans.store import dump_plan
from csc_scorecard.plans.template import PlanFileError, write_xlsx
from csc_scorecard.services.plans import (
    export_plan_file,
    import_measure_values,
    import_plan_file,
)

pytestmark = pytest.mark.django_db


def _sheets():
    return yaml.safe_load(DEMO_PLAN.read_text(encoding="utf-8"))


def _write_yml(tmp_path, sheets, name="plan.yml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(sheets, sort_keys=False), encoding="utf-8")
    return path


def _counts():
    return {model.__name__: model.objects.count() for model in (
        m.Plan, m.Programme, m.Objective, m.Action, m.ActionOwner, m.ProgressNote, m.Risk,
        m.LocalMeasure, m.LocalMeasureValue, m.HighlightReport)}


def test_demo_plan_imports_with_every_part(tmp_path):
    summary = import_plan_file(DEMO_PLAN, author="tester")
    assert summary.plan_reference == "cypp-2023-26"
    counts = _counts()
    # the file has 3 programmes, 7 objectives, 11 actions, 3 notes, 4 risks, 4 measures, 8 values, 1 highlight
    assert counts == {"Plan": 1, "Programme": 3, "Objective": 7, "Action": 11, "ActionOwner": 12,
                      "ProgressNote": 3, "Risk": 4, "LocalMeasure": 4, "LocalMeasureValue": 8,
                      "HighlightReport": 1}
    action = m.Action.objects.get(objective__programme__number=1, objective__letter="A", number="ii")
    assert action.deadline.isoformat() == "2024-12-31" and action.deadline_precision == "month"
    assert action.indicators == ["personal_budgets_takeup"]
    two = m.Action.objects.get(objective__programme__number=1, objective__letter="B", number="i")
    assert two.owner_names == ["Priya Natarajan, Head of Early Help", "Partnership Business Team"]
    assert m.Risk.objects.get(programme__number=3, number=1).score == 20


def test_export_then_import_round_trips(tmp_path):
    import_plan_file(DEMO_PLAN)
    plan = m.Plan.objects.get()
    before = dump_plan(plan)
    out = export_plan_file("cypp-2023-26", tmp_path / "exported.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["plan", "programmes", "objectives", "actions", "progress", "risks",
                               "measures", "measure_values", "highlights"]
    assert [c.value for c in book["actions"][1]][:6] == ["programme", "objective", "action", "text",
                                                          "owners", "deadline"]
    summary = import_plan_file(out)
    assert (summary.created, summary.updated, summary.deleted) == (0, 0, 0)
    assert dump_plan(plan) == before
    # and into an empty store the exported file builds the same plan
    m.Plan.objects.all().delete()
    m.LocalMeasure.objects.all().delete()
    import_plan_file(out)
    assert dump_plan(m.Plan.objects.get()) == before


def test_shipped_example_xlsx_matches_the_demo_yml(tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "docs" / "plans-example.xlsx"
    import_plan_file(example)
    from_xlsx = dump_plan(m.Plan.objects.get())
    m.Plan.objects.all().delete()
    m.LocalMeasure.objects.all().delete()
    import_plan_file(DEMO_PLAN)
    assert dump_plan(m.Plan.objects.get()) == from_xlsx


def test_broken_workbook_is_refused_whole_with_every_problem_located(tmp_path):
    import_plan_file(DEMO_PLAN)
    before = dump_plan(m.Plan.objects.get())
    counts = _counts()
    sheets = dump_plan(m.Plan.objects.get())
    sheets["actions"][0]["text"] = "a change that must not be stored"
    sheets["actions"][1]["deadline"] = "Smarch-25"                      # bad date: actions row 3
    sheets["actions"][2]["indicators"] = "rereferrals_12m_pct; no_such_indicator"  # row 4
    sheets["actions"][4]["action"] = sheets["actions"][5]["action"] = "iv"  # rows 6 and 7 clash?
    sheets["actions"][5]["objective"] = sheets["actions"][4]["objective"]
    sheets["actions"][5]["programme"] = sheets["actions"][4]["programme"]
    sheets["risks"][0]["review_date"] = "31/02/2025"                     # risks row 2
    for row in sheets["objectives"]:                                      # a missing column
        row.pop("text")
    path = tmp_path / "broken.xlsx"
    write_xlsx(sheets, path)
    book = openpyxl.load_workbook(path)
    book["objectives"].delete_cols(3)
    book.save(path)
    with pytest.raises(PlanFileError) as caught:
        import_plan_file(path)
    text = [str(p) for p in caught.value.problems]
    assert "sheet objectives, row 1, column text: required column is missing" in text
    assert any(t.startswith("sheet actions, row 3, column deadline (F): 'Smarch-25': not a deadline")
               for t in text)
    assert any(t.startswith("sheet actions, row 4, column indicators (I)") and "no_such_indicator" in t
               for t in text)
    assert "sheet actions, row 7, column action (C): 'iv': duplicate action number in this objective" in text
    assert any(t.startswith("sheet risks, row 2, column review_date (I): '31/02/2025'") for t in text)
    # nothing stored: the good change in row 2 was not kept either
    assert _counts() == counts
    assert dump_plan(m.Plan.objects.get()) == before


def test_missing_sheet_and_unknown_account_are_located(tmp_path):
    sheets = _sheets()
    del sheets["objectives"]
    sheets["actions"][0]["owners"] = "@nobody; Sam Gill"
    with pytest.raises(PlanFileError) as caught:
        import_plan_file(_write_yml(tmp_path, sheets))
    text = [str(p) for p in caught.value.problems]
    assert "sheet objectives: sheet is missing" in text
    assert any(t.startswith("sheet actions, row 1, column owners: '@nobody; Sam Gill': no account named 'nobody'")
               for t in text)
    assert m.Plan.objects.count() == 0


def test_csv_sheets_in_a_folder(tmp_path):
    import csv

    from csc_scorecard.plans.template import columns, write_xlsx  # noqa: F401

    import_plan_file(DEMO_PLAN)
    sheets = dump_plan(m.Plan.objects.get())
    folder = tmp_path / "csv"
    folder.mkdir()
    for sheet, rows in sheets.items():
        with (folder / f"{sheet}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns(sheet))
            writer.writeheader()
            for row in rows:
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
    m.Plan.objects.all().delete()
    m.LocalMeasure.objects.all().delete()
    import_plan_file(folder / "actions.csv")
    assert dump_plan(m.Plan.objects.get()) == sheets


def test_measures_import_csv_and_refusal(tmp_path):
    import_plan_file(DEMO_PLAN)
    good = tmp_path / "values.csv"
    good.write_text("measure_id,period,value,source\nwebsite_visits,2025-26-Q1,41002,analytics\n")
    summary = import_measure_values(good)
    assert summary.created == 1
    assert m.LocalMeasureValue.objects.get(measure__measure_id="website_visits", period="2025-26-Q1").value == 41002
    bad = tmp_path / "bad.csv"
    bad.write_text("measure_id,period,value\nwebsite_visits,2025-26-Q2,12\nnot_a_measure,2025-26-Q2,3\n"
                   "website_visits,2025-26-Q9,5\nwebsite_visits,2025-26-Q3,lots\n")
    with pytest.raises(PlanFileError) as caught:
        import_measure_values(bad)
    text = [str(p) for p in caught.value.problems]
    assert any(t.startswith("sheet measure_values, row 3, column measure_id: 'not_a_measure'") for t in text)
    assert any(t.startswith("sheet measure_values, row 4, column period: '2025-26-Q9'") for t in text)
    assert "sheet measure_values, row 5, column value: 'lots': expected a number" in text
    assert not m.LocalMeasureValue.objects.filter(period="2025-26-Q2").exists()


def test_cli_import_refusal_prints_located_problems(tmp_path):
    sheets = _sheets()
    sheets["risks"][0]["likelihood"] = 7
    runner = CliRunner()
    result = runner.invoke(cli, ["plans", "import", str(_write_yml(tmp_path, sheets))])
    assert result.exit_code == 2
    assert "sheet risks, row 1, column likelihood: '7': expected a whole number from 1 to 5" in result.output
    # the one error style (cli_support.fail): "csc-scorecard: ..." on the last line
    assert result.output.splitlines()[-1].startswith("csc-scorecard:")
    assert result.output.splitlines()[-1].endswith("1 problem(s) in plan.yml; nothing was imported")
    assert "Traceback" not in result.output
    ok = runner.invoke(cli, ["plans", "import", str(DEMO_PLAN)])
    assert ok.exit_code == 0, ok.output
    out = tmp_path / "out.xlsx"
    exported = runner.invoke(cli, ["plans", "export", "--plan", "cypp-2023-26", "--output", str(out)])
    assert exported.exit_code == 0 and out.exists()
    missing = runner.invoke(cli, ["plans", "export", "--plan", "nope", "--output", str(out)])
    assert missing.exit_code == 2 and "no plan 'nope'" in missing.output


def test_targets_import_knows_local_measures(tmp_path):
    import_plan_file(DEMO_PLAN)
    targets = tmp_path / "targets.csv"
    targets.write_text("indicator_id,year,target\nwebsite_visits,2025-26,40000\nnot_an_indicator,2025-26,1\n")
    runner = CliRunner()
    refused = runner.invoke(cli, ["targets", "import", str(targets)])
    assert refused.exit_code != 0
    assert "not_an_indicator" in refused.output and "website_visits" not in refused.output
    targets.write_text("indicator_id,year,target\nwebsite_visits,2025-26,40000\n")
    ok = runner.invoke(cli, ["targets", "import", str(targets)])
    assert ok.exit_code == 0, ok.output
    from csc_scorecard.rating.models import Target

    assert Target.objects.get(indicator_id="website_visits", year="2025-26").target == 40000


@pytest.mark.parametrize("name, content, message", [
    ("plan.txt", "x", "file: '.txt': unknown file type; expected .xlsx, .csv or .yml"),
    ("plan.xlsx", "not a zip", "workbook: cannot be read as xlsx"),
    ("plan.yml", "a: [1,\n", "file: not valid YAML at line 2"),
    ("plan.yml", "- just\n- a list\n", "file: expected a mapping of sheet name to a list of rows"),
])
def test_unreadable_files_get_one_clear_problem(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(PlanFileError) as caught:
        import_plan_file(path)
    assert [str(p) for p in caught.value.problems][0].startswith(message)
    assert m.Plan.objects.count() == 0

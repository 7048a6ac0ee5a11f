"""The demo's committee follows the demo's latest year; the CLI imports and exports the template."""

import datetime as dt

import pytest
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.scrutiny import models as m
from csc_scorecard.scrutiny.demo import DEMO_COMMITTEE, DEMO_SCRUTINY, import_demo_scrutiny
from csc_scorecard.services import scrutiny as svc
from csc_scorecard.services.plans import import_plan_file

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def plan():
    import_plan_file(DEMO_PLAN, author="test")


def test_the_demo_committee_moves_with_the_latest_year(plan, tmp_path):
    nxt = import_demo_scrutiny("2025-26", tmp_path)
    assert (tmp_path / "scrutiny-committee.xlsx").exists()
    days = [x.date for x in svc.meetings(DEMO_COMMITTEE)]
    # the example's 20 May 2024 ... 19 May 2025, a year on, weekends moved to the Monday after
    assert days[0] == D(2025, 5, 20) and nxt.date == days[-1] == D(2026, 5, 19)
    assert all(d.weekday() < 5 for d in days)
    items = svc.agenda(nxt)
    assert [(i.report_kind, i.period) for i in items[:2]] == [("annual", "2025-26"), ("quarterly", "2025-26-Q4")]
    assert items[0].title == "Children's services performance report 2025-26"
    rows = svc.tracker_as_of(DEMO_COMMITTEE, nxt.date, for_meeting=nxt)
    assert sorted({r.status for r in rows}) == ["Completed", "Incomplete", "Pending"]
    assert [r.item.agenda_item for r in rows if r.overridden] == ["DBS checks for members"]
    # the update of 31 Jan 2026 reached 3 months on 30 Apr 2026 (April has 30 days)
    placements = next(r for r in rows if r.item.agreed_outcome.startswith("Officers to explain the rise"))
    assert placements.status == "Incomplete" and "3 months reached 30 April 2026" in placements.reason


def run(args, home):
    return CliRunner().invoke(cli, args, env={"CSC_SCORECARD_HOME": str(home)})


def test_cli_import_export_and_a_refused_file(plan, tmp_path):
    done = run(["scrutiny", "import", str(DEMO_SCRUTINY)], tmp_path)
    assert done.exit_code == 0, done.output
    assert "45 new, 0 changed, 0 removed, 0 unchanged" in " ".join(done.output.split())
    out = tmp_path / "out.xlsx"
    assert run(["scrutiny", "export", "--output", str(out)], tmp_path).exit_code == 0
    again = run(["scrutiny", "import", str(out)], tmp_path)
    assert "0 new, 0 changed, 0 removed, 45 unchanged" in " ".join(again.output.split())
    broken = tmp_path / "broken.yml"
    broken.write_text("committees:\n  - {committee: cf}\nmeetings: []\n", encoding="utf-8")
    refused = run(["scrutiny", "import", str(broken)], tmp_path)
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.split())
    assert "sheet committees, row 1, column name: required column is missing" in said
    assert "csc-scorecard: error: 4 problem(s) in broken.yml; nothing was imported" in said
    assert m.Committee.objects.count() == 1
    wrong = run(["scrutiny", "export", "--output", str(tmp_path / "x.csv")], tmp_path)
    assert wrong.exit_code == 2 and "must be an .xlsx file" in wrong.stderr

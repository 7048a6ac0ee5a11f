"""Re-importing an older plan or scrutiny file never silently loses what was entered in the
browser since: such an import is refused, naming each row, and changes nothing; export first
(the export has them) or give --replace to let the file win."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from csc_scorecard.accounts.models import User
from csc_scorecard.cli import cli
from csc_scorecard.plans import models as pm
from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.plans.store import WebChangesWouldBeLost, dump_plan
from csc_scorecard.scrutiny import models as sm
from csc_scorecard.scrutiny.demo import DEMO_SCRUTINY
from csc_scorecard.services import plans as plan_svc
from csc_scorecard.services import scrutiny as scrutiny_svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    return User.objects.create_user("ana", role="analyst")


@pytest.fixture
def stored(ana):
    plan_svc.import_plan_file(DEMO_PLAN, account=ana)
    scrutiny_svc.import_scrutiny_file(DEMO_SCRUTINY, account=ana)
    return pm.Plan.objects.get().reference


def _first_action():
    return pm.Action.objects.order_by("id").first()


def test_a_progress_note_added_in_the_browser_refuses_the_old_file(stored, ana):
    action = _first_action()
    plan_svc.add_progress_note(ana, action, "Panel met; two carers approved", dt.date(2025, 3, 3))
    notes = pm.ProgressNote.objects.count()
    before = dump_plan(pm.Plan.objects.get())
    with pytest.raises(WebChangesWouldBeLost) as refused:
        plan_svc.import_plan_file(DEMO_PLAN, account=ana)
    # the note is named, with who and when; nothing was changed
    assert len(refused.value.rows) == 1
    assert "Panel met; two carers approved" in refused.value.rows[0] and "by ana" in refused.value.rows[0]
    assert pm.ProgressNote.objects.count() == notes and dump_plan(pm.Plan.objects.get()) == before
    # the file wins only when asked: the note goes (and its history stays)
    summary = plan_svc.import_plan_file(DEMO_PLAN, account=ana, replace=True)
    assert summary.deleted == 1 and pm.ProgressNote.objects.count() == notes - 1
    assert pm.ProgressNote.history.filter(history_type="-").count() == 1


def test_exporting_first_keeps_the_browser_changes(stored, ana, tmp_path):
    action = _first_action()
    plan_svc.add_progress_note(ana, action, "Recruitment campaign launched", dt.date(2025, 2, 1))
    out = plan_svc.export_plan_file(stored, tmp_path / "plan.xlsx")
    summary = plan_svc.import_plan_file(out, account=ana)
    assert summary.deleted == 0 and summary.created == 0
    assert pm.ProgressNote.objects.filter(text="Recruitment campaign launched").exists()


def test_a_status_changed_in_the_browser_is_not_changed_back(stored, ana):
    action = _first_action()
    old = action.status
    new = "B" if old != "B" else "G"
    plan_svc.update_action(ana, action, status=new)
    with pytest.raises(WebChangesWouldBeLost) as refused:
        plan_svc.import_plan_file(DEMO_PLAN, account=ana)
    assert refused.value.rows[0].endswith("(the file would change it)")
    action.refresh_from_db()
    assert action.status == new


def test_a_tracker_update_added_in_the_browser_refuses_the_old_scrutiny_file(stored, ana):
    item = sm.TrackerItem.objects.order_by("id").first()
    scrutiny_svc.add_update(item.pk, dt.date(2025, 3, 10), "Report requested for June", ana,
                            today=dt.date(2025, 6, 1))
    updates = sm.TrackerUpdate.objects.count()
    with pytest.raises(WebChangesWouldBeLost) as refused:
        scrutiny_svc.import_scrutiny_file(DEMO_SCRUTINY, account=ana)
    assert any("Report requested for June" in r for r in refused.value.rows)
    assert sm.TrackerUpdate.objects.count() == updates
    summary = scrutiny_svc.import_scrutiny_file(DEMO_SCRUTINY, account=ana, replace=True)
    assert summary.deleted == 1 and sm.TrackerUpdate.objects.count() == updates - 1


def test_a_browser_row_under_a_deleted_parent_is_named_too(stored, ana, tmp_path):
    import yaml

    item = sm.TrackerItem.objects.order_by("id").first()
    scrutiny_svc.add_update(item.pk, dt.date(2025, 3, 10), "Chased the service", ana,
                            today=dt.date(2025, 6, 1))
    sheets = yaml.safe_load(DEMO_SCRUTINY.read_text(encoding="utf-8"))
    # the file drops the tracker item (its updates go with it, the browser one among them)
    sheets["tracker"] = [t for t in sheets["tracker"]
                         if not (str(t["meeting"]) == item.meeting.date.isoformat() and t["item"] == item.number)]
    sheets["tracker_updates"] = [u for u in sheets["tracker_updates"]
                                 if not (str(u["meeting"]) == item.meeting.date.isoformat()
                                         and u["item"] == item.number)]
    path = tmp_path / "smaller.yml"
    path.write_text(yaml.safe_dump(sheets), encoding="utf-8")
    with pytest.raises(WebChangesWouldBeLost) as refused:
        scrutiny_svc.import_scrutiny_file(path, account=ana)
    assert [r for r in refused.value.rows if "Chased the service" in r]
    assert sm.TrackerItem.objects.filter(pk=item.pk).exists()


def test_the_cli_refuses_in_words_and_replace_lets_the_file_win(stored, ana):
    item = sm.TrackerItem.objects.order_by("id").first()
    scrutiny_svc.add_update(item.pk, dt.date(2025, 3, 10), "Asked for a briefing", ana,
                            today=dt.date(2025, 6, 1))
    runner = CliRunner()
    result = runner.invoke(cli, ["--as", "ana", "scrutiny", "import", str(DEMO_SCRUTINY)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())  # the console wraps long lines
    assert "added or changed in the browser" in said and "--replace" in said
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["--as", "ana", "scrutiny", "import", str(DEMO_SCRUTINY), "--replace"])
    assert result.exit_code == 0, result.output
    assert "1 removed" in " ".join(result.output.split())

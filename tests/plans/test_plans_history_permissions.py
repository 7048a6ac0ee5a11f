"""Every change is kept with who and when; a manager changes only the actions they own."""

import pytest
import yaml

from csc_scorecard.accounts.models import User
from csc_scorecard.plans import models as m
from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.services.plans import (
    PlanPermissionDenied,
    add_progress_note,
    can_edit_action,
    import_plan_file,
    update_action,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "mo": User.objects.create_user("mo", role="manager"),
        "kim": User.objects.create_user("kim", role="manager"),
        "ana": User.objects.create_user("ana", role="analyst"),
        "vic": User.objects.create_user("vic", role="viewer"),
    }


def _plan_with_owner(tmp_path, owner="@mo"):
    sheets = yaml.safe_load(DEMO_PLAN.read_text(encoding="utf-8"))
    sheets["actions"][0]["owners"] = f"{owner}; Sam Gill"
    path = tmp_path / "plan.yml"
    path.write_text(yaml.safe_dump(sheets), encoding="utf-8")
    import_plan_file(path, author="importer")
    return m.Action.objects.get(objective__programme__number=1, objective__letter="A", number="i")


def test_import_keeps_history_for_every_model(tmp_path, people):
    _plan_with_owner(tmp_path)
    for model in (m.Plan, m.Programme, m.Objective, m.Action, m.ActionOwner, m.ProgressNote, m.Risk,
                  m.LocalMeasure, m.LocalMeasureValue, m.HighlightReport):
        rows = model.history.all()
        assert rows.count() == model.objects.count() > 0, model.__name__
        assert {r.history_type for r in rows} == {"+"}
        assert {r.history_change_reason for r in rows} == {"import plan.yml by importer"}


def test_reimport_records_only_real_changes_and_deletions(tmp_path, people):
    _plan_with_owner(tmp_path)
    sheets = yaml.safe_load(DEMO_PLAN.read_text(encoding="utf-8"))
    sheets["actions"][0]["owners"] = "@mo; Sam Gill"
    sheets["risks"][0]["likelihood"] = 5                   # a change
    sheets["risks"] = sheets["risks"][:3]                  # risk 3.2 removed
    path = tmp_path / "plan2.yml"
    path.write_text(yaml.safe_dump(sheets), encoding="utf-8")
    import_plan_file(path, author="second")
    risk = m.Risk.objects.get(programme__number=1, number=1)
    changes = list(risk.history.order_by("history_date"))
    assert [c.history_type for c in changes] == ["+", "~"]
    assert (changes[0].likelihood, changes[1].likelihood) == (3, 5)
    assert changes[1].history_change_reason == "import plan2.yml by second"
    gone = m.Risk.history.filter(history_type="-")
    assert [(g.programme_id, g.number) for g in gone] == [(risk.programme.plan.programmes.get(number=3).id, 2)]
    assert m.Action.history.filter(history_type="~").count() == 0  # unchanged actions not saved again


def test_manager_updates_own_action_and_history_names_them(tmp_path, people):
    action = _plan_with_owner(tmp_path)
    assert can_edit_action(people["mo"], action)
    update_action(people["mo"], action, status="A", direction="missed", outcome="Site delayed")
    action.refresh_from_db()
    assert (action.status, action.direction, action.outcome) == ("A", "missed", "Site delayed")
    latest = action.history.latest()
    assert latest.history_user == people["mo"] and latest.history_type == "~"
    assert latest.status == "A"
    note = add_progress_note(people["mo"], action, "Supplier chosen")
    assert note.history.get().history_user == people["mo"]


def test_manager_is_refused_on_another_managers_action(tmp_path, people):
    action = _plan_with_owner(tmp_path)
    before = action.history.count()
    with pytest.raises(PlanPermissionDenied, match="kim may not change action 1\\(A\\)i"):
        update_action(people["kim"], action, status="R")
    with pytest.raises(PlanPermissionDenied):
        add_progress_note(people["kim"], action, "not mine")
    other = m.Action.objects.get(objective__programme__number=3, objective__letter="A", number="i")
    with pytest.raises(PlanPermissionDenied):
        update_action(people["mo"], other, status="R")  # mo owns only 1(A)i
    action.refresh_from_db()
    assert action.status == "B" and action.history.count() == before


def test_analyst_edits_any_viewer_none(tmp_path, people):
    action = _plan_with_owner(tmp_path)
    update_action(people["ana"], action, kpi="Visits per month")
    assert m.Action.objects.get(id=action.id).kpi == "Visits per month"
    with pytest.raises(PlanPermissionDenied):
        update_action(people["vic"], action, kpi="no")
    assert not can_edit_action(None, action)
    with pytest.raises(ValueError, match="cannot change indicators"):
        update_action(people["ana"], action, indicators=["cla_count"])  # the plan file's to change


def test_highlight_prose_by_programme_owner_only(tmp_path, people):
    from csc_scorecard.services.plans import save_highlight

    action = _plan_with_owner(tmp_path)  # mo owns an action of programme 1
    programme = action.objective.programme
    report = save_highlight(people["mo"], programme, "2024-25-Q4", status="amber", trend="missed",
                            slippage="Directory supplier changed")
    assert (report.status, report.trend, report.period) == ("A", "missed", "2024-25-Q4")
    assert report.history.latest().history_user == people["mo"]
    with pytest.raises(PlanPermissionDenied):
        save_highlight(people["kim"], programme, "2024-25-Q4", reason="not mine")
    with pytest.raises(PlanPermissionDenied):
        save_highlight(people["mo"], m.Programme.objects.get(number=3), "2024-25-Q4", reason="no")
    with pytest.raises(ValueError, match="state must be"):
        save_highlight(people["ana"], programme, "2024-25-Q4", state="published")


def test_cli_import_is_kept_against_the_cli_account_and_refused_to_a_manager(people):
    from click.testing import CliRunner

    from csc_scorecard.cli import cli

    runner = CliRunner()
    refused = runner.invoke(cli, ["--as", "mo", "plans", "import", str(DEMO_PLAN)])
    assert refused.exit_code == 2 and "mo may not import plans" in refused.output
    assert m.Plan.objects.count() == 0
    ok = runner.invoke(cli, ["--as", "ana", "plans", "import", str(DEMO_PLAN)])
    assert ok.exit_code == 0, ok.output
    assert {r.history_user for r in m.Action.history.all()} == {people["ana"]}
    assert m.Plan.history.get().history_change_reason == "import demo_plan.yml by ana"

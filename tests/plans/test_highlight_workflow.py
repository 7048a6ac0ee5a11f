"""The highlight workflow in services.highlights: which steps each account is offered, and
save_highlight(state=...) taking the same steps with the same rules."""

import pytest
import yaml

from csc_scorecard.accounts.models import User
from csc_scorecard.plans import models as m
from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.services.highlights import (
    HighlightStateRefused,
    allowed_steps,
    save_highlight,
    take_step,
)
from csc_scorecard.services.plans import PlanPermissionDenied, import_plan_file

pytestmark = pytest.mark.django_db
Q = "2024-25-Q4"


@pytest.fixture
def setup(tmp_path):
    people = {name: User.objects.create_user(name, role=role) for name, role in (
        ("mo", "manager"), ("kim", "manager"), ("ana", "analyst"), ("bea", "analyst"), ("ada", "admin"))}
    sheets = yaml.safe_load(DEMO_PLAN.read_text(encoding="utf-8"))
    sheets["actions"][0]["owners"] = "@mo"  # mo owns an action of programme 1
    sheets.pop("highlights", None)
    path = tmp_path / "plan.yml"
    path.write_text(yaml.safe_dump(sheets), encoding="utf-8")
    import_plan_file(path)
    return people, m.Programme.objects.get(number=1)


def _steps(people, programme, report):
    return {name: [s for s, _ in allowed_steps(user, programme, report)] for name, user in people.items()}


def test_steps_offered_follow_the_state_and_the_role(setup):
    people, programme = setup
    report = save_highlight(people["mo"], programme, Q, reason="started")
    assert _steps(people, programme, report) == {"mo": ["submit"], "kim": [], "ana": ["submit"],
                                                 "bea": ["submit"], "ada": ["submit"]}
    report = take_step(people["ana"], programme, Q, "submit")
    # the submitter may send it back but not approve it; managers approve nothing
    assert _steps(people, programme, report) == {"mo": [], "kim": [], "ana": ["send-back"],
                                                 "bea": ["send-back", "approve"],
                                                 "ada": ["send-back", "approve"]}
    report = take_step(people["bea"], programme, Q, "approve")
    assert _steps(people, programme, report) == {"mo": [], "kim": [], "ana": ["reopen"],
                                                 "bea": ["reopen"], "ada": ["reopen"]}


def test_save_highlight_with_a_state_takes_the_step(setup):
    people, programme = setup
    report = save_highlight(people["mo"], programme, Q, achievements="Hub open", state="submitted")
    assert (report.state, report.achievements) == ("submitted", "Hub open")
    with pytest.raises(PlanPermissionDenied):
        save_highlight(people["mo"], programme, Q, state="approved")  # a manager never approves
    with pytest.raises(HighlightStateRefused, match="send it back to draft"):
        save_highlight(people["ana"], programme, Q, achievements="changed", state="approved")
    report = save_highlight(people["ana"], programme, Q, state="approved")
    assert report.state == "approved"
    with pytest.raises(HighlightStateRefused, match="cannot become submitted in one step"):
        save_highlight(people["ana"], programme, Q, state="submitted")
    assert [h.history_user.username for h in report.history.order_by("history_date")] == ["mo", "mo", "ana"]

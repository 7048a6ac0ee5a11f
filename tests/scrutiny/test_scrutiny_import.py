"""The scrutiny template: the example imports, round-trips, and broken files are refused whole."""

import datetime as dt

import pytest
import yaml

from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.scrutiny import models as m
from csc_scorecard.scrutiny.demo import DEMO_SCRUTINY
from csc_scorecard.scrutiny.store import dump_scrutiny
from csc_scorecard.services import scrutiny as svc
from csc_scorecard.services.plans import import_plan_file

pytestmark = pytest.mark.django_db
D = dt.date
MODELS = (m.Committee, m.Meeting, m.WorkProgrammeItem, m.TrackerItem, m.TrackerUpdate)


@pytest.fixture
def plan():
    import_plan_file(DEMO_PLAN, author="test")


def _counts():
    return [model.objects.count() for model in MODELS]


def test_the_example_imports_with_a_tracker_in_every_status(plan):
    summary = svc.import_scrutiny_file(DEMO_SCRUTINY, author="test")
    # the example: 1 committee, 7 meetings, 24 agenda items, 8 tracker items, 5 updates
    assert _counts() == [1, 7, 24, 8, 5]
    assert summary.created == 1 + 7 + 24 + 8 + 5 and summary.deleted == 0
    meeting = svc.meeting("children-families", D(2025, 5, 19))
    rows = svc.tracker_as_of("children-families", meeting.date, for_meeting=meeting)
    statuses = [(r.item.meeting.date.isoformat(), r.item.number, r.status, r.overridden) for r in rows]
    # the item completed on 10 Sep 2024 was reported on 16 Sep 2024 and is gone (7 of 8 shown)
    assert statuses == [
        ("2024-07-22", 1, "Pending", False),     # last update 3 Mar 2025: 3 months on 3 Jun
        ("2024-09-16", 1, "Pending", False),     # due 30 Jun 2025
        ("2024-11-18", 1, "Completed", False),   # completed 2 Apr 2025, first meeting after
        ("2024-11-18", 2, "Incomplete", False),  # agreed 18 Nov 2024, none since: reached 18 Feb
        ("2025-01-20", 1, "Incomplete", False),  # update 31 Jan 2025: reached 30 Apr
        ("2025-01-20", 2, "Pending", True),      # overridden from 1 May 2025
        ("2025-03-17", 1, "Pending", False),     # agreed 17 Mar: 3 months on 17 Jun
    ]
    links = {r.item.agenda_item: (r.item.programme.number if r.item.programme else None,
                                  r.item.action.reference if r.item.action else None) for r in rows}
    assert links["Children and Young People's Plan: update on the workforce programme"] == (3, "3(C)i")
    wp = svc.work_programme("children-families")
    assert [len(items) for _, items in wp] == [3, 3, 3, 3, 3, 3, 6]
    last = [(i.order, i.paper_type, i.programme.number if i.programme else None, i.period) for i in wp[-1][1]]
    assert last[:5] == [(1, "performance_report", None, "2024-25"), (2, "performance_report", None, "2024-25-Q4"),
                        (3, "highlight_report", 1, "2024-25-Q4"), (4, "highlight_report", 3, "2024-25-Q4"),
                        (5, "plan_summary", None, "2024-25-Q4")]
    assert wp[-1][1][4].plan.reference == "cypp-2023-26"


def test_export_round_trips(plan, tmp_path):
    svc.import_scrutiny_file(DEMO_SCRUTINY)
    before = dump_scrutiny()
    out = svc.export_scrutiny_file(tmp_path / "scrutiny.xlsx")
    again = svc.import_scrutiny_file(out)
    assert again.unchanged == 45 and again.created == again.updated == again.deleted == 0
    for model in reversed(MODELS):
        model.objects.all().delete()
    fresh = svc.import_scrutiny_file(out)
    assert fresh.created == 45 and dump_scrutiny() == before


def test_reimport_changes_and_removes_only_what_the_file_changed(plan, tmp_path):
    svc.import_scrutiny_file(DEMO_SCRUTINY)
    sheets = yaml.safe_load(DEMO_SCRUTINY.read_text(encoding="utf-8"))
    sheets["tracker"][2]["due_date"] = "2025-04-30"              # one change
    sheets["tracker_updates"] = sheets["tracker_updates"][:-1]  # one update removed
    path = tmp_path / "changed.yml"
    path.write_text(yaml.safe_dump(sheets), encoding="utf-8")
    summary = svc.import_scrutiny_file(path, author="clerk")
    assert (summary.updated, summary.deleted, summary.unchanged) == (1, 1, 43)
    item = m.TrackerItem.objects.get(meeting__date=D(2024, 9, 16), number=1)
    assert [h.history_change_reason for h in item.history.order_by("history_date")][-1] == "import changed.yml by clerk"
    assert m.TrackerUpdate.history.filter(history_type="-").count() == 1

"""Inspection files: stored all or nothing, every problem located; re-import replaces."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.inspection.models import Inspection, Recommendation
from csc_scorecard.services.inspection import (
    FileProblems,
    import_inspection,
    inspections_overview,
    recommendation_links,
)

pytestmark = pytest.mark.django_db

GOOD = """\
    inspection:
      kind: ILACS
      title: Inspection of Somerset children's services
      start_date: 2017-11-27
      end_date: 2017-12-08
      published_date: 2018-01-30
      report_url: https://reports.ofsted.gov.uk/provider/44/80579
    judgements:
      - area: Overall effectiveness
        grade: Requires improvement to be good
      - area: The experiences and progress of children who need help and protection
        grade: requires improvement
    recommendations:
      - number: R1
        text: Secure a stable workforce.
        indicators: [sw_agency_pct, sw_vacancy_pct]
        actions: [workforce/1.1]
      - number: r2
        text: Improve management oversight.
    """


def write(tmp_path, text, name="inspection.yml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_import_stores_the_visit_judgements_and_recommendations(tmp_path):
    visit = import_inspection(write(tmp_path, GOOD), la_code="933")
    assert (visit.kind, visit.start_date, visit.end_date) == (
        "ilacs", dt.date(2017, 11, 27), dt.date(2017, 12, 8))
    assert [(j.area, j.grade) for j in visit.judgements.all()] == [
        ("Overall effectiveness", "requires_improvement"),
        ("The experiences and progress of children who need help and protection",
         "requires_improvement")]
    recs = list(visit.recommendations.all())
    assert [(r.number, r.indicators, r.action_refs) for r in recs] == [
        ("R1", ["sw_agency_pct", "sw_vacancy_pct"], ["workforce/1.1"]), ("R2", [], [])]
    assert [link.reference for link in recommendation_links(recs[0])] == ["workforce/1.1"]
    assert "  R1: Secure a stable workforce.  [actions: workforce/1.1]" in inspections_overview()
    # the same visit again, with R2 dropped and R1 reworded: replaced, history kept
    again = GOOD.replace("Secure a stable workforce.", "Secure a stable, permanent workforce.")
    again = again.split("      - number: r2")[0]
    import_inspection(write(tmp_path, again), la_code="933")
    assert Inspection.objects.count() == 1
    r1 = Recommendation.objects.get()
    assert r1.text == "Secure a stable, permanent workforce."
    assert [h.text for h in r1.history.order_by("history_date")] == [
        "Secure a stable workforce.", "Secure a stable, permanent workforce."]


def test_every_problem_is_located_and_nothing_is_stored(tmp_path):
    bad = """\
        inspection:
          kind: inspection of sorts
          start_date: 2017-12-08
          end_date: 2017-11-27
          report_url: reports.ofsted.gov.uk
        judgements:
          - area: Overall effectiveness
            grade: fine
        recommendations:
          - number: R1
            text: a
            indicators: [sw_agency]
          - number: R1
            text: b
        """
    with pytest.raises(FileProblems) as caught:
        import_inspection(write(tmp_path, bad))
    assert caught.value.problems == [
        "inspection.yml, line 2: kind 'inspection of sorts' is not one of ILACS, focused visit, "
        "JTAI, monitoring visit",
        "inspection.yml, line 4: end_date 2017-11-27 is before start_date 2017-12-08",
        "inspection.yml, line 5: report_url should start with https://",
        "inspection.yml, line 8: grade 'fine' is not one of outstanding, good, requires "
        "improvement to be good, inadequate",
        "inspection.yml, line 12: indicator id 'sw_agency' is not in the indicator catalogue "
        "(did you mean sw_agency_pct?)",
        "inspection.yml, line 13: recommendation R1 appears twice",
    ]
    assert Inspection.objects.count() == 0


def test_focused_visit_from_excel_through_the_command(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    doc = book.active
    doc.title = "document"
    for row in (["field", "value"], ["kind", "Focused visit"], ["title", "Front door"],
                ["start_date", dt.date(2019, 1, 8)], ["end_date", "2019-01-09"]):
        doc.append(row)
    recs = book.create_sheet("recommendations")
    recs.append(["number", "text", "indicators", "actions"])
    recs.append(["R1", "Strengthen triage.", "contacts_count, referrals_nfa_pct", "front-door/2.1"])
    judgements = book.create_sheet("judgements")
    judgements.append(["area", "grade"])
    judgements.append(["Overall", "good"])
    book.save(tmp_path / "visit.xlsx")
    result = CliRunner().invoke(cli, ["inspection", "import", str(tmp_path / "visit.xlsx")])
    assert result.exit_code == 2
    assert "visit.xlsx, sheet document, row 2: only ILACS inspections are graded" in result.output
    del book["judgements"]
    book.save(tmp_path / "visit.xlsx")
    result = CliRunner().invoke(cli, ["inspection", "import", str(tmp_path / "visit.xlsx")])
    assert result.exit_code == 0, result.output
    assert "stored Focused visit January 2019: 0 judgements, 1 recommendations" in result.output
    rec = Recommendation.objects.get()
    assert rec.indicators == ["contacts_count", "referrals_nfa_pct"]
    assert rec.action_refs == ["front-door/2.1"]


def _plans_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("csc_scorecard.plans")


@pytest.mark.skipif(not _plans_installed(), reason="runs once the improvement plans are merged")
def test_links_resolve_to_plan_actions_both_ways(tmp_path):
    from csc_scorecard.plans.models import Action, Objective, Plan, Programme

    plan = Plan.objects.create(reference="cypp-2023-26", title="Plan")
    programme = Programme.objects.create(plan=plan, number=3, title="Safe")
    objective = Objective.objects.create(programme=programme, letter="A", text="Timely")
    Action.objects.create(objective=objective, number="i", text="Weekly timeliness reviews")
    Action.objects.create(objective=objective, number="ii", text="Audit late conferences",
                          recommendations=["R1"])
    visit = import_inspection(write(tmp_path, GOOD.rstrip(" ").replace("workforce/1.1", "cypp-2023-26/3(A)i")
                                    + "        actions: [nowhere/9]\n"), la_code="933")
    r1, r2 = visit.recommendations.all()
    # R1 names 3(A)i; 3(A)ii names R1 from the plan's side
    def links(rec):
        return [(link.reference, link.text, link.found) for link in recommendation_links(rec)]

    assert links(r1) == [
        ("cypp-2023-26/3(A)i", "Weekly timeliness reviews", True),
        ("cypp-2023-26/3(A)ii", "Audit late conferences", True)]
    assert links(r2) == [("nowhere/9", "", False)]

"""A small inspection world for the inspection page tests (written straight into the models).

* council 123's figures from pages_store: cp_repeat_ever_pct 20.0% in 2024-25 (20/100) and
  25.0% in 2023-24, lower is better;
* an ILACS of November 2023 with one graded judgement, R1 linked to the improvement-plan
  action cypp/1(A)i (status R, deadline 31 January 2024: overdue on any later day);
* a draft self-evaluation with one section of two bullets, the second a broken reference;
* an Annex A workbook in the store (raw file kept under its sha256):
    List 1  C1 contact 10 Jan 2024, C2 contact 1 Feb 2024
    List 3  C1 referral 12 Jan 2024 (Team A, Ann)
    List 7  C1 CP plan from 20 Feb 2024, no visit, no review, not ended (Team A, Ann)
  so C1 is in three lists (L1, L3, L7), C2 in one, and List 7 has "open case with no visit date".
"""

from __future__ import annotations

import datetime as dt
import hashlib

D = dt.date
CHILD = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth"]
ALLOC = ["Allocated Team", "Allocated Worker"]
LISTS = {
    "List 1": (CHILD + ["Date of Contact", "Contact Source"], [
        ["C1", "M", "WBRI", D(2010, 5, 1), D(2024, 1, 10), "6"],
        ["C2", "F", "WBRI", D(2023, 6, 1), D(2024, 2, 1), "2A"],
    ]),
    "List 3": (CHILD + ["Date of Referral", "Referral Source", "Referral NFA"] + ALLOC, [
        ["C1", "M", "WBRI", D(2010, 5, 1), D(2024, 1, 12), "6", "No", "Team A", "Ann"],
    ]),
    "List 7": (CHILD + ["Disability", "Child protection plan start date",
                        "Date of last statutory visit", "Date of latest review conference",
                        "Child protection plan end date"] + ALLOC, [
        ["C1", "M", "WBRI", D(2010, 5, 1), "No", D(2024, 2, 20), None, None, None, "Team A", "Ann"],
    ]),
}
AS_AT = "2024-03-31"
SECTION_BULLETS = [
    "Repeat plans: {cp_repeat_ever_pct | period 2024-25 | compare 2023-24}",
    "Older figure: {cp_repeat_ever_pct | period 2019-20}",
]


def build_inspection_world(tmp_home) -> dict:
    from openpyxl import Workbook

    from csc_scorecard.inspection.models import (
        EvaluationSection,
        EvidenceBullet,
        Inspection,
        Judgement,
        Recommendation,
        SelfEvaluation,
    )
    from csc_scorecard.plans.models import Action, Objective, Plan, Programme
    from csc_scorecard.store.models import RawFile, Submission

    from .pages_store import build_council

    build_council()
    plan = Plan.objects.create(reference="cypp", title="Children and young people's plan")
    objective = Objective.objects.create(
        programme=Programme.objects.create(plan=plan, number=1, title="Workforce"),
        letter="A", text="A stable workforce")
    Action.objects.create(objective=objective, number="i", text="Recruit permanent social workers",
                          status="R", deadline=D(2024, 1, 31), deadline_precision="day")
    Action.objects.create(objective=objective, number="ii", text="Reduce caseloads", status="G")
    visit = Inspection.objects.create(kind="ilacs", title="ILACS November 2023", la_code="123",
                                      start_date=D(2023, 11, 6), end_date=D(2023, 11, 17),
                                      report_url="https://reports.ofsted.gov.uk/provider/44/1")
    Judgement.objects.create(inspection=visit, area="Overall effectiveness",
                             grade="requires_improvement")
    Recommendation.objects.create(inspection=visit, number="R1", text="Secure a stable workforce.",
                                  indicators=["cp_repeat_ever_pct"], action_refs=["cypp/1(A)i"])
    doc = SelfEvaluation.objects.create(title="Self-evaluation 2025", la_code="123",
                                        inspection=visit)
    section = EvaluationSection.objects.create(evaluation=doc, theme="Protection",
                                               title="Fewer repeat plans", recommendations=["R1"])
    for i, text in enumerate(SECTION_BULLETS):
        EvidenceBullet.objects.create(section=section, position=i, text=text)

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in LISTS.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    tmp = tmp_home / "annex_a.xlsx"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    book.save(tmp)
    data = tmp.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    (tmp_home / "raw").mkdir(parents=True, exist_ok=True)
    (tmp_home / "raw" / sha).write_bytes(data)
    sub = Submission.objects.create(return_type="annex_a", year="2023-24", la_code="123",
                                    sha256=sha, is_current=True)
    RawFile.objects.create(submission=sub, name="annex_a.xlsx", sha256=sha, size_bytes=len(data))
    return {"inspection": visit, "evaluation": doc, "section": section}

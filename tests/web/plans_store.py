"""A small plan written by the plans page tests (through the plan import, as a council would).

Plan "test-plan", two programmes:

programme 1, objective A
  action i   owner @manager-user, deadline January 2020 (so overdue, status G),
             linked to cp_repeat_ever_pct and the local measure "visits"
  action ii  owner @kim (another manager), deadline December 2099, status A
programme 2, objective A
  action i   owner "Sam Gill" (a named person, no account), ongoing

Risks (score = likelihood x impact; bands 1-4 low, 5-9 medium, 10-16 high, 20-25 very high):
  1.1  4 x 5 = 20  very high  owner Sam
  1.2  2 x 3 =  6  medium     owner Ali
  2.1  1 x 2 =  2  low        owner Sam
  2.2  3 x 4 = 12  high       owner Ali

Local measures: visits (count, higher is better, 0 decimals; 2024-25 = 100),
rate (average, lower is better, 1 decimal).
"""

from __future__ import annotations

import yaml

PLAN = {
    "plan": [{"reference": "test-plan", "title": "Test Children's Plan", "period": "2023-26",
              "governing_body": "Test Children's Trust"}],
    "programmes": [
        {"programme": 1, "title": "Early help", "lead_delivery_group": "Early Help Board",
         "chair": "Jo Bloggs", "lead_sponsor": "Director", "scrutiny_champion": "Cllr Smith"},
        {"programme": 2, "title": "Safeguarding"},
    ],
    "objectives": [
        {"programme": 1, "objective": "A", "text": "Help families earlier"},
        {"programme": 2, "objective": "A", "text": "Keep children safe"},
    ],
    "actions": [
        {"programme": 1, "objective": "A", "action": "i", "text": "Open the family hub",
         "owners": "@manager-user", "deadline": "2020-01", "status": "G",
         "indicators": "cp_repeat_ever_pct; visits"},
        {"programme": 1, "objective": "A", "action": "ii", "text": "Train the early help workers",
         "owners": "@kim", "deadline": "2099-12", "status": "A"},
        {"programme": 2, "objective": "A", "action": "i", "text": "Audit the plans",
         "owners": "Sam Gill", "deadline": "Ongoing"},
    ],
    "risks": [
        {"programme": 1, "risk_number": 1, "risk": "Hub building late", "owner": "Sam",
         "likelihood": 4, "impact": 5, "mitigations": "Temporary site"},
        {"programme": 1, "risk_number": 2, "risk": "Staff turnover", "owner": "Ali", "likelihood": 2, "impact": 3},
        {"programme": 2, "risk_number": 1, "risk": "Audit tool fails", "owner": "Sam", "likelihood": 1, "impact": 2},
        {"programme": 2, "risk_number": 2, "risk": "Rising demand", "owner": "Ali", "likelihood": 3, "impact": 4},
    ],
    "measures": [
        {"measure_id": "visits", "title": "Visits to the hub website", "unit": "count",
         "polarity": "higher_better", "decimals": 0},
        {"measure_id": "rate", "title": "A local rate", "unit": "average", "polarity": "lower_better",
         "decimals": 1},
    ],
    "measure_values": [{"measure_id": "visits", "period": "2024-25", "value": 100, "source": "analytics"}],
}


def build_plan(tmp_path) -> None:
    from csc_scorecard.services.plans import import_plan_file

    path = tmp_path / "test-plan.yml"
    path.write_text(yaml.safe_dump(PLAN), encoding="utf-8")
    import_plan_file(path, author="test")

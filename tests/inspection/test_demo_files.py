"""The demo's inspection and self-evaluation files read cleanly and agree with each other."""

from csc_scorecard.inspection.demo import DEMO_INSPECTION, DEMO_SELF_EVALUATION
from csc_scorecard.inspection.files import read_evaluation_file, read_inspection_file
from csc_scorecard.inspection.references import find_references


def test_demo_files_read_and_answer_existing_recommendations():
    visit = read_inspection_file(DEMO_INSPECTION)
    numbers = [r.number for r in visit.recommendations]
    assert numbers == [f"R{i}" for i in range(1, 12)]
    evaluation = read_evaluation_file(DEMO_SELF_EVALUATION)
    answered = {r for part in evaluation.parts for r in part.recommendations}
    assert answered <= set(numbers)
    refs = [ref for part in evaluation.parts for b in part.bullets for ref in find_references(b.text)]
    assert {r.rank for r in refs} >= {"region"} and any(r.compare for r in refs)
    # rolling periods, worked out on demand (services.rolling_figures): not stored by the recompute
    assert {r.period for r in refs} >= {"r3-latest", "r6-latest"}

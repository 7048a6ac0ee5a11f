"""The demo council's inspection: a past ILACS, a self-evaluation with live figures, the pack.

Called by ``csc-scorecard demo`` after the indicators (and the improvement
plan, whose actions the recommendations name) are stored.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csc_scorecard.periods import parse_period

__all__ = ["DEMO_INSPECTION", "DEMO_SELF_EVALUATION", "write_demo_inspection"]

EXAMPLES = Path(__file__).with_name("examples")
DEMO_INSPECTION = EXAMPLES / "demo_inspection.yml"
DEMO_SELF_EVALUATION = EXAMPLES / "demo_self_evaluation.yml"


def write_demo_inspection(out_dir: Path, year: str, *, la_code: str) -> list[Path]:
    """Import the inspection and self-evaluation; write the self-evaluation and the pack."""
    from csc_scorecard.services.inspection import (
        export_self_evaluation,
        import_inspection,
        import_self_evaluation,
        stored_evaluation,
        write_inspection_pack,
    )

    import_inspection(DEMO_INSPECTION, la_code=la_code)
    doc = import_self_evaluation(DEMO_SELF_EVALUATION, la_code=la_code)
    written = list(export_self_evaluation(stored_evaluation(doc.pk), out_dir,
                                          la_code=la_code).values())
    as_at: dt.date = parse_period(year).end
    written += write_inspection_pack(as_at, out_dir, la_code=la_code).values()
    return written

"""The demo council's improvement plan: imported by ``csc-scorecard demo`` with its documents."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEMO_PLAN", "DEMO_PLAN_TARGETS", "load_demo_plan"]

EXAMPLES = Path(__file__).with_name("examples")
DEMO_PLAN = EXAMPLES / "demo_plan.yml"
DEMO_PLAN_TARGETS = EXAMPLES / "demo_measure_targets.csv"


def load_demo_plan(out_dir: Path, period: str, *, la_code: str | None = None) -> list[Path]:
    """Import the demo plan and its local-measure targets; write its documents for ``period``."""
    from csc_scorecard.rating.targets import import_targets
    from csc_scorecard.services.plans import import_plan_file, write_plan_document

    summary = import_plan_file(DEMO_PLAN, author="demo")
    import_targets(DEMO_PLAN_TARGETS, user="demo")
    written: list[Path] = []
    for programme in (1, 3):
        written += write_plan_document("highlight", out_dir, plan=summary.plan_reference,
                                       programme=programme, period=period, la_code=la_code).values()
    for kind in ("plan-summary", "action-plan", "risks"):
        written += write_plan_document(kind, out_dir, plan=summary.plan_reference, period=period).values()
    return written

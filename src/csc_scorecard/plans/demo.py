"""The demo council's improvement plan: imported by ``csc-scorecard demo`` with its documents."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEMO_PLAN", "DEMO_PLAN_TARGETS", "import_demo_plan", "load_demo_plan",
           "write_demo_plan_documents"]

EXAMPLES = Path(__file__).with_name("examples")
DEMO_PLAN = EXAMPLES / "demo_plan.yml"
DEMO_PLAN_TARGETS = EXAMPLES / "demo_measure_targets.csv"


def import_demo_plan() -> str:
    """Import the demo plan and its local-measure targets; the plan's reference."""
    from csc_scorecard.rating.targets import import_targets
    from csc_scorecard.services.plans import import_plan_file

    summary = import_plan_file(DEMO_PLAN, author="demo")
    import_targets(DEMO_PLAN_TARGETS, user="")
    return summary.plan_reference


def write_demo_plan_documents(reference: str, out_dir: Path, period: str, *,
                              la_code: str | None = None) -> list[Path]:
    """Highlight reports for programmes 1 and 3, the summary, action plan and risk register."""
    from csc_scorecard.services.plans import write_plan_document

    written: list[Path] = []
    for programme in (1, 3):
        written += write_plan_document("highlight", out_dir, plan=reference, programme=programme,
                                       period=period, la_code=la_code).values()
    for kind in ("plan-summary", "action-plan", "risks"):
        written += write_plan_document(kind, out_dir, plan=reference, period=period).values()
    return written


def load_demo_plan(out_dir: Path, period: str, *, la_code: str | None = None) -> list[Path]:
    return write_demo_plan_documents(import_demo_plan(), out_dir, period, la_code=la_code)

"""Scrutiny committee documents, for every front end: the cover report and its counts,
the outcome tracker, the work programme and the committee pack (reporting/committee)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["cover_counts", "write_cover_report"]


def cover_counts(kind: str, period: str, *, la_code: str | None = None, publication: bool = False,
                 **options: Any):
    """The cover report's counts for a performance report and period (reporting.committee.counts)."""
    from csc_scorecard.reporting.committee.cover import build_cover_report

    return build_cover_report(kind, period, la_code=la_code, publication=publication, **options).counts


def write_cover_report(kind: str, period: str, out_dir: Path | str, *, la_code: str | None = None,
                       publication: bool = False, draft: bool = True, config: Any = None,
                       **options: Any) -> tuple[Any, dict[str, Path]]:
    """Build the cover report and write it as HTML, tagged PDF and DOCX: (report, paths)."""
    from csc_scorecard.plans.documents import write_plan_report
    from csc_scorecard.reporting.committee.cover import build_cover_report
    from csc_scorecard.reporting.config import ReportConfig, load_report_config

    cfg = config if isinstance(config, ReportConfig) else load_report_config(config)
    report = build_cover_report(kind, period, la_code=la_code, publication=publication, draft=draft,
                                config=cfg, **options)
    return report, write_plan_report(report, out_dir)

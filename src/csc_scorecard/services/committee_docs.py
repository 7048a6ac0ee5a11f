"""Scrutiny committee documents, for every front end: the cover report and its counts,
the outcome tracker, the work programme and the committee pack (reporting/committee)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

__all__ = ["cover_counts", "write_committee_pack", "write_cover_report", "write_tracker",
           "write_work_programme"]


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


def _meeting(meeting_date: dt.date, committee_slug: str | None):
    from csc_scorecard.services.scrutiny import meeting

    return meeting(committee_slug, meeting_date)


def write_tracker(meeting_date: dt.date, out_dir: Path | str, *, committee_slug: str | None = None,
                  draft: bool = True) -> dict[str, Path]:
    """The outcome tracker reported to the meeting on ``meeting_date`` (HTML, PDF, DOCX)."""
    from csc_scorecard.plans.documents import write_plan_report
    from csc_scorecard.reporting.committee.scrutiny_docs import build_tracker

    return write_plan_report(build_tracker(_meeting(meeting_date, committee_slug), draft=draft), out_dir)


def write_work_programme(committee_slug: str, out_dir: Path | str, *, draft: bool = True) -> dict[str, Path]:
    from csc_scorecard.plans.documents import write_plan_report
    from csc_scorecard.reporting.committee.scrutiny_docs import build_work_programme

    return write_plan_report(build_work_programme(committee_slug, draft=draft), out_dir)


def write_committee_pack(meeting_date: dt.date, out_dir: Path | str, *, committee_slug: str | None = None,
                         la_code: str | None = None, publication: bool = True, draft: bool = True,
                         config: Any = None, **options: Any) -> dict[str, Path]:
    """The meeting's committee pack: one PDF (and DOCX, HTML) in agenda order (reporting.committee.pack)."""
    from csc_scorecard.reporting.committee.pack import build_pack, write_pack
    from csc_scorecard.reporting.config import ReportConfig, load_report_config

    cfg = config if isinstance(config, ReportConfig) else load_report_config(config)
    pack = build_pack(_meeting(meeting_date, committee_slug), la_code=la_code, publication=publication,
                      draft=draft, config=cfg, **options)
    return write_pack(pack, out_dir)

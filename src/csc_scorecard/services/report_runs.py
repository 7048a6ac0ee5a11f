"""Reports generated from the browser: queued as a background task, kept, listed and downloaded.

A generation writes the report in HTML, PDF and DOCX (reporting.produce.write_report)
into ``<data home>/reports/<task id>/``; the TaskRun row says who asked and when,
and its result names the files. Viewers may read only publication-mode reports
(small numbers suppressed) and may not generate any.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied

from csc_scorecard.periods import PeriodError, parse_period

__all__ = [
    "CONTENT_TYPES", "KIND", "PLAN_KIND", "ReportRefused", "plan_document_runs", "run_plan_document",
    "start_plan_document", "can_generate", "generations", "report_file",
    "run_report", "start_report",
]

KIND = "reports.generate"
PLAN_KIND = "reports.plan-document"  # a highlight report from the plans pages
KINDS = (KIND, PLAN_KIND)
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class ReportRefused(ValueError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def can_generate(account: Any) -> bool:
    return bool(getattr(account, "is_active", False)) and account.role in ("admin", "analyst", "manager")


def _folder(run_id: int) -> Path:
    from csc_scorecard.config import data_home

    return data_home() / "reports" / str(int(run_id))


def start_report(account: Any, kind: str, period: str, mode: str):
    """Queue a generation; returns its TaskRun. Raises PermissionDenied or ReportRefused."""
    from csc_scorecard.services import tasks

    if not can_generate(account):
        raise PermissionDenied
    errors = {}
    if kind not in ("annual", "quarterly"):
        errors["kind"] = "Choose the annual or the quarterly report"
    try:
        p = parse_period(period)
        label = p.label
        if kind == "quarterly" and p.kind != "quarter":
            errors["period"] = "The quarterly report needs a quarter, like 2024-25-Q2"
        if kind == "annual" and p.kind != "year":
            errors["period"] = "The annual report needs a financial year, like 2024-25"
    except PeriodError:
        errors["period"] = "Enter a period like 2024-25 or 2024-25-Q2"
        label = ""
    if mode not in ("draft", "publication"):
        errors["mode"] = "Choose draft or publication"
    if errors:
        raise ReportRefused(errors)
    title = f"{kind.capitalize()} report, {label} ({mode})"
    return tasks.start(KIND, account, title, report=kind, period=label, mode=mode)


def run_report(progress, report: str, period: str, mode: str) -> dict:
    """The background task: build the report once, write its three formats."""
    from csc_scorecard.reporting.produce import write_report
    from csc_scorecard.services.tasks import TaskFailed

    progress.step("Building the report", done=0, total=2)
    folder = _folder(progress.run.pk)
    publication = mode == "publication"
    try:
        files = write_report(report, period, folder, publication=publication, draft=not publication)
    except (ValueError, LookupError) as exc:
        # the report builders' errors are sentences about periods and stored results
        raise TaskFailed(f"The report could not be built: {str(exc).splitlines()[0]}") from None
    progress.step("Finished", done=2, total=2)
    return {"files": {fmt: path.name for fmt, path in files.paths.items()},
            "pages": files.pdf_pages, "mode": mode, "report": report, "period": period}


def generations(account: Any, limit: int = 50) -> list[dict[str, Any]]:
    """Earlier generations, newest first: who, when, what, and the files (those the account may read)."""
    from csc_scorecard.services.access import publication_only
    from csc_scorecard.web.tasks.models import TaskRun

    out = []
    for run in TaskRun.objects.filter(kind__in=KINDS).select_related("requested_by")[:limit]:
        mode = run.arguments.get("mode", "draft")
        if publication_only(account) and mode != "publication":
            continue
        out.append({
            "id": run.pk, "title": run.title, "status": run.get_status_display(),
            "finished": run.finished, "failure": run.failure,
            "by": run.requested_by.username if run.requested_by else "",
            "at": run.created_at, "mode": mode,
            "formats": sorted((run.result or {}).get("files", {})),
        })
    return out


def report_file(account: Any, run_id: int, fmt: str) -> tuple[Path, str]:
    """(path, download name) of a generated report the account may read; LookupError otherwise."""
    from csc_scorecard.services.access import publication_only
    from csc_scorecard.web.tasks.models import TaskRun

    run = TaskRun.objects.filter(kind__in=KINDS, pk=run_id).first()
    if run is None or fmt not in CONTENT_TYPES:
        raise LookupError("no such report")
    if publication_only(account) and run.arguments.get("mode") != "publication":
        raise PermissionDenied
    name = (run.result or {}).get("files", {}).get(fmt)
    if not name:
        raise LookupError("no such report")
    path = _folder(run.pk) / Path(name).name
    if not path.is_file():
        raise LookupError("no such report")
    return path, path.name


def start_plan_document(account: Any, programme, period: str):
    """Queue a programme's highlight report (HTML, PDF, DOCX) for a period; returns its TaskRun.

    The documents are drafts (every page marked) until the report is approved.
    """
    from csc_scorecard.plans.models import HighlightReport
    from csc_scorecard.services import tasks

    if not can_generate(account):
        raise PermissionDenied
    label = parse_period(period).label
    stored = HighlightReport.objects.filter(programme=programme, period=label).first()
    state = stored.state if stored else "draft"
    title = f"Highlight report, programme {programme.number}, {label} ({state})"
    return tasks.start(PLAN_KIND, account, title, document="highlight", plan=programme.plan.reference,
                       programme=programme.number, period=label, draft=state != "approved",
                       mode="draft")


def run_plan_document(progress, document: str, plan: str, programme: int, period: str,
                      draft: bool, mode: str = "draft") -> dict:
    """The background task: the plan document through services.plans (as ``report highlight``)."""
    from csc_scorecard.services.plans import PlanNotFound, write_plan_document
    from csc_scorecard.services.tasks import TaskFailed

    progress.step("Building the highlight report", done=0, total=2)
    try:
        paths = write_plan_document(document, _folder(progress.run.pk), plan=plan, programme=programme,
                                    period=period, draft=draft)
    except (PlanNotFound, ValueError, LookupError) as exc:
        raise TaskFailed(f"The report could not be built: {str(exc).splitlines()[0]}") from None
    progress.step("Finished", done=2, total=2)
    return {"files": {fmt: path.name for fmt, path in paths.items()}, "mode": mode,
            "report": document, "period": period}


def plan_document_runs(account: Any, plan: str, programme: int, period: str) -> list[dict[str, Any]]:
    """Earlier generations of one programme's highlight report for a period, newest first."""
    from csc_scorecard.web.tasks.models import TaskRun

    wanted = set(TaskRun.objects.filter(
        kind=PLAN_KIND, arguments__plan=plan, arguments__programme=programme,
        arguments__period=period).values_list("pk", flat=True))
    return [g for g in generations(account, limit=200) if g["id"] in wanted]

"""Background tasks: start one, report its progress, read its result.

Uploads, recomputes and report generation take longer than a web request
should. A front end calls `start(kind, account, title, **arguments)`; the
work runs in the task worker (`csc-scorecard serve` runs it beside the web
server), queued in the project's own database by django-tasks' database
backend, so there is no broker to install.

What a person sees is a `TaskRun`: its current step, steps done out of
steps total, and at the end a result (a JSON-able dict) or a failure in
words. Only the kinds registered in `TASK_KINDS` can run, so a queued row can
never name arbitrary code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from csc_scorecard.web.tasks.models import TaskRun

log = logging.getLogger(__name__)

# kind -> "module.function"; the function is called as function(progress, **arguments)
TASK_KINDS: dict[str, str] = {
    "returns.ingest": "csc_scorecard.services.returns.run_upload",
    "reports.generate": "csc_scorecard.services.report_runs.run_report",
    "reports.plan-document": "csc_scorecard.services.report_runs.run_plan_document",
    "inspection.pack": "csc_scorecard.services.inspection_pack_pages.run_pack_download",
    "scrutiny.committee_pack": "csc_scorecard.services.committee_packs.run_pack",
}


class TaskFailed(Exception):
    """A task stopped for a reason the person who asked should read, in words."""


class NoSuchTask(LookupError):
    pass


class Progress:
    """Handed to a task function: say what it is doing, and how far through it is."""

    def __init__(self, run: TaskRun):
        self.run = run

    def step(self, text: str, *, done: int | None = None, total: int | None = None) -> None:
        fields: dict[str, object] = {"step": text[:300]}
        if done is not None:
            fields["steps_done"] = done
        if total is not None:
            fields["steps_total"] = total
        TaskRun.objects.filter(pk=self.run.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.run, name, value)


def start(kind: str, account: Any, title: str, **arguments: Any) -> TaskRun:
    """Queue a task of a registered kind for an account; returns its TaskRun at once."""
    if kind not in TASK_KINDS:
        raise ValueError(f"no task kind {kind!r}")
    run = TaskRun.objects.create(
        kind=kind, title=title[:200], requested_by=account if getattr(account, "pk", None) else None,
        arguments=arguments,
    )
    queued = run_task.enqueue(run.pk)
    TaskRun.objects.filter(pk=run.pk).update(queue_id=str(queued.id)[:64])
    run.refresh_from_db()
    return run


def get(account: Any, task_id: int | str) -> TaskRun:
    """A task the account may see: its own, or any task for an admin."""
    try:
        run = TaskRun.objects.get(pk=int(task_id))
    except (TypeError, ValueError, TaskRun.DoesNotExist):
        raise NoSuchTask(f"there is no task {task_id}") from None
    if run.requested_by_id != getattr(account, "pk", None) and getattr(account, "role", "") != "admin":
        # The same answer as for a missing task: ids are not a way to learn about others' work.
        raise NoSuchTask(f"there is no task {task_id}")
    return run


def recent(account: Any, kind: str, limit: int = 5) -> list[TaskRun]:
    return list(TaskRun.objects.filter(kind=kind, requested_by_id=getattr(account, "pk", None))[:limit])


def as_status(run: TaskRun) -> dict:
    """What a progress page (or its script) shows."""
    return {
        "id": run.pk,
        "title": run.title,
        "status": run.status,
        "status_text": run.get_status_display(),
        "step": run.step,
        "steps_done": run.steps_done,
        "steps_total": run.steps_total,
        "percent": run.percent,
        "finished": run.finished,
        "failure": run.failure,
    }


@task()
def run_task(task_run_id: int) -> str:
    """The queued entry point: runs one TaskRun and records how it ended."""
    execute(task_run_id)
    return "finished"


def execute(task_run_id: int) -> TaskRun:
    run = TaskRun.objects.get(pk=task_run_id)
    if run.finished:
        return run
    run.status = TaskRun.Status.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    function: Callable[..., dict] = import_string(TASK_KINDS[run.kind])
    try:
        result = function(Progress(run), **run.arguments)
    except TaskFailed as exc:
        run.status, run.failure = TaskRun.Status.FAILED, str(exc)
    except Exception as exc:  # never a traceback or a value from a file on the page
        log.error("task %s (%s) failed", run.pk, run.kind, exc_info=True)
        run.status = TaskRun.Status.FAILED
        run.failure = (
            f"An unexpected problem ({type(exc).__name__}) stopped the task. Nothing from the "
            "step it was on was stored. Tell your administrator the time and the task number."
        )
    else:
        run.status, run.result = TaskRun.Status.DONE, result or {}
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "result", "failure", "finished_at"])
    return run


def fail_interrupted() -> int:
    """Mark tasks left running by a stopped worker as failed (the one worker starts again)."""
    return TaskRun.objects.filter(status=TaskRun.Status.RUNNING).update(
        status=TaskRun.Status.FAILED,
        finished_at=timezone.now(),
        failure="The server stopped while this task was running. The step it was on was not "
        "stored; start it again.",
    )

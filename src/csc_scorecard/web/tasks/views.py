"""A task's page: progress while it runs, the result or the failure when it ends."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render

from csc_scorecard.services import tasks


def _run(request, task_id: int):
    try:
        return tasks.get(request.user, task_id)
    except tasks.NoSuchTask:
        raise Http404 from None


def detail(request, task_id: int):
    run = _run(request, task_id)
    return render(request, "tasks/detail.html", {"run": run, "status": tasks.as_status(run)})


def status(request, task_id: int):
    """The same progress as JSON, for the page's script to update it in place."""
    response = JsonResponse(tasks.as_status(_run(request, task_id)))
    response["Cache-Control"] = "no-store"
    return response

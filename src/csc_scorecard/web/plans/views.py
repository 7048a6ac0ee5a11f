"""Plans pages. Thin: parse the request, call one service, render.

The permission rules live in the services (services.plans, services.highlights):
a refused change is their PlanPermissionDenied, which Django answers with the
403 page in words.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from csc_scorecard.services import highlights as highlight_service
from csc_scorecard.services import plan_pages as pages
from csc_scorecard.services import plans as plan_service
from csc_scorecard.services import report_runs


def _readable(request) -> None:
    if not pages.can_read_plans(request.user):
        raise PermissionDenied


def _summary(errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"field": k, "message": v} for k, v in errors.items()]


def plans_list(request):
    _readable(request)
    return render(request, "plans/list.html", {
        "plans": pages.plans_list(),
        "can_enter_measures": plan_service.can_enter_measures(request.user),
    })


def plan(request, reference: str):
    _readable(request)
    try:
        page = pages.plan_page(reference)
    except plan_service.PlanNotFound:
        raise Http404 from None
    return render(request, "plans/plan.html", {"page": page})


def programme(request, reference: str, number: int):
    _readable(request)
    try:
        page = pages.programme_page(request.user, reference, number)
    except plan_service.PlanNotFound:
        raise Http404 from None
    return render(request, "plans/programme.html", {"page": page})


def action(request, action_id: int):
    _readable(request)
    try:
        page = pages.action_page(request.user, action_id)
    except plan_service.PlanNotFound:
        raise Http404 from None
    return render(request, "plans/action.html", {"page": page, "saved": request.GET.get("saved") == "1"})


@require_http_methods(["GET", "POST"])
def action_edit(request, action_id: int):
    try:
        found = pages.find_action(action_id)
    except plan_service.PlanNotFound:
        raise Http404 from None
    if not plan_service.can_edit_action(request.user, found):
        raise PermissionDenied  # the service refuses too; this answers before showing the form
    errors: dict[str, str] = {}
    values = pages.action_form(found)
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in plan_service.EDIT_FORM_FIELDS}
        try:
            plan_service.edit_action(request.user, found, values)
        except plan_service.PlanInputRefused as refused:
            errors = refused.errors
        else:
            return redirect(reverse("plans:action", args=[found.pk]) + "?saved=1")
    return render(request, "plans/action_edit.html", {
        "page": pages.action_page(request.user, action_id), "values": values, "errors": errors,
        "error_summary": _summary(errors),
    }, status=400 if errors else 200)


def risks(request, reference: str):
    _readable(request)
    get = {k: request.GET.get(k, "")[:40] for k in ("sort", "order", "band", "owner", "min_score")}
    try:
        page = pages.risk_register(reference, **get)
    except plan_service.PlanNotFound:
        raise Http404 from None
    query = {k: v for k, v in page["filters"].items() if v}
    links = {}
    for key, _ in page["columns"]:
        flip = "desc" if page["sort"] == key and page["order"] == "asc" else "asc"
        links[key] = "?" + urlencode({**query, "sort": key, "order": flip})
    return render(request, "plans/risks.html", {"page": page, "sort_links": links})


def _programme(reference: str, number: int):
    try:
        return pages.find_programme(reference, number)
    except plan_service.PlanNotFound:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def highlight(request, reference: str, number: int):
    found = _programme(reference, number)
    if not highlight_service.can_read_highlight(request.user):
        raise PermissionDenied
    period = (request.POST if request.method == "POST" else request.GET).get("period", "")[:20]
    errors: dict[str, str] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        step = request.POST.get("step", "")[:20]
        try:
            if step:
                highlight_service.take_step(request.user, found, period, step)
                done = step
            else:
                posted = {k: request.POST.get(k, "") for k in highlight_service.EDITOR_FIELDS}
                highlight_service.save_highlight(request.user, found, period, **posted)
                done = "saved"
        except plan_service.PlanInputRefused as refused:
            errors = refused.errors
        except highlight_service.HighlightStateRefused as refused:
            errors = {"": str(refused)}
        except ValueError:  # a period that is not one
            errors = {"period": "Choose a period like 2024-25-Q2"}
        else:
            return redirect(f"{request.path}?{urlencode({'period': period, 'done': done})}")
    page = highlight_service.highlight_editor(request.user, found, period)
    if posted:
        page["values"] = {**page["values"], **posted}
    return render(request, "plans/highlight.html", {
        "page": page, "errors": errors, "error_summary": _summary(errors),
        "done": request.GET.get("done", "")[:20],
        "documents": report_runs.plan_document_runs(request.user, reference, number, page["period"]),
        "can_generate": report_runs.can_generate(request.user),
    }, status=400 if errors else 200)


@require_POST
def highlight_documents(request, reference: str, number: int):
    found = _programme(reference, number)
    if not highlight_service.can_read_highlight(request.user):
        raise PermissionDenied
    try:
        run = report_runs.start_plan_document(request.user, found, request.POST.get("period", "")[:20])
    except ValueError:
        raise Http404 from None
    return redirect("tasks:detail", task_id=run.pk)


def measures(request):
    _readable(request)
    return render(request, "plans/measures.html", {
        "measures": pages.measures_page(),
        "can_enter": plan_service.can_enter_measures(request.user),
    })


@require_http_methods(["GET", "POST"])
def measure(request, measure_id: str):
    _readable(request)
    errors: dict[str, str] = {}
    values = {k: "" for k in plan_service.MEASURE_FORM_FIELDS}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in plan_service.MEASURE_FORM_FIELDS}
        try:
            plan_service.enter_measure_value(request.user, measure_id, values)
        except plan_service.PlanNotFound:
            raise Http404 from None
        except plan_service.PlanInputRefused as refused:
            errors = refused.errors
        else:
            return redirect(f"{request.path}?saved=1")
    try:
        page = pages.measure_page(measure_id)
    except plan_service.PlanNotFound:
        raise Http404 from None
    return render(request, "plans/measure.html", {
        "page": page, "values": values, "errors": errors, "error_summary": _summary(errors),
        "can_enter": plan_service.can_enter_measures(request.user),
        "saved": request.GET.get("saved") == "1",
    }, status=400 if errors else 200)

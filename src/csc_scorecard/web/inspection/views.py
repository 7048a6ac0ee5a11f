"""Inspections, recommendations and self-evaluations. Thin: parse, call the service, render."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from csc_scorecard.services import inspection_deletes as deletes
from csc_scorecard.services import inspection_pages as service
from csc_scorecard.services.inspection import EvaluationError

DOWNLOAD_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _read(request) -> None:
    if not service.can_read(request.user):
        raise PermissionDenied


def _edit(request) -> None:
    if not service.can_edit(request.user):
        raise PermissionDenied


def _summary(errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"field": k, "message": v} for k, v in errors.items()]


def _form(request, fields: tuple[str, ...]) -> dict[str, str]:
    return {k: request.POST.get(k, "")[:20000] for k in fields}


def inspections(request):
    _read(request)
    return render(request, "inspection/list.html", {
        "inspections": service.inspections(), "can_edit": service.can_edit(request.user)})


def inspection(request, pk: int):
    _read(request)
    try:
        page = service.inspection_page(pk)
    except LookupError:
        raise Http404 from None
    return render(request, "inspection/inspection.html", {
        **page, "can_edit": service.can_edit(request.user), "saved": request.GET.get("saved") == "1"})


INSPECTION_FIELDS = ("kind", "title", "start_date", "end_date", "published_date", "report_url",
                     "summary", "judgements")


@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk: int | None = None):
    _edit(request)
    errors: dict[str, str] = {}
    visit = None
    if pk is not None:
        try:
            visit = service.inspection_page(pk)["inspection"]
        except LookupError:
            raise Http404 from None
    values = {k: "" for k in INSPECTION_FIELDS}
    if visit is not None:
        values.update({k: str(getattr(visit, k) or "") for k in INSPECTION_FIELDS[:-1]},
                      judgements=service.judgements_text(visit))
    if request.method == "POST":
        values = _form(request, INSPECTION_FIELDS)
        try:
            saved = service.save_inspection(request.user, pk, values)
        except service.Refused as refused:
            errors = refused.errors
        else:
            return redirect(reverse("inspection:detail", args=[saved.pk]) + "?saved=1")
    return render(request, "inspection/inspection_form.html", {
        "inspection": visit, "values": values, "errors": errors, "error_summary": _summary(errors),
        "kinds": list(service.KINDS.items())}, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk: int, number: str | None = None):
    if request.method == "POST" or number is None:
        _edit(request)
    else:
        _read(request)
    try:
        form = service.recommendation_form(pk, number)
    except LookupError:
        raise Http404 from None
    rec = form["recommendation"]
    values = {"number": rec.number if rec else "", "text": rec.text if rec else "",
              "indicators": list(rec.indicators) if rec else [],
              "actions": list(rec.action_refs) if rec else []}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {"number": request.POST.get("number", "")[:20], "text": request.POST.get("text", "")[:20000],
                  "indicators": request.POST.getlist("indicators")[:500],
                  "actions": request.POST.getlist("actions")[:500]}
        try:
            service.save_recommendation(request.user, pk, number, values)
        except service.Refused as refused:
            errors = refused.errors
        else:
            return redirect(reverse("inspection:detail", args=[pk]) + "?saved=1")
    return render(request, "inspection/recommendation_form.html", {
        **form, "values": values, "errors": errors, "error_summary": _summary(errors),
        "can_edit": service.can_edit(request.user)}, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def recommendation_delete(request, pk: int, number: str):
    """Confirm, then delete; a recommendation answered by plan actions needs the unlinking ticked."""
    _edit(request)
    try:
        plan = deletes.recommendation_deletion(pk, number)
    except LookupError:
        raise Http404 from None
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            deletes.delete_recommendation(request.user, pk, number,
                                          unlink_confirmed=request.POST.get("confirm_unlink") == "yes")
        except service.Refused as refused:
            errors = refused.errors
        else:
            return redirect(reverse("inspection:detail", args=[pk]) + "?saved=1")
    return render(request, "inspection/recommendation_delete.html", {
        "plan": plan, "inspection": plan.inspection, "recommendation": plan.recommendation,
        "errors": errors, "error_summary": _summary(errors)}, status=400 if errors else 200)


def evaluations(request):
    _read(request)
    return render(request, "inspection/evaluations.html", {
        "evaluations": service.evaluations(), "can_edit": service.can_edit(request.user)})


def evaluation(request, pk: int, *, errors: list[str] | None = None):
    _read(request)
    try:
        page = service.evaluation_page(pk)
    except LookupError:
        raise Http404 from None
    summary = [{"field": "", "message": e} for e in errors or []]
    return render(request, "inspection/evaluation.html", {
        **page, "can_edit": service.can_edit(request.user), "error_summary": summary,
        "saved": request.GET.get("saved") == "1"}, status=400 if errors else 200)


EVALUATION_FIELDS = ("title", "period", "inspection", "status")


@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk: int | None = None):
    _edit(request)
    doc = None
    if pk is not None:
        try:
            doc = service.evaluation_page(pk)["evaluation"]
        except LookupError:
            raise Http404 from None
    values = {"title": doc.title if doc else "", "period": doc.period if doc else "",
              "inspection": str(doc.inspection_id or "") if doc else "",
              "status": doc.status if doc else "draft"}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form(request, EVALUATION_FIELDS)
        try:
            saved = service.save_evaluation(request.user, pk, values)
        except service.Refused as refused:
            errors = refused.errors
        else:
            return redirect(reverse("inspection:evaluation", args=[saved.pk]) + "?saved=1")
    return render(request, "inspection/evaluation_form.html", {
        "evaluation": doc, "values": values, "errors": errors, "error_summary": _summary(errors),
        "inspections": service.inspections()}, status=400 if errors else 200)


SECTION_FIELDS = ("theme", "title", "recommendations", "bullets")


@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, section: int | None = None):
    _edit(request)
    try:
        page = service.evaluation_page(pk)
    except LookupError:
        raise Http404 from None
    shown = next((s for s in page["sections"] if s.pk == section), None)
    if section is not None and shown is None:
        raise Http404
    values = {"theme": shown.theme if shown else "", "title": shown.title if shown else "",
              "recommendations": ", ".join(shown.recommendations) if shown else "",
              "bullets": "\n".join(b.source for b in shown.bullets) if shown else ""}
    preview = shown.bullets if shown else []
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form(request, SECTION_FIELDS)
        if request.POST.get("action") == "preview":
            preview = service.preview_bullets(pk, values["theme"], values["bullets"])
        else:
            try:
                service.save_section(request.user, pk, section, values)
            except service.Refused as refused:
                errors = refused.errors
            else:
                return redirect(reverse("inspection:evaluation", args=[pk]) + "?saved=1")
    return render(request, "inspection/section_form.html", {
        "evaluation": page["evaluation"], "section": shown, "values": values, "preview": preview,
        "errors": errors, "error_summary": _summary(errors)}, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def section_delete(request, pk: int, section: int):
    _edit(request)
    try:
        plan = deletes.section_deletion(pk, section)
    except LookupError:
        raise Http404 from None
    if request.method == "POST":
        deletes.delete_section(request.user, pk, section)
        return redirect(reverse("inspection:evaluation", args=[pk]) + "?saved=1")
    return render(request, "inspection/section_delete.html", {
        "plan": plan, "evaluation": plan.evaluation, "section": plan.section})


def evaluation_download(request, pk: int, fmt: str):
    _read(request)
    if fmt not in DOWNLOAD_TYPES:
        raise Http404
    try:
        content, name = service.export_evaluation(pk, fmt)
    except LookupError:
        raise Http404 from None
    except EvaluationError as exc:
        return evaluation(request, pk, errors=[f"The {fmt.upper()} was not written: {p}"
                                               for p in exc.problems])
    response = HttpResponse(content, content_type=DOWNLOAD_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

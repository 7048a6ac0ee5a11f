"""The Annex A inspection pack's pages. Thin: the service computes, checks roles and audits."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csc_scorecard.services import inspection_pack_pages as service
from csc_scorecard.services.inspection_pages import can_read


def _as_at(request, source) -> tuple:  # noqa: ANN001 - a QueryDict
    """(date or None, the text asked for, errors for the summary)."""
    text = source.get("as_at", "")[:30]
    try:
        return service.pack_date(text), text, {}
    except service.PackError as exc:
        return None, text, {"as_at": str(exc)}


def _base(request) -> None:
    if not can_read(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def pack(request):
    _base(request)
    source = request.POST if request.method == "POST" else request.GET
    as_at, text, errors = _as_at(request, source)
    report = None
    child_level = service.can_see_pack_children(request.user)
    if as_at is not None:
        try:
            if request.method == "POST":
                run = service.start_pack_download(request.user, as_at)
                return redirect("tasks:detail", task_id=run.pk)
            report = service.pack_summary(as_at)
        except service.PackError as exc:
            errors = {"as_at": str(exc)}
    sections = service.page_sections(report, child_level=child_level) if report else []
    return render(request, "inspection/pack.html", {
        "report": report, "sections": sections, "as_at": as_at, "as_at_text": text or (as_at.isoformat() if as_at else ""),
        "errors": errors, "error_summary": [{"field": k, "message": v} for k, v in errors.items()],
        "child_level": child_level,
        "downloads": service.pack_downloads(request.user),
    }, status=400 if errors else 200)


@csp_exempt()
def journey_chart(request):
    # An image of its own, so matplotlib's style attributes need no inline CSP on the page.
    _base(request)
    as_at, _, errors = _as_at(request, request.GET)
    if as_at is None:
        raise Http404
    try:
        svg = service.journey_svg(as_at)
    except service.PackError:
        raise Http404 from None
    return HttpResponse(svg, content_type="image/svg+xml")


def quality(request):
    _base(request)
    as_at, text, errors = _as_at(request, request.GET)
    if as_at is None:
        raise Http404
    child_level = service.can_see_pack_children(request.user)
    try:
        report = service.pack_summary(as_at)
        rows = service.pack_quality_rows(request.user, as_at) if child_level else None
    except service.PackError:
        raise Http404 from None
    section = next(s for s in service.page_sections(report, child_level=child_level)
                   if s.id == "data-quality")
    # this is the page the pack's note points to: the note itself is not needed here
    section.blocks = [b for b in section.blocks if getattr(b, "text", "") != service.CHILD_LEVEL_ELSEWHERE]
    return render(request, "inspection/pack_quality.html", {
        "as_at": as_at, "section": section, "rows": rows})


def children(request):
    _base(request)
    as_at, _, _ = _as_at(request, request.GET)
    try:
        # the role check (and its audit) runs whatever the date
        rows = service.pack_children(request.user, as_at or service.pack_date(""))
    except service.PackError:
        raise Http404 from None
    return render(request, "inspection/pack_children.html", {"as_at": as_at, "rows": rows})


def download(request, run_id: int, fmt: str):
    _base(request)
    try:
        path, name = service.pack_file(request.user, run_id, fmt)
    except LookupError:
        raise Http404 from None
    return FileResponse(path.open("rb"), content_type=service.CONTENT_TYPES[fmt],
                        as_attachment=fmt != "html", filename=name)

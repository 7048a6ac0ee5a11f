"""Scorecard, indicator, targets and commentary pages. Thin: parse, call a service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from csp.decorators import csp_exempt
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csc_scorecard.services import commentary as commentary_service
from csc_scorecard.services import indicator_page as indicator_service
from csc_scorecard.services import scorecard_page as scorecard_service
from csc_scorecard.services import targets as targets_service


def _filters(request) -> dict[str, str]:
    return {k: request.GET.get(k, "") for k in scorecard_service.FILTERS}


def scorecard(request):
    page = scorecard_service.scorecard_page(
        request.user, _filters(request), sort=request.GET.get("sort", ""),
        order=request.GET.get("order", ""),
    )
    query = {k: v for k, v in page.filters.items() if v}
    sort_links = {}
    for key, _ in page.columns:
        flip = "desc" if page.sort == key and page.order == "asc" else "asc"
        sort_links[key] = "?" + urlencode({**query, "sort": key, "order": flip})
    shown = urlencode({**query, **({"sort": page.sort, "order": page.order} if page.sort else {})})
    return render(request, "scorecard/scorecard.html", {
        "page": page, "sort_links": sort_links, "shown_query": shown,
        "can_edit_targets": targets_service.can_edit_targets(request.user),
    })


def scorecard_download(request, fmt: str):
    page = scorecard_service.scorecard_page(
        request.user, _filters(request), sort=request.GET.get("sort", ""),
        order=request.GET.get("order", ""),
    )
    content, name, content_type = scorecard_service.export_scorecard(page, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def indicator(request, indicator_id: str):
    try:
        page = indicator_service.indicator_page(request.user, indicator_id, request.GET.get("period"))
    except indicator_service.NoSuchIndicator:
        raise Http404 from None
    return render(request, "scorecard/indicator.html", {
        "page": page,
        "can_edit_targets": targets_service.can_edit_targets(request.user),
        "can_write_commentary": commentary_service.can_write_commentary(request.user),
    })


@csp_exempt()
def indicator_chart(request, indicator_id: str):
    # Served as an image (its own document), so matplotlib's style attributes need no inline CSP.
    try:
        svg = indicator_service.indicator_chart(request.user, indicator_id, request.GET.get("period"))
    except indicator_service.NoSuchIndicator:
        raise Http404 from None
    if not svg:
        raise Http404
    return HttpResponse(svg, content_type="image/svg+xml")


def children(request, indicator_id: str):
    from csc_scorecard.services.access import children_behind

    # an unknown or missing period means the latest, so the role check (in the service) always runs
    period = indicator_service.chosen_period(request.GET.get("period", "")[:20]) or "2000-01"
    area = request.GET.get("area", "")[:120] or None
    try:
        listing = children_behind(request.user, indicator_id, period, area=area)
    except PermissionDenied:
        raise  # audited by the service; the 403 page in words
    except (KeyError, ValueError, LookupError):
        raise Http404 from None
    except Exception:  # an indicator that cannot be listed for this period
        raise Http404 from None
    return render(request, "scorecard/children.html", {
        "listing": listing, "indicator_id": indicator_id, "area": area or "",
        "title": indicator_service.indicator_title(indicator_id),
    })


def targets(request):
    if not targets_service.can_edit_targets(request.user):
        raise PermissionDenied
    year = targets_service.chosen_year(request.GET.get("year", ""))
    return render(request, "scorecard/targets.html", {
        "year": year, "years": targets_service.year_choices(),
        "rows": targets_service.target_rows(year), "frozen_note": targets_service.frozen_note(year),
    })


@require_http_methods(["GET", "POST"])
def target_edit(request, indicator_id: str, year: str):
    if not targets_service.can_edit_targets(request.user):
        raise PermissionDenied
    try:
        row = targets_service.target_row(indicator_id, year)
    except LookupError:
        raise Http404 from None
    errors: dict[str, str] = {}
    values = {k: row[k] for k in targets_service.FORM_FIELDS}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in targets_service.FORM_FIELDS}
        try:
            targets_service.save_target(request.user, indicator_id, year, values)
        except targets_service.TargetRefused as refused:
            errors = refused.errors
        else:
            return redirect(f"{request.path}?saved=1")
    return render(request, "scorecard/target_edit.html", {
        "row": row, "year": year, "values": values, "errors": errors,
        "error_summary": [{"field": k, "message": v} for k, v in errors.items()],
        "history": targets_service.history(indicator_id, year),
        "saved": request.GET.get("saved") == "1", "frozen_note": targets_service.frozen_note(year),
    }, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def commentary(request):
    if not commentary_service.can_write_commentary(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("subject_kind", "indicator")[:20]
    subject = source.get("subject_id", "")[:100]
    period = source.get("period", "")[:20]
    errors: dict[str, str] = {}
    form = commentary_service.commentary_form(kind, subject, period)
    if request.method == "POST":
        texts = {box: request.POST.get(box, "") for box in commentary_service.BOX_TITLES}
        status = request.POST.get("status", "")
        try:
            commentary_service.save_commentary(request.user, kind, subject, period, texts, status)
        except commentary_service.CommentaryRefused as refused:
            errors = refused.errors
            form.update_from(texts, status)
        else:
            return redirect(f"{request.path}?{urlencode({'subject_kind': kind, 'subject_id': subject, 'period': period, 'saved': 1})}")
    return render(request, "scorecard/commentary.html", {
        "form": form, "errors": errors,
        "error_summary": [{"field": k, "message": v} for k, v in errors.items()],
        "saved": request.GET.get("saved") == "1",
    }, status=400 if errors else 200)

"""Returns pages. Thin: parse the request, call services.returns, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csc_scorecard.services import returns as service
from csc_scorecard.services import tasks
from csc_scorecard.web.returns.forms import IssueFilterForm
from csc_scorecard.web.returns.uploads import upload_limit


def submissions(request):
    return render(
        request,
        "returns/list.html",
        {
            "submissions": service.submissions(request.user),
            "can_upload": service.can_upload(request.user),
            "can_see_issues": service.can_see_issues(request.user),
            "return_name": service.return_name,
        },
    )


@require_http_methods(["GET", "POST"])
def upload(request):
    if not service.can_upload(request.user):
        raise PermissionDenied
    errors: list[str] = []
    year_errors: list[str] = []
    year = request.POST.get("year", "")[:20] if request.method == "POST" else ""
    if request.method == "POST":
        files = request.FILES.getlist("files")  # reading the body first: the size check happens here
        if getattr(request, "upload_too_large", False):
            errors = [f"The upload is larger than the limit of {upload_limit() // (1024 * 1024)} MB"]
        else:
            try:
                run = service.start_upload(request.user, files, upload_limit(), year=year)
            except service.YearRefused as refused:
                year_errors = refused.messages
            except service.UploadRefused as refused:
                errors = refused.messages
            else:
                return redirect("tasks:detail", task_id=run.pk)
    return render(
        request,
        "returns/upload.html",
        {
            "error_summary": [{"field": "files", "message": e} for e in errors]
            + [{"field": "year", "message": e} for e in year_errors],
            "year": year,
            "year_errors": year_errors,
            "errors": errors,
            "limit_mb": upload_limit() // (1024 * 1024),
            "recent": tasks.recent(request.user, "returns.ingest"),
        },
        status=400 if errors or year_errors else 200,
    )


def issues(request, submission_id: int):
    # The service checks the role before it looks the submission up (and audits a refusal).
    raw = {k: request.GET.get(k, "") for k in service.ISSUE_FILTERS}
    try:
        page = service.submission_issues(request.user, submission_id, raw)
    except service.NoSuchSubmission:
        raise Http404 from None
    form = IssueFilterForm(page.filters, page.choices)
    query = urlencode({k: v for k, v in page.filters.items() if v})
    return render(
        request,
        "returns/issues.html",
        {"page": page, "form": form, "query": query},
    )


def issues_download(request, submission_id: int, fmt: str):
    raw = {k: request.GET.get(k, "") for k in service.ISSUE_FILTERS}
    try:
        content, name, content_type = service.export_issues(request.user, submission_id, raw, fmt)
    except service.NoSuchSubmission:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response

"""Reports pages: generate (a background task), list earlier generations, download. Thin."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csc_scorecard.services import report_runs as service


@require_http_methods(["GET", "POST"])
def reports(request):
    from csc_scorecard.services.scorecard_page import period_choices

    errors: dict[str, str] = {}
    values = {"kind": "quarterly", "period": "", "mode": "draft"}
    if request.method == "POST":
        values = {k: request.POST.get(k, "")[:20] for k in values}
        try:
            run = service.start_report(request.user, values["kind"], values["period"], values["mode"])
        except service.ReportRefused as refused:
            errors = refused.errors
        else:
            return redirect("tasks:detail", task_id=run.pk)
    return render(request, "reports/list.html", {
        "values": values, "errors": errors,
        "error_summary": [{"field": k, "message": v} for k, v in errors.items()],
        "can_generate": service.can_generate(request.user),
        "generations": service.generations(request.user),
        "period_groups": period_choices(),
    }, status=400 if errors else 200)


def download(request, run_id: int, fmt: str):
    try:
        path, name = service.report_file(request.user, run_id, fmt)
    except LookupError:
        raise Http404 from None
    response = FileResponse(path.open("rb"), content_type=service.CONTENT_TYPES[fmt],
                            as_attachment=fmt != "html", filename=name)
    return response

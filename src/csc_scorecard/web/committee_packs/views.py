"""A meeting's committee pack: build it (a background task), list the builds, download. Thin:
every rule (who builds, who sees a draft, where files live) is in services.committee_packs."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csc_scorecard.services import committee_packs as service


def _meeting(committee: str, day: str):
    from csc_scorecard.services.scrutiny import ScrutinyNotFound, meeting

    try:
        return meeting(committee, dt.date.fromisoformat(day))
    except (ValueError, ScrutinyNotFound):
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def meeting_pack(request, committee: str, day: str):
    chosen = _meeting(committee, day)
    errors: dict[str, str] = {}
    mode = "publication"
    if request.method == "POST":
        if not service.can_build(request.user):
            raise PermissionDenied
        mode = request.POST.get("mode", "")[:20]
        try:
            run = service.start_pack(request.user, chosen, mode)
        except service.PackRefused as refused:
            errors = refused.errors
        else:
            return redirect("tasks:detail", task_id=run.pk)
    return render(request, "committee_packs/meeting.html", {
        "meeting": chosen, "mode": mode, "modes": service.MODES, "errors": errors,
        "error_summary": [{"field": k, "message": v} for k, v in errors.items()],
        "can_build": service.can_build(request.user),
        "packs": service.meeting_packs(request.user, chosen),
    }, status=400 if errors else 200)


def download(request, run_id: int, fmt: str):
    try:
        path, name = service.pack_file(request.user, run_id, fmt)
    except LookupError:
        raise Http404 from None
    return FileResponse(path.open("rb"), content_type=service.CONTENT_TYPES[fmt], as_attachment=True,
                        filename=name)

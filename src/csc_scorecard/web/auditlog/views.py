"""The audit log: browse and download. Thin: services.audit_log decides and reads."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from csc_scorecard.services import audit_log


def _filters(request) -> tuple[str, str]:
    return request.GET.get("action", "")[:60], request.GET.get("account", "")[:150]


def events(request):
    action, account = _filters(request)
    page = audit_log.read_events(request.user, action, account)
    return render(request, "auditlog/list.html", {"page": page, "query": request.GET.urlencode()})


def download(request):
    action, account = _filters(request)
    response = HttpResponse(audit_log.events_csv(request.user, action, account), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response["Cache-Control"] = "no-store"
    return response

"""Scrutiny pages, thin over :mod:`csc_scorecard.services.scrutiny`.

Every signed-in role reads the work programme and the tracker (scrutiny
members have the viewer role; nothing here is child-level).  The service
decides who may add an update or override a status; a refused change is a
403 page, a change with mistakes comes back with a GOV.UK error summary.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from csc_scorecard.scrutiny.status import KEY, TrackerStatus
from csc_scorecard.services import scrutiny as service
from csc_scorecard.web.scrutiny.forms import date_parts, read_date

TEXT_LIMIT = service.TEXT_LIMIT * 2  # what a form may send; the service refuses over its own limit


def _committee(slug: str):
    try:
        return service.committee(slug)
    except service.ScrutinyNotFound:
        raise Http404 from None


def _key() -> list[tuple[str, str]]:
    return [(str(status), text) for status, text in KEY.items()]


@require_GET
def committees(request):
    return render(request, "scrutiny/committees.html", {"committees": service.committees()})


@require_GET
def work_programme(request, slug: str):
    committee = _committee(slug)
    today = dt.date.today()
    programme = service.work_programme(slug)
    return render(request, "scrutiny/work_programme.html", {
        "committee": committee, "programme": programme, "today": today,
        "next_meeting": service.next_meeting(slug, today),
    })


@require_GET
def meeting(request, slug: str, day: str):
    committee = _committee(slug)
    try:
        found = service.meeting(slug, dt.date.fromisoformat(day))
    except (ValueError, service.ScrutinyNotFound):
        raise Http404 from None
    rows = service.tracker_as_of(slug, found.date, for_meeting=found)
    return render(request, "scrutiny/meeting.html", {
        "committee": committee, "meeting": found, "agenda": service.agenda(found), "rows": rows,
        "key": _key(),
    })


@require_GET
def tracker(request, slug: str):
    committee = _committee(slug)
    errors: dict[str, str] = {}
    as_of = dt.date.today()
    typed = date_parts(as_of)
    if any(request.GET.get(f"as_of-{part}") for part in ("day", "month", "year")):
        chosen, error, typed = read_date(request.GET, "as_of", "the date to show the tracker on")
        if error:
            errors["as_of"] = error
        else:
            as_of = chosen or as_of
    rows = [] if errors else service.tracker_as_of(slug, as_of)
    return render(request, "scrutiny/tracker.html", {
        "committee": committee, "as_of": as_of, "typed": typed, "rows": rows, "errors": errors,
        "error_summary": [{"field": "as_of-day", "message": m} for m in errors.values()],
        "key": _key(), "counts": {s: sum(r.status == s for r in rows) for s in TrackerStatus},
    }, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def item(request, slug: str, item_id: int):
    committee = _committee(slug)
    try:
        found = service.tracker_item(item_id)
    except service.ScrutinyNotFound:
        raise Http404 from None
    if found.meeting.committee_id != committee.pk:
        raise Http404
    today = dt.date.today()
    errors: dict[str, str] = {}
    form = request.POST.get("form", "") if request.method == "POST" else ""
    if (form == "update" and not service.can_add_update(request.user)) or (
            form == "override" and not service.can_override(request.user)):
        raise PermissionDenied
    values = {"text": "", "status": found.status_override, "reason": "", **{
        f"date_{k}": v for k, v in date_parts(today).items()}}
    if form == "update":
        values.update(text=request.POST.get("text", "")[:TEXT_LIMIT])
        day, error, typed = read_date(request.POST, "date", "the date of the update")
        values.update({f"date_{k}": v for k, v in typed.items()})
        if error:
            errors["date"] = error
        if not values["text"].strip():
            errors["text"] = "Enter the update"
        if not errors and day is not None:
            try:
                service.add_update(found.pk, day, values["text"], request.user)
            except service.ScrutinyInputError as refused:
                errors = refused.errors
            else:
                return redirect(reverse("scrutiny:item", args=[slug, found.pk]) + "?saved=update")
    elif form == "override":
        values.update(status=request.POST.get("status", "")[:20], reason=request.POST.get("reason", "")[:TEXT_LIMIT])
        try:
            service.override_status(found.pk, values["status"], values["reason"], request.user)
        except service.ScrutinyInputError as refused:
            errors = refused.errors
        else:
            return redirect(reverse("scrutiny:item", args=[slug, found.pk]) + "?saved=override")
    elif request.method == "POST":
        errors["form"] = "Choose what to change"
    anchors = {"date": "date-day", "text": "text", "status": "status", "reason": "reason"}
    return render(request, "scrutiny/item.html", {
        "committee": committee, "row": service.tracker_row(found.pk, today), "today": today,
        "values": values, "errors": errors,
        "error_summary": [{"field": anchors.get(k, ""), "message": m} for k, m in errors.items()],
        "can_update": service.can_add_update(request.user), "can_override": service.can_override(request.user),
        "statuses": [str(s) for s in TrackerStatus], "history": service.item_history(found.pk),
        "saved": request.GET.get("saved", ""),
    }, status=400 if errors else 200)

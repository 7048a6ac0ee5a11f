"""Committee packs built from the browser: a background task per build, kept, listed, downloaded.

A build writes the meeting's pack (reporting.committee.pack: one PDF, one DOCX
and the HTML) into ``<data home>/committee-packs/<task id>/``.  Two modes:

* ``draft`` - for officers checking the papers: marked DRAFT, figures unsuppressed;
* ``publication`` - the published pack: final, small numbers suppressed (1-5 shown
  as c).  It holds aggregate figures only, never a child-level list.

Analysts, managers and admins build packs.  Viewers (scrutiny members) see and
download only published packs; nobody else's draft reaches them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied

__all__ = ["CONTENT_TYPES", "KIND", "PackRefused", "can_build", "meeting_packs", "pack_file",
           "run_pack", "start_pack"]

KIND = "scrutiny.committee_pack"
MODES = {"draft": "Draft for officers (figures not suppressed)",
         "publication": "Published pack (final, small numbers suppressed)"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class PackRefused(ValueError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def can_build(account: Any) -> bool:
    return bool(getattr(account, "is_active", False)) and account.role in ("admin", "analyst", "manager")


def _folder(run_id: int) -> Path:
    from csc_scorecard.config import data_home

    return data_home() / "committee-packs" / str(int(run_id))


def start_pack(account: Any, meeting, mode: str):
    """Queue a build of ``meeting``'s pack; its TaskRun.  PermissionDenied or PackRefused."""
    from csc_scorecard.services import tasks

    if not can_build(account):
        raise PermissionDenied
    if mode not in MODES:
        raise PackRefused({"mode": "Choose a draft or the published pack"})
    title = f"Committee pack, {meeting.committee.name}, {meeting.date:%d %B %Y} ({mode})"
    return tasks.start(KIND, account, title, committee=meeting.committee.slug,
                       meeting=meeting.date.isoformat(), mode=mode)


def run_pack(progress, committee: str, meeting: str, mode: str) -> dict:
    """The background task: build every part of the pack once, render it once."""
    from csc_scorecard.reporting.committee.pack import build_pack, write_pack
    from csc_scorecard.reporting.values import ReportError
    from csc_scorecard.services.scrutiny import meeting as find_meeting
    from csc_scorecard.services.tasks import TaskFailed

    progress.step("Building the papers from the stored results", done=0, total=2)
    publication = mode == "publication"
    try:
        chosen = find_meeting(committee, dt.date.fromisoformat(meeting))
        pack = build_pack(chosen, publication=publication, draft=not publication)
        progress.step("Writing the PDF and Word files", done=1, total=2)
        paths = write_pack(pack, _folder(progress.run.pk))
    except (ValueError, LookupError, ReportError) as exc:
        # the builders' errors are sentences about periods, plans and stored results
        raise TaskFailed(f"The pack could not be built: {str(exc).splitlines()[0]}") from None
    progress.step("Finished", done=2, total=2)
    return {"files": {fmt: path.name for fmt, path in paths.items() if fmt in CONTENT_TYPES},
            "parts": len(pack.parts), "mode": mode}


def _visible(account: Any, run) -> bool:
    from csc_scorecard.services.access import publication_only

    return not publication_only(account) or run.arguments.get("mode") == "publication"


def meeting_packs(account: Any, meeting, limit: int = 20) -> list[dict[str, Any]]:
    """The meeting's pack builds the account may see, newest first."""
    from csc_scorecard.web.tasks.models import TaskRun

    runs = TaskRun.objects.filter(kind=KIND, arguments__committee=meeting.committee.slug,
                                  arguments__meeting=meeting.date.isoformat()).select_related("requested_by")
    out = []
    for run in runs[:limit]:
        if not _visible(account, run):
            continue
        out.append({"id": run.pk, "title": run.title, "status": run.get_status_display(),
                    "finished": run.finished, "failure": run.failure, "at": run.created_at,
                    "by": run.requested_by.username if run.requested_by else "",
                    "mode": run.arguments.get("mode", "draft"),
                    "mode_text": MODES.get(run.arguments.get("mode", ""), ""),
                    "formats": sorted((run.result or {}).get("files", {}))})
    return out


def pack_file(account: Any, run_id: int, fmt: str) -> tuple[Path, str]:
    """(path, download name) of a built pack the account may read; LookupError otherwise."""
    from csc_scorecard.web.tasks.models import TaskRun

    run = TaskRun.objects.filter(kind=KIND, pk=run_id).first()
    if run is None or fmt not in CONTENT_TYPES:
        raise LookupError("no such pack")
    if not _visible(account, run):
        raise PermissionDenied
    name = (run.result or {}).get("files", {}).get(fmt)
    if not name:
        raise LookupError("no such pack")
    path = _folder(run.pk) / Path(name).name
    if not path.is_file():
        raise LookupError("no such pack")
    return path, path.name

"""The Annex A inspection pack's pages: the aggregate parts, the child-level parts, downloads.

* :func:`pack_summary` - the pack as at a date without anything naming a child
  (lists, timeliness, who the children are, caseloads, the journey, how many
  children are in several lists): every signed-in role.
* :func:`pack_children` and :func:`pack_quality_rows` - the children in
  several lists and the data-quality rows naming children: only roles that
  see the whole council's children (services.inspection.PACK_CHILD_ROLES,
  checked with services.access); every look, granted or refused, is audited.
* :func:`start_pack_download` - the four files (HTML, PDF, DOCX, xlsx) are
  written by a background task (as the reports are); the child-level parts go
  in only when the account that asked may see them.

The pack is computed from the current Annex A in the store and kept while the
data is unchanged (services.page_cache), so the pages do not reread the workbook.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied

from csc_scorecard.services.inspection import PACK_CHILD_ROLES, PackError

__all__ = [
    "CONTENT_TYPES", "KIND", "PackError", "can_see_pack_children", "pack_children", "pack_date",
    "page_sections", "pack_downloads", "pack_file", "pack_quality_rows", "pack_summary", "run_pack_download",
    "start_pack_download",
]

KIND = "inspection.pack"
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EARLIEST = dt.date(2000, 1, 1)


def pack_date(text: str, *, today: dt.date | None = None) -> dt.date:
    """The as-at date from a form (blank: today); PackError in words otherwise."""
    raw = (text or "").strip()
    day = today or dt.date.today()
    if not raw:
        return day
    try:
        got = dt.date.fromisoformat(raw[:10]) if len(raw) == 10 else None
    except ValueError:
        got = None
    if got is None:
        raise PackError("Enter the as-at date like 2025-03-31")
    if not EARLIEST <= got <= day + dt.timedelta(days=366):
        raise PackError(f"The as-at date must be between {EARLIEST:%d %B %Y} and a year from today")
    return got


def _pack(as_at: dt.date):  # noqa: ANN202 - a compute.Pack
    from csc_scorecard.inspection.pack.compute import compute_pack
    from csc_scorecard.inspection.pack.lists import read_lists
    from csc_scorecard.returns.issues import FileRejected
    from csc_scorecard.services.inspection import current_annex_a
    from csc_scorecard.services.page_cache import remember

    path = current_annex_a()

    def build():  # noqa: ANN202
        try:
            lists = read_lists(path)
        except FileRejected as exc:
            raise PackError(str(exc)) from None
        return compute_pack(lists, as_at, "the Annex A in the store")

    # the raw file's name is its sha256: a different workbook is a different pack
    return remember("inspection-pack", (as_at.isoformat(), path.name), build)


def _report(as_at: dt.date, child_level: bool):  # noqa: ANN202 - a reporting Report
    from csc_scorecard.inspection.pack.build import build_pack_report
    from csc_scorecard.reporting.config import load_report_config
    from csc_scorecard.services.inspection import _file_council

    return build_pack_report(_pack(as_at), council=load_report_config(), la_code=_file_council(),
                             child_level=child_level)


def pack_summary(as_at: dt.date) -> Any:
    """The pack's report with no child-level parts (nothing to audit: no child is named)."""
    return _report(as_at, child_level=False)


@dataclass
class ShownTable:
    id: str
    caption: str
    headers: list[tuple[str, bool]]  # (text, numeric): a numeric column's header aligns right
    rows: list
    type: str = "table"


@dataclass
class ShownSection:
    id: str
    number: str
    title: str
    blocks: list


CHILD_LEVEL_ELSEWHERE = ("The row-by-row list names children: it is on the data-quality page, and "
                         "opening it is recorded against your account.")


def _shown(block: Any, child_level: bool) -> Any:
    kind = getattr(block, "type", "")
    if kind == "table":
        first = block.rows[0] if block.rows else []
        return ShownTable(block.id, block.caption, [
            (c, i < len(first) and first[i].numeric) for i, c in enumerate(block.columns)],
            block.rows)
    if kind == "chart":
        return SimpleNamespace(type="chart", id=block.id, title=block.title, alt=block.alt,
                               table=_shown(block.table, child_level))
    if kind == "para" and block.css == "caveat" and child_level:
        return SimpleNamespace(type="para", css="", text=CHILD_LEVEL_ELSEWHERE)
    return block


def page_sections(report: Any, *, child_level: bool) -> list[ShownSection]:
    """The report's sections as a page shows them (header alignment; the caveat in the
    account's terms). ``child_level`` says only what to write: no child-level part is added."""
    return [ShownSection(s.id, s.number, s.title, [_shown(b, child_level) for b in s.blocks])
            for s in report.sections]


def journey_svg(as_at: dt.date) -> str:
    for section in pack_summary(as_at).sections:
        for block in section.blocks:
            if getattr(block, "type", "") == "chart":
                return block.svg
    return ""


def can_see_pack_children(account: Any) -> bool:
    """Whether to offer the child-level links (not audited: nothing is shown by asking)."""
    from csc_scorecard.services.access import AccessDenied, check_child_access

    if getattr(account, "role", "") not in PACK_CHILD_ROLES:
        return False
    try:
        check_child_access(account)
    except AccessDenied:
        return False
    return True


def _check(account: Any, what: str, as_at: dt.date) -> None:
    from csc_scorecard.services.access import AccessDenied
    from csc_scorecard.services.audit import record

    if not can_see_pack_children(account):
        record(account, "inspection pack child-level refused", f"{what}, as at {as_at}")
        raise AccessDenied(
            "The inspection pack's child-level parts cover every area, so they are for analysts "
            "and administrators")


def pack_children(account: Any, as_at: dt.date) -> list[tuple[str, str]]:
    """(child, lists) for children in two or more lists; audited; AccessDenied otherwise."""
    from csc_scorecard.services.audit import record

    what = "Annex A pack: children in several lists"
    _check(account, what, as_at)
    rows = [(c, ", ".join(f"L{n}" for n in ls)) for c, ls in _pack(as_at).children_lists]
    record(account, "inspection pack child-level", f"{what}, as at {as_at}", rows=len(rows))
    return rows


def pack_quality_rows(account: Any, as_at: dt.date) -> list[Any]:
    """The data-quality problems row by row (they name children); audited."""
    from csc_scorecard.services.audit import record

    what = "Annex A pack: data-quality rows"
    _check(account, what, as_at)
    rows = list(_pack(as_at).problems)
    record(account, "inspection pack child-level", f"{what}, as at {as_at}", rows=len(rows))
    return rows


# ----------------------------------------------------------------- downloads


def _folder(run_id: int) -> Path:
    from csc_scorecard.config import data_home

    return data_home() / "inspection-packs" / str(int(run_id))


def start_pack_download(account: Any, as_at: dt.date):  # noqa: ANN201 - a TaskRun
    """Queue the pack's four files for the account (any reader); returns the TaskRun."""
    from csc_scorecard.services import tasks
    from csc_scorecard.services.inspection import current_annex_a
    from csc_scorecard.services.inspection_pages import can_read

    if not can_read(account):
        raise PermissionDenied
    current_annex_a()  # PackError now, in words, rather than a failed task
    return tasks.start(KIND, account, f"Inspection pack as at {as_at:%d %B %Y}",
                       as_at=as_at.isoformat())


def run_pack_download(progress, as_at: str) -> dict:  # noqa: ANN001 - a tasks.Progress
    """The background task: the pack for the account that asked (child-level parts if allowed)."""
    from csc_scorecard.services.inspection import write_inspection_pack
    from csc_scorecard.services.tasks import TaskFailed

    progress.step("Building the inspection pack", done=0, total=2)
    try:
        written = write_inspection_pack(dt.date.fromisoformat(as_at), _folder(progress.run.pk),
                                        account=progress.run.requested_by)
    except PackError as exc:
        raise TaskFailed(f"The pack could not be built: {str(exc).splitlines()[0]}") from None
    progress.step("Finished", done=2, total=2)
    return {"files": {fmt: path.name for fmt, path in written.items()}, "as_at": as_at}


def pack_downloads(account: Any, limit: int = 20) -> list[dict[str, Any]]:
    """The account's own earlier packs (an admin sees everyone's), newest first."""
    from csc_scorecard.web.tasks.models import TaskRun

    runs = TaskRun.objects.filter(kind=KIND).select_related("requested_by")
    if getattr(account, "role", "") != "admin":
        runs = runs.filter(requested_by_id=getattr(account, "pk", None))
    return [{"id": r.pk, "title": r.title, "status": r.get_status_display(), "at": r.created_at,
             "by": r.requested_by.username if r.requested_by else "", "failure": r.failure,
             "formats": [f for f in CONTENT_TYPES if f in (r.result or {}).get("files", {})]}
            for r in runs[:limit]]


def pack_file(account: Any, run_id: int, fmt: str) -> tuple[Path, str]:
    """(path, name) of a pack file the account asked for (or any, for an admin); LookupError."""
    from csc_scorecard.web.tasks.models import TaskRun

    run = TaskRun.objects.filter(kind=KIND, pk=run_id).first()
    if run is None or fmt not in CONTENT_TYPES:
        raise LookupError("no such pack")
    if run.requested_by_id != getattr(account, "pk", None) and getattr(account, "role", "") != "admin":
        raise LookupError("no such pack")  # the same answer: ids are not a way to learn of others'
    name = (run.result or {}).get("files", {}).get(fmt)
    path = _folder(run.pk) / Path(name or "missing").name
    if not name or not path.is_file():
        raise LookupError("no such pack")
    return path, path.name

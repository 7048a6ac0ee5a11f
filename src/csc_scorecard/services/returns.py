"""Returns as the web app sees them: what is stored, its issues, and uploads.

Uploads are checked here before anything is queued: a refused upload
(empty, too large, not a return, a hostile zip) raises `UploadRefused` with
messages in words and leaves nothing behind. An accepted upload is staged
in the data directory and ingested by a background task through the same
`store.ingest.ingest_paths` the CLI's `ingest` uses, so each return is
stored whole or not at all, and the same file twice changes nothing.
"""

from __future__ import annotations

import re
import shutil
import stat
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied

from csc_scorecard.accounts.models import Role
from csc_scorecard.config import data_home
from csc_scorecard.services import audit

DEFAULT_LIMIT_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
# A return compresses well (10-20 times for CSV and XML); far more than this
# is how zip bombs look.
MAX_COMPRESSION_RATIO = 200
SCREEN_ROWS = 500  # issues shown on the page; the downloads hold them all
ISSUE_FILTERS = ("severity", "rule", "table", "column", "code")  # rule: a validation rule's code
RETURN_NAMES = {
    "ssda903": "SSDA903",
    "cin_census": "CIN census",
    "annex_a": "Annex A",
    "local": "Local extract",
}


# --- who may do what ----------------------------------------------------------


def _role(account: Any) -> str:
    return getattr(account, "role", "") if getattr(account, "is_active", False) else ""


def can_list_returns(account: Any) -> bool:
    """The submissions list carries counts only: every role but viewer (published figures only)."""
    return _role(account) in {Role.ADMIN, Role.ANALYST, Role.MANAGER}


def can_upload(account: Any) -> bool:
    return _role(account) in {Role.ADMIN, Role.ANALYST}


def can_see_issues(account: Any) -> bool:
    """Issues quote values from the files (ids, dates of birth) across every area: child-level.

    The rule is services.access's, the one every front end uses.
    """
    from csc_scorecard.services.access import AccessDenied, check_issue_access

    try:
        check_issue_access(account)
    except AccessDenied:
        return False
    return True


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("this account's role does not allow it")


# --- what is stored -----------------------------------------------------------


def return_name(return_type: str, subtype: str = "") -> str:
    name = RETURN_NAMES.get(return_type, return_type)
    return f"{name} ({subtype})" if subtype else name


def submissions(account: Any) -> list[dict]:
    """Every submission, current and superseded, with its counts (store.status)."""
    _require(can_list_returns(account))
    from dataclasses import asdict

    from csc_scorecard.store.status import store_status

    return [
        {
            **asdict(s),
            "return": return_name(s.return_type, s.subtype),
            "refused": sum(s.quarantined.values()),
            "rows": sum(s.row_counts.values()),
            "issues": sum(s.issue_counts.values()),
        }
        for s in store_status()
    ]


def freshness(account: Any) -> list[dict]:
    """The latest submission of each return and year, with its issue counts (for Home).

    Kept while the submissions are unchanged (services.page_cache); read-only."""
    from csc_scorecard.services.page_cache import remember

    return remember("freshness", (), _freshness)


def _freshness() -> list[dict]:
    from csc_scorecard.store.models import Submission

    latest: dict[tuple[str, str, str], Any] = {}
    for sub in Submission.objects.order_by("id"):
        latest[(sub.return_type, sub.subtype, sub.year)] = sub
    rows = []
    for (return_type, subtype, year), sub in sorted(latest.items()):
        issues = sub.issue_counts or {}
        rows.append(
            {
                "return": return_name(return_type, subtype),
                "year": year or "no year",
                "submission": sub.pk,
                "ingested_at": sub.ingested_at,
                "current": sub.is_current,
                "rows": sum((sub.row_counts or {}).values()),
                "errors": issues.get("error", 0),
                "warnings": issues.get("warning", 0),
                "notes": issues.get("info", 0),
            }
        )
    return rows


@dataclass
class IssuesPage:
    submission: Any
    rows: list[dict]
    total: int
    shown: int
    filters: dict[str, str]
    choices: dict[str, list[str]] = field(default_factory=dict)
    show_child: bool = False  # the account may see child-level data: the child column is filled

    @property
    def label(self) -> str:
        sub = self.submission
        return f"{return_name(sub.return_type, sub.subtype)} {sub.year or 'no year'}"


class NoSuchSubmission(LookupError):
    pass


def _submission(submission_id: int | str):
    from csc_scorecard.store.models import Submission

    try:
        return Submission.objects.get(pk=int(submission_id))
    except (TypeError, ValueError, Submission.DoesNotExist):
        raise NoSuchSubmission(f"there is no submission {submission_id}") from None


def _filtered_issues(submission, filters: dict[str, str]) -> tuple[list[dict], dict[str, list[str]]]:
    from csc_scorecard.store.issue_report import issue_rows

    every = issue_rows(submission)
    choices = {name: sorted({str(r[name]) for r in every if r[name]}) for name in ISSUE_FILTERS}
    wanted = {k: v for k, v in filters.items() if k in ISSUE_FILTERS and v}
    rows = [r for r in every if all(str(r[k]) == v for k, v in wanted.items())]
    return rows, choices


def _may_see_children(account: Any) -> bool:
    """Whether issue rows keep their child ids (roles allowed every area's child-level data)."""
    from csc_scorecard.services.access import (
        ALL_AREAS,
        AccessDenied,
        check_child_access,
        visible_areas,
    )

    try:
        check_child_access(account)
    except AccessDenied:
        return False
    # issues are not split by area, so only a role that sees every area gets the ids
    return visible_areas(account) is ALL_AREAS


def _child_ids_for(account: Any, rows: list[dict]) -> tuple[list[dict], bool]:
    if _may_see_children(account):
        return rows, True
    return [{**r, "child": ""} for r in rows], False


def _describe(filters: dict[str, str]) -> str:
    chosen = [f"{k} {v}" for k, v in sorted(filters.items()) if k in ISSUE_FILTERS and v]
    return ", ".join(chosen) or "no filter"


def _require_issues(account: Any, submission_id: int | str) -> None:
    from csc_scorecard.services.access import AccessDenied, check_issue_access

    try:
        check_issue_access(account)
    except AccessDenied:
        # a refused attempt at child-level data is worth an admin's attention too (a 403 page)
        audit.record(account, "issues-refused", f"submission {submission_id}")
        raise


def submission_issues(account: Any, submission_id: int | str, filters: dict[str, str]) -> IssuesPage:
    """The issues of one submission, filtered; the view is audited (issues quote child data)."""
    _require_issues(account, submission_id)
    submission = _submission(submission_id)
    rows, choices = _filtered_issues(submission, filters)
    rows, show_child = _child_ids_for(account, rows)
    audit.record(
        account, "issues-view",
        f"submission {submission.pk}, {_describe(filters)}, child ids {'shown' if show_child else 'hidden'}",
        rows=len(rows),
    )
    clean = {k: filters.get(k, "") for k in ISSUE_FILTERS}
    return IssuesPage(submission, rows[:SCREEN_ROWS], len(rows), min(len(rows), SCREEN_ROWS), clean, choices,
                      show_child=show_child)


def export_issues(
    account: Any, submission_id: int | str, filters: dict[str, str], fmt: str
) -> tuple[bytes, str, str]:
    """The filtered issues as CSV or xlsx: (content, file name, content type). Audited."""
    _require_issues(account, submission_id)
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"no export format {fmt!r}")
    from csc_scorecard.store.issue_report import issues_csv, write_issues_xlsx

    submission = _submission(submission_id)
    rows, _ = _filtered_issues(submission, filters)
    rows, show_child = _child_ids_for(account, rows)
    audit.record(
        account, "issues-export",
        f"submission {submission.pk}, {fmt}, {_describe(filters)}, child ids {'shown' if show_child else 'hidden'}",
        rows=len(rows),
    )
    name = f"issues-submission-{submission.pk}.{fmt}"
    if fmt == "csv":
        return issues_csv(rows).encode("utf-8"), name, "text/csv; charset=utf-8"
    folder = _new_folder("exports")
    try:
        target = folder / name
        write_issues_xlsx(rows, target, submission)
        content = target.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return content, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- uploads ------------------------------------------------------------------


class UploadRefused(Exception):
    """Nothing was stored or queued; `messages` say why, in words."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _new_folder(kind: str) -> Path:
    folder = data_home() / kind / uuid.uuid4().hex
    folder.mkdir(parents=True, mode=0o700)
    return folder


_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()-]+")


def safe_name(name: str) -> str:
    """A file name with no folders, no leading dot and only plain characters."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned[:120] or "upload"


def _is_zip(path: Path) -> bool:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return False  # a workbook is a zip inside, and a return in its own right
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def stage_upload(files: list[Any], limit: int = DEFAULT_LIMIT_BYTES) -> Path:
    """Check uploaded files (objects with .name and .chunks()) and stage them in a folder.

    Zips are unpacked (into a folder each, as if the analyst had pointed the
    CLI at a folder). Raises UploadRefused, with the staging folder removed,
    when anything is wrong.
    """
    if not files:
        raise UploadRefused(["Choose one or more files, or a zip, to upload"])
    folder = _new_folder("uploads")
    try:
        _stage(files, folder, limit)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _stage(files: list[Any], folder: Path, limit: int) -> None:
    problems: list[str] = []
    total = 0
    direct: list[Path] = []
    for index, upload in enumerate(files, start=1):
        name = safe_name(getattr(upload, "name", ""))
        target = folder / name
        if target.exists():
            target = folder / f"{index}-{name}"
        written = 0
        with target.open("wb") as out:
            for chunk in upload.chunks():
                written += len(chunk)
                total += len(chunk)
                if total > limit:
                    raise UploadRefused([f"The upload is larger than the limit of {_size(limit)}"])
                out.write(chunk)
        if written == 0:
            problems.append(f"{name} is empty")
            continue
        if _is_zip(target):
            unpacked = folder / f"{target.stem}-unpacked"
            problems += _unpack_zip(target, unpacked, limit - total + written, name)
            target.unlink()
        else:
            direct.append(target)
    if problems:
        raise UploadRefused(problems)
    problems += _check_returns(folder, direct)
    if problems:
        raise UploadRefused(problems)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _unpack_zip(path: Path, into: Path, budget: int, label: str) -> list[str]:
    """Unpack a zip safely, or say why not. Never trusts the sizes or names it declares."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return [f"{label} is not a zip file that can be opened"]
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            return [f"{label} holds {len(entries)} files; at most {MAX_ZIP_ENTRIES} are accepted"]
        plan: list[tuple[zipfile.ZipInfo, Path]] = []
        for info in entries:
            refused = _refuse_entry(info, label)
            if refused:
                return [refused]
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if info.is_dir() or any(p.startswith(".") for p in parts) or parts[0] == "__MACOSX":
                continue
            if parts[-1].lower().endswith(".zip"):
                return [f"{label} holds another zip ({safe_name(parts[-1])}); unpack it and upload its files"]
            plan.append((info, into.joinpath(*(safe_name(p) for p in parts))))
        if sum(info.file_size for info, _ in plan) > budget:
            return [f"{label} unpacks to more than the upload limit"]
        spent = 0
        for info, target in plan:
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(info) as source, target.open("wb") as out:
                while chunk := source.read(1 << 20):
                    written += len(chunk)
                    spent += len(chunk)
                    if written > info.file_size or spent > budget:
                        return [f"{label} unpacks to more than it declares: it looks like a zip bomb"]
                    out.write(chunk)
    if not plan:
        return [f"{label} holds no files"]
    return []


def _refuse_entry(info: zipfile.ZipInfo, label: str) -> str:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts or ":" in parts[0]:
        return f"{label} names a file outside itself ({safe_name(name)}); nothing was unpacked"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"{label} holds a link to another place ({safe_name(name)}); nothing was unpacked"
    if info.flag_bits & 0x1:
        return f"{label} is password-protected; upload the files unprotected"
    ratio = info.file_size / info.compress_size if info.compress_size else 0
    if info.file_size > (1 << 20) and ratio > MAX_COMPRESSION_RATIO:
        return f"{label} is compressed {ratio:.0f} times over: it looks like a zip bomb"
    return ""


def _check_returns(folder: Path, direct: list[Path]) -> list[str]:
    """Every file named directly must be a return; a zip must hold at least one."""
    from csc_scorecard.returns import detect

    problems = []
    collected = detect.collect_files([folder])
    found = 0
    for path in collected.files:
        result = detect.classify(path)
        label = _relative(path, folder)
        if isinstance(result, detect.Unrecognised):
            problems.append(f"{label} is not a return: {result.reason}")
        else:
            found += 1
    for path in collected.passed_over:
        if path in direct:
            problems.append(f"{_relative(path, folder)} is not a return (a {path.suffix} file)")
    if not problems and not found:
        problems.append("None of the files is a return (SSDA903, CIN census, Annex A or a local extract)")
    return problems


def _relative(path: Path | str, folder: Path) -> str:
    text = str(path)
    prefix = str(folder) + "/"
    text = text.replace(prefix, "")
    return text.replace("-unpacked/", ".zip: ", 1) if "-unpacked/" in text else text


class YearRefused(UploadRefused):
    """The collection year typed in cannot be used."""


def check_year(year: str) -> str:
    """A collection year as typed ("2024-25"), or "" when none was given; UploadRefused if unusable."""
    from csc_scorecard.returns.cleaning import year_from_text

    year = (year or "").strip()
    if year and year_from_text(year) != year:
        raise YearRefused(["Enter the collection year like 2024-25, or leave it blank"])
    return year


def start_upload(account: Any, files: list[Any], limit: int = DEFAULT_LIMIT_BYTES, *, year: str = ""):
    """Check and stage an upload, then queue its ingest. Returns the TaskRun.

    `year` overrides what the files say, as the CLI's `ingest --year` does.
    """
    _require(can_upload(account))
    from csc_scorecard.services import tasks

    year = check_year(year)
    folder = stage_upload(files, limit)
    names = [safe_name(getattr(f, "name", "")) for f in files]
    title = "Upload of " + (names[0] if len(names) == 1 else f"{len(names)} files")
    audit.record(account, "upload", f"{len(names)} file(s): {', '.join(names)}"[:500])
    return tasks.start("returns.ingest", account, title, folder=str(folder), year=year)


def run_upload(progress, folder: str, year: str = "") -> dict:
    """The background task: ingest a staged upload, recompute, tidy up."""
    from csc_scorecard.returns import detect
    from csc_scorecard.store.ingest import ingest_paths

    staged = Path(folder)
    account = progress.run.requested_by
    try:
        collected = detect.collect_files([staged])
        classified = [c for c in map(detect.classify, collected.files) if not isinstance(c, detect.Unrecognised)]
        total = len(detect.plan_groups(classified)) + 1
        done = 0

        def step(label: str) -> None:
            nonlocal done
            progress.step(f"Reading {_relative(label, staged)}", done=done, total=total)
            done += 1

        outcomes = ingest_paths([staged], year=year, user=getattr(account, "username", ""), progress=step)
        stored = [o for o in outcomes if o.status == "stored"]
        recompute = "not needed: nothing new was stored"
        if stored:
            progress.step("Recomputing the indicators", done=done, total=total)
            recompute = _recompute()
        progress.step("Finished", done=total, total=total)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    result = {
        "outcomes": [_outcome(o, staged) for o in outcomes if o.status != "skipped"],
        "passed_over": [_relative(o.label, staged) for o in outcomes if o.status == "skipped"],
        "stored": len(stored),
        "rejected": sum(o.status == "rejected" for o in outcomes),
        "recompute": recompute,
    }
    audit.record(
        account, "upload-ingested",
        f"stored {result['stored']}, rejected {result['rejected']}, "
        f"submissions {', '.join(str(o.submission_id) for o in stored) or 'none'}",
    )
    return result


def _outcome(o, staged: Path) -> dict:
    from csc_scorecard.store.models import Submission

    subtype = ""
    if o.submission_id and o.return_type == "local":
        subtype = Submission.objects.filter(pk=o.submission_id).values_list("subtype", flat=True).first() or ""
    return {
        "file": _relative(o.label, staged),
        "status": o.status,
        "return": return_name(o.return_type, subtype) if o.return_type else "",
        "year": o.year,
        "submission": o.submission_id,
        # the ingest speaks to the CLI; on the web the same choice is the form's year field
        "reason": o.reason.replace("give it with --year", "enter it in the collection year box")
        .replace("with --year", "in the collection year box"),
        "rows": sum(o.row_counts.values()),
        "errors": o.issue_counts.get("error", 0),
        "warnings": o.issue_counts.get("warning", 0),
        "superseded": o.superseded,
    }


def _recompute() -> str:
    """Recompute what the new data made stale, as the CLI's ingest does; the data stays stored if it fails."""
    from csc_scorecard.store.ingest import recompute_after_ingest

    problem = recompute_after_ingest()
    if problem:
        return f"could not be recomputed ({problem}); the figures are out of date until `csc-scorecard recompute`"
    return "recomputed"

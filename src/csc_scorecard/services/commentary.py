"""Commentary written in the browser: per indicator, priority or report section, per period.

An indicator or section has one box of commentary; a priority has the
quarterly report's three (what is working well, what we are worried about,
what needs to happen). Text is saved as a draft or approved; who wrote it and
when are kept on the row (reporting.models.Commentary), the same rows the
CLI's ``commentary import`` writes and the reports read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from csc_scorecard.periods import PeriodError, parse_period

__all__ = [
    "BOX_TITLES",
    "CommentaryRefused",
    "can_write_commentary",
    "commentary_for",
    "commentary_subjects",
    "missing_commentary",
    "save_commentary",
]

BOX_TITLES = {
    "commentary": "Commentary",
    "working_well": "What is working well",
    "worried": "What we are worried about",
    "next": "What needs to happen",
}
BOXES_OF = {
    "indicator": ["commentary", "working_well", "worried", "next"],
    "priority": ["working_well", "worried", "next"],
    "section": ["commentary"],
}
LIMIT = 10_000


@dataclass
class CommentaryRefused(ValueError):
    """The form has problems: field -> message."""

    errors: dict[str, str]


def can_write_commentary(account: Any) -> bool:
    """Analysts, admins and managers write commentary; viewers read the published reports."""
    return getattr(account, "is_active", False) and account.role in ("admin", "analyst", "manager")


def _rows(kind: str, subject: str, period: str) -> list[Any]:
    from csc_scorecard.reporting.models import Commentary

    return list(Commentary.objects.filter(subject_kind=kind, subject_id=subject, period=period)
                .select_related("author_account").order_by("kind", "la_code"))


def commentary_for(indicator_id: str, priority_id: str | None, period: str) -> list[dict[str, Any]]:
    """The period's commentary on an indicator and on its priority, box by box."""
    out = []
    subjects = [("indicator", indicator_id)] + ([("priority", priority_id)] if priority_id else [])
    for kind, subject in subjects:
        for row in _rows(kind, subject, period):
            out.append({
                "subject_kind": kind, "subject_id": subject, "box": row.kind,
                "box_title": BOX_TITLES.get(row.kind, row.kind), "text": row.text,
                "status": row.status, "author": row.author, "updated_at": row.updated_at,
            })
    return out


def commentary_subjects() -> dict[str, list[tuple[str, str]]]:
    """What commentary can be written on: indicators, priorities and report sections, with titles."""
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.rating.priorities import load_priorities
    from csc_scorecard.reporting.layout import load_sections

    return {
        "indicator": [(e.id, e.title) for e in get_catalogue()],
        "priority": [(p.id, p.title) for p in load_priorities()],
        "section": [(s.id, s.title) for s in load_sections()],
    }


def current_text(kind: str, subject: str, period: str) -> dict[str, dict[str, Any]]:
    """box -> {text, status, author, updated_at} of what is stored for the subject and period."""
    return {
        row.kind: {"text": row.text, "status": row.status, "author": row.author,
                   "updated_at": row.updated_at}
        for row in _rows(kind, subject, period)
    }


def save_commentary(account: Any, kind: str, subject: str, period: str, texts: dict[str, str],
                    status: str) -> int:
    """Store the boxes given (a blank box deletes its text); returns how many boxes changed.

    Raises PermissionDenied for a role that may not write, CommentaryRefused for bad input.
    """
    from django.db import transaction

    from csc_scorecard.reporting.models import Commentary
    from csc_scorecard.services.audit import record

    if not can_write_commentary(account):
        raise PermissionDenied
    errors: dict[str, str] = {}
    subjects = commentary_subjects()
    if kind not in BOXES_OF:
        errors["subject_kind"] = "Choose what the commentary is about"
    elif subject not in {s for s, _ in subjects[kind]}:
        errors["subject_id"] = f"Choose a {kind} from the list"
    try:
        label = parse_period(period).label
    except PeriodError:
        errors["period"] = "Enter a period like 2024-25 or 2024-25-Q2"
        label = ""
    if status not in ("draft", "approved"):
        errors["status"] = "Choose draft or approved"
    if kind in BOXES_OF:
        for box in BOXES_OF[kind]:
            if len(texts.get(box, "")) > LIMIT:
                errors[box] = f"{BOX_TITLES[box]} must be {LIMIT:,} characters or fewer"
    if errors:
        raise CommentaryRefused(errors)
    changed = 0
    with transaction.atomic():
        for box in BOXES_OF[kind]:
            text = texts.get(box, "").strip()
            existing = Commentary.objects.filter(subject_kind=kind, subject_id=subject, period=label,
                                                 kind=box, la_code="").first()
            if not text:
                if existing is not None:
                    existing.delete()
                    changed += 1
                continue
            if existing is not None and existing.text == text and existing.status == status:
                continue
            Commentary.objects.update_or_create(
                subject_kind=kind, subject_id=subject, period=label, kind=box, la_code="",
                defaults={"text": text, "status": status, "author_account": account,
                          "source_file": ""},
            )
            changed += 1
        if changed:
            record(account, "commentary", f"{kind} {subject}, period {label}, {status}", rows=changed)
    return changed


def missing_commentary(period: str, indicator_ids: list[str]) -> list[str]:
    """Of the indicators given (the period's Reds and Ambers), those with no commentary yet."""
    from csc_scorecard.reporting.models import Commentary

    have = set(Commentary.objects.filter(subject_kind="indicator", period=period,
                                         subject_id__in=indicator_ids)
               .values_list("subject_id", flat=True))
    return [i for i in indicator_ids if i not in have]


@dataclass
class CommentaryForm:
    """What the commentary page shows: the subject chosen, its boxes and the choices."""

    kind: str
    subject: str
    period: str
    subjects: dict[str, list[tuple[str, str]]]
    periods: list[tuple[str, list[str]]]
    boxes: list[dict[str, Any]]
    status: str

    def update_from(self, texts: dict[str, str], status: str) -> None:
        for box in self.boxes:
            box["text"] = texts.get(box["name"], "")
        self.status = status


def commentary_form(kind: str, subject: str, period: str) -> CommentaryForm:
    from csc_scorecard.services.scorecard_page import _default_period, period_choices

    kind = kind if kind in BOXES_OF else "indicator"
    subjects = commentary_subjects()
    if subject not in {s for s, _ in subjects[kind]}:
        subject = subjects[kind][0][0] if subjects[kind] else ""
    groups = period_choices()
    try:
        period = parse_period(period).label
    except PeriodError:
        period = _default_period(groups)
    stored = current_text(kind, subject, period) if period else {}
    boxes = [{"name": b, "title": BOX_TITLES[b], "text": stored.get(b, {}).get("text", ""),
              "author": stored.get(b, {}).get("author", ""),
              "updated_at": stored.get(b, {}).get("updated_at")} for b in BOXES_OF[kind]]
    statuses = {v["status"] for v in stored.values()}
    status = "approved" if statuses == {"approved"} else "draft"
    return CommentaryForm(kind, subject, period, subjects, groups, boxes, status)

"""What is loaded: one line per submission, newest first within each return and year."""

from __future__ import annotations

from dataclasses import dataclass, field

from csc_scorecard.store.models import Child, Submission


@dataclass
class SubmissionStatus:
    id: int
    return_type: str
    subtype: str
    year: str
    la_code: str
    files: list[str]
    ingested_at: str
    children: int
    row_counts: dict[str, int]
    quarantined: dict[str, int]
    issue_counts: dict[str, int]
    current: bool
    superseded_by: int | None
    rule_counts: dict = field(default_factory=dict)  # the validation rules' (validation.at_ingest)


def store_status() -> list[SubmissionStatus]:
    submissions = Submission.objects.order_by("return_type", "subtype", "year", "la_code", "-id")
    children = _children_per_submission()
    return [
        SubmissionStatus(
            id=s.pk,
            return_type=s.return_type,
            subtype=s.subtype,
            year=s.year,
            la_code=s.la_code,
            files=list(s.file_names),
            ingested_at=s.ingested_at.strftime("%Y-%m-%d %H:%M"),
            children=children.get(s.pk, 0),
            row_counts=dict(s.row_counts),
            quarantined=dict(s.quarantined_counts),
            issue_counts=dict(s.issue_counts),
            current=s.is_current,
            superseded_by=s.superseded_by_id,
            rule_counts=dict(s.rule_counts or {}),
        )
        for s in submissions
    ]


def _children_per_submission() -> dict[int, int]:
    from django.db.models import Count

    rows = Child.objects.values("submission_id").annotate(n=Count("child_id", distinct=True))
    return {r["submission_id"]: r["n"] for r in rows}

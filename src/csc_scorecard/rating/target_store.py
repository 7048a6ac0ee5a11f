"""Storing targets with history: all-or-nothing import writing one TargetChange per
changed field, and the recorded history read back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from csc_scorecard.rating.target_file import parse_target_file
from csc_scorecard.rating.target_spec import FIELDS, ImportSummary, TargetSpec


def _spec_of(row: Any) -> TargetSpec:
    return TargetSpec(
        indicator_id=row.indicator_id,
        year=row.year,
        target=None if row.target is None else Decimal(row.target),
        tolerance=Decimal(row.tolerance or 0),
        tolerance_type=row.tolerance_type,
        discontinued=bool(row.discontinued),
        note=row.note or "",
    )


def _same(a: TargetSpec, b: TargetSpec, name: str) -> bool:
    return a.field_text(name) == b.field_text(name)


def import_specs(
    specs: list[TargetSpec], *, user: Any = "", source: str = "", replace: bool = False
) -> ImportSummary:
    """Store validated targets in one transaction, writing history for every change.

    ``user`` is the account making the change: an accounts.User, a user name,
    or "" for the CLI's current account (csc_scorecard.services.accounts).
    With ``replace``, targets not in ``specs`` are deleted (with history) -
    but only for the years the file covers.
    """
    from django.db import transaction
    from django.utils import timezone

    from csc_scorecard.rating.models import Target, TargetChange
    from csc_scorecard.services.accounts import resolve_account

    account = resolve_account(user)

    summary = ImportSummary(file=source, rows=len(specs))
    now = timezone.now()
    changes: list[TargetChange] = []

    def record(spec: TargetSpec, action: str, name: str, old: str, new: str) -> None:
        changes.append(
            TargetChange(
                indicator_id=spec.indicator_id,
                year=spec.year,
                action=action,
                field=name,
                old_value=old,
                new_value=new,
                changed_at=now,
                changed_by_account=account,
                source=source[:500],
            )
        )

    with transaction.atomic():
        existing = {(t.indicator_id, t.year): t for t in Target.objects.select_for_update().all()}
        for spec in specs:
            row = existing.get((spec.indicator_id, spec.year))
            if row is None:
                Target.objects.create(
                    indicator_id=spec.indicator_id,
                    year=spec.year,
                    target=spec.target,
                    tolerance=spec.tolerance,
                    tolerance_type=spec.tolerance_type,
                    discontinued=spec.discontinued,
                    note=spec.note,
                    updated_by_account=account,
                )
                for name in FIELDS:
                    if spec.field_text(name):  # a blank note is not worth a line
                        record(spec, "created", name, "", spec.field_text(name))
                summary.created += 1
                continue
            old = _spec_of(row)
            changed = [n for n in FIELDS if not _same(old, spec, n)]
            if not changed:
                summary.unchanged += 1
                continue
            for name in changed:
                record(spec, "updated", name, old.field_text(name), spec.field_text(name))
                setattr(row, name, getattr(spec, name))
            row.updated_by_account = account
            row.save()
            summary.updated += 1
        if replace:
            keep = {(s.indicator_id, s.year) for s in specs}
            years = {s.year for s in specs}
            for key, row in existing.items():
                if key not in keep and row.year in years:
                    old = _spec_of(row)
                    for name in FIELDS:
                        if old.field_text(name):
                            record(old, "deleted", name, old.field_text(name), "")
                    row.delete()
                    summary.deleted += 1
        TargetChange.objects.bulk_create(changes)
    summary.changes = len(changes)
    return summary


def import_targets(
    path: Path | str,
    *,
    user: Any = "",
    known_ids: Iterable[str] | None = None,
    replace: bool = False,
) -> ImportSummary:
    """Validate ``path`` strictly, then store it all or nothing (see :func:`import_specs`)."""
    specs = parse_target_file(path, known_ids=known_ids)
    return import_specs(specs, user=user, source=Path(path).name, replace=replace)


def target_history(
    indicator_id: str | None = None, *, year: str | None = None
) -> list[Mapping[str, Any]]:
    """Every recorded change, oldest first: who, when, what, old and new value."""
    from csc_scorecard.rating.models import TargetChange

    rows = TargetChange.objects.all()
    if indicator_id:
        rows = rows.filter(indicator_id=indicator_id)
    if year:
        rows = rows.filter(year=year)
    history = []
    for row in rows.order_by("changed_at", "id").values(
        "indicator_id",
        "year",
        "action",
        "field",
        "old_value",
        "new_value",
        "changed_at",
        "changed_by_account__username",
        "source",
    ):
        row["changed_by"] = row.pop("changed_by_account__username") or ""
        history.append(row)
    return history

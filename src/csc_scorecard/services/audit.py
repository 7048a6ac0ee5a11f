"""The audit trail: who did what to child-level data, sign-ins and role changes."""

from __future__ import annotations

from typing import Any

from csc_scorecard.store.models import AuditEvent


def record(account: Any, action: str, detail: str = "", *, rows: int | None = None) -> AuditEvent:
    """Note an audited event for an account. `detail` must never hold child data.

    `account` is an accounts.User (or None for an event with no account, such
    as a failed sign-in for an unknown name).
    """
    return AuditEvent.objects.create(
        account=account if account is not None else None, action=action, detail=detail[:2000],
        rows=rows,
    )

"""The audit trail of child-level views and exports."""

from __future__ import annotations

import getpass

from csc_scorecard.store.models import AuditEvent


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return ""


def record(action: str, detail: str, *, rows: int | None = None, user: str | None = None) -> AuditEvent:
    """Note that child-level data was shown or exported. `detail` must not hold child data."""
    return AuditEvent.objects.create(
        user=current_user() if user is None else user, action=action, detail=detail[:2000], rows=rows
    )

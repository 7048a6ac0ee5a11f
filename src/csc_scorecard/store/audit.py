"""The audit trail of child-level views and exports (kept for older callers).

The entry point is :func:`csc_scorecard.services.audit.record`, which takes
an account; this module's ``record`` resolves a user name (or the CLI's
current account) to one first.
"""

from __future__ import annotations

from csc_scorecard.services.accounts import os_login, resolve_account
from csc_scorecard.store.models import AuditEvent


def current_user() -> str:
    """The operating-system login (what the CLI maps to an account)."""
    return os_login()


def record(action: str, detail: str, *, rows: int | None = None, user: str | None = None) -> AuditEvent:
    """Note that child-level data was shown or exported. `detail` must not hold child data."""
    from csc_scorecard.services.audit import record as record_for

    return record_for(resolve_account(user), action, detail, rows=rows)

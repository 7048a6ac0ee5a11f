"""Reading the audit trail: for admins only, on screen or as CSV.

Writing it is services.audit.record; this module only reads, so the web page
and any other front end filter and export it the same way.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from csc_scorecard.accounts.models import Role
from csc_scorecard.services import audit

SCREEN_ROWS = 500
COLUMNS = ["at", "account", "action", "detail", "rows"]


def can_read_audit_log(account: Any) -> bool:
    return bool(getattr(account, "is_active", False) and getattr(account, "role", "") == Role.ADMIN)


@dataclass
class AuditPage:
    events: list[dict]
    total: int
    actions: list[str]
    accounts: list[str]
    filters: dict[str, str]


def _events(action: str = "", account_name: str = ""):
    from csc_scorecard.store.models import AuditEvent

    events = AuditEvent.objects.select_related("account")
    if action:
        events = events.filter(action=action)
    if account_name:
        events = events.filter(account__username=account_name)
    return events


def _row(event) -> dict:
    return {
        "at": event.at,
        "account": event.user,
        "action": event.action,
        "detail": event.detail,
        "rows": event.rows,
    }


def read_events(reader: Any, action: str = "", account_name: str = "") -> AuditPage:
    """The newest events first, optionally for one action or one account."""
    if not can_read_audit_log(reader):
        raise PermissionDenied("only an administrator can read the audit log")
    from csc_scorecard.store.models import AuditEvent

    events = _events(action, account_name)
    every = AuditEvent.objects.all()
    return AuditPage(
        events=[_row(e) for e in events[:SCREEN_ROWS]],
        total=events.count(),
        actions=sorted(set(every.values_list("action", flat=True))),
        accounts=sorted(set(every.exclude(account=None).values_list("account__username", flat=True))),
        filters={"action": action, "account": account_name},
    )


def events_csv(reader: Any, action: str = "", account_name: str = "") -> str:
    """Every matching event as CSV; the download itself is recorded."""
    if not can_read_audit_log(reader):
        raise PermissionDenied("only an administrator can read the audit log")
    events = _events(action, account_name)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for event in events.iterator():
        row = _row(event)
        row["at"] = event.at.isoformat(timespec="seconds")
        writer.writerow({k: _safe(v) for k, v in row.items()})
        n += 1
    audit.record(reader, "audit-log-download", f"action {action or 'any'}, account {account_name or 'any'}", rows=n)
    return out.getvalue()


def _safe(value: object) -> object:
    """Keep spreadsheet programs from running a cell as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

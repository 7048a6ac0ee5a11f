"""Child-level data: who may see it, and the audit record of every look.

Child-level rows are the children behind a figure (``children``, the web's
drill-down) and a submission's issue list (its values can be a child's id or
date of birth). The roles (see docs/services.md):

======== ====================================== =================
role     children behind a figure               issue lists
======== ====================================== =================
admin    every area                             yes
analyst  every area                             yes
manager  only the areas the account is scoped   no (issues are not
         to (none when it has no areas)         split by area)
viewer   never                                  never
======== ====================================== =================

Every access, granted or refused, writes one AuditEvent pointing to the
account; its detail names what was asked for, never a child.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from csc_scorecard.periods import Period, parse_period

if TYPE_CHECKING:
    from csc_scorecard.accounts.models import User
    from csc_scorecard.store.models import Submission

__all__ = [
    "AccessDenied",
    "ChildListing",
    "children_behind",
    "check_child_access",
    "check_issue_access",
    "publication_only",
    "submission_issues",
    "visible_areas",
]

ALL_AREAS = None  # visible_areas() for roles that see every area


class AccessDenied(PermissionDenied, PermissionError):
    """The account's role does not reach this child-level data (a clear message).

    A Django PermissionDenied, so a web view that lets it through answers 403.
    """


@dataclass
class ChildListing:
    """The rows behind one figure, ready to print or render (dates as ISO text)."""

    indicator_id: str
    period: str
    la_code: str
    columns: list[str]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def _role(account: User | None) -> str:
    if account is None or not account.is_active:
        return ""
    return str(account.role)


def visible_areas(account: User | None) -> set[str] | None:
    """Areas whose children the account may see: None for all; an empty set for none."""
    role = _role(account)
    if role in ("admin", "analyst"):
        return ALL_AREAS
    if role == "manager":
        return {a.strip().lower() for a in (account.areas or []) if a.strip()}  # type: ignore[union-attr]
    return set()


def publication_only(account: User | None) -> bool:
    """Whether the account sees only published (suppressed) figures: viewers, and nobody."""
    return _role(account) in ("", "viewer")


def check_child_access(account: User | None, area: str | None = None) -> None:
    """Raise :class:`AccessDenied` unless the account may see children (of ``area``)."""
    who = account.username if account is not None else "nobody"
    role = _role(account)
    if role in ("", "viewer"):
        raise AccessDenied(
            f"{who!r} cannot see child-level data: "
            + ("the account is deactivated" if account is not None and not account.is_active
               else "viewers see published figures only")
        )
    areas = visible_areas(account)
    if areas is ALL_AREAS:
        return
    if not areas:
        raise AccessDenied(f"{who!r} is a manager with no areas, so sees no child-level data")
    if area and area.strip().lower() not in areas:
        raise AccessDenied(
            f"{who!r} may see children of {', '.join(sorted(account.areas))} only, not {area}"  # type: ignore[union-attr]
        )


def _audit(account: User | None, action: str, detail: str, rows: int | None) -> None:
    from csc_scorecard.services.audit import record

    record(account, action, detail, rows=rows)


def children_behind(
    account: User | None,
    indicator_id: str,
    period: Period | str,
    *,
    area: str | None = None,
    la_code: str | None = None,
    population: int | None = None,
    catalogue: Any = None,
) -> ChildListing:
    """The children (or teams) behind an indicator's numerator and denominator.

    The council is chosen by :func:`csc_scorecard.services.council.choose_council`.
    A manager sees only the rows of their areas. Raises :class:`AccessDenied`
    (audited), ``KeyError``/``IndicatorError`` for an unknown or failing
    indicator, ``ValueError`` for a bad population or an unchosen council.
    """
    import polars as pl

    from csc_scorecard.indicators.casedata import load_case_data
    from csc_scorecard.indicators.engine import unit_rows
    from csc_scorecard.services.council import choose_council

    period = parse_period(period) if isinstance(period, str) else period
    request = f"indicator {indicator_id}, period {period.label}, area {area or 'all'}"
    try:
        check_child_access(account, area)
    except AccessDenied:
        _audit(account, "children-refused", request, None)
        raise
    council = choose_council(la_code)
    data = load_case_data(council.la_code, population=population)
    rows = unit_rows(data, indicator_id, period, catalogue=catalogue)
    if area:
        areas = sorted(set(rows["area"].to_list()))
        matched = [a for a in areas if a.lower() == area.strip().lower()]
        rows = rows.filter(pl.col("area") == (matched[0] if matched else area))
    scope = visible_areas(account)
    if scope is not ALL_AREAS:
        rows = rows.filter(pl.col("area").str.to_lowercase().is_in(sorted(scope)))
    rows = rows.filter(pl.col("in_numerator") | pl.col("in_denominator").fill_null(False))
    key = "child_id" if "child_id" in rows.columns else "team"
    columns = [key, "date", "team", "area", "in_numerator", "in_denominator"]
    if key == "team":
        columns = list(dict.fromkeys(["team", "date", "area", "in_numerator", "in_denominator"]))
    out = [
        {
            **{c: row[c] for c in columns},
            "date": row["date"].isoformat() if row["date"] else None,
            "in_numerator": "yes" if row["in_numerator"] else "no",
            "in_denominator": (
                "" if row["in_denominator"] is None else "yes" if row["in_denominator"] else "no"
            ),
        }
        for row in rows.iter_rows(named=True)
    ]
    _audit(account, "children", f"{request}, LA {data.la_code or '-'}", len(out))
    return ChildListing(indicator_id, period.label, data.la_code, columns, out, list(data.notes))


def check_issue_access(account: User | None) -> None:
    """Raise :class:`AccessDenied` unless the account may see issue lists (not audited here)."""
    if _role(account) not in ("admin", "analyst"):
        who = account.username if account is not None else "nobody"
        raise AccessDenied(
            f"{who!r} cannot see issue lists: they can name any child of the council, so they "
            "are for analysts and administrators"
        )


def submission_issues(
    account: User | None, submission: str | None = None, *, severity: str | None = None,
    fmt: str = "table", rule: str | None = None,
) -> tuple[Submission, list[dict]]:
    """A submission's issues (default the latest), for admins and analysts; audited.

    Raises :class:`AccessDenied` (audited) or ``NoSuchSubmission``.
    """
    from csc_scorecard.store.issue_report import find_submission, issue_rows

    which = f"severity {severity or 'all'}" + (f", rule {rule}" if rule else "")
    request = f"submission {submission or 'latest'}, format {fmt}, {which}"
    try:
        check_issue_access(account)
    except AccessDenied:
        _audit(account, "issues-refused", request, None)
        raise
    sub = find_submission(submission)
    rows = issue_rows(sub, severity, rule)
    _audit(account, "issues", f"submission {sub.pk}, format {fmt}, {which}", len(rows))
    return sub, rows

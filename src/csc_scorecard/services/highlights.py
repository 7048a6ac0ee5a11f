"""Highlight reports written in the browser: the prose, and draft -> submitted -> approved.

Who may do what (docs/plans.md, "Highlight reports: the workflow"):

=============================  ===========================================================
step                           who
=============================  ===========================================================
write or change the prose      a *writer*: an analyst, an admin, or a manager who owns one
                               of the programme's actions; only while the report is a draft
submit (draft -> submitted)    a writer
send back (submitted -> draft) an analyst or admin, or the account that submitted it
approve (submitted -> approved) an analyst or admin other than the account that submitted it
                               (a second pair of eyes on what goes to the board)
reopen (approved -> draft)     an analyst or admin
=============================  ===========================================================

A step not allowed from the report's state (approving a draft) is refused with
:class:`HighlightStateRefused`; a step the account may not take raises
:class:`~csc_scorecard.services.plans.PlanPermissionDenied`.  Every save is kept
in the report's history (django-simple-history) with the account and a reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = [
    "EDITOR_FIELDS", "HIGHLIGHT_FIELDS", "PROSE_FIELDS", "STEPS", "HighlightStateRefused", "allowed_steps",
    "can_edit_highlight", "can_read_highlight", "save_highlight", "submitted_by", "take_step",
]

PROSE_FIELDS = ("reason", "achievements", "slippage", "voice_of_children", "next_period", "risks",
                "issues", "variances", "decisions")
HIGHLIGHT_FIELDS = ("report_date", "status", "trend", *PROSE_FIELDS, "state")
EDITOR_FIELDS = ("report_date", "status", "trend", *PROSE_FIELDS)  # what the editor's form sends
STATES = ("draft", "submitted", "approved")
MAX_SECTION = 20_000

# step -> (from state, to state, what the button says)
STEPS: dict[str, tuple[str, str, str]] = {
    "submit": ("draft", "submitted", "Submit for approval"),
    "send-back": ("submitted", "draft", "Send back to draft"),
    "approve": ("submitted", "approved", "Approve"),
    "reopen": ("approved", "draft", "Reopen as a draft"),
}


DONE = {"submit": "submitted", "send-back": "sent back", "approve": "approved", "reopen": "reopened"}


class HighlightStateRefused(ValueError):
    """The step cannot be taken from the report's state (a sentence for the page)."""


def _is_checker(account) -> bool:
    return bool(account is not None and account.is_active
                and (account.is_superuser or account.role in ("admin", "analyst")))


def can_edit_highlight(account, programme) -> bool:
    """Analysts and admins; a manager who owns at least one of the programme's actions."""
    if account is None or not account.is_active:
        return False
    if _is_checker(account):
        return True
    from csc_scorecard.plans.models import ActionOwner

    return account.role == "manager" and ActionOwner.objects.filter(
        account=account, action__objective__programme=programme).exists()


def can_read_highlight(account) -> bool:
    """The editor shows unsuppressed figures: every role but viewers."""
    return bool(account is not None and account.is_active
                and (account.is_superuser or account.role in ("admin", "analyst", "manager")))


def submitted_by(report) -> Any:
    """The account that last submitted the report (from its history), or None."""
    if report is None or report.pk is None:
        return None
    row = report.history.filter(state="submitted").order_by("-history_date", "-history_id").first()
    return row.history_user if row is not None else None


def _may_take(account, programme, report, step: str) -> bool:
    if step == "submit":
        return can_edit_highlight(account, programme)
    if step == "send-back":
        submitter = submitted_by(report)
        return _is_checker(account) or (submitter is not None and submitter == account)
    if step == "approve":
        return _is_checker(account) and submitted_by(report) != account
    return _is_checker(account)  # reopen


def allowed_steps(account, programme, report) -> list[tuple[str, str]]:
    """(step, button text) the account may take on the report now."""
    if report is None or report.pk is None:
        return []  # nothing to submit until a draft is saved
    state = report.state
    return [(step, label) for step, (source, _, label) in STEPS.items()
            if source == state and _may_take(account, programme, report, step)]


def _refuse(account, programme, what: str):
    from csc_scorecard.services.plans import PlanPermissionDenied

    who = account.username if account is not None else "no account"
    return PlanPermissionDenied(f"{who} may not {what} programme {programme.number}'s highlight report")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    from csc_scorecard.plans.rules import Direction, Status, parse_day
    from csc_scorecard.services.plans import PlanInputRefused

    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "report_date":
            if isinstance(value, dt.date) or value is None:
                out[key] = value
                continue
            text = str(value).strip()
            try:
                out[key] = parse_day(text) if text else None
            except ValueError:
                errors[key] = f"Not a date: {text[:40]!r}; expected 2025-04-14 or 14/04/2025"
            continue
        text = str(value if value is not None else "").strip()
        if len(text) > MAX_SECTION:
            errors[key] = f"Keep it under {MAX_SECTION:,} characters (this is {len(text):,})"
        elif key == "status" and text:
            try:
                out[key] = str(Status.parse(text))
            except ValueError as exc:
                errors[key] = str(exc)[:1].upper() + str(exc)[1:]
        elif key == "trend" and text:
            try:
                out[key] = str(Direction.parse(text))
            except ValueError as exc:
                errors[key] = str(exc)[:1].upper() + str(exc)[1:]
        else:
            out[key] = text
    if errors:
        raise PlanInputRefused(errors)
    return out


def _find(programme, period: str):
    from csc_scorecard.periods import parse_period
    from csc_scorecard.plans.models import HighlightReport

    label = parse_period(period).label
    return HighlightReport.objects.filter(programme=programme, period=label).first() or HighlightReport(
        programme=programme, period=label)


def _save(report, account, reason: str) -> None:
    report._history_user = account
    report._change_reason = reason
    report.save()


def take_step(account, programme, period: str, step: str):
    """Move the report along its workflow (see the table above); returns it."""
    report = _find(programme, period)
    if step not in STEPS:
        raise HighlightStateRefused(f"There is no step {step!r}; expected one of {', '.join(STEPS)}")
    source, target, _ = STEPS[step]
    # who first (a refusal says nothing about the report), then whether the step fits its state
    if not _may_take(account, programme, report, step):
        if step == "approve" and _is_checker(account):
            raise _refuse(account, programme, "approve their own submission of")
        raise _refuse(account, programme, step.replace("-", " "))
    if report.state != source:
        raise HighlightStateRefused(
            f"The report is {report.state if report.pk else 'not started'}, so it cannot be "
            f"{DONE[step]}: only a {source} report can")
    if report.pk is None:
        raise HighlightStateRefused("Nothing is saved for this period yet: save the draft first")
    report.state = target
    _save(report, account, f"highlight report {step.replace('-', ' ')} by {account.username}")
    return report


def save_highlight(account, programme, period: str, **fields: Any):
    """Write the author's prose of a programme's highlight report for a period (kept in its history).

    The prose changes only while the report is a draft.  ``state``, when given
    and different, is reached by the workflow's step (and its rules).
    """
    if not can_edit_highlight(account, programme):
        raise _refuse(account, programme, "write")
    unknown = set(fields) - set(HIGHLIGHT_FIELDS)
    if unknown:
        raise ValueError(f"a highlight report has no {', '.join(sorted(unknown))}")
    state = fields.pop("state", None)
    if state is not None and state not in STATES:
        raise ValueError("state must be draft, submitted or approved")
    report = _find(programme, period)
    cleaned = _clean(fields)
    changed = {k: v for k, v in cleaned.items() if getattr(report, k) != v}
    if changed:
        if report.state != "draft":
            raise HighlightStateRefused(
                f"The report is {report.state}: send it back to draft (or reopen it) to change it")
        for key, value in changed.items():
            setattr(report, key, value)
        _save(report, account, f"highlight report written by {account.username}")
    elif report.pk is None:
        _save(report, account, f"highlight report started by {account.username}")
    if state is not None and state != report.state:
        step = next((s for s, (a, b, _) in STEPS.items() if a == report.state and b == state), None)
        if step is None:
            raise HighlightStateRefused(f"A {report.state} report cannot become {state} in one step")
        report = take_step(account, programme, period, step)
    return report


# --------------------------------------------------------------------------
# The editor page: the stored prose, what the plan offers, the outcome measures
# --------------------------------------------------------------------------


def period_choices(programme) -> list[str]:
    """Quarters to write a report for: the stored results' quarters, the programme's reports'
    periods, the current quarter and the one before; latest first."""
    from csc_scorecard.periods import PeriodError, parse_period, quarter_of
    from csc_scorecard.plans.highlight import previous_report_period
    from csc_scorecard.services.scorecard_page import period_choices as stored

    now = parse_period(quarter_of(dt.date.today()))
    labels = {now.label, previous_report_period(now).label}
    labels |= {label for heading, group in stored() if heading == "Quarters" for label in group}
    labels |= set(programme.highlights.values_list("period", flat=True))
    periods = []
    for label in labels:
        try:
            periods.append(parse_period(label))
        except PeriodError:
            continue
    return [p.label for p in sorted(periods, key=lambda p: (p.end, p.start), reverse=True)]


def _outcomes(programme, period) -> tuple[list[str], list[dict[str, str]], list[str]]:
    """The outcome-measures table exactly as the document builds it (columns, rows, notes)."""
    from csc_scorecard.plans.highlight import outcome_table
    from csc_scorecard.services.plans import PlanNotFound, _results_council

    notes: list[str] = []
    try:
        la_code = _results_council(None)
    except (PlanNotFound, LookupError, ValueError) as exc:
        la_code = None
        notes.append(f"Catalogue figures cannot be read: {exc}")
    table = outcome_table(programme, period, la_code)
    rows = []
    for cells in table.rows:
        texts = [c.text for c in cells]
        rag = (cells[-1].css or "").removeprefix("rag-")
        rows.append({"measure": texts[0], "target": texts[1], "current": texts[2], "previous": texts[3],
                     "direction": texts[4], "rating": texts[5], "rag": rag if rag in "RAGB" and rag else ""})
    return table.columns, rows, notes + list(table.notes)


def _history(report) -> list[dict[str, Any]]:
    if report is None or report.pk is None:
        return []
    records = list(report.history.order_by("history_date", "history_id"))
    out = []
    for before, after in zip([None, *records], records, strict=False):
        if before is None:
            changed = ["started"]
        else:
            changed = [c.field.replace("_", " ") for c in after.diff_against(before).changes]
        out.append({"when": after.history_date, "state": after.state,
                    "who": after.history_user.username if after.history_user else "the system",
                    "changed": changed, "reason": after.history_change_reason or ""})
    return list(reversed(out))


def highlight_editor(account, programme, period_raw: str = "") -> dict[str, Any]:
    """Everything the editor shows for a programme and period (the latest choice by default)."""
    from csc_scorecard.periods import PeriodError, parse_period
    from csc_scorecard.plans.highlight import (
        NIL_RETURN,
        overdue_actions,
        overdue_entry,
        red_risks,
        risk_entry,
    )
    from csc_scorecard.plans.models import HighlightReport

    choices = period_choices(programme)
    notes = []
    try:
        period = parse_period(period_raw.strip()[:20]) if period_raw.strip() else None
    except PeriodError:
        period = None
        notes.append(f"{period_raw[:20]!r} is not a period; showing the latest instead.")
    if period is None:
        stored = [h.period for h in HighlightReport.objects.filter(programme=programme)]
        period = parse_period(next((c for c in choices if c in stored), choices[0]))
    if period.label not in choices:
        choices.insert(0, period.label)
    report = _find(programme, period.label)
    columns, rows, table_notes = _outcomes(programme, period)
    writer = can_edit_highlight(account, programme)
    return {
        "programme": programme, "plan": programme.plan, "period": period.label, "choices": choices,
        "report": report, "stored": report.pk is not None, "state": report.state,
        "values": {f: getattr(report, f) or "" for f in ("status", "trend", *PROSE_FIELDS)}
        | {"report_date": report.report_date.isoformat() if report.report_date else ""},
        "offered_slippage": [overdue_entry(a) for a in overdue_actions(programme, period.end)],
        "offered_risks": [risk_entry(r) for r in red_risks(programme)],
        "outcome_columns": columns, "outcome_rows": rows, "outcome_notes": table_notes,
        "can_write": writer and report.state == "draft", "writer": writer,
        "steps": allowed_steps(account, programme, report), "submitted_by": submitted_by(report),
        "history": _history(report), "notes": notes, "nil_return": NIL_RETURN,
        "as_at": period.end, "year": period.financial_year,
    }

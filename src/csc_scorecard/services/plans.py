"""Improvement plans for every front end: import, export, updates with permission, figures.

* :func:`import_plan_file` / :func:`export_plan_file` - the template (docs/plans.md),
  all or nothing, every problem located (sheet, row, column).
* :func:`import_measure_values` - local-measure values per period.
* :func:`update_action` - the one way a person changes an action: a manager
  may change only the actions they own; analysts and admins any; viewers none.
* :func:`measure_figure` - the stored figure of a catalogue indicator or a
  local measure for a period (what the highlight report's outcome table shows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied

__all__ = [
    "Figure",
    "PlanNotFound",
    "PlanInputRefused",
    "PlanPermissionDenied",
    "actions_linking",
    "add_progress_note",
    "can_enter_measures",
    "edit_action",
    "enter_measure_value",
    "can_edit_action",
    "can_edit_highlight",
    "save_highlight",
    "export_plan_file",
    "get_plan",
    "import_measure_values",
    "import_plan_file",
    "indicator_titles",
    "measure_figure",
    "write_plan_document",
    "update_action",
]


class PlanPermissionDenied(PermissionDenied, PermissionError):
    """The account may not change this part of a plan."""


class PlanNotFound(LookupError):
    pass


def _catalogue_ids() -> list[str]:
    from csc_scorecard.indicators.catalogue import get_catalogue

    return get_catalogue().ids()


def _reason(verb: str, source: str, author: str) -> str:
    return f"{verb} {source}" + (f" by {author}" if author else "")


def _check_importer(account) -> None:
    """A whole-plan import replaces every owner's actions: analysts and admins only.

    ``account`` None is a library call (the demo, tests), trusted as the caller.
    """
    if account is None:
        return
    if not (account.is_active and (account.is_superuser or account.role in ("admin", "analyst"))):
        raise PlanPermissionDenied(
            f"{account.username} may not import plans or measures: analysts and admins only "
            "(a manager updates the actions they own)")


def import_plan_file(path: Path | str, *, account=None, author: str = "", replace: bool = False):
    """Check the whole file, then store it in one transaction; raises PlanFileError, or
    WebChangesWouldBeLost when it would delete or change rows made in the browser (unless
    ``replace``)."""
    from csc_scorecard.accounts.models import User
    from csc_scorecard.plans.models import LocalMeasure
    from csc_scorecard.plans.store import store_plan
    from csc_scorecard.plans.template import read_sheets
    from csc_scorecard.plans.validate import validate_plan

    _check_importer(account)
    sheets = read_sheets(path)
    accounts = {u.username: u for u in User.objects.all()}
    parsed = validate_plan(sheets, catalogue_ids=_catalogue_ids(),
                           stored_measure_ids=LocalMeasure.objects.values_list("measure_id", flat=True),
                           accounts=accounts)
    who = author or (account.username if account else "")
    return store_plan(parsed, account=account, reason=_reason("import", Path(path).name, who),
                      accounts=accounts, replace=replace)


def _stored_decimals() -> dict[str, int]:
    from csc_scorecard.plans.models import LocalMeasure

    return dict(LocalMeasure.objects.values_list("measure_id", "decimals"))


def _store_measure_sheets(sheets, account, reason: str, *, replace: bool):
    from csc_scorecard.plans.store import store_plan
    from csc_scorecard.plans.validate import validate_measures

    decimals = _stored_decimals()
    parsed = validate_measures(sheets, catalogue_ids=_catalogue_ids(), stored_measure_ids=decimals,
                               measure_decimals=decimals)
    return store_plan(parsed, account=account, reason=reason, measures_only=True, replace=replace)


def import_measure_values(path: Path | str, *, account=None, author: str = "", replace: bool = False):
    """Local measures (optional ``measures`` sheet) and their values per period (values entered
    in the browser are not changed back unless ``replace``)."""
    from csc_scorecard.plans.template import read_sheets

    _check_importer(account)
    sheets = read_sheets(path, single_sheet="measure_values")
    who = author or (account.username if account else "")
    return _store_measure_sheets(sheets, account, _reason("measures import", Path(path).name, who),
                                 replace=replace)


MEASURE_FORM_FIELDS = ("period", "value", "numerator", "denominator", "source")


def can_enter_measures(account) -> bool:
    """Entering local-measure values, like ``measures import``: analysts and admins."""
    return bool(account is not None and account.is_active
                and (account.is_superuser or account.role in ("admin", "analyst")))


def enter_measure_value(account, measure_id: str, fields: dict[str, str]):
    """One local-measure value for a period from a form, through the checks of ``measures import``.

    Raises PlanPermissionDenied, PlanNotFound (no such measure) or PlanInputRefused
    (field -> message; nothing stored).  Entering a period again replaces its value.
    """
    from csc_scorecard.plans.models import LocalMeasure
    from csc_scorecard.plans.template import PlanFileError, Row, Sheets

    _check_importer(account)
    if not LocalMeasure.objects.filter(measure_id=measure_id).exists():
        raise PlanNotFound(f"no local measure {measure_id!r}")
    values = {k: str(fields.get(k, "") or "").strip() for k in MEASURE_FORM_FIELDS}
    too_long = {k: "Keep it under 300 characters" for k, v in values.items() if len(v) > 300}
    if too_long:
        raise PlanInputRefused(too_long)
    sheets = Sheets(source="the form",
                    rows={"measure_values": [Row("measure_values", 1, {"measure_id": measure_id, **values})]})
    who = account.username if account else ""
    try:
        # the page changes what it shows, browser-made or not: no import's guard here
        return _store_measure_sheets(sheets, account, f"entered on the measures page by {who}",
                                     replace=True)
    except PlanFileError as exc:
        errors: dict[str, str] = {}
        for problem in exc.problems:
            field = problem.column if problem.column in MEASURE_FORM_FIELDS else "value"
            message = f"Enter the {field}" if problem.message == "is required" else problem.message
            errors.setdefault(field, _sentence(message))
        raise PlanInputRefused(errors) from None


def get_plan(reference: str):
    from csc_scorecard.plans.models import Plan

    plan = Plan.objects.filter(reference=reference).first()
    if plan is None:
        known = ", ".join(Plan.objects.values_list("reference", flat=True)) or "none stored"
        raise PlanNotFound(f"no plan {reference!r} (plans: {known})")
    return plan


def actions_linking(indicator_ids: Iterable[str]) -> list:
    """Every plan action that links any of the indicators (by id), in plan order: plan,
    programme, objective, position. The committee documents list them beside a figure."""
    from csc_scorecard.plans.models import Action

    wanted = set(indicator_ids)
    if not wanted:
        return []
    actions = (Action.objects.select_related("objective__programme__plan")
               .prefetch_related("owners__account")
               .order_by("objective__programme__plan__reference", "objective__programme__number",
                         "objective__letter", "position", "id"))
    return [a for a in actions if wanted & set(a.indicators or [])]


def export_plan_file(reference: str, out: Path | str) -> Path:
    from csc_scorecard.plans.store import dump_plan
    from csc_scorecard.plans.template import write_xlsx

    return write_xlsx(dump_plan(get_plan(reference)), out)


# --------------------------------------------------------------------------
# Changing an action: the permission rule lives here, for every front end
# --------------------------------------------------------------------------

ACTION_FIELDS = ("text", "success", "kpi", "outcome", "status", "direction", "deadline")
# the longest text a form may store in one field: a page of prose is far less than this
MAX_TEXT = 10_000


class PlanInputRefused(ValueError):
    """What a person typed cannot be stored: field -> message (nothing was changed)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def can_edit_action(account, action) -> bool:
    if account is None or not account.is_active:
        return False
    if account.is_superuser or account.role in ("admin", "analyst"):
        return True
    if account.role == "manager":
        return action.owners.filter(account=account).exists()
    return False


def _check(account, action) -> None:
    if not can_edit_action(account, action):
        who = account.username if account is not None else "no account"
        raise PlanPermissionDenied(
            f"{who} may not change action {action.reference}: a manager may change only the "
            "actions they own")


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def _action_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The model fields to set, checked; raises PlanInputRefused naming each bad field."""
    from csc_scorecard.plans.rules import Deadline, Direction, Status, parse_deadline

    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "deadline":
            try:
                deadline = value if isinstance(value, Deadline) else (
                    Deadline(None, "") if value is None else parse_deadline(value))
            except ValueError as exc:
                errors[key] = _sentence(str(exc))
                continue
            out["deadline"], out["deadline_precision"] = deadline.due, deadline.precision
            continue
        text = str(value if value is not None else "").strip()
        if len(text) > MAX_TEXT:
            errors[key] = f"Keep it under {MAX_TEXT:,} characters (this is {len(text):,})"
        elif key == "status":
            try:
                out[key] = str(Status.parse(text))
            except ValueError as exc:
                errors[key] = _sentence(str(exc))
        elif key == "direction":
            try:
                out[key] = str(Direction.parse(text))
            except ValueError as exc:
                errors[key] = _sentence(str(exc))
        elif key == "text" and not text:
            errors[key] = "An action needs its text"
        else:
            out[key] = text
    if errors:
        raise PlanInputRefused(errors)
    return out


def update_action(account, action, **changes: Any):
    """Change an action's fields (see ACTION_FIELDS) with the account kept in its history.

    A deadline is given as text ("Mar-25", "2025-03-14", "Ongoing") or a Deadline.
    Nothing is saved (and no history written) when nothing changes.
    """
    _check(account, action)
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))} of an action here")
    fields = _action_changes(changes)
    changed = {k: v for k, v in fields.items() if getattr(action, k) != v}
    if not changed:
        return action
    for key, value in changed.items():
        setattr(action, key, value)
    action._history_user = account
    action._change_reason = f"updated by {account.username}"
    action.save()
    return action


def add_progress_note(account, action, text: str, day: dt.date | str | None = None):
    """A dated progress note on an action; the day may be a date or text (2025-03-14, 14/03/2025)."""
    from csc_scorecard.plans.models import ProgressNote
    from csc_scorecard.plans.rules import parse_day

    _check(account, action)
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["note"] = "Write the progress note"
    elif len(text) > MAX_TEXT:
        errors["note"] = f"Keep the note under {MAX_TEXT:,} characters (this is {len(text):,})"
    if isinstance(day, str):
        typed = day.strip()
        try:
            day = parse_day(typed) if typed else None
        except ValueError:  # parse_day's message speaks of deadlines; a note has a day
            errors["note_date"] = f"Not a date: {typed[:40]!r}; expected 2025-03-14 or 14/03/2025"
    if isinstance(day, dt.date) and day > dt.date.today():
        errors["note_date"] = "A progress note cannot be dated in the future"
    if errors:
        raise PlanInputRefused(errors)
    note = ProgressNote(action=action, text=text, date=day or dt.date.today(), author=account.username)
    note._history_user = account
    note._change_reason = f"note by {account.username}"
    note.save()
    return note


EDIT_FORM_FIELDS = ("status", "direction", "outcome", "deadline", "note", "note_date")


def edit_action(account, action, form: dict[str, str]):
    """The action page's form: status, direction, outcome, deadline and an optional dated note,
    stored together or not at all.  Raises PlanPermissionDenied or PlanInputRefused (every
    bad field at once)."""
    from django.db import transaction

    _check(account, action)
    values = {k: str(form.get(k, "") or "") for k in EDIT_FORM_FIELDS}
    errors: dict[str, str] = {}
    with transaction.atomic():
        try:
            update_action(account, action, **{k: values[k] for k in ("status", "direction", "outcome",
                                                                         "deadline")})
        except PlanInputRefused as refused:
            errors.update(refused.errors)
        if values["note"].strip() or values["note_date"].strip():
            try:
                add_progress_note(account, action, values["note"], values["note_date"])
            except PlanInputRefused as refused:
                errors.update(refused.errors)
        if errors:
            transaction.set_rollback(True)
    if errors:
        action.refresh_from_db()
        raise PlanInputRefused(errors)
    return action


# --------------------------------------------------------------------------
# Figures: read, never computed here
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    measure_id: str
    title: str
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str
    polarity: str
    decimals: int
    local: bool
    source: str = ""


def _stored_result(indicator_id: str, period: str, la_code: str | None) -> dict | None:
    """The stored all-children result of a catalogue indicator (services.results, the one reader)."""
    from csc_scorecard.services.results import stored_values

    frame = stored_values(period, la_code=la_code, breakdown="all", indicator_ids=[indicator_id])
    if frame.height == 0:
        return None
    return frame.row(0, named=True)


def indicator_titles(ids: list[str]) -> list[str]:
    """Readable names of linked indicators: the catalogue's titles, local measures marked LOCAL."""
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.plans.models import LocalMeasure

    catalogue = get_catalogue()
    local = dict(LocalMeasure.objects.filter(measure_id__in=ids).values_list("measure_id", "title"))
    return [catalogue[i].title if i in catalogue else f"{local[i]} (local)" if i in local else i for i in ids]


def measure_figure(measure_id: str, period: str, *, la_code: str | None = None) -> Figure | None:
    """The figure of a linked indicator for a period: a stored result or a local-measure value."""
    from csc_scorecard.plans.models import LocalMeasure, LocalMeasureValue

    local = LocalMeasure.objects.filter(measure_id=measure_id).first()
    if local is not None:
        row = LocalMeasureValue.objects.filter(measure=local, period=period).first()
        return Figure(measure_id, local.title, period, row.value if row else None,
                      row.numerator if row else None, row.denominator if row else None,
                      local.unit, local.polarity, local.decimals, True, row.source if row else "")
    from csc_scorecard.indicators.catalogue import get_catalogue

    catalogue = get_catalogue()
    if measure_id not in catalogue:
        return None
    entry = catalogue[measure_id]
    row = _stored_result(measure_id, period, la_code)
    return Figure(measure_id, entry.title, period, row["value"] if row else None,
                  row["numerator"] if row else None, row["denominator"] if row else None,
                  entry.unit, entry.polarity, entry.decimals, False)


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------


def find_programme(number: int, plan: str | None = None):
    from csc_scorecard.plans.models import Programme

    found = Programme.objects.filter(number=number).select_related("plan")
    if plan:
        found = found.filter(plan__reference=plan)
    hits = list(found)
    if not hits:
        raise PlanNotFound(f"no programme {number}" + (f" in plan {plan!r}" if plan else " in any plan"))
    if len(hits) > 1:
        raise PlanNotFound(f"programme {number} is in several plans ("
                           + ", ".join(p.plan.reference for p in hits) + "); choose one with --plan")
    return hits[0]


def _results_council(la_code: str | None) -> str | None:
    """The council whose stored results the outcome tables read (the one council rule);
    None when no result is stored at all (local measures still show)."""
    from csc_scorecard.services.results import NoResults, result_councils, results_council

    if not la_code and not result_councils():
        return None
    try:
        return results_council(la_code)
    except NoResults as exc:
        raise PlanNotFound(str(exc)) from None


def write_plan_document(kind: str, out_dir: Path | str, *, plan: str | None = None,
                        programme: int | None = None, period: str | None = None,
                        la_code: str | None = None, on: dt.date | None = None,
                        draft: bool = True) -> dict[str, Path]:
    """Build and write one plan document (highlight, plan-summary, action-plan, risks)."""
    from csc_scorecard.plans import documents, highlight

    if kind == "highlight":
        report = highlight.build_highlight(find_programme(programme or 0, plan), period or "",
                                           la_code=_results_council(la_code), draft=draft)
    elif kind == "plan-summary":
        report = highlight.build_plan_summary(get_plan(plan or ""), period or "", draft=draft)
    elif kind == "action-plan":
        report = documents.build_action_plan(get_plan(plan or ""), on=on, draft=draft)
    elif kind == "risks":
        report = documents.build_risk_register(get_plan(plan or ""), on=on, draft=draft)
    else:
        raise ValueError(f"unknown plan document {kind!r}")
    return documents.write_plan_report(report, out_dir)


# the highlight report's prose and workflow live in services.highlights; named here too
from csc_scorecard.services.highlights import can_edit_highlight, save_highlight  # noqa: E402

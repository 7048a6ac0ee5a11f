"""What the plans pages show: plans, programmes with their actions, an action with its history,
the risk register (sorted and filtered on the server) and the local measures.

Reads only; every change goes through :mod:`csc_scorecard.services.plans` (actions,
measure values) or :mod:`csc_scorecard.services.highlights` (highlight reports), which
hold the permission rules.  Statuses, directions and bands are given in words here, so
a page never shows a colour alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from csc_scorecard.plans import models as m
from csc_scorecard.plans.rules import Direction, RiskBand, Status
from csc_scorecard.services.plans import PlanNotFound, can_edit_action, get_plan

__all__ = [
    "RISK_COLUMNS", "ActionRow", "action_page", "action_row", "can_read_plans", "find_action",
    "find_programme", "measure_page", "measures_page", "plan_page", "plans_list", "programme_page",
    "risk_register",
]


def can_read_plans(account) -> bool:
    """Plans, actions and risks hold no child data: every signed-in, active account reads them."""
    return bool(account is not None and getattr(account, "is_active", False))


@dataclass
class LinkedIndicator:
    ident: str
    title: str
    local: bool


@dataclass
class ActionRow:
    id: int
    reference: str
    number: str
    text: str
    owners: list[str]
    deadline: str
    status: str
    status_label: str
    direction: str
    direction_label: str
    overdue: bool
    success: str
    kpi: str
    outcome: str
    recommendations: list[str]
    indicators: list[LinkedIndicator] = field(default_factory=list)
    notes: list[m.ProgressNote] = field(default_factory=list)  # newest first
    can_edit: bool = False


def _linked(ids: list[str]) -> list[LinkedIndicator]:
    from csc_scorecard.services.plans import indicator_titles

    local = set(m.LocalMeasure.objects.filter(measure_id__in=ids).values_list("measure_id", flat=True))
    return [LinkedIndicator(i, t, i in local) for i, t in zip(ids, indicator_titles(ids), strict=True)]


def action_row(action: m.Action, account, on: dt.date, *, notes: int = 2) -> ActionRow:
    """One action as the pages show it; ``notes`` latest progress notes (0 for all)."""
    recorded = sorted(action.notes.all(), key=lambda n: (n.date, n.id), reverse=True)
    return ActionRow(
        id=action.id, reference=action.reference, number=action.number, text=action.text,
        owners=action.owner_names, deadline=action.deadline_info.text, status=action.status,
        status_label=Status(action.status).label, direction=action.direction,
        direction_label=Direction(action.direction).label, overdue=action.is_overdue(on),
        success=action.success, kpi=action.kpi, outcome=action.outcome,
        recommendations=list(action.recommendations), indicators=_linked(list(action.indicators)),
        notes=recorded[:notes] if notes else recorded, can_edit=can_edit_action(account, action))


def _actions_of(queryset):
    return queryset.select_related("objective__programme__plan").prefetch_related("owners__account", "notes")


def _latest_highlight(programme: m.Programme) -> m.HighlightReport | None:
    from csc_scorecard.periods import PeriodError, parse_period

    def end(h: m.HighlightReport) -> dt.date:
        try:
            return parse_period(h.period).end
        except PeriodError:
            return dt.date.min

    reports = list(programme.highlights.all())
    return max(reports, key=end) if reports else None


def plans_list(on: dt.date | None = None) -> list[dict[str, Any]]:
    on = on or dt.date.today()
    out = []
    for plan in m.Plan.objects.prefetch_related("programmes"):
        actions = list(m.Action.objects.filter(objective__programme__plan=plan))
        risks = list(m.Risk.objects.filter(programme__plan=plan))
        out.append({"plan": plan, "programmes": plan.programmes.count(), "actions": len(actions),
                    "overdue": sum(a.is_overdue(on) for a in actions),
                    "complete": sum(a.status == Status.B for a in actions),
                    "red_risks": sum(r.band.red for r in risks)})
    return out


def plan_page(reference: str, on: dt.date | None = None) -> dict[str, Any]:
    """A plan and its programmes, each with its actions, overdue count and latest highlight status."""
    on = on or dt.date.today()
    plan = get_plan(reference)
    programmes = []
    for programme in plan.programmes.prefetch_related("highlights", "risks"):
        actions = list(m.Action.objects.filter(objective__programme=programme))
        latest = _latest_highlight(programme)
        programmes.append({
            "programme": programme, "actions": len(actions),
            "overdue": sum(a.is_overdue(on) for a in actions),
            "red_risks": sum(r.band.red for r in programme.risks.all()),
            "highlight": latest,
            "status_label": Status(latest.status).label if latest and latest.status else "Not rated yet",
            "trend_label": Direction(latest.trend).label if latest and latest.trend else "Not given",
        })
    return {"plan": plan, "programmes": programmes, "on": on}


def find_programme(reference: str, number: int) -> m.Programme:
    plan = get_plan(reference)
    programme = plan.programmes.filter(number=number).first()
    if programme is None:
        raise PlanNotFound(f"no programme {number} in plan {reference!r}")
    return programme


def programme_page(account, reference: str, number: int, on: dt.date | None = None) -> dict[str, Any]:
    """A programme with its objectives and their actions (owners, deadline, status, notes)."""
    from csc_scorecard.services.highlights import can_read_highlight

    on = on or dt.date.today()
    programme = find_programme(reference, number)
    objectives = []
    for objective in programme.objectives.all():
        rows = [action_row(a, account, on) for a in _actions_of(objective.actions.all())]
        objectives.append({"objective": objective, "actions": rows})
    every = [a for o in objectives for a in o["actions"]]
    return {"plan": programme.plan, "programme": programme, "objectives": objectives, "on": on,
            "overdue": sum(a.overdue for a in every), "total": len(every),
            "can_open_highlight": can_read_highlight(account)}


def find_action(action_id: int) -> m.Action:
    action = _actions_of(m.Action.objects.filter(pk=action_id)).first()
    if action is None:
        raise PlanNotFound(f"no action {action_id}")
    return action


def _shown(name: str, value: Any) -> str:
    """A history value in words: status and direction as their labels, a blank as "none"."""
    if value in (None, ""):
        return "none"
    if name == "status":
        return Status(value).label
    if name == "direction":
        return Direction(value).label
    if isinstance(value, dt.date):
        return f"{value:%d %B %Y}"
    return str(value)


def action_history(action: m.Action) -> list[dict[str, Any]]:
    """Every change to the action and its notes and owners: when, who, what (newest first)."""
    events: list[dict[str, Any]] = []
    records = list(action.history.order_by("history_date", "history_id"))
    for before, after in zip([None, *records], records, strict=False):
        who = after.history_user.username if after.history_user else "the system"
        if before is None or after.history_type == "+":
            changes = ["created"]
        else:
            delta = after.diff_against(before)
            changes = [f"{c.field.replace('_', ' ')}: {_shown(c.field, c.old)} → {_shown(c.field, c.new)}"
                       for c in delta.changes if c.field not in ("position",)]
        if changes:
            events.append({"when": after.history_date, "who": who, "changes": changes,
                           "reason": after.history_change_reason or ""})
    for note in m.ProgressNote.history.filter(action_id=action.id):
        verb = {"+": "progress note added", "~": "progress note changed", "-": "progress note removed"}
        events.append({"when": note.history_date,
                       "who": note.history_user.username if note.history_user else "the system",
                       "changes": [f"{verb[note.history_type]} ({note.date:%d %B %Y}): {note.text}"],
                       "reason": note.history_change_reason or ""})
    for owner in m.ActionOwner.history.filter(action_id=action.id).exclude(history_type="~"):
        name = owner.name or (f"@{owner.account.username}" if owner.account_id and owner.account else "an account")
        events.append({"when": owner.history_date,
                       "who": owner.history_user.username if owner.history_user else "the system",
                       "changes": [f"owner {'added' if owner.history_type == '+' else 'removed'}: {name}"],
                       "reason": owner.history_change_reason or ""})
    return sorted(events, key=lambda e: e["when"], reverse=True)


def action_page(account, action_id: int, on: dt.date | None = None) -> dict[str, Any]:
    on = on or dt.date.today()
    action = find_action(action_id)
    return {"action": action, "row": action_row(action, account, on, notes=0),
            "programme": action.objective.programme, "plan": action.objective.programme.plan,
            "objective": action.objective, "history": action_history(action), "on": on}


def action_form(action: m.Action) -> dict[str, str]:
    """The edit form's starting values."""
    return {"status": action.status, "direction": action.direction, "outcome": action.outcome,
            "deadline": action.deadline_info.value or "Ongoing", "note": "", "note_date": ""}


# --------------------------------------------------------------------------
# The risk register
# --------------------------------------------------------------------------

# key -> heading; the order is the table's
RISK_COLUMNS = [("ref", "Ref"), ("risk", "Risk"), ("owner", "Owner"), ("likelihood", "Likelihood"),
                ("impact", "Impact"), ("score", "Score"), ("band", "Band"), ("review", "Review date"),
                ("trend", "Trend")]
BANDS = [b.value for b in RiskBand]


def _risk_row(risk: m.Risk, on: dt.date) -> dict[str, Any]:
    band = risk.band
    return {
        "risk": risk, "ref": f"{risk.programme.number}.{risk.number}",
        "ref_key": (risk.programme.number, risk.number), "text": risk.risk,
        "programme": risk.programme, "owner": risk.owner, "likelihood": risk.likelihood,
        "impact": risk.impact, "score": risk.score, "band": band.value, "band_label": band.label,
        "band_tag": "red" if band.red else "orange" if band is RiskBand.MEDIUM else "green",
        "review": risk.review_date,
        "review_overdue": bool(risk.review_date and risk.review_date < on),
        "trend": risk.trend, "impacts": risk.impacts, "mitigations": risk.mitigations,
    }


def _sort_key(key: str):
    """(is blank, value) so blanks sort last either way round."""
    def blank_last(row: dict[str, Any]):
        if key == "ref":
            return (False, row["ref_key"])
        if key == "band":  # the matrix order, which is the score's
            return (False, (BANDS.index(row["band"]), row["score"]))
        if key == "risk":
            return (not row["text"], row["text"].lower())
        value = row[key]
        if isinstance(value, str):
            return (not value, value.lower())
        return (value is None, value if value is not None else 0)
    return blank_last


def risk_register(reference: str, *, sort: str = "", order: str = "", band: str = "", owner: str = "",
                  min_score: str = "", on: dt.date | None = None) -> dict[str, Any]:
    """All risks of a plan, filtered by band, owner and minimum score, sorted by any column.

    Default order: highest score first (as the risk register document).  Unknown sort
    keys and filter values are ignored, as on the scorecard page.
    """
    on = on or dt.date.today()
    plan = get_plan(reference)
    rows = [_risk_row(r, on) for r in m.Risk.objects.filter(programme__plan=plan).select_related("programme")]
    owners = sorted({r["owner"] for r in rows if r["owner"]}, key=str.lower)
    filters = {"band": band if band in BANDS else "", "owner": owner if owner in owners else "",
               "min_score": ""}
    if min_score.strip().isdigit() and 1 <= int(min_score.strip()) <= 25:
        filters["min_score"] = str(int(min_score.strip()))
    shown = [r for r in rows
             if (not filters["band"] or r["band"] == filters["band"])
             and (not filters["owner"] or r["owner"] == filters["owner"])
             and (not filters["min_score"] or r["score"] >= int(filters["min_score"]))]
    keys = {k for k, _ in RISK_COLUMNS}
    sort = sort if sort in keys else ""
    order = order if order in ("asc", "desc") else "asc"
    if sort:
        present = [r for r in shown if not _sort_key(sort)(r)[0]]
        blanks = [r for r in shown if _sort_key(sort)(r)[0]]
        present.sort(key=lambda r: (_sort_key(sort)(r)[1], r["ref_key"]), reverse=order == "desc")
        shown = present + sorted(blanks, key=lambda r: r["ref_key"])
    else:
        shown.sort(key=lambda r: (-r["score"], r["ref_key"]))
    return {"plan": plan, "rows": shown, "total": len(rows), "filters": filters, "sort": sort,
            "order": order, "columns": RISK_COLUMNS, "owners": owners,
            "bands": [(b.value, b.label) for b in RiskBand], "on": on}


# --------------------------------------------------------------------------
# Local measures
# --------------------------------------------------------------------------


def _by_period(values) -> list[m.LocalMeasureValue]:
    from csc_scorecard.periods import PeriodError, parse_period

    def end(v: m.LocalMeasureValue) -> tuple[dt.date, dt.date]:
        try:
            p = parse_period(v.period)
            return (p.end, p.start)
        except PeriodError:
            return (dt.date.min, dt.date.min)

    return sorted(values, key=end, reverse=True)


def measures_page() -> list[dict[str, Any]]:
    from csc_scorecard.plans.highlight import fmt

    out = []
    for measure in m.LocalMeasure.objects.prefetch_related("values"):
        values = _by_period(measure.values.all())
        latest = values[0] if values else None
        out.append({"measure": measure, "count": len(values), "latest": latest,
                    "latest_shown": fmt(latest.value, measure.unit, measure.decimals) if latest else ""})
    return out


def measure_page(measure_id: str) -> dict[str, Any]:
    measure = m.LocalMeasure.objects.filter(measure_id=measure_id).first()
    if measure is None:
        raise PlanNotFound(f"no local measure {measure_id!r}")
    from csc_scorecard.plans.highlight import fmt

    values = [{"value": v, "shown": fmt(v.value, measure.unit, measure.decimals)}
              for v in _by_period(measure.values.all())]
    history = [{"when": h.history_date, "who": h.history_user.username if h.history_user else "the system",
                "period": h.period, "value": h.value, "source": h.source,
                "what": {"+": "entered", "~": "changed", "-": "removed"}[h.history_type],
                "reason": h.history_change_reason or ""}
               for h in m.LocalMeasureValue.history.filter(measure_id=measure.id).order_by("-history_date")[:50]]
    return {"measure": measure, "values": values, "history": history}

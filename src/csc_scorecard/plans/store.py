"""Store a checked plan (one transaction) and dump a stored plan back to the template's rows.

A plan is matched by its reference; programmes by number, objectives by
letter, actions by number within their objective, risks by number within
their programme, highlight reports by programme and period.  A row that is
unchanged is not saved again (so the history shows real changes only); a
stored item the file no longer has is deleted (the history keeps it).
Progress notes are matched by action, date and text.

Rows added or changed in the browser (progress notes, tracker updates, a status
set by hand) are not in a file exported before they were made. An import that
would delete such a row (directly, or with what it belongs to) or change it back
is refused with the list of them (:class:`WebChangesWouldBeLost`) unless ``replace`` is given:
export first and add them to the file, or import with ``--replace``. A row whose
latest history entry was written by an import ("import FILE ...") is the file's
to delete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from csc_scorecard.plans import models as m
from csc_scorecard.plans.rules import Deadline
from csc_scorecard.plans.validate import ParsedPlan

__all__ = ["StoreSummary", "WebChangesWouldBeLost", "dump_plan", "store_measures", "store_plan"]


@dataclass
class StoreSummary:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    plan_reference: str = ""
    counts: dict[str, int] = field(default_factory=dict)


class WebChangesWouldBeLost(Exception):
    """The import would delete rows made or changed in the browser since they were imported."""

    def __init__(self, rows: list[str]):
        self.rows = rows
        shown = "".join(f"\n  - {r}" for r in rows[:20])
        more = f"\n  ... and {len(rows) - 20} more" if len(rows) > 20 else ""
        super().__init__(
            f"the file would delete or change {len(rows)} row{'s' if len(rows) != 1 else ''} added or "
            f"changed in the browser since the last import:{shown}{more}\nNothing was changed. Export "
            "first (the export has them), edit that file and import it, or import with --replace to "
            "let the file win (the history keeps what it replaces).")


# how the imports' history entries begin (services: "import FILE by WHO", "measures import FILE")
IMPORT_REASONS = ("import ", "measures import ")


def _made_in_browser(obj) -> str:
    """A description of a row last changed outside an import, or "" for the file's own rows."""
    history = getattr(obj, "history", None)
    latest = history.first() if history is not None else None  # simple-history: newest first
    if latest is None or (latest.history_change_reason or "").startswith(IMPORT_REASONS):
        return ""
    who = latest.history_user.username if latest.history_user is not None else "someone"
    when = latest.history_date
    how = f": {latest.history_change_reason}" if latest.history_change_reason else ""
    return (f"{obj._meta.verbose_name} \"{str(obj)[:80]}\", changed {when.day} {when:%B %Y} "
            f"by {who}{how}")


class _Writer:
    def __init__(self, account, reason: str, summary: StoreSummary, *, replace: bool = False) -> None:
        self.account = account
        self.reason = reason
        self.summary = summary
        self.replace = replace
        self.browser_rows: list[str] = []  # what the deletions would lose (see the module)

    def refuse_lost_browser_rows(self) -> None:
        """Raise WebChangesWouldBeLost (inside the transaction, so nothing is kept) when
        deleting lost rows made in the browser and ``replace`` was not given."""
        if self.browser_rows and not self.replace:
            raise WebChangesWouldBeLost(self.browser_rows)

    def _mark(self, obj) -> None:
        obj._history_user = self.account
        obj._change_reason = self.reason

    def put(self, model, lookup: dict[str, Any], values: dict[str, Any]):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            self._mark(obj)
            obj.save()
            self.summary.created += 1
            return obj
        if all(getattr(obj, k) == v for k, v in values.items()):
            self.summary.unchanged += 1
            return obj
        if not self.replace and (made := _made_in_browser(obj)):
            self.browser_rows.append(f"{made} (the file would change it)")
        for k, v in values.items():
            setattr(obj, k, v)
        self._mark(obj)
        obj.save()
        self.summary.updated += 1
        return obj

    def delete_except(self, queryset, keep_ids: set[int]) -> None:
        for obj in queryset.exclude(id__in=keep_ids):
            if not self.replace:
                self.browser_rows.extend(_lost_with(obj))
            self._mark(obj)
            obj.delete()
            self.summary.deleted += 1


Writer = _Writer  # the scrutiny import stores its rows the same way


def _lost_with(obj) -> list[str]:
    """The rows made in the browser that deleting ``obj`` would delete: itself, and what
    cascades with it (a programme's actions and their notes, a meeting's tracker ...)."""
    from django.db import router
    from django.db.models.deletion import Collector

    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    found = []
    for instances in collector.data.values():
        found.extend(filter(None, map(_made_in_browser, instances)))
    return found


def _owners(writer: _Writer, action: m.Action, owners: list[str], accounts: dict[str, Any]) -> None:
    keep: set[int] = set()
    for entry in owners:
        if entry.startswith("@"):
            owner = writer.put(m.ActionOwner, {"action": action, "account": accounts[entry[1:]], "name": ""}, {})
        else:
            owner = writer.put(m.ActionOwner, {"action": action, "account": None, "name": entry}, {})
        keep.add(owner.id)
    writer.delete_except(action.owners.all(), keep)


def store_measures(parsed: ParsedPlan, writer: _Writer) -> None:
    measures = {}
    for spec in parsed.measures:
        ident = spec["measure_id"]
        measures[ident] = writer.put(m.LocalMeasure, {"measure_id": ident},
                                     {k: v for k, v in spec.items() if k != "measure_id"})
    for spec in parsed.measure_values:
        measure = measures.get(spec["measure_id"]) or m.LocalMeasure.objects.get(measure_id=spec["measure_id"])
        writer.put(m.LocalMeasureValue, {"measure": measure, "period": spec["period"]},
                   {k: spec[k] for k in ("value", "numerator", "denominator", "source")})


def store_plan(parsed: ParsedPlan, *, account=None, reason: str = "", accounts: dict[str, Any] | None = None,
               measures_only: bool = False, replace: bool = False) -> StoreSummary:
    summary = StoreSummary()
    writer = _Writer(account, reason, summary, replace=replace)
    with transaction.atomic():
        store_measures(parsed, writer)
        if measures_only:
            writer.refuse_lost_browser_rows()
            return summary
        p = parsed.plan
        plan = writer.put(m.Plan, {"reference": p["reference"]},
                          {k: p[k] for k in ("title", "period", "governing_body")})
        summary.plan_reference = plan.reference
        programmes: dict[int, m.Programme] = {}
        for spec in parsed.programmes:
            programmes[spec["number"]] = writer.put(
                m.Programme, {"plan": plan, "number": spec["number"]},
                {k: v for k, v in spec.items() if k != "number"})
        writer.delete_except(plan.programmes.all(), {x.id for x in programmes.values()})
        objectives: dict[tuple[int, str], m.Objective] = {}
        for spec in parsed.objectives:
            prog = programmes[spec["programme"]]
            objectives[(spec["programme"], spec["letter"])] = writer.put(
                m.Objective, {"programme": prog, "letter": spec["letter"]}, {"text": spec["text"]})
        writer.delete_except(m.Objective.objects.filter(programme__plan=plan),
                             {x.id for x in objectives.values()})
        actions: dict[tuple[int, str, str], m.Action] = {}
        for spec in parsed.actions:
            deadline: Deadline = spec["deadline"] or Deadline(None, "")
            obj = objectives[(spec["programme"], spec["letter"])]
            action = writer.put(m.Action, {"objective": obj, "number": spec["number"]}, {
                "position": spec["position"], "text": spec["text"], "deadline": deadline.due,
                "deadline_precision": deadline.precision, "success": spec["success"],
                "kpi": spec["kpi"], "indicators": spec["indicators"], "outcome": spec["outcome"],
                "status": str(spec["status"]), "direction": str(spec["direction"]),
                "recommendations": spec["recommendations"],
            })
            _owners(writer, action, spec["owners"], accounts or {})
            actions[(spec["programme"], spec["letter"], spec["number"])] = action
        writer.delete_except(m.Action.objects.filter(objective__programme__plan=plan),
                             {x.id for x in actions.values()})
        notes: set[int] = set()
        for spec in parsed.progress:
            action = actions[(spec["programme"], spec["letter"], spec["number"])]
            note = writer.put(m.ProgressNote, {"action": action, "date": spec["date"], "text": spec["text"]},
                              {"author": spec["author"]})
            notes.add(note.id)
        writer.delete_except(m.ProgressNote.objects.filter(action__objective__programme__plan=plan), notes)
        risks: set[int] = set()
        for spec in parsed.risks:
            risk = writer.put(m.Risk, {"programme": programmes[spec["programme"]], "number": spec["number"]},
                              {k: str(v) if k == "trend" else v for k, v in spec.items()
                               if k not in ("programme", "number")})
            risks.add(risk.id)
        writer.delete_except(m.Risk.objects.filter(programme__plan=plan), risks)
        highlights: set[int] = set()
        for spec in parsed.highlights:
            values = {k: str(v) if k in ("status", "trend") else v for k, v in spec.items()
                      if k not in ("programme", "period")}
            report = writer.put(m.HighlightReport, {"programme": programmes[spec["programme"]],
                                                    "period": spec["period"]}, values)
            highlights.add(report.id)
        writer.delete_except(m.HighlightReport.objects.filter(programme__plan=plan), highlights)
        writer.refuse_lost_browser_rows()
    return summary


def _day(value) -> str:
    return value.isoformat() if value else ""


def dump_plan(plan: m.Plan) -> dict[str, list[dict[str, Any]]]:
    """The stored plan as the template's sheets (rows of column -> text)."""
    programmes = list(plan.programmes.all())
    objectives = list(m.Objective.objects.filter(programme__plan=plan).select_related("programme"))
    actions = list(m.Action.objects.filter(objective__programme__plan=plan)
                   .select_related("objective__programme").prefetch_related("owners__account")
                   .order_by("objective__programme__number", "objective__letter", "position", "id"))
    notes = m.ProgressNote.objects.filter(action__in=actions).select_related("action__objective__programme")
    measure_ids = sorted({i for a in actions for i in a.indicators})
    measures = list(m.LocalMeasure.objects.filter(measure_id__in=measure_ids))
    values = m.LocalMeasureValue.objects.filter(measure__in=measures).select_related("measure")

    def where(action: m.Action) -> dict[str, Any]:
        return {"programme": action.objective.programme.number, "objective": action.objective.letter,
                "action": action.number}

    return {
        "plan": [{"reference": plan.reference, "title": plan.title, "period": plan.period,
                  "governing_body": plan.governing_body}],
        "programmes": [{"programme": p.number, "title": p.title, "lead_delivery_group": p.lead_delivery_group,
                        "chair": p.chair, "lead_sponsor": p.lead_sponsor,
                        "scrutiny_champion": p.scrutiny_champion} for p in programmes],
        "objectives": [{"programme": o.programme.number, "objective": o.letter, "text": o.text}
                       for o in sorted(objectives, key=lambda o: (o.programme.number, o.letter))],
        "actions": [{**where(a), "text": a.text,
                     "owners": "; ".join(f"@{o.account.username}" if o.account_id and not o.name else o.name
                                         for o in a.owners.all()),
                     "deadline": a.deadline_info.value or ("Ongoing" if a.deadline is None else ""),
                     "success": a.success, "kpi": a.kpi, "indicators": "; ".join(a.indicators),
                     "outcome": a.outcome, "status": a.status, "direction": a.direction,
                     "recommendations": "; ".join(a.recommendations)} for a in actions],
        "progress": [{**where(n.action), "date": _day(n.date), "note": n.text, "author": n.author}
                     for n in notes],
        "risks": [{"programme": r.programme.number, "risk_number": r.number, "risk": r.risk,
                   "impacts": r.impacts, "mitigations": r.mitigations, "owner": r.owner,
                   "likelihood": r.likelihood, "impact": r.impact, "review_date": _day(r.review_date),
                   "trend": r.trend}
                  for r in m.Risk.objects.filter(programme__plan=plan).select_related("programme")],
        "measures": [{"measure_id": x.measure_id, "title": x.title, "unit": x.unit, "polarity": x.polarity,
                      "decimals": x.decimals, "definition": x.definition, "source": x.source}
                     for x in measures],
        "measure_values": [{"measure_id": v.measure.measure_id, "period": v.period, "value": v.value,
                            "numerator": v.numerator, "denominator": v.denominator, "source": v.source}
                           for v in values],
        "highlights": [{"programme": h.programme.number, "period": h.period,
                        "report_date": _day(h.report_date), "status": h.status, "trend": h.trend,
                        **{c: getattr(h, c) for c in ("reason", "achievements", "slippage",
                                                      "voice_of_children", "next_period", "risks",
                                                      "issues", "variances", "decisions", "state")}}
                       for h in m.HighlightReport.objects.filter(programme__plan=plan).select_related("programme")],
    }

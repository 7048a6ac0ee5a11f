"""What the inspection and self-evaluation pages show, and the one way they change.

Reading is for every signed-in role (nothing here names a child); changing is
for analysts and administrators (:func:`can_edit`). Every save goes through
:func:`save_inspection`, :func:`save_recommendation`, :func:`save_evaluation`
or :func:`save_section`: the values are checked first (``Refused`` carries one
message per field, for a GOV.UK error summary) and nothing is stored unless
all are good; the models keep their history with the account that saved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied
from django.db import transaction

from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.inspection.models import GRADE_CHOICES, KIND_CHOICES

__all__ = [
    "MAX_BULLETS", "Refused", "can_edit", "can_read", "evaluation_page", "evaluations",
    "export_evaluation", "inspection_page", "inspections", "preview_bullets",
    "recommendation_form", "save_evaluation", "save_inspection", "save_recommendation",
    "save_section",
]

EDIT_ROLES = ("admin", "analyst")
MAX_BULLETS = 100
MAX_TEXT = 4000
_NUMBER = re.compile(r"^R[1-9][0-9]{0,2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Refused(ValueError):
    """Values that cannot be saved: field -> message (nothing was stored)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def can_read(account: Any) -> bool:
    return bool(getattr(account, "is_active", False)) and getattr(account, "role", "") in (
        "admin", "analyst", "manager", "viewer")


def can_edit(account: Any) -> bool:
    return bool(getattr(account, "is_active", False)) and getattr(account, "role", "") in EDIT_ROLES


def _check_edit(account: Any) -> None:
    if not can_edit(account):
        raise PermissionDenied("inspections and self-evaluations are changed by analysts and "
                               "administrators")


def _text(values: dict, key: str, errors: dict, *, label: str, required: bool = True,
          limit: int = MAX_TEXT) -> str:
    raw = _CONTROL.sub("", str(values.get(key, "") or "")).strip()
    if required and not raw:
        errors[key] = f"Enter {label}"
    elif len(raw) > limit:
        errors[key] = f"{label.capitalize()} must be {limit} characters or fewer"
    return raw


def _date(values: dict, key: str, errors: dict, *, label: str, required: bool) -> dt.date | None:
    raw = str(values.get(key, "") or "").strip()
    if not raw:
        if required:
            errors[key] = f"Enter the {label}"
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[key] = f"The {label} must be a date like 2024-11-27"
        return None


def _saved(obj: Any, account: Any, reason: str) -> None:
    obj._history_user = account  # simple_history: who made this change
    obj._change_reason = reason
    obj.save()


# ----------------------------------------------------------------- inspections


def inspections() -> list[Any]:
    from csc_scorecard.inspection.models import Inspection

    return list(Inspection.objects.prefetch_related("judgements", "recommendations"))


def _inspection(pk: int) -> Any:
    from csc_scorecard.inspection.models import Inspection

    found = Inspection.objects.filter(pk=pk).first()
    if found is None:
        raise LookupError(f"no inspection {pk}")
    return found


@dataclass
class LinkedAction:
    reference: str
    text: str
    found: bool
    status: str = ""  # in words, e.g. "Green: on track"
    deadline: str = ""
    overdue: bool = False


@dataclass
class RecommendationRow:
    recommendation: Any
    actions: list[LinkedAction]
    indicators: list[tuple[str, str]]  # (id, title)


def _plan_actions() -> dict[str, Any]:
    from csc_scorecard.plans.models import Action

    return {f"{a.objective.programme.plan.reference}/{a.reference}": a
            for a in Action.objects.select_related("objective__programme__plan")}


def _linked(rec: Any, actions: dict[str, Any], today: dt.date) -> list[LinkedAction]:
    from csc_scorecard.plans.rules import Status
    from csc_scorecard.services.inspection import recommendation_links

    out = []
    for link in recommendation_links(rec):
        action = actions.get(link.reference)
        if action is None:
            out.append(LinkedAction(link.reference, "", False, "Not found in the improvement plans"))
            continue
        status = Status(action.status)
        out.append(LinkedAction(
            link.reference, action.text, True, f"{status.short}: {status.label}",
            action.deadline_info.text or "no deadline", action.is_overdue(today)))
    return out


def _titles(ids: list[str]) -> list[tuple[str, str]]:
    cat = get_catalogue()
    return [(i, getattr(cat.get(i), "title", "not in the catalogue")) for i in ids]


def inspection_page(pk: int, *, today: dt.date | None = None) -> dict[str, Any]:
    visit = _inspection(pk)
    actions = _plan_actions()
    day = today or dt.date.today()
    rows = [RecommendationRow(r, _linked(r, actions, day), _titles(list(r.indicators)))
            for r in visit.recommendations.all()]
    return {"inspection": visit, "judgements": list(visit.judgements.all()),
            "recommendations": rows, "self_evaluations": list(visit.self_evaluations.all()),
            "history": _history(visit)}


def _history(obj: Any, limit: int = 20) -> list[dict[str, Any]]:
    rows = []
    for h in obj.history.all().select_related("history_user")[:limit]:
        rows.append({"when": h.history_date, "who": getattr(h.history_user, "username", ""),
                     "what": {"+": "created", "~": "changed", "-": "deleted"}[h.history_type],
                     "reason": h.history_change_reason or ""})
    return rows


KINDS = dict(KIND_CHOICES)
GRADES = dict(GRADE_CHOICES)


def _grade(word: str) -> str | None:
    key = word.strip().lower().replace("_", " ")
    for code, label in GRADE_CHOICES:
        if key in (code.replace("_", " "), label.lower()) or (
                code == "requires_improvement" and key.startswith("requires improvement")):
            return code
    return None


def judgements_text(visit: Any) -> str:
    return "\n".join(f"{j.area}: {j.get_grade_display()}" for j in visit.judgements.all())


def _judgements(raw: str, errors: dict) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for n, line in enumerate(_CONTROL.sub("", raw).splitlines()[:50], start=1):
        if not line.strip():
            continue
        area, sep, grade = line.rpartition(":")
        code = _grade(grade) if sep else None
        if not sep or not area.strip() or code is None or len(area) > 200:
            errors["judgements"] = (f"Line {n}: write the area, a colon and the grade "
                                    "(outstanding, good, requires improvement or inadequate)")
            return []
        if any(a == area.strip() for a, _ in out):
            errors["judgements"] = f"Line {n}: the area {area.strip()!r} is written twice"
            return []
        out.append((area.strip(), code))
    return out


def save_inspection(account: Any, pk: int | None, values: dict[str, str]) -> Any:
    """Create (pk None) or change an inspection with its judgements; Refused or PermissionDenied."""
    from csc_scorecard.inspection.models import Inspection, Judgement

    _check_edit(account)
    errors: dict[str, str] = {}
    kind = str(values.get("kind", ""))
    if kind not in KINDS:
        errors["kind"] = "Choose the kind of inspection"
    title = _text(values, "title", errors, label="a title", limit=200)
    start = _date(values, "start_date", errors, label="first day", required=True)
    end = _date(values, "end_date", errors, label="last day", required=True)
    published = _date(values, "published_date", errors, label="publication date", required=False)
    if start and end and end < start:
        errors["end_date"] = "The last day must be on or after the first day"
    url = _text(values, "report_url", errors, label="the report's address", required=False,
                limit=500)
    if url and (urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc):
        errors["report_url"] = "The report's address must start with https:// (or http://)"
    summary = _text(values, "summary", errors, label="a summary", required=False)
    judgements = _judgements(str(values.get("judgements", "") or ""), errors)
    visit = _inspection(pk) if pk is not None else Inspection()
    if not errors:
        clash = Inspection.objects.filter(kind=kind, start_date=start, la_code=visit.la_code)
        if clash.exclude(pk=visit.pk).exists():
            errors["start_date"] = "An inspection of this kind starting that day is already stored"
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        visit.kind, visit.title, visit.start_date, visit.end_date = kind, title, start, end
        visit.published_date, visit.report_url, visit.summary = published, url, summary
        _saved(visit, account, "edited on the inspection page")
        visit.judgements.exclude(area__in=[a for a, _ in judgements]).delete()
        for i, (area, grade) in enumerate(judgements):
            j = Judgement.objects.filter(inspection=visit, area=area).first() or Judgement(
                inspection=visit, area=area)
            j.grade, j.position = grade, i
            _saved(j, account, "edited on the inspection page")
    return visit


# ----------------------------------------------------------------- recommendations


def recommendation_form(inspection_pk: int, number: str | None) -> dict[str, Any]:
    """The choices the form offers: every catalogue indicator and every plan action."""
    visit = _inspection(inspection_pk)
    rec = visit.recommendations.filter(number=number).first() if number else None
    if number and rec is None:
        raise LookupError(f"no recommendation {number}")
    actions = _plan_actions()
    return {
        "inspection": visit, "recommendation": rec,
        "indicator_choices": [(e.id, e.title) for e in get_catalogue()],
        "action_choices": [(ref, a.text) for ref, a in sorted(actions.items())],
        "history": _history(rec) if rec else [],
    }


def save_recommendation(account: Any, inspection_pk: int, number: str | None,
                        values: dict[str, Any]) -> Any:
    """Create or change R<n>: its number, text, indicators and actions (chosen from those stored)."""
    from csc_scorecard.inspection.models import Recommendation

    _check_edit(account)
    visit = _inspection(inspection_pk)
    rec = visit.recommendations.filter(number=number).first() if number else Recommendation(
        inspection=visit, position=visit.recommendations.count())
    if rec is None:
        raise LookupError(f"no recommendation {number}")
    errors: dict[str, str] = {}
    new_number = str(values.get("number", "")).strip().upper()
    if not _NUMBER.match(new_number):
        errors["number"] = "Enter the recommendation's number, like R5"
    elif visit.recommendations.filter(number=new_number).exclude(pk=rec.pk).exists():
        errors["number"] = f"{new_number} is already a recommendation of this inspection"
    text = _text(values, "text", errors, label="the recommendation's words")
    known = set(get_catalogue().ids())
    indicators = [str(i) for i in values.get("indicators", [])][:200]
    if any(i not in known for i in indicators):
        errors["indicators"] = "Choose indicators from the list"
    refs = [str(a) for a in values.get("actions", [])][:200]
    if any(a not in _plan_actions() for a in refs):
        errors["actions"] = "Choose actions from the improvement plans listed"
    if errors:
        raise Refused(errors)
    rec.number, rec.text = new_number, text
    rec.indicators, rec.action_refs = list(dict.fromkeys(indicators)), list(dict.fromkeys(refs))
    _saved(rec, account, "edited on the recommendation page")
    return rec


# ----------------------------------------------------------------- self-evaluations


def evaluations() -> list[Any]:
    from csc_scorecard.inspection.models import SelfEvaluation

    return list(SelfEvaluation.objects.select_related("inspection"))


def _evaluation(pk: int) -> Any:
    from csc_scorecard.inspection.models import SelfEvaluation

    found = SelfEvaluation.objects.filter(pk=pk).first()
    if found is None:
        raise LookupError(f"no self-evaluation {pk}")
    return found


@dataclass
class ShownBullet:
    source: str  # as written, with its references
    text: str  # in words
    where: str
    problems: list[str] = field(default_factory=list)


@dataclass
class ShownSection:
    pk: int | None
    theme: str
    title: str
    recommendations: list[str]
    bullets: list[ShownBullet]


def _source(la_code: str):  # noqa: ANN202 - a StoredFigureSource
    from csc_scorecard.inspection.sources import StoredFigureSource
    from csc_scorecard.services.inspection import _neighbours_like
    from csc_scorecard.services.results import results_council

    try:
        code = results_council(la_code or None, required=False)
    except (LookupError, ValueError):  # nothing stored for it: every reference says so
        code = la_code
    return StoredFigureSource(code, _neighbours_like())


def _show(evaluation: Any, la_code: str, pks: list[int | None]) -> tuple[list[ShownSection], Any]:
    from csc_scorecard.inspection.document import render_draft

    done, problems = render_draft(evaluation, _source(la_code), get_catalogue())
    sections = []
    for pk, rendered in zip(pks, done.parts, strict=True):
        part = rendered.part
        sections.append(ShownSection(pk, part.theme, part.title, part.recommendations, [
            ShownBullet(b.text, words, b.where, problems.get(b.where, []))
            for b, words in zip(part.bullets, rendered.bullets, strict=True)]))
    return sections, done


def evaluation_page(pk: int) -> dict[str, Any]:
    """The document with live figures; broken references listed at their places."""
    from csc_scorecard.services.inspection import stored_evaluation

    doc = _evaluation(pk)
    evaluation = stored_evaluation(doc.pk)
    sections, done = _show(evaluation, doc.la_code, [s.pk for s in doc.sections.all()])
    problems = [f"{b.where}: {p}" for s in sections for b in s.bullets for p in b.problems]
    return {"evaluation": doc, "sections": sections, "problems": problems,
            "warnings": done.warnings, "figures": done.figures, "history": _history(doc)}


def _bullet_lines(raw: str) -> list[str]:
    return [line.strip() for line in _CONTROL.sub("", raw).splitlines() if line.strip()]


def _check_bullets(lines: list[str], errors: dict) -> None:
    from csc_scorecard.inspection.references import FigureRef, ReferenceSyntaxError, split_text

    if len(lines) > MAX_BULLETS:
        errors["bullets"] = f"A section holds at most {MAX_BULLETS} bullets"
        return
    cat = get_catalogue()
    for n, line in enumerate(lines, start=1):
        if len(line) > 2000:
            errors["bullets"] = f"Bullet {n} is longer than 2000 characters"
            return
        try:
            pieces = split_text(line)
        except ReferenceSyntaxError as exc:
            errors["bullets"] = f"Bullet {n}: {exc}"
            return
        for piece in pieces:
            if isinstance(piece, FigureRef) and cat.get(piece.indicator_id) is None:
                errors["bullets"] = f"Bullet {n}: {piece.text}: {cat.unknown_message(piece.indicator_id)}"
                return


def preview_bullets(evaluation_pk: int, theme: str, bullets: str) -> list[ShownBullet]:
    """The bullets as they would read, with each reference's problems (nothing stored)."""
    from csc_scorecard.inspection.document import Bullet, Evaluation, Part

    doc = _evaluation(evaluation_pk)
    lines = _bullet_lines(bullets)[:MAX_BULLETS]
    part = Part(theme or "Preview", "", [], [Bullet(t, f"bullet {n}") for n, t in
                                             enumerate(lines, start=1)])
    shown, _ = _show(Evaluation(doc.title, [part], doc.period, "", doc.la_code), doc.la_code, [None])
    return shown[0].bullets


def _recommendation_numbers(raw: Any, errors: dict) -> list[str]:
    words = raw if isinstance(raw, list) else re.split(r"[,\s]+", str(raw or ""))
    numbers = [str(w).strip().upper() for w in words if str(w).strip()][:50]
    if any(not _NUMBER.match(n) for n in numbers):
        errors["recommendations"] = "Write recommendations as R1, R2 (separated by commas)"
    return list(dict.fromkeys(numbers))


def save_section(account: Any, evaluation_pk: int, section_pk: int | None,
                 values: dict[str, Any]) -> Any:
    """Create or change a section and replace its bullets (one a line)."""
    from csc_scorecard.inspection.models import EvaluationSection, EvidenceBullet

    _check_edit(account)
    doc = _evaluation(evaluation_pk)
    section = (doc.sections.filter(pk=section_pk).first() if section_pk is not None
               else EvaluationSection(evaluation=doc, position=doc.sections.count()))
    if section is None:
        raise LookupError(f"no section {section_pk}")
    errors: dict[str, str] = {}
    theme = _text(values, "theme", errors, label="the theme", limit=120)
    title = _text(values, "title", errors, label="what the evidence shows", limit=300)
    recs = _recommendation_numbers(values.get("recommendations", ""), errors)
    lines = _bullet_lines(str(values.get("bullets", "") or ""))
    _check_bullets(lines, errors)
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        section.theme, section.title, section.recommendations = theme, title, recs
        _saved(section, account, "edited on the self-evaluation page")
        for old in section.bullets.all():
            old._history_user = account
            old.delete()
        for i, line in enumerate(lines):
            _saved(EvidenceBullet(section=section, position=i, text=line), account,
                   "edited on the self-evaluation page")
        _saved(doc, account, f"section {section.theme!r} edited")
    return section


def save_evaluation(account: Any, pk: int | None, values: dict[str, str]) -> Any:
    """Create or change a self-evaluation's title, period, inspection and status."""
    from csc_scorecard.inspection.models import Inspection, SelfEvaluation
    from csc_scorecard.periods import PeriodError, parse_period

    _check_edit(account)
    errors: dict[str, str] = {}
    title = _text(values, "title", errors, label="a title", limit=200)
    period = str(values.get("period", "") or "").strip()
    if period:
        try:
            period = parse_period(period).label
        except PeriodError:
            errors["period"] = "Enter a period like 2024-25, 2024-25-Q2 or 2025-02, or leave it blank"
    status = str(values.get("status", "draft"))
    if status not in ("draft", "final"):
        errors["status"] = "Choose draft or final"
    inspection = None
    raw = str(values.get("inspection", "") or "")
    if raw:
        inspection = Inspection.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if inspection is None:
            errors["inspection"] = "Choose an inspection from the list"
    doc = _evaluation(pk) if pk is not None else SelfEvaluation()
    if not errors and SelfEvaluation.objects.filter(title=title, la_code=doc.la_code).exclude(
            pk=doc.pk).exists():
        errors["title"] = "Another self-evaluation has this title"
    if errors:
        raise Refused(errors)
    doc.title, doc.period, doc.status, doc.inspection = title, period, status, inspection
    _saved(doc, account, "edited on the self-evaluation page")
    return doc


def export_evaluation(pk: int, fmt: str) -> tuple[bytes, str]:
    """(file content, file name) of the document as PDF or DOCX; EvaluationError when a
    reference fails (a final document also refuses missing comparisons)."""
    import tempfile
    from pathlib import Path

    from csc_scorecard.services.inspection import export_self_evaluation, stored_evaluation

    if fmt not in ("pdf", "docx"):
        raise LookupError(fmt)
    doc = _evaluation(pk)
    with tempfile.TemporaryDirectory() as tmp:
        written = export_self_evaluation(stored_evaluation(doc.pk), Path(tmp), formats=(fmt,))
        path = written[fmt]
        return path.read_bytes(), path.name

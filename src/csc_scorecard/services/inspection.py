"""Inspections, recommendations and self-evaluations: the API the CLI and the web call.

* :func:`import_inspection` / :func:`import_self_evaluation` store a file
  (csc_scorecard.inspection.files reads it) in one transaction: every
  problem is listed with its place and nothing is stored unless there are none.
  Importing the same visit (kind and start date) or the same self-evaluation
  title again replaces it; the history of every row is kept.
* :func:`render_self_evaluation` gives a stored self-evaluation its live figures;
  :func:`export_self_evaluation` writes it as HTML, PDF and DOCX.
* :func:`recommendation_links` says which improvement-plan actions answer a
  recommendation (the recommendation's own references, and actions that name it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.inspection.document import (
    Bullet,
    Evaluation,
    EvaluationError,
    Part,
    RenderedEvaluation,
    render_evaluation,
)
from csc_scorecard.inspection.files import FileProblems, read_evaluation_file, read_inspection_file

__all__ = [
    "EvaluationError",
    "FileProblems",
    "NotFound",
    "export_self_evaluation",
    "import_inspection",
    "inspections_overview",
    "PackError",
    "pack_child_level",
    "write_inspection_pack",
    "import_self_evaluation",
    "recommendation_links",
    "render_self_evaluation",
    "stored_evaluation",
]


class NotFound(LookupError):
    """No stored inspection or self-evaluation by that name."""


def _results_council(la_code: str | None) -> str:
    from csc_scorecard.services.results import results_council

    return results_council(la_code)


def _neighbours_like() -> str | None:
    from csc_scorecard.config import council_settings

    like = council_settings().get("neighbours_like")
    return str(like) if like else None


def _file_council() -> str:
    from csc_scorecard.config import council_settings

    return str(council_settings().get("la_code") or "").strip()


# ----------------------------------------------------------------- inspections


def import_inspection(path: Path | str, *, la_code: str | None = None):  # noqa: ANN201 - Inspection
    """Store the inspection file; FileProblems (nothing stored) when it has problems."""
    from csc_scorecard.inspection.models import Inspection, Judgement, Recommendation

    got = read_inspection_file(path)
    code = (la_code or _file_council()).strip()
    with transaction.atomic():
        visit, _ = Inspection.objects.update_or_create(
            kind=got.kind, start_date=got.start_date, la_code=code,
            defaults={"title": got.title, "end_date": got.end_date,
                      "published_date": got.published_date, "report_url": got.report_url,
                      "summary": got.summary})
        visit.judgements.exclude(area__in=[j.area for j in got.judgements]).delete()
        for i, j in enumerate(got.judgements):
            Judgement.objects.update_or_create(inspection=visit, area=j.area,
                                               defaults={"grade": j.grade, "position": i})
        visit.recommendations.exclude(number__in=[r.number for r in got.recommendations]).delete()
        for i, r in enumerate(got.recommendations):
            Recommendation.objects.update_or_create(
                inspection=visit, number=r.number,
                defaults={"text": r.text, "position": i, "indicators": r.indicators,
                          "action_refs": r.actions})
    return visit


@dataclass(frozen=True)
class ActionLink:
    reference: str  # "<plan reference>/<action reference>", e.g. "cypp-2023-26/3(A)i"
    text: str  # the action's words when the improvement plans know it, else ""
    found: bool


def _plan_actions() -> dict[str, Any] | None:
    """Every improvement-plan action by "<plan>/<action>" (None without the plans app)."""
    from django.apps import apps

    if not apps.is_installed("csc_scorecard.plans"):
        return None
    from csc_scorecard.plans.models import Action

    found = {}
    for action in Action.objects.select_related("objective__programme__plan"):
        found[f"{action.objective.programme.plan.reference}/{action.reference}"] = action
    return found


def recommendation_links(recommendation) -> list[ActionLink]:  # noqa: ANN001 - a Recommendation
    """The actions answering a recommendation: those it names, then plan actions naming it.

    Until the improvement plans are installed the references are shown as written.
    """
    actions = _plan_actions()
    if actions is None:
        return [ActionLink(ref, "", False) for ref in recommendation.action_refs]
    out = []
    for ref in recommendation.action_refs:
        action = actions.get(ref)
        out.append(ActionLink(ref, getattr(action, "text", ""), action is not None))
    named = {link.reference for link in out}
    for ref, action in actions.items():
        if ref not in named and recommendation.number in (getattr(action, "recommendations", None)
                                                          or []):
            out.append(ActionLink(ref, action.text, True))
    return out


# ----------------------------------------------------------------- self-evaluations


def import_self_evaluation(path: Path | str, *, la_code: str | None = None):  # noqa: ANN201
    """Store the self-evaluation file (replacing one with the same title)."""
    from csc_scorecard.inspection.models import EvaluationSection, EvidenceBullet, SelfEvaluation

    got = read_evaluation_file(path)
    code = (la_code or _file_council()).strip()
    with transaction.atomic():
        doc, _ = SelfEvaluation.objects.update_or_create(
            title=got.title, la_code=code,
            defaults={"period": got.period, "status": "final" if got.final else "draft"})
        link = _inspection_named(got.inspection, code)
        if link is not None:
            doc.inspection = link
            doc.save()
        doc.sections.all().delete()
        for i, part in enumerate(got.parts):
            section = EvaluationSection.objects.create(
                evaluation=doc, position=i, theme=part.theme, title=part.title,
                recommendations=part.recommendations)
            EvidenceBullet.objects.bulk_create(
                EvidenceBullet(section=section, position=j, text=b.text)
                for j, b in enumerate(part.bullets))
    return doc


def _inspection_named(label: str, la_code: str):  # noqa: ANN202 - Inspection or None
    """The stored inspection a self-evaluation names ("ilacs 2017-11-27" or its title)."""
    from csc_scorecard.inspection.models import Inspection

    if not label:
        return None
    words = label.split()
    query = Inspection.objects.filter(la_code=la_code)
    by_title = query.filter(title__iexact=label).first()
    if by_title is not None:
        return by_title
    if len(words) >= 2:
        return query.filter(kind=words[0].lower(), start_date=words[-1]).first()
    return None


def stored_evaluation(title_or_id: str | int) -> Evaluation:
    """A stored self-evaluation as plain data; each bullet placed by section and number."""
    from csc_scorecard.inspection.models import SelfEvaluation

    query = SelfEvaluation.objects.all()
    doc = (query.filter(pk=int(title_or_id)).first() if str(title_or_id).isdigit()
           else query.filter(title=str(title_or_id)).first())
    if doc is None:
        names = ", ".join(repr(t) for t in query.values_list("title", flat=True)) or "none"
        raise NotFound(f"no self-evaluation {title_or_id!r}; stored: {names}")
    parts = []
    for n, section in enumerate(doc.sections.all(), start=1):
        where = f"section {n} ({section.theme})"
        parts.append(Part(section.theme, section.title, list(section.recommendations), [
            Bullet(b.text, f"{where}, bullet {k}") for k, b in enumerate(section.bullets.all(), 1)
        ], where))
    label = str(doc.inspection) if doc.inspection else ""
    return Evaluation(doc.title, parts, doc.period, label, doc.la_code, doc.status == "final")


def render_self_evaluation(evaluation: Evaluation, *, la_code: str | None = None,
                           final: bool | None = None) -> tuple[RenderedEvaluation, str, object]:
    """(rendered document, council code, when its figures were computed).

    EvaluationError lists every reference that has no figure, with its place.
    """
    from csc_scorecard.inspection.sources import StoredFigureSource

    code = _results_council(la_code or evaluation.la_code or None)
    source = StoredFigureSource(code, _neighbours_like())
    done = render_evaluation(evaluation, source, get_catalogue(), final=final)
    return done, code, source.computed_at


def export_self_evaluation(evaluation: Evaluation, out_dir: Path | str, *,
                           la_code: str | None = None, final: bool | None = None,
                           formats: tuple[str, ...] = ("html", "pdf", "docx")) -> dict[str, Path]:
    """Write the self-evaluation; nothing is written when a reference fails."""
    from csc_scorecard.inspection.export import build_report, slug, write_outputs
    from csc_scorecard.reporting.config import load_report_config

    done, code, computed = render_self_evaluation(evaluation, la_code=la_code, final=final)
    report = build_report(done, get_catalogue(), council=load_report_config(), la_code=code,
                          computed_at=computed)  # type: ignore[arg-type]
    stem = "self-evaluation-" + slug(evaluation.title)[:60] + ("" if report.draft is False else "-draft")
    return write_outputs(report, out_dir, stem, formats)


def inspections_overview() -> list[str]:
    """One line per stored inspection, judgement and recommendation (for ``inspection list``)."""
    from csc_scorecard.inspection.models import Inspection

    lines = []
    for visit in Inspection.objects.all():
        dates = f"{visit.start_date:%d %b %Y} to {visit.end_date:%d %b %Y}"
        lines.append(f"{visit} ({dates}){' ' + visit.report_url if visit.report_url else ''}")
        for j in visit.judgements.all():
            lines.append(f"  {j.area}: {j.get_grade_display()}")
        for rec in visit.recommendations.all():
            actions = ", ".join(link.reference for link in recommendation_links(rec)) or "no actions"
            lines.append(f"  {rec.number}: {rec.text}  [actions: {actions}]")
    return lines


# ----------------------------------------------------------------- the Annex A pack

#: roles that see the pack's child-level parts (the pack covers every area, so
#: managers scoped to areas get the aggregate pack only)
PACK_CHILD_ROLES = ("admin", "analyst")


class PackError(ValueError):
    """No Annex A to build the pack from, or an unusable file."""


def pack_child_level(account) -> bool:  # noqa: ANN001 - an accounts.User or None
    """True when the account may see the pack's child-level parts; the answer is audited."""
    from csc_scorecard.services.audit import record

    allowed = account is not None and getattr(account, "is_active", False) \
        and getattr(account, "role", "") in PACK_CHILD_ROLES
    if allowed:
        from csc_scorecard.services.access import AccessDenied, check_child_access

        try:
            check_child_access(account)
        except AccessDenied:
            allowed = False
    if account is not None:
        record(account, "inspection pack child-level " + ("granted" if allowed else "refused"),
               "Annex A inspection pack: children in several lists, data-quality rows")
    return bool(allowed)


def current_annex_a() -> Path:
    """The raw file of the current Annex A submission in the store."""
    from csc_scorecard.store.ingest import raw_dir
    from csc_scorecard.store.models import Submission

    sub = (Submission.objects.filter(return_type="annex_a", is_current=True)
           .order_by("-year", "-ingested_at").first())
    if sub is None:
        raise PackError("no Annex A is loaded; ingest one first (csc-scorecard ingest FILE) "
                        "or give the workbook with --file")
    raw = sub.raw_files.first()
    if raw is None or not (raw_dir() / raw.sha256).is_file():
        raise PackError(f"the raw file of Annex A submission {sub.pk} is missing from the store")
    return raw_dir() / raw.sha256


def write_inspection_pack(as_at, out_dir: Path | str, *, account=None, file: Path | None = None,  # noqa: ANN001
                          la_code: str | None = None) -> dict[str, Path]:
    """Compute the pack from the Annex A lists and write HTML, PDF, DOCX and xlsx into out_dir."""
    from csc_scorecard.inspection.export import write_outputs
    from csc_scorecard.inspection.pack.build import build_pack_report, write_pack_xlsx
    from csc_scorecard.inspection.pack.compute import compute_pack
    from csc_scorecard.inspection.pack.lists import read_lists
    from csc_scorecard.reporting.config import load_report_config
    from csc_scorecard.returns.issues import FileRejected

    path = Path(file) if file is not None else current_annex_a()
    if not path.is_file():
        raise PackError(f"{path}: no such file")
    try:
        lists = read_lists(path)
    except FileRejected as exc:
        raise PackError(str(exc)) from None
    source = path.name if file is not None else "the Annex A in the store"
    pack = compute_pack(lists, as_at, source)
    child_level = pack_child_level(account)
    code = (la_code or _file_council()).strip()
    report = build_pack_report(pack, council=load_report_config(), la_code=code,
                               child_level=child_level)
    stem = f"inspection-pack-{as_at.isoformat()}"
    written = write_outputs(report, out_dir, stem)
    written["xlsx"] = write_pack_xlsx(report, Path(out_dir) / f"{stem}.xlsx")
    return written

"""Deleting a recommendation or a self-evaluation section from the inspection pages.

The same rules as the edits in :mod:`.inspection_pages`: analysts and
administrators only, every row's history kept with the account (the deleted
rows' last historical record is a ``-`` one naming who deleted them, and the
inspection or self-evaluation gets a changed record saying what went), all or
nothing in one transaction.  These edits are not written to the audit log:
like the other inspection edits they name no child, and the model history is
their record.

A recommendation answered by improvement-plan actions is not deleted until the
user confirms the unlinking: the confirmation page lists those actions.  The
links the recommendation holds (``action_refs``) go with it; a plan action that
names the recommendation's number itself (``Action.recommendations``) has the
number taken off, unless another stored inspection still has a recommendation
of that number (the plans name recommendations by number alone, so the action
may be answering that one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from csc_scorecard.services.inspection_pages import (
    Refused,
    _check_edit,
    _evaluation,
    _inspection,
    _saved,
)

__all__ = ["RecommendationDeletion", "SectionDeletion", "delete_recommendation", "delete_section",
           "recommendation_deletion", "section_deletion"]

CONFIRM_UNLINK = "Confirm that the linked improvement-plan actions are to be unlinked"


@dataclass
class LinkToGo:
    reference: str  # "cypp/1(A)i"
    text: str
    how: str  # in words: which side holds the link and what deleting does to it


@dataclass
class RecommendationDeletion:
    inspection: Any
    recommendation: Any
    links: list[LinkToGo] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # self-evaluation sections still citing it

    @property
    def needs_unlink(self) -> bool:
        return bool(self.links)


def _actions_naming(number: str) -> list[Any]:
    from csc_scorecard.plans.models import Action

    return [a for a in Action.objects.select_related("objective__programme__plan")
            if number in (a.recommendations or [])]


def _ref(action: Any) -> str:
    return f"{action.objective.programme.plan.reference}/{action.reference}"


def _number_elsewhere(rec: Any) -> bool:
    from csc_scorecard.inspection.models import Recommendation

    return Recommendation.objects.filter(number=rec.number).exclude(pk=rec.pk).exists()


def recommendation_deletion(inspection_pk: int, number: str) -> RecommendationDeletion:
    """What deleting R<n> would take with it; LookupError when there is no such recommendation."""
    from csc_scorecard.inspection.models import EvaluationSection
    from csc_scorecard.services.inspection_pages import _plan_actions

    visit = _inspection(inspection_pk)
    rec = visit.recommendations.filter(number=number).first()
    if rec is None:
        raise LookupError(f"no recommendation {number}")
    actions = _plan_actions()
    out = RecommendationDeletion(visit, rec)
    for ref in rec.action_refs:
        found = actions.get(ref)
        out.links.append(LinkToGo(ref, getattr(found, "text", "not found in the improvement plans"),
                                  f"{rec.number} names this action; the link is deleted with it"))
    named = set(rec.action_refs)
    elsewhere = _number_elsewhere(rec)
    for action in _actions_naming(rec.number):
        ref = _ref(action)
        if ref in named:
            continue
        how = (f"the action names {rec.number}; another inspection also has a {rec.number}, so the "
               "action keeps the number" if elsewhere else
               f"the action names {rec.number}; the number is taken off the action")
        out.links.append(LinkToGo(ref, action.text, how))
    for section in EvaluationSection.objects.select_related("evaluation").filter(
            evaluation__inspection=visit):
        if rec.number in (section.recommendations or []):
            out.sections.append(f"{section.evaluation.title}: {section.theme}")
    return out


def delete_recommendation(account: Any, inspection_pk: int, number: str, *,
                          unlink_confirmed: bool) -> RecommendationDeletion:
    """Delete R<n> (and unlink its actions when confirmed); Refused, PermissionDenied, LookupError."""
    _check_edit(account)
    plan = recommendation_deletion(inspection_pk, number)
    if plan.needs_unlink and not unlink_confirmed:
        raise Refused({"confirm_unlink": CONFIRM_UNLINK})
    rec, visit = plan.recommendation, plan.inspection
    reason = f"recommendation {rec.number} deleted on the inspection page"
    with transaction.atomic():
        if not _number_elsewhere(rec):
            for action in _actions_naming(rec.number):
                action.recommendations = [r for r in action.recommendations if r != rec.number]
                _saved(action, account, f"unlinked: {reason}")
        rec._history_user = account  # simple_history: who deleted it, and why
        rec._change_reason = reason
        rec.delete()
        _saved(visit, account, reason)
    return plan


@dataclass
class SectionDeletion:
    evaluation: Any
    section: Any
    bullets: int


def section_deletion(evaluation_pk: int, section_pk: int) -> SectionDeletion:
    """The section to delete and how many bullets go with it; LookupError when not found."""
    doc = _evaluation(evaluation_pk)
    section = doc.sections.filter(pk=section_pk).first()
    if section is None:
        raise LookupError(f"no section {section_pk}")
    return SectionDeletion(doc, section, section.bullets.count())


def delete_section(account: Any, evaluation_pk: int, section_pk: int) -> SectionDeletion:
    """Delete a self-evaluation section and its bullets, each deletion in its history."""
    _check_edit(account)
    plan = section_deletion(evaluation_pk, section_pk)
    section, doc = plan.section, plan.evaluation
    reason = f"section {section.theme!r} deleted on the self-evaluation page"
    with transaction.atomic():
        for bullet in section.bullets.all():  # one by one: a cascade would record no account
            bullet._history_user = account
            bullet._change_reason = reason
            bullet.delete()
        section._history_user = account
        section._change_reason = reason
        section.delete()
        _saved(doc, account, reason)
    return plan

"""A self-evaluation as plain data, and its rendering with live figures.

:class:`Evaluation` is what the file reader (csc_scorecard.inspection.files)
and the database (csc_scorecard.services.inspection) both produce, so the
same renderer serves a file being checked and a stored document.  Every
bullet knows where it was written (``where``: "selfeval.yml, line 14" or
"section 2 (Workforce), bullet 3"), so a broken figure reference is reported
at its place.

Rendering never leaves a blank: a reference that cannot be read, names an
indicator the catalogue lacks, or has no stored value makes
:func:`render_evaluation` raise :class:`EvaluationError` listing every such
place.  A missing *comparison* figure is said in words ("there is no figure
at 30 June 2018 to compare with"); that is allowed in a draft and refused in
a final document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from csc_scorecard.indicators.catalogue import Catalogue
from csc_scorecard.inspection.figures import (
    FigureError,
    FigureSource,
    FigureUse,
    render_reference,
)
from csc_scorecard.inspection.references import FigureRef, ReferenceSyntaxError, split_text

__all__ = [
    "Bullet",
    "Evaluation",
    "EvaluationError",
    "Part",
    "RenderedEvaluation",
    "RenderedPart",
    "UsedFigure",
    "render_draft",
    "render_evaluation",
]


class EvaluationError(ValueError):
    """Figure references that cannot be rendered; ``problems`` are "where: what" lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"{count} figure reference{'s' if count != 1 else ''} cannot be rendered"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))


@dataclass
class Bullet:
    text: str
    where: str


@dataclass
class Part:
    """One section: a theme, the claim its evidence supports, the recommendations it answers."""

    theme: str
    title: str
    recommendations: list[str]
    bullets: list[Bullet]
    where: str = ""


@dataclass
class Evaluation:
    title: str
    parts: list[Part]
    period: str = ""  # default period of the references ("" = the latest stored)
    inspection: str = ""  # the inspection it answers, as a label
    la_code: str = ""
    final: bool = False


@dataclass
class UsedFigure:
    use: FigureUse
    where: list[str]


@dataclass
class RenderedPart:
    part: Part
    bullets: list[str]


@dataclass
class RenderedEvaluation:
    evaluation: Evaluation
    parts: list[RenderedPart]
    figures: list[UsedFigure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    indicator_ids: list[str] = field(default_factory=list)  # in order of first use


def _render_bullet(bullet: Bullet, ctx: _Context) -> str:
    try:
        pieces = split_text(bullet.text)
    except ReferenceSyntaxError as exc:
        ctx.problem(bullet.where, str(exc))
        return bullet.text
    out = []
    for piece in pieces:
        if not isinstance(piece, FigureRef):
            out.append(piece)
            continue
        try:
            done = render_reference(piece, ctx.source, ctx.catalogue,
                                    default_period=ctx.evaluation.period or None)
        except (FigureError, ValueError) as exc:
            ctx.problem(bullet.where, f"{piece.text}: {exc}")
            out.append(piece.text)
            continue
        out.append(done.text)
        for w in done.warnings:
            ctx.warnings.append(f"{bullet.where}: {piece.text}: {w}")
        if piece.indicator_id not in ctx.ids:
            ctx.ids.append(piece.indicator_id)
        for use in done.uses:
            key = (use.indicator_id, use.period, use.role)
            if key not in ctx.used:
                ctx.used[key] = UsedFigure(use, [])
            ctx.used[key].where.append(bullet.where)
    return "".join(out)


@dataclass
class _Context:
    evaluation: Evaluation
    source: FigureSource
    catalogue: Catalogue
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    used: dict[tuple[str, str, str], UsedFigure] = field(default_factory=dict)
    at: dict[str, list[str]] = field(default_factory=dict)  # where -> its problems

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")
        self.at.setdefault(where, []).append(what)


def render_evaluation(evaluation: Evaluation, source: FigureSource, catalogue: Catalogue, *,
                      final: bool | None = None) -> RenderedEvaluation:
    """Every bullet in words; EvaluationError (all problems, located) when any reference fails.

    ``final`` (default: the evaluation's own status) also refuses missing
    comparison figures.
    """
    done, ctx = _render_all(evaluation, source, catalogue)
    is_final = evaluation.final if final is None else final
    problems = list(ctx.problems)
    if is_final:
        problems += [f"{w} (not allowed in a final document)" for w in ctx.warnings]
    if problems:
        raise EvaluationError(problems)
    return done


def _render_all(evaluation: Evaluation, source: FigureSource,
                catalogue: Catalogue) -> tuple[RenderedEvaluation, _Context]:
    ctx = _Context(evaluation, source, catalogue)
    parts = [RenderedPart(p, [_render_bullet(b, ctx) for b in p.bullets])
             for p in evaluation.parts]
    return RenderedEvaluation(evaluation, parts, list(ctx.used.values()), ctx.warnings,
                              ctx.ids), ctx


def render_draft(evaluation: Evaluation, source: FigureSource,
                 catalogue: Catalogue) -> tuple[RenderedEvaluation, dict[str, list[str]]]:
    """Every bullet in words, never raising: (rendered, problems by bullet place).

    What a page shows while the document is being written: a reference that
    fails stays as written in its bullet and its problem is listed at its place.
    """
    done, ctx = _render_all(evaluation, source, catalogue)
    return done, ctx.at

"""Figure references inside evidence bullets: ``{indicator | modifier ...}``.

A bullet is free text; a figure is written between braces and replaced by
words and numbers from the stored results when the document is rendered
(docs/self-evaluation.md is the user's guide)::

    {sw_agency_pct}                         the figure for the document's period
    {sw_agency_pct | compare 2018-06}       ... and how it moved since June 2018
    {cp_repeat_ever_pct | rank region}      ... and its place among the region's councils
    {assessments_45wd_pct | period R3-latest}   the last three months

Modifiers are separated by ``|`` and may be combined (``{x | period 2019-03 |
compare 2018-06}``).  ``period`` and ``compare`` take a period label
(csc_scorecard.periods) or ``latest`` / ``R3-latest`` / ``R6-latest`` /
``R12-latest`` / ``month-latest`` / ``quarter-latest`` / ``year-latest``;
``compare`` also takes ``last-year`` (the same period a year before).
``rank`` takes ``region``.  Write ``{{`` for a literal brace.

This module only reads the syntax; :mod:`csc_scorecard.inspection.figures`
gives a reference its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from csc_scorecard.periods import PeriodError, parse_period

__all__ = ["FigureRef", "ReferenceSyntaxError", "LATEST_WORDS", "find_references", "split_text"]

#: the "latest" period words and the period kind each picks
LATEST_WORDS = {
    "latest": None,
    "month-latest": "month",
    "quarter-latest": "quarter",
    "year-latest": "year",
    "r3-latest": "r3",
    "r6-latest": "r6",
    "r12-latest": "r12",
}
RANK_GROUPS = ("region",)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_BRACED = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


class ReferenceSyntaxError(ValueError):
    """A figure reference that cannot be read (the message says why, the caller says where)."""


@dataclass(frozen=True)
class FigureRef:
    text: str  # as written, braces included
    indicator_id: str
    period: str | None = None  # a label or a LATEST_WORDS key
    compare: str | None = None  # a label, a LATEST_WORDS key or "last-year"
    rank: str | None = None  # a RANK_GROUPS member


def _check_period(word: str, *, what: str, allow_last_year: bool = False) -> str:
    key = word.strip().lower()
    if key in LATEST_WORDS or (allow_last_year and key == "last-year"):
        return key
    try:
        return parse_period(word).label
    except PeriodError as exc:
        raise ReferenceSyntaxError(f"{what} {word!r} is not a period: {exc}") from None


def parse_reference(body: str) -> FigureRef:
    """One reference from the text between its braces."""
    parts = [p.strip() for p in body.split("|")]
    ident = parts[0]
    if not _ID.match(ident):
        raise ReferenceSyntaxError(
            f"{{{body}}} does not start with an indicator id (lower-case letters, digits, _)"
        )
    found: dict[str, str] = {}
    for part in parts[1:]:
        word, _, arg = part.partition(" ")
        word, arg = word.strip().lower(), arg.strip()
        if word not in ("period", "compare", "rank"):
            raise ReferenceSyntaxError(
                f"unknown modifier {word!r} in {{{body}}}; expected period, compare or rank"
            )
        if word in found:
            raise ReferenceSyntaxError(f"{word} is given twice in {{{body}}}")
        if not arg:
            raise ReferenceSyntaxError(f"{word} needs a value in {{{body}}}")
        if word == "period":
            found[word] = _check_period(arg, what="period")
        elif word == "compare":
            found[word] = _check_period(arg, what="comparison period", allow_last_year=True)
        else:
            if arg.lower() not in RANK_GROUPS:
                raise ReferenceSyntaxError(
                    f"rank {arg!r} in {{{body}}}: expected one of {', '.join(RANK_GROUPS)}"
                )
            found[word] = arg.lower()
    if "rank" in found and "compare" in found:
        raise ReferenceSyntaxError(f"{{{body}}}: use compare or rank, not both, in one reference")
    return FigureRef("{" + body + "}", ident, found.get("period"), found.get("compare"),
                     found.get("rank"))


def split_text(text: str) -> list[str | FigureRef]:
    """The text as literal pieces and references, in order (``{{``/``}}`` become braces).

    Raises ReferenceSyntaxError for the first reference that cannot be read,
    or a lone brace.
    """
    out: list[str | FigureRef] = []
    at = 0
    buf = ""
    for m in _BRACED.finditer(text):
        between = text[at:m.start()]
        if "{" in between or "}" in between:
            raise ReferenceSyntaxError("a brace is not closed (write {{ or }} for a brace itself)")
        buf += between
        at = m.end()
        if m.group(0) in ("{{", "}}"):
            buf += m.group(0)[0]
            continue
        if buf:
            out.append(buf)
            buf = ""
        out.append(parse_reference(m.group(1)))
    tail = text[at:]
    if "{" in tail or "}" in tail:
        raise ReferenceSyntaxError("a brace is not closed (write {{ or }} for a brace itself)")
    buf += tail
    if buf:
        out.append(buf)
    return out


def find_references(text: str) -> list[FigureRef]:
    return [p for p in split_text(text) if isinstance(p, FigureRef)]

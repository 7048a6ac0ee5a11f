"""The annual report's sections (sections.yml): which indicators, in what order.

sections.yml is the report's layout: section titles and order, and for each
indicator its place, the phrase sentences use, whether it gets a subsection
of its own and which rate goes beside it. What an indicator *is* (title,
unit, polarity, decimals) is the catalogue's. The file is checked against the
catalogue as it is read: an unknown id, an indicator in two sections, or a
``rate`` that is not the rate of its count is a :class:`LayoutError` naming
the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from csc_scorecard.indicators.yamlnodes import (
    LocatedError,
    Node,
    ScalarNode,
    SequenceNode,
    compose_file,
    line_of,
    mapping_items,
    plain,
)

__all__ = ["SECTIONS_FILE", "LayoutError", "SectionSpec", "SectionIndicator", "load_sections"]

SECTIONS_FILE = Path(__file__).resolve().parent / "sections.yml"

_SECTION_KEYS = ("id", "title", "indicators")
_INDICATOR_KEYS = ("id", "rate", "phrase", "detail", "finding")


class LayoutError(LocatedError):
    """sections.yml is not valid; the message names the file and line."""


@dataclass(frozen=True)
class SectionIndicator:
    id: str
    rate: str | None = None
    phrase: str | None = None
    detail: bool = False
    finding: bool = True
    line: int | None = None  # where sections.yml names it


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    indicators: tuple[SectionIndicator, ...]
    file: str | None = None
    line: int | None = None


def _indicator(node: Node, where: str, section: str) -> SectionIndicator:
    if isinstance(node, ScalarNode):
        value = plain(node)
        if not isinstance(value, str):
            raise LayoutError(where, line_of(node), f"section {section}: {value!r} is not an indicator id")
        return SectionIndicator(value, line=line_of(node))
    fields = {k: (kn, vn) for k, kn, vn in mapping_items(node, where, LayoutError,
                                                          what="an indicator entry")}
    for key, (key_node, _v) in fields.items():
        if key not in _INDICATOR_KEYS:
            raise LayoutError(where, line_of(key_node),
                              f"section {section}: unknown key {key!r}; expected {', '.join(_INDICATOR_KEYS)}")
    value = {k: plain(vn) for k, (_kn, vn) in fields.items()}
    if not isinstance(value.get("id"), str):
        raise LayoutError(where, line_of(node), f"section {section}: an indicator entry needs an id")
    for key in ("rate", "phrase"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise LayoutError(where, line_of(fields[key][1]), f"section {section}: {key} must be text")
    for key in ("detail", "finding"):
        if key in value and not isinstance(value[key], bool):
            raise LayoutError(where, line_of(fields[key][1]),
                              f"section {section}: {key} must be true or false")
    return SectionIndicator(
        value["id"], value.get("rate"), value.get("phrase"),
        bool(value.get("detail", False)), bool(value.get("finding", True)), line_of(node),
    )


def _check_against_catalogue(specs: list[SectionSpec], where: str) -> None:
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.indicators.vocab import Unit

    catalogue = get_catalogue()
    placed: dict[str, str] = {}
    for spec in specs:
        for ind in spec.indicators:
            if ind.id not in catalogue:
                raise LayoutError(where, ind.line, catalogue.unknown_message(ind.id))
            if ind.id in placed:
                raise LayoutError(where, ind.line,
                                  f"section {spec.id}: {ind.id} is already in section {placed[ind.id]}")
            placed[ind.id] = spec.id
            if ind.rate is None:
                continue
            rate = catalogue.get(ind.rate)
            if rate is None:
                raise LayoutError(where, ind.line, catalogue.unknown_message(ind.rate, what="rate"))
            if rate.unit is not Unit.RATE_PER_10K or (rate.rate_of and rate.rate_of != ind.id):
                raise LayoutError(where, ind.line,
                                  f"section {spec.id}: {ind.rate} is not the rate per 10,000 of {ind.id}")


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[SectionSpec, ...]:
    root = compose_file(path, LayoutError)
    if not isinstance(root, SequenceNode):
        raise LayoutError(path, line_of(root), "expected a list of sections (- id: ...)")
    out = []
    seen: set[str] = set()
    for item in root.value:
        fields = {k: (kn, vn) for k, kn, vn in mapping_items(item, path, LayoutError, what="a section")}
        for key, (key_node, _v) in fields.items():
            if key not in _SECTION_KEYS:
                raise LayoutError(path, line_of(key_node),
                                  f"unknown key {key!r}; expected id, title and indicators")
        sid = plain(fields["id"][1]) if "id" in fields else None
        title = plain(fields["title"][1]) if "title" in fields else None
        if not isinstance(sid, str) or not isinstance(title, str) or not title.strip():
            raise LayoutError(path, line_of(item), "a section needs an id and a title")
        if sid in seen:
            raise LayoutError(path, line_of(fields["id"][1]), f"section id {sid!r} appears twice")
        seen.add(sid)
        inds_node = fields.get("indicators", (None, None))[1]
        if inds_node is not None and not isinstance(inds_node, SequenceNode):
            raise LayoutError(path, line_of(inds_node), f"section {sid}: indicators must be a list")
        inds = tuple(_indicator(n, path, sid) for n in (inds_node.value if inds_node else []))
        out.append(SectionSpec(sid, title.strip(), inds, path, line_of(item)))
    _check_against_catalogue(out, path)
    return tuple(out)


def load_sections(path: Path | str | None = None) -> list[SectionSpec]:
    return list(_load(str(path or SECTIONS_FILE)))

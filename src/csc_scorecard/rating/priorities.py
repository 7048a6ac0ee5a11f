"""Priorities: indicators grouped for the high-level summary, with a roll-up rule.

``priorities.yml`` in this package lists each priority's id, title and
indicator ids, in the order the summary shows them; it is checked against the
indicator catalogue as it is read (an unknown id is an error naming the file
and line).  A priority's RAG and direction are rolled up from its
indicators' (docs/rating.md):

RAG roll-up (B and unrated indicators left out; "rated" = G, A or R):

1. no rated indicator -> not rated (None);
2. **R** if a third or more of the rated indicators are R;
3. **A** if any rated indicator is R or A (one Red among many is a warning
   sign for the priority, not its whole picture);
4. **G** otherwise (every rated indicator is G).

A priority whose indicators are all B is shown B (every measure in it is
discontinued).

Direction roll-up: among the indicators with a judged direction (improving,
steady or declining - contextual indicators and B are left out) the most
common direction wins; a tie for most common gives steady; none gives None
("N/A" as in the council's summary).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from csc_scorecard.indicators.yamlnodes import (
    LocatedError,
    SequenceNode,
    compose_file,
    line_of,
    mapping_items,
    plain,
)
from csc_scorecard.rating.direction import Direction
from csc_scorecard.rating.rag import Rag

__all__ = [
    "PRIORITIES_FILE",
    "Priority",
    "PriorityError",
    "load_priorities",
    "priority_direction_label",
    "priority_of",
    "rollup_direction",
    "rollup_rag",
]

PRIORITIES_FILE = Path(__file__).resolve().parent / "priorities.yml"


class PriorityError(LocatedError):
    """priorities.yml is not valid; the message names the file and line."""


@dataclass(frozen=True)
class Priority:
    id: str
    title: str
    indicators: tuple[str, ...]


def load_priorities(
    path: Path | str | None = None, *, known_ids: Iterable[str] | None = None
) -> list[Priority]:
    """Read priorities (default: the package's priorities.yml), strictly.

    Every indicator id must be in the catalogue (or in ``known_ids`` when
    given); an id that is not, a repeated id, or an indicator in two
    priorities is a :class:`PriorityError` naming the file and line.
    """
    path = Path(path) if path is not None else PRIORITIES_FILE
    if known_ids is None:
        # Every page asks for the priorities: kept while the file (and catalogue) is unchanged.
        from csc_scorecard.indicators.catalogue import get_catalogue

        try:
            st = path.stat()
        except OSError:
            st = None
        if st is not None:
            stamp = (str(path), st.st_mtime_ns, st.st_size, id(get_catalogue()))
            return list(_read_kept(stamp))
    return _read_priorities(path, known_ids)


@lru_cache(maxsize=8)
def _read_kept(stamp: tuple) -> tuple[Priority, ...]:
    return tuple(_read_priorities(Path(stamp[0]), None))


def _read_priorities(path: Path, known_ids: Iterable[str] | None) -> list[Priority]:
    where = str(path)
    root = compose_file(path, PriorityError)
    if not isinstance(root, SequenceNode):
        raise PriorityError(where, line_of(root), "expected a list of priorities (- id: ...)")
    result: list[Priority] = []
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    named: list[tuple[str, str, int | None]] = []  # (indicator id, file, line) to check
    for item in root.value:
        fields = {k: (kn, vn) for k, kn, vn in mapping_items(item, where, PriorityError,
                                                              what="a priority")}
        extra = set(fields) - {"id", "title", "indicators"}
        if extra:
            raise PriorityError(where, line_of(fields[sorted(extra)[0]][0]),
                                f"unknown key {sorted(extra)[0]!r}; expected only id, title and indicators")
        value = {k: plain(vn) for k, (_kn, vn) in fields.items()}
        pid, title, indicators = value.get("id"), value.get("title"), value.get("indicators")
        line = line_of(item)
        if not isinstance(pid, str) or not pid:
            raise PriorityError(where, line, "id is required")
        if pid in seen_ids:
            raise PriorityError(where, line_of(fields["id"][1]), f"id {pid!r} appears twice")
        if not isinstance(title, str) or not title.strip():
            raise PriorityError(where, line, f"priority {pid}: title is required")
        if not isinstance(indicators, list) or not all(isinstance(i, str) for i in indicators):
            raise PriorityError(where, line, f"priority {pid}: indicators must be a list of indicator ids")
        for ind, ind_node in zip(indicators, fields["indicators"][1].value, strict=True):
            if ind in owner:
                raise PriorityError(where, line_of(ind_node),
                                    f"priority {pid}: {ind} is already in priority {owner[ind]}")
            owner[ind] = pid
            named.append((ind, where, line_of(ind_node)))
        seen_ids.add(pid)
        result.append(Priority(pid, title.strip(), tuple(indicators)))
    _check_known(named, known_ids)
    return result


def _check_known(named: list[tuple[str, str, int | None]], known_ids: Iterable[str] | None) -> None:
    if known_ids is not None:
        known = set(known_ids)
        for ind, where, line in named:
            if ind not in known:
                raise PriorityError(where, line, f"unknown indicator id {ind!r}")
        return
    from csc_scorecard.indicators.catalogue import CatalogueError, get_catalogue

    try:
        get_catalogue().check_ids(named, what="unknown indicator id")
    except CatalogueError as exc:
        raise PriorityError(exc.path, exc.line, exc.reason) from None


def priority_of(priorities: Iterable[Priority]) -> dict[str, Priority]:
    """Indicator id -> its priority."""
    return {ind: p for p in priorities for ind in p.indicators}


def _rag(value: Rag | str | None) -> Rag | None:
    return None if value in (None, "") else Rag(value)


ROLLUP_RULE = (
    "A priority's rating is Red when a third or more of its rated indicators are Red, "
    "Amber when any is Red or Amber, and Green when all rated indicators are Green. "
    "Its direction is the most common direction of its judged indicators (a tie is steady); "
    "N/A when none can be judged."
)


def rollup_rag(ratings: Iterable[Rag | str | None]) -> Rag | None:
    """A priority's RAG from its indicators' (see the module docstring)."""
    values = [_rag(r) for r in ratings]
    rated = [r for r in values if r in (Rag.G, Rag.A, Rag.R)]
    if not rated:
        return Rag.B if values and all(r is Rag.B for r in values) else None
    counts = Counter(rated)
    if Fraction(counts[Rag.R], len(rated)) >= Fraction(1, 3):
        return Rag.R
    if counts[Rag.R] or counts[Rag.A]:
        return Rag.A
    return Rag.G


def rollup_direction(
    directions: Iterable[Direction | str | None], ratings: Iterable[Rag | str | None] | None = None
) -> Direction | None:
    """The most common judged direction; ties give steady; none gives None.

    When ``ratings`` (same order) are given, indicators rated B are left out.
    """
    dirs = [None if d in (None, "") else Direction(d) for d in directions]
    if ratings is not None:
        rags = [_rag(r) for r in ratings]
        if len(rags) != len(dirs):
            raise ValueError("directions and ratings must be the same length")
        dirs = [d for d, r in zip(dirs, rags, strict=True) if r is not Rag.B]
    judged = [d for d in dirs if d is not None and d.judged]
    if not judged:
        return None
    ranked = Counter(judged).most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return Direction.STEADY
    return ranked[0][0]


def priority_direction_label(value: Direction | str | None) -> str:
    """A priority's direction as arrow and word: "↑ improving", "→ steady", "↓ declining", "N/A".

    A priority has no single value, so its arrow shows the judgement (up is
    better), as in the council's high-level summary.
    """
    if value in (None, ""):
        return "N/A"
    d = Direction(value)
    arrow = {Direction.IMPROVING: "↑", Direction.DECLINING: "↓"}.get(d, "→")
    return f"{arrow} {d.value}"


def summarise(
    rows: Iterable[Mapping[str, object]], priorities: Iterable[Priority]
) -> list[dict[str, object]]:
    """One summary per priority from scorecard rows (``indicator_id``, ``rag``, ``direction``)."""
    by_indicator: dict[str, Mapping[str, object]] = {}
    for row in rows:
        by_indicator.setdefault(str(row["indicator_id"]), row)
    out: list[dict[str, object]] = []
    for p in priorities:
        members = [by_indicator[i] for i in p.indicators if i in by_indicator]
        rags = [m.get("rag") for m in members]
        dirs = [m.get("direction") for m in members]
        rag = rollup_rag(rags)  # type: ignore[arg-type]
        counts = Counter(r for r in rags if r)
        out.append(
            {
                "priority_id": p.id,
                "title": p.title,
                "rag": rag.value if rag else None,
                "direction": (d.value if (d := rollup_direction(dirs, rags)) else None),  # type: ignore[arg-type]
                "direction_label": priority_direction_label(d),
                "indicators": len(members),
                "G": counts.get("G", 0),
                "A": counts.get("A", 0),
                "R": counts.get("R", 0),
                "B": counts.get("B", 0),
                "not_rated": sum(1 for r in rags if not r),
            }
        )
    return out

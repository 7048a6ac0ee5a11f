"""The Annex A list specs (spec/annex_a.yml) and recognising a list from its headers."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from csc_scorecard.returns.annex_a.codes import CodeList
from csc_scorecard.returns.cleaning import clean_text
from csc_scorecard.yaml_load import safe_load

SPEC_PATH = Path(__file__).with_name("spec") / "annex_a.yml"

KINDS = {"id", "date", "code", "bool", "int", "text", "skip"}


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    kind: str
    patterns: tuple[re.Pattern[str], ...]
    codes: str = ""
    required: bool = False

    def matches(self, header_key: str) -> bool:
        return any(p.search(header_key) for p in self.patterns)


@dataclass
class ListSpec:
    number: int
    title: str
    table: str  # canonical table of the list's main rows ("" when none)
    id_key: str
    identify: list[str]
    event: str  # the column whose date starts an allocation ("" when none)
    columns: list[ColumnSpec]  # list-specific first, then the shared ones
    # match_columns' answers by the header row's keys (looked at once for every list)
    matched: dict[tuple[str, ...], dict[int, ColumnSpec]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def label(self) -> str:
        return f"List {self.number} ({self.title})"

    def column(self, key: str) -> ColumnSpec:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@dataclass
class AnnexASpec:
    lists: dict[int, ListSpec]
    codes: dict[str, CodeList] = field(default_factory=dict)


def header_key(value: object) -> str:
    """A header reduced for matching: 'Unaccompanied ... (UASC) (Y/N))\\n' -> 'unaccompanied ... uasc y n'."""
    text = clean_text(value).lower()
    text = re.sub(r"['\u2018\u2019\u201c\u201d\"`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


def _column(key: str, entry: dict) -> ColumnSpec:
    kind = entry.get("kind", "text")
    if kind not in KINDS:
        raise ValueError(f"annex_a.yml: column {key} has unknown kind {kind!r}")
    patterns = tuple(re.compile(p) for p in entry.get("headers", []))
    if not patterns:
        raise ValueError(f"annex_a.yml: column {key} has no header patterns")
    return ColumnSpec(
        key, kind, patterns, entry.get("codes", ""), bool(entry.get("required", False))
    )


@functools.cache
def load_spec(path: str = str(SPEC_PATH)) -> AnnexASpec:
    with open(path, encoding="utf-8") as fh:
        raw = safe_load(fh.read())
    codes = {name: CodeList.from_spec(name, entry) for name, entry in raw["codes"].items()}
    common = {key: _column(key, entry) for key, entry in raw["common"].items()}
    lists: dict[int, ListSpec] = {}
    for number, entry in raw["lists"].items():
        own = [_column(key, col) for key, col in (entry.get("columns") or {}).items()]
        shared = [common[key] for key in entry.get("common", [])]
        columns = own + shared
        for col in columns:
            if col.kind == "code" and col.codes not in codes:
                raise ValueError(
                    f"annex_a.yml: list {number} column {col.key} names unknown codes {col.codes!r}"
                )
        spec = ListSpec(
            number=int(number),
            title=entry["title"],
            table=entry.get("table") or "",
            id_key=entry.get("id", "child_id"),
            identify=list(entry.get("identify", [])),
            event=entry.get("event") or "",
            columns=columns,
        )
        lists[spec.number] = spec
    return AnnexASpec(lists, codes)


def match_columns(spec: ListSpec, headers: list[object]) -> dict[int, ColumnSpec]:
    """Which column spec each header position stands for.

    Each header goes to the first spec column (list-specific before shared)
    whose pattern it matches and that no earlier header has taken; 'skip'
    columns may take several headers.
    """
    keys = tuple(_header_key(h) for h in headers)
    known = spec.matched.get(keys)
    if known is not None:  # the same header row seen before: each list looks at every row
        return dict(known)
    taken: set[str] = set()
    found: dict[int, ColumnSpec] = {}
    for pos, key in enumerate(keys):
        if not key:
            continue
        for col in spec.columns:
            if col.key in taken and col.kind != "skip":
                continue
            if col.matches(key):
                found[pos] = col
                taken.add(col.key)
                break
    if len(spec.matched) > 1000:  # a hostile file of many different title rows
        spec.matched.clear()
    spec.matched[keys] = found
    return dict(found)


_HEADER_KEYS: dict[str, str] = {}  # header text -> header_key: the same titles recur


def _header_key(value: object) -> str:
    if type(value) is not str:
        return header_key(value)
    key = _HEADER_KEYS.get(value)  # type: ignore[call-overload]
    if key is None:
        if len(_HEADER_KEYS) > 10_000:
            _HEADER_KEYS.clear()
        key = _HEADER_KEYS[value] = header_key(value)  # type: ignore[index]
    return key


def score_list(spec: ListSpec, headers: list[object]) -> int:
    """How many columns of `spec` the headers name, or 0 when the list is not there."""
    found = match_columns(spec, headers)
    keys = {col.key for col in found.values()}
    if spec.id_key not in keys or not all(k in keys for k in spec.identify):
        return 0
    return len(keys)


def identify_list(headers: list[object]) -> int | None:
    """The Annex A list (1-11) a header row belongs to, or None."""
    if not headers or len(headers) < 2:
        return None
    spec = load_spec()
    best, best_score = None, 0
    for number, list_spec in spec.lists.items():
        score = score_list(list_spec, headers)
        if score > best_score:
            best, best_score = number, score
    return best

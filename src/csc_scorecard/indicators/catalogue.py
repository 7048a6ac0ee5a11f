"""The indicator catalogue: declarative definitions, one YAML file per family.

Every ``*.yml`` file in ``indicators/catalogue/`` is a list of entries::

    - id: referrals_count                 # stable snake_case, the interface
      title: Referrals
      definition: >-
        Referrals to children's social care with a referral date in the period.
      source: DfE                         # DfE or LOCAL
      numerator: referrals in the period
      denominator: null                   # words; null for counts and rates
      unit: count                         # count, percent, rate_per_10k, days, average
      polarity: contextual                # higher_better, lower_better, contextual
      period_type: flow                   # flow, snapshot, cohort
      decimals: 0
      inputs:                             # canonical table -> fields read
        referral: [child_id, referral_date]
      dfe_measure: Number of referrals    # the matching published DfE measure, or null
      notes: optional free text

Loading is strict: a missing or unknown key, a wrong type, a value outside
its list, a duplicate key in a mapping or a duplicate id is a
:class:`CatalogueError` naming the file and the line (from YAML's node marks).
The family of an entry is its file's stem (``front_door.yml`` -> ``front_door``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "CATALOGUE_DIR",
    "Catalogue",
    "CatalogueEntry",
    "CatalogueError",
    "POLARITIES",
    "PERIOD_TYPES",
    "SOURCES",
    "UNITS",
    "get_catalogue",
    "load_catalogue",
]

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"

SOURCES = ("DfE", "LOCAL")
UNITS = ("count", "percent", "rate_per_10k", "days", "average")
POLARITIES = ("higher_better", "lower_better", "contextual")
PERIOD_TYPES = ("flow", "snapshot", "cohort")

_ID = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")

# key -> (required, kind); kinds: str, text (str, may be null), int, list-map
_FIELDS: dict[str, tuple[bool, str]] = {
    "id": (True, "str"),
    "title": (True, "str"),
    "definition": (True, "str"),
    "source": (True, "str"),
    "numerator": (True, "str"),
    "denominator": (True, "text"),
    "unit": (True, "str"),
    "polarity": (True, "str"),
    "period_type": (True, "str"),
    "decimals": (True, "int"),
    "inputs": (True, "inputs"),
    "dfe_measure": (True, "text"),
    "notes": (False, "text"),
}
_CHOICES = {
    "source": SOURCES,
    "unit": UNITS,
    "polarity": POLARITIES,
    "period_type": PERIOD_TYPES,
}


class CatalogueError(ValueError):
    """A catalogue file is not valid; the message names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    title: str
    definition: str
    source: str
    numerator: str
    denominator: str | None
    unit: str
    polarity: str
    period_type: str
    decimals: int
    inputs: dict[str, tuple[str, ...]]
    dfe_measure: str | None
    family: str
    file: str
    line: int
    notes: str | None = None

    @property
    def is_rate(self) -> bool:
        return self.unit == "rate_per_10k"

    @property
    def has_denominator(self) -> bool:
        """True when the unit rows carry the denominator (percent, days, average)."""
        return self.unit in ("percent", "days", "average")


@dataclass
class Catalogue:
    entries: dict[str, CatalogueEntry] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def __getitem__(self, indicator_id: str) -> CatalogueEntry:
        return self.entries[indicator_id]

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self.entries

    def __iter__(self) -> Iterator[CatalogueEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def ids(self) -> list[str]:
        return list(self.entries)

    def family(self, family: str) -> list[CatalogueEntry]:
        return [e for e in self.entries.values() if e.family == family]

    def families(self) -> list[str]:
        return sorted({e.family for e in self.entries.values()})


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def _line(node: Node) -> int:
    return node.start_mark.line + 1


class _Loader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: Node | None, message: str) -> CatalogueError:
        return CatalogueError(self.path, _line(node) if node is not None else None, message)

    def scalar(self, node: Node, key: str, kind: str) -> Any:
        if kind == "text" and isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return None
        if not isinstance(node, ScalarNode):
            raise self.fail(node, f"{key!r} must be a single value, not a list or mapping")
        value = yaml.safe_load(yaml.serialize(node))
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 6:
                raise self.fail(node, f"{key!r} must be a whole number 0 to 6, not {node.value!r}")
            return value
        if not isinstance(value, str):
            # A bare number or yes/no where text was meant: YAML typed it.
            raise self.fail(node, f"{key!r} must be text, not {node.value!r} (quote it)")
        value = " ".join(value.split())
        if not value:
            raise self.fail(node, f"{key!r} must not be empty")
        return value

    def inputs(self, node: Node) -> dict[str, tuple[str, ...]]:
        if not isinstance(node, MappingNode) or not node.value:
            raise self.fail(node, "'inputs' must map each table read to a list of its fields")
        result: dict[str, tuple[str, ...]] = {}
        for key_node, value_node in node.value:
            table = self.scalar(key_node, "inputs table", "str")
            if table in result:
                raise self.fail(key_node, f"table {table!r} appears twice in 'inputs'")
            if not isinstance(value_node, SequenceNode) or not value_node.value:
                raise self.fail(value_node, f"inputs for {table!r} must be a list of field names")
            fields = tuple(self.scalar(f, f"field of {table}", "str") for f in value_node.value)
            if len(set(fields)) != len(fields):
                raise self.fail(value_node, f"a field is listed twice for {table!r}")
            result[table] = fields
        return result

    def entry(self, node: Node, family: str) -> CatalogueEntry:
        if not isinstance(node, MappingNode):
            raise self.fail(node, "each catalogue entry must be a mapping of key: value")
        seen: dict[str, Node] = {}
        values: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "keys must be plain words")
            key = key_node.value
            if key in seen:
                raise self.fail(key_node, f"key {key!r} appears twice in this entry")
            seen[key] = key_node
            if key not in _FIELDS:
                raise self.fail(
                    key_node, f"unknown key {key!r}; expected one of {', '.join(_FIELDS)}"
                )
            kind = _FIELDS[key][1]
            if kind == "inputs":
                values[key] = self.inputs(value_node)
            else:
                values[key] = self.scalar(value_node, key, kind)
            if key in _CHOICES and values[key] not in _CHOICES[key]:
                raise self.fail(
                    value_node,
                    f"{key} {values[key]!r} is not one of {', '.join(_CHOICES[key])}",
                )
        ident = values.get("id", "?")
        missing = [k for k, (required, _) in _FIELDS.items() if required and k not in values]
        if missing:
            raise self.fail(node, f"entry {ident!r} lacks {', '.join(missing)}")
        if not _ID.fullmatch(values["id"]):
            raise self.fail(seen["id"], f"id {values['id']!r} is not snake_case (a-z, 0-9, _)")
        if values["unit"] in ("percent", "days", "average") and values["denominator"] is None:
            raise self.fail(node, f"entry {ident!r}: a {values['unit']} needs a denominator")
        if values["unit"] == "count" and values["denominator"] is not None:
            raise self.fail(seen["denominator"], f"entry {ident!r}: a count has no denominator (null)")
        return CatalogueEntry(
            family=family, file=str(self.path), line=_line(node), **values
        )

    def load(self) -> list[CatalogueEntry]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogueError(self.path, None, f"cannot read: {exc}") from exc
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            raise CatalogueError(self.path, line, f"not valid YAML: {exc.problem}") from exc
        if root is None:
            return []
        if not isinstance(root, SequenceNode):
            raise self.fail(root, "a catalogue file must be a list of entries (- id: ...)")
        return [self.entry(item, self.path.stem) for item in root.value]


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Read every ``*.yml`` file in ``directory`` (default: the package's catalogue)."""
    folder = Path(directory) if directory is not None else CATALOGUE_DIR
    catalogue = Catalogue()
    for path in sorted(folder.glob("*.yml")):
        catalogue.files.append(str(path))
        for entry in _Loader(path).load():
            if entry.id in catalogue.entries:
                first = catalogue.entries[entry.id]
                raise CatalogueError(
                    path,
                    entry.line,
                    f"id {entry.id!r} is already defined in {first.file}, line {first.line}",
                )
            catalogue.entries[entry.id] = entry
    return catalogue


@lru_cache(maxsize=1)
def get_catalogue() -> Catalogue:
    """The package catalogue, loaded once."""
    return load_catalogue()

"""The indicator catalogue: the one manifest of every indicator, one YAML file per family.

Every ``*.yml`` file in ``indicators/catalogue/`` is a list of entries::

    - id: referrals_count                 # stable snake_case, the interface
      title: Referrals
      definition: >-
        Referrals to children's social care with a referral date in the period.
      source: DfE                         # DfE or LOCAL
      numerator: referrals in the period
      denominator: null                   # words; null for counts
      unit: count                         # a vocab.Unit: count, percent, rate_per_10k, days, average
      polarity: contextual                # a vocab.Polarity: higher_better, lower_better, contextual
      period_type: flow                   # flow, snapshot, cohort
      decimals: 0
      inputs:                             # canonical table -> fields read
        referral: [child_id, referral_date]
      dfe_measure: Number of referrals    # the matching published DfE measure, or null
      notes: optional free text

A rate per 10,000 children that only divides a count by the 0-17 population
is *declared*, not written as a function: ``rate_of: <count id>`` names the
count, and the engine divides that count's figure by the population. Its
``inputs`` may be left out (they are the count's).

Loading is strict: a missing or unknown key, a wrong type, a value outside
its vocabulary, a duplicate key in a mapping, a duplicate id or a
``rate_of`` that names no count is a :class:`CatalogueError` naming the file
and the line (from YAML's node marks). The family of an entry is its
file's stem (``front_door.yml`` -> ``front_door``); its functions live in
the module or sub-package ``csc_scorecard.indicators.<family>``.

Other manifest files (priorities.yml, sections.yml, measures.yml, the demo
targets) name indicators by id; :meth:`Catalogue.check_ids` is how they are
checked against this catalogue, with their own file and line in the error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from csc_scorecard.indicators.formatting import format_figure
from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.indicators.yamlnodes import (
    LocatedError,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    compose_file,
    line_of,
    plain,
)

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
PERIOD_TYPES = ("flow", "snapshot", "cohort")
# The vocabularies themselves are vocab.Unit and vocab.Polarity; these are their words.
UNITS = Unit.choices()
POLARITIES = Polarity.choices()

_ID = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")

# key -> (required, kind); kinds: str, text (str, may be null), int, inputs
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
    "inputs": (True, "inputs"),  # optional for a declared rate (rate_of)
    "dfe_measure": (True, "text"),
    "rate_of": (False, "str"),
    "notes": (False, "text"),
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "source": SOURCES,
    "unit": UNITS,
    "polarity": POLARITIES,
    "period_type": PERIOD_TYPES,
}


class CatalogueError(LocatedError):
    """A catalogue file (or a file naming catalogue ids) is not valid; names the file and line."""


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    title: str
    definition: str
    source: str
    numerator: str
    denominator: str | None
    unit: Unit
    polarity: Polarity
    period_type: str
    decimals: int
    inputs: dict[str, tuple[str, ...]]
    dfe_measure: str | None
    family: str
    file: str
    line: int
    notes: str | None = None
    rate_of: str | None = None  # a declared rate: the count it divides by the population

    @property
    def is_rate(self) -> bool:
        return self.unit is Unit.RATE_PER_10K

    @property
    def is_declared_rate(self) -> bool:
        """True when the engine computes this rate from its count (no function of its own)."""
        return self.rate_of is not None

    @property
    def has_denominator(self) -> bool:
        """True when the unit rows carry the denominator (percent, days, average)."""
        return self.unit.has_denominator

    @property
    def where(self) -> str:
        return f"{self.file}, line {self.line}"

    def format(self, value: Any, *, thousands: bool = False, with_unit: bool = False,
               blank: str = "") -> str:
        """The value as displayed: this entry's decimals, half away from zero."""
        return format_figure(value, self.decimals, unit=self.unit, thousands=thousands,
                             with_unit=with_unit, blank=blank)


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

    def get(self, indicator_id: str) -> CatalogueEntry | None:
        return self.entries.get(indicator_id)

    def family(self, family: str) -> list[CatalogueEntry]:
        return [e for e in self.entries.values() if e.family == family]

    def families(self) -> list[str]:
        return sorted({e.family for e in self.entries.values()})

    def declared_rates(self) -> list[CatalogueEntry]:
        return [e for e in self.entries.values() if e.is_declared_rate]

    def check_ids(
        self, named: Iterable[tuple[str, str, int | None]], *, what: str = "indicator id"
    ) -> None:
        """Raise a :class:`CatalogueError` for the first (id, file, line) the catalogue lacks.

        This is how every other file naming indicators is checked against the manifest.
        """
        for ident, path, line in named:
            if ident not in self.entries:
                raise CatalogueError(path, line, self.unknown_message(ident, what=what))

    def unknown_message(self, ident: str, *, what: str = "indicator id") -> str:
        close = [i for i in self.entries if ident and (ident in i or i in ident)][:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        return f"{what} {ident!r} is not in the indicator catalogue{hint}"


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


class _Loader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: Node | None, message: str) -> CatalogueError:
        return CatalogueError(self.path, line_of(node), message)

    def scalar(self, node: Node, key: str, kind: str) -> Any:
        if kind == "text" and isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return None
        if not isinstance(node, ScalarNode):
            raise self.fail(node, f"{key!r} must be a single value, not a list or mapping")
        value = plain(node)
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

    def entry(self, node: Node, family: str) -> tuple[CatalogueEntry, dict[str, Node]]:
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
            seen[key] = value_node
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
        optional = {"inputs"} if "rate_of" in values else set()
        missing = [
            k for k, (required, _) in _FIELDS.items()
            if required and k not in values and k not in optional
        ]
        if missing:
            raise self.fail(node, f"entry {ident!r} lacks {', '.join(missing)}")
        if not _ID.fullmatch(values["id"]):
            raise self.fail(seen["id"], f"id {values['id']!r} is not snake_case (a-z, 0-9, _)")
        unit = Unit.parse(values["unit"])
        values["unit"], values["polarity"] = unit, Polarity.parse(values["polarity"])
        if unit.has_denominator and values["denominator"] is None:
            raise self.fail(node, f"entry {ident!r}: a {unit} needs a denominator")
        if unit is Unit.COUNT and values["denominator"] is not None:
            raise self.fail(seen["denominator"], f"entry {ident!r}: a count has no denominator (null)")
        if "rate_of" in values and unit is not Unit.RATE_PER_10K:
            raise self.fail(seen["rate_of"], f"entry {ident!r}: only a rate_per_10k can be a rate_of a count")
        values.setdefault("inputs", {})
        entry = CatalogueEntry(family=family, file=str(self.path), line=line_of(node) or 0, **values)
        return entry, seen

    def load(self) -> list[tuple[CatalogueEntry, dict[str, Node]]]:
        root = compose_file(self.path, CatalogueError)
        if root is None:
            return []
        if not isinstance(root, SequenceNode):
            raise self.fail(root, "a catalogue file must be a list of entries (- id: ...)")
        return [self.entry(item, self.path.stem) for item in root.value]


def _resolve_rates(catalogue: Catalogue, nodes: dict[str, dict[str, Node]]) -> None:
    """Check each ``rate_of`` names a count, and give the rate the count's inputs."""
    for entry in catalogue.declared_rates():
        where = nodes[entry.id]["rate_of"]
        count = catalogue.get(entry.rate_of or "")
        if count is None:
            raise CatalogueError(entry.file, line_of(where),
                                 catalogue.unknown_message(entry.rate_of or "", what="rate_of"))
        if count.unit is not Unit.COUNT or count.is_declared_rate:
            raise CatalogueError(entry.file, line_of(where),
                                 f"rate_of {count.id!r} must name a count (its unit is {count.unit})")
        if not entry.inputs:
            catalogue.entries[entry.id] = replace(entry, inputs=count.inputs)


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Read every ``*.yml`` file in ``directory`` (default: the package's catalogue)."""
    folder = Path(directory) if directory is not None else CATALOGUE_DIR
    catalogue = Catalogue()
    nodes: dict[str, dict[str, Node]] = {}
    for path in sorted(folder.glob("*.yml")):
        catalogue.files.append(str(path))
        for entry, seen in _Loader(path).load():
            if entry.id in catalogue.entries:
                first = catalogue.entries[entry.id]
                raise CatalogueError(
                    path,
                    entry.line,
                    f"id {entry.id!r} is already defined in {first.file}, line {first.line}",
                )
            catalogue.entries[entry.id] = entry
            nodes[entry.id] = seen
    _resolve_rates(catalogue, nodes)
    return catalogue


@lru_cache(maxsize=1)
def get_catalogue() -> Catalogue:
    """The package catalogue, loaded once."""
    return load_catalogue()

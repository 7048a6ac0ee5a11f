"""Load ``measures.yml``: which published DfE figure benchmarks each indicator.

measures.yml says only *where* a catalogue indicator's published figure is
read (dataset and column, or LAIT measure), at what precision DfE publishes
it, and why its polarity is what it is. The indicator's name, unit and
polarity are the catalogue's: the file is checked against the catalogue as
it is loaded, and every problem names the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from csc_scorecard.benchmarks import datasets as ds
from csc_scorecard.benchmarks.errors import ReferenceDataError
from csc_scorecard.indicators.catalogue import Catalogue, get_catalogue
from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.indicators.yamlnodes import (
    Node,
    ScalarNode,
    compose_text,
    line_of,
    mapping_items,
    plain,
)

TRANSFORMS = (None, "complement")

#: keys of an indicator's entry in measures.yml; title, unit and polarity are the catalogue's
_KEYS = {"published", "also_in", "transform", "dp", "period", "polarity_basis", "notes"}
_REQUIRED = ("published", "dp", "period", "polarity_basis")
_TOP_KEYS = {"version", "indicators", "unmapped", "near_misses"}

MEASURES_FILE = Path(__file__).resolve().with_name("measures.yml")


class MeasuresError(ReferenceDataError):
    """measures.yml is not valid; the message names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path, self.line, self.reason = str(path), line, message
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class PublishedSource:
    """A published figure: a DfE open-data column (with breakdown) or a LAIT measure."""

    dataset: str | None = None
    column: str | None = None
    filters: tuple[tuple[str, str], ...] = ()
    lait: str | None = None

    @property
    def measure_id(self) -> str:
        """The ``measure_id`` this figure has in ``measures.parquet``."""
        if self.lait is not None:
            return f"lait:{self.lait}"
        spec = _spec(self.dataset)
        base = f"{self.dataset}:{self.column}"
        if not spec.dimensions:
            return base
        values = dict(self.filters)
        return base + ":" + " | ".join(values[d] for d in spec.dimensions)

    def describe(self) -> str:
        if self.lait is not None:
            return f"LAIT {self.lait}"
        text = f"{self.dataset} / {self.column}"
        if self.filters:
            text += " [" + "; ".join(f"{k} = {v}" for k, v in self.filters) + "]"
        return text


@dataclass(frozen=True)
class IndicatorMapping:
    """Where the published figure for one catalogue indicator is read.

    ``title`` (the published measure's name), ``unit`` and ``polarity`` come
    from the catalogue entry; ``dp`` is the precision DfE publishes to.
    """

    indicator_id: str
    title: str
    unit: Unit
    polarity: Polarity
    polarity_basis: str
    dp: int
    period: str
    published: PublishedSource
    transform: str | None = None
    also_in: PublishedSource | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Mapping:
    indicators: dict[str, IndicatorMapping]
    unmapped: dict[str, str] = field(default_factory=dict)
    path: str = "measures.yml"
    lines: dict[str, int] = field(default_factory=dict)  # indicator id -> line in the file

    def __getitem__(self, indicator_id: str) -> IndicatorMapping:
        return self.indicators[indicator_id]


def _spec(key: str | None) -> ds.DatasetSpec:
    for spec in ds.DFE_DATASETS:
        if spec.key == key:
            return spec
    raise KeyError(key)


def _source(raw: Any, where: str) -> PublishedSource:
    if not isinstance(raw, dict):
        raise ReferenceDataError(f"{where}: expected a mapping with 'dataset'/'column' or 'lait'")
    if "lait" in raw:
        return PublishedSource(lait=str(raw["lait"]))
    dataset = raw.get("dataset")
    column = raw.get("column")
    if not dataset or not column:
        raise ReferenceDataError(f"{where}: needs both 'dataset' and 'column' (or 'lait')")
    try:
        spec = _spec(dataset)
    except KeyError:
        raise ReferenceDataError(f"{where}: unknown dataset {dataset!r}") from None
    filters = raw.get("filters") or {}
    if set(filters) != set(spec.dimensions):
        raise ReferenceDataError(
            f"{where}: dataset {dataset} needs filters on exactly "
            f"{', '.join(spec.dimensions) or 'nothing'} (got {', '.join(filters) or 'none'})"
        )
    return PublishedSource(
        dataset=str(dataset),
        column=str(column),
        filters=tuple((str(k), str(v)) for k, v in filters.items()),
    )


def _plain_mapping(node: Node, where: str, what: str) -> dict[str, tuple[Node, Node]]:
    return {k: (kn, vn) for k, kn, vn in mapping_items(node, where, MeasuresError, what=what)}


def _indicator(
    ind_id: str, id_node: Node, body_node: Node, where: str, catalogue: Catalogue
) -> IndicatorMapping:
    line = line_of(id_node)
    entry = catalogue.get(ind_id)
    if entry is None:
        raise MeasuresError(where, line, catalogue.unknown_message(ind_id))
    if not entry.dfe_measure:
        raise MeasuresError(
            where, line,
            f"{ind_id} has no dfe_measure in the catalogue ({entry.where}); name the "
            "published measure there before mapping it here",
        )
    body = _plain_mapping(body_node, where, f"indicator {ind_id}")
    for key, (key_node, _v) in body.items():
        if key not in _KEYS:
            hint = " (it is the catalogue's)" if key in ("title", "unit", "polarity") else ""
            raise MeasuresError(where, line_of(key_node),
                                f"indicator {ind_id}: unknown key {key!r}{hint}; "
                                f"expected {', '.join(sorted(_KEYS))}")
    missing = [k for k in _REQUIRED if k not in body]
    if missing:
        raise MeasuresError(where, line, f"indicator {ind_id}: lacks {', '.join(missing)}")
    raw = {k: plain(v) for k, (_kn, v) in body.items()}

    def located(key: str, message: str) -> MeasuresError:
        return MeasuresError(where, line_of(body[key][1]), f"indicator {ind_id}: {message}")

    transform = raw.get("transform")
    if transform not in TRANSFORMS:
        raise located("transform", f"unknown transform {transform!r}")
    dp = raw["dp"]
    if isinstance(dp, bool) or not isinstance(dp, int) or not 0 <= dp <= 6:
        raise located("dp", f"dp must be a whole number 0 to 6, not {dp!r}")
    sources: dict[str, PublishedSource] = {}
    for key in ("published", "also_in"):
        if raw.get(key):
            try:
                sources[key] = _source(raw[key], f"indicator {ind_id} {key}")
            except ReferenceDataError as exc:
                raise MeasuresError(where, line_of(body[key][1]), str(exc)) from None
    return IndicatorMapping(
        indicator_id=ind_id,
        title=entry.dfe_measure,
        unit=entry.unit,
        polarity=entry.polarity,
        polarity_basis=str(raw["polarity_basis"]),
        dp=dp,
        period=str(raw["period"]),
        published=sources["published"],
        transform=transform,
        also_in=sources.get("also_in"),
        notes=raw.get("notes"),
    )


def parse_mapping_text(
    text: str, where: str = "measures.yml", *, catalogue: Catalogue | None = None
) -> Mapping:
    """Read measures.yml text strictly, checking every id against the catalogue.

    Every problem is a :class:`MeasuresError` naming ``where`` and the line.
    """
    catalogue = catalogue if catalogue is not None else get_catalogue()
    root = compose_text(text, where, MeasuresError)
    if root is None:
        raise MeasuresError(where, None, "expected a top-level 'indicators' mapping")
    top = _plain_mapping(root, where, "the file")
    for key, (key_node, _value) in top.items():
        if key not in _TOP_KEYS:
            raise MeasuresError(where, line_of(key_node),
                                f"unknown key {key!r}; expected {', '.join(sorted(_TOP_KEYS))}")
    if "indicators" not in top:
        raise MeasuresError(where, line_of(root), "expected a top-level 'indicators' mapping")
    indicators: dict[str, IndicatorMapping] = {}
    lines: dict[str, int] = {}
    for ind_id, (id_node, body_node) in _plain_mapping(top["indicators"][1], where,
                                                      "'indicators'").items():
        indicators[ind_id] = _indicator(ind_id, id_node, body_node, where, catalogue)
        lines[ind_id] = line_of(id_node) or 0
    unmapped_node = top.get("unmapped")
    unmapped: dict[str, str] = {}
    if unmapped_node is not None and not (isinstance(unmapped_node[1], ScalarNode)):
        for ind_id, (id_node, reason) in _plain_mapping(unmapped_node[1], where, "'unmapped'").items():
            catalogue.check_ids([(ind_id, where, line_of(id_node))])
            if ind_id in indicators:
                raise MeasuresError(where, line_of(id_node), f"{ind_id} is both mapped and unmapped")
            unmapped[ind_id] = str(plain(reason))
    return Mapping(indicators=indicators, unmapped=unmapped, path=where, lines=lines)


@lru_cache(maxsize=4)
def load_mapping(path: str | None = None) -> Mapping:
    """The packaged ``measures.yml`` (or another file with the same shape), checked."""
    where = Path(path) if path is not None else MEASURES_FILE
    try:
        text = where.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MeasuresError(where, None, f"cannot read: {exc}") from None
    return parse_mapping_text(text, str(where))


def benchmarked_ids() -> tuple[str, ...]:
    """Every indicator id the benchmarks layer answers for: mapped or unmapped in measures.yml."""
    mapping = load_mapping()
    return (*mapping.indicators, *mapping.unmapped)


def __getattr__(name: str) -> Any:
    # INDICATOR_IDS was a hand-kept list; it is now read from measures.yml (checked
    # against the catalogue) the first time it is asked for.
    if name == "INDICATOR_IDS":
        return benchmarked_ids()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

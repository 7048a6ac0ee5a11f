"""Load ``measures.yml``: which published DfE figure benchmarks each indicator."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from csc_scorecard.benchmarks import datasets as ds
from csc_scorecard.benchmarks.errors import ReferenceDataError

# The fixed interface: every indicator id the benchmarks layer answers for.
INDICATOR_IDS: tuple[str, ...] = (
    "referrals_rate_per_10k",
    "rereferrals_12m_pct",
    "referrals_nfa_pct",
    "assessments_45wd_pct",
    "s47_rate_per_10k",
    "icpc_15wd_pct",
    "cp_rate_per_10k",
    "cp_repeat_ever_pct",
    "cp_open_2yr_pct",
    "cin_rate_per_10k",
    "cla_rate_per_10k",
    "cla_3plus_placements_pct",
    "cla_longterm_stability_pct",
    "cla_20miles_pct",
    "cla_20miles_outside_la_pct",
    "cla_health_check_pct",
    "cla_dental_check_pct",
    "cla_sdq_pct",
    "cla_missing_pct",
    "care_leavers_in_touch_pct",
    "care_leavers_eet_pct",
    "care_leavers_neet_pct",
    "care_leavers_suitable_accom_pct",
    "sw_caseload_avg",
    "sw_agency_pct",
    "sw_turnover_pct",
    "sw_vacancy_pct",
    "referrals_count",
    "s47_count",
    "icpc_count",
    "cp_open_count",
    "cp_starts_count",
    "cin_open_count",
    "cla_open_count",
    "cla_starts_count",
    "cla_ends_count",
)

POLARITIES = ("high", "low", "contextual")
UNITS = ("count", "percent", "rate_per_10k", "ratio")
TRANSFORMS = (None, "complement")


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
    indicator_id: str
    title: str
    unit: str
    polarity: str
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


def parse_mapping(data: Any, path: str = "measures.yml") -> Mapping:
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
        raise ReferenceDataError(f"{path}: expected a top-level 'indicators' mapping")
    indicators: dict[str, IndicatorMapping] = {}
    for ind_id, body in data["indicators"].items():
        where = f"{path}: indicator {ind_id}"
        if not isinstance(body, dict):
            raise ReferenceDataError(f"{where}: expected a mapping")
        polarity = body.get("polarity")
        if polarity not in POLARITIES:
            raise ReferenceDataError(f"{where}: polarity must be one of {', '.join(POLARITIES)}")
        unit = body.get("unit")
        if unit not in UNITS:
            raise ReferenceDataError(f"{where}: unit must be one of {', '.join(UNITS)}")
        transform = body.get("transform")
        if transform not in TRANSFORMS:
            raise ReferenceDataError(f"{where}: unknown transform {transform!r}")
        if "published" not in body:
            raise ReferenceDataError(f"{where}: missing 'published'")
        indicators[str(ind_id)] = IndicatorMapping(
            indicator_id=str(ind_id),
            title=str(body.get("title", ind_id)),
            unit=unit,
            polarity=polarity,
            polarity_basis=str(body.get("polarity_basis", "")),
            dp=int(body.get("dp", 1)),
            period=str(body.get("period", "")),
            published=_source(body["published"], f"{where} published"),
            transform=transform,
            also_in=_source(body["also_in"], f"{where} also_in") if body.get("also_in") else None,
            notes=body.get("notes"),
        )
    unmapped = {str(k): str(v) for k, v in (data.get("unmapped") or {}).items()}
    return Mapping(indicators=indicators, unmapped=unmapped, path=path)


@lru_cache(maxsize=4)
def load_mapping(path: str | None = None) -> Mapping:
    """The packaged ``measures.yml`` (or another file with the same shape)."""
    if path is None:
        text = (
            resources.files("csc_scorecard.benchmarks").joinpath("measures.yml").read_text("utf-8")
        )
        where = "csc_scorecard/benchmarks/measures.yml"
    else:
        text = Path(path).read_text(encoding="utf-8")
        where = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{where}: not valid YAML ({exc})") from None
    return parse_mapping(data, where)

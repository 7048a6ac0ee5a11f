"""The annual report's sections (sections.yml): which indicators, in what order."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["SECTIONS_FILE", "LayoutError", "SectionSpec", "SectionIndicator", "load_sections"]

SECTIONS_FILE = Path(__file__).resolve().parent / "sections.yml"


class LayoutError(ValueError):
    """sections.yml is not valid."""


@dataclass(frozen=True)
class SectionIndicator:
    id: str
    rate: str | None = None
    phrase: str | None = None
    detail: bool = False
    finding: bool = True


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    indicators: tuple[SectionIndicator, ...]


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[SectionSpec, ...]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LayoutError(f"{path}: cannot read the report sections: {exc}") from None
    if not isinstance(data, list):
        raise LayoutError(f"{path}: expected a list of sections")
    out = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict) or set(item) - {"id", "title", "indicators"}:
            raise LayoutError(f"{path}, section {n}: expected id, title and indicators")
        inds = []
        for ind in item.get("indicators") or []:
            if isinstance(ind, str):
                ind = {"id": ind}
            extra = set(ind) - {"id", "rate", "phrase", "detail", "finding"}
            if extra or "id" not in ind:
                raise LayoutError(f"{path}, section {item.get('id')}: bad indicator entry {ind!r}")
            inds.append(SectionIndicator(
                str(ind["id"]), ind.get("rate"), ind.get("phrase"),
                bool(ind.get("detail", False)), bool(ind.get("finding", True)),
            ))
        out.append(SectionSpec(str(item["id"]), str(item["title"]), tuple(inds)))
    return tuple(out)


def load_sections(path: Path | str | None = None) -> list[SectionSpec]:
    return list(_load(str(path or SECTIONS_FILE)))

"""Which reference data is in use (an import or the shipped snapshot), its vintage and age.

``reference status`` prints :func:`reference_status`; report builders call
:func:`reference_vintage_note` for the sentence naming the figures they used.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from csc_scorecard.benchmarks import reference as ref
from csc_scorecard.benchmarks.paths import (
    MANIFEST_FILE,
    default_reference_dir,
    reference_file,
    snapshot_dir,
)
from csc_scorecard.benchmarks.postcodes import POSTCODES_FILE
from csc_scorecard.benchmarks.vintage import describe_vintage

READ_FILES: tuple[str, ...] = (
    ref.MEASURES_FILE,
    ref.NEIGHBOURS_FILE,
    ref.POPULATION_FILE,
    ref.LAIT_DICTIONARY_OUT,
    POSTCODES_FILE,  # only ever imported: the directory is far too big to ship
)
IMPORT = "import"
SNAPSHOT = "snapshot"


@dataclass
class ReferenceStatus:
    """What benchmarks read now.

    ``kind`` is "import" when the import folder supplies the published values
    (``measures.parquet``), "snapshot" when the shipped snapshot does, "none"
    when neither has them. ``files`` says, per file, which of the two is read.
    """

    kind: str
    folder: Path
    vintage: dict[str, Any]
    created_at: dt.datetime | None
    origin: str
    files: dict[str, str] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def label(self) -> str:
        return str(self.vintage.get("label") or "no published figures")

    @property
    def age_days(self) -> int | None:
        """Days since the import (or the snapshot's build)."""
        if self.created_at is None:
            return None
        return (self.today - self.created_at.date()).days

    @property
    def figures_age_months(self) -> int | None:
        """Whole months from the latest 31 March with published figures to today."""
        end = self.vintage.get("latest_year_end")
        if not end:
            return None
        d = dt.date.fromisoformat(end)
        return (self.today.year - d.year) * 12 + self.today.month - d.month

    def lines(self) -> list[str]:
        if self.kind == "none":
            return [
                "No reference data: neither an import nor the shipped snapshot was found.",
                "Run 'csc-scorecard reference import DIR' (or 'reference download').",
            ]
        what = (
            "imported reference data"
            if self.kind == IMPORT
            else "the snapshot shipped with csc-scorecard"
        )
        out = [f"In use: {what}", f"  folder: {self.folder}", f"  vintage: {self.label}"]
        if self.created_at is not None:
            verb = "imported" if self.kind == IMPORT else "built"
            out.append(
                f"  {verb}: {self.created_at:%Y-%m-%d %H:%M} UTC ({_days(self.age_days)} ago)"
            )
        if self.origin:
            out.append(f"  from: {self.origin}")
        months = self.figures_age_months
        if months is not None:
            out.append(
                f"  latest published year ended {self.vintage['latest_year_end']} "
                f"({months} months ago)"
            )
        for name, where in self.files.items():
            out.append(f"  {name}: {where}")
        if self.kind == SNAPSHOT:
            out.append(
                "  newer figures: 'csc-scorecard reference import DIR' or 'reference download'"
            )
        return out

    def note(self) -> str:
        """The sentence a report prints under its benchmarks."""
        if self.kind == "none":
            return "No published reference data was available for this report."
        where = (
            f"imported on {self.created_at:%d %B %Y}"
            if self.kind == IMPORT and self.created_at
            else "the snapshot shipped with csc-scorecard"
        )
        return (
            f"Benchmarks: {self.label} ({where}). Source: Department for Education; Office for "
            "National Statistics. Open Government Licence v3.0."
        )


def _days(n: int | None) -> str:
    if n is None:
        return "?"
    return "1 day" if n == 1 else f"{n} days"


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _when(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def reference_status(today: dt.date | None = None) -> ReferenceStatus:
    """What ``benchmarks_for`` and ``population_0_17`` read when given no folder."""
    files: dict[str, str] = {}
    imported, shipped = default_reference_dir(), snapshot_dir()
    for name in READ_FILES:
        path = reference_file(name)
        if path is None:
            files[name] = "missing"
        else:
            files[name] = IMPORT if path.parent == imported else SNAPSHOT
    measures_from = files[ref.MEASURES_FILE]
    if measures_from == "missing":
        kind, folder = "none", imported
    else:
        kind = measures_from
        folder = imported if kind == IMPORT else shipped
    manifest = _manifest(folder) if kind != "none" else {}
    vintage = manifest.get("vintage") or _vintage_from_files()
    if kind == IMPORT:
        created, origin = _when(manifest.get("imported_at")), str(manifest.get("src_dir") or "")
    else:
        created = _when(manifest.get("built_at"))
        origin = "; ".join(
            sorted({s.get("publication", "") for s in manifest.get("sources", [])} - {""})
        )
    return ReferenceStatus(
        kind=kind,
        folder=folder,
        vintage=vintage,
        created_at=created,
        origin=origin,
        files=files,
        today=today or dt.date.today(),
    )


def _vintage_from_files() -> dict[str, Any]:
    """For an import made before manifests carried a vintage: work it out from the data."""

    def scan(name: str) -> pl.LazyFrame | None:
        path = reference_file(name)
        return pl.scan_parquet(path) if path is not None else None

    measures = scan(ref.MEASURES_FILE)
    if measures is None:
        return {"label": "no published figures"}
    return describe_vintage(measures, scan(ref.POPULATION_FILE), scan(ref.NEIGHBOURS_FILE))


def reference_vintage_note() -> str:
    """One sentence naming the reference data and vintage behind a report's benchmarks."""
    try:
        return reference_status().note()
    except Exception:  # a report must still be written when the status cannot be read
        return "Benchmarks: Department for Education and ONS published figures (vintage unknown)."

"""The reference snapshot shipped with the package, and how it is built.

The folder holds the same tidy parquet files an import writes
(``measures.parquet``, ``neighbours.parquet``, ``population.parquet``,
``lait_dictionary.parquet``) plus ``manifest.json`` (sources, checksums,
vintage) and ``SOURCES.md`` (publishers, vintage, licence). It is what
benchmarks read until the user runs ``reference import`` or
``reference download``.

To keep it small (about 1 MB) it holds every row of the DfE open-data files
(small, and any of their columns may be mapped later) but only the LAIT
measures that ``measures.yml`` names; LAIT's long table is otherwise most of
the bulk. ``scripts/build_reference_snapshot.py`` calls :func:`build_snapshot`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from csc_scorecard.benchmarks import reference as ref
from csc_scorecard.benchmarks.errors import ReferenceImportError
from csc_scorecard.benchmarks.mapping import Mapping, load_mapping
from csc_scorecard.benchmarks.paths import snapshot_dir
from csc_scorecard.benchmarks.vintage import describe_vintage

SNAPSHOT_FILES: tuple[str, ...] = (
    ref.MEASURES_FILE,
    ref.NEIGHBOURS_FILE,
    ref.POPULATION_FILE,
    ref.LAIT_DICTIONARY_OUT,
)
SOURCES_FILE = "SOURCES.md"
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

# Which publication each imported file comes from (by the importer's kind).
_PUBLICATIONS: tuple[tuple[str, str], ...] = (
    ("b1_", "DfE, Children in need (Explore Education Statistics)"),
    ("c1_", "DfE, Children in need (Explore Education Statistics)"),
    ("c3_", "DfE, Children in need (Explore Education Statistics)"),
    ("c4_", "DfE, Children in need (Explore Education Statistics)"),
    ("d3_", "DfE, Children in need (Explore Education Statistics)"),
    ("d5_", "DfE, Children in need (Explore Education Statistics)"),
    ("cla_", "DfE, Children looked after in England including adoptions"),
    ("la_", "DfE, Children looked after in England including adoptions"),
    ("csww_", "DfE, Children's social work workforce"),
    ("ONS", "ONS mid-year population estimates (children aged 0-17), as republished by DfE"),
    ("statistical neighbours", "DfE children's services statistical neighbour benchmarking models"),
    ("LAIT", "DfE, Local Authority Interactive Tool (LAIT)"),
)


def publication_of(kind: str) -> str:
    for prefix, name in _PUBLICATIONS:
        if kind.startswith(prefix):
            return name
    return kind


@dataclass
class SnapshotBuild:
    out_dir: Path
    manifest: dict

    def lines(self) -> list[str]:
        out = [f"Wrote the reference snapshot to {self.out_dir}"]
        for name, rows in self.manifest["outputs"].items():
            size = (self.out_dir / name).stat().st_size
            out.append(f"  {name}: {rows:,} rows, {size / 1024:,.0f} KB")
        out.append(f"  vintage: {self.manifest['vintage']['label']}")
        return out


def mapped_lait_ids(mapping: Mapping) -> set[str]:
    """The LAIT measure ids the mapping reads, as its figure or its cross-check."""
    ids = set()
    for item in mapping.indicators.values():
        for source in (item.published, item.also_in):
            if source is not None and source.lait is not None:
                ids.add(source.measure_id)
    return ids


def select_measures(measures: pl.DataFrame, mapping: Mapping) -> pl.DataFrame:
    """Every DfE open-data row and the mapped LAIT rows, sorted so the file compresses well."""
    keep = (pl.col("source") == "dfe") | pl.col("measure_id").is_in(
        sorted(mapped_lait_ids(mapping))
    )
    return measures.filter(keep).sort("measure_id", "la_code", "time_period", "breakdown")


def build_snapshot(
    src_dir: Path | str, out_dir: Path | str | None = None, *, mapping: Mapping | None = None
) -> SnapshotBuild:
    """Import ``src_dir`` (the DfE / ONS / LAIT files) and write the compact snapshot.

    A snapshot must be complete: the published values, the neighbour model and
    the ONS population are all required. Nothing in ``out_dir`` changes unless
    the whole build succeeds.
    """
    out = Path(out_dir) if out_dir is not None else snapshot_dir()
    mapping = mapping or load_mapping()
    with tempfile.TemporaryDirectory(prefix="csc-scorecard-snapshot-") as tmp:
        summary = ref.import_reference(src_dir, tmp)
        for needed in (ref.MEASURES_FILE, ref.NEIGHBOURS_FILE, ref.POPULATION_FILE):
            if not (Path(tmp) / needed).is_file():
                raise ReferenceImportError(
                    Path(src_dir), f"a snapshot needs {needed}, which these files do not give"
                )
        frames = {
            name: pl.read_parquet(Path(tmp) / name)
            for name in SNAPSHOT_FILES
            if (Path(tmp) / name).is_file()
        }
    frames[ref.MEASURES_FILE] = select_measures(frames[ref.MEASURES_FILE], mapping)
    manifest = {
        "kind": "snapshot",
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "built_by": "scripts/build_reference_snapshot.py",
        "licence": LICENCE,
        "sources": [
            {
                "file": f.path.name,
                "kind": f.kind,
                "publication": publication_of(f.kind),
                "rows": f.rows,
                "sha256": ref._sha256(f.path),
            }
            for f in summary.files
        ],
        "outputs": {name: frame.height for name, frame in frames.items()},
        "vintage": describe_vintage(
            frames[ref.MEASURES_FILE],
            frames[ref.POPULATION_FILE],
            frames[ref.NEIGHBOURS_FILE],
        ),
    }
    _write(out, frames, manifest)
    return SnapshotBuild(out, manifest)


def _write(out: Path, frames: dict[str, pl.DataFrame], manifest: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    try:
        for name, frame in frames.items():
            frame.write_parquet(scratch / name, compression="zstd", compression_level=19)
        (scratch / ref.MANIFEST_FILE).write_text(
            json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
        )
        (scratch / SOURCES_FILE).write_text(sources_text(manifest), encoding="utf-8")
        for name in list(frames) + [ref.MANIFEST_FILE, SOURCES_FILE]:
            os.replace(scratch / name, out / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def sources_text(manifest: dict) -> str:
    """SOURCES.md: where every figure in the snapshot comes from, and on what terms."""
    v = manifest["vintage"]
    publications = sorted({s["publication"] for s in manifest["sources"]})
    files = "\n".join(
        f"| {s['file']} | {s['publication']} | {s['rows']:,} | `{s['sha256'][:16]}…` |"
        for s in manifest["sources"]
    )
    return f"""# Reference snapshot: sources, vintage, licence

This folder is generated by `scripts/build_reference_snapshot.py`; do not edit
it by hand. It lets a new installation compare a council with England, its
region and its statistical neighbours before anyone has imported reference
data. `csc-scorecard reference import DIR` or `csc-scorecard reference
download` puts newer figures in the data folder, and from then on those are
read instead (`csc-scorecard reference status` says which is in use).

## Vintage

- {v["label"]}
- Built on {manifest["built_at"][:10]}.
- Latest year with published figures: {v.get("latest_year") or "none"}
  (year ending {v.get("latest_year_end") or "-"}); workforce snapshot
  {v.get("workforce_at") or "-"}; population {v.get("population") or "-"};
  neighbour models {", ".join(v.get("neighbour_models") or []) or "-"}.

## What it holds

- `measures.parquet`: every figure in the DfE open-data files listed below,
  per local authority, region and England, for every year they cover, and
  the LAIT measures that `benchmarks/measures.yml` reads. Suppressed cells
  keep DfE's own codes (c, x, z, u, k) in `raw` with no `value`.
- `neighbours.parquet`: each authority's ten statistical neighbours,
  nearest first, for every neighbour model listed.
- `population.parquet`: ONS mid-year estimates of children aged 0-17, the
  denominators DfE uses for rates per 10,000.
- `lait_dictionary.parquet`: LAIT's polarity and year type for its measures.
- `manifest.json`: the files read, their SHA-256 checksums, row counts and
  the vintage above.

## Publishers

{chr(10).join(f"- {p}" for p in publications)}

| file read | publication | rows | sha256 |
|---|---|---|---|
{files}

## Licence and attribution

These statistics are published by the Department for Education and the
Office for National Statistics and are reused here under the {LICENCE}
({LICENCE_URL}). Contains public sector information licensed under the Open
Government Licence v3.0. Where csc-scorecard shows one of these figures it
names the publisher. The figures are reproduced as published; csc-scorecard
only changes their shape (one row per figure) and adds the codes that join
them, and any error in doing so is ours, not the publishers'.
"""


def fill_from_snapshot(dest: Path | str) -> int:
    """Add to an import in ``dest`` the snapshot's figures for every measure it lacks.

    ``reference download`` reaches Explore Education Statistics only: LAIT
    (and any publication whose download failed to hold a file) is not in it.
    Rather than lose those benchmarks, the snapshot's rows for the missing
    measures are kept beside the new ones, and the manifest says how many
    measures came from the snapshot. Returns that number.
    """
    dest = Path(dest)
    shipped = snapshot_dir() / ref.MEASURES_FILE
    mine = dest / ref.MEASURES_FILE
    if not shipped.is_file() or not mine.is_file():
        return 0
    fresh = pl.read_parquet(mine)
    have = fresh["measure_id"].unique()
    extra = pl.read_parquet(shipped).filter(~pl.col("measure_id").is_in(have.implode()))
    if extra.height == 0:
        return 0
    n_measures = extra["measure_id"].n_unique()
    merged = pl.concat([fresh, extra.select(fresh.columns)], how="vertical")
    manifest_path = dest / ref.MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["filled_from_snapshot"] = {
        "measures": n_measures,
        "rows": extra.height,
        "snapshot_vintage": json.loads((snapshot_dir() / ref.MANIFEST_FILE).read_text())["vintage"][
            "label"
        ],
    }
    manifest["outputs"][ref.MEASURES_FILE] = merged.height
    manifest["vintage"] = describe_vintage(
        merged,
        pl.scan_parquet(dest / ref.POPULATION_FILE)
        if (dest / ref.POPULATION_FILE).is_file()
        else None,
        pl.scan_parquet(dest / ref.NEIGHBOURS_FILE)
        if (dest / ref.NEIGHBOURS_FILE).is_file()
        else None,
    )
    scratch = dest / f".{ref.MEASURES_FILE}.filling"
    merged.write_parquet(scratch)
    os.replace(scratch, mine)
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return n_measures

"""Import (or download) DfE / ONS reference data into tidy parquet files.

``import_reference(src_dir, dest_dir)`` looks through ``src_dir`` (searched
recursively, so both a flat folder and the ``dfe_open_data/`` + ``lait/``
layout work), validates every file it recognises and writes:

``measures.parquet``
    one row per published figure: ``measure_id``, ``source`` (dfe/lait),
    ``dataset``, ``measure`` (column or LAIT Short Desc), ``breakdown``,
    ``geographic_level``, ``la_code`` (3-digit DfE code for LAs; the ONS code
    for England ``E92000001`` and regions), ``ons_code``, ``la_name``,
    ``region_code``/``region_name`` (the E12 region; London LAs are published
    in Inner/Outer London, kept in ``subregion_code``), ``time_period`` (as
    published), ``year`` ("2024-25"), ``period_label``, ``period_end``,
    ``value`` (float, null when suppressed), ``raw`` (text as published:
    ``c``, ``x``, ``z``, ``u``, ``k``, ``low``, ``-`` kept), ``source_file``,
    ``shared_return`` (e.g. "940 / 941" where two LAs publish one figure).
``neighbours.parquet``
    ``model`` ("2025"), ``la_code``, ``la_name``, ``rank`` 1-10,
    ``neighbour_code``, ``closeness``, ``source_file``.
``population.parquet``
    ``la_code``, ``ons_code``, ``la_name``, ``geographic_level``,
    ``region_code``, ``mid_year``, ``population_0_17``, ``raw``, ``vintage``
    ("mid-2024"), ``release``, ``source_file``.
``lait_dictionary.parquet``
    LAIT measure metadata: polarity, unit, year type.
``manifest.json``
    what was imported, when, with sha256 of each source file.

Year convention: the financial year that contains the reference date.
``time_period`` 2025 of a CIN/CLA file is the year ending 31 March 2025 ->
"2024-25"; workforce ``time_period`` 2025 is the snapshot at 30 September 2025
-> "2025-26" (so a 2024-25 scorecard is compared with the September 2024
workforce figures).

LAs are keyed on the 3-digit DfE code; the ONS code in force for each year is
carried beside it (Somerset 933 is E10000027 up to 2022-23 and E06000066
from 2023-24; North Yorkshire 815 likewise; Dorset 838 and BCP 839 replace
835/836/837 from 2019-20; Northamptonshire 928 splits into 940/941 from
2021-22; Cumbria 909 into 942/943 from 2023-24). Rows for abolished LAs are
kept under their own codes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from csc_scorecard.benchmarks import datasets as ds
from csc_scorecard.benchmarks.errors import ReferenceImportError
from csc_scorecard.benchmarks.lait import read_lait, read_lait_dictionary, tidy_lait
from csc_scorecard.benchmarks.postcodes import (
    is_postcode_directory,
    read_postcode_directory,
    write_postcodes,
)
from csc_scorecard.benchmarks.small_areas import (
    SMALL_AREAS_FILE,
    combine,
    is_small_area_population,
    read_small_area_population,
    write_small_areas,
)
from csc_scorecard.benchmarks.tidy import (
    ENGLAND_CODE,
    LAIT_DICTIONARY_OUT,
    LEVEL_LA,
    LEVEL_REGIONAL,
    MANIFEST_FILE,
    MEASURES_FILE,
    MEASURES_SCHEMA,
    NEIGHBOURS_FILE,
    POPULATION_FILE,
    read_neighbours,
    read_reference_csv,
    region_key,
    tidy_dfe,
    tidy_population,
)
from csc_scorecard.benchmarks.vintage import describe_vintage

# --------------------------------------------------------------------------- summary


@dataclass
class FileReport:
    path: Path
    kind: str
    rows: int


@dataclass
class ImportSummary:
    """What ``import_reference`` read and wrote."""

    src_dir: Path
    dest_dir: Path
    files: list[FileReport] = field(default_factory=list)
    outputs: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"Imported reference data from {self.src_dir} into {self.dest_dir}"]
        for f in self.files:
            out.append(f"  read {f.path.name} ({f.kind}, {f.rows:,} rows)")
        for name, rows in self.outputs.items():
            out.append(f"  wrote {name} ({rows:,} rows)")
        for m in self.missing:
            out.append(f"  not found: {m}")
        for s in self.skipped:
            out.append(f"  ignored (not a known reference file): {s.name}")
        for w in self.warnings:
            out.append(f"  warning: {w}")
        out.append(f"  took {self.seconds:.1f}s")
        return out



def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- discovery


@dataclass
class _Found:
    dfe: dict[str, Path] = field(default_factory=dict)
    population: Path | None = None
    neighbours: dict[str, Path] = field(default_factory=dict)
    lait: Path | None = None
    lait_dictionary: Path | None = None
    postcodes: Path | None = None
    small_areas: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _pick(current: Path | None, new: Path, what: str, found: _Found) -> Path:
    if current is None:
        return new
    chosen = max(current, new, key=lambda p: p.name)
    other = new if chosen == current else current
    found.warnings.append(f"two files for {what}: using {chosen}, ignoring {other}")
    return chosen


def _discover(src_dir: Path) -> _Found:
    found = _Found()
    for path in sorted(p for p in src_dir.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(src_dir).parts):
            continue
        name = path.name
        lname = name.lower()
        if lname == ds.LAIT_FILE:
            found.lait = _pick(found.lait, path, "the LAIT long table", found)
        elif lname == ds.LAIT_DICTIONARY_FILE:
            found.lait_dictionary = _pick(found.lait_dictionary, path, "the LAIT dictionary", found)
        elif not lname.endswith(".csv"):
            found.skipped.append(path)
        elif ds.normalise_stem(name) == ds.POPULATION_KEY:
            found.population = _pick(found.population, path, "ONS population", found)
        elif (model := ds.neighbour_model_of(name)) is not None:
            found.neighbours[model] = _pick(
                found.neighbours.get(model), path, f"neighbour model {model}", found
            )
        elif (spec := ds.find_dfe_spec(name)) is not None:
            found.dfe[spec.key] = _pick(found.dfe.get(spec.key), path, spec.key, found)
        elif is_postcode_directory(path):
            # an unzipped ONSPD holds the whole file and per-area pieces: the biggest is whole
            if found.postcodes is None or path.stat().st_size > found.postcodes.stat().st_size:
                if found.postcodes is not None:
                    found.skipped.append(found.postcodes)
                found.postcodes = path
            else:
                found.skipped.append(path)
        elif is_small_area_population(path):
            found.small_areas.append(path)
        else:
            found.skipped.append(path)
    return found


# --------------------------------------------------------------------------- import


def _la_lookup(dfe_frames: list[pl.DataFrame]) -> pl.DataFrame:
    cols = [
        "la_code",
        "year",
        "ons_code",
        "la_name",
        "region_code",
        "region_name",
        "subregion_code",
    ]
    if not dfe_frames:
        return pl.DataFrame(schema={c: pl.String for c in cols})
    return (
        pl.concat(
            [
                f.filter(pl.col("geographic_level") == LEVEL_LA)
                .select(cols)
                .unique(subset=["la_code", "year"])
                for f in dfe_frames
            ]
        )
        .filter(pl.col("year").is_not_null())
        .unique(subset=["la_code", "year"], keep="first")
    )


def _region_codes(dfe_frames: list[pl.DataFrame]) -> dict[str, str]:
    codes: dict[str, str] = {}
    for f in dfe_frames:
        regs = (
            f.filter(pl.col("geographic_level") == LEVEL_REGIONAL)
            .select("la_code", "la_name")
            .unique()
        )
        for code, name in regs.iter_rows():
            if code and name:
                codes.setdefault(region_key(name), code)
    codes.setdefault("england", ENGLAND_CODE)
    return codes


def import_reference(src_dir: Path | str, dest_dir: Path | str) -> ImportSummary:
    """Validate and normalise the reference files in ``src_dir`` into ``dest_dir``.

    Nothing in ``dest_dir`` changes unless every recognised file is read
    successfully. Raises :class:`ReferenceImportError` naming the file.
    """
    started = time.perf_counter()
    src = Path(src_dir).expanduser()
    dest = Path(dest_dir).expanduser()
    if not src.is_dir():
        raise ReferenceImportError(src, "is not a folder")
    found = _discover(src)
    if not (found.dfe or found.population or found.neighbours or found.lait or found.postcodes
            or found.small_areas):
        raise ReferenceImportError(
            src,
            "no reference files recognised (expected DfE open-data CSVs such as "
            "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv, "
            "ons_mid-year_population_estimates_*.csv, sn_model_2025_wide.csv, LAIT bds_long_0.parquet, "
            "an ONS postcode directory CSV or ONS small-area population estimates)",
        )
    summary = ImportSummary(
        src_dir=src, dest_dir=dest, skipped=found.skipped, warnings=found.warnings
    )
    small_areas = None
    if found.small_areas:
        # read (and checked) before anything is written: a broken file changes nothing
        small_areas = combine([read_small_area_population(p) for p in found.small_areas])
        for p in found.small_areas:
            rows = int((small_areas["source_file"] == p.name).sum())
            summary.files.append(FileReport(p, "ONS small-area 0-17 population", rows))
    centroids = None
    if found.postcodes is not None:
        centroids = read_postcode_directory(found.postcodes)
        n_postcodes = int((centroids["kind"] == "postcode").sum())
        summary.files.append(FileReport(found.postcodes, "postcode directory", n_postcodes))
    if not (found.dfe or found.population or found.neighbours or found.lait):
        # postcodes or small areas on their own: the published figures stay as they are
        _write_beside(summary, dest, centroids, found.postcodes, small_areas, found.small_areas)
        summary.seconds = time.perf_counter() - started
        return summary

    dfe_frames: list[pl.DataFrame] = []
    for spec in ds.DFE_DATASETS:
        path = found.dfe.get(spec.key)
        if path is None:
            summary.missing.append(f"{spec.key}_*.csv ({spec.description})")
            continue
        required = ds.REQUIRED_GEOGRAPHY + spec.dimensions + spec.required_values
        raw = read_reference_csv(path, required)
        dfe_frames.append(tidy_dfe(raw, spec, path.name))
        summary.files.append(FileReport(path, spec.key, raw.height))

    population = None
    if found.population is not None:
        raw = read_reference_csv(found.population, ds.POPULATION_REQUIRED)
        population = tidy_population(raw, found.population.name)
        summary.files.append(FileReport(found.population, "ONS 0-17 population", raw.height))
    else:
        summary.missing.append(f"{ds.POPULATION_KEY}_*.csv (ONS 0-17 population)")

    neighbour_frames = []
    for model, path in sorted(found.neighbours.items()):
        frame = read_neighbours(path, model)
        neighbour_frames.append(frame)
        summary.files.append(
            FileReport(path, f"statistical neighbours {model}", frame["la_code"].n_unique())
        )
    if not found.neighbours:
        summary.missing.append("sn_model_YYYY_wide.csv (statistical neighbours)")

    dictionary = None
    if found.lait_dictionary is not None:
        dictionary = read_lait_dictionary(found.lait_dictionary)
        summary.files.append(
            FileReport(found.lait_dictionary, "LAIT dictionary", dictionary.height)
        )
    lait_frame = None
    if found.lait is not None:
        raw_lait = read_lait(found.lait)
        if dictionary is None:
            summary.warnings.append(
                "LAIT data dictionary not found: LAIT years read as years ending 31 March"
            )
        lait_frame = tidy_lait(
            raw_lait, dictionary, _la_lookup(dfe_frames), _region_codes(dfe_frames), found.lait.name
        )
        summary.files.append(FileReport(found.lait, "LAIT long table", raw_lait.height))
    else:
        summary.missing.append(f"{ds.LAIT_FILE} (LAIT values)")

    frames = dfe_frames + ([lait_frame] if lait_frame is not None else [])
    measures = pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=MEASURES_SCHEMA)
    outputs: dict[str, pl.DataFrame] = {MEASURES_FILE: measures}
    if neighbour_frames:
        outputs[NEIGHBOURS_FILE] = pl.concat(neighbour_frames)
    if population is not None:
        outputs[POPULATION_FILE] = population
    if dictionary is not None:
        outputs[LAIT_DICTIONARY_OUT] = dictionary

    manifest = {
        "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "src_dir": str(src),
        "files": [
            {"path": str(f.path), "kind": f.kind, "rows": f.rows, "sha256": _sha256(f.path)}
            for f in summary.files
        ],
        "outputs": {name: frame.height for name, frame in outputs.items()},
        "missing": summary.missing,
        "vintage": describe_vintage(
            measures, population, outputs.get(NEIGHBOURS_FILE)
        ),
    }
    _write_atomically(dest, outputs, manifest)
    summary.outputs.update(manifest["outputs"])
    _write_beside(summary, dest, centroids, found.postcodes, small_areas, found.small_areas)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_beside(summary: ImportSummary, dest: Path, centroids: pl.DataFrame | None,
                  postcodes: Path | None, small_areas: pl.DataFrame | None,
                  small_area_files: list[Path]) -> None:
    """Write the files that stand beside the published figures (postcodes, small areas)."""
    if centroids is not None and postcodes is not None:
        write_postcodes(centroids, postcodes, dest, _sha256(postcodes))
        summary.outputs["postcodes.parquet"] = centroids.height
    if small_areas is not None:
        write_small_areas(small_areas, small_area_files, dest)
        summary.outputs[SMALL_AREAS_FILE] = small_areas.height


def _write_atomically(dest: Path, outputs: dict[str, pl.DataFrame], manifest: dict) -> None:
    """Write every output into a scratch folder, then move them into ``dest``."""
    try:
        dest.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=dest))
    except OSError as exc:
        raise ReferenceImportError(dest, f"cannot write here ({exc.strerror or exc})") from None
    try:
        for name, frame in outputs.items():
            frame.write_parquet(scratch / name)
        (scratch / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        # a previous import's files that this one does not produce are removed,
        # so the folder always describes one import
        for stale in (MEASURES_FILE, NEIGHBOURS_FILE, POPULATION_FILE, LAIT_DICTIONARY_OUT):
            if stale not in outputs and (dest / stale).exists():
                (dest / stale).unlink()
        for name in list(outputs) + [MANIFEST_FILE]:
            os.replace(scratch / name, dest / name)
    except OSError as exc:
        raise ReferenceImportError(dest, f"cannot write here ({exc.strerror or exc})") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)



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

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from csc_scorecard.benchmarks import datasets as ds
from csc_scorecard.benchmarks.errors import (
    ReferenceDownloadError,
    ReferenceImportError,
)
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
from csc_scorecard.benchmarks.vintage import describe_vintage
from csc_scorecard.periods import financial_year_of

ENGLAND_CODE = "E92000001"
LONDON_CODE = "E12000007"
LONDON_NAME = "London"

MEASURES_FILE = "measures.parquet"
NEIGHBOURS_FILE = "neighbours.parquet"
POPULATION_FILE = "population.parquet"
LAIT_DICTIONARY_OUT = "lait_dictionary.parquet"
MANIFEST_FILE = "manifest.json"

LEVEL_NATIONAL = "National"
LEVEL_REGIONAL = "Regional"
LEVEL_LA = "Local authority"

_LAIT_ENGLAND = 970
_LAIT_REGIONS = range(980, 1000)

MEASURES_SCHEMA: dict[str, pl.DataType] = {
    "measure_id": pl.String(),
    "source": pl.String(),
    "dataset": pl.String(),
    "measure": pl.String(),
    "breakdown": pl.String(),
    "geographic_level": pl.String(),
    "la_code": pl.String(),
    "ons_code": pl.String(),
    "la_name": pl.String(),
    "region_code": pl.String(),
    "region_name": pl.String(),
    "subregion_code": pl.String(),
    "time_period": pl.String(),
    "year": pl.String(),
    "period_label": pl.String(),
    "period_end": pl.Date(),
    "value": pl.Float64(),
    "raw": pl.String(),
    "source_file": pl.String(),
    "shared_return": pl.String(),
}


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


# --------------------------------------------------------------------------- helpers


def _financial_year(start: int) -> str:
    return financial_year_of(dt.date(start, 4, 1))


def _period_info(
    time_period: str, convention: str
) -> tuple[str | None, str | None, dt.date | None]:
    """(year, period_label, period_end) for a DfE ``time_period``."""
    tp = (time_period or "").strip()
    if re.fullmatch(r"\d{4}", tp):
        y = int(tp)
        if convention == ds.PERIOD_SEPTEMBER:
            return _financial_year(y), f"30 Sep {y}", dt.date(y, 9, 30)
        return _financial_year(y - 1), _financial_year(y - 1), dt.date(y, 3, 31)
    if re.fullmatch(r"\d{6}", tp):  # EES financial-year style 202425
        start = int(tp[:4])
        return _financial_year(start), _financial_year(start), dt.date(start + 1, 3, 31)
    return None, None, None


def _lait_period_info(
    years: str, year_type: str | None
) -> tuple[str | None, str | None, dt.date | None]:
    """(year, period_label, period_end) for a LAIT ``Years`` value."""
    y = (years or "").strip()
    yt = (year_type or "").strip().lower()
    if re.fullmatch(r"\d{4}", y):
        n = int(y)
        if yt.startswith("annual (end of sept"):
            return _financial_year(n), f"30 Sep {n}", dt.date(n, 9, 30)
        if yt in ("financial year", "annual", "", "na"):
            return _financial_year(n - 1), _financial_year(n - 1), dt.date(n, 3, 31)
        if yt.startswith("annual - january"):
            return _financial_year(n - 1), f"Jan {n}", dt.date(n, 1, 31)
        if yt == "academic year":
            return f"{n - 1}/{n % 100:02d}", f"{n - 1}/{n % 100:02d}", None
        return y, y, None
    m = re.fullmatch(r"(\d{4})-(\d{2})", y)
    if m and yt in ("financial year", "annual"):
        start = int(m.group(1))
        return _financial_year(start), _financial_year(start), dt.date(start + 1, 3, 31)
    return y or None, y or None, None


def _norm_region_name(name: str) -> str:
    n = (name or "").strip().lower()
    m = re.fullmatch(r"london \((inner|outer)\)", n)
    if m:
        n = f"{m.group(1)} london"
    return re.sub(r"\s+", " ", n)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _clean_columns(df: pl.DataFrame) -> pl.DataFrame:
    renames = {c: c.replace("\ufeff", "").strip() for c in df.columns}
    return df.rename({k: v for k, v in renames.items() if k != v})


def read_reference_csv(path: Path, required: Sequence[str]) -> pl.DataFrame:
    """Read a CSV as text columns and check the required columns are there."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReferenceImportError(path, f"cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise ReferenceImportError(path, "the file is empty (0 bytes)")
    try:
        df = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.NoDataError:
        raise ReferenceImportError(path, "the file is empty (no header row)") from None
    except (pl.exceptions.PolarsError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReferenceImportError(path, f"could not be read as CSV: {first}") from None
    df = _clean_columns(df)
    missing = [c for c in required if c not in df.columns]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise ReferenceImportError(
            path,
            f"missing required column{plural} {', '.join(repr(c) for c in missing)} "
            f"(found: {', '.join(df.columns) or 'none'})",
        )
    if df.height == 0:
        raise ReferenceImportError(path, "the file has a header row but no data rows")
    return df


# --------------------------------------------------------------------------- DfE CSVs


def _expand_shared_returns(df: pl.DataFrame) -> pl.DataFrame:
    """Split rows such as old_la_code "940 / 941" into one row per LA."""
    is_shared = pl.col("old_la_code").fill_null("").str.contains("/", literal=True)
    plain = df.filter(~is_shared).with_columns(pl.lit(None, dtype=pl.String).alias("shared_return"))
    shared = df.filter(is_shared)
    if shared.height == 0:
        return plain
    rows: list[dict[str, object]] = []
    for row in shared.iter_rows(named=True):
        codes = [c.strip() for c in str(row["old_la_code"]).split("/")]
        ons = [c.strip() for c in str(row.get("new_la_code") or "").split("/")]
        names = [c.strip() for c in str(row.get("la_name") or "").split("/")]
        for i, code in enumerate(codes):
            new = dict(row)
            new["old_la_code"] = code
            new["new_la_code"] = ons[i] if len(ons) == len(codes) else row.get("new_la_code")
            new["la_name"] = names[i] if len(names) == len(codes) else row.get("la_name")
            new["shared_return"] = row["old_la_code"]
            rows.append(new)
    expanded = pl.DataFrame(rows, schema=plain.schema)
    return pl.concat([plain, expanded], how="vertical")


def _geography_exprs() -> list[pl.Expr]:
    level = pl.col("geographic_level").str.strip_chars()
    region = pl.col("region_code").fill_null("").str.strip_chars()
    is_sub = region.str.starts_with("E13")
    return [
        pl.when(level == LEVEL_NATIONAL)
        .then(pl.col("country_code"))
        .when(level == LEVEL_REGIONAL)
        .then(region)
        .otherwise(pl.col("old_la_code").str.strip_chars())
        .alias("la_code"),
        pl.when(level == LEVEL_NATIONAL)
        .then(pl.col("country_code"))
        .when(level == LEVEL_REGIONAL)
        .then(region)
        .otherwise(pl.col("new_la_code").str.strip_chars())
        .alias("ons_code"),
        pl.when(level == LEVEL_NATIONAL)
        .then(pl.col("country_name"))
        .when(level == LEVEL_REGIONAL)
        .then(pl.col("region_name"))
        .otherwise(pl.col("la_name"))
        .alias("la_name"),
        pl.when(level == LEVEL_NATIONAL)
        .then(pl.lit(None, dtype=pl.String))
        .when(is_sub)
        .then(pl.lit(LONDON_CODE))
        .otherwise(pl.when(region == "").then(None).otherwise(region))
        .alias("region_code"),
        pl.when(level == LEVEL_NATIONAL)
        .then(pl.lit(None, dtype=pl.String))
        .when(is_sub)
        .then(pl.lit(LONDON_NAME))
        .otherwise(pl.col("region_name"))
        .alias("region_name"),
        pl.when(is_sub).then(region).otherwise(None).alias("subregion_code"),
        level.alias("geographic_level"),
    ]


def _period_frame(periods: Iterable[str], convention: str) -> pl.DataFrame:
    rows = []
    for tp in sorted({p for p in periods if p is not None}):
        year, label, end = _period_info(tp, convention)
        rows.append({"time_period": tp, "year": year, "period_label": label, "period_end": end})
    return pl.DataFrame(
        rows,
        schema={
            "time_period": pl.String,
            "year": pl.String,
            "period_label": pl.String,
            "period_end": pl.Date,
        },
    )


def tidy_dfe(df: pl.DataFrame, spec: ds.DatasetSpec, source_file: str) -> pl.DataFrame:
    """Turn one wide/long DfE CSV into tidy measure rows."""
    if "country_name" not in df.columns:
        df = df.with_columns(pl.lit("England").alias("country_name"))
    df = _expand_shared_returns(df)
    index = (
        [c for c in ds.GEOGRAPHY_COLUMNS if c in df.columns]
        + list(spec.dimensions)
        + ["shared_return"]
    )
    value_cols = [c for c in df.columns if c not in index and c not in spec.ignore]
    long = df.unpivot(index=index, on=value_cols, variable_name="measure", value_name="raw")
    if spec.dimensions:
        breakdown = pl.concat_str(
            [pl.col(d).fill_null("") for d in spec.dimensions], separator=" | "
        )
    else:
        breakdown = pl.lit(None, dtype=pl.String)
    raw = pl.col("raw").str.strip_chars()
    long = long.with_columns(
        breakdown.alias("breakdown"),
        pl.when(raw == "").then(None).otherwise(raw).alias("raw"),
        pl.col("time_period").str.strip_chars().alias("time_period"),
    )
    periods = _period_frame(long["time_period"].unique().to_list(), spec.period)
    tidy = (
        long.with_columns(_geography_exprs())
        .join(periods, on="time_period", how="left")
        .with_columns(
            pl.lit("dfe").alias("source"),
            pl.lit(spec.key).alias("dataset"),
            pl.lit(source_file).alias("source_file"),
            pl.col("raw").cast(pl.Float64, strict=False).alias("value"),
            pl.when(pl.col("breakdown").is_null())
            .then(pl.lit(spec.key) + ":" + pl.col("measure"))
            .otherwise(pl.lit(spec.key) + ":" + pl.col("measure") + ":" + pl.col("breakdown"))
            .alias("measure_id"),
        )
    )
    return tidy.select([pl.col(c).cast(t) for c, t in MEASURES_SCHEMA.items()])


# --------------------------------------------------------------------------- population


def tidy_population(df: pl.DataFrame, source_file: str) -> pl.DataFrame:
    if "age_group" in df.columns:
        ages = df["age_group"].unique().to_list()
        wanted = [a for a in ages if a and "0 to 17" in a]
        if wanted:
            df = df.filter(pl.col("age_group").is_in(wanted))
    if "country_name" not in df.columns:
        df = df.with_columns(pl.lit("England").alias("country_name"))
    df = _expand_shared_returns(df)
    raw = pl.col("population_estimate").str.strip_chars()
    years = [
        int(t)
        for t in df["time_period"].unique().to_list()
        if t and re.fullmatch(r"\d{4}", t.strip())
    ]
    release = (
        f"ONS mid-year estimates, series to mid-{max(years)}" if years else "ONS mid-year estimates"
    )
    out = df.with_columns(_geography_exprs()).with_columns(
        pl.col("time_period").str.strip_chars().cast(pl.Int32, strict=False).alias("mid_year"),
        raw.alias("raw"),
        raw.cast(pl.Float64, strict=False).round(0).cast(pl.Int64).alias("population_0_17"),
        (pl.lit("mid-") + pl.col("time_period").str.strip_chars()).alias("vintage"),
        pl.lit(release).alias("release"),
        pl.lit(source_file).alias("source_file"),
    )
    return out.select(
        "la_code",
        "ons_code",
        "la_name",
        "geographic_level",
        "region_code",
        "mid_year",
        "population_0_17",
        "raw",
        "vintage",
        "release",
        "source_file",
    ).filter(pl.col("mid_year").is_not_null())


# --------------------------------------------------------------------------- neighbours


_CODE_HEADERS = ("old_la_code", "la num", "la number", "la_code", "la code")
_SN_HEADER = re.compile(r"^sn_?(\d{1,2})$", re.IGNORECASE)
_SNP_HEADER = re.compile(r"^sn_?\d*_?p$", re.IGNORECASE)


def read_neighbours(path: Path, model: str) -> pl.DataFrame:
    """Read a statistical-neighbour table: one LA per row, SN1..SN10 nearest first."""
    if path.stat().st_size == 0:
        raise ReferenceImportError(path, "the file is empty (0 bytes)")
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise ReferenceImportError(path, f"cannot be read ({exc.strerror or exc})") from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ReferenceImportError(path, "the file is empty (no header row)") from None
    lower = [h.lower() for h in header]
    code_idx = next((lower.index(h) for h in _CODE_HEADERS if h in lower), None)
    if code_idx is None:
        raise ReferenceImportError(
            path, "missing required column 'old_la_code' (or 'LA num') with the 3-digit LA code"
        )
    name_idx = next((i for i, h in enumerate(lower) if h in ("la_name", "la name")), None)
    sn_cols: dict[int, int] = {}
    for i, h in enumerate(header):
        m = _SN_HEADER.match(h)
        if m:
            sn_cols[int(m.group(1))] = i
    missing = [f"SN{r}" for r in range(1, 11) if r not in sn_cols]
    if missing:
        raise ReferenceImportError(
            path, f"missing required neighbour column(s) {', '.join(missing)}"
        )
    rows = []
    for line in reader:
        if not line or code_idx >= len(line) or not line[code_idx].strip():
            continue
        la = line[code_idx].strip()
        name = line[name_idx].strip() if name_idx is not None and name_idx < len(line) else None
        for rank in range(1, 11):
            i = sn_cols[rank]
            code = line[i].strip() if i < len(line) else ""
            if not code:
                continue
            close = None
            if i + 1 < len(header) and _SNP_HEADER.match(header[i + 1]) and i + 1 < len(line):
                close = line[i + 1].strip() or None
            rows.append(
                {
                    "model": model,
                    "la_code": la,
                    "la_name": name,
                    "rank": rank,
                    "neighbour_code": code,
                    "closeness": close,
                    "source_file": path.name,
                }
            )
    if not rows:
        raise ReferenceImportError(path, "the file has a header row but no neighbour rows")
    return pl.DataFrame(
        rows,
        schema={
            "model": pl.String,
            "la_code": pl.String,
            "la_name": pl.String,
            "rank": pl.Int8,
            "neighbour_code": pl.String,
            "closeness": pl.String,
            "source_file": pl.String,
        },
    )


# --------------------------------------------------------------------------- LAIT


def read_lait_dictionary(path: Path) -> pl.DataFrame:
    df = read_reference_csv(path, ds.LAIT_DICTIONARY_REQUIRED)

    def col(name: str) -> pl.Expr:
        return pl.col(name) if name in df.columns else pl.lit(None, dtype=pl.String)

    return (
        df.select(
            (pl.lit("lait:") + pl.col("Measure_short")).alias("measure_id"),
            pl.col("Measure_short").alias("short_desc"),
            col("Topic").alias("topic"),
            col("Chart_title").alias("title"),
            pl.col("Polarity").alias("polarity"),
            col("y_axis_name").alias("unit"),
            pl.col("Year_Type").alias("year_type"),
            col("No_Quartile").alias("no_quartile"),
            col("dps").alias("dps"),
        )
        .filter(pl.col("short_desc").is_not_null())
        .unique(subset="short_desc", keep="first", maintain_order=True)
    )


def read_lait(path: Path) -> pl.DataFrame:
    if path.stat().st_size == 0:
        raise ReferenceImportError(path, "the file is empty (0 bytes)")
    try:
        df = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReferenceImportError(path, f"could not be read as parquet: {first}") from None
    missing = [c for c in ds.LAIT_REQUIRED if c not in df.columns]
    if missing:
        raise ReferenceImportError(
            path, f"missing required column(s) {', '.join(repr(c) for c in missing)}"
        )
    if df.height == 0:
        raise ReferenceImportError(path, "the file has no rows")
    return df


def tidy_lait(
    df: pl.DataFrame,
    dictionary: pl.DataFrame | None,
    la_lookup: pl.DataFrame,
    region_codes: dict[str, str],
    source_file: str,
) -> pl.DataFrame:
    """LAIT long table -> measure rows keyed like the DfE ones."""
    base = df.select(
        pl.col("Short Desc").cast(pl.String).alias("measure"),
        pl.col("Years").cast(pl.String).str.strip_chars().alias("time_period"),
        pl.col("LA and Regions").cast(pl.String).alias("lait_name"),
        pl.col("Values").cast(pl.String).str.strip_chars().alias("raw"),
        pl.col("LA Number").cast(pl.Float64, strict=False).round(0).cast(pl.Int64).alias("num"),
    ).filter(pl.col("num").is_not_null(), pl.col("measure").is_not_null())

    # periods, using the data dictionary's year type where we have it
    if dictionary is not None:
        types = dictionary.select(pl.col("short_desc").alias("measure"), "year_type")
    else:
        types = pl.DataFrame(schema={"measure": pl.String, "year_type": pl.String})
    pairs = base.select("measure", "time_period").unique().join(types, on="measure", how="left")
    period_rows = []
    for m, tp, yt in pairs.iter_rows():
        year, label, end = _lait_period_info(tp, yt)
        period_rows.append(
            {
                "measure": m,
                "time_period": tp,
                "year": year,
                "period_label": label,
                "period_end": end,
            }
        )
    periods = pl.DataFrame(
        period_rows,
        schema={
            "measure": pl.String,
            "time_period": pl.String,
            "year": pl.String,
            "period_label": pl.String,
            "period_end": pl.Date,
        },
    )

    region_rows = [
        {"lait_name": n, "region_key": _norm_region_name(n)}
        for n in base.filter(pl.col("num").is_in(list(_LAIT_REGIONS)))["lait_name"]
        .unique()
        .to_list()
    ]
    region_map = pl.DataFrame(
        [
            {
                "lait_name": r["lait_name"],
                "r_code": region_codes.get(r["region_key"]),
            }
            for r in region_rows
        ],
        schema={"lait_name": pl.String, "r_code": pl.String},
    )

    num = pl.col("num")
    is_eng = num == _LAIT_ENGLAND
    is_reg = num.is_between(_LAIT_REGIONS.start, _LAIT_REGIONS.stop - 1)
    out = (
        base.join(periods, on=["measure", "time_period"], how="left")
        .join(region_map, on="lait_name", how="left")
        .with_columns(
            pl.when(is_eng)
            .then(pl.lit(LEVEL_NATIONAL))
            .when(is_reg)
            .then(pl.lit(LEVEL_REGIONAL))
            .otherwise(pl.lit(LEVEL_LA))
            .alias("geographic_level"),
            pl.when(is_eng)
            .then(pl.lit(ENGLAND_CODE))
            .when(is_reg)
            .then(pl.coalesce(pl.col("r_code"), num.cast(pl.String)))
            .otherwise(num.cast(pl.String).str.zfill(3))
            .alias("la_code"),
        )
    )
    # LA rows: ONS code for that year (else latest known), region from DfE data.
    by_year = la_lookup.select("la_code", "year", pl.col("ons_code").alias("ons_y")).unique(
        subset=["la_code", "year"], keep="last"
    )
    latest = (
        la_lookup.sort("year")
        .unique(subset="la_code", keep="last")
        .select(
            "la_code",
            pl.col("ons_code").alias("ons_l"),
            pl.col("region_code").alias("reg_l"),
            pl.col("region_name").alias("regname_l"),
            pl.col("subregion_code").alias("sub_l"),
        )
    )
    out = out.join(by_year, on=["la_code", "year"], how="left").join(
        latest, on="la_code", how="left"
    )
    level = pl.col("geographic_level")
    out = out.with_columns(
        pl.when(level == LEVEL_LA)
        .then(pl.coalesce("ons_y", "ons_l"))
        .otherwise(pl.col("la_code"))
        .alias("ons_code"),
        pl.col("lait_name").alias("la_name"),
        pl.when(level == LEVEL_LA)
        .then(pl.col("reg_l"))
        .when(pl.col("la_code").str.starts_with("E13"))
        .then(pl.lit(LONDON_CODE))
        .when(level == LEVEL_REGIONAL)
        .then(pl.col("la_code"))
        .otherwise(None)
        .alias("region_code"),
        pl.when(level == LEVEL_LA)
        .then(pl.col("regname_l"))
        .when(pl.col("la_code").str.starts_with("E13"))
        .then(pl.lit(LONDON_NAME))
        .when(level == LEVEL_REGIONAL)
        .then(pl.col("lait_name"))
        .otherwise(None)
        .alias("region_name"),
        pl.when(level == LEVEL_LA)
        .then(pl.col("sub_l"))
        .when(pl.col("la_code").str.starts_with("E13"))
        .then(pl.col("la_code"))
        .otherwise(None)
        .alias("subregion_code"),
        pl.lit("lait").alias("source"),
        pl.lit("lait").alias("dataset"),
        pl.lit(None, dtype=pl.String).alias("breakdown"),
        (pl.lit("lait:") + pl.col("measure")).alias("measure_id"),
        pl.col("raw").cast(pl.Float64, strict=False).alias("value"),
        pl.lit(source_file).alias("source_file"),
        pl.lit(None, dtype=pl.String).alias("shared_return"),
    )
    return out.select([pl.col(c).cast(t) for c, t in MEASURES_SCHEMA.items()])


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
                codes.setdefault(_norm_region_name(name), code)
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


# --------------------------------------------------------------------------- download


EES_CONTENT_API = "https://content.explore-education-statistics.service.gov.uk/api"


@dataclass(frozen=True)
class DownloadSource:
    """One thing to fetch.

    ``kind`` "ees-release": ``url`` is the EES content-API address of a
    publication's latest release (JSON); all its data files are then fetched
    as one zip. ``kind`` "file": ``url`` is fetched as is (a CSV, parquet or
    zip).
    """

    name: str
    url: str
    kind: str = "ees-release"


DEFAULT_SOURCES: tuple[DownloadSource, ...] = (
    DownloadSource(
        "Children in need (Explore Education Statistics)",
        f"{EES_CONTENT_API}/publications/children-in-need/releases/latest",
    ),
    DownloadSource(
        "Children looked after in England (Explore Education Statistics)",
        f"{EES_CONTENT_API}/publications/children-looked-after-in-england-including-adoptions/releases/latest",
    ),
    DownloadSource(
        "Children's social work workforce (Explore Education Statistics)",
        f"{EES_CONTENT_API}/publications/children-s-social-work-workforce/releases/latest",
    ),
)


def _fetch(url: str, timeout: float) -> bytes:
    try:
        req = urllib.request.Request(
            url, headers={"User-Agent": "csc-scorecard reference download"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (https only by default)
            return resp.read()
    except urllib.error.HTTPError as exc:
        raise ReferenceDownloadError(url, f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise ReferenceDownloadError(url, str(exc.reason)) from None
    except TimeoutError:
        raise ReferenceDownloadError(url, f"no answer within {timeout:g} seconds") from None
    except (ValueError, OSError) as exc:
        raise ReferenceDownloadError(url, str(exc) or type(exc).__name__) from None


def _save_payload(payload: bytes, url: str, into: Path) -> None:
    if payload[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as zf:
                for member in zf.namelist():
                    base = member.rsplit("/", 1)[-1]
                    if base.lower().endswith((".csv", ".parquet")) and not base.startswith("."):
                        (into / base).write_bytes(zf.read(member))
        except zipfile.BadZipFile:
            raise ReferenceDownloadError(url, "the download is not a valid zip file") from None
        return
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "download.csv"
    (into / name).write_bytes(payload)


def download_reference(
    dest_dir: Path | str,
    sources: Sequence[DownloadSource] | None = None,
    timeout: float = 15.0,
) -> ImportSummary:
    """Fetch the reference files from their official sources, then import them.

    Raises :class:`ReferenceDownloadError` naming the URL that failed (for
    example when the machine has no internet access). Statistical neighbour
    models and LAIT are published as workbooks outside EES: after a download
    the summary lists them as missing; the shipped snapshot's neighbours,
    population and LAIT figures then stay in use (``reference status`` shows
    which), and ``reference import`` can add newer ones.
    """
    dest = Path(dest_dir).expanduser()
    sources = DEFAULT_SOURCES if sources is None else tuple(sources)
    with tempfile.TemporaryDirectory(prefix="csc-scorecard-download-") as tmp:
        into = Path(tmp)
        for source in sources:
            if source.kind == "ees-release":
                meta_raw = _fetch(source.url, timeout)
                try:
                    release_id = json.loads(meta_raw)["id"]
                except (ValueError, KeyError, TypeError):
                    raise ReferenceDownloadError(
                        source.url, "the answer was not a release description with an id"
                    ) from None
                zip_url = f"{EES_CONTENT_API}/releases/{release_id}/files"
                _save_payload(_fetch(zip_url, timeout), zip_url, into)
            else:
                _save_payload(_fetch(source.url, timeout), source.url, into)
        summary = import_reference(into, dest)
    from csc_scorecard.benchmarks.snapshot import fill_from_snapshot

    filled = fill_from_snapshot(dest)
    if filled:
        summary.warnings.append(
            f"{filled} measures not in the download (LAIT among them) kept from the shipped snapshot"
        )
    return summary

"""Published DfE and ONS files read into the tidy frames `reference` writes.

The DfE open-data CSVs (`tidy_dfe`), the ONS 0-17 population (`tidy_population`)
and the statistical-neighbour models (`read_neighbours`), each checked column by
column, with the names, codes and years the rest of csc-scorecard keys on (see
benchmarks.reference for the files written and the year convention). LAIT's long
table is read in benchmarks.lait.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import polars as pl

from csc_scorecard.benchmarks import datasets as ds
from csc_scorecard.benchmarks.errors import ReferenceImportError
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



# --------------------------------------------------------------------------- helpers


def financial_year_starting(start: int) -> str:
    return financial_year_of(dt.date(start, 4, 1))


def _period_info(
    time_period: str, convention: str
) -> tuple[str | None, str | None, dt.date | None]:
    """(year, period_label, period_end) for a DfE ``time_period``."""
    tp = (time_period or "").strip()
    if re.fullmatch(r"\d{4}", tp):
        y = int(tp)
        if convention == ds.PERIOD_SEPTEMBER:
            return financial_year_starting(y), f"30 Sep {y}", dt.date(y, 9, 30)
        return financial_year_starting(y - 1), financial_year_starting(y - 1), dt.date(y, 3, 31)
    if re.fullmatch(r"\d{6}", tp):  # EES financial-year style 202425
        start = int(tp[:4])
        return financial_year_starting(start), financial_year_starting(start), dt.date(start + 1, 3, 31)
    return None, None, None


def region_key(name: str) -> str:
    n = (name or "").strip().lower()
    m = re.fullmatch(r"london \((inner|outer)\)", n)
    if m:
        n = f"{m.group(1)} london"
    return re.sub(r"\s+", " ", n)


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



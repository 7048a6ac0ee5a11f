"""LAIT (the DfE's LA Interactive Tool) long table and data dictionary, read into the
tidy measures frame (benchmarks.reference writes it); LAIT's own LA, region and England
codes are mapped to the DfE codes the open-data files use."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl

from csc_scorecard.benchmarks import datasets as ds
from csc_scorecard.benchmarks.errors import ReferenceImportError
from csc_scorecard.benchmarks.tidy import (
    ENGLAND_CODE,
    LEVEL_LA,
    LEVEL_NATIONAL,
    LEVEL_REGIONAL,
    LONDON_CODE,
    LONDON_NAME,
    MEASURES_SCHEMA,
    financial_year_starting,
    read_reference_csv,
    region_key,
)

_LAIT_ENGLAND = 970
_LAIT_REGIONS = range(980, 1000)


def _lait_period_info(
    years: str, year_type: str | None
) -> tuple[str | None, str | None, dt.date | None]:
    """(year, period_label, period_end) for a LAIT ``Years`` value."""
    y = (years or "").strip()
    yt = (year_type or "").strip().lower()
    if re.fullmatch(r"\d{4}", y):
        n = int(y)
        if yt.startswith("annual (end of sept"):
            return financial_year_starting(n), f"30 Sep {n}", dt.date(n, 9, 30)
        if yt in ("financial year", "annual", "", "na"):
            return financial_year_starting(n - 1), financial_year_starting(n - 1), dt.date(n, 3, 31)
        if yt.startswith("annual - january"):
            return financial_year_starting(n - 1), f"Jan {n}", dt.date(n, 1, 31)
        if yt == "academic year":
            return f"{n - 1}/{n % 100:02d}", f"{n - 1}/{n % 100:02d}", None
        return y, y, None
    m = re.fullmatch(r"(\d{4})-(\d{2})", y)
    if m and yt in ("financial year", "annual"):
        start = int(m.group(1))
        return financial_year_starting(start), financial_year_starting(start), dt.date(start + 1, 3, 31)
    return y or None, y or None, None


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
        {"lait_name": n, "region_key": region_key(n)}
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



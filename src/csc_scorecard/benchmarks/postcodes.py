"""Postcode centroids from the ONS Postcode Directory (or the National Statistics Postcode Lookup).

``reference import DIR`` recognises such a CSV by its header: a postcode
column (``pcds``, ``pcd``, ``pcd2`` or ``postcode``) and latitude and
longitude (``lat``/``latitude``, ``long``/``longitude``). The full file
(about 2.7 million rows) and a file reduced to those columns both work; a
local authority column (``oscty``/``cty`` for counties, ``oslaua``/``laua``/
``lad`` for districts and unitaries) is kept when present, so that "outside
the council's boundary" can be told from a placement postcode.

``postcodes.parquet`` holds one row per postcode and one per postcode
sector (the outward code and the first digit of the inward code, "TA1 2",
as the 903 return's partial postcodes are). A sector's point is the mean
latitude and longitude of its postcodes; its authority is the one most of
its postcodes lie in. Keys are upper case without spaces ("TA12AB",
"TA12"): a full postcode always ends in two letters and a sector in a
digit, so the two kinds never collide.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from csc_scorecard.benchmarks.errors import ReferenceImportError
from csc_scorecard.benchmarks.side_files import write_side_file

POSTCODES_FILE = "postcodes.parquet"
POSTCODES_MANIFEST = "postcodes.json"

_POSTCODE_HEADERS = ("pcds", "pcd", "pcd2", "postcode")
_LAT_HEADERS = ("lat", "latitude")
_LON_HEADERS = ("long", "longitude", "lon")
_COUNTY_HEADERS = ("oscty", "cty", "utla", "utla_code")
_DISTRICT_HEADERS = ("oslaua", "laua", "lad", "lad_code", "la_code", "ltla")
# ONS's "no county" pseudo-code: the district is then the upper tier itself.
_NO_COUNTY = "E99999999"

SCHEMA: dict[str, pl.DataType] = {
    "key": pl.String(),
    "kind": pl.String(),
    "latitude": pl.Float64(),
    "longitude": pl.Float64(),
    "la_ons_code": pl.String(),
    "n_postcodes": pl.Int64(),
}


def _header(path: Path) -> list[str]:
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = fh.readline()
    except OSError:
        return []
    row = next(csv.reader(io.StringIO(first)), [])
    return [h.strip().lower() for h in row]


def _pick(header: list[str], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in header), None)


def is_postcode_directory(path: Path) -> bool:
    """True when the CSV's header has a postcode column, a latitude and a longitude."""
    header = _header(path)
    return all(_pick(header, names) for names in (_POSTCODE_HEADERS, _LAT_HEADERS, _LON_HEADERS))


def normalise(expr: pl.Expr) -> pl.Expr:
    """Upper case, no spaces: how postcodes and sectors are matched."""
    return expr.cast(pl.String).str.replace_all(r"\s+", "").str.to_uppercase()


def read_postcode_directory(path: Path) -> pl.DataFrame:
    """Postcode and sector centroids (see the module docstring); raises ReferenceImportError."""
    header = _header(path)
    pc, lat, lon = (_pick(header, n) for n in (_POSTCODE_HEADERS, _LAT_HEADERS, _LON_HEADERS))
    if not (pc and lat and lon):
        raise ReferenceImportError(
            path, "a postcode directory needs postcode, latitude and longitude columns"
        )
    county, district = _pick(header, _COUNTY_HEADERS), _pick(header, _DISTRICT_HEADERS)
    try:
        lf = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy")
        # the file's own spelling of each wanted column (headers may be upper case)
        names = {c.strip().lower(): c for c in lf.collect_schema().names()}
        wanted = [c for c in (pc, lat, lon, county, district) if c]
        raw = lf.select([pl.col(names[c]).alias(c) for c in wanted]).collect()
    except (pl.exceptions.PolarsError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReferenceImportError(path, f"could not be read as CSV: {first}") from None
    la = pl.lit(None, dtype=pl.String)
    if district:
        la = pl.col(district).str.strip_chars()
    if county:
        c = pl.col(county).str.strip_chars()
        la = pl.when(c.is_not_null() & (c != "") & (c != _NO_COUNTY)).then(c).otherwise(la)
    points = (
        raw.select(
            normalise(pl.col(pc)).alias("key"),
            pl.col(lat).str.strip_chars().cast(pl.Float64, strict=False).alias("latitude"),
            pl.col(lon).str.strip_chars().cast(pl.Float64, strict=False).alias("longitude"),
            la.alias("la_ons_code"),
        )
        # ONS gives postcodes without a grid reference latitude 99.999999
        .filter(
            pl.col("key").str.contains(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"),
            pl.col("latitude").is_between(-90, 90),
            pl.col("longitude").is_between(-180, 180),
        )
        .unique(subset="key", keep="last", maintain_order=True)
    )
    if points.height == 0:
        raise ReferenceImportError(path, "no postcode with a valid latitude and longitude")
    full = points.with_columns(
        pl.lit("postcode").alias("kind"), pl.lit(1).cast(pl.Int64).alias("n_postcodes")
    )
    sector_key = pl.col("key").str.slice(0, pl.col("key").str.len_chars() - 2)
    sectors = (
        points.with_columns(sector_key.alias("sector"))
        .group_by("sector")
        .agg(
            pl.col("latitude").mean(),
            pl.col("longitude").mean(),
            pl.col("la_ons_code").drop_nulls().mode().sort().first().alias("la_ons_code"),
            pl.len().cast(pl.Int64).alias("n_postcodes"),
        )
        .rename({"sector": "key"})
        .with_columns(pl.lit("sector").alias("kind"))
    )
    return pl.concat(
        [full.select(list(SCHEMA)), sectors.select(list(SCHEMA))], how="vertical"
    ).sort("key")


def write_postcodes(frame: pl.DataFrame, source: Path, dest: Path, sha256: str) -> None:
    """Put postcodes.parquet and its own small manifest in ``dest``; other files are untouched.

    A postcode import stands beside the DfE figures rather than replacing
    them: importing a folder that holds only a postcode directory keeps the
    benchmarks, and a later DfE import keeps the postcodes.
    """
    write_side_file(frame, dest, POSTCODES_FILE, POSTCODES_MANIFEST, {
        "source_file": source.name,
        "sha256": sha256,
        "postcodes": int((frame["kind"] == "postcode").sum()),
        "sectors": int((frame["kind"] == "sector").sum()),
    })


def centroids(ref_dir: Path | str | None = None) -> pl.DataFrame | None:
    """The imported centroids (key, kind, latitude, longitude, la_ons_code), or None."""
    from csc_scorecard.benchmarks.paths import reference_file

    path = reference_file(POSTCODES_FILE, ref_dir)
    return pl.read_parquet(path) if path is not None else None

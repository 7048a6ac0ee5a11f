"""How far from home, and whether outside the council, a looked-after child is placed.

Shared by the two "more than 20 miles" indicators in children_looked_after/placements.py.
The distance of a child's placement comes, in this order, from:

1. the episode's own distance (``distance_miles``, read from the 903's
   ``PL_DISTANCE`` as council systems export it);
2. ``tables["postcode_distance"]`` (``child_id, miles``);
3. the straight line (great circle) between the home and placement postcode
   centroids: ``tables["postcode_centroid"]`` (``postcode, latitude,
   longitude``) when the case data carries one, else the ONS postcode
   directory imported with ``reference import``. The 903's partial postcodes
   (sectors such as "TA1 2") match the directory's sector means.

Whether the placement is outside the council comes from the episode's
``placement_la`` (the 903's ``PL_LA``) when given, else from the authority
of the placement postcode in the postcode directory, compared with the
council's own ONS codes (from the reference data, by its 3-digit code).
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.indicators.registry import CaseData

EARTH_RADIUS_MILES = 3958.8


def _normalise(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Utf8).str.replace_all(r"\s+", "").str.to_uppercase()


def _centroids(data: CaseData) -> pl.DataFrame | None:
    """pc, lat, lon (radians), la: from the case data's table, else the imported directory."""
    table = data.tables.get("postcode_centroid")
    if table is not None and {"postcode", "latitude", "longitude"} <= set(table.columns):
        la = pl.col("la_ons_code") if "la_ons_code" in table.columns else pl.lit(None, pl.Utf8)
        frame = table.select(
            _normalise("postcode").alias("pc"),
            pl.col("latitude").cast(pl.Float64).alias("lat"),
            pl.col("longitude").cast(pl.Float64).alias("lon"),
            la.cast(pl.Utf8).alias("la"),
        )
    else:
        from csc_scorecard.benchmarks.postcodes import centroids

        imported = centroids()
        if imported is None:
            return None
        frame = imported.select(
            pl.col("key").alias("pc"),
            pl.col("latitude").alias("lat"),
            pl.col("longitude").alias("lon"),
            pl.col("la_ons_code").alias("la"),
        )
    return (
        frame.filter(
            pl.col("pc").is_not_null(), pl.col("lat").is_not_null(), pl.col("lon").is_not_null()
        )
        .with_columns(pl.col("lat").radians(), pl.col("lon").radians())
        .unique(subset="pc", keep="last", maintain_order=True)
    )


def placement_distances(data: CaseData, at_end: pl.DataFrame) -> pl.DataFrame:
    """``at_end`` with ``distance_miles`` filled from every source and ``placement_la_found``.

    ``placement_la_found`` is the placement's authority: the episode's own
    ``placement_la``, else the placement postcode's authority in the
    centroid data (null when neither is known).
    """
    frame = at_end
    if "placement_la" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Utf8).alias("placement_la"))
    lookup = data.tables.get("postcode_distance")
    if lookup is not None and {"child_id", "miles"} <= set(lookup.columns):
        per_child = (
            lookup.select(pl.col("child_id").cast(pl.Utf8), pl.col("miles").cast(pl.Float64))
            .filter(pl.col("miles").is_not_null())
            .unique(subset="child_id", keep="last", maintain_order=True)
        )
        frame = (
            frame.join(per_child, on="child_id", how="left")
            .with_columns(pl.coalesce("distance_miles", "miles").alias("distance_miles"))
            .drop("miles")
        )
    points = _centroids(data)
    if points is None:
        return frame.with_columns(pl.col("placement_la").alias("placement_la_found"))
    frame = (
        frame.with_columns(
            _normalise("home_postcode").alias("_home"),
            _normalise("placement_postcode").alias("_place"),
        )
        .join(
            points.select(
                pl.col("pc").alias("_home"),
                pl.col("lat").alias("_lat1"),
                pl.col("lon").alias("_lon1"),
            ),
            on="_home",
            how="left",
        )
        .join(
            points.select(
                pl.col("pc").alias("_place"),
                pl.col("lat").alias("_lat2"),
                pl.col("lon").alias("_lon2"),
                pl.col("la").alias("_place_la"),
            ),
            on="_place",
            how="left",
        )
    )
    lat1, lat2, lon1, lon2 = (pl.col(c) for c in ("_lat1", "_lat2", "_lon1", "_lon2"))
    hav = ((lat2 - lat1) / 2).sin().pow(2) + lat1.cos() * lat2.cos() * (
        (lon2 - lon1) / 2
    ).sin().pow(2)
    miles = 2 * EARTH_RADIUS_MILES * hav.sqrt().clip(upper_bound=1.0).arcsin()
    return frame.with_columns(
        pl.coalesce("distance_miles", miles).alias("distance_miles"),
        pl.coalesce("placement_la", "_place_la").alias("placement_la_found"),
    ).drop("_home", "_place", "_lat1", "_lon1", "_lat2", "_lon2", "_place_la")


def council_codes(data: CaseData) -> set[str]:
    """The council's own codes: its 3-digit code and every ONS code the reference data gives it."""
    code = (data.la_code or "").strip()
    if not code:
        return set()
    codes = {code, code.upper()}
    # a council not in the published data (a new authority, the demo) can give its
    # ONS code(s) in council.yml: ons_code: E06000066 (or a list)
    from csc_scorecard.config import council_settings

    settings = council_settings()
    if str(settings.get("la_code", "")).strip() == code:
        given = settings.get("ons_code") or []
        codes |= {str(c).strip().upper() for c in ([given] if isinstance(given, str) else given)}
    try:
        from csc_scorecard.benchmarks.compare import ons_codes_of

        codes |= ons_codes_of(code)
    except Exception:  # no reference data: only the code itself can match
        pass
    return codes

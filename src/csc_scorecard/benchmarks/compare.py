"""Benchmarks for one LA and year from the imported reference data.

``benchmarks_for(la_code, year)`` gives, for every mapped indicator, the LA's
published value, the statistical-neighbour average (mean of the LA's 10
neighbours in the latest neighbour model, missing values left out), England,
the LA's region, and the LA's rank and quartile among all LAs (1 = best by
polarity; none for contextual measures).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import polars as pl

from csc_scorecard.benchmarks import reference as ref
from csc_scorecard.benchmarks.errors import BenchmarkError, ReferenceNotImportedError
from csc_scorecard.benchmarks.mapping import Mapping, load_mapping
from csc_scorecard.benchmarks.paths import reference_file, searched_dirs
from csc_scorecard.benchmarks.tidy import LEVEL_NATIONAL, LEVEL_REGIONAL
from csc_scorecard.indicators.vocab import Polarity, Unit

OUTPUT_COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "period",
    "la_value",
    "sn_average",
    "england",
    "region",
    "rank",
    "quartile",
)

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def parse_year(year: str) -> int:
    """ "2024-25" -> 2024 (the start year). Raises BenchmarkError otherwise."""
    m = _YEAR.match((year or "").strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise BenchmarkError(
            f"period {year!r} is not a financial year written like 2024-25 "
            "(year ending 31 March 2025)"
        )
    return int(m.group(1))


def _need(ref_dir: Path | str | None, name: str) -> Path:
    """The file to read: in ``ref_dir`` when given, else the import or the shipped snapshot."""
    path = reference_file(name, ref_dir)
    if path is None:
        raise ReferenceNotImportedError(searched_dirs(ref_dir)[0], name)
    return path


def rank_and_quartile(frame: pl.DataFrame, polarity: str) -> pl.DataFrame:
    """Add ``rank``, ``quartile`` and ``n_ranked`` to a frame of LA ``value``s.

    Rank 1 is the best value by polarity (a :class:`Polarity`, or LAIT's
    "high"/"low": largest for higher_better, smallest for lower_better); tied values share the best rank among them. Quartile 1 is the best
    quarter: ``1 + floor(4 * (rank - 1) / n)`` where n counts LAs with a value,
    i.e. quartile 1 when fewer than a quarter of LAs do better (with 152 LAs:
    ranks 1-38). Rows without a value, and every row for a "contextual"
    measure, get nulls.
    """
    has = pl.col("value").is_not_null()
    n = frame.filter(has).height
    judged = Polarity.parse(polarity).judged
    if not judged or n == 0:
        return frame.with_columns(
            pl.lit(None, dtype=pl.Int64).alias("rank"),
            pl.lit(None, dtype=pl.Int64).alias("quartile"),
            pl.lit(n if judged else None, dtype=pl.Int64).alias("n_ranked"),
        )
    higher_better = Polarity.parse(polarity) is Polarity.HIGHER_BETTER
    rank = pl.col("value").rank(method="min", descending=higher_better).cast(pl.Int64)
    return frame.with_columns(
        pl.when(has).then(rank).otherwise(None).alias("rank"),
    ).with_columns(
        pl.when(has)
        .then(((pl.col("rank") - 1) * 4 // n + 1).cast(pl.Int64))
        .otherwise(None)
        .alias("quartile"),
        pl.lit(n, dtype=pl.Int64).alias("n_ranked"),
    )


def latest_neighbour_model(ref_dir: Path | str | None = None, la_code: str | None = None) -> str:
    neighbours = pl.read_parquet(_need(ref_dir, ref.NEIGHBOURS_FILE))
    if la_code is not None:
        neighbours = neighbours.filter(pl.col("la_code") == la_code)
    models = neighbours["model"].unique().to_list()
    if not models:
        raise BenchmarkError(f"no statistical neighbours for {la_code} in the imported models")
    return max(models)


def neighbours_of(
    la_code: str, ref_dir: Path | str | None = None, model: str | None = None
) -> tuple[str, list[str]]:
    """(model, neighbour codes nearest first) for an LA; latest model by default."""
    path = _need(ref_dir, ref.NEIGHBOURS_FILE)
    frame = pl.read_parquet(path).filter(pl.col("la_code") == la_code)
    if model is None:
        if frame.height == 0:
            return "", []
        model = max(frame["model"].unique().to_list())
    rows = frame.filter(pl.col("model") == model).sort("rank")
    return model, rows["neighbour_code"].to_list()


def _resolve_la(measures: Path, la_code: str) -> str:
    code = (la_code or "").strip()
    if re.fullmatch(r"\d{1,3}", code):
        code = code.zfill(3)
    lf = pl.scan_parquet(measures)
    if re.fullmatch(r"[EeWw]\d{8}", code):
        code = code.upper()
        hit = (
            lf.filter(pl.col("ons_code") == code)
            .select("la_code")
            .unique()
            .collect()["la_code"]
            .to_list()
        )
        if len(hit) == 1:
            return hit[0]
    found = lf.filter(pl.col("la_code") == code).select(pl.len()).collect().item()
    if not found:
        raise BenchmarkError(
            f"LA code {la_code!r} is not in the imported reference data "
            "(use the 3-digit DfE code, e.g. 933 for Somerset)"
        )
    return code


def benchmarks_for(
    la_code: str,
    year: str,
    ref_dir: Path | str | None = None,
    *,
    mapping: Mapping | None = None,
    neighbours_like: str | None = None,
) -> pl.DataFrame:
    """Published benchmarks for ``la_code`` (3-digit DfE code) in ``year`` ("2024-25").

    A council that is not in the published data (a new authority, or the
    synthetic demo council) still gets England; with ``neighbours_like`` (a
    published LA's code) it borrows that LA's statistical neighbours and
    region, and has no published value or rank of its own.

    Columns: indicator_id, period, la_value, sn_average, england, region,
    rank, quartile, n_neighbours_used, then n_ranked, polarity, unit, dp,
    la_raw (the LA's value as published, e.g. "c"), region_code,
    neighbour_model, measure_id, population_vintage (for rates per 10,000:
    the ONS estimate behind them, e.g. "mid-2024"). One row per mapped
    indicator, in mapping order, then an empty row per unmapped one.
    """
    parse_year(year)
    year = year.strip()
    measures_path = _need(ref_dir, ref.MEASURES_FILE)
    mapping = mapping or load_mapping()
    if neighbours_like:
        like = _resolve_la(measures_path, neighbours_like)
        try:
            la = _resolve_la(measures_path, la_code)
        except BenchmarkError:
            la = (la_code or "").strip()  # not published: no value or rank of its own
    else:
        la = like = _resolve_la(measures_path, la_code)

    specs = pl.DataFrame(
        [
            {
                "indicator_id": m.indicator_id,
                "measure_id": m.published.measure_id,
                "polarity": m.polarity,
                "unit": m.unit,
                "dp": m.dp,
                "complement": m.transform == "complement",
                "order": i,
            }
            for i, m in enumerate(mapping.indicators.values())
        ],
        schema={
            "indicator_id": pl.String,
            "measure_id": pl.String,
            "polarity": pl.String,
            "unit": pl.String,
            "dp": pl.Int64,
            "complement": pl.Boolean,
            "order": pl.Int64,
        },
    )
    data = (
        pl.scan_parquet(measures_path)
        .filter(pl.col("measure_id").is_in(specs["measure_id"].to_list()), pl.col("year") == year)
        .select(
            "measure_id",
            "geographic_level",
            "la_code",
            "region_code",
            "value",
            "raw",
            "period_label",
        )
        .collect()
    )
    data = data.join(
        specs.select("indicator_id", "measure_id", "complement"), on="measure_id"
    ).with_columns(
        pl.when(pl.col("complement"))
        .then(100.0 - pl.col("value"))
        .otherwise(pl.col("value"))
        .alias("value")
    )
    las = data.filter(pl.col("geographic_level") == ref.LEVEL_LA).unique(
        subset=["indicator_id", "la_code"], keep="first", maintain_order=True
    )

    # the LA's region: from its rows this year, else from any year
    region_code = _region_of(measures_path, like, year)

    model, neighbour_codes = ("", [])
    if reference_file(ref.NEIGHBOURS_FILE, ref_dir) is not None:
        model, neighbour_codes = neighbours_of(like, ref_dir)
        neighbour_codes = [c for c in neighbour_codes if c != la]

    # rates per 10,000 rest on an ONS estimate: say which one (ONS revises, DfE restates)
    vintage = None
    if reference_file(ref.POPULATION_FILE, ref_dir) is not None:
        try:
            vintage = population_0_17(like, year, ref_dir)[1]
        except BenchmarkError:
            vintage = None

    rows = []
    for spec in specs.iter_rows(named=True):
        ind = spec["indicator_id"]
        d = data.filter(pl.col("indicator_id") == ind)
        la_rows = las.filter(pl.col("indicator_id") == ind)
        # an England or region code gets its own published value, with no rank
        mine = d.filter(pl.col("la_code") == la)
        eng = d.filter(pl.col("geographic_level") == LEVEL_NATIONAL)
        reg = d.filter(
            pl.col("geographic_level") == LEVEL_REGIONAL,
            pl.col("la_code") == (region_code or ""),
        )
        sn_vals = [
            v
            for v in la_rows.filter(pl.col("la_code").is_in(neighbour_codes))["value"].to_list()
            if v is not None
        ]
        ranked = rank_and_quartile(la_rows.select("la_code", "value"), spec["polarity"])
        my_rank = ranked.filter(pl.col("la_code") == la)
        period = (
            _first(mine, "period_label")
            or _first(eng, "period_label")
            or _first(d, "period_label")
            or year
        )
        rows.append(
            {
                "indicator_id": ind,
                "period": period,
                "la_value": _first(mine, "value"),
                "sn_average": (sum(sn_vals) / len(sn_vals)) if sn_vals else None,
                "england": _first(eng, "value"),
                "region": _first(reg, "value"),
                "rank": _first(my_rank, "rank"),
                "quartile": _first(my_rank, "quartile"),
                "n_neighbours_used": len(sn_vals),
                "n_ranked": _first(ranked, "n_ranked") if ranked.height else None,
                "polarity": spec["polarity"],
                "unit": spec["unit"],
                "dp": spec["dp"],
                "la_raw": _first(mine, "raw"),
                "region_code": region_code,
                "neighbour_model": model or None,
                "measure_id": spec["measure_id"],
                "population_vintage": vintage if spec["unit"] == Unit.RATE_PER_10K else None,
            }
        )
    # an indicator with no published figure (measures.yml "unmapped") still gets its row,
    # empty, so every indicator id of the interface is answered
    for ind in mapping.unmapped:
        rows.append(
            {"indicator_id": ind, "period": year, "n_neighbours_used": 0, "region_code": region_code}
        )
    return pl.DataFrame(
        rows,
        schema={
            "indicator_id": pl.String,
            "period": pl.String,
            "la_value": pl.Float64,
            "sn_average": pl.Float64,
            "england": pl.Float64,
            "region": pl.Float64,
            "rank": pl.Int64,
            "quartile": pl.Int64,
            "n_neighbours_used": pl.Int64,
            "n_ranked": pl.Int64,
            "polarity": pl.String,
            "unit": pl.String,
            "dp": pl.Int64,
            "la_raw": pl.String,
            "region_code": pl.String,
            "neighbour_model": pl.String,
            "measure_id": pl.String,
            "population_vintage": pl.String,
        },
    )


def _first(frame: pl.DataFrame, column: str):  # noqa: ANN202 - scalar of any type
    if frame.height == 0:
        return None
    value = frame[column][0]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _region_of(measures: Path, la: str, year: str) -> str | None:
    lf = pl.scan_parquet(measures).filter(
        pl.col("la_code") == la,
        pl.col("geographic_level") == ref.LEVEL_LA,
        pl.col("region_code").is_not_null(),
    )
    this_year = lf.filter(pl.col("year") == year).select("region_code").collect()["region_code"]
    if this_year.len():
        return this_year.mode().sort()[0]
    any_year = lf.sort("year").select("region_code").collect()["region_code"]
    return any_year[-1] if any_year.len() else None


def population_0_17(la_code: str, year: str, ref_dir: Path | str | None = None) -> tuple[int, str]:
    """ONS 0-17 population used for ``year``'s rates: the mid-year before the year end.

    ``population_0_17("933", "2024-25")`` -> ``(113024, "mid-2024")``.
    """
    start = parse_year(year)
    path = _need(ref_dir, ref.POPULATION_FILE)
    code = (la_code or "").strip()
    if re.fullmatch(r"\d{1,3}", code):
        code = code.zfill(3)
    pop = pl.read_parquet(path)
    hit = pop.filter(
        (pl.col("la_code") == code) | (pl.col("ons_code") == code.upper()),
        pl.col("mid_year") == start,
    )
    if hit.height == 0:
        known = pop.filter((pl.col("la_code") == code) | (pl.col("ons_code") == code.upper()))
        if known.height == 0:
            raise BenchmarkError(
                f"LA code {la_code!r} has no ONS population in the imported reference data"
            )
        latest = known["mid_year"].max()
        raise BenchmarkError(
            f"no ONS mid-{start} estimate for {la_code} (needed for {year}); "
            f"the imported population runs to mid-{latest}"
        )
    row = hit.row(0, named=True)
    if row["population_0_17"] is None:
        raise BenchmarkError(
            f"the ONS mid-{start} estimate for {la_code} is not published (shown {row['raw']!r})"
        )
    return int(row["population_0_17"]), str(row["vintage"])


def ons_codes_of(la_code: str, ref_dir: Path | str | None = None) -> set[str]:
    """Every ONS code the published data gives an LA (Somerset 933: E10000027 and E06000066)."""
    code = (la_code or "").strip()
    if re.fullmatch(r"\d{1,3}", code):
        code = code.zfill(3)
    path = reference_file(ref.MEASURES_FILE, ref_dir)
    if path is None:
        return set()
    found = (
        pl.scan_parquet(path)
        .filter(pl.col("la_code") == code, pl.col("geographic_level") == ref.LEVEL_LA)
        .select(pl.col("ons_code").drop_nulls().unique())
        .collect()["ons_code"]
        .to_list()
    )
    return {c for c in found if c}

"""Benchmarks for an LA: neighbours' average, England, region, rank and quartile."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from csc_scorecard.benchmarks.compare import (
    OUTPUT_COLUMNS,
    benchmarks_for,
    neighbours_of,
    population_0_17,
    rank_and_quartile,
)
from csc_scorecard.benchmarks.errors import BenchmarkError, ReferenceNotImportedError
from csc_scorecard.benchmarks.mapping import INDICATOR_IDS
from csc_scorecard.benchmarks.reference import import_reference


def _row(frame: pl.DataFrame, indicator_id: str) -> dict:
    hit = frame.filter(pl.col("indicator_id") == indicator_id)
    assert hit.height == 1, indicator_id
    return hit.row(0, named=True)


@pytest.fixture(scope="module")
def walsall(ref_dir: Path) -> pl.DataFrame:
    return benchmarks_for("335", "2024-25", ref_dir)


@pytest.fixture(scope="module")
def somerset(ref_dir: Path) -> pl.DataFrame:
    return benchmarks_for("933", "2024-25", ref_dir)


def test_columns_and_one_row_per_indicator(somerset: pl.DataFrame) -> None:
    assert tuple(somerset.columns[: len(OUTPUT_COLUMNS)]) == OUTPUT_COLUMNS
    assert "n_neighbours_used" in somerset.columns
    assert sorted(somerset["indicator_id"].to_list()) == sorted(INDICATOR_IDS)


def test_england_figures_2024_25(walsall: pl.DataFrame) -> None:
    assert _row(walsall, "referrals_rate_per_10k")["england"] == pytest.approx(519.4)
    assert _row(walsall, "rereferrals_12m_pct")["england"] == pytest.approx(22.6)
    assert _row(walsall, "cin_rate_per_10k")["england"] == pytest.approx(330.3)
    assert _row(walsall, "cp_rate_per_10k")["england"] == pytest.approx(40.6)
    assert _row(walsall, "cla_rate_per_10k")["england"] == 67


def test_walsall_figures_2024_25(walsall: pl.DataFrame) -> None:
    referrals = _row(walsall, "referrals_rate_per_10k")
    assert referrals["la_value"] == pytest.approx(467.3)
    assert referrals["period"] == "2024-25"
    assert _row(walsall, "cp_rate_per_10k")["la_value"] == pytest.approx(31.6)
    assert _row(walsall, "cp_rate_per_10k")["population_vintage"] == "mid-2024"
    assert _row(walsall, "cp_open_count")["population_vintage"] is None
    # West Midlands region (E12000005) as published in c1
    assert _row(walsall, "referrals_count")["region"] == 62720
    assert _row(walsall, "referrals_count")["region_code"] == "E12000005"


def test_england_code_gets_englands_own_values(ref_dir: Path) -> None:
    england = benchmarks_for("E92000001", "2024-25", ref_dir)
    row = _row(england, "referrals_rate_per_10k")
    assert row["la_value"] == pytest.approx(519.4) and row["rank"] is None


def test_somerset_sn_average_worked_by_hand(somerset: pl.DataFrame) -> None:
    # Somerset's 2025-model neighbours and their published 2024-25 re-referral
    # rates (c1_children_in_need_referrals_and_rereferrals, rereferral_percent):
    #   935 Suffolk 20.1, 830 Derbyshire 28.9, 838 Dorset 14.7, 893 Shropshire 12.9,
    #   885 Worcestershire 17.8, 891 Nottinghamshire 23.1, 878 Devon 19.7,
    #   860 Staffordshire 14.2, 855 Leicestershire 25.5, 881 Essex 15.4
    # sum = 192.3, so the SN average = 192.3 / 10 = 19.23
    row = _row(somerset, "rereferrals_12m_pct")
    assert row["sn_average"] == pytest.approx(19.23)
    assert row["n_neighbours_used"] == 10
    assert row["neighbour_model"] == "2025"
    assert row["la_value"] == pytest.approx(22.1)


def test_sn_average_leaves_suppressed_neighbours_out(somerset: pl.DataFrame, ref_dir: Path) -> None:
    # cp_open_2yr_pct is suppressed for some small LAs; the average uses the rest
    row = _row(somerset, "cp_open_2yr_pct")
    m = pl.read_parquet(ref_dir / "measures.parquet").filter(
        pl.col("measure_id") == "d5_cpps_at31march_by_duration:2_years_or_more_percent",
        pl.col("year") == "2024-25",
        pl.col("la_code").is_in(
            ["935", "830", "838", "893", "885", "891", "878", "860", "855", "881"]
        ),
    )
    published = m["value"].drop_nulls().to_list()
    assert m["value"].null_count() == 10 - len(published) >= 1
    assert row["n_neighbours_used"] == len(published)
    assert row["sn_average"] == pytest.approx(sum(published) / len(published))


def test_sn_average_on_a_hand_made_reference(mini_reference, tmp_path: Path) -> None:
    src = mini_reference(
        [
            ("National", "", "", "England", "20.0"),
            ("Regional", "E12000001", "", "North East", "18.0"),
            ("LA", "101", "E06000101", "One", "10.0"),
            ("LA", "102", "E06000102", "Two", "30.0"),
            ("LA", "103", "E06000103", "Three", "c"),
            ("LA", "104", "E06000104", "Four", "16.0"),
        ],
        {"101": ["102", "103", "104"]},
    )
    dest = tmp_path / "ref"
    summary = import_reference(src, dest)
    assert any("LAIT" in m for m in summary.missing)
    frame = benchmarks_for("101", "2024-25", dest)
    row = _row(frame, "rereferrals_12m_pct")
    # neighbours 102 (30.0), 103 (suppressed "c", left out), 104 (16.0): (30 + 16) / 2 = 23
    assert row["sn_average"] == pytest.approx(23.0)
    assert row["n_neighbours_used"] == 2
    assert row["england"] == 20.0 and row["region"] == 18.0
    # low is better among 10, 16, 30 (103 has no value): 101 is first of three
    assert (row["rank"], row["quartile"], row["n_ranked"]) == (1, 1, 3)
    # figures only in LAIT are simply absent here
    assert _row(frame, "cp_rate_per_10k")["la_value"] is None


def test_rank_and_quartile_low_is_better_by_hand() -> None:
    frame = pl.DataFrame(
        {
            "la_code": ["A", "B", "C", "D", "E", "F"],
            "value": [10.0, 20.0, 20.0, 30.0, None, 5.0],
        }
    )
    out = rank_and_quartile(frame, "low").sort("la_code")
    # 5 LAs have a value. Ascending: F 5 -> 1, A 10 -> 2, B and C 20 -> 3 (tie), D 30 -> 5.
    # quartile = 1 + floor(4 * (rank - 1) / 5):
    #   rank 1 -> 1 + floor(0) = 1; rank 2 -> 1 + floor(0.8) = 1;
    #   rank 3 -> 1 + floor(1.6) = 2; rank 5 -> 1 + floor(3.2) = 4. E has no value.
    assert out["rank"].to_list() == [2, 3, 3, 5, None, 1]
    assert out["quartile"].to_list() == [1, 2, 2, 4, None, 1]
    assert out["n_ranked"].to_list() == [5] * 6


def test_rank_and_quartile_high_is_better_by_hand() -> None:
    frame = pl.DataFrame(
        {"la_code": list("ABCDEFGH"), "value": [90.0, 80.0, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0]}
    )
    out = rank_and_quartile(frame, "high")
    # descending: 90 -> 1, 80/80 -> 2 (tie), 70 -> 4, 60 -> 5, 50 -> 6, 40 -> 7, 30 -> 8
    # quartile = 1 + floor(4 * (rank - 1) / 8) = 1 + floor((rank - 1) / 2)
    assert out["rank"].to_list() == [1, 2, 2, 4, 5, 6, 7, 8]
    assert out["quartile"].to_list() == [1, 1, 1, 2, 3, 3, 4, 4]


def test_contextual_measures_have_no_rank() -> None:
    frame = pl.DataFrame({"la_code": ["A", "B"], "value": [1.0, 2.0]})
    out = rank_and_quartile(frame, "contextual")
    assert out["rank"].to_list() == [None, None] and out["quartile"].to_list() == [None, None]


def test_ranks_on_real_data_follow_polarity(ref_dir: Path, somerset: pl.DataFrame) -> None:
    m = pl.read_parquet(ref_dir / "measures.parquet").filter(
        pl.col("measure_id") == "lait:Continue_Assess_Comp",
        pl.col("year") == "2024-25",
        pl.col("geographic_level") == "Local authority",
        pl.col("value").is_not_null(),
    )
    row = _row(somerset, "assessments_45wd_pct")  # high is better; Somerset 56.3
    better = m.filter(pl.col("value") > row["la_value"]).height
    assert row["rank"] == better + 1
    assert row["n_ranked"] == m.height
    assert row["quartile"] == 4
    assert _row(somerset, "referrals_rate_per_10k")["rank"] is None  # contextual


def test_neighbours_of_uses_latest_model(ref_dir: Path) -> None:
    model, codes = neighbours_of("933", ref_dir)
    assert model == "2025" and codes[:3] == ["935", "830", "838"]
    older, codes_2021 = neighbours_of("933", ref_dir, model="2021")
    assert older == "2021" and codes_2021[0] == "878"


def test_population_vintage_is_the_mid_year_before_the_year_end(ref_dir: Path) -> None:
    assert population_0_17("933", "2024-25", ref_dir) == (113024, "mid-2024")
    assert population_0_17("335", "2024-25", ref_dir) == (71799, "mid-2024")
    assert population_0_17("E92000001", "2024-25", ref_dir) == (12183016, "mid-2024")
    assert population_0_17("933", "2023-24", ref_dir)[1] == "mid-2023"
    with pytest.raises(BenchmarkError, match="mid-2025"):
        population_0_17("933", "2025-26", ref_dir)


def test_bad_requests_are_clear(ref_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(BenchmarkError, match="'999' is not in the imported reference data"):
        benchmarks_for("999", "2024-25", ref_dir)
    with pytest.raises(BenchmarkError, match="2024-25"):
        benchmarks_for("933", "2025", ref_dir)
    with pytest.raises(BenchmarkError):
        benchmarks_for("933", "2024-26", ref_dir)
    with pytest.raises(ReferenceNotImportedError, match="reference import"):
        benchmarks_for("933", "2024-25", tmp_path)


def test_a_council_not_in_the_published_data_borrows_a_neighbour_group(imported):
    """The synthetic demo council (999) compares with England and with Somerset's neighbours."""
    ref = imported.dest_dir
    somerset = benchmarks_for("933", "2024-25", ref).filter(pl.col("indicator_id") == "cp_rate_per_10k")
    synthetic = benchmarks_for("999", "2024-25", ref, neighbours_like="933").filter(
        pl.col("indicator_id") == "cp_rate_per_10k"
    )
    row, like = synthetic.row(0, named=True), somerset.row(0, named=True)
    assert row["la_value"] is None and row["rank"] is None
    assert row["england"] == 40.6
    assert row["sn_average"] == like["sn_average"] and row["n_neighbours_used"] == like["n_neighbours_used"]
    assert row["region"] == like["region"]


def test_an_unknown_council_without_a_neighbour_group_is_a_clear_error(imported):
    with pytest.raises(BenchmarkError, match="999"):
        benchmarks_for("999", "2024-25", imported.dest_dir)

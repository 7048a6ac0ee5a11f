"""Importing the published DfE / ONS / LAIT reference files."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import polars as pl
import pytest

from csc_scorecard.benchmarks.download import DownloadSource, download_reference
from csc_scorecard.benchmarks.errors import ReferenceDownloadError, ReferenceImportError
from csc_scorecard.benchmarks.reference import import_reference


def _measures(ref_dir: Path) -> pl.DataFrame:
    return pl.read_parquet(ref_dir / "measures.parquet")


def _one(frame: pl.DataFrame, **where: str) -> dict:
    for col, val in where.items():
        frame = frame.filter(pl.col(col) == val)
    assert frame.height == 1, f"expected one row for {where}, got {frame.height}"
    return frame.row(0, named=True)


# ---------------------------------------------------------------- what gets written


def test_import_writes_the_tidy_files(imported) -> None:
    for name in ("measures.parquet", "neighbours.parquet", "population.parquet", "manifest.json"):
        assert (imported.dest_dir / name).is_file(), name
    kinds = {f.kind for f in imported.files}
    assert "LAIT long table" in kinds and "ONS 0-17 population" in kinds
    assert "statistical neighbours 2025" in kinds and "statistical neighbours 2021" in kinds
    # the lookup workbook is not a reference table we use: reported, not fatal
    assert any(p.name.startswith("LTLA-UTLA") for p in imported.skipped)
    assert imported.missing == []


def test_import_is_fast(reference_source: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    import_reference(reference_source, tmp_path / "ref")
    assert time.perf_counter() - started < 30


def test_england_published_values_2024_25(ref_dir: Path) -> None:
    m = _measures(ref_dir).filter(pl.col("year") == "2024-25", pl.col("la_code") == "E92000001")
    assert _one(m, measure_id="c1_children_in_need_referrals_and_rereferrals:rereferral_percent")[
        "value"
    ] == pytest.approx(22.6)
    assert _one(m, measure_id="lait:CPP_Total_Rateper10,000")["value"] == pytest.approx(519.4)
    assert _one(m, measure_id="lait:CIN")["value"] == pytest.approx(330.3)
    assert _one(m, measure_id="lait:CPP_rate")["value"] == pytest.approx(40.6)
    cla = _one(
        m,
        measure_id="cla_number_and_rate_per_10k_children:rate_per_10000:"
        "Children looked after on 31 March each year",
    )
    assert cla["value"] == 67 and cla["raw"] == "67"
    assert cla["geographic_level"] == "National" and cla["ons_code"] == "E92000001"


def test_walsall_published_values_2024_25(ref_dir: Path) -> None:
    m = _measures(ref_dir).filter(pl.col("year") == "2024-25", pl.col("la_code") == "335")
    assert _one(m, measure_id="lait:CPP_Total_Rateper10,000")["value"] == pytest.approx(467.3)
    assert _one(m, measure_id="lait:CPP_rate")["value"] == pytest.approx(31.6)
    row = _one(m, measure_id="c1_children_in_need_referrals_and_rereferrals:referral_count")
    assert row["value"] == 3355
    assert row["ons_code"] == "E08000030"
    assert row["la_name"] == "Walsall"
    assert row["region_code"] == "E12000005" and row["region_name"] == "West Midlands"
    assert row["period_label"] == "2024-25" and row["period_end"] == dt.date(2025, 3, 31)
    assert row["source_file"] == "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"


def test_suppressed_cells_keep_their_published_code(ref_dir: Path) -> None:
    m = _measures(ref_dir)
    dfe = m.filter(pl.col("source") == "dfe")
    codes = set(dfe.filter(pl.col("value").is_null())["raw"].drop_nulls().unique().to_list())
    # DfE's codes as published; each of them is a null value, never a zero
    assert {"c", "x", "z", "u", "k"} <= codes
    assert "low" in codes  # workforce uses "low" for small agency figures
    lait_missing = m.filter(pl.col("source") == "lait", pl.col("raw") == "-")
    assert lait_missing.height > 0 and lait_missing["value"].null_count() == lait_missing.height


def test_somerset_keeps_its_dfe_code_across_the_2023_reorganisation(ref_dir: Path) -> None:
    m = _measures(ref_dir).filter(
        pl.col("measure_id") == "c1_children_in_need_referrals_and_rereferrals:referral_count",
        pl.col("la_code") == "933",
    )
    by_year = dict(zip(m["year"].to_list(), m["ons_code"].to_list(), strict=True))
    assert by_year["2022-23"] == "E10000027"  # the old county
    assert by_year["2023-24"] == "E06000066"  # the unitary from April 2023
    assert by_year["2024-25"] == "E06000066"
    assert len(by_year) == 13  # 2012-13 .. 2024-25, one series under 933


def test_reorganised_las_as_the_data_shows_them(ref_dir: Path) -> None:
    m = _measures(ref_dir).filter(
        pl.col("measure_id") == "c1_children_in_need_referrals_and_rereferrals:referral_count"
    )

    def years(code: str) -> list[str]:
        return sorted(m.filter(pl.col("la_code") == code)["year"].to_list())

    # Dorset: 835 county, 836 Poole, 837 Bournemouth end in 2018-19; 838/839 from 2019-20
    assert years("835")[-1] == "2018-19" and years("838")[0] == "2019-20"
    assert years("839")[0] == "2019-20"
    # Northamptonshire 928 ends 2020-21; North/West Northamptonshire 940/941 from 2021-22
    assert years("928")[-1] == "2020-21" and years("940")[0] == "2021-22"
    # Cumbria 909 ends 2022-23; Cumberland 942 / Westmorland and Furness 943 from 2023-24
    assert years("909")[-1] == "2022-23" and years("942")[0] == "2023-24"
    # North Yorkshire 815: one series, ONS code changes in 2023-24
    ny = m.filter(pl.col("la_code") == "815").sort("year")
    assert ny.filter(pl.col("year") == "2022-23")["ons_code"].item() == "E10000023"
    assert ny.filter(pl.col("year") == "2023-24")["ons_code"].item() == "E06000065"


def test_shared_workforce_returns_are_split_per_la(ref_dir: Path) -> None:
    m = _measures(ref_dir).filter(
        pl.col("measure_id") == "csww_indicators:vacancy_rate_fte", pl.col("time_period") == "2025"
    )
    north = _one(m, la_code="940")
    west = _one(m, la_code="941")
    assert north["shared_return"] == west["shared_return"] == "940 / 941"
    assert north["value"] == west["value"] == pytest.approx(25.9)
    assert north["ons_code"] == "E06000061" and west["ons_code"] == "E06000062"
    assert north["la_name"] == "North Northamptonshire"


def test_workforce_snapshot_belongs_to_the_financial_year_containing_30_september(
    ref_dir: Path,
) -> None:
    m = _measures(ref_dir).filter(pl.col("measure_id") == "csww_indicators:caseload_fte")
    sept_2024 = _one(m, la_code="E92000001", time_period="2024")
    assert sept_2024["year"] == "2024-25"
    assert sept_2024["period_label"] == "30 Sep 2024"
    assert sept_2024["period_end"] == dt.date(2024, 9, 30)
    # LAIT's workforce "2024" is the same snapshot
    lait = _measures(ref_dir).filter(
        pl.col("measure_id") == "lait:Work_Force_AvgNumCase_SW", pl.col("la_code") == "E92000001"
    )
    assert _one(lait, year="2024-25")["value"] == sept_2024["value"]


def test_london_las_sit_in_london_with_their_inner_outer_subregion(ref_dir: Path) -> None:
    m = _measures(ref_dir).filter(
        pl.col("measure_id") == "c1_children_in_need_referrals_and_rereferrals:referral_count",
        pl.col("year") == "2024-25",
    )
    camden = _one(m, la_code="202")
    assert camden["region_code"] == "E12000007" and camden["region_name"] == "London"
    assert camden["subregion_code"] == "E13000001"
    lait = _measures(ref_dir).filter(
        pl.col("measure_id") == "lait:ReReferral", pl.col("year") == "2024-25"
    )
    assert _one(lait, la_code="202")["region_code"] == "E12000007"
    regions = set(lait.filter(pl.col("geographic_level") == "Regional")["la_code"].to_list())
    assert {"E12000001", "E12000007", "E12000009", "E13000001", "E13000002"} <= regions


def test_somerset_neighbours_2025_in_order(ref_dir: Path) -> None:
    n = pl.read_parquet(ref_dir / "neighbours.parquet")
    somerset = n.filter(pl.col("model") == "2025", pl.col("la_code") == "933").sort("rank")
    assert somerset["neighbour_code"].to_list() == [
        "935", "830", "838", "893", "885", "891", "878", "860", "855", "881",
    ]  # fmt: skip
    assert somerset["rank"].to_list() == list(range(1, 11))
    assert somerset["closeness"][0] == "Very close"
    # the 2021 groupings are kept as an older model
    older = n.filter(pl.col("model") == "2021", pl.col("la_code") == "933").sort("rank")
    assert older["neighbour_code"][0] == "878" and older.height == 10


def test_population_table(ref_dir: Path) -> None:
    p = pl.read_parquet(ref_dir / "population.parquet")
    eng = _one(p, la_code="E92000001", vintage="mid-2024")
    assert eng["population_0_17"] == 12183016 and eng["mid_year"] == 2024
    assert "mid-2024" in eng["release"]
    assert _one(p, la_code="933", vintage="mid-2024")["ons_code"] == "E06000066"
    assert _one(p, la_code="933", vintage="mid-2022")["ons_code"] == "E10000027"


# ---------------------------------------------------------------- broken input


def _copy_good_c1(src: Path, dest: Path) -> Path:
    original = next(src.rglob("c1_children_in_need_referrals_and_rereferrals_*.csv"))
    target = dest / original.name
    target.write_bytes(original.read_bytes())
    return target


def test_missing_required_column_names_file_and_column(
    reference_source: Path, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    good = _copy_good_c1(reference_source, src)
    df = pl.read_csv(good, infer_schema=False).drop("rereferral_percent")
    df.write_csv(good)
    with pytest.raises(ReferenceImportError) as err:
        import_reference(src, tmp_path / "dest")
    message = str(err.value)
    assert good.name in message
    assert "'rereferral_percent'" in message and "missing required column" in message
    assert not (tmp_path / "dest" / "measures.parquet").exists()


def test_empty_file_names_the_file(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    empty = src / "d3_cpps_subsequent_plan_2013_to_2025.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReferenceImportError) as err:
        import_reference(src, tmp_path / "dest")
    assert empty.name in str(err.value) and "empty" in str(err.value)


def test_header_only_file_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    f = src / "ons_mid-year_population_estimates_2012_to_2024.csv"
    f.write_text(
        "time_period,geographic_level,country_code,region_code,region_name,old_la_code,"
        "new_la_code,la_name,population_estimate\n"
    )
    with pytest.raises(ReferenceImportError, match="no data rows") as err:
        import_reference(src, tmp_path / "dest")
    assert f.name in str(err.value)


def test_neighbour_file_without_sn_columns(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    f = src / "sn_model_2025_wide.csv"
    f.write_text("old_la_code,la_name,SN_1,SN_2\n933,Somerset,935,830\n")
    with pytest.raises(ReferenceImportError) as err:
        import_reference(src, tmp_path / "dest")
    assert f.name in str(err.value) and "SN3" in str(err.value)


def test_folder_with_nothing_recognisable(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ReferenceImportError, match="no reference files recognised"):
        import_reference(tmp_path, tmp_path / "dest")


def test_failed_import_leaves_the_previous_import_untouched(mini_reference, tmp_path: Path) -> None:
    src = mini_reference(
        [("National", "", "", "England", "20.0"), ("LA", "101", "E06000101", "One", "10.0")],
        {"101": ["102"]},
    )
    dest = tmp_path / "dest"
    import_reference(src, dest)
    before = {p.name: p.read_bytes() for p in dest.iterdir()}
    # break the same folder: a CSV without its region column
    c1 = next(src.glob("c1_*.csv"))
    pl.read_csv(c1, infer_schema=False).drop("region_code").write_csv(c1)
    with pytest.raises(ReferenceImportError, match="region_code"):
        import_reference(src, dest)
    after = {p.name: p.read_bytes() for p in dest.iterdir()}
    assert after == before  # same files, same bytes, no scratch folder left behind


# ---------------------------------------------------------------- download


def test_download_failure_names_the_url_and_suggests_import(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/children-in-need.csv"  # discard port: nothing listens
    with pytest.raises(ReferenceDownloadError) as err:
        download_reference(
            tmp_path / "dest", sources=[DownloadSource("test", url, kind="file")], timeout=2
        )
    assert err.value.url == url
    assert url in str(err.value) and "reference import DIR" in str(err.value)
    assert not (tmp_path / "dest").exists()


def test_download_rejects_an_invalid_url(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDownloadError, match="not-a-url"):
        download_reference(
            tmp_path / "dest", sources=[DownloadSource("test", "not-a-url")], timeout=2
        )

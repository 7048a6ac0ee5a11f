"""The reference snapshot shipped in the package: benchmarks on a machine without ../shared.

Every test here points CSC_SCORECARD_SHARED at an empty folder and uses a
fresh data folder, so nothing can come from ../shared/reference or from an
earlier import: the figures must come from the package itself.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from csc_scorecard.benchmarks.compare import benchmarks_for, neighbours_of, population_0_17
from csc_scorecard.benchmarks.paths import reference_file, snapshot_dir
from csc_scorecard.benchmarks.reference import import_reference
from csc_scorecard.benchmarks.status import reference_status, reference_vintage_note


@pytest.fixture
def fresh_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No ../shared, no CSC_SCORECARD_REFERENCE, an empty data folder."""
    empty = tmp_path / "no-shared"
    empty.mkdir()
    home = tmp_path / "home"
    monkeypatch.setenv("CSC_SCORECARD_SHARED", str(empty))
    monkeypatch.delenv("CSC_SCORECARD_REFERENCE", raising=False)
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(home))
    return home


def _row(frame: pl.DataFrame, indicator_id: str) -> dict:
    hit = frame.filter(pl.col("indicator_id") == indicator_id)
    assert hit.height == 1, indicator_id
    return hit.row(0, named=True)


def test_every_file_is_read_from_the_package(fresh_machine: Path) -> None:
    for name in ("measures.parquet", "neighbours.parquet", "population.parquet"):
        assert reference_file(name) == snapshot_dir() / name


def test_published_figures_come_out_of_the_snapshot(fresh_machine: Path) -> None:
    # the figures DfE published for 2024-25 (reference README checks, also in
    # test_benchmarks_compare against the full import)
    walsall = benchmarks_for("335", "2024-25")
    assert _row(walsall, "referrals_rate_per_10k")["england"] == pytest.approx(519.4)
    assert _row(walsall, "referrals_rate_per_10k")["la_value"] == pytest.approx(467.3)
    assert _row(walsall, "cp_rate_per_10k")["la_value"] == pytest.approx(31.6)
    assert _row(walsall, "cp_rate_per_10k")["england"] == pytest.approx(40.6)
    assert _row(walsall, "rereferrals_12m_pct")["england"] == pytest.approx(22.6)
    assert _row(walsall, "cla_rate_per_10k")["england"] == 67
    assert _row(walsall, "referrals_count")["region"] == 62720  # West Midlands, c1
    assert _row(walsall, "cp_rate_per_10k")["population_vintage"] == "mid-2024"


def test_somersets_ten_neighbours_in_order(fresh_machine: Path) -> None:
    # sn_model_2025_wide.csv, row 933: Suffolk, Derbyshire, Dorset, Shropshire,
    # Worcestershire, Nottinghamshire, Devon, Staffordshire, Leicestershire, Essex
    model, codes = neighbours_of("933")
    assert model == "2025"
    assert codes == ["935", "830", "838", "893", "885", "891", "878", "860", "855", "881"]
    somerset = benchmarks_for("933", "2024-25")
    assert _row(somerset, "cp_rate_per_10k")["n_neighbours_used"] == 10


def test_population_and_the_demo_councils_borrowed_neighbours(fresh_machine: Path) -> None:
    assert population_0_17("933", "2024-25") == (113024, "mid-2024")
    synthetic = benchmarks_for("999", "2024-25", neighbours_like="933")
    row = _row(synthetic, "cp_rate_per_10k")
    assert row["la_value"] is None and row["england"] == pytest.approx(40.6)
    assert row["sn_average"] is not None and row["neighbour_model"] == "2025"


def test_snapshot_is_small_and_says_where_it_comes_from() -> None:
    folder = snapshot_dir()
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    assert size < 5 * 1024 * 1024
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in sources
    assert "Department for Education" in sources and "Office for National Statistics" in sources
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "snapshot"
    assert manifest["vintage"]["latest_year"] == "2024-25"
    assert manifest["vintage"]["population"] == "mid-2024"
    assert all(len(s["sha256"]) == 64 for s in manifest["sources"])
    # no path of the machine it was built on
    assert "/work/" not in json.dumps(manifest)


def test_status_names_the_snapshot_and_its_age(fresh_machine: Path) -> None:
    status = reference_status(today=dt.date(2026, 3, 31))
    assert status.kind == "snapshot"
    assert status.files["measures.parquet"] == "snapshot"
    # latest published year ended 31 March 2025: 12 months before 31 March 2026
    assert status.figures_age_months == 12
    text = "\n".join(status.lines())
    assert "snapshot shipped with csc-scorecard" in text and "2024-25" in text
    note = reference_vintage_note()
    assert "2024-25" in note and "mid-2024" in note and "Open Government Licence" in note


def test_an_import_replaces_the_snapshot_file_by_file(fresh_machine: Path, mini_reference) -> None:
    src = mini_reference(
        [
            ("National", "E92000001", "E92000001", "England", "21.0"),
            ("Local authority", "335", "E08000030", "Walsall", "11.0"),
        ],
        {"335": ["933"]},
    )
    import_reference(src, fresh_machine / "reference")

    status = reference_status()
    assert status.kind == "import"
    assert status.files["measures.parquet"] == "import"
    assert status.files["neighbours.parquet"] == "import"
    assert status.files["population.parquet"] == "snapshot"  # the import had none
    assert status.age_days == 0 and "imported" in status.note()

    frame = benchmarks_for("335", "2024-25")
    # the import's own figures, not the snapshot's (published: 19.7 and 22.6)
    assert _row(frame, "rereferrals_12m_pct")["la_value"] == pytest.approx(11.0)
    assert _row(frame, "rereferrals_12m_pct")["england"] == pytest.approx(21.0)
    assert _row(frame, "referrals_rate_per_10k")["england"] is None  # not in the import
    assert neighbours_of("335") == ("2025", ["933"])


def test_snapshot_matches_the_full_import(ref_dir: Path, fresh_machine: Path) -> None:
    """Built from the same files, the snapshot gives the same benchmarks (else: rebuild it)."""
    for la in ("933", "335", "E92000001"):
        for year in ("2023-24", "2024-25"):
            full = benchmarks_for(la, year, ref_dir)
            shipped = benchmarks_for(la, year)
            # same figures; the neighbours' mean may differ in the last binary digit
            # because the snapshot stores rows in another order
            assert_frame_equal(shipped, full, check_exact=False, rel_tol=1e-12)


def test_reference_status_command(fresh_machine: Path, mini_reference) -> None:
    from click.testing import CliRunner

    from csc_scorecard.benchmarks.command import reference

    before = CliRunner().invoke(reference, ["status"])
    assert before.exit_code == 0, before.output
    assert before.output.startswith("In use: the snapshot shipped with csc-scorecard")
    assert "vintage: DfE/LAIT figures to 2024-25" in before.output
    src = mini_reference(
        [("National", "E92000001", "E92000001", "England", "21.0")], {"101": ["102"]}
    )
    assert CliRunner().invoke(reference, ["import", str(src)]).exit_code == 0
    after = CliRunner().invoke(reference, ["status"])
    assert after.output.startswith("In use: imported reference data")
    assert f"from: {src}" in after.output and "(0 days ago)" in after.output
    assert "population.parquet: snapshot" in after.output


def test_a_download_keeps_the_snapshots_figures_for_what_it_lacks(
    fresh_machine: Path, tmp_path: Path
) -> None:
    """A download has no LAIT: the referral rate (a LAIT figure) stays from the snapshot."""
    from csc_scorecard.benchmarks.download import DownloadSource, download_reference

    served = tmp_path / "served"
    served.mkdir()
    c1 = served / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    c1.write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,referral_count,rereferral_percent,"
        "no_further_action_percent\n"
        "2025,Reporting year,National,E92000001,England,,,,,,100,12.5,5.0\n",
        encoding="utf-8",
    )
    summary = download_reference(
        fresh_machine / "reference", sources=[DownloadSource("c1", c1.as_uri(), kind="file")]
    )
    assert any("kept from the shipped snapshot" in w for w in summary.warnings)
    frame = benchmarks_for("335", "2024-25")
    # the downloaded re-referral figure replaces the snapshot's 22.6 ...
    assert _row(frame, "rereferrals_12m_pct")["england"] == pytest.approx(12.5)
    # ... and what the download lacks is still there (LAIT referral rate, CP rate)
    assert _row(frame, "referrals_rate_per_10k")["england"] == pytest.approx(519.4)
    assert _row(frame, "cp_rate_per_10k")["la_value"] == pytest.approx(31.6)
    manifest = json.loads((fresh_machine / "reference" / "manifest.json").read_text())
    assert manifest["filled_from_snapshot"]["measures"] > 0

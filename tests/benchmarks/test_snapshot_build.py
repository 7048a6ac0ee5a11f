"""Building the snapshot (scripts/build_reference_snapshot.py) from a small hand-made folder."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import polars as pl
import pytest

from csc_scorecard.benchmarks.compare import benchmarks_for
from csc_scorecard.benchmarks.errors import ReferenceImportError
from csc_scorecard.benchmarks.snapshot import build_snapshot

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_reference_snapshot.py"

POPULATION = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,age_group,population_estimate\n"
    "2024,Reporting year,National,E92000001,England,,,,,,Children aged 0 to 17 years,1000000\n"
    "2024,Reporting year,Local authority,E92000001,England,E12000001,North East,101,E06000001,"
    "Alpha,Children aged 0 to 17 years,20000\n"
)


def _lait(folder: Path) -> None:
    # one measure measures.yml maps (ReReferral) and one it does not (Made_up_measure)
    pl.DataFrame(
        {
            "Short Desc": ["ReReferral", "ReReferral", "Made_up_measure"],
            "Years": ["2025", "2025", "2025"],
            "LA and Regions": ["England", "Alpha", "Alpha"],
            "Values": ["22.0", "30.0", "7"],
            "LA Number": [970.0, 101.0, 101.0],
        }
    ).write_parquet(folder / "bds_long_0.parquet")


@pytest.fixture
def mini_source(mini_reference) -> Path:
    folder = mini_reference(
        [
            ("National", "E92000001", "E92000001", "England", "21.0"),
            ("Local authority", "101", "E06000001", "Alpha", "30.0"),
            ("Local authority", "102", "E06000002", "Beta", "10.0"),
        ],
        {"101": ["102"], "102": ["101"]},
    )
    (folder / "ons_mid-year_population_estimates_2012_to_2024.csv").write_text(POPULATION)
    _lait(folder)
    return folder


def test_build_keeps_dfe_rows_and_only_mapped_lait(mini_source: Path, tmp_path: Path) -> None:
    out = tmp_path / "snap"
    built = build_snapshot(mini_source, out)
    measures = pl.read_parquet(out / "measures.parquet")
    lait_ids = set(measures.filter(pl.col("source") == "lait")["measure_id"].to_list())
    assert lait_ids == {"lait:ReReferral"}
    # c1 has 5 value columns (category ignored) x 3 rows = 15 DfE rows, all kept
    assert measures.filter(pl.col("source") == "dfe").height == 15
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["vintage"]["latest_year"] == "2024-25"
    assert manifest["vintage"]["population"] == "mid-2024"
    assert manifest["vintage"]["neighbour_models"] == ["2025"]
    assert built.manifest["outputs"]["measures.parquet"] == measures.height
    assert "Open Government Licence v3.0" in (out / "SOURCES.md").read_text()
    # the built folder serves benchmarks: Alpha's one neighbour is Beta (10.0)
    row = (
        benchmarks_for("101", "2024-25", out)
        .filter(pl.col("indicator_id") == "rereferrals_12m_pct")
        .row(0, named=True)
    )
    assert (row["la_value"], row["sn_average"], row["england"]) == (30.0, 10.0, 21.0)


def test_an_incomplete_source_is_refused_and_writes_nothing(mini_reference, tmp_path: Path) -> None:
    folder = mini_reference(
        [("National", "E92000001", "E92000001", "England", "21.0")], {"101": ["102"]}
    )
    out = tmp_path / "snap"
    with pytest.raises(ReferenceImportError, match="population.parquet"):
        build_snapshot(folder, out)
    assert not out.exists() or not any(out.iterdir())


def test_the_script_reports_errors_without_a_traceback(
    mini_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("build_reference_snapshot", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main([str(mini_source), "--out", str(tmp_path / "snap")]) == 0
    assert "vintage: DfE/LAIT figures to 2024-25" in capsys.readouterr().out
    assert script.main([str(tmp_path / "nowhere"), "--out", str(tmp_path / "x")]) == 2
    assert "is not a folder" in capsys.readouterr().err

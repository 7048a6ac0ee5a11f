"""The ``reference`` group and the ``benchmarks`` command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from csc_scorecard.benchmarks import download as download_module
from csc_scorecard.benchmarks.command import benchmarks, reference
from csc_scorecard.benchmarks.download import DownloadSource
from csc_scorecard.cli import cli


def test_benchmarks_csv_has_exactly_the_agreed_columns(ref_dir: Path) -> None:
    result = CliRunner().invoke(
        benchmarks,
        ["--la", "335", "--period", "2024-25", "--format", "csv", "--ref-dir", str(ref_dir)],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "indicator_id,period,la_value,sn_average,england,region,rank,quartile"
    rows = {r["indicator_id"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["referrals_rate_per_10k"]["la_value"] == "467.3"
    assert rows["referrals_rate_per_10k"]["england"] == "519.4"
    assert rows["cp_rate_per_10k"]["la_value"] == "31.6"
    assert rows["cla_rate_per_10k"]["england"] == "67"
    assert rows["rereferrals_12m_pct"]["rank"] == "69"
    assert rows["referrals_rate_per_10k"]["rank"] == ""  # contextual: no rank
    assert rows["sw_vacancy_pct"]["period"] == "30 Sep 2024"


def test_benchmarks_table(ref_dir: Path) -> None:
    result = CliRunner().invoke(
        benchmarks, ["--la", "933", "--period", "2024-25", "--ref-dir", str(ref_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "rereferrals_12m_pct" in result.output
    assert "19.2" in result.output  # Somerset's SN average for re-referrals, to 1 dp
    flat = " ".join(result.output.split())  # the caption wraps
    assert "Open Government Licence" in flat and "DfE model 2025" in flat


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--la", "999", "--period", "2024-25"], "not in the imported reference data"),
        (["--la", "933", "--period", "2025"], "2024-25"),
    ],
)
def test_benchmarks_errors_exit_2_without_traceback(
    ref_dir: Path, args: list[str], expected: str
) -> None:
    result = CliRunner().invoke(cli, ["benchmarks", *args, "--ref-dir", str(ref_dir)])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert result.stderr.startswith("csc-scorecard: error: ")


def test_benchmarks_before_import_says_what_to_do(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "home"))
    # an empty reference folder named on purpose: nothing to read, and the fix is named
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(
        benchmarks, ["--la", "933", "--period", "2024-25", "--ref-dir", str(empty)]
    )
    assert result.exit_code == 2
    assert "reference import DIR" in result.output and "Traceback" not in result.output
    # with no import at all, the snapshot shipped in the package answers
    result = CliRunner().invoke(benchmarks, ["--la", "933", "--period", "2024-25"])
    assert result.exit_code == 0 and "cp_rate_per_10k" in result.output


def test_reference_import_goes_to_the_data_home(
    mini_reference, tmp_path: Path, monkeypatch
) -> None:
    src = mini_reference(
        [("National", "", "", "England", "20.0"), ("LA", "101", "E06000101", "One", "10.0")],
        {"101": ["102"]},
    )
    home = tmp_path / "home"
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(home))
    result = CliRunner().invoke(reference, ["import", str(src)])
    assert result.exit_code == 0, result.output
    assert (home / "reference" / "measures.parquet").is_file()
    assert "wrote measures.parquet" in result.output
    # and benchmarks now read from there by default
    out = CliRunner().invoke(benchmarks, ["--la", "101", "--period", "2024-25", "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert "rereferrals_12m_pct,2024-25,10.0,,20.0,,1,1" in out.output


def test_reference_import_of_a_broken_file_exits_2(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path / "home"))
    src = tmp_path / "src"
    src.mkdir()
    (src / "b1_children_in_need_2013_to_2025.csv").write_text("")
    result = CliRunner().invoke(reference, ["import", str(src)])
    assert result.exit_code == 2
    assert "b1_children_in_need_2013_to_2025.csv" in result.output and "empty" in result.output
    assert "Traceback" not in result.output


def test_reference_download_without_network_exits_2(tmp_path: Path, monkeypatch) -> None:
    url = "http://127.0.0.1:9/nowhere"
    monkeypatch.setattr(
        download_module, "DEFAULT_SOURCES", (DownloadSource("test", url, kind="file"),)
    )
    result = CliRunner().invoke(
        reference, ["download", "--out", str(tmp_path / "d"), "--timeout", "2"]
    )
    assert result.exit_code == 2
    assert url in result.output and "reference import DIR" in result.output
    assert "Traceback" not in result.output

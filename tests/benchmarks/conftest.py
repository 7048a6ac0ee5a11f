"""Fixtures for the benchmarks tests.

The published reference files are read from ``../shared/reference`` next to
the repository (or ``$CSC_SCORECARD_REFERENCE``); they are imported once per
session into a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from csc_scorecard.benchmarks.reference import ImportSummary, import_reference
from csc_scorecard.config import shared_dir


def _reference_source() -> Path:
    configured = os.environ.get("CSC_SCORECARD_REFERENCE", "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    return shared_dir() / "reference"


@pytest.fixture(scope="session")
def reference_source() -> Path:
    src = _reference_source()
    if not src.is_dir():
        pytest.skip(
            f"published reference data not found at {src} "
            "(set CSC_SCORECARD_REFERENCE to the folder holding dfe_open_data/ and lait/)"
        )
    return src


@pytest.fixture(scope="session")
def imported(reference_source: Path, tmp_path_factory: pytest.TempPathFactory) -> ImportSummary:
    """The real reference data, imported once for the whole session."""
    dest = tmp_path_factory.mktemp("reference-import")
    return import_reference(reference_source, dest)


@pytest.fixture(scope="session")
def ref_dir(imported: ImportSummary) -> Path:
    return imported.dest_dir


# ---------------------------------------------------------------- small hand-made inputs

GEO_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,"
    "region_code,region_name,old_la_code,new_la_code,la_name"
)


def write_mini_c1(folder: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """A small c1 referrals file: rows of (level, la_code, ons_code, name, rereferral_percent)."""
    lines = [
        GEO_HEADER + ",category,referral_count,rereferral_count,rereferral_percent,"
        "no_further_action_count,no_further_action_percent"
    ]
    for level, code, ons, name, pct in rows:
        if level == "National":
            geo = "2025,Reporting year,National,E92000001,England,,,,,"
        elif level == "Regional":
            geo = f"2025,Reporting year,Regional,E92000001,England,{code},{name},,,"
        else:
            geo = f"2025,Reporting year,Local authority,E92000001,England,E12000001,North East,{code},{ons},{name}"
        lines.append(f"{geo},Referrals and Re-referrals,100,20,{pct},5,5")
    path = folder / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_mini_neighbours(folder: Path, groups: dict[str, list[str]]) -> Path:
    header = ["old_la_code", "la_name"]
    for i in range(1, 11):
        header += [f"SN_{i}", f"SN_{i}P"]
    lines = [",".join(header)]
    for la, neighbours in groups.items():
        cells = [la, f"LA {la}"]
        for i in range(10):
            code = neighbours[i] if i < len(neighbours) else ""
            cells += [code, "Close" if code else ""]
        lines.append(",".join(cells))
    path = folder / "sn_model_2025_wide.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def mini_reference(tmp_path: Path):
    """Build a small reference folder by hand: returns a function(c1_rows, groups) -> folder."""

    def build(rows: list[tuple[str, str, str, str, str]], groups: dict[str, list[str]]) -> Path:
        folder = tmp_path / "mini-src"
        folder.mkdir(exist_ok=True)
        write_mini_c1(folder, rows)
        write_mini_neighbours(folder, groups)
        return folder

    return build

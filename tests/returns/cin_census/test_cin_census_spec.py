"""The CIN census spec files: strict loading, and agreement with DfE's XSDs."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from csc_scorecard.config import shared_dir
from csc_scorecard.returns.cin_census.spec import SPEC_DIR, SpecError, load_specs, spec_for

XSD_DIR = shared_dir() / "specs" / "cin_census_xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"

# our list name -> the XSD's simple type name
XSD_TYPES = {
    "ethnicity": "ethnicitytype",
    "disability": "disabilitytype",
    "upn_unknown": "unknownupntype",
    "referral_source": "referralsourcetype",
    "primary_need": "primaryneedcodetype",
    "closure_reason": "reasonforclosuretype",
    "assessment_factor": "assessmentfactorstype",
    "abuse_category": "categoryofabusetype",
}


def test_every_year_loads() -> None:
    specs = load_specs()
    assert sorted(specs) == list(range(2017, 2027))
    assert spec_for(2025).label == "2024-25"
    assert spec_for(2024).sex_element == "GenderCurrent"
    assert spec_for(2025).sex_element == "Sex"
    assert spec_for(2025).sex_values == {"M": "M", "F": "F", "U": "U"}
    assert not spec_for(2021).modules["cin_plans"] and spec_for(2022).modules["cin_plans"]
    assert "5D" not in spec_for(2022).codes["referral_source"]
    assert "5D" in spec_for(2023).codes["referral_source"]
    assert "RC9" in spec_for(2026).codes["closure_reason"]
    assert "18A" in spec_for(2020).codes["assessment_factor"]
    assert "18A" not in spec_for(2021).codes["assessment_factor"]
    assert "18A" in spec_for(2021).accepted("assessment_factor")
    assert "24A" in spec_for(2022).codes["assessment_factor"]


@pytest.mark.skipif(not XSD_DIR.is_dir(), reason="shared XSDs not available")
@pytest.mark.parametrize("year", range(2017, 2027))
def test_code_lists_agree_with_the_xsd(year: int) -> None:
    root = ET.parse(XSD_DIR / f"CIN_schema_{year}.xsd").getroot()
    types = {
        t.get("name"): [e.get("value") for e in t.iter(f"{XS}enumeration")]
        for t in root.iter(f"{XS}simpleType")
        if t.get("name")
    }
    spec = spec_for(year)
    for ours, theirs in XSD_TYPES.items():
        # the XSDs keep the retired 18A/19A (marked as kept on request): our "accepted"
        assert sorted(spec.accepted(ours)) == sorted(types[theirs]), (year, ours)
    sex_type = "sextype" if "sextype" in types else "gendertype"
    assert sorted(spec.sex_values) == sorted(types[sex_type])
    elements = {e.get("name") for e in root.iter(f"{XS}element")}
    assert spec.sex_element in elements
    assert ("CINPlanDates" in elements) == spec.modules["cin_plans"]


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    target = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "words"),
    [
        ("base.yml", 'primary_need: ["N0",', "primary_need: [N0,", None),  # still a string: fine
        ("base.yml", '"4", "5A"', '4, "5A"', "quoted"),
        (
            "base.yml",
            "first_year_ending: 2017",
            "first_year_ending: 2017\nfirst_year_ending: 2017",
            "duplicate",
        ),
        ("base.yml", "modules:", "colour: blue\nmodules:", "unknown key"),
        ("base.yml", '"9": "U"', '"9": "X"', "not one of M, F, U"),
        ("base.yml", '"HAND",', '"HAND", "HAND",', "repeated"),
        ("years/2023.yml", 'add: ["5D"]', 'add: ["5A"]', "already a code"),
        ("years/2023.yml", 'add: ["5D"]', 'remove: ["5Z"]', "not a code"),
        ("years/2022.yml", "year_ending: 2022", "year_ending: 2021", "file name"),
        ("years/2022.yml", "cin_plans: true", "cin_plans: yes please", "true or false"),
        ("years/2021.yml", "codes:", "code:", "unknown key"),
    ],
)
def test_loader_is_strict(
    spec_copy: Path, file: str, old: str, new: str, words: str | None
) -> None:
    _edit(spec_copy / file, old, new)
    if words is None:
        load_specs(spec_copy)
        return
    with pytest.raises(SpecError, match=words):
        load_specs(spec_copy)


def test_missing_year_file(spec_copy: Path) -> None:
    (spec_copy / "years" / "2024.yml").unlink()
    with pytest.raises(SpecError, match="2024"):
        load_specs(spec_copy)

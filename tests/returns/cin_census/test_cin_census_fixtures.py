"""The CIN census reader over the real-format sample files in shared/fixtures.

Expected counts are worked out here independently, by counting elements with
the standard library's ElementTree, not by trusting the reader.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from csc_scorecard.config import shared_dir
from csc_scorecard.returns.cin_census import read_cin_census, sniff_cin_census
from csc_scorecard.returns.issues import Severity

FIXTURES = shared_dir() / "fixtures" / "cin_census"
NAMES = [
    "CIN2rows.xml",
    "CIN_Census_2021.xml",
    "CIN_Census_2024.xml",
    "CIN_Census_2026.xml",
    "fake_CIN_data.xml",
]

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared fixtures not available")


def _expected_counts(path: Path) -> dict[str, int]:
    root = ET.parse(path).getroot()
    reviews = sum(
        len(plan.findall("Reviews/CPPreviewDate")) for plan in root.iter("ChildProtectionPlans")
    )
    return {
        "child": len(root.findall("Children/Child")),
        "referral": len(root.findall("Children/Child/CINdetails")),
        "assessment": len(root.findall("Children/Child/CINdetails/Assessments")),
        "cin_plan": len(root.findall("Children/Child/CINdetails/CINPlanDates")),
        "s47": len(root.findall("Children/Child/CINdetails/Section47")),
        "cp_plan": len(root.findall("Children/Child/CINdetails/ChildProtectionPlans")),
        "cp_review": reviews,
    }


@pytest.mark.parametrize("name", NAMES)
def test_every_fixture_reads_with_independent_counts(name: str) -> None:
    path = FIXTURES / name
    assert sniff_cin_census(path.read_bytes()[:4096])
    result = read_cin_census(path)
    expected = _expected_counts(path)
    # none of the fixtures has a row without its key date: everything is stored
    assert sum(result.quarantined.values()) == 0
    for table, n in expected.items():
        assert result.counts.get(table, 0) == n, table
    assert result.source_rows["Child"] == expected["child"]
    assert result.source_rows["CINdetails"] == expected["referral"]
    assert result.la_code == ET.parse(path).getroot().findtext("Header/Source/LEA")
    assert not result.errors
    for issue in result.issues:  # every issue is located in this file
        assert issue.location.file == name


def test_cin2rows_named_child() -> None:
    result = read_cin_census(FIXTURES / "CIN2rows.xml")
    assert result.year == "2023-24"  # ReferenceDate 2024-03-31 wins over the stale Year 2023
    assert any(i.code == "year-mismatch" and i.severity is Severity.WARNING for i in result.issues)
    (child,) = result.tables["child"]
    assert child == {
        "child_id": "DfEX0000001",
        "source_row": 18,
        "upn": "A123456789123",
        "sex": "M",
        "birth_date": dt.date(2015, 3, 27),
        "expected_birth_date": None,
        "death_date": None,
        "ethnicity": "WBRI",
        "disabilities": "HAND,HEAR",
    }
    (referral,) = result.tables["referral"]
    assert referral["referral_date"] == dt.date(2022, 10, 6)
    assert (referral["source"], referral["primary_need"]) == ("1A", "N4")
    assert (referral["closure_date"], referral["closure_reason"]) == (dt.date(2023, 2, 27), "RC1")
    assert referral["nfa"] is False
    (s47,) = result.tables["s47"]
    assert s47["start_date"] == dt.date(2022, 6, 2)
    assert s47["icpc_target_date"] == dt.date(2022, 6, 23)
    assert s47["icpc_date"] == dt.date(2022, 6, 17)
    assert s47["icpc_not_required"] is False  # written "false"
    assert s47["referral_date"] == dt.date(2022, 10, 6)
    plans = result.tables["cp_plan"]
    assert [(p["initial_category"], p["latest_category"], p["previous_plans"]) for p in plans] == [
        ("PHY", "PHY", 10),
        ("PHY", "PHY", 10),
    ]
    # the two identical plans are both stored, with a warning
    assert any(i.code == "duplicate" and i.location.table == "cp_plan" for i in result.issues)
    assert [r["review_date"] for r in result.tables["cp_review"]] == [dt.date(2023, 2, 15)] * 2
    assert result.tables["cp_review"][0]["plan_start_date"] == dt.date(2022, 2, 17)
    (plan,) = result.tables["cin_plan"]
    assert (plan["start_date"], plan["end_date"]) == (dt.date(2023, 1, 24), dt.date(2023, 1, 26))
    # S47 started months before its referral: stored, but flagged
    assert any(
        i.location.column == "S47ActualStartDate" and i.code == "date-order" for i in result.issues
    )


def test_fake_cin_data() -> None:
    path = FIXTURES / "fake_CIN_data.xml"
    result = read_cin_census(path)
    assert (
        result.year == "2021-22"
    )  # Year 2022; the ReferenceDate is a generation date, not 31 March
    assert result.la_code == "975"
    assert result.counts["child"] == 332
    assert result.counts["referral"] == 402
    for table in ("assessment", "s47", "cp_plan", "cin_plan", "cp_review"):
        assert result.counts.get(table, 0) == 0
    children = {c["child_id"]: c for c in result.tables["child"]}
    assert len(children) == 332
    child = children["RND000627202323"]
    assert child["sex"] == "M"
    assert child["birth_date"] == child["death_date"] == dt.date(2013, 11, 26)
    assert child["ethnicity"] == "AIND"
    assert child["disabilities"] == "HAND,BEH,INC"
    referrals = [r for r in result.tables["referral"] if r["child_id"] == "RND000627202323"]
    assert [
        (r["referral_date"], r["source"], r["primary_need"], r["closure_reason"]) for r in referrals
    ] == [
        (dt.date(2016, 8, 27), "9", "N1", "RC3"),
        (dt.date(2025, 10, 12), "8", "N5", ""),
    ]
    assert all(r["nfa"] is True for r in result.tables["referral"])  # every one is written "true"
    # GenderCurrent 0 and 9 both become U; the counts match the file's own
    root = ET.parse(path).getroot()
    genders = [g.text for g in root.iter("GenderCurrent")]
    sexes = [c["sex"] for c in result.tables["child"]]
    assert sexes.count("M") == genders.count("1")
    assert sexes.count("F") == genders.count("2")
    assert sexes.count("U") == genders.count("0") + genders.count("9")
    # "true" instead of 1 is reported once, with the count, not 402 times
    flag_notes = [i for i in result.issues if i.code == "flag-format"]
    assert len(flag_notes) == 1 and "402 times" in flag_notes[0].message
    # NONE given alongside other disabilities: NONE dropped, with a warning
    mixed = [i for i in result.issues if i.location.column == "Disability" and i.code == "conflict"]
    assert mixed and all(
        "NONE" not in children_value
        for children_value in (
            c["disabilities"].split(",") for c in result.tables["child"] if "," in c["disabilities"]
        )
    )
    # a referral after the child's death is flagged
    assert any("after the child's date of death" in i.message for i in result.issues)


def test_2024_fixture_bad_factor_and_sex_element() -> None:
    result = read_cin_census(FIXTURES / "CIN_Census_2024.xml")
    assessments = result.tables["assessment"]
    assert assessments[0]["factors"] == "1C,6B"  # RB is not a factor: dropped with a warning
    bad = [
        i
        for i in result.issues
        if i.code == "bad-code" and i.location.column == "AssessmentFactors"
    ]
    assert [i.location.value for i in bad] == ["RB"]
    assert "1C" in bad[0].expected
    assert assessments[1]["factors"] == ""
    children = {c["child_id"]: c for c in result.tables["child"]}
    assert children["DfEX0000001"]["sex"] == "M"  # <Sex>1</Sex>
    assert children["child_fails_assessments"]["sex"] == "M"  # <Sex>M</Sex>
    assert children["child_fails_assessments"]["disabilities"] == "NONE"
    referral = [r for r in result.tables["referral"] if r["child_id"] == "child_fails_assessments"][
        0
    ]
    assert referral["closure_reason"] == "RC9"  # valid from 2022-23
    # authorised before started: stored with a warning
    assert any(
        i.code == "date-order" and i.location.column == "AssessmentAuthorisationDate"
        for i in result.issues
    )


def test_2026_fixture_unknown_module_is_noted_not_fatal() -> None:
    result = read_cin_census(FIXTURES / "CIN_Census_2026.xml")
    notes = [i for i in result.issues if i.code == "extra-element"]
    assert [i.location.column for i in notes] == ["PreProceedingsandFGDM"]
    assert notes[0].severity is Severity.INFO


def test_2021_fixture_implausible_dates_are_warned() -> None:
    result = read_cin_census(FIXTURES / "CIN_Census_2021.xml")
    assert result.year == "2022-23"  # Year 2023 and ReferenceDate 2023-03-31 agree
    assert not [i for i in result.issues if i.code == "year-mismatch"]
    columns = {i.location.column for i in result.issues if i.code == "implausible-date"}
    assert columns == {"PersonBirthDate", "ExpectedPersonBirthDate"}
    assert result.tables["child"][0]["expected_birth_date"] == dt.date(1066, 4, 13)

"""Memory stays flat however big the CIN census file is (streaming parse)."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest

from csc_scorecard.returns.cin_census import read_cin_census

CHILD = """  <Child>
    <ChildIdentifiers>
      <LAchildID>M{n:09d}</LAchildID>
      <UPN>A{n:011d}1</UPN>
      <PersonBirthDate>2012-05-17</PersonBirthDate>
      <Sex>F</Sex>
    </ChildIdentifiers>
    <ChildCharacteristics>
      <Ethnicity>WBRI</Ethnicity>
      <Disabilities><Disability>AUT</Disability><Disability>LD</Disability></Disabilities>
    </ChildCharacteristics>
    <CINdetails>
      <CINreferralDate>2024-05-02</CINreferralDate>
      <ReferralSource>2A</ReferralSource>
      <PrimaryNeedCode>N1</PrimaryNeedCode>
      <CINclosureDate>2025-02-20</CINclosureDate>
      <ReasonForClosure>RC7</ReasonForClosure>
      <Assessments>
        <AssessmentActualStartDate>2024-05-03</AssessmentActualStartDate>
        <AssessmentAuthorisationDate>2024-06-10</AssessmentAuthorisationDate>
        <FactorsIdentifiedAtAssessment>
          <AssessmentFactors>3A</AssessmentFactors>
          <AssessmentFactors>4B</AssessmentFactors>
        </FactorsIdentifiedAtAssessment>
      </Assessments>
      <CINPlanDates>
        <CINPlanStartDate>2024-06-11</CINPlanStartDate>
        <CINPlanEndDate>2024-09-01</CINPlanEndDate>
      </CINPlanDates>
      <Section47>
        <S47ActualStartDate>2024-08-20</S47ActualStartDate>
        <InitialCPCtarget>2024-09-10</InitialCPCtarget>
        <DateOfInitialCPC>2024-09-02</DateOfInitialCPC>
        <ICPCnotRequired>0</ICPCnotRequired>
      </Section47>
      <ReferralNFA>0</ReferralNFA>
      <ChildProtectionPlans>
        <CPPstartDate>2024-09-02</CPPstartDate>
        <CPPendDate>2025-02-20</CPPendDate>
        <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
        <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
        <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
        <Reviews><CPPreviewDate>2024-11-25</CPPreviewDate><CPPreviewDate>2025-02-10</CPPreviewDate></Reviews>
      </ChildProtectionPlans>
    </CINdetails>
  </Child>
"""
HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<Message>\n<Header><CollectionDetails><Collection>CIN'
    "</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>"
    "<Source><SourceLevel>L</SourceLevel><LEA>933</LEA></Source></Header>\n<Children>\n"
)
TAIL = "</Children>\n</Message>\n"


def generate(path: Path, megabytes: int) -> int:
    """Write a clean census of about `megabytes` MB; returns the number of children."""
    target = megabytes * 1_000_000
    written = 0
    n = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        while written < target:
            block = "".join(CHILD.format(n=n + i) for i in range(500))
            out.write(block)
            written += len(block)
            n += 500
        out.write(TAIL)
    return n


class CountingSink:
    def __init__(self) -> None:
        self.rows = 0

    def add(self, table: str, row: dict) -> None:
        self.rows += 1


def peak_while_reading(path: Path) -> tuple[int, object]:
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = read_cin_census(path, sink=CountingSink())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_file_size(tmp_path: Path) -> None:
    small, big = tmp_path / "small.xml", tmp_path / "big.xml"
    n_small = generate(small, 10)
    n_big = generate(big, 50)
    assert big.stat().st_size > 4.5 * small.stat().st_size

    peak_small, result_small = peak_while_reading(small)
    peak_big, result_big = peak_while_reading(big)

    assert result_small.counts["child"] == n_small  # type: ignore[attr-defined]
    assert result_big.counts["child"] == n_big  # type: ignore[attr-defined]
    assert result_big.counts["cp_review"] == 2 * n_big  # type: ignore[attr-defined]
    assert not result_big.issues  # type: ignore[attr-defined]  # a clean file: no issue list growing either
    ratio = peak_big / peak_small
    assert ratio < 1.5, f"peak {peak_small:,} B for 10 MB but {peak_big:,} B for 50 MB"
    assert peak_big < 8_000_000, f"peak {peak_big:,} B"


def test_memory_generator_writes_a_valid_census(tmp_path: Path) -> None:
    """The generator itself, cheaply, so the slow test cannot fail for a silly reason."""
    path = tmp_path / "tiny.xml"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD + CHILD.format(n=1) + CHILD.format(n=2) + TAIL)
    result = read_cin_census(path, sink=CountingSink())
    assert result.counts["child"] == 2
    assert not result.issues, [i.describe() for i in result.issues]

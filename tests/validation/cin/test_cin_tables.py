"""load_cin_tables: the census as raw-text tables, on the shared fixtures and on hand-written XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from csc_scorecard.returns.issues import FileRejected
from csc_scorecard.validation.cin import load_cin_tables
from csc_scorecard.validation.cin.tables import TABLES

FIXTURES = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "cin_census"
needs_fixtures = pytest.mark.skipif(not FIXTURES.exists(), reason="../shared/fixtures not present")

HAND_WRITTEN = """<?xml version="1.0" encoding="utf-8"?>
<Message xmlns="http://www.example.org/cin">
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
      <ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>933</LEA></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID> A1 </LAchildID>
        <UPN>K933123456781</UPN>
        <PersonBirthDate>2015-06-01</PersonBirthDate>
        <GenderCurrent>2</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-05-01</CINreferralDate>
        <ReferralNFA>false</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2024-05-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>1A</AssessmentFactors><AssessmentFactors>4C</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <Assessments><AssessmentActualStartDate>2024-06-01</AssessmentActualStartDate>
          <FactorsIdentifiedAtAssessment/></Assessments>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2024-09-01</CINreferralDate>
        <ChildProtectionPlans>
          <CPPstartDate>2024-09-10</CPPstartDate>
          <CPPreviewDate>2024-10-01</CPPreviewDate>
          <Reviews><CPPreviewDate>2024-12-01</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><UPN>bad</UPN><Sex>F</Sex></ChildIdentifiers>
    </Child>
  </Children>
</Message>
"""


def _line(text: str) -> int:
    """The line of HAND_WRITTEN where ``text`` first appears (as lxml numbers lines, from 1)."""
    return HAND_WRITTEN[: HAND_WRITTEN.index(text)].count("\n") + 1


@pytest.fixture
def hand(tmp_path):
    path = tmp_path / "hand.xml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    return load_cin_tables(path)


def test_every_table_is_there_with_its_bookkeeping(hand):
    assert set(hand) == set(TABLES)
    for name, frame in hand.items():
        assert {"_row", "_child"} <= set(frame.columns), name


def test_children_and_values_as_text(hand):
    ids = hand["ChildIdentifiers"]
    assert ids.height == 2
    first = ids.row(0, named=True)
    # Blanks stripped; the older sex element is read into Sex, and the element named.
    assert (first["LAchildID"], first["Sex"], first["SexElement"]) == ("A1", "2", "GenderCurrent")
    second = ids.row(1, named=True)
    assert (second["LAchildID"], second["_child"], second["UPN"], second["SexElement"]) == (
        None, None, "bad", "Sex")
    assert second["_row"] == f"Child 2 > ChildIdentifiers (line {_line('<UPN>bad')})"
    assert ids["_child_no"].to_list() == [1, 2]


def test_episodes_and_what_they_hold_are_keyed_to_their_episode(hand):
    cin = hand["CINdetails"]
    assert cin.select("CINdetailsID", "CINreferralDate").rows() == [(1, "2024-05-01"), (2, "2024-09-01")]
    a = hand["Assessments"]
    assert a.select("CINdetailsID", "AssessmentID").rows() == [(1, 1), (1, 2)]
    assert a["AssessmentFactors"].to_list() == [["1A", "4C"], []]
    assert a["AssessmentAuthorisationDate"].to_list() == ["2024-05-20", None]
    assert a["_row"][0] == f"Child 1 > CINdetails 1 > Assessments 1 (line {_line('<Assessments>')})"
    cpp = hand["ChildProtectionPlans"]
    assert cpp.select("CINdetailsID", "CPPID", "CPPstartDate").rows() == [(2, 1, "2024-09-10")]
    # Reviews directly in the plan and under <Reviews> both count.
    reviews = hand["Reviews"]
    assert reviews.select("CINdetailsID", "CPPID", "CPPreviewDate").rows() == [
        (2, 1, "2024-10-01"), (2, 1, "2024-12-01")]
    assert set(hand["Disabilities"]["Disability"]) == {"NONE"}
    assert hand["Header"].select("ReferenceDate", "LEA").row(0) == ("2025-03-31", "933")


def test_a_file_with_a_dtd_is_refused(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "aaaa">]>'
                    "<Message><Header/></Message>", encoding="utf-8")
    with pytest.raises(FileRejected):
        load_cin_tables(path)


def test_not_a_census_is_refused(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<Other/>", encoding="utf-8")
    with pytest.raises(FileRejected):
        load_cin_tables(path)


@needs_fixtures
@pytest.mark.parametrize(
    "name, children, episodes, reviews, sex_element",
    [
        # Counted from the files: <Child>, <CINdetails> and <CPPreviewDate> elements.
        ("CIN2rows.xml", 1, 1, 2, "GenderCurrent"),
        ("CIN_Census_2021.xml", 1, 1, 1, "GenderCurrent"),
        ("CIN_Census_2024.xml", 2, 2, 1, "Sex"),
        ("CIN_Census_2026.xml", 2, 2, 1, "Sex"),
        ("fake_CIN_data.xml", 332, 402, 0, "GenderCurrent"),
    ],
)
def test_shared_fixtures(name, children, episodes, reviews, sex_element):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert text.count("<Child>") == children and text.count("<CINdetails>") == episodes
    tables = load_cin_tables(FIXTURES / name)
    assert tables["ChildIdentifiers"].height == children
    assert tables["CINdetails"].height == episodes
    assert tables["Reviews"].height == reviews
    assert set(tables["ChildIdentifiers"]["SexElement"].drop_nulls()) == {sex_element}
    # Every nested row joins back to exactly one episode.
    keys = tables["CINdetails"].select("_child_no", "CINdetailsID")
    for nested in ("Assessments", "CINplanDates", "Section47", "ChildProtectionPlans", "Reviews"):
        frame = tables[nested]
        assert frame.join(keys, on=["_child_no", "CINdetailsID"], how="anti").height == 0, nested


def test_tables_from_rows_fills_columns_and_child_ordinals():
    from csc_scorecard.validation.cin import tables_from_rows

    tables = tables_from_rows({
        "ChildIdentifiers": [{"LAchildID": "A", "_row": "r1", "_child": "A"},
                             {"LAchildID": "B", "_row": "r2", "_child": "B"}],
        "CINdetails": [{"LAchildID": "B", "CINdetailsID": 1, "_row": "r3", "_child": "B"}],
    })
    assert set(tables) == set(TABLES)
    assert tables["CINdetails"].select("_child_no", "CINreferralDate").rows() == [(2, None)]
    assert tables["Reviews"].height == 0

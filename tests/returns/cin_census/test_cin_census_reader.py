"""The CIN census reader on small files written by the tests: years, codings,
quarantine, overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from csc_scorecard.returns.cin_census import read_cin_census
from csc_scorecard.returns.issues import Severity


def header(year: str | None = "2025", ref: str | None = "2025-03-31", lea: str = "933") -> str:
    details = ""
    if year is not None:
        details += f"<Year>{year}</Year>"
    if ref is not None:
        details += f"<ReferenceDate>{ref}</ReferenceDate>"
    return (
        "<Header><CollectionDetails><Collection>CIN</Collection>"
        f"{details}</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA>"
        "</Source></Header>"
    )


def child(
    child_id: str = "C1",
    *,
    sex: str = "<Sex>F</Sex>",
    birth: str = "2015-05-01",
    extra_ids: str = "",
    characteristics: str = "<Ethnicity>WBRI</Ethnicity>",
    details: str | None = None,
) -> str:
    if details is None:
        details = cin()
    return (
        f"<Child><ChildIdentifiers><LAchildID>{child_id}</LAchildID><UPN>A123456789012</UPN>"
        f"<PersonBirthDate>{birth}</PersonBirthDate>{sex}{extra_ids}</ChildIdentifiers>"
        f"<ChildCharacteristics>{characteristics}</ChildCharacteristics>{details}</Child>"
    )


def cin(
    referral: str = "2024-06-01",
    *,
    source: str = "2A",
    need: str = "N1",
    nfa: str = "0",
    closure: str = "",
    body: str = "",
) -> str:
    ref = f"<CINreferralDate>{referral}</CINreferralDate>" if referral is not None else ""
    return (
        f"<CINdetails>{ref}<ReferralSource>{source}</ReferralSource>"
        f"<PrimaryNeedCode>{need}</PrimaryNeedCode>{closure}{body}<ReferralNFA>{nfa}</ReferralNFA></CINdetails>"
    )


def write(tmp_path: Path, *children: str, head: str | None = None, name: str = "cin.xml") -> Path:
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<Message>{header() if head is None else head}'
        f"<Children>{''.join(children)}</Children></Message>",
        encoding="utf-8",
    )
    return path


def codes(result, code: str) -> list:  # type: ignore[no-untyped-def]
    return [i for i in result.issues if i.code == code]


# -- sex by year -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "ref", "element", "value", "expected", "noted"),
    [
        ("2019", "2019-03-31", "GenderCurrent", "1", "M", False),
        ("2019", "2019-03-31", "GenderCurrent", "2", "F", False),
        ("2019", "2019-03-31", "GenderCurrent", "0", "U", False),
        ("2019", "2019-03-31", "GenderCurrent", "9", "U", False),
        ("2024", "2024-03-31", "GenderCurrent", " 2 ", "F", False),
        ("2025", "2025-03-31", "Sex", "M", "M", False),
        ("2025", "2025-03-31", "Sex", "f", "F", False),
        ("2026", "2026-03-31", "Sex", "U", "U", False),
        ("2025", "2025-03-31", "Sex", "1", "M", True),  # older numeric coding in the new element
        ("2025", "2025-03-31", "Sex", "2", "F", True),
        ("2025", "2025-03-31", "GenderCurrent", "2", "F", True),  # old element name
        ("2024", "2024-03-31", "Sex", "M", "M", True),  # new element a year early
    ],
)
def test_sex_by_year(tmp_path, year, ref, element, value, expected, noted) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, child(sex=f"<{element}>{value}</{element}>"), head=header(year, ref))
    result = read_cin_census(path)
    assert result.tables["child"][0]["sex"] == expected
    other_year = [
        i for i in result.issues if i.code in ("element-for-other-year", "code-not-this-year")
    ]
    assert bool(other_year) == noted
    assert not result.errors


def test_bad_and_missing_sex_become_u_with_warning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, child("A", sex="<Sex>X</Sex>"), child("B", sex=""))
    result = read_cin_census(path)
    assert [c["sex"] for c in result.tables["child"]] == ["U", "U"]
    assert {i.code for i in result.issues if i.location.column == "Sex"} == {
        "bad-code",
        "missing-value",
    }


# -- ReferralNFA and other flags ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "note"),
    [
        ("0", False, False),
        ("1", True, False),
        ("true", True, True),
        ("false", False, True),
        (" TRUE ", True, True),
        ("1.0", True, True),
        ("", None, False),
        ("maybe", None, False),
    ],
)
def test_referral_nfa(tmp_path, text, value, note) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, child(details=cin(nfa=text)))
    result = read_cin_census(path)
    assert result.tables["referral"][0]["nfa"] is value
    assert bool(codes(result, "flag-format")) == note
    if text.strip() in ("", "maybe"):
        (issue,) = [i for i in result.issues if i.location.column == "ReferralNFA"]
        assert issue.severity is Severity.WARNING and issue.expected == "0 or 1"


def test_nfa_with_activity_is_flagged(tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = "<Assessments><AssessmentActualStartDate>2024-06-02</AssessmentActualStartDate></Assessments>"
    result = read_cin_census(write(tmp_path, child(details=cin(nfa="1", body=body))))
    assert any(i.code == "conflict" and i.location.column == "ReferralNFA" for i in result.issues)
    assert result.counts["assessment"] == 1


# -- several referrals per child, and what hangs off them --------------------------------


def test_several_cin_details_per_child(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = cin(
        "2024-04-10",
        closure="<CINclosureDate>2024-05-01</CINclosureDate><ReasonForClosure>rc8</ReasonForClosure>",
        body=(
            "<Assessments><AssessmentActualStartDate>2024-04-11</AssessmentActualStartDate>"
            "<AssessmentAuthorisationDate>2024-04-30</AssessmentAuthorisationDate>"
            "<FactorsIdentifiedAtAssessment><AssessmentFactors>3a</AssessmentFactors>"
            "<AssessmentFactors> 4B </AssessmentFactors><AssessmentFactors>3A</AssessmentFactors>"
            "</FactorsIdentifiedAtAssessment></Assessments>"
        ),
    )
    second = cin(
        "2024-09-01",
        source="5D",
        body=(
            "<Assessments><AssessmentActualStartDate>2024-09-02</AssessmentActualStartDate></Assessments>"
            "<CINPlanDates><CINPlanStartDate>2024-09-20</CINPlanStartDate></CINPlanDates>"
            "<Section47><S47ActualStartDate>2024-09-03</S47ActualStartDate>"
            "<InitialCPCtarget>2024-09-20</InitialCPCtarget><DateOfInitialCPC>2024-09-18</DateOfInitialCPC>"
            "<ICPCnotRequired>0</ICPCnotRequired></Section47>"
            "<ChildProtectionPlans><CPPstartDate>2024-09-18</CPPstartDate>"
            "<InitialCategoryOfAbuse>neg</InitialCategoryOfAbuse><LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>"
            "<NumberOfPreviousCPP>2.0</NumberOfPreviousCPP><Reviews><CPPreviewDate>2024-12-01</CPPreviewDate>"
            "<CPPreviewDate>2025-03-01</CPPreviewDate></Reviews></ChildProtectionPlans>"
        ),
    )
    result = read_cin_census(write(tmp_path, child("  123.0 ", details=first + second)))
    assert result.tables["child"][0]["child_id"] == "123"
    assert result.row_counts == {
        "assessment": 2,
        "child": 1,
        "cin_plan": 1,
        "cp_plan": 1,
        "cp_review": 2,
        "referral": 2,
        "s47": 1,
    }
    refs = result.tables["referral"]
    assert [r["referral_date"] for r in refs] == [dt.date(2024, 4, 10), dt.date(2024, 9, 1)]
    assert refs[0]["closure_reason"] == "RC8" and refs[1]["source"] == "5D"
    a1, a2 = result.tables["assessment"]
    assert a1["factors"] == "3A,4B" and a1["authorised_date"] == dt.date(2024, 4, 30)
    assert a2["referral_date"] == dt.date(2024, 9, 1) and a2["authorised_date"] is None
    (plan,) = result.tables["cp_plan"]
    assert (plan["initial_category"], plan["latest_category"], plan["previous_plans"]) == (
        "NEG",
        "EMO",
        2,
    )
    assert [r["plan_start_date"] for r in result.tables["cp_review"]] == [dt.date(2024, 9, 18)] * 2
    assert all(r["child_id"] == "123" for rows in result.tables.values() for r in rows)
    assert all(isinstance(r["source_row"], int) for rows in result.tables.values() for r in rows)
    assert not [i for i in result.issues if i.severity is not Severity.INFO]


# -- quarantine ---------------------------------------------------------------------------


def test_referral_without_date_is_quarantined_with_everything_under_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = (
        "<Assessments><AssessmentActualStartDate>2024-06-02</AssessmentActualStartDate></Assessments>"
        "<ChildProtectionPlans><CPPstartDate>2024-07-01</CPPstartDate><InitialCategoryOfAbuse>NEG"
        "</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0"
        "</NumberOfPreviousCPP><Reviews><CPPreviewDate>2024-08-01</CPPreviewDate></Reviews></ChildProtectionPlans>"
    )
    path = write(tmp_path, child(details=cin(referral="", body=body) + cin()))
    result = read_cin_census(path)
    assert result.counts["referral"] == 1
    assert dict(result.quarantined) == {
        "referral": 1,
        "assessment": 1,
        "cp_plan": 1,
        "cp_review": 1,
    }
    (error,) = result.errors
    assert error.location.table == "referral" and error.location.column == "CINreferralDate"
    assert error.location.row == 2  # the whole file is on line 2
    assert "set aside" in error.message and error.code == "missing-value"


def test_unusable_nested_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = (
        "<Assessments><AssessmentAuthorisationDate>2024-06-09</AssessmentAuthorisationDate></Assessments>"
        "<Assessments><AssessmentActualStartDate>2024-13-45</AssessmentActualStartDate></Assessments>"
        "<Section47><ICPCnotRequired>1</ICPCnotRequired></Section47>"
        "<CINPlanDates><CINPlanEndDate>2024-09-01</CINPlanEndDate></CINPlanDates>"
        "<ChildProtectionPlans><CPPstartDate>2024-07-01</CPPstartDate><InitialCategoryOfAbuse>NEG"
        "</InitialCategoryOfAbuse><LatestCategoryOfAbuse>XYZ</LatestCategoryOfAbuse><NumberOfPreviousCPP>-1"
        "</NumberOfPreviousCPP><Reviews><CPPreviewDate>soon</CPPreviewDate><CPPreviewDate>2024-06-01"
        "</CPPreviewDate></Reviews></ChildProtectionPlans>"
    )
    result = read_cin_census(write(tmp_path, child(details=cin(body=body))))
    assert dict(result.quarantined) == {"assessment": 2, "s47": 1, "cin_plan": 1, "cp_review": 1}
    assert {(e.location.table, e.code) for e in result.errors} == {
        ("assessment", "missing-value"),
        ("assessment", "bad-date"),
        ("s47", "missing-value"),
        ("cin_plan", "missing-value"),
        ("cp_review", "bad-date"),
    }
    (plan,) = result.tables["cp_plan"]
    assert plan["latest_category"] == "" and plan["previous_plans"] is None
    (review,) = result.tables["cp_review"]
    assert review["review_date"] == dt.date(2024, 6, 1)
    assert any(i.code == "date-order" and i.location.table == "cp_review" for i in result.issues)


def test_child_without_id_is_quarantined_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = "<Section47><S47ActualStartDate>2024-06-02</S47ActualStartDate><ICPCnotRequired>1</ICPCnotRequired></Section47>"
    result = read_cin_census(
        write(tmp_path, child(" ", details=cin(body=body) + cin("2024-07-01")), child("OK"))
    )
    assert result.counts["child"] == 1
    assert dict(result.quarantined) == {"child": 1, "referral": 2, "s47": 1}
    (error,) = result.errors
    assert error.location.column == "LAchildID"


def test_suspicious_rows_are_stored_with_warnings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    details = cin(
        "2024-06-01",
        closure="<CINclosureDate>2024-05-01</CINclosureDate>",
        body=(
            "<Assessments><AssessmentActualStartDate>2024-06-10</AssessmentActualStartDate>"
            "<AssessmentAuthorisationDate>2024-06-05</AssessmentAuthorisationDate></Assessments>"
        ),
    )
    result = read_cin_census(write(tmp_path, child(details=details)))
    assert result.counts["referral"] == 1 and result.counts["assessment"] == 1
    found = {(i.location.table, i.location.column, i.code) for i in result.issues}
    assert ("referral", "CINclosureDate", "date-order") in found
    assert ("assessment", "AssessmentAuthorisationDate", "date-order") in found
    assert ("referral", "ReasonForClosure", "missing-value") in found
    assert not result.errors


# -- codes by year ------------------------------------------------------------------------


def test_codes_checked_against_the_year(tmp_path) -> None:  # type: ignore[no-untyped-def]
    factors = "<FactorsIdentifiedAtAssessment><AssessmentFactors>24A</AssessmentFactors></FactorsIdentifiedAtAssessment>"
    details = cin(
        source="5D",
        closure="<CINclosureDate>2020-05-01</CINclosureDate><ReasonForClosure>RC9</ReasonForClosure>",
        body=f"<Assessments><AssessmentActualStartDate>2020-04-02</AssessmentActualStartDate>{factors}</Assessments>",
        referral="2020-04-01",
    )
    old = read_cin_census(
        write(
            tmp_path,
            child(sex="<GenderCurrent>1</GenderCurrent>", details=details),
            head=header("2021", "2021-03-31"),
        )
    )
    ref = old.tables["referral"][0]
    assert (ref["source"], ref["closure_reason"]) == ("", "")
    assert old.tables["assessment"][0]["factors"] == ""
    hints = " ".join(i.message for i in codes(old, "bad-code"))
    assert "5D is only used from 2022-23" in hints and "24A is only used from 2021-22" in hints

    new = read_cin_census(
        write(
            tmp_path,
            child(sex="<GenderCurrent>1</GenderCurrent>", details=details),
            head=header("2023", "2023-03-31"),
            name="new.xml",
        )
    )
    ref = new.tables["referral"][0]
    assert (ref["source"], ref["closure_reason"]) == ("5D", "RC9")
    assert new.tables["assessment"][0]["factors"] == "24A"
    assert not codes(new, "bad-code")


def test_retired_factor_is_kept_with_one_warning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    factors = "<FactorsIdentifiedAtAssessment><AssessmentFactors>18A</AssessmentFactors></FactorsIdentifiedAtAssessment>"
    body = f"<Assessments><AssessmentActualStartDate>2024-06-02</AssessmentActualStartDate>{factors}</Assessments>"
    result = read_cin_census(
        write(tmp_path, *(child(f"C{i}", details=cin(body=body)) for i in range(3)))
    )
    assert [a["factors"] for a in result.tables["assessment"]] == ["18A"] * 3
    (note,) = codes(result, "retired-code")
    assert "18B" in note.message and "3 times" in note.message


# -- year and LA --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "ref", "expected", "mismatch"),
    [
        ("2025", "2025-03-31", "2024-25", False),
        (None, "2025-03-31", "2024-25", False),
        ("2025", None, "2024-25", False),
        ("2024", "2025-03-31", "2024-25", True),  # a 31 March ReferenceDate wins
        ("2025", "2025-07-01", "2024-25", True),  # not a census date: the Year wins
        ("2025", "2024-07-01", "2024-25", False),  # not 31 March, but in the same year
    ],
)
def test_year_from_header(tmp_path, year, ref, expected, mismatch) -> None:  # type: ignore[no-untyped-def]
    result = read_cin_census(write(tmp_path, child(), head=header(year, ref)))
    assert result.year == expected
    assert bool(codes(result, "year-mismatch")) == mismatch


def test_year_and_la_overrides(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, child(sex="<GenderCurrent>2</GenderCurrent>"))
    result = read_cin_census(path, year="2023-24", la_code="933")
    assert (result.year, result.la_code) == ("2023-24", "933")
    (warning,) = codes(result, "year-mismatch")
    assert "2024-25" in warning.message and "2023-24" in warning.message
    assert (
        result.tables["child"][0]["sex"] == "F"
    )  # checked against 2023-24: GenderCurrent is right
    other = read_cin_census(path, la_code="201")
    assert other.la_code == "201" and codes(other, "la-mismatch")
    same = read_cin_census(path, year="2024-25")
    assert not codes(same, "year-mismatch")
    bad = read_cin_census(path, year="next year")
    assert bad.year == "2024-25" and codes(bad, "bad-year")


def test_no_header(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = read_cin_census(write(tmp_path, child(), head=""))
    assert result.year == "" and result.la_code == ""
    assert codes(result, "year-unknown")
    assert result.counts["child"] == 1
    with_year = read_cin_census(write(tmp_path, child(), head="", name="b.xml"), year="2024-25")
    assert with_year.year == "2024-25" and not codes(with_year, "year-unknown")


def test_year_outside_known_range(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = read_cin_census(write(tmp_path, child(), head=header("2030", "2030-03-31")))
    assert result.year == "2029-30" and codes(result, "year-unsupported")


# -- messy values ---------------------------------------------------------------------------


def test_messy_values(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n<Message>' + header() + "<Children>"
        "<!-- a comment --><Child>\n<ChildIdentifiers>\n<LAchildID>\n  00042.0 \n</LAchildID>"
        "<UPNunknown> un2 </UPNunknown><PersonBirthDate> 01/05/2015 </PersonBirthDate><Sex> m </Sex>"
        "</ChildIdentifiers><ChildCharacteristics><Ethnicity> wbri </Ethnicity><Disabilities>"
        "<Disability>aut</Disability><Disability>AUT</Disability><Disability>LD</Disability><Disability>ZZ</Disability>"
        "</Disabilities></ChildCharacteristics><CINdetails><CINreferralDate>2024-06-01Z</CINreferralDate>"
        "<ReferralSource> 4.0 </ReferralSource><PrimaryNeedCode>n2</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>"
        "<Extra>x</Extra></CINdetails></Child></Children></Message>"
    )
    path = tmp_path / "messy.xml"
    path.write_text(text, encoding="utf-8")
    result = read_cin_census(path)
    (c,) = result.tables["child"]
    assert c["child_id"] == "00042"
    assert (c["sex"], c["ethnicity"], c["disabilities"]) == ("M", "WBRI", "AUT,LD")
    assert c["birth_date"] == dt.date(2015, 5, 1)
    (r,) = result.tables["referral"]
    assert (r["referral_date"], r["source"], r["primary_need"], r["nfa"]) == (
        dt.date(2024, 6, 1),
        "4",
        "N2",
        False,
    )
    kinds = {(i.severity, i.code) for i in result.issues}
    assert (Severity.INFO, "date-format") in kinds
    assert (Severity.INFO, "extra-element") in kinds
    assert (Severity.WARNING, "bad-code") in kinds  # ZZ
    assert not result.errors


def test_duplicate_child_ids_are_warned(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = read_cin_census(write(tmp_path, child("A"), child("B"), child("A")))
    assert result.counts["child"] == 3
    (dup,) = codes(result, "duplicate-child")
    assert dup.location.value == "A"


def test_empty_children_is_a_warning_not_a_rejection(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = read_cin_census(write(tmp_path))
    assert result.row_counts == {}
    assert codes(result, "no-rows")


def test_streaming_sink_receives_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    class Counting:
        def __init__(self) -> None:
            self.n: dict[str, int] = {}

        def add(self, table: str, row: dict) -> None:
            self.n[table] = self.n.get(table, 0) + 1

    sink = Counting()
    result = read_cin_census(write(tmp_path, child("A"), child("B")), sink=sink)
    assert sink.n == {"child": 2, "referral": 2} == dict(result.counts)
    with pytest.raises(TypeError):
        result.tables  # noqa: B018

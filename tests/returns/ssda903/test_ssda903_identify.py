"""Recognising a 903 table by its headers, and not claiming anyone else's CSV."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_scorecard.returns.ssda903 import identify_csv_header
from csc_scorecard.returns.ssda903.yearspec import all_tables

DFE_HEADERS = {
    "Header": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
    "Episodes": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
    "Reviews": "CHILD,DOB,REVIEW,REVIEW_CODE",
    "UASC": "CHILD,SEX,DOB,DUC",
    "OC2": "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
    "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED",
    "OC3": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
    "AD1": "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR",
    "PlacedAdoption": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
    "PrevPerm": "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM",
    "Missing": "CHILD,DOB,MISSING,MIS_START,MIS_END",
    "SWEpisodes": "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON",
    "DoLo": "CHILD,DOB,DOLO_START,DOLO_END",
}


@pytest.mark.parametrize("table", DFE_HEADERS)
def test_dfe_headers(table):
    assert identify_csv_header(DFE_HEADERS[table].split(",")) == table


@pytest.mark.parametrize(
    "headers, table",
    [
        (
            [
                "\ufeffCHILD",
                " Decom ",
                "rne",
                "LS",
                "cin",
                "Place",
                "Place Provider",
                "DEC",
                "REC",
                "reason-place-change",
                "home_post",
                "PL_POST",
                "URN",
            ],
            "Episodes",
        ),
        (
            [
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PL",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            "Episodes",
        ),  # the XML's PL
        (DFE_HEADERS["Episodes"].split(",") + ["LA_NOTES", "WORKER"], "Episodes"),  # two extras
        (DFE_HEADERS["Episodes"].split(",")[:-1], "Episodes"),  # URN missing
        (DFE_HEADERS["Episodes"].split(",")[:-2], "Episodes"),
        (["CHILDID", "UPN", "SEX", "DOB", "ETHNIC", "MOTHER", "MC_DOB"], "Header"),
        (["Child", "Sex", "DoB", "Ethnic", "UPN", "Mother", "MC_DOB", ""], "Header"),
        (['"CHILD"', '"DOB"', '"REVIEW"', '"REVIEW_CODE"'], "Reviews"),
        (
            [
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
                "CHILD_ID",
            ],
            "Episodes",
        ),  # claimed, then rejected: no CHILD
    ],
)
def test_drifted_headers(headers, table):
    assert identify_csv_header(headers) == table


@pytest.mark.parametrize(
    "headers",
    [
        # local extracts
        ["team", "area"],
        ["child_id", "team", "start_date", "end_date"],
        ["child_id", "kind", "visit_date", "seen_alone"],
        [
            "team",
            "snapshot_date",
            "fte_in_post",
            "agency_fte",
            "vacancy_fte",
            "leavers_fte",
            "cases",
        ],
        # Annex A style lists
        [
            "Child Unique ID",
            "Gender",
            "Ethnicity",
            "Date of Birth",
            "Age of Child (Years)",
            "Date of Contact",
            "Contact Source",
        ],
        [
            "Child Unique ID",
            "Gender",
            "Ethnicity",
            "Date of Birth",
            "Date Started to be Looked After",
            "Legal Status",
            "Placement Type",
            "Placement Provider",
            "Date of Leaving Care",
        ],
        [
            "Child ID",
            "Date of birth",
            "Date Child Became Looked After",
            "Child Looked After Placement Type",
        ],
        # too many extra columns, or nothing at all
        DFE_HEADERS["Reviews"].split(",") + ["A", "B", "C"],
        ["CHILD", "DOB"],
        ["CHILD"],
        [],
        ["", "  "],
    ],
)
def test_other_csvs_are_not_claimed(headers):
    assert identify_csv_header(headers) is None


def _drift(name: str, data) -> str:
    style = data.draw(st.sampled_from(["upper", "lower", "title", "spaces"]))
    text = {
        "upper": name.upper(),
        "lower": name.lower(),
        "title": name.title(),
        "spaces": name.replace("_", " "),
    }[style]
    pad = data.draw(st.sampled_from(["", " ", "\t", "\ufeff"]))
    return pad + text + data.draw(st.sampled_from(["", " ", "  "]))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_order_case_and_spacing(data):
    table = data.draw(st.sampled_from(sorted(DFE_HEADERS)))
    headers = [_drift(h, data) for h in DFE_HEADERS[table].split(",")]
    headers = data.draw(st.permutations(headers))
    extras = data.draw(
        st.lists(st.sampled_from(["NOTES", "LA_REF", "X1Y"]), max_size=2, unique=True)
    )
    assert identify_csv_header(list(headers) + extras) == table


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=20), max_size=15))
def test_random_headers_never_crash(headers):
    found = identify_csv_header(headers)
    assert found is None or found in all_tables()

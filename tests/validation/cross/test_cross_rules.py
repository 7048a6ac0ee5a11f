"""The cross-return checks on hand-made frames for 2024-25 (1 April 2024 - 31 March 2025)."""

from __future__ import annotations

import datetime as dt

import pytest

from csc_scorecard.validation.core import REGISTRY, Context, Outcome, run_rule
from csc_scorecard.validation.cross import check_cross_tables, frames_from_rows

D = dt.date
CTX = Context("2024-25")


def run(code, **rows):
    return run_rule(REGISTRY.rules[f"cross:{code}"], frames_from_rows(rows), CTX)


def test_xr01_looked_after_needs_an_open_cin_episode():
    result = run(
        "XR01",
        cla_episode=[
            # A: looked after May-Aug 2024, CIN episode open from April: covered.
            {"child_id": "A", "source_row": 2, "start_date": D(2024, 5, 1), "end_date": D(2024, 8, 1)},
            # B: looked after from June 2024; the CIN episode closed in May: not covered.
            {"child_id": "B", "source_row": 3, "start_date": D(2024, 6, 1)},
            {"child_id": "B", "source_row": 4, "start_date": D(2024, 9, 1)},
            # C: left care in March 2024, before the year: not compared.
            {"child_id": "C", "source_row": 5, "start_date": D(2023, 1, 1), "end_date": D(2024, 3, 1)},
            # E: the CIN episode closes on the day care starts: that day counts as covered.
            {"child_id": "E", "source_row": 6, "start_date": D(2024, 7, 1)},
        ],
        cin_referral=[
            {"child_id": "A", "source_row": 10, "referral_date": D(2024, 4, 2)},
            {"child_id": "B", "source_row": 11, "referral_date": D(2024, 4, 2),
             "closure_date": D(2024, 5, 31)},
            {"child_id": "E", "source_row": 12, "referral_date": D(2024, 4, 2),
             "closure_date": D(2024, 7, 1)},
        ],
    )
    assert result.outcome == Outcome.FAILED
    assert result.children == {"B"}
    row = result.failures.row(0, named=True)
    # B's two episodes both uncovered, from 1 June 2024 to the year end.
    assert row["looked_after"] == "2024-06-01 to 2025-03-31"
    assert row["cla_episodes"] == "2"
    assert row["_row"] == "SSDA903 row 3"


def test_xr02_cp_plan_during_a_final_order():
    result = run(
        "XR02",
        cin_cp_plan=[
            # A: plan open into a full care order from 1 Sept: flagged.
            {"child_id": "A", "source_row": 40, "start_date": D(2024, 5, 1)},
            # B: plan ends the day the care order starts: fine.
            {"child_id": "B", "source_row": 41, "start_date": D(2024, 5, 1), "end_date": D(2024, 9, 1)},
            # F: plan during an interim care order (C1) only: fine (proceedings still running).
            {"child_id": "F", "source_row": 42, "start_date": D(2024, 5, 1)},
        ],
        cla_episode=[
            {"child_id": "A", "source_row": 2, "start_date": D(2024, 9, 1), "legal_status": "C2"},
            {"child_id": "B", "source_row": 3, "start_date": D(2024, 9, 1), "legal_status": "C2"},
            {"child_id": "F", "source_row": 4, "start_date": D(2024, 6, 1), "legal_status": "C1"},
        ],
    )
    assert result.children == {"A"}
    row = result.failures.row(0, named=True)
    assert (row["cp_plan"], row["legal_status"], row["cla_episode"]) == (
        "2024-05-01 to open", "C2", "from 2024-09-01")
    assert row["_row"] == "CIN census line 40"


CHILDREN_CIN = [
    {"child_id": "A", "source_row": 7, "birth_date": D(2012, 1, 1), "sex": "M", "ethnicity": "WBRI"},
    {"child_id": "B", "source_row": 8, "birth_date": D(2013, 2, 2), "sex": "U", "ethnicity": "NOBT"},
    {"child_id": "C", "source_row": 9, "birth_date": D(2014, 3, 3), "sex": "F", "ethnicity": "BAFR"},
]
CHILDREN_903 = [
    {"child_id": "A", "source_row": 2, "birth_date": D(2012, 1, 2), "sex": "F", "ethnicity": "WIRI"},
    # B: U and NOBT say nothing, so they contradict nothing.
    {"child_id": "B", "source_row": 3, "birth_date": D(2013, 2, 2), "sex": "M", "ethnicity": "WBRI"},
    {"child_id": "C", "source_row": 4, "birth_date": D(2014, 3, 3), "sex": "F", "ethnicity": "BAFR"},
    {"child_id": "Z", "source_row": 5, "birth_date": D(2001, 1, 1), "sex": "M", "ethnicity": "WBRI"},
]


@pytest.mark.parametrize(
    "code, field, cin, lac",
    [
        ("XR03", "birth_date", "2012-01-01", "2012-01-02"),
        ("XR04", "sex", "M", "F"),
        ("XR05", "ethnicity", "WBRI", "WIRI"),
    ],
)
def test_characteristics_that_disagree(code, field, cin, lac):
    result = run(code, cin_child=CHILDREN_CIN, ssda903_child=CHILDREN_903)
    assert result.children == {"A"}
    row = result.failures.row(0, named=True)
    assert (row[f"cin_{field}"], row[f"ssda903_{field}"]) == (cin, lac)
    assert row["_row"] == "CIN census line 7 / SSDA903 row 2"


def test_xr06_annex_a_counts_against_the_census():
    result = run(
        "XR06",
        # Annex A referrals cover 1 Oct 2024 - 31 Mar 2025 (its first and last dates): 3 of them.
        annexa_referral=[
            {"child_id": "A", "source_row": 2, "referral_date": D(2024, 10, 1)},
            {"child_id": "B", "source_row": 3, "referral_date": D(2024, 12, 1)},
            {"child_id": "C", "source_row": 4, "referral_date": D(2025, 3, 31)},
        ],
        # The census has A and B in the window, D too, and E before it (not counted): 3 v 3.
        cin_referral=[
            {"child_id": "A", "source_row": 10, "referral_date": D(2024, 10, 1)},
            {"child_id": "B", "source_row": 11, "referral_date": D(2024, 12, 1)},
            {"child_id": "D", "source_row": 12, "referral_date": D(2025, 1, 5)},
            {"child_id": "E", "source_row": 13, "referral_date": D(2024, 9, 30)},
        ],
        # Assessments: Annex A 2 in 1-30 Nov; the census 1 (A's) -> flagged.
        annexa_assessment=[
            {"child_id": "A", "source_row": 2, "start_date": D(2024, 11, 1)},
            {"child_id": "B", "source_row": 3, "start_date": D(2024, 11, 30)},
        ],
        cin_assessment=[{"child_id": "A", "source_row": 20, "start_date": D(2024, 11, 1)}],
        annexa_s47=[], cin_s47=[],
        # List 7 has a row per child (the latest plan): 1 Oct - 1 Dec 2024, children A and C.
        annexa_cp_plan=[
            {"child_id": "A", "source_row": 2, "start_date": D(2024, 12, 1)},
            {"child_id": "C", "source_row": 3, "start_date": D(2024, 10, 1)},
        ],
        # The census: A's two plans count once; B is the one child only in the census.
        cin_cp_plan=[
            {"child_id": "A", "source_row": 30, "start_date": D(2024, 10, 15),
             "end_date": D(2024, 11, 20)},
            {"child_id": "A", "source_row": 31, "start_date": D(2024, 12, 1)},
            {"child_id": "C", "source_row": 32, "start_date": D(2024, 10, 1)},
            {"child_id": "B", "source_row": 33, "start_date": D(2024, 11, 15)},
        ],
    )
    assert result.outcome == Outcome.FAILED
    rows = {r["_row"]: r for r in result.failures.iter_rows(named=True)}
    # Referrals: equal counts (3 = 3) even though C and D differ: counts are what Annex A and
    # the census must agree on, so the referrals list is not flagged.
    assert list(rows) == ["List 4 (assessments)", "List 7 (child protection plans)"]
    r = rows["List 4 (assessments)"]
    assert (r["window"], r["annex_a"], r["cin_census"]) == ("2024-11-01 to 2024-11-30", "2", "1")
    assert (r["counted"], r["only_in_annex_a"], r["only_in_cin_census"]) == ("records", "1", "0")
    r = rows["List 7 (child protection plans)"]
    assert (r["window"], r["annex_a"], r["cin_census"]) == ("2024-10-01 to 2024-12-01", "2", "3")
    assert (r["counted"], r["only_in_annex_a"], r["only_in_cin_census"]) == ("children", "0", "1")


def test_a_return_not_loaded_means_not_run():
    results = {r.spec.code: r for r in check_cross_tables(
        frames_from_rows({"cin_child": CHILDREN_CIN, "cin_referral": []}), CTX)}
    assert results["XR03"].outcome == Outcome.NOT_RUN
    assert "ssda903_child" in results["XR03"].reason
    assert all(r.spec.severity == "warning" for r in results.values())
    assert sorted(results) == ["XR01", "XR02", "XR03", "XR04", "XR05", "XR06"]


def test_frames_carry_only_the_fields_the_checks_read():
    from csc_scorecard.validation.cross.tables import READS, SOURCES

    assert set(READS) == set(SOURCES)
    frames = frames_from_rows({"cla_episode": [
        {"child_id": "A", "source_row": 2, "start_date": D(2024, 5, 1), "placement": "U1"}]})
    assert frames["cla_episode"].columns == [
        "source_row", "child_id", "start_date", "legal_status", "end_date", "_child", "_row"]
    assert frames["cla_episode"]["_row"].to_list() == ["SSDA903 row 2"]

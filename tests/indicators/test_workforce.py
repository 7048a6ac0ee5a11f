"""Workforce indicators from team snapshots, checked against figures worked by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import csc_scorecard.indicators.workforce  # noqa: F401  (registers the indicators)
from csc_scorecard.indicators.registry import INDICATORS, CaseData
from csc_scorecard.periods import parse_period

YEAR = parse_period("2024-25")

SCHEMA = {
    "team": pl.Utf8, "snapshot_date": pl.Date, "fte_in_post": pl.Float64,
    "agency_fte": pl.Float64, "vacancy_fte": pl.Float64, "leavers_fte": pl.Float64,
    "cases": pl.Int64,
}


def make_data(rows: list[tuple] | None = None) -> CaseData:
    """CaseData with workforce snapshots given as tuples in SCHEMA's column order."""
    frame = pl.DataFrame(rows or [], schema=SCHEMA, orient="row")
    return CaseData(tables={
        "workforce_snapshot": frame,
        "team": pl.DataFrame(schema={"team": pl.Utf8, "area": pl.Utf8}),
    })


d = dt.date
ROWS = [
    # team,  date,             in post, agency, vacant, leavers, cases
    ("North", d(2024, 3, 31), 9.0, 1.0, 1.0, 4.0, 170),  # previous year: ignored
    ("North", d(2024, 9, 30), 10.0, 2.0, 1.0, 1.5, 180),
    ("North", d(2025, 3, 31), 12.0, 3.0, 2.0, 2.0, 200),
    ("South", d(2025, 3, 31), 8.0, 0.0, 0.0, 1.0, 150),
    ("East", d(2024, 9, 30), 5.0, 1.0, 0.0, 0.5, 90),  # merged away before March
    ("North", d(2025, 4, 30), 20.0, 9.0, 9.0, 9.0, 999),  # after the period: ignored
]


@pytest.fixture
def data():
    return make_data(ROWS)


def run(indicator_id, data, period=YEAR):
    return INDICATORS[indicator_id](data, period)


def totals(frame):
    return frame["numerator"].sum(), frame["denominator"].sum()


def test_caseload(data):
    # Latest snapshot in the year: 31 March 2025 (North, South).
    # Cases 200 + 150 = 350 over FTE (12 + 3) + (8 + 0) = 23.
    frame = run("sw_caseload_avg", data)
    assert sorted(frame["team"]) == ["North", "South"]
    assert frame["date"].unique().to_list() == [d(2025, 3, 31)]
    assert totals(frame) == (350, 23)


def test_agency(data):
    # Agency 3 + 0 over (3 + 12) + (0 + 8) = 23.
    assert totals(run("sw_agency_pct", data)) == (3, 23)


def test_vacancy(data):
    # Vacant 2 + 0 over (2 + 12) + (0 + 8) = 22.
    assert totals(run("sw_vacancy_pct", data)) == (2, 22)


def test_turnover(data):
    # Leavers in the year: North 1.5 + 2, South 1, East 0.5 = 5 FTE;
    # FTE in post at 31 March 2025: 12 + 8 = 20.  (25%)
    frame = run("sw_turnover_pct", data)
    assert totals(frame) == (5, 20)
    east = frame.filter(pl.col("team") == "East")
    assert east["numerator"].to_list() == [0.5] and east["denominator"].to_list() == [0.0]


def test_quarter_uses_its_own_latest_snapshot(data):
    # Q2 (July-Sept 2024): the 30 Sept snapshot, North and East.
    q2 = parse_period("2024-25-Q2")
    assert totals(run("sw_caseload_avg", data, q2)) == (270, 18)  # (180+90) / (12+6)
    assert totals(run("sw_turnover_pct", data, q2)) == (2, 15)  # (1.5+0.5) / (10+5)


@pytest.mark.parametrize(
    "indicator_id", ["sw_caseload_avg", "sw_agency_pct", "sw_vacancy_pct", "sw_turnover_pct"]
)
@pytest.mark.parametrize("label", ["2024-25-Q3", "2022-23"])
def test_no_snapshot_in_the_period(data, indicator_id, label):
    # No snapshot dated October-December 2024, none in 2022-23: no units, so no figure
    # (an older snapshot is not carried forward).
    frame = run(indicator_id, data, parse_period(label))
    assert frame.is_empty()
    assert frame.columns == ["team", "date", "numerator", "denominator"]


def test_team_without_caseload_is_left_out_of_the_caseload():
    data = make_data([
        ("North", d(2025, 3, 31), 10.0, 0.0, 0.0, 0.0, 150),
        ("South", d(2025, 3, 31), 5.0, 0.0, 0.0, 0.0, None),
    ])
    assert totals(run("sw_caseload_avg", data)) == (150, 10)
    assert totals(run("sw_agency_pct", data)) == (0, 15)

"""Care leaver (OC3) indicators, checked against a small cohort worked by hand.

Period 2024-25: 1 April 2024 to 31 March 2025.  The 19-21 cohort is the
young people whose 19th, 20th or 21st birthday falls in it (born 1 April 2003
to 31 March 2006, 29 February births ageing on 1 March).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import csc_scorecard.indicators.care_leavers  # noqa: F401  (registers the indicators)
from csc_scorecard.indicators.registry import INDICATORS, CaseData
from csc_scorecard.periods import parse_period

YEAR = parse_period("2024-25")

S, D = pl.Utf8, pl.Date
OC3_SCHEMA = {"child_id": S, "birth_date": D, "in_touch": S, "activity": S, "accommodation": S}


def make_data(care_leaver: list[dict] | pl.DataFrame | None = None) -> CaseData:
    """CaseData holding only an OC3 table (other tables are not read by these indicators)."""
    frame = pl.DataFrame(care_leaver) if isinstance(care_leaver, list) else care_leaver
    if frame is None:
        frame = pl.DataFrame(schema=OC3_SCHEMA)
    else:
        frame = frame.with_columns(pl.col("birth_date").str.to_date())
    return CaseData(tables={"care_leaver": frame})


def oc3(child, born, in_touch, activity, accommodation):
    return {"child_id": child, "birth_date": born, "in_touch": in_touch, "activity": activity,
            "accommodation": accommodation}


ROWS = [
    # CL1: 19 on 1 April 2024, the period's first day.
    oc3("CL1", "2005-04-01", "YES", "F5", "U1"),
    # CL2: 19 on 31 March 2025, the period's last day; not in touch, nothing known.
    oc3("CL2", "2006-03-31", "NO", "0", "0"),
    # CL3: 22 on 31 March 2025: too old.
    oc3("CL3", "2003-03-31", "YES", "F1", "U1"),
    # CL4: 18 on 1 April 2024 (19 only in April 2025): in the 17-18 cohort.
    oc3("CL4", "2006-04-01", "YES", "F2", "D1"),
    # CL5: 20; NEET for other reasons; homeless (S2, unsuitable).
    oc3("CL5", "2004-08-15", "yes", "G5", "S2"),
    # CL6: died: out of every measure.
    oc3("CL6", "2003-05-01", "DIED", None, None),
    # CL7: returned home for 6 months or more: out of every measure.
    oc3("CL7", "2004-01-10", "RHOM", None, None),
    # CL8: 20; refused contact but known part-time apprenticeship; gone abroad (G1):
    # left out of the suitability measure only.
    oc3("CL8", "2004-11-11", "REFU", "P4", "G1"),
    # CL9: born 29 Feb 2004: 21 on 1 March 2025; higher education; with former foster carers.
    oc3("CL9", "2004-02-29", "NREQ", "F1", "Z1"),
    # CL10: 19; training or employment under the pre-2019 code F3; supported lodgings, unsuitable.
    oc3("CL10", "2006-01-20", "YES", "F3", "E2"),
    # CL11: 17 on 9 Sept 2024; not in touch; NEET owing to illness.
    oc3("CL11", "2007-09-09", "NO", "G4", "0"),
]


@pytest.fixture
def data():
    return make_data(ROWS)


def run(indicator_id, data, period=YEAR):
    return INDICATORS[indicator_id](data, period)


def totals(frame):
    return frame["numerator"].sum(), frame["denominator"].sum()


def ids(frame, where=None):
    frame = frame if where is None else frame.filter(where)
    return sorted(frame["child_id"].to_list())


COHORT_19_21 = ["CL1", "CL10", "CL2", "CL5", "CL8", "CL9"]


def test_cohort_birthdays_on_first_and_last_day(data):
    frame = run("care_leavers_in_touch_pct", data)
    assert ids(frame) == COHORT_19_21
    dates = dict(zip(frame["child_id"], frame["date"], strict=True))
    assert dates["CL1"] == dt.date(2024, 4, 1)
    assert dates["CL2"] == dt.date(2025, 3, 31)
    assert dates["CL9"] == dt.date(2025, 3, 1)  # 29 February birthday in a common year


def test_in_touch(data):
    # YES: CL1, CL5 (written in lower case), CL10 = 3 of 6.
    assert totals(run("care_leavers_in_touch_pct", data)) == (3, 6)


def test_eet(data):
    # CL1 F5, CL8 P4, CL9 F1, CL10 F3 = 4 of 6 (CL2's "0" is not known, not EET).
    frame = run("care_leavers_eet_pct", data)
    assert ids(frame, pl.col("numerator") == 1) == ["CL1", "CL10", "CL8", "CL9"]
    assert totals(frame) == (4, 6)


def test_neet(data):
    # CL5 G5 = 1 of 6 (CL2's activity is not known: neither EET nor NEET).
    assert totals(run("care_leavers_neet_pct", data)) == (1, 6)


def test_suitable_accommodation(data):
    # Denominator leaves out CL8 (gone abroad): CL1, CL2, CL5, CL9, CL10 = 5.
    # Suitable (second character 1): CL1 U1, CL9 Z1 = 2.  CL2's "0" counts as not known.
    frame = run("care_leavers_suitable_accom_pct", data)
    assert ids(frame, pl.col("denominator") == 1) == ["CL1", "CL10", "CL2", "CL5", "CL9"]
    assert totals(frame) == (2, 5)


def test_17_18_cohort(data):
    # CL4 (18 on 1 April 2024) and CL11 (17 in September 2024).
    assert ids(run("care_leavers_17_18_in_touch_pct", data)) == ["CL11", "CL4"]
    assert totals(run("care_leavers_17_18_in_touch_pct", data)) == (1, 2)  # CL4
    assert totals(run("care_leavers_17_18_eet_pct", data)) == (1, 2)  # CL4 F2
    assert totals(run("care_leavers_17_18_suitable_accom_pct", data)) == (1, 2)  # CL4 D1


def test_row_of_the_birthday_year_is_used():
    # CL12 turned 18 in 2023-24 and 19 on 1 June 2024: both years' OC3 rows are held.
    # For 2024-25 the row of the 2024-25 return is used, even though it comes first.
    frame = pl.DataFrame([
        oc3("CL12", "2005-06-01", "NO", "G5", "S2") | {"collection_year": "2024-25"},
        oc3("CL12", "2005-06-01", "YES", "F1", "U1") | {"collection_year": "2023-24"},
    ])
    data = make_data(frame)
    assert totals(run("care_leavers_eet_pct", data)) == (0, 1)
    assert totals(run("care_leavers_neet_pct", data)) == (1, 1)
    # In 2023-24 (aged 18) the 2023-24 row is used.
    assert totals(run("care_leavers_17_18_eet_pct", data, parse_period("2023-24"))) == (1, 1)


def test_quarter(data):
    # Q1 2024-25 (April-June): 19-21 birthdays only CL1 (1 April).
    frame = run("care_leavers_eet_pct", data, parse_period("2024-25-Q1"))
    assert ids(frame) == ["CL1"]


@pytest.mark.parametrize(
    "indicator_id",
    [
        "care_leavers_in_touch_pct", "care_leavers_eet_pct", "care_leavers_neet_pct",
        "care_leavers_suitable_accom_pct", "care_leavers_17_18_in_touch_pct",
        "care_leavers_17_18_eet_pct", "care_leavers_17_18_suitable_accom_pct",
    ],
)
def test_empty(indicator_id):
    frame = run(indicator_id, make_data())
    assert frame.is_empty()
    assert frame.schema["date"] == pl.Date
    assert frame.schema["numerator"] == pl.Float64


def test_care_leavers_count_is_the_19_21_cohort(data):
    # CL1 (19 on the first day), CL2 (19 on the last day), CL5, CL8, CL9 (29 Feb: 1 Mar),
    # CL10 = 6; CL3 (22), CL4 and CL11 (17-18), CL6 (died), CL7 (home) are not counted.
    frame = run("care_leavers_count", data)
    assert ids(frame) == COHORT_19_21
    assert frame["numerator"].sum() == 6
    assert frame["denominator"].null_count() == frame.height

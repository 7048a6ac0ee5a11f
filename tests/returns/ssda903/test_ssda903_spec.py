"""The year-aware spec files and their strict loader."""

from __future__ import annotations

import datetime as dt

import pytest

from csc_scorecard.returns.ssda903 import yearspec
from csc_scorecard.returns.ssda903.yearspec import (
    SpecError,
    load_spec,
    nearest_spec_year,
    spec_years,
)

YEARS = [
    "2017-18",
    "2018-19",
    "2019-20",
    "2020-21",
    "2021-22",
    "2022-23",
    "2023-24",
    "2024-25",
    "2025-26",
]
BASE_TABLES = {
    "Header",
    "Episodes",
    "Reviews",
    "UASC",
    "OC2",
    "OC3",
    "AD1",
    "PlacedAdoption",
    "PrevPerm",
    "Missing",
}


def test_every_year_loads():
    assert spec_years() == YEARS
    for year in YEARS:
        spec = load_spec(year)
        assert spec.year == year
        assert BASE_TABLES <= set(spec.tables)
        for table in spec.tables.values():
            assert "CHILD" in table.columns and table.columns["CHILD"].critical


def test_sex_coding_by_year():
    for year in YEARS:
        for table in ("Header", "UASC"):
            sex = load_spec(year).tables[table].columns["SEX"]
            if year < "2024-25":
                assert sex.codes == ("1", "2") and sex.store_as == {"1": "M", "2": "F"}
            else:
                assert sex.codes == ("M", "F", "U") and sex.also_accepted["1"] == "M"


def test_placement_codes_by_year():
    place = {y: load_spec(y).tables["Episodes"].columns["PLACE"] for y in YEARS}
    assert "K3" not in place["2022-23"].codes and "K3" in place["2023-24"].codes
    assert place["2023-24"].code_ends["P2"] == dt.date(2023, 10, 28)
    assert place["2023-24"].dated_by == "DECOM"
    assert "P2" in place["2023-24"].codes and "P2" not in place["2024-25"].codes
    assert "H5" not in place["2024-25"].codes
    for year in YEARS[:-1]:
        assert "Z1" in place[year].codes and "Z11" not in place[year].codes
    assert {"Z11", "Z12", "Z13", "Z14"} <= set(place["2025-26"].codes)
    assert "Z1" not in place["2025-26"].codes


def test_tables_arrive_in_their_year():
    for year in YEARS:
        tables = load_spec(year).tables
        assert ("SWEpisodes" in tables) == (year >= "2023-24")
        assert ("DoLo" in tables) == (year >= "2025-26")
    sw = load_spec("2023-24").tables["SWEpisodes"]
    assert sw.canonical == "social_worker_episode"
    assert sw.csv_columns == ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"]
    assert load_spec("2025-26").tables["DoLo"].csv_columns == [
        "CHILD",
        "DOB",
        "DOLO_START",
        "DOLO_END",
    ]


def test_other_code_changes():
    rec = {y: load_spec(y).tables["Episodes"].columns["REC"].codes for y in YEARS}
    assert "E45" not in rec["2017-18"] and "E45" in rec["2018-19"] and "E43" not in rec["2018-19"]
    assert "CUSTOD" in load_spec("2018-19").tables["Episodes"].columns["REASON_PLACE_CHANGE"].codes
    activ = {y: load_spec(y).tables["OC3"].columns["ACTIV"].codes for y in YEARS}
    assert "F3" in activ["2020-21"] and "F3" not in activ["2021-22"] and "F5" in activ["2021-22"]
    assert load_spec("2025-26").other_years_for("Episodes", "PLACE", "Z1")[-1] == "2024-25"


def test_canonical_fields_match_the_store():
    """Every field the spec fills exists on its store model."""
    pytest.importorskip("django")
    import os
    import tempfile

    os.environ.setdefault("CSC_SCORECARD_HOME", tempfile.mkdtemp())
    try:
        from csc_scorecard import django_setup

        django_setup.setup(migrate=False)
        from csc_scorecard.store.models import table_fields
    except Exception as exc:  # pragma: no cover - depends on the rest of the project
        pytest.skip(f"store models unavailable: {exc}")
    for year in YEARS:
        for table in load_spec(year).tables.values():
            assert set(table.fields()) <= set(table_fields(table.canonical)), (year, table.name)


def test_nearest_year():
    assert nearest_spec_year("2024-25") == "2024-25"
    assert nearest_spec_year("2030-31") == "2025-26"
    assert nearest_spec_year("2012-13") == "2017-18"


# -- strictness -------------------------------------------------------------------


def _tables():
    return yearspec._raw_tables("2017-18")


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"table": "Episodes", "column": "PLACE", "add_codes": ["K3"], "colour": "red"},
            "unknown keys",
        ),
        ({"table": "Episodes", "column": "PLACE"}, "exactly one"),
        ({"table": "Nope", "column": "PLACE", "add_codes": ["K3"]}, "no table"),
        ({"table": "Episodes", "column": "NOPE", "add_codes": ["K3"]}, "no column"),
        ({"table": "Episodes", "column": "PLACE", "remove_codes": ["QQ"]}, "cannot remove"),
        ({"table": "OC3", "column": "IN_TOUCH", "set_codes": [True, False]}, "quoted"),
        ({"table": "Episodes", "column": "PLACE", "update": {"on_bad": "explode"}}, "on_bad"),
        (
            {
                "table": "Episodes",
                "column": "PLACE",
                "update": {"code_ends": {"P2": "soon"}, "dated_by": "DECOM"},
            },
            "not a date",
        ),
        (
            {
                "table": "Header",
                "add_table": {"canonical": "child", "xml": {"flat": True}, "columns": {}},
            },
            "already",
        ),
        (
            {
                "table": "New",
                "add_table": {"canonical": "x", "xml": {"element": "NEW"}, "columns": {}},
            },
            "CHILD",
        ),
    ],
)
def test_bad_changes_are_refused(change, message):
    with pytest.raises(SpecError, match=message):
        yearspec._apply(_tables(), change, "test")


def test_unknown_column_keys_are_refused():
    with pytest.raises(SpecError, match="unknown keys"):
        yearspec._check_column({"field": "x", "type": "text", "requried": True}, "test")
    with pytest.raises(SpecError, match="type"):
        yearspec._check_column({"field": "x", "type": "string"}, "test")


def test_unknown_year_is_refused():
    with pytest.raises(SpecError):
        load_spec("1999-00")

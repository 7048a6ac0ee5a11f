import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_scorecard.returns.cleaning import (
    clean_child_id,
    clean_header,
    clean_text,
    collection_year_ending,
    parse_bool,
    parse_code,
    parse_date,
    parse_float,
    parse_int,
    year_from_text,
)

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2049, 12, 31))


@given(dates)
def test_four_digit_dates_read_back_in_every_accepted_form(d):
    for text in (d.strftime("%d/%m/%Y"), d.isoformat(), d.strftime("%d-%m-%Y"), f" {d:%d/%m/%Y}\ufeff "):
        parsed = parse_date(text)
        assert parsed.value == d and not parsed.error and not parsed.warning


@given(dates)
def test_datetimes_and_dates_pass_through(d):
    assert parse_date(d).value == d
    assert parse_date(dt.datetime.combine(d, dt.time(13, 5))).value == d


@given(st.dates(min_value=dt.date(1926, 1, 1), max_value=dt.date(2025, 12, 31)))
def test_two_digit_years_are_read_against_the_pivot_and_always_reported(d):
    parsed = parse_date(d.strftime("%d/%m/%y"), pivot_year=2025)
    assert parsed.value == d
    assert "two-digit year" in parsed.warning


def test_two_digit_year_after_pivot_goes_to_previous_century():
    assert parse_date("03/06/19", pivot_year=2020).value == dt.date(2019, 6, 3)
    assert parse_date("03/06/21", pivot_year=2020).value == dt.date(1921, 6, 3)


@pytest.mark.parametrize("text", ["31/02/2024", "2024-13-01", "00/01/2024", "yesterday", "12/2024", "1/1/1/1"])
def test_impossible_or_unreadable_dates_are_errors_with_the_expected_format(text):
    parsed = parse_date(text)
    assert parsed.value is None and parsed.error
    assert "dd/mm/yyyy" in parsed.expected


def test_blank_date_is_no_value_and_no_error():
    for blank in ("", "   ", None, "\ufeff"):
        parsed = parse_date(blank)
        assert parsed.value is None and parsed.ok


def test_excel_serial_date_is_read_with_a_warning():
    parsed = parse_date("45382")  # 31 March 2024 in Excel's 1900 system
    assert parsed.value == dt.date(2024, 3, 31)
    assert "serial" in parsed.warning


@given(st.integers(min_value=0, max_value=10**12))
def test_child_ids_lose_a_spreadsheet_float_suffix(n):
    assert clean_child_id(f"{n}.0") == str(n)
    assert clean_child_id(float(n)) == str(n)
    assert clean_child_id(f" {n} ") == str(n)


def test_child_ids_that_are_not_numbers_are_kept():
    assert clean_child_id("DfEX0000001") == "DfEX0000001"
    assert clean_child_id("A1.0B") == "A1.0B"
    assert clean_child_id("12.5") == "12.5"


@given(st.sampled_from(["C1", "C2", "V3", "V4", "E1"]), st.sampled_from(["", " ", "  "]), st.booleans())
def test_codes_match_whatever_the_case_and_spacing(code, pad, lower):
    text = pad + (code.lower() if lower else code) + pad
    assert parse_code(text, ["C1", "C2", "V3", "V4", "E1"]).value == code


def test_unknown_code_lists_the_valid_codes():
    parsed = parse_code("P2", ["P1", "P3"])
    assert parsed.error and parsed.expected == "P1, P3"


def test_code_aliases():
    aliases = {"1": "M", "a) Male": "M", "2": "F"}
    assert parse_code("A)  MALE", ["M", "F", "U"], aliases).value == "M"
    assert parse_code("2", ["M", "F", "U"], aliases).value == "F"


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", True), ("0", False), ("true", True), ("FALSE", False), ("Y", True), ("no", False), ("1.0", True), ("", None)],
)
def test_booleans(text, value):
    assert parse_bool(text).value is value


def test_bad_boolean_is_an_error():
    assert parse_bool("maybe").error


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_integers_round_trip(n):
    assert parse_int(str(n)).value == n
    assert parse_int(f"{n}.0").value == n


def test_integer_range_and_fractions():
    assert parse_int("3.5").error
    assert parse_int("40", minimum=0, maximum=35).error
    assert parse_int(True).error


def test_floats_refuse_nan_and_negatives_when_asked():
    assert parse_float("nan").error
    assert parse_float("-1", minimum=0).error
    assert parse_float(" 2.5 ").value == 2.5


def test_text_and_header_cleaning():
    assert clean_text("\ufeff  CHILD\u00a0") == "CHILD"
    assert clean_header(" Child  Unique\nID ") == "CHILD UNIQUE ID"


@pytest.mark.parametrize(
    ("name", "year"),
    [("cin_2024-25.xml", "2024-25"), ("903_2024_2025", "2024-25"), ("ssda903_202425.csv", "2024-25"),
     ("validator_fake_2017_18", "2017-18"), ("2024-26", ""), ("episodes.csv", ""), ("2024-09", "")],
)
def test_year_from_names(name, year):
    assert year_from_text(name) == year


def test_collection_year_ending():
    assert collection_year_ending(2025) == "2024-25"
    assert collection_year_ending(2000) == "1999-00"

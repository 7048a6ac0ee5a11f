"""Property tests for the CIN census value readers (dates, codes, flags, years)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from csc_scorecard.returns.cin_census.spec import load_specs
from csc_scorecard.returns.cin_census.values import (
    NOT_ISO,
    code_key,
    code_table,
    collection_period,
    read_code,
    read_count,
    read_date,
    read_flag,
    valid_upn,
    year_ending_from_label,
    year_ending_of,
    year_label,
)

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
padding = st.sampled_from(["", " ", "  ", "\t", "\n  ", "\u00a0", "\ufeff"])
ALL_CODES = sorted(
    {c for spec in load_specs().values() for codes in spec.codes.values() for c in codes}
)


@given(dates, padding, padding)
def test_iso_dates_round_trip(day: dt.date, before: str, after: str) -> None:
    parsed = read_date(f"{before}{day.isoformat()}{after}")
    assert parsed.ok and parsed.value == day and not parsed.warning


@given(dates, st.sampled_from(["Z", "+00:00", "+01:00", "-05:00"]))
def test_iso_dates_with_time_zone(day: dt.date, zone: str) -> None:
    assert read_date(day.isoformat() + zone).value == day


@given(dates)
def test_day_month_year_is_read_with_a_note(day: dt.date) -> None:
    parsed = read_date(f"{day:%d/%m/%Y}")
    assert parsed.value == day and parsed.warning == NOT_ISO


@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(29, 40))
def test_impossible_dates_are_errors_not_exceptions(year: int, month: int, day: int) -> None:
    parsed = read_date(f"{year:04d}-{month:02d}-{day:02d}")
    try:
        real = dt.date(year, month, day)
    except ValueError:
        assert not parsed.ok and parsed.value is None and parsed.expected
    else:
        assert parsed.value == real


@given(st.text(max_size=30))
def test_read_date_never_raises(text: str) -> None:
    parsed = read_date(text)
    assert parsed.ok or parsed.value is None


@given(st.sampled_from(ALL_CODES), padding, padding, st.booleans())
def test_codes_match_whatever_the_case_and_spacing(
    code: str, before: str, after: str, lower: bool
) -> None:
    table = code_table(ALL_CODES)
    written = code.lower() if lower else code
    assert read_code(f"{before}{written}{after}", table).value == code


@given(st.integers(1, 10))
def test_numeric_codes_written_as_floats(n: int) -> None:
    table = code_table(["4", "6", "10", "1A"])
    parsed = read_code(f"{n}.0", table)
    assert parsed.value == (str(n) if str(n) in table else None)
    assert parsed.ok == (str(n) in table)


@given(st.text(max_size=12))
def test_read_code_is_total(text: str) -> None:
    table = code_table(ALL_CODES)
    parsed = read_code(text, table)
    if parsed.ok and parsed.value is not None:
        assert parsed.value in ALL_CODES and code_key(text) == code_key(parsed.value)
    elif not parsed.ok:
        assert parsed.expected


@given(st.sampled_from(["0", "1", "true", "false", "TRUE", "False", " 1 ", "Y", "n", "1.0"]))
def test_flags(text: str) -> None:
    parsed = read_flag(text)
    assert parsed.value is (text.strip().upper() in ("1", "TRUE", "Y", "1.0"))
    assert bool(parsed.warning) == (text.strip() not in ("0", "1"))


@given(st.text(max_size=10))
def test_read_flag_never_raises(text: str) -> None:
    parsed = read_flag(text)
    assert parsed.value in (True, False, None)


@given(st.integers(0, 9999))
def test_counts(n: int) -> None:
    assert read_count(str(n)).value == n
    assert read_count(f" {n}.0 ").value == n
    assert not read_count(f"-{n + 1}").ok


@given(dates)
def test_collection_year_of_a_date(day: dt.date) -> None:
    ending = year_ending_of(day)
    start, end = collection_period(ending)
    assert start <= day <= end
    assert (end - start).days in (364, 365)
    if 2001 <= ending - 1 <= 2098:  # labels are read for collections this century
        assert year_ending_from_label(year_label(ending)) == ending


def test_collection_year_edges() -> None:
    assert year_ending_of(dt.date(2025, 3, 31)) == 2025
    assert year_ending_of(dt.date(2025, 4, 1)) == 2026
    assert year_label(2025) == "2024-25"
    assert year_label(2000) == "1999-00"
    assert year_ending_from_label("2024/25") == 2025
    assert year_ending_from_label("2025") is None


@given(st.from_regex(r"[A-Z][0-9]{11}[0-9A-Z]", fullmatch=True))
def test_valid_upns(upn: str) -> None:
    assert valid_upn(upn)
    assert not valid_upn(upn[:-1])
    assert not valid_upn("1" + upn[1:])

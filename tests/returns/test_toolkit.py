"""The readers' shared toolkit: column letters, ids, code keys, encodings, and
raising an issue from a parsed value."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest

from csc_scorecard.returns import detect
from csc_scorecard.returns.cleaning import (
    Parsed,
    code_key,
    column_letter,
    parse_bool,
    parse_child_id,
    parse_date,
    parse_int,
)
from csc_scorecard.returns.issues import FileRejected, IssueLog, Severity
from csc_scorecard.returns.textfile import decode, decode_head, file_encoding, read_text


@pytest.mark.parametrize(
    ("pos", "letters"),
    # 26 letters, then AA..ZZ (26*26 = 676 more: 26 + 676 = 702 columns up to ZZ)
    [
        (0, "A"),
        (7, "H"),
        (25, "Z"),
        (26, "AA"),
        (27, "AB"),
        (51, "AZ"),
        (52, "BA"),
        (701, "ZZ"),
        (702, "AAA"),
    ],
)
def test_column_letters_as_a_spreadsheet_names_them(pos, letters):
    assert column_letter(pos) == letters


def test_child_ids_are_text_and_too_long_ones_are_flagged():
    assert parse_child_id(12345.0) == Parsed("12345")
    assert parse_child_id(" 00123 ") == Parsed("00123")  # leading zeros are part of an id
    assert parse_child_id(None) == Parsed("")
    long = parse_child_id("9" * 51)
    assert long.error == "longer than 50 characters" and long.code == "bad-id"
    assert long.value == "9" * 51  # kept, so a reader can show it or cut it
    assert parse_child_id("9" * 50).ok


@pytest.mark.parametrize(
    ("raw", "key"),
    [("e4a ", "E4A"), ("E 4A", "E4A"), ("4.0", "4"), ("4.5", "4.5"), ("\ufeffrd1", "RD1")],
)
def test_one_code_key(raw, key):
    assert code_key(raw) == key


def test_every_cleaning_function_names_its_issue_code():
    assert parse_date("31/02/2024").code == "bad-date"
    assert parse_date("1/2/24", pivot_year=2025).warning_code == "two-digit-year"
    assert parse_date("45000").warning_code == "date-format"  # an Excel serial number
    assert parse_bool("perhaps").code == "bad-yes-no"
    assert parse_int("1.5").code == "bad-number"
    assert parse_int("7", maximum=5).code == "bad-number"
    assert parse_date("2024-05-01") == Parsed(dt.date(2024, 5, 1))  # clean: no codes at all


def test_report_raises_the_parsed_problem_with_its_code():
    log = IssueLog("f.csv")
    log.report(parse_date("2024-05-01"), table="T", row=2, column="D")  # clean: nothing
    assert log.issues == []
    log.report(
        parse_date("nonsense"),
        fatal=True,
        error="D is not a date; the row cannot be used",
        table="T",
        row=3,
        column="D",
        value="nonsense",
    )
    log.report(parse_bool("perhaps"), table="T", row=4, column="F", value="perhaps")
    log.report(
        parse_date("1/2/24", pivot_year=2025),
        table="T",
        row=5,
        column="D",
        value="1/2/24",
        expected="dd/mm/yyyy",
    )
    fatal, blanked, noted = log.issues
    assert (fatal.severity, fatal.code, fatal.message) == (
        Severity.ERROR,
        "bad-date",
        "D is not a date; the row cannot be used",
    )
    assert fatal.expected == "a date as dd/mm/yyyy or yyyy-mm-dd"
    assert (blanked.severity, blanked.code, blanked.message) == (
        Severity.WARNING,
        "bad-yes-no",
        "not a yes/no value",
    )
    assert (noted.severity, noted.code, noted.location.row) == (
        Severity.WARNING,
        "two-digit-year",
        5,
    )
    assert noted.expected == "dd/mm/yyyy" and "01/02/2024" in noted.message


# -- encodings: one rule ---------------------------------------------------------------


def test_decode_follows_one_order():
    assert decode("José".encode()) == ("José", "utf-8-sig")
    assert decode(codecs.BOM_UTF8 + b"a,b") == ("a,b", "utf-8-sig")
    assert decode("José".encode("cp1252")) == ("José", "cp1252")
    assert decode("a\tb".encode("utf-16")) == ("a\tb", "utf-16")
    assert decode(b"a,b\x00c") is None  # NUL outside UTF-16: binary


def test_decode_head_reads_up_to_a_cut_character():
    head = ("x" * 10 + "é").encode()[:-1]  # the cut falls inside é
    assert decode_head(head) == "x" * 10
    assert decode_head(b"\x00\x01\x02") is None


def test_file_encoding_streams_and_rejects_binary(tmp_path):
    text = tmp_path / "a.csv"
    text.write_bytes(b"CHILD\n" + "Zoë\n".encode("cp1252"))
    assert file_encoding(text) == "cp1252"
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"CHILD\n" + b"\x00" * 10)
    with pytest.raises(FileRejected, match="NUL"):
        file_encoding(binary)
    empty = tmp_path / "c.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileRejected, match="empty"):
        file_encoding(empty)


def test_read_text_notes_a_non_utf8_file(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_bytes("team,area\nSéverine,North\n".encode("cp1252"))
    log = IssueLog(path.name)
    assert read_text(path, log).startswith("team,area\nSéverine")
    assert [(i.code, i.severity) for i in log.issues] == [("encoding", Severity.INFO)]


def test_a_utf16_extract_is_recognised_like_the_readers_read_it(tmp_path):
    path = tmp_path / "teams.txt"
    path.write_bytes("team\tarea\nA\tNorth\n".encode("utf-16"))
    found = detect.classify(path)
    assert isinstance(found, detect.Classified) and found.kind == detect.LOCAL_CSV
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 4)
    assert isinstance(detect.classify(junk), detect.Unrecognised)

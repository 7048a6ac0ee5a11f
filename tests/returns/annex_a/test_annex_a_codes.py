"""Ofsted's lettered values become DfE codes, however they are written."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_scorecard.returns.annex_a.codes import CodeList, parse_yes_no, strip_letter
from csc_scorecard.returns.annex_a.spec import load_spec

SPEC = load_spec()
LETTERED = [
    (name, code, letter)
    for name, codes in SPEC.codes.items()
    for code, letter in codes.letters.items()
]


@pytest.mark.parametrize(
    ("codes", "value", "expected"),
    [
        ("sex", "a) Male", "M"),
        ("sex", "b) Female", "F"),
        ("sex", "Female", "F"),
        ("sex", "c) Not stated/recorded", "U"),
        ("sex", "1 - Male", "M"),
        ("ethnicity", "k) APKN", "APKN"),
        ("ethnicity", "s) NOBT", "NOBT"),
        ("ethnicity", "White British [WBRI]", "WBRI"),
        ("ethnicity", "A1 - White British", "WBRI"),
        ("source", "q) 6: Police", "6"),
        ("source", "b) 1B: Individual", "1B"),
        ("source", "j) 3D: Health services", "3D"),
        ("source", "u) 10: Unknown", "10"),
        ("legal_status", "C2: FCO", "C2"),
        ("legal_status", "E1: Placement order", "E1"),
        ("placement", "n) H5: Residential accommodation", "H5"),
        ("provider", "e) PR4 - Private provision", "PR4"),
        ("provider", "[PR1] Own provision", "PR1"),
        ("reason_ceased", "k) E47: Special Guardianship Orders - relative/friend", "E47"),
        ("need", "N1 - Abuse or Neglect", "N1"),
        ("cp_category", "Physical abuse", "PHY"),
        ("cp_category", "e) Multiple/not recommended", "MUL"),
        ("in_touch", "a) Yes", "YES"),
        ("accommodation", "U: Independent living", "U"),
        ("suitability", "a) Suitable", "1"),
        ("activity", "G5: Not in education, employment or training - other", "G5"),
        ("adoption_ceased", "RD2", "RD2"),
        ("adoption_ceased", "(RD3) Prospective adopters could not be found", "RD3"),
        ("disability", "b) No", "NONE"),
        ("disability", "a) Yes", "YES"),
    ],
)
def test_known_spellings(codes, value, expected):
    parsed = SPEC.codes[codes].parse(value)
    assert parsed.ok and parsed.value == expected


@pytest.mark.parametrize(
    ("codes", "value"),
    [
        ("need", "PSRMEM - Support with memory and cognition"),
        ("sex", "x) Martian"),
        ("source", "d) Health services"),  # Ofsted's old group, which does not say which code
        ("legal_status", "nope"),
    ],
)
def test_unknown_values_are_errors(codes, value):
    parsed = SPEC.codes[codes].parse(value)
    assert not parsed.ok and parsed.expected


@pytest.mark.parametrize("codes", ["disability", "need", "suitability"])
def test_not_recorded_spellings_are_empty(codes):
    blank = {"disability": "c) Unknown", "need": "j) Not stated", "suitability": "Not recorded"}[
        codes
    ]
    parsed = SPEC.codes[codes].parse(blank)
    assert parsed.ok and parsed.value is None


def test_letter_is_only_taken_off_when_something_follows():
    assert strip_letter("a) Male") == ("a", "Male")
    assert strip_letter("(b) Female") == ("b", "Female")
    assert strip_letter("c. Unknown") == ("c", "Unknown")
    assert strip_letter("No.") == ("", "No.")
    assert strip_letter("b)") == ("", "b)")
    assert strip_letter("C2: FCO") == ("", "C2: FCO")


def _spaces():
    return st.sampled_from(["", " ", "  ", "\u00a0", "\t"])


@settings(max_examples=400, deadline=None)
@given(
    item=st.sampled_from(LETTERED),
    letter_style=st.sampled_from(["{l}) ", "({l}) ", "{l})", "{L}) ", ""]),
    separator=st.sampled_from([": ", " - ", " : ", " ", ":", " – "]),
    with_label=st.booleans(),
    code_case=st.sampled_from(["upper", "lower", "as is"]),
    before=_spaces(),
    after=_spaces(),
)
def test_lettered_values_round_trip(
    item, letter_style, separator, with_label, code_case, before, after
):
    name, code, letter = item
    codes: CodeList = SPEC.codes[name]
    labels = [label for label, target in codes.labels.items() if target == code]
    written = {"upper": code.upper(), "lower": code.lower(), "as is": code}[code_case]
    value = letter_style.format(l=letter, L=letter.upper()) + written
    if with_label:
        value += separator + "Some description"
    parsed = codes.parse(before + value + after)
    assert parsed.ok, (value, parsed.error)
    assert parsed.value == code
    assert labels is not None


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(SPEC.codes)), text=st.text(max_size=80))
def test_any_text_gives_a_code_nothing_or_an_error(name, text):
    codes = SPEC.codes[name]
    parsed = codes.parse(text)
    if parsed.ok:
        assert parsed.value is None or parsed.value in codes.codes
    else:
        assert parsed.error and parsed.expected


@settings(max_examples=200, deadline=None)
@given(
    letter=st.sampled_from(["a) ", "b) ", "", "(a) "]),
    word=st.sampled_from(["Yes", "yes", "Y", "No", "NO", "n", "1", "0"]),
)
def test_yes_no_with_letters(letter, word):
    parsed = parse_yes_no(letter + word)
    assert parsed.ok
    assert parsed.value is (word.upper() in ("YES", "Y", "1"))


def test_old_ofsted_groups_are_reported_not_guessed():
    parsed = SPEC.codes["placement"].parse("a) Foster Placement")
    assert not parsed.ok
    assert "U1" in parsed.error and "U6" in parsed.error
    assert SPEC.codes["legal_status"].parse("b) Full care orders").value == "C2"
    assert SPEC.codes["reason_ceased"].parse("n) Care ceased for any other reason").value == "E8"

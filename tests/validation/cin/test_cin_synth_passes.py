"""The synthetic council's CIN census passes every DfE error rule of ours, and the UPN check letter."""

from __future__ import annotations

import pytest

from csc_scorecard.synth import generate
from csc_scorecard.validation.cin import check_cin_tables, load_cin_tables
from csc_scorecard.validation.cin.upn import check_letter, with_check_letter
from csc_scorecard.validation.core import Context, Outcome

# Queries a real council raises too (docs/validation.md says why each is left).
EXPECTED_QUERIES = {"2991Q", "8670Q", "8675Q", "8825Q"}


@pytest.fixture(scope="module")
def census(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth_cin")
    generate(out, la_code="999", population=12_000, years=["2024-25", "2025-26"], seed=3, xml=False)
    return out / "999"


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_synthetic_census_has_no_dfe_errors(census, year):
    tables = load_cin_tables(census / year / "cin_census.xml")
    results = check_cin_tables(tables, Context(year))
    assert len(results) == 109
    failed = {r.spec.code: r.failure_count for r in results if r.outcome != Outcome.PASSED}
    errors = {c: n for c, n in failed.items() if not c.endswith("Q")}
    assert errors == {}, errors
    assert set(failed) <= EXPECTED_QUERIES, failed


def test_synthetic_upns_have_real_la_digits_and_check_letters(census):
    ids = load_cin_tables(census / "2024-25" / "cin_census.xml")["ChildIdentifiers"]
    upns = ids["UPN"].drop_nulls().to_list()
    assert len(upns) > 500
    assert all(u[0] == check_letter(u[1:]) for u in upns)
    # 999 is no real council: its UPNs take a real LA's digits instead.
    assert {u[1:4] for u in upns} != {"999"}


def test_check_letter_by_hand():
    # 2*9 + 3*3 + 4*3 + 5*1 + 6*2 + 7*3 + 8*4 + 9*5 + 10*6 + 11*7 + 12*8 + 13*1 = 400;
    # 400 mod 23 = 9 -> K (A=0 ... H=7, J=8, K=9).
    assert with_check_letter("933123456781") == "K933123456781"
    # A temporary UPN ends in a letter: A counts 0, so 400 - 13 = 387; 387 mod 23 = 19 -> W.
    assert check_letter("93312345678A") == "W"
    with pytest.raises(ValueError):
        check_letter("93312345678I")

"""Rates per 10,000 divide by each financial year's own ONS 0-17 population."""

from datetime import date

import polars as pl
import pytest

from csc_scorecard.benchmarks.reference import import_reference
from csc_scorecard.config import shared_dir
from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.engine import compute
from csc_scorecard.indicators.population import population_for
from csc_scorecard.periods import parse_period

REFERENCE = shared_dir() / "reference"

pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference is not beside the repo")


@pytest.fixture(scope="module")
def reference_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    import_reference(REFERENCE, home / "reference")
    return home


def test_each_year_uses_the_mid_year_estimate_before_its_end(reference_home, monkeypatch):
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(reference_home))
    data = case_data(la_code="933")
    pop_2425, note_2425 = population_for(data, parse_period("2024-25-Q3"))
    pop_2324, note_2324 = population_for(data, parse_period("2023-24"))
    assert "mid-2024" in note_2425 and "mid-2023" in note_2324
    assert pop_2425 != pop_2324 and pop_2425 > 100_000


def test_a_referral_rate_worked_by_hand_from_the_ons_population(reference_home, monkeypatch):
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(reference_home))
    population, _ = population_for(case_data(la_code="933"), parse_period("2024-25"))
    # 3 referrals in 2024-25 -> 3 / population x 10,000
    referrals = pl.DataFrame(
        {
            "child_id": ["a", "b", "c", "d"],
            "referral_date": [date(2024, 4, 1), date(2024, 9, 9), date(2025, 3, 31), date(2025, 4, 1)],
        }
    )
    data = case_data(la_code="933", referral=referrals)
    row = compute(data, ["2024-25"], ["referrals_rate_per_10k"], breakdowns=["all"]).row(0, named=True)
    assert row["numerator"] == 3 and row["denominator"] == population
    assert row["value"] == round(3 / population * 10_000, 1)


def test_a_population_set_by_hand_wins(reference_home, monkeypatch):
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(reference_home))
    data = case_data(la_code="933", population_0_17=50_000)
    assert population_for(data, parse_period("2024-25"))[0] == 50_000


def test_an_la_without_reference_data_gets_a_clear_note(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path))
    # 999 is in neither an import nor the shipped snapshot (933 now is, in the snapshot)
    value, note = population_for(case_data(la_code="999"), parse_period("2024-25"))
    assert value is None and "left empty" in note

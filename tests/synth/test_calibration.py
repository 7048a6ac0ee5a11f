"""With the default scenario the headline rates land within 15% of England 2024-25.

Rates are computed from the written files (CIN census XML, 903 CSVs, council.yml)
with DfE's definitions, in tests/synth/synth_rates.py.
"""

from __future__ import annotations

import pytest
from synth_rates import ENGLAND_2024_25, headline_rates

from csc_scorecard.synth import generate


@pytest.fixture(scope="module")
def calibration_rates(tmp_path_factory):
    out = tmp_path_factory.mktemp("calibration")
    # one medium-to-large council; 2023-24 is written so that 2024-25
    # re-referrals can look back twelve months into the previous census
    generate(out, la_code="950", population=100_000, seed=2024, years="2023-24:2024-25")
    return headline_rates(out / "950", "2024-25")


@pytest.mark.parametrize("name", sorted(ENGLAND_2024_25))
def test_headline_rate_within_15_percent_of_england(calibration_rates, name):
    got = calibration_rates[name]
    england = ENGLAND_2024_25[name]
    assert abs(got / england - 1) <= 0.15, f"{name}: {got:.1f} vs England {england}"

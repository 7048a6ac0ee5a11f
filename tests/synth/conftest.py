"""Shared generated councils for the synth tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from csc_scorecard.config import shared_dir
from csc_scorecard.synth import generate

SHARED = shared_dir()
SPECS = SHARED / "specs"


@pytest.fixture(scope="session")
def small_council(tmp_path_factory):
    """A small council over four years (2021-22 to 2024-25), seed 11."""
    out = tmp_path_factory.mktemp("synth_small")
    summary = generate(out, la_code="998", population=12_000, seed=11)
    return out / "998", summary


@pytest.fixture(scope="session")
def all_years_council(tmp_path_factory):
    """A tiny council for every year the DfE schemas cover (2016-17 to 2025-26)."""
    out = tmp_path_factory.mktemp("synth_all_years")
    summary = generate(out, la_code="997", population=6_000, seed=5, years="2016-17:2025-26")
    return out / "997", summary


@pytest.fixture(scope="session")
def specs() -> Path:
    if not SPECS.is_dir():
        pytest.skip(f"DfE specs not found at {SPECS}")
    return SPECS

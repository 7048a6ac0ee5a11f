"""Where imported reference data lives on disk."""

from __future__ import annotations

from pathlib import Path

from csc_scorecard.config import data_home

REFERENCE_SUBDIR = "reference"


def default_reference_dir() -> Path:
    """The folder ``reference import`` writes to and benchmarks read from."""
    return data_home() / REFERENCE_SUBDIR

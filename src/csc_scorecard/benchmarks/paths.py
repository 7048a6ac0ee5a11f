"""Where imported reference data lives on disk."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "CSC_SCORECARD_HOME"
REFERENCE_SUBDIR = "reference"


def data_home() -> Path:
    """The csc-scorecard data directory: ``$CSC_SCORECARD_HOME`` or ``~/.csc-scorecard``."""
    configured = os.environ.get(HOME_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".csc-scorecard"


def default_reference_dir() -> Path:
    """The folder ``reference import`` writes to and benchmarks read from."""
    return data_home() / REFERENCE_SUBDIR

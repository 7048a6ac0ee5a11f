"""Where csc-scorecard keeps its data, read from the environment."""

from __future__ import annotations

import os
from pathlib import Path


def data_home() -> Path:
    """The data directory: CSC_SCORECARD_HOME, default ~/.csc-scorecard."""
    home = os.environ.get("CSC_SCORECARD_HOME")
    path = Path(home).expanduser() if home else Path.home() / ".csc-scorecard"
    return path


def ensure_data_home() -> Path:
    path = data_home()
    path.mkdir(parents=True, exist_ok=True)
    return path

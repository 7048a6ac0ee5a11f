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


def council_file() -> Path:
    """council.yml in the data directory: la_code, name, population (0-17)."""
    return data_home() / "council.yml"


def council_settings() -> dict:
    """The council this installation reports on; CSC_SCORECARD_LA_CODE overrides the file's code."""
    settings: dict = {}
    path = council_file()
    if path.exists():
        import yaml

        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            loaded = None
        if isinstance(loaded, dict):
            settings = loaded
    code = os.environ.get("CSC_SCORECARD_LA_CODE", "").strip()
    if code:
        settings["la_code"] = code
    if "la_code" in settings:
        settings["la_code"] = str(settings["la_code"]).strip()
    return settings


def shared_dir() -> Path:
    """The project's shared reference folder: CSC_SCORECARD_SHARED, else ../shared beside the checkout.

    It holds the DfE reference data, the official schemas and sample files that
    the tests and the demo read; it is never part of the repository.
    """
    configured = os.environ.get("CSC_SCORECARD_SHARED", "").strip()
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2].parent / "shared"

"""Where csc-scorecard keeps its data, read from the environment."""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from pathlib import Path


def data_home() -> Path:
    """The data directory: CSC_SCORECARD_HOME, default ~/.csc-scorecard."""
    home = os.environ.get("CSC_SCORECARD_HOME", "").strip()
    return Path(home).expanduser() if home else Path.home() / ".csc-scorecard"


def ensure_data_home() -> Path:
    path = data_home()
    path.mkdir(parents=True, exist_ok=True)
    return path


def council_file() -> Path:
    """council.yml in the data directory: la_code, name, population (0-17)."""
    return data_home() / "council.yml"


def read_council_file() -> tuple[dict, str]:
    """council.yml's settings, and why it could not be read ("" when it could, or is absent)."""
    path = council_file()
    try:
        st = path.stat()
    except OSError:
        return {}, ""
    # Every web page reads it (the council's name): parsed again only when the file changes.
    loaded, problem = _read_council_kept(str(path), st.st_mtime_ns, st.st_size)
    return copy.deepcopy(loaded), problem


@lru_cache(maxsize=4)
def _read_council_kept(where: str, mtime_ns: int, size: int) -> tuple[dict, str]:
    path = Path(where)
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return {}, f"{path} could not be read: {exc}"
    if loaded is None:
        return {}, ""
    if not isinstance(loaded, dict):
        return {}, f"{path} is not a mapping of settings"
    return loaded, ""


def council_settings() -> dict:
    """The council this installation reports on; CSC_SCORECARD_LA_CODE overrides the file's code."""
    settings, _ = read_council_file()
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

"""Where reference data lives on disk: the user's import, else the shipped snapshot.

Two places can hold the tidy parquet files the benchmarks read:

- the import folder, ``$CSC_SCORECARD_HOME/reference``, written by
  ``reference import DIR`` or ``reference download``;
- the snapshot shipped inside the package (``benchmarks/snapshot/``), built
  by ``scripts/build_reference_snapshot.py``, so a fresh installation has
  England, region and statistical-neighbour figures without any import.

An import replaces the snapshot file by file: a file the import wrote is
read from the import, a file it did not write (``reference download`` has no
neighbour model, for example) is still read from the snapshot.
"""

from __future__ import annotations

from pathlib import Path

from csc_scorecard.config import data_home

REFERENCE_SUBDIR = "reference"
MANIFEST_FILE = "manifest.json"


def default_reference_dir() -> Path:
    """The folder ``reference import`` writes to (and benchmarks read first)."""
    return data_home() / REFERENCE_SUBDIR


def snapshot_dir() -> Path:
    """The folder of the reference snapshot shipped with the package."""
    return Path(__file__).resolve().with_name("snapshot")


def has_import(folder: Path | None = None) -> bool:
    """True when an import has been made (its manifest is written last, so it marks a whole import)."""
    return ((folder or default_reference_dir()) / MANIFEST_FILE).is_file()


def reference_file(name: str, ref_dir: Path | str | None = None) -> Path | None:
    """Where to read reference file ``name`` from, or None when no folder has it.

    With ``ref_dir`` given, only that folder is looked in (tests and
    ``--ref-dir`` mean exactly that folder). Otherwise the import wins and the
    snapshot fills in.
    """
    if ref_dir is not None:
        path = Path(ref_dir).expanduser() / name
        return path if path.is_file() else None
    imported = default_reference_dir()
    if (imported / name).is_file():
        return imported / name
    shipped = snapshot_dir() / name
    return shipped if shipped.is_file() else None


def searched_dirs(ref_dir: Path | str | None = None) -> list[Path]:
    """The folders :func:`reference_file` looks in, for error messages."""
    if ref_dir is not None:
        return [Path(ref_dir).expanduser()]
    return [default_reference_dir(), snapshot_dir()]

"""Errors raised by the benchmarks layer. Each carries a message fit for a user."""

from __future__ import annotations

from pathlib import Path


class ReferenceDataError(Exception):
    """Base class: something is wrong with reference data or how it was asked for."""


class ReferenceImportError(ReferenceDataError):
    """A reference file could not be used. The message names the file."""

    def __init__(self, file: Path | str, problem: str) -> None:
        self.file = Path(file)
        self.problem = problem
        super().__init__(f"{self.file}: {problem}")


class ReferenceDownloadError(ReferenceDataError):
    """Fetching from the official source failed. The message names the URL."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(
            f"could not download reference data from {url} ({reason}). "
            "If this machine has no internet access, download the files elsewhere and use "
            "'csc-scorecard reference import DIR' instead."
        )


class ReferenceNotImportedError(ReferenceDataError):
    """The imported parquet files are not where they were expected."""

    def __init__(self, ref_dir: Path, missing: str) -> None:
        self.ref_dir = ref_dir
        super().__init__(
            f"no imported reference data in {ref_dir} ({missing} is missing). "
            "Run 'csc-scorecard reference import DIR' first."
        )


class BenchmarkError(ReferenceDataError):
    """A benchmark could not be produced for the LA/period asked for."""

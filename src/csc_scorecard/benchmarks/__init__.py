"""Published benchmarks: DfE / ONS reference data, statistical neighbours, ranks.

Pure library over Polars (no Django):

- :func:`import_reference` / :func:`download_reference` build tidy parquet
  files from the DfE open-data CSVs, LAIT, neighbour models and ONS 0-17
  population.
- :func:`benchmarks_for` gives LA, statistical-neighbour average, England,
  region, rank and quartile for every mapped indicator.
- :func:`population_0_17` gives the ONS population (and its vintage) behind
  a year's rates.
"""

from csc_scorecard.benchmarks.compare import (
    OUTPUT_COLUMNS,
    benchmarks_for,
    neighbours_of,
    population_0_17,
    rank_and_quartile,
)
from csc_scorecard.benchmarks.download import DownloadSource, download_reference
from csc_scorecard.benchmarks.errors import (
    BenchmarkError,
    ReferenceDataError,
    ReferenceDownloadError,
    ReferenceImportError,
    ReferenceNotImportedError,
)
from csc_scorecard.benchmarks.mapping import benchmarked_ids, load_mapping
from csc_scorecard.benchmarks.reference import ImportSummary, import_reference

__all__ = [
    "INDICATOR_IDS",
    "benchmarked_ids",
    "OUTPUT_COLUMNS",
    "BenchmarkError",
    "DownloadSource",
    "ImportSummary",
    "ReferenceDataError",
    "ReferenceDownloadError",
    "ReferenceImportError",
    "ReferenceNotImportedError",
    "benchmarks_for",
    "download_reference",
    "import_reference",
    "load_mapping",
    "neighbours_of",
    "population_0_17",
    "rank_and_quartile",
]


def __getattr__(name: str):  # INDICATOR_IDS is read from measures.yml when first asked for
    if name == "INDICATOR_IDS":
        return benchmarked_ids()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

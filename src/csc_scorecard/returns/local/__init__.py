"""The project's own local CSV extracts (teams, allocations, visits, workforce): see docs/local_csvs.md."""

from csc_scorecard.returns.local.reader import FORMATS, identify_local_header, read_local_csv

__all__ = ["FORMATS", "identify_local_header", "read_local_csv"]

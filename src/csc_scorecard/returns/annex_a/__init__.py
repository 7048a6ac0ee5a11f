"""Ofsted Annex A: child-level lists for inspection, as an .xlsx workbook or one CSV per list."""

from csc_scorecard.returns.annex_a.reader import (
    identify_annex_a_header,
    read_annex_a_csvs,
    read_annex_a_workbook,
)

__all__ = ["identify_annex_a_header", "read_annex_a_csvs", "read_annex_a_workbook"]

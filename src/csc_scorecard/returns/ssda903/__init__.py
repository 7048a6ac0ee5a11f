"""SSDA903 (children looked after) reader: CSV tables or the XML, year-aware.

read_csv_tables(paths, year=, la_code=, sink=) -> ReadResult
read_xml(path, year=, la_code=, sink=) -> ReadResult
identify_csv_header(headers) -> "Episodes" | ... | None
"""

from csc_scorecard.returns.ssda903.csv_reader import read_csv_tables
from csc_scorecard.returns.ssda903.parsing import identify_csv_header
from csc_scorecard.returns.ssda903.xml_reader import read_xml
from csc_scorecard.returns.ssda903.yearspec import load_spec, spec_years

__all__ = ["identify_csv_header", "load_spec", "read_csv_tables", "read_xml", "spec_years"]

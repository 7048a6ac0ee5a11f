"""CIN census (children in need) reader: XML in, canonical rows and issues out.

    read_cin_census(path, year="", la_code="", sink=None) -> ReadResult
    sniff_cin_census(first_bytes) -> bool

Code lists by collection year live in spec/ (base.yml plus one file of
changes per later year); see spec.py for the format.
"""

from csc_scorecard.returns.cin_census.gate import sniff_cin_census
from csc_scorecard.returns.cin_census.reader import read_cin_census

__all__ = ["read_cin_census", "sniff_cin_census"]

"""What the local extracts' fields may hold: the visit kinds and their other spellings,
and the longest team or worker name. Shared by the row checker (reader.py) and its
fast path (columnwise.py)."""

from __future__ import annotations

from csc_scorecard.returns.cleaning import Parsed, parse_code

MAX_NAME_CHARS = 80

VISIT_KINDS = ["CIN", "CP", "CLA"]
VISIT_KIND_ALIASES = {
    "child in need": "CIN",
    "child protection": "CP",
    "cpp": "CP",
    "looked after": "CLA",
    "lac": "CLA",
    "cic": "CLA",
    "child in care": "CLA",
}


def parse_visit_kind(raw: object) -> Parsed:
    return parse_code(raw, VISIT_KINDS, VISIT_KIND_ALIASES)

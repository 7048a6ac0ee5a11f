"""Helpers shared by the SSDA903 reader tests (imported by file name; no package)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from csc_scorecard.config import shared_dir

FIXTURES = shared_dir() / "fixtures" / "ssda903"
VALIDATOR = FIXTURES / "validator_fake_2017_18"
SYNTH = FIXTURES / "cscsynth_2019_20"

EPISODE_HEADERS = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]
HEADER_HEADERS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]


def write_csv(
    path: Path, headers: list[str], rows: list[list[str]], *, encoding: str = "utf-8"
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def episode(
    child="1",
    decom="01/05/2024",
    rne="S",
    ls="C2",
    cin="N1",
    place="U1",
    provider="PR1",
    dec="",
    rec="",
    rpc="",
    home="AB1 2CD",
    pl="AB3 4EF",
    urn="SC123456",
) -> list[str]:
    return [child, decom, rne, ls, cin, place, provider, dec, rec, rpc, home, pl, urn]


def csv_data_rows(path: Path) -> int:
    """Non-blank data rows, counted with the csv module alone."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return sum(1 for r in reader if any(c.strip() for c in r))


class CountingSink:
    """Counts rows per table without keeping them (for the large-file test)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, table: str, row: dict) -> None:
        self.counts[table] += 1


def issues(result, code: str = "", severity: str = "", column: str = ""):
    return [
        i
        for i in result.issues
        if (not code or i.code == code)
        and (not severity or i.severity.value == severity)
        and (not column or i.location.column == column)
    ]

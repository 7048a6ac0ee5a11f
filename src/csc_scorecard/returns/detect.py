"""Work out what each file is, from its content, and how files group into submissions.

A file is recognised by what is inside it, never by its name: the root of
an XML file, the column headers of a CSV, the zip signature of a workbook.
SSDA903 CSVs (and Annex A CSVs) in one folder make one submission, since
together they are one return.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from csc_scorecard.returns.textfile import decode_head, delimiter_of

HEAD_BYTES = 64 * 1024

# Kinds of file, and the return each belongs to.
SSDA903_CSV = "ssda903_csv"
SSDA903_XML = "ssda903_xml"
CIN_XML = "cin_xml"
ANNEX_A_XLSX = "annex_a_xlsx"
ANNEX_A_CSV = "annex_a_csv"
LOCAL_CSV = "local_csv"

RETURN_OF_KIND = {
    SSDA903_CSV: "ssda903",
    SSDA903_XML: "ssda903",
    CIN_XML: "cin_census",
    ANNEX_A_XLSX: "annex_a",
    ANNEX_A_CSV: "annex_a",
    LOCAL_CSV: "local",
}


@dataclass(frozen=True)
class Classified:
    path: Path
    kind: str
    table: str = ""  # the 903 table, Annex A list or local subtype the headers matched


@dataclass(frozen=True)
class Unrecognised:
    path: Path
    reason: str


@dataclass
class FileGroup:
    """Files that are read together into one submission."""

    kind: str
    paths: list[Path]
    subtype: str = ""
    tables: list[str] = field(default_factory=list)

    @property
    def return_type(self) -> str:
        return RETURN_OF_KIND[self.kind]

    @property
    def label(self) -> str:
        if len(self.paths) == 1:
            return str(self.paths[0])
        return f"{self.paths[0].parent}/ ({len(self.paths)} files)"


# Files a folder of returns often holds beside them (notes, configuration,
# reports) that can never be a return: passed over when walking a folder.
NOT_RETURNS = {".yml", ".yaml", ".md", ".txt", ".json", ".pdf", ".docx", ".doc", ".html", ".png", ".log"}


@dataclass
class Collected:
    files: list[Path] = field(default_factory=list)
    missing: list[Unrecognised] = field(default_factory=list)
    passed_over: list[Path] = field(default_factory=list)


def collect_files(paths: Iterable[Path]) -> Collected:
    """Expand folders (recursively, in name order).

    Hidden files, and files inside a folder whose kind can never be a return
    (see NOT_RETURNS), are passed over; a file named directly is always read.
    """
    out = Collected()
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if not child.is_file() or any(p.startswith(".") for p in relative.parts):
                    continue
                if child.suffix.lower() in NOT_RETURNS:
                    out.passed_over.append(child)
                else:
                    out.files.append(child)
        elif path.is_file():
            out.files.append(path)
        else:
            out.missing.append(Unrecognised(path, "no such file or folder"))
    return out


def classify(path: Path) -> Classified | Unrecognised:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        return Unrecognised(path, f"cannot be read ({exc.strerror or exc.__class__.__name__})")
    if not head.strip():
        return Unrecognised(path, "the file is empty")
    if head.startswith(b"PK\x03\x04"):
        if path.suffix.lower() in (".xlsx", ".xlsm", ""):
            return Classified(path, ANNEX_A_XLSX)
        return Unrecognised(path, "a zip archive, not a return (Annex A workbooks must end .xlsx)")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return Unrecognised(
            path, "an old-style Excel (.xls) or encrypted workbook: save it as .xlsx and try again"
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return _classify_xml(path, head)
    if decode_head(head) is None:
        return Unrecognised(path, "binary content, not a CSV, XML or Excel file")
    return _classify_csv(path, head)


def _classify_xml(path: Path, head: bytes) -> Classified | Unrecognised:
    from csc_scorecard.returns.cin_census import sniff_cin_census

    if sniff_cin_census(head):
        return Classified(path, CIN_XML)
    if b"<EXPSSDA903" in head:
        return Classified(path, SSDA903_XML)
    return Unrecognised(
        path, "an XML file that is neither a CIN census (Message) nor an SSDA903 (EXPSSDA903) return"
    )


def read_header_row(head: bytes) -> list[str] | None:
    """The first non-blank row of a CSV's opening bytes, or None if it is not text."""
    text = decode_head(head)
    if text is None:
        return None
    text = text.lstrip("\ufeff")
    for row in csv.reader(io.StringIO(text), delimiter=delimiter_of(text)):
        if any(cell.strip() for cell in row):
            return row
    return None


def _classify_csv(path: Path, head: bytes) -> Classified | Unrecognised:
    from csc_scorecard.returns.annex_a import identify_annex_a_header
    from csc_scorecard.returns.local import identify_local_header
    from csc_scorecard.returns.ssda903 import identify_csv_header

    header = read_header_row(head)
    if header is None:
        return Unrecognised(path, "not readable as text (neither UTF-8, UTF-16 nor Windows-1252)")
    table = identify_csv_header(header)
    if table:
        return Classified(path, SSDA903_CSV, table)
    subtype = identify_local_header(header)
    if subtype:
        return Classified(path, LOCAL_CSV, subtype)
    annex_list = identify_annex_a_header(header)
    if annex_list:
        return Classified(path, ANNEX_A_CSV, f"list {annex_list}")
    shown = ", ".join(h.strip() for h in header[:8])
    if len(header) > 8:
        shown += ", …"
    return Unrecognised(
        path,
        f"its column headers ({shown}) match no SSDA903 table, Annex A list or local extract "
        "(see docs/local_csvs.md for the local formats)",
    )


def plan_groups(classified: Iterable[Classified]) -> list[FileGroup]:
    """Group files into submissions: CSV parts of one return in one folder go together."""
    groups: list[FileGroup] = []
    by_folder: dict[tuple[str, Path], FileGroup] = {}
    for item in classified:
        if item.kind in (SSDA903_CSV, ANNEX_A_CSV):
            key = (item.kind, item.path.parent)
            group = by_folder.get(key)
            if group is None:
                group = FileGroup(item.kind, [])
                by_folder[key] = group
                groups.append(group)
            group.paths.append(item.path)
            group.tables.append(item.table)
        elif item.kind == LOCAL_CSV:
            groups.append(FileGroup(item.kind, [item.path], subtype=item.table, tables=[item.table]))
        else:
            groups.append(FileGroup(item.kind, [item.path]))
    return groups

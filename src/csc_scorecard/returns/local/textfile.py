"""Opening a CSV file safely: refusing binary junk, guessing the encoding, splitting rows.

Shared by the local-extract reader and the Annex A CSV reader.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from csc_scorecard.returns.issues import FileRejected, IssueLog

MAX_CSV_BYTES = 200 * 1024 * 1024  # far beyond any real extract
MAX_FIELD_CHARS = 131_072  # csv's own default; a longer field is not a real value

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_text(path: Path, log: IssueLog) -> str:
    """The file's text, or FileRejected saying why it is not a text/CSV file."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRejected(name, f"the file cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise FileRejected(name, "the file is empty")
    if size > MAX_CSV_BYTES:
        raise FileRejected(
            name,
            f"the file is {size // (1024 * 1024)} MB, larger than any CSV extract this reader accepts",
        )
    data = path.read_bytes()
    if data.startswith(_ZIP):
        raise FileRejected(name, "this is a zip or Excel .xlsx file, not a CSV text file")
    if data.startswith(_OLE):
        raise FileRejected(
            name,
            "this is an old-style Office file (.xls/.doc) or a password-protected workbook, not a CSV text file",
        )
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileRejected(
                name, "the file says it is UTF-16 text but cannot be decoded"
            ) from exc
        log.info("the file is UTF-16 text (Excel's 'Unicode text'); read as such", code="encoding")
        return _check_text(name, text)
    if b"\x00" in data[:65536]:
        raise FileRejected(name, "the file holds binary data, not CSV text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise FileRejected(name, "the file is neither UTF-8 nor Windows-1252 text") from exc
        log.info(
            "the file is not UTF-8; it was read as Windows-1252 (check names with accents)",
            code="encoding",
            expected="UTF-8 text",
        )
    return _check_text(name, text)


def _check_text(name: str, text: str) -> str:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    if sample and controls > max(8, len(sample) // 50):
        raise FileRejected(name, "the file holds binary data, not CSV text")
    return text.lstrip("\ufeff")


def _delimiter(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            counts = {d: line.count(d) for d in (",", "\t", ";")}
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def csv_rows(name: str, text: str) -> Iterator[list[str]]:
    """Rows of a CSV text; a malformed file raises FileRejected naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        yield from reader
    except csv.Error as exc:
        raise FileRejected(
            name, f"the CSV cannot be read at line {reader.line_num}: {exc}"
        ) from exc

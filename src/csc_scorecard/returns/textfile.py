"""Text files: which encoding they are in, and splitting CSV text into rows.

The one rule for every reader (and anything else that reads a council's
text file): a UTF-16 byte-order mark means UTF-16 (a spreadsheet's "Unicode
text" export); otherwise UTF-8, with or without a byte-order mark; otherwise
Windows-1252 (Excel's "CSV" on Windows), with a note asking the analyst to
check accented names. Outside UTF-16, a NUL byte means binary data, not text.

    decode(data)              -> (text, encoding) or None     never raises
    decode_head(head)         -> text or None                 first bytes only
    file_encoding(path)       -> encoding, reading in chunks  FileRejected if not text
    read_text(path, log)      -> the whole text               FileRejected if not text
    note_encoding(log, enc)   -> the INFO issue for a non-UTF-8 file
    csv_rows(name, text)      -> rows                         FileRejected if malformed
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import FileRejected, IssueLog

MAX_CSV_BYTES = 200 * 1024 * 1024  # far beyond any real extract
CHUNK = 1 << 20

UTF16, UTF8, CP1252 = "utf-16", "utf-8-sig", "cp1252"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NUL_REASON = "contains NUL bytes: binary data, not a CSV file"


def _candidates(head: bytes) -> tuple[str, ...]:
    return (UTF16,) if head.startswith(_UTF16_BOMS) else (UTF8, CP1252)


def decode(data: bytes) -> tuple[str, str] | None:
    """The text and the encoding it was read with, or None when it is not text."""
    for encoding in _candidates(data[:4]):
        if encoding != UTF16 and b"\x00" in data:
            return None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def decode_head(head: bytes) -> str | None:
    """The opening bytes of a file as text, for recognising it; None if not text.

    A read of the first N bytes can cut a multi-byte UTF-8 character in two:
    the text is then taken up to the cut.
    """
    for encoding in _candidates(head[:4]):
        if encoding != UTF16 and b"\x00" in head:
            return None
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == UTF8 and exc.start > len(head) - 4:
                return head[: exc.start].decode(encoding)
            if encoding == UTF16 and exc.start > len(head) - 4:
                return head[: exc.start].decode(encoding)
    return None


def file_encoding(path: Path) -> str:
    """The encoding to read `path` with, found in one pass over its bytes in chunks
    (a 200 MB file never sits in memory); FileRejected when it is not text."""
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise FileRejected(name, f"cannot be opened: {exc.strerror or exc}") from exc
    if size == 0:
        raise FileRejected(name, "the file is empty")
    for encoding in _candidates(head):
        if _decodes(path, encoding):
            return encoding
    if encoding == UTF16:
        raise FileRejected(name, "starts like UTF-16 text but does not decode as it")
    raise FileRejected(
        name, "not a text file: it holds bytes that are neither UTF-8 nor Windows-1252"
    )


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            if encoding != UTF16 and b"\x00" in chunk:
                raise FileRejected(path.name, NUL_REASON)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def note_encoding(log: IssueLog | None, encoding: str) -> None:
    """Say so when a file was not UTF-8 (nothing for UTF-8)."""
    if log is None or encoding == UTF8:
        return
    if encoding == UTF16:
        log.info(
            "the file is UTF-16 text (a spreadsheet's 'Unicode text' export)", code=Code.ENCODING
        )
    else:
        log.info(
            "the file is not UTF-8; it was read as Windows-1252 (check names with accents)",
            code=Code.ENCODING,
            expected="UTF-8 text",
        )


def read_text(path: Path, log: IssueLog) -> str:
    """The whole text of a small CSV file, or FileRejected saying why it is not one."""
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
    decoded = decode(data)
    if decoded is None:
        if data.startswith(_UTF16_BOMS):
            raise FileRejected(name, "the file says it is UTF-16 text but cannot be decoded")
        if b"\x00" in data:
            raise FileRejected(name, NUL_REASON)
        raise FileRejected(name, "the file is neither UTF-8 nor Windows-1252 text")
    text, encoding = decoded
    note_encoding(log, encoding)
    return _check_text(name, text)


def _check_text(name: str, text: str) -> str:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    if sample and controls > max(8, len(sample) // 50):
        raise FileRejected(name, "the file holds binary data, not CSV text")
    return text.lstrip("\ufeff")


def delimiter_of(text: str) -> str:
    """The separator of a CSV text, by its first non-blank line: comma, tab or semicolon."""
    for line in text.splitlines():
        if line.strip():
            counts = {d: line.count(d) for d in (",", "\t", ";")}
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def csv_rows(name: str, text: str) -> Iterator[list[str]]:
    """Rows of a CSV text; a malformed file raises FileRejected naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    try:
        yield from reader
    except csv.Error as exc:
        raise FileRejected(
            name, f"the CSV cannot be read at line {reader.line_num}: {exc}"
        ) from exc

"""Deciding whether a file can be read as a CIN census at all.

Before a single row is produced, the prolog is read up to the root element
(a DTD, hence any entity bomb or external entity, is refused there), and
then the whole file is parsed once the way the reader will parse it, one
<Child> at a time and discarded: a truncated or otherwise broken file, or
one past libxml2's limits (nesting depth, text size), is refused here with
a FileRejected saying why and where, so a partial file never reaches the
store.
All parsers use the same locked-down options: no entity substitution, no
network, no DTD loading, libxml2's default size limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from csc_scorecard.returns.issues import FileRejected

SAFE_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
}
HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 1 << 16

KNOWN_ROOTS = {
    "EXPSSDA903": "an SSDA903 (children looked after) return",
    "SSDA903": "an SSDA903 (children looked after) return",
}

DTD_REASON = (
    "the file contains a document type declaration (<!DOCTYPE ...>). A CIN census never has "
    "one, and one can pull in outside files or expand into an 'entity bomb', so the file was "
    "refused without being read; nothing from it was stored"
)


class _HeadTarget:
    """Notes the document type declaration and the first element, nothing more."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.saw_doctype = False

    def doctype(self, *args: object) -> None:
        self.saw_doctype = True

    def start(self, tag: str, attrib: object, *rest: object) -> None:
        if self.root is None:
            self.root = local_name(tag)

    def close(self) -> None:
        return None


def local_name(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


@dataclass(frozen=True)
class Probe:
    root: str | None  # local name of the first element, if the head has one
    doctype: bool
    error: str  # the parser's complaint before any element was seen


def probe(head: bytes) -> Probe:
    """What the first bytes of a file say about it (never raises)."""
    target = _HeadTarget()
    parser = etree.XMLParser(target=target, **SAFE_PARSER_OPTIONS)
    error = ""
    try:
        parser.feed(head)
    except etree.XMLSyntaxError as exc:
        error = clean_parser_message(exc)
    except Exception as exc:  # noqa: BLE001 - a probe must never raise
        error = str(exc)
    return Probe(target.root, target.saw_doctype, error)


_COLLECTION = re.compile(rb"<(?:[\w.-]+:)?Collection\s*>\s*([^<]{0,40}?)\s*</")
_CIN_EVIDENCE = re.compile(
    rb"<(?:[\w.-]+:)?(?:CINdetails|LAchildID|CINreferralDate|ChildIdentifiers)[\s/>]"
)
_MESSAGE_ROOT = re.compile(rb"<(?:[\w.-]+:)?Message[\s>]")


def header_collection(head: bytes) -> str | None:
    match = _COLLECTION.search(head)
    if not match:
        return None
    return match.group(1).decode("utf-8", "replace").strip()


def sniff_cin_census(head: bytes) -> bool:
    """True when the first few KB look like a CIN census: a <Message> whose
    header names the CIN collection or whose body has CIN census elements.
    (A school census is also a <Message>, with another Collection.)"""
    if not head:
        return False
    head = head[:HEAD_BYTES]
    found = probe(head)
    if found.root is None and found.doctype:
        # a DTD stops the probe before the root; still route it here to be refused clearly
        is_message = bool(_MESSAGE_ROOT.search(head))
    else:
        is_message = found.root == "Message"
    if not is_message:
        return False
    collection = header_collection(head)
    if collection is not None:
        return collection.upper() == "CIN"
    return bool(_CIN_EVIDENCE.search(head))


def clean_parser_message(exc: Exception) -> str:
    text = getattr(exc, "msg", None) or str(exc)
    text = re.sub(r"\s*\(<string>, line \d+\)$", "", str(text))
    text = re.sub(r", line \d+, column \d+$", "", text)
    return text.strip()


def _looks_binary(head: bytes) -> bool:
    sample = head[:1024]
    if not sample:
        return False
    if sample.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x1f\x8b")):
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 20


def _describe_start(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "it looks like a zip or Excel (.xlsx) file"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "it looks like an old Excel (.xls) or Word file"
    if head.startswith(b"%PDF"):
        return "it looks like a PDF"
    if head.startswith(b"\x1f\x8b"):
        return "it looks like a gzip archive"
    if _looks_binary(head):
        return "it looks like binary data"
    return "it does not start with an XML element"


class _RootReached(Exception):
    """Raised by the prolog scan's target at the first element: it has seen enough."""


class _PrologTarget(_HeadTarget):
    def start(self, tag: str, attrib: object, *rest: object) -> None:
        self.root = local_name(tag)
        raise _RootReached


def _scan_prolog(handle, name: str, head: bytes) -> str:  # type: ignore[no-untyped-def]
    """Read up to the first element, however long the prolog (comments can
    push a DOCTYPE far past the head). Returns the root element's local name."""
    target = _PrologTarget()
    parser = etree.XMLParser(target=target, **SAFE_PARSER_OPTIONS)
    chunk = head
    try:
        while chunk:
            parser.feed(chunk)
            if target.saw_doctype:
                raise FileRejected(name, DTD_REASON)
            chunk = handle.read(CHUNK_BYTES)
        parser.close()
    except _RootReached:
        pass
    except etree.XMLSyntaxError as exc:
        if target.saw_doctype:
            raise FileRejected(name, DTD_REASON) from None
        if target.root is None:
            raise FileRejected(
                name,
                f"this is not an XML file: {_describe_start(head)} (the XML parser says: "
                f"{clean_parser_message(exc)}). A CIN census is an XML file whose first element is <Message>",
            ) from None
    if target.saw_doctype:
        raise FileRejected(name, DTD_REASON)
    if target.root is None:
        raise FileRejected(
            name, "the file holds no XML element at all, so there is nothing to read"
        )
    return target.root


def check_file(path: Path) -> None:
    """Raise FileRejected unless `path` is well-formed XML, without a DTD,
    whose root is a CIN census <Message>, and which the reader's own parser
    can read to the end. Nothing is kept in memory but one <Child>."""
    name = path.name
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise FileRejected(name, f"the file could not be opened ({exc.strerror or exc})") from None
    with handle:
        head = handle.read(HEAD_BYTES)
        if not head.strip(b" \t\r\n\x00\xef\xbb\xbf"):
            raise FileRejected(name, "the file is empty, so there is nothing to read")
        root = _scan_prolog(handle, name, head)
        if root != "Message":
            hint = KNOWN_ROOTS.get(root.upper())
            what = f"; it looks like {hint}" if hint else ""
            raise FileRejected(
                name,
                f"this is not a CIN census: its first element is <{root}>, where a CIN census "
                f"starts with <Message>{what}",
            )
        collection = header_collection(head)
        if collection is not None and collection.upper() != "CIN":
            raise FileRejected(
                name,
                f"this is not a CIN census: its header names the collection {collection!r}, not 'CIN'",
            )
    if not _passes_quick_scan(path, head):
        _scan(path)  # refuses the file, with the reason and line, or finds it fine after all


# libxml2's limit on one text node without XML_PARSE_HUGE (its XML_MAX_TEXT_LENGTH)
MAX_TEXT_BYTES = 10_000_000
_DECLARED_ENCODING = re.compile(rb"encoding\s*=\s*[\"']([^\"']*)[\"']")
_UTF8_NAMES = frozenset({b"utf-8", b"utf8"})


class _Nothing:
    """A parser target that takes no events: libxml2 parses, nothing is built."""

    def close(self) -> None:
        return None


def _passes_quick_scan(path: Path, head: bytes) -> bool:
    """True when `path` is known to pass `_scan`; False when only `_scan` can say.

    `_scan` builds (and drops) the tree of every <Child>; this parses with the same
    parser and options into no tree at all, about four times faster. What only the
    tree building checks is ruled out first or after: a text node past libxml2's
    limit (none can be in a UTF-8 file smaller than the limit: the text is the
    file's own bytes or fewer) and xml:id attributes (an ID table is kept only
    for a tree). The namespace errors a tree builder refuses are logged by the
    parser, so any message at all in its log leaves the verdict to `_scan`."""
    if path.stat().st_size > MAX_TEXT_BYTES or not _plainly_utf8(head):
        return False
    if _mentions(path, b"xml:id"):
        return False
    parser = etree.XMLParser(target=_Nothing(), **SAFE_PARSER_OPTIONS)
    try:
        # parse(), not feed(): a feeding parser's log misses the namespace errors; from
        # a file object, as the reader's iterparse reads it (libxml2 given the name
        # itself would also open a gzip file)
        with path.open("rb") as handle:
            etree.parse(handle, parser)
    except Exception:  # noqa: BLE001 - any trouble at all: `_scan` gives the verdict and the reason
        return False
    return len(parser.error_log) == 0


def _mentions(path: Path, text: bytes) -> bool:
    """Whether the file's bytes hold `text` anywhere (also across two reads)."""
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES * 16):
            if text in chunk or text in tail + chunk[: len(text) - 1]:
                return True
            tail = chunk[1 - len(text):]
    return False


def _plainly_utf8(head: bytes) -> bool:
    """The file is read as UTF-8: no declaration of another encoding, and none of the
    byte patterns libxml2 takes for UTF-16, UTF-32 or EBCDIC (it starts with '<',
    after any UTF-8 byte-order mark, and '<' is not followed by a NUL)."""
    start = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if not start.startswith(b"<") or start[1:2] == b"\x00":
        return False
    if not start.startswith(b"<?xml"):
        return True
    end = start.find(b"?>", 0, 400)
    if end < 0:
        return False
    declaration = start[:end]
    if b"encoding" not in declaration:
        return True
    declared = _DECLARED_ENCODING.search(declaration)
    return declared is not None and declared.group(1).strip().lower() in _UTF8_NAMES


def _scan(path: Path) -> None:
    """Parse the whole file the way the reader will (same parser, same
    limits), keeping one <Child> at a time, so that a damaged file is refused
    before a single row of it is handed on."""
    complete = 0
    events = etree.iterparse(
        str(path),
        events=("end",),
        tag="{*}Child",
        remove_comments=True,
        remove_pis=True,
        **SAFE_PARSER_OPTIONS,
    )
    try:
        for _, element in events:
            complete += 1
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        message = clean_parser_message(exc)
        if "XML_PARSE_HUGE" in message or "Excessive depth" in message or "huge" in message.lower():
            what = (
                f"the file goes past the XML parser's safety limits at line {line} ({message}); "
                "no CIN census comes near them"
            )
        elif "Premature end" in message or "EndTag" in message or _ends_at(path, line):
            what = f"the file is cut short: the XML breaks off at line {line} ({message})"
        else:
            what = f"the file is not well-formed XML at line {line} ({message})"
        before = (
            f"{complete} complete <Child> record{'s' if complete != 1 else ''} came before that point, but a"
            if complete
            else "A"
        )
        raise FileRejected(
            path.name,
            f"{what}. {before} damaged file cannot be trusted, so the whole file was rejected "
            "and nothing from it was stored",
        ) from None


def _ends_at(path: Path, line: int) -> bool:
    """Whether `line` is the file's last line (the parser stopped where the data did)."""
    try:
        with path.open("rb") as handle:
            lines = 1
            while chunk := handle.read(CHUNK_BYTES):
                lines += chunk.count(b"\n")
    except OSError:
        return False
    return line >= lines - 1

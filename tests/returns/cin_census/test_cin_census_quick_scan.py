"""The gate's quick scan (gate._passes_quick_scan) against the scan it stands in for.

The quick scan parses without building a tree; whenever it passes a file, the
full scan (gate._scan) must pass it too, and the gate's verdict and reason must
be what they were with the full scan alone. Hostile files below are those where
a parser that builds no tree could judge differently."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cin_census_hostile import good_file

from csc_scorecard.returns.cin_census import gate
from csc_scorecard.returns.issues import FileRejected

GOOD = good_file(3)
TEXT = b"<LAchildID>C1</LAchildID>"


def _with(text: bytes) -> bytes:
    return GOOD.replace(TEXT, text, 1)


HOSTILE = {
    "cut short": GOOD[:-40],
    "tags crossed": GOOD.replace(b"</LAchildID>", b"</LAchildId>", 1),
    "undefined entity": _with(b"<LAchildID>&foo;</LAchildID>"),
    "bare ampersand": _with(b"<LAchildID>A & B</LAchildID>"),
    "unbound element prefix": _with(b"<x:LAchildID>C1</x:LAchildID>"),
    "unbound attribute prefix": _with(b'<LAchildID x:y="1">C1</LAchildID>'),
    "empty namespace prefix": GOOD.replace(b"<Message>", b'<Message xmlns:x="">'),
    "xml prefix rebound": GOOD.replace(b"<Message>", b'<Message xmlns:xml="http://x">'),
    "namespaced attribute twice": GOOD.replace(b"<Message>", b'<Message xmlns:a="u" xmlns:b="u">').replace(
        b"<Header>", b'<Header a:x="1" b:x="2">'
    ),
    "bad namespace uri": GOOD.replace(b"<Message>", b'<Message xmlns="http://a b">'),
    "relative namespace uri": GOOD.replace(b"<Message>", b'<Message xmlns="rel/uri">'),
    "qname with two colons": _with(b"<a:b:c xmlns:a='u'>C1</a:b:c>"),
    "xml:id twice": GOOD.replace(b"<Header>", b'<Header xml:id="a">').replace(
        b"<Children>", b'<Children xml:id="a">'
    ),
    "xml:id not a name": GOOD.replace(b"<Header>", b'<Header xml:id="1 2">'),
    "xml:space bogus": GOOD.replace(b"<Header>", b'<Header xml:space="bogus">'),
    "attribute twice": _with(b'<LAchildID a="1" a="2">C1</LAchildID>'),
    "too deep": _with(b"<a>" * 300 + b"</a>" * 300),
    "deep but fine": _with(b"<a>" * 200 + b"</a>" * 200),
    "huge text": _with(b"<LAchildID>" + b"x" * 10_000_001 + b"</LAchildID>"),
    "huge text across comments": _with(b"<LAchildID>" + b"<!--c-->".join([b"x" * 5_100_000] * 2) + b"</LAchildID>"),
    "text just under the limit": _with(b"<LAchildID>" + b"x" * 9_990_000 + b"</LAchildID>"),
    "huge attribute": _with(b'<LAchildID a="' + b"x" * 10_000_001 + b'">C1</LAchildID>'),
    "invalid utf-8": _with(b"<LAchildID>\xff\xfe</LAchildID>"),
    "control character": _with(b"<LAchildID>\x01</LAchildID>"),
    "bad character reference": _with(b"<LAchildID>&#1;</LAchildID>"),
    "second root": GOOD + b"<Message/>",
    "junk after the root": GOOD + b"junk",
    "latin-1 declared": GOOD.replace(b'encoding="utf-8"', b'encoding="ISO-8859-1"').replace(b"C1<", b"C\xe9<"),
    "unknown encoding": GOOD.replace(b'encoding="utf-8"', b'encoding="bogus"'),
    "utf-16": GOOD.decode().replace('encoding="utf-8"', 'encoding="UTF-16"').encode("utf-16"),
    "no declaration": GOOD.split(b"\n", 1)[1],
    "byte-order mark": b"\xef\xbb\xbf" + GOOD,
    "unfinished cdata": _with(b"<LAchildID><![CDATA[x</LAchildID>"),
    "double hyphen in comment": _with(b"<LAchildID><!-- a -- b -->C1</LAchildID>"),
    "processing instruction": _with(b"<LAchildID><?pi x?>C1</LAchildID>"),
    "late xml declaration": _with(b'<LAchildID><?xml version="1.0"?>C1</LAchildID>'),
    "nul byte": _with(b"<LAchildID>\x00</LAchildID>"),
    "name too long": _with(b"<" + b"n" * 60_000 + b"/>"),
    "huge comment": _with(b"<LAchildID><!--" + b"x" * 10_000_001 + b"--></LAchildID>"),
}


def _verdict(path: Path) -> str:
    try:
        gate.check_file(path)
    except FileRejected as exc:
        return exc.reason
    return "fine"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_quick_scan_never_passes_what_the_full_scan_refuses(tmp_path, monkeypatch, name) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "census.xml"
    path.write_bytes(HOSTILE[name])
    head = HOSTILE[name][: gate.HEAD_BYTES]
    if gate._passes_quick_scan(path, head):
        gate._scan(path)  # must not raise
    quick = _verdict(path)
    monkeypatch.setattr(gate, "_passes_quick_scan", lambda *_: False)
    assert quick == _verdict(path)


@pytest.mark.parametrize(
    "name", ["deep but fine", "no declaration", "byte-order mark", "processing instruction", "text just under the limit"]
)
def test_ordinary_files_are_passed_by_the_quick_scan(tmp_path, name) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "census.xml"
    path.write_bytes(HOSTILE[name])
    assert gate._passes_quick_scan(path, HOSTILE[name][: gate.HEAD_BYTES])
    path.write_bytes(GOOD)
    assert gate._passes_quick_scan(path, GOOD)


@pytest.mark.parametrize("offset", [0, 1, 3, 5, 6])
def test_xml_id_is_seen_where_two_reads_meet(tmp_path, offset) -> None:  # type: ignore[no-untyped-def]
    chunk = gate.CHUNK_BYTES * 16
    path = tmp_path / "census.xml"
    path.write_bytes(b"x" * (chunk - offset) + b"xml:id" + b"x" * 10)
    assert gate._mentions(path, b"xml:id")
    path.write_bytes(b"x" * (chunk - offset) + b"xml:i" + b"x" * 10)
    assert not gate._mentions(path, b"xml:id")

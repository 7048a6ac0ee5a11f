"""Files the CIN census reader must refuse cleanly: a FileRejected with a
reason in words, never a traceback, and nothing fetched from anywhere."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from csc_scorecard.returns.base import ListSink
from csc_scorecard.returns.cin_census import read_cin_census, sniff_cin_census
from csc_scorecard.returns.issues import FileRejected

GOOD_CHILD = (
    "<Child><ChildIdentifiers><LAchildID>C{n}</LAchildID><PersonBirthDate>2015-01-01</PersonBirthDate>"
    "<Sex>M</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
    "<CINdetails><CINreferralDate>2024-06-01</CINreferralDate><ReferralSource>1A</ReferralSource>"
    "<ReferralNFA>0</ReferralNFA></CINdetails></Child>\n"
)


def good_file(children: int = 3) -> bytes:
    body = "".join(GOOD_CHILD.format(n=n) for n in range(children))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<Message>\n<Header><CollectionDetails><Collection>CIN'
        "</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>"
        f"<Source><LEA>933</LEA></Source></Header>\n<Children>\n{body}</Children>\n</Message>\n"
    ).encode()


def rejected(tmp_path: Path, data: bytes, name: str = "bad.xml") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    sink = ListSink()
    with pytest.raises(FileRejected) as caught:
        read_cin_census(path, sink=sink)
    assert caught.value.file == name
    assert not sink.tables, "nothing may reach the sink from a rejected file"
    return caught.value.reason


def test_good_file_is_fine(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ok.xml"
    path.write_bytes(good_file())
    assert read_cin_census(path).counts["child"] == 3


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf"])
def test_empty(tmp_path, data) -> None:  # type: ignore[no-untyped-def]
    assert "empty" in rejected(tmp_path, data)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (bytes(range(256)) * 40, "binary"),
        (b"PK\x03\x04" + b"\x00" * 200, "zip"),
        (b"%PDF-1.7\n" + b"x" * 100, "PDF"),
        (b"LAchildID,CINreferralDate\nC1,2024-06-01\n", "not an XML file"),
    ],
)
def test_junk(tmp_path, data, words) -> None:  # type: ignore[no-untyped-def]
    reason = rejected(tmp_path, data)
    assert "not an XML file" in reason and words in reason


def test_truncated_after_some_children(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = good_file(10)
    cut = data.index(b"<LAchildID>C7")  # in the middle of the eighth child
    reason = rejected(tmp_path, data[:cut])
    assert "cut short" in reason
    assert "7 complete <Child> records came before" in reason
    assert "nothing from it was stored" in reason
    line = data[:cut].count(b"\n") + 1
    assert f"line {line}" in reason


def test_broken_in_the_middle(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = good_file(5).replace(b"</ReferralSource>", b"</ReferralSourc>", 1)
    reason = rejected(tmp_path, data)
    assert "not well-formed XML at line" in reason and "nothing from it was stored" in reason


def test_billion_laughs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE Message [\n' + "\n".join(entities) + "\n]>\n"
        "<Message><Children><Child><ChildIdentifiers><LAchildID>&lol9;</LAchildID></ChildIdentifiers>"
        "</Child></Children></Message>"
    ).encode()
    reason = rejected(tmp_path, data)
    assert "document type declaration" in reason


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY leak "FETCHED">')

    def log_message(self, *args: object) -> None:
        pass


def test_external_dtd_and_entities_are_never_fetched(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET-VALUE")
        variants = {
            "system.xml": f'<!DOCTYPE Message SYSTEM "http://127.0.0.1:{port}/evil.dtd">\n'
            "<Message><Children/></Message>",
            "param.xml": f'<!DOCTYPE Message [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>\n'
            "<Message><Children/></Message>",
            "xxe.xml": f'<!DOCTYPE Message [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">'
            f'<!ENTITY y SYSTEM "file://{secret}">]>\n'
            "<Message><Children><Child><ChildIdentifiers><LAchildID>&x;&y;</LAchildID>"
            "</ChildIdentifiers></Child></Children></Message>",
        }
        for name, text in variants.items():
            reason = rejected(tmp_path, text.encode(), name)
            assert "document type declaration" in reason
            assert "TOP-SECRET" not in reason and "FETCHED" not in reason
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.hits == []


def test_a_cin_file_with_a_dtd_is_routed_here_to_be_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = (
        b'<!DOCTYPE Message [<!ENTITY a "b">]>\n'
        + good_file()[len(b'<?xml version="1.0" encoding="utf-8"?>\n') :]
    )
    assert sniff_cin_census(data[:4096])
    assert "document type declaration" in rejected(tmp_path, data)


def test_dtd_after_a_long_comment_is_still_found(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = (
        b"<!--"
        + b"x" * 200_000
        + b'-->\n<!DOCTYPE Message [<!ENTITY a "b">]>\n<Message>&a;</Message>'
    )
    assert "document type declaration" in rejected(tmp_path, data)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'<?xml version="1.0"?>\n<EXPSSDA903><Header/><Children/></EXPSSDA903>', "SSDA903"),
        (b"<html><body>hello</body></html>", "<html>"),
        (
            b"<Message><Header><CollectionDetails><Collection>SCHOOL CENSUS</Collection>"
            b"</CollectionDetails></Header></Message>",
            "SCHOOL CENSUS",
        ),
    ],
)
def test_wrong_root_or_collection(tmp_path, data, words) -> None:  # type: ignore[no-untyped-def]
    reason = rejected(tmp_path, data)
    assert "not a CIN census" in reason and words in reason
    assert not sniff_cin_census(data)


def test_sniff() -> None:
    assert sniff_cin_census(good_file()[:4096])
    assert sniff_cin_census(good_file(100)[:2048])  # cut mid-file: still recognised
    assert sniff_cin_census(b"\xef\xbb\xbf<Message><Children><Child><ChildIdentifiers><LAchildID>1")
    assert not sniff_cin_census(b"")
    assert not sniff_cin_census(b"<Message><Body>some other message</Body></Message>")
    assert not sniff_cin_census(bytes(range(256)))
    assert not sniff_cin_census(b"LAchildID,CINreferralDate\n")


def test_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FileRejected) as caught:
        read_cin_census(tmp_path / "nope.xml")
    assert "could not be opened" in caught.value.reason


def test_deeply_nested_file_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = b"<Message><Children>" + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</Children></Message>"
    reason = rejected(tmp_path, data)
    assert "safety limits" in reason and "depth" in reason

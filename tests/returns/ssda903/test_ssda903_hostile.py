"""Real exports' untidiness and hostile input: clear answers, never a traceback."""

from __future__ import annotations

import datetime as dt
import resource
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ssda903_testkit import (
    EPISODE_HEADERS,
    HEADER_HEADERS,
    CountingSink,
    episode,
    issues,
    write_csv,
)

from csc_scorecard.returns.issues import FileRejected, IssueLog
from csc_scorecard.returns.ssda903 import read_csv_tables, read_xml
from csc_scorecard.returns.ssda903.parsing import RowParser
from csc_scorecard.returns.ssda903.yearspec import load_spec

# -- CSV ------------------------------------------------------------------------


def test_untidy_but_usable_export(tmp_path):
    path = tmp_path / "903 header.csv"
    path.write_bytes(
        "\ufeff Child , SEX,dob,Ethnic,UPN,MOTHER,MC_DOB,Notes\r\n"
        "123.0 , 1 ,01/02/2010, wbri ,A1,0,,hello\r\n"
        ",,,,,,,\r\n"
        "\r\n"
        "124,2,2011-03-04,aoth,A2,1,05/06/2027,\r\n".encode("utf-8")
    )
    result = read_csv_tables([path], year="2023-24")
    first, second = result.tables["child"]
    assert first["child_id"] == "123" and first["sex"] == "M" and first["ethnicity"] == "WBRI"
    assert first["mother"] is False and first["source_row"] == 2
    assert second["source_row"] == 5 and second["birth_date"] == dt.date(2011, 3, 4)
    assert second["child_birth_date"] == dt.date(2027, 6, 5)
    assert result.source_rows == {"Header": 2}
    extra = issues(result, code="extra-column")
    assert (
        len(extra) == 1
        and extra[0].severity.value == "info"
        and extra[0].location.column == "Notes"
    )
    assert issues(result, code="blank-rows")[0].severity.value == "info"
    assert not result.errors


def test_cp1252_file_is_read_with_an_info(tmp_path):
    path = tmp_path / "header.csv"
    path.write_bytes(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nJos\xe9,1,01/02/2010,WBRI,A1,,\n".encode("cp1252")
    )
    result = read_csv_tables([path], year="2019-20")
    assert result.tables["child"][0]["child_id"] == "José"
    (note,) = issues(result, code="encoding")
    assert note.severity.value == "info" and "1252" in note.message


def test_semicolon_delimited(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("CHILD;DOB;REVIEW;REVIEW_CODE\n1;01/01/2010;05/05/2019;PN1\n")
    result = read_csv_tables([path], year="2019-20")
    assert result.tables["cla_review"][0]["review_date"] == dt.date(2019, 5, 5)


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("episodes.csv", b"", "empty"),
        ("episodes.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "NUL"),
        (
            "episodes.csv",
            bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 10 + b"\xff\xfe\xfd",
            "not a text file",
        ),
        ("episodes.csv", b"\n\n   \n", "no header row"),
        ("episodes.csv", b"team,area\nNorth,East\n", "not recognised"),
        ("header.csv", b"child_id,team,start_date,end_date\n1,A,01/01/2020,\n", "not recognised"),
        (
            "episodes.csv",
            (
                b"DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
                b"PL_POST,URN\n01/01/2020,S,C2,N1,U1,PR1,,,,,,\n"
            ),
            "no CHILD column",
        ),
        (
            "episodes.csv",
            ",".join(EPISODE_HEADERS).encode() + b'\n"1,"unterminated\n' + b"x" * 200_000,
            "malformed CSV",
        ),
    ],
    ids=[
        "empty",
        "png",
        "undecodable",
        "blank-lines",
        "teams",
        "allocations",
        "no-child",
        "huge-field",
    ],
)
def test_unusable_csv_is_rejected(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileRejected) as info:
        read_csv_tables([path], year="2024-25")
    assert reason in info.value.reason and info.value.file == name


def test_headers_only(tmp_path):
    path = write_csv(tmp_path / "episodes.csv", EPISODE_HEADERS, [])
    result = read_csv_tables([path], year="2024-25")
    assert result.row_counts == {} and result.source_rows == {"Episodes": 0}
    assert issues(result, code="no-rows")[0].severity.value == "info"


def test_missing_optional_and_required_columns(tmp_path):
    headers = [h for h in EPISODE_HEADERS if h not in ("URN", "CIN")]
    rows = [[v for h, v in zip(EPISODE_HEADERS, episode(), strict=True) if h in headers]]
    result = read_csv_tables([write_csv(tmp_path / "e.csv", headers, rows)], year="2024-25")
    assert result.counts["cla_episode"] == 1
    missing = {i.location.column: i.severity.value for i in issues(result, code="missing-column")}
    assert missing == {"CIN": "warning", "URN": "info"}


def test_missing_critical_column_rejects(tmp_path):
    headers = [h for h in EPISODE_HEADERS if h != "DEC"]
    with pytest.raises(FileRejected, match="no DEC column"):
        read_csv_tables([write_csv(tmp_path / "e.csv", headers, [])], year="2024-25")


def test_year_from_an_unnamed_file_without_dates(tmp_path):
    path = write_csv(
        tmp_path / "h.csv", HEADER_HEADERS, [["1", "M", "01/01/2010", "WBRI", "A", "", ""]]
    )
    result = read_csv_tables([path])
    assert result.year == "" and issues(result, code="year-unknown")
    assert result.tables["child"][0]["sex"] == "M"  # read with the latest spec


# -- XML ------------------------------------------------------------------------

GOOD_CHILD = (
    "<CHILD><HEADER><CHILDID>1</CHILDID><UPN>A</UPN><SEX>1</SEX><DOB>01/01/2010</DOB><ETHNIC>WBRI</ETHNIC>"
    "<UASC/></HEADER><EPISODE><DECOM>01/05/2019</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>"
    "<DEC/><REC/></EPISODE></CHILD>"
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<EXPSSDA903><CHILD><HEADER><CHILDID>&lol9;</CHILDID></HEADER></CHILD></EXPSSDA903>
"""


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (("<?xml version='1.0'?><EXPSSDA903>" + GOOD_CHILD * 3)[:-40].encode(), "truncated"),
        (BILLION_LAUGHS.encode(), "DTD"),
        # the DTD pushed past the byte pre-check by a long comment
        (
            b"<?xml version='1.0'?><!--"
            + b"x" * 70_000
            + b"-->"
            + BILLION_LAUGHS.split("?>", 1)[1].encode(),
            "DTD",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.invalid/x.dtd"><EXPSSDA903/>',
            "DTD",
        ),
        (b"<Message><Header/></Message>", "root element is 'Message'"),
        (b"\x00\x01\x02binary junk\xff\xfe", "not well-formed"),
        (b"CHILD,DECOM\n1,01/01/2020\n", "not well-formed"),
    ],
    ids=[
        "empty",
        "blank",
        "truncated",
        "billion-laughs",
        "late-dtd",
        "external-dtd",
        "wrong-root",
        "binary",
        "csv",
    ],
)
def test_unusable_xml_is_rejected(tmp_path, content, reason):
    path = tmp_path / "903.xml"
    path.write_bytes(content)
    with pytest.raises(FileRejected) as info:
        read_xml(path, year="2019-20")
    assert reason in info.value.reason


def test_xml_problems_are_located_by_line(tmp_path):
    path = tmp_path / "903.xml"
    bad = GOOD_CHILD.replace("<DECOM>01/05/2019</DECOM>", "<DECOM>yesterday</DECOM>")
    path.write_text(
        "<?xml version='1.0'?>\n<EXPSSDA903>\n" + GOOD_CHILD + "\n" + bad + "\n</EXPSSDA903>\n"
    )
    result = read_xml(path, year="2019-20")
    assert result.counts["cla_episode"] == 1 and result.quarantined["cla_episode"] == 1
    (error,) = result.errors
    assert error.location.table == "EPISODE" and error.location.row == 4
    assert error.message.startswith("line 4 (CHILD no. 2)")


def test_xml_memory_stays_flat_for_many_children(tmp_path):
    path = tmp_path / "big.xml"
    with open(path, "w") as handle:
        handle.write("<?xml version='1.0'?><EXPSSDA903>\n")
        for i in range(60_000):
            handle.write(GOOD_CHILD.replace("<CHILDID>1<", f"<CHILDID>{i}<") + "\n")
        handle.write("</EXPSSDA903>\n")
    sink = CountingSink()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = read_xml(path, year="2019-20", sink=sink)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert sink.counts == {"child": 60_000, "cla_episode": 60_000}
    assert result.counts["child"] == 60_000
    assert grown_kb < 60_000, (
        f"{path.stat().st_size // 1_000_000} MB file grew memory by {grown_kb} kB"
    )


# -- property tests ------------------------------------------------------------------

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "01/02/2020",
            "1/2/20",
            "2020-02-01",
            "45000",
            "31/02/2020",
            "U1",
            "p2",
            "Z11",
            "1",
            "0",
            "M",
            "yes",
            "SW1",
            "zz/zz/2010",
            "AB1 2CD",
            "ab12cd",
            "12.0",
        ]
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    year=st.sampled_from(["2017-18", "2023-24", "2025-26"]),
    table=st.sampled_from(
        [
            "Header",
            "Episodes",
            "Reviews",
            "UASC",
            "OC2",
            "OC3",
            "AD1",
            "PlacedAdoption",
            "PrevPerm",
            "Missing",
        ]
    ),
    data=st.data(),
)
def test_row_parser_never_raises(year, table, data):
    spec = load_spec(year)
    tspec = spec.tables[table]
    raw = {c: data.draw(cells) for c in tspec.csv_columns}
    log = IssueLog("f.csv")
    row = RowParser(spec, tspec, log).parse(raw, 2)
    if row is None:
        assert any(i.severity.value == "error" for i in log.issues)
    else:
        assert set(row) == set(tspec.fields()) | ({"asylum_seeker"} if table == "Header" else set())
        assert all(i.severity.value != "error" for i in log.issues)
        for col in tspec.columns.values():
            if col.type == "date" and col.field:
                assert row[col.field] is None or isinstance(row[col.field], dt.date)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=400))
def test_random_bytes_as_csv_are_read_or_rejected(tmp_path, body):
    path = tmp_path / "episodes.csv"
    path.write_bytes(",".join(EPISODE_HEADERS).encode() + b"\n" + body)
    try:
        result = read_csv_tables([path], year="2024-25")
    except FileRejected as exc:
        assert exc.reason
    else:
        assert (
            result.counts["cla_episode"] + result.quarantined["cla_episode"]
            == result.source_rows["Episodes"]
        )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(alphabet=string.printable, max_size=300))
def test_random_text_as_xml_is_read_or_rejected(tmp_path, body):
    path = tmp_path / "903.xml"
    path.write_text("<EXPSSDA903>" + GOOD_CHILD + body)
    try:
        read_xml(path, year="2019-20")
    except FileRejected as exc:
        assert exc.reason


# -- a large file (slow: see the root conftest) ------------------------------------------------


@pytest.mark.slow
def test_fifty_megabytes_of_episodes_stream(tmp_path):
    path = tmp_path / "episodes_2024_25.csv"
    line = ",".join(episode(decom="01/05/2024", dec="02/06/2024", rec="E11")) + "\n"
    rows = 50_000_000 // len(line)
    with open(path, "w") as handle:
        handle.write(",".join(EPISODE_HEADERS) + "\n")
        for i in range(rows):
            handle.write(f"{i}{line[1:]}")
    sink = CountingSink()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = read_csv_tables([path], sink=sink)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert result.year == "2024-25"
    assert sink.counts["cla_episode"] == rows and not result.errors
    assert grown_kb < 100_000

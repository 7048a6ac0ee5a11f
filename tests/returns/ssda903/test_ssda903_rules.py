"""Year rules: SEX coding, P2/H5 after 28 October 2023, K3, Z11-Z14, new tables."""

from __future__ import annotations

import datetime as dt

import pytest
from ssda903_testkit import EPISODE_HEADERS, HEADER_HEADERS, episode, issues, write_csv

from csc_scorecard.returns.ssda903 import read_csv_tables, read_xml


def read_episodes(tmp_path, rows, year):
    return read_csv_tables([write_csv(tmp_path / "episodes.csv", EPISODE_HEADERS, rows)], year=year)


@pytest.mark.parametrize(
    "year, given, stored, warned",
    [
        ("2023-24", "1", "M", False),
        ("2023-24", "2", "F", False),
        ("2023-24", "M", "M", True),  # the new coding a year early
        ("2024-25", "M", "M", False),
        ("2024-25", "u", "U", False),
        ("2024-25", "1", "M", True),  # the old coding a year late
        ("2025-26", "2", "F", True),
        ("2017-18", "U", "U", True),  # valid only in later years: kept, warned
    ],
)
def test_sex_coding(tmp_path, year, given, stored, warned):
    path = write_csv(
        tmp_path / "header.csv",
        HEADER_HEADERS,
        [["7", given, "01/02/2010", "WBRI", "A123", "", ""]],
    )
    result = read_csv_tables([path], year=year)
    assert result.tables["child"][0]["sex"] == stored
    sex_issues = issues(result, column="SEX")
    assert bool(sex_issues) == warned
    assert all(i.severity.value == "warning" for i in sex_issues)


def test_sex_nonsense_is_a_warning_and_blank(tmp_path):
    path = write_csv(
        tmp_path / "header.csv", HEADER_HEADERS, [["7", "X", "01/02/2010", "WBRI", "A1", "", ""]]
    )
    result = read_csv_tables([path], year="2024-25")
    assert result.tables["child"][0]["sex"] == ""
    (issue,) = issues(result, column="SEX")
    assert issue.code == "bad-code" and issue.expected == "M, F, U"


@pytest.mark.parametrize("place", ["P2", "H5"])
def test_p2_and_h5_after_28_october_2023(tmp_path, place):
    rows = [
        episode(child="1", decom="27/10/2023", place=place),
        episode(child="2", decom="28/10/2023", place=place),
        episode(child="3", decom="15/01/2024", place=place.lower()),
    ]
    result = read_episodes(tmp_path, rows, "2023-24")
    assert result.counts["cla_episode"] == 3  # kept, not quarantined
    ended = issues(result, code="code-ended")
    assert [i.location.row for i in ended] == [3, 4]
    issue = ended[0]
    assert issue.severity.value == "warning" and issue.location.column == "PLACE"
    assert "28/10/2023" in issue.message
    valid = issue.expected.split(", ")
    assert "K3" in valid and "P2" not in valid and "H5" not in valid and "U1" in valid
    assert [r["placement"] for r in result.tables["cla_episode"]] == [place] * 3


def test_p2_in_2024_25_is_a_warning_naming_its_years(tmp_path):
    result = read_episodes(tmp_path, [episode(decom="01/06/2022", place="P2")], "2024-25")
    (issue,) = issues(result, column="PLACE")
    assert issue.code == "code-not-this-year" and issue.severity.value == "warning"
    assert "2017-18 to 2023-24" in issue.message
    assert result.tables["cla_episode"][0]["placement"] == "P2"


def test_k3(tmp_path):
    before = read_episodes(tmp_path, [episode(decom="01/06/2022", place="K3")], "2022-23")
    assert issues(before, code="code-not-this-year", column="PLACE")
    after = read_episodes(tmp_path, [episode(decom="01/11/2023", place="K3")], "2023-24")
    assert not after.issues or not issues(after, column="PLACE")
    assert after.tables["cla_episode"][0]["placement"] == "K3"


def test_z1_split_in_2025_26(tmp_path):
    rows = [
        episode(child=str(i), decom="01/06/2025", place=p)
        for i, p in enumerate(["Z11", "Z12", "Z13", "Z14"])
    ]
    result = read_episodes(tmp_path, rows, "2025-26")
    assert not issues(result, column="PLACE")
    assert [r["placement"] for r in result.tables["cla_episode"]] == ["Z11", "Z12", "Z13", "Z14"]
    old = read_episodes(tmp_path, [episode(decom="01/06/2025", place="Z1")], "2025-26")
    (issue,) = issues(old, column="PLACE")
    assert issue.code == "code-not-this-year" and "Z11" in issue.expected
    early = read_episodes(tmp_path, [episode(decom="01/06/2024", place="Z12")], "2024-25")
    assert issues(early, code="code-not-this-year", column="PLACE")


def test_unknown_placement_quarantines_the_episode(tmp_path):
    result = read_episodes(tmp_path, [episode(place="Q9"), episode(child="2")], "2024-25")
    assert result.counts["cla_episode"] == 1 and result.quarantined["cla_episode"] == 1
    (issue,) = result.errors
    assert issue.location.row == 2 and issue.code == "bad-code" and "U1" in issue.expected


def test_bad_decom_quarantines_and_bad_cin_is_a_warning(tmp_path):
    rows = [
        episode(child="1", decom="31/02/2024"),
        episode(child="2", cin="N9"),
        episode(child="3", decom=""),
    ]
    result = read_episodes(tmp_path, rows, "2024-25")
    assert result.quarantined["cla_episode"] == 2
    assert [r["child_id"] for r in result.tables["cla_episode"]] == ["2"]
    assert result.tables["cla_episode"][0]["cin_category"] == ""
    codes = sorted(
        (i.severity.value, i.code, i.location.column, i.location.row) for i in result.issues
    )
    assert ("error", "bad-date", "DECOM", 2) in codes
    assert ("error", "missing-value", "DECOM", 4) in codes
    assert ("warning", "bad-code", "CIN", 3) in codes


def test_sw_episodes_and_dolo_only_from_their_year(tmp_path):
    sw = write_csv(
        tmp_path / "sw.csv",
        ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
        [
            ["9", "01/01/2010", "SW12", "01/04/2023", "02/05/2023", "MANAGE"],
            ["9", "01/01/2010", "SW13", "02/05/2023", "", "SWLAZY"],
        ],
    )
    dolo = write_csv(
        tmp_path / "dolo.csv",
        ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
        [["9", "01/01/2010", "01/05/2025", "01/08/2025"]],
    )
    early = read_csv_tables([sw, dolo], year="2022-23")
    assert not early.counts
    assert {i.location.table for i in issues(early, code="table-not-this-year")} == {
        "SWEpisodes",
        "DoLo",
    }
    mid = read_csv_tables([sw, dolo], year="2023-24")
    assert mid.counts["social_worker_episode"] == 2 and "deprivation_of_liberty" not in mid.counts
    first, second = mid.tables["social_worker_episode"]
    assert (
        first["worker_id"] == "SW12"
        and first["reason"] == "MANAGE"
        and first["end_date"] == dt.date(2023, 5, 2)
    )
    assert second["reason"] == "" and issues(mid, code="bad-code", column="SW_REASON")
    late = read_csv_tables([sw, dolo], year="2025-26")
    assert late.tables["deprivation_of_liberty"][0]["start_date"] == dt.date(2025, 5, 1)


def test_xml_new_groups_by_spec_name_or_by_their_items(tmp_path):
    xml = tmp_path / "903.xml"
    xml.write_text(
        "<?xml version='1.0'?>\n<EXPSSDA903>\n<CHILD><HEADER><CHILDID>5</CHILDID><UPN>A1</UPN><SEX>M</SEX>"
        "<DOB>01/01/2012</DOB><ETHNIC>WBRI</ETHNIC><UASC>0</UASC></HEADER>\n"
        "<EPISODE><DECOM>01/05/2025</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>Z12</PL>"
        "<PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC/><REC/></EPISODE>\n"
        "<SW_EPISODE><SW_ID>SW1</SW_ID><SW_DECOM>01/04/2025</SW_DECOM><SW_DEC/><SW_REASON/></SW_EPISODE>\n"
        "<DEPRIVATION><DOLO_START>02/05/2025</DOLO_START><DOLO_END/></DEPRIVATION>\n"
        "<MYSTERY><A>1</A></MYSTERY>\n"
        "</CHILD></EXPSSDA903>\n"
    )
    result = read_xml(xml, year="2025-26")
    assert result.row_counts == {
        "child": 1,
        "cla_episode": 1,
        "deprivation_of_liberty": 1,
        "social_worker_episode": 1,
    }
    assert result.tables["child"][0]["asylum_seeker"] is False
    assert result.tables["deprivation_of_liberty"][0]["birth_date"] == dt.date(2012, 1, 1)
    assert result.tables["cla_episode"][0]["source_row"] == 4  # its source line
    notes = [i.message for i in result.issues if i.code == "extra-element"]
    assert any("DEPRIVATION read as the DoLo table" in m for m in notes)
    assert any("MYSTERY" in m for m in notes)

"""The readers against the shared fixture folders, counted independently."""

from __future__ import annotations

import csv
import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ssda903_testkit import FIXTURES, SYNTH, VALIDATOR, csv_data_rows, issues

from csc_scorecard.returns.ssda903 import read_csv_tables, read_xml

pytestmark = pytest.mark.skipif(not FIXTURES.exists(), reason="shared fixtures not present")

# file name in the fixture folders -> (903 table, canonical table)
CSV_FILES = {
    "header.csv": ("Header", "child"),
    "episodes.csv": ("Episodes", "cla_episode"),
    "reviews.csv": ("Reviews", "cla_review"),
    "uasc.csv": ("UASC", "uasc"),
    "oc2.csv": ("OC2", "health_outcome"),
    "oc3.csv": ("OC3", "care_leaver"),
    "ad1.csv": ("AD1", "adoption"),
    "placed_for_adoption.csv": ("PlacedAdoption", "placed_for_adoption"),
    "previous_permanence.csv": ("PrevPerm", "previous_permanence"),
    "missing.csv": ("Missing", "missing_episode"),
}


@pytest.fixture(scope="module")
def validator_csv():
    return read_csv_tables(sorted(VALIDATOR.glob("*.csv")))


@pytest.fixture(scope="module")
def synth_csv():
    return read_csv_tables(sorted(SYNTH.glob("*.csv")))


@pytest.fixture(scope="module")
def validator_xml():
    return read_xml(VALIDATOR / "fake_903.xml")


@pytest.fixture(scope="module")
def synth_xml():
    return read_xml(SYNTH / "fake_903.xml")


@pytest.mark.parametrize("folder", [VALIDATOR, SYNTH], ids=lambda p: p.name)
def test_csv_row_counts_match_an_independent_count(folder, validator_csv, synth_csv):
    result = validator_csv if folder == VALIDATOR else synth_csv
    for name, (table, canonical) in CSV_FILES.items():
        expected = csv_data_rows(folder / name)
        assert result.source_rows[table] == expected, name
        assert result.counts[canonical] + result.quarantined[canonical] == expected, name
    assert not result.errors


def test_csv_year_comes_from_the_folder_name(validator_csv, synth_csv):
    assert validator_csv.year == "2017-18"
    assert synth_csv.year == "2019-20"
    assert any(i.code == "year-inferred" and "name" in i.message for i in validator_csv.issues)


def test_validator_csv_values(validator_csv):
    child = next(r for r in validator_csv.tables["child"] if r["child_id"] == "566910")
    assert child["sex"] == "F"
    assert child["birth_date"] == dt.date(2008, 3, 27)
    assert child["ethnicity"] == "WROM"
    assert child["upn"] == "D051910639385"
    assert child["mother"] is None
    assert child["source_row"] == 2
    episodes = [r for r in validator_csv.tables["cla_episode"] if r["child_id"] == "566910"]
    first = min(episodes, key=lambda r: r["start_date"])
    assert first["start_date"] == dt.date(2016, 2, 15)
    assert (first["reason_new_episode"], first["legal_status"], first["cin_category"]) == (
        "L",
        "C2",
        "N3",
    )
    assert (first["placement"], first["provider"]) == ("T2", "PR0")
    assert first["end_date"] == dt.date(2017, 8, 14)
    assert (first["reason_ceased"], first["reason_place_change"]) == ("X1", "CLOSE")
    assert first["home_postcode"] == "" and first["urn"] == "4244474"
    second = max(episodes, key=lambda r: r["start_date"])
    assert second["end_date"] is None
    assert second["placement_postcode"] == "WV27 9FW"


def test_validator_csv_reports_later_codes_and_skips_tables_of_later_years(validator_csv):
    # The fake 2017-18 data already uses the 2018-19 REC codes (E45-E48) and CUSTOD.
    later = issues(validator_csv, code="code-not-this-year", column="REC")
    assert later and all(i.severity.value == "warning" for i in later)
    assert "2018-19" in later[0].message
    # sw_episodes.csv and DoLo.csv are recognised but not part of a 2017-18 return.
    skipped = {i.location.table for i in issues(validator_csv, code="table-not-this-year")}
    assert skipped == {"SWEpisodes", "DoLo"}
    assert "social_worker_episode" not in validator_csv.counts
    # REASON_PLACED_CEASED is XXX throughout: a warning, stored blank, row kept.
    bad = issues(validator_csv, code="bad-code", column="REASON_PLACED_CEASED")
    assert len(bad) == csv_data_rows(VALIDATOR / "placed_for_adoption.csv")
    assert all(r["reason_ceased"] == "" for r in validator_csv.tables["placed_for_adoption"])


def test_synth_two_digit_years_are_read_with_a_warning(synth_csv):
    two_digit = re.compile(r"^\d{1,2}/\d{1,2}/\d{2}$")
    expected = []
    with open(SYNTH / "episodes.csv", encoding="utf-8-sig", newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            for column in ("DECOM", "DEC"):
                if two_digit.match(row[column].strip()):
                    expected.append((row_number, column))
    assert expected, "the fixture is expected to hold two-digit years"
    warned = [
        (i.location.row, i.location.column)
        for i in issues(synth_csv, code="two-digit-year")
        if i.location.file == "episodes.csv"
    ]
    assert sorted(warned) == sorted(expected)
    # 616138 left care on 03/06/19: read against the 2019-20 pivot as 2019.
    ep = next(
        r
        for r in synth_csv.tables["cla_episode"]
        if r["child_id"] == "616138" and r["start_date"] == dt.date(2018, 7, 10)
    )
    assert ep["end_date"] == dt.date(2019, 6, 3)
    assert ep["reason_ceased"] == "E4A"
    assert all(i.severity.value == "warning" for i in issues(synth_csv, code="two-digit-year"))


def test_synth_csv_values(synth_csv):
    oc2 = next(r for r in synth_csv.tables["health_outcome"] if r["child_id"] == "616138")
    assert oc2["sdq_score"] == 29 and oc2["sdq_reason"] == ""
    assert (oc2["convicted"], oc2["immunisations"]) == (False, True)
    uasc = synth_csv.tables["uasc"][0]
    assert uasc["child_id"] == "344329" and uasc["sex"] == "F"
    assert uasc["ceased_uasc_date"] == dt.date(2024, 8, 18)
    uasc_ids = {r["child_id"] for r in synth_csv.tables["uasc"]}
    flagged = {r["child_id"] for r in synth_csv.tables["child"] if r["asylum_seeker"]}
    assert flagged == uasc_ids & {r["child_id"] for r in synth_csv.tables["child"]}


# -- XML -------------------------------------------------------------------------

AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")


def _given(text: str | None) -> bool:
    return bool(text and text.strip() and text.strip() != "0")


def count_xml(path: Path) -> dict[str, int]:
    """Rows per 903 table, counted with the standard library's parser."""
    root = ET.parse(path).getroot()
    counts = dict.fromkeys(
        [
            "Header",
            "Episodes",
            "Reviews",
            "Missing",
            "OC2",
            "PrevPerm",
            "PlacedAdoption",
            "UASC",
            "AD1",
            "OC3",
        ],
        0,
    )
    for child in root.findall("CHILD"):
        header = child.find("HEADER")
        counts["Header"] += 1
        counts["Episodes"] += len(child.findall("EPISODE"))
        counts["Reviews"] += len(header.findall("AREVIEW"))
        counts["Missing"] += len(header.findall("AMISSING"))
        counts["PlacedAdoption"] += len(header.findall("AD_PLACED"))
        counts["OC2"] += sum(
            1 for e in header.findall("OC2") if any((c.text or "").strip() for c in e)
        )
        counts["PrevPerm"] += sum(
            1 for e in header.findall("PERMANENCE") if any((c.text or "").strip() for c in e)
        )
        counts["UASC"] += _given(header.findtext("UASC")) or _given(header.findtext("DUC"))
        counts["AD1"] += any(_given(header.findtext(t)) for t in AD1_ITEMS)
        counts["OC3"] += any(_given(header.findtext(t)) for t in OC3_ITEMS)
    return {k: v for k, v in counts.items() if v}


@pytest.mark.parametrize("folder", [VALIDATOR, SYNTH], ids=lambda p: p.name)
def test_xml_row_counts_match_an_independent_count(folder, validator_xml, synth_xml):
    result = validator_xml if folder == VALIDATOR else synth_xml
    expected = count_xml(folder / "fake_903.xml")
    assert result.source_rows == expected
    canonical = {table: canon for table, canon in CSV_FILES.values()}
    for table, n in expected.items():
        assert result.counts[canonical[table]] + result.quarantined[canonical[table]] == n
    assert not result.errors


def test_validator_xml_values(validator_xml):
    assert validator_xml.year == "2017-18"
    child = next(r for r in validator_xml.tables["child"] if r["child_id"] == "907440")
    assert (child["sex"], child["birth_date"], child["ethnicity"]) == (
        "F",
        dt.date(2010, 7, 28),
        "BAFR",
    )
    assert child["asylum_seeker"] is None
    oc2 = next(r for r in validator_xml.tables["health_outcome"] if r["child_id"] == "907440")
    assert oc2["sdq_score"] == 21 and oc2["convicted"] is True and oc2["health_assessment"] is False
    assert oc2["birth_date"] == dt.date(2010, 7, 28)  # carried from HEADER
    episodes = sorted(
        (r for r in validator_xml.tables["cla_episode"] if r["child_id"] == "907440"),
        key=lambda r: r["start_date"],
    )
    assert [e["placement"] for e in episodes] == ["R5", "P2"]  # PL in the XML
    assert episodes[0]["reason_place_change"] == "CUSTOD"
    assert episodes[1]["end_date"] == dt.date(2018, 3, 7) and episodes[1]["reason_ceased"] == "E11"
    reviews = [r for r in validator_xml.tables["cla_review"] if r["child_id"] == "907440"]
    assert [(r["review_date"], r["review_code"]) for r in reviews] == [
        (dt.date(2015, 9, 27), "PN0"),
        (dt.date(2016, 7, 14), "PN1"),
    ]
    adoption = next(r for r in validator_xml.tables["adoption"] if r["child_id"] == "187856")
    assert adoption["decision_date"] == dt.date(2015, 5, 3)
    assert (
        adoption["number_of_adopters"],
        adoption["sex_of_adopters"],
        adoption["foster_care"],
    ) == (1, "MM", False)
    # Issues name the element and its line.
    later = issues(validator_xml, code="code-not-this-year")
    assert later and later[0].location.table == "EPISODE"
    assert later[0].location.row is not None and later[0].message.startswith("line ")


def test_xml_year_inferred_from_content_when_the_name_is_silent(tmp_path):
    copy = tmp_path / "export.xml"
    copy.write_bytes((VALIDATOR / "fake_903.xml").read_bytes())
    result = read_xml(copy)
    assert result.year == "2017-18"
    note = next(i for i in result.issues if i.code == "year-inferred")
    assert note.severity.value == "info" and "DEC" in note.message


def test_synth_xml_is_a_2017_18_data_set_in_a_2019_20_folder(synth_xml, tmp_path):
    # The synthesiser's XML carries 2017-18 dates although its folder says 2019-20:
    # the year from the name is used, with a warning that the content disagrees.
    assert synth_xml.year == "2019-20"
    mismatch = issues(synth_xml, code="year-mismatch")
    assert len(mismatch) == 1 and "2017-18" in mismatch[0].message
    copy = tmp_path / "export.xml"
    copy.write_bytes((SYNTH / "fake_903.xml").read_bytes())
    assert read_xml(copy).year == "2017-18"


def test_csv_year_inferred_from_content_when_names_are_silent(tmp_path):
    for name in ("episodes.csv", "header.csv"):
        (tmp_path / name).write_bytes((VALIDATOR / name).read_bytes())
    result = read_csv_tables([tmp_path / "episodes.csv", tmp_path / "header.csv"])
    assert result.year == "2017-18"
    assert any(i.code == "year-inferred" and "inferred" in i.message for i in result.issues)


# -- the same children through CSV and XML ----------------------------------------------

CSV_LAYOUT = {
    "header.csv": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes.csv": [
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
    ],
    "reviews.csv": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "uasc.csv": ["CHILD", "SEX", "DOB", "DUC"],
    "oc2.csv": [
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ],
    "oc3.csv": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    "ad1.csv": [
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ],
    "placed_for_adoption.csv": [
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ],
    "previous_permanence.csv": ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    "missing.csv": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
}
GROUPS = {
    "reviews.csv": "AREVIEW",
    "placed_for_adoption.csv": "AD_PLACED",
    "previous_permanence.csv": "PERMANENCE",
    "missing.csv": "AMISSING",
    "oc2.csv": "OC2",
}


def xml_to_csvs(xml_path: Path, folder: Path) -> list[Path]:
    """The XML rewritten as the DfE's CSV files, independently of the reader."""
    rows: dict[str, list[list[str]]] = {name: [] for name in CSV_LAYOUT}
    for child in ET.parse(xml_path).getroot().findall("CHILD"):
        header = child.find("HEADER")
        base = {
            "CHILD": header.findtext("CHILDID"),
            "DOB": header.findtext("DOB"),
            "SEX": header.findtext("SEX"),
        }
        flat = {**{c.tag: c.text or "" for c in header if len(c) == 0}, **base}
        rows["header.csv"].append([flat.get(c, "") or "" for c in CSV_LAYOUT["header.csv"]])
        for ep in child.findall("EPISODE"):
            values = {c.tag: c.text or "" for c in ep}
            values["PLACE"] = values.get("PL", "")
            rows["episodes.csv"].append(
                [
                    base["CHILD"] if c == "CHILD" else values.get(c, "")
                    for c in CSV_LAYOUT["episodes.csv"]
                ]
            )
        for name, tag in GROUPS.items():
            for group in header.findall(tag):
                values = {**{c.tag: c.text or "" for c in group}, **base}
                if any(v.strip() for k, v in values.items() if k not in base):
                    rows[name].append([values.get(c, "") for c in CSV_LAYOUT[name]])
        if _given(flat.get("UASC")) or _given(flat.get("DUC")):
            rows["uasc.csv"].append([flat.get(c, "") for c in CSV_LAYOUT["uasc.csv"]])
        if any(_given(flat.get(t)) for t in AD1_ITEMS):
            rows["ad1.csv"].append([flat.get(c, "") for c in CSV_LAYOUT["ad1.csv"]])
        if any(_given(flat.get(t)) for t in OC3_ITEMS):
            rows["oc3.csv"].append([flat.get(c, "") for c in CSV_LAYOUT["oc3.csv"]])
    paths = []
    for name, data in rows.items():
        path = folder / name
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_LAYOUT[name])
            writer.writerows(data)
        paths.append(path)
    return paths


def _comparable(rows: list[dict], drop=("source_row", "asylum_seeker")) -> list[tuple]:
    return sorted(tuple(sorted((k, str(v)) for k, v in r.items() if k not in drop)) for r in rows)


def test_csv_and_xml_of_the_validator_data_give_the_same_children(tmp_path, validator_xml):
    # The fixture's CSVs and XML hold different fake children (see the report), so the
    # XML is rewritten as CSVs here and both forms read.
    paths = xml_to_csvs(VALIDATOR / "fake_903.xml", tmp_path)
    from_csv = read_csv_tables(paths, year="2017-18")
    assert from_csv.row_counts == validator_xml.row_counts
    for table in validator_xml.row_counts:
        assert _comparable(from_csv.tables[table]) == _comparable(validator_xml.tables[table]), (
            table
        )
    # The UASC flag: from membership of the UASC file (CSV) or the UASC item (XML).
    csv_flag = {r["child_id"] for r in from_csv.tables["child"] if r["asylum_seeker"]}
    xml_flag = {r["child_id"] for r in validator_xml.tables["child"] if r["asylum_seeker"]}
    assert csv_flag == xml_flag and len(xml_flag) == 12

    # Same problems found, whichever form.
    def kinds(result):
        return sorted(
            (i.code, i.location.column, i.location.value) for i in result.issues if i.code != "year-inferred"
        )

    assert kinds(from_csv) == kinds(validator_xml)

"""Every written return is valid: CIN census against the year's DfE XSD, the 903
XML against CLA.xsd, 903 CSV headers and codes against the year's column spec."""

from __future__ import annotations

import csv
import re

import pytest
from lxml import etree
from spec903 import FILE_TO_TABLE, codes, spec_for_year

from csc_scorecard.synth.calendar import parse_year

UK_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _years(council_dir):
    return sorted(p.name for p in council_dir.iterdir() if p.is_dir())


def test_every_cin_census_validates_against_its_years_xsd(all_years_council, specs):
    council_dir, _ = all_years_council
    years = _years(council_dir)
    assert years == [f"{y}-{(y + 1) % 100:02d}" for y in range(2016, 2026)]
    for label in years:
        end = parse_year(label)
        xsd = specs / "cin_census_xsd" / f"CIN_schema_{end}.xsd"
        schema = etree.XMLSchema(etree.parse(str(xsd)))
        doc = etree.parse(str(council_dir / label / "cin_census.xml"))
        assert schema.validate(doc), f"{label}: {schema.error_log.last_error}"
        # the collection the file says it is
        assert doc.findtext("Header/CollectionDetails/Year") == str(end)
        assert doc.findtext("Header/CollectionDetails/ReferenceDate") == f"{end}-03-31"
        assert doc.findtext("Header/Source/LEA") == "997"
        n_children = len(doc.findall("Children/Child"))
        assert n_children > 50
        # GenderCurrent up to 2023-24, Sex from 2024-25 (as each XSD requires)
        sexes = {e.text for e in doc.iterfind("Children/Child/ChildIdentifiers/Sex")}
        genders = {e.text for e in doc.iterfind("Children/Child/ChildIdentifiers/GenderCurrent")}
        if end >= 2025:
            assert sexes == {"M", "F"} and not genders
        else:
            assert genders == {"1", "2"} and not sexes
        has_plans = doc.find(".//CINPlanDates") is not None
        assert has_plans == (end >= 2022), label


def test_cin_census_also_validates_with_xmlschema(small_council, specs):
    import xmlschema

    council_dir, _ = small_council
    schema = xmlschema.XMLSchema(str(specs / "cin_census_xsd" / "CIN_schema_2025.xsd"))
    schema.validate(str(council_dir / "2024-25" / "cin_census.xml"))


def test_903_xml_validates_against_cla_xsd(all_years_council, specs):
    council_dir, _ = all_years_council
    schema = etree.XMLSchema(etree.parse(str(specs / "ssda903" / "CLA.xsd")))
    for label in _years(council_dir):
        doc = etree.parse(str(council_dir / label / "ssda903_xml" / "ssda903.xml"))
        assert doc.getroot().tag == "EXPSSDA903"
        ok = schema.validate(doc)
        if parse_year(label) >= 2026:
            # CLA.xsd (2021) limits PL to two characters; 2025-26 uses Z11-Z14
            bad = [e for e in schema.error_log if "'PL'" not in e.message or "Z1" not in e.message]
            assert not bad, bad[0].message
        else:
            assert ok, f"{label}: {schema.error_log.last_error}"
        # the XML holds the same children and episodes as the CSVs
        with open(council_dir / label / "ssda903" / "header.csv", encoding="utf-8") as fh:
            header_ids = [r["CHILD"] for r in csv.DictReader(fh)]
        assert [e.text for e in doc.iterfind("CHILD/HEADER/CHILDID")] == header_ids
        with open(council_dir / label / "ssda903" / "episodes.csv", encoding="utf-8") as fh:
            n_eps = sum(1 for _ in csv.DictReader(fh))
        assert len(doc.findall("CHILD/EPISODE")) == n_eps


# PL_DISTANCE: blank or miles to one decimal (0 to 999.9, rule 164); PL_LA: blank, a 3-digit
# code or an ONS code (rule 169)
DERIVED_903 = {
    "PL_DISTANCE": re.compile(r"^(|\d{1,3}\.\d)$"),
    "PL_LA": re.compile(r"^(|\d{3}|E\d{8})$"),
}


def test_903_csv_headers_and_codes_match_the_years_spec(all_years_council, specs):
    council_dir, _ = all_years_council
    spec_dir = specs / "ssda903"
    for label in _years(council_dir):
        end = parse_year(label)
        cmap = spec_for_year(spec_dir, end)
        ydir = council_dir / label / "ssda903"
        written = {p.name for p in ydir.glob("*.csv")}
        expected = {f for f, t in FILE_TO_TABLE.items() if t in cmap}
        assert written == expected, label
        for fname in sorted(written):
            table = FILE_TO_TABLE[fname]
            with open(ydir / fname, encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader)
                rows = list(reader)
            # the episodes end with the two columns DfE derives from the postcodes, as council
            # exports carry them (not in DfE's column spec)
            derived = list(DERIVED_903) if table == "episodes" else []
            assert header == list(cmap[table]) + derived, f"{label} {fname}"
            for col_i, col in enumerate(header):
                if col in DERIVED_903:
                    for row_i, row in enumerate(rows, start=2):
                        assert DERIVED_903[col].match(row[col_i]), f"{label} row {row_i} {col}"
                    continue
                spec = cmap[table][col]
                allowed = codes(spec)
                for row_i, row in enumerate(rows, start=2):
                    value = row[col_i]
                    if value == "":
                        assert spec.get("canbeblank"), f"{label} {fname} row {row_i} {col} blank"
                        continue
                    if "date" in spec:
                        assert UK_DATE.match(value), f"{label} {fname} row {row_i} {col}={value}"
                    if allowed is not None:
                        ok = value in allowed
                        if not ok and table == "episodes" and col == "PLACE" and value == "K3":
                            # K3 is used from 28 October 2023 (in 2023-24), a year
                            # before the column spec lists it
                            ok = end == 2024
                        assert ok, f"{label} {fname} row {row_i} {col}={value!r}"


def test_year_aware_codes(all_years_council):
    council_dir, _ = all_years_council

    def rows(label, fname):
        with open(council_dir / label / "ssda903" / fname, encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    assert {r["SEX"] for r in rows("2023-24", "header.csv")} == {"1", "2"}
    assert {r["SEX"] for r in rows("2024-25", "header.csv")} == {"M", "F"}
    cutoff = (2023, 10, 28)
    for label in _years(council_dir):
        for r in rows(label, "episodes.csv"):
            d, m, y = (int(x) for x in r["DECOM"].split("/"))
            if r["PLACE"] in ("P2", "H5"):
                assert (y, m, d) < cutoff, r
                # no P2/H5 placement stays open past the change
                assert r["DEC"] or parse_year(label) < 2024, r
            if r["PLACE"] == "K3":
                assert (y, m, d) >= cutoff, r
            if parse_year(label) >= 2026:
                assert r["PLACE"] != "Z1"
            else:
                assert r["PLACE"] not in ("Z11", "Z12", "Z13", "Z14")
    k3 = [r for r in rows("2024-25", "episodes.csv") if r["PLACE"] == "K3"]
    assert k3, "K3 placements expected after 28 October 2023"


@pytest.mark.parametrize("label", ["2021-22", "2024-25"])
def test_annex_a_workbook_lists_and_headers(small_council, label):
    import openpyxl
    import yaml

    from csc_scorecard.synth.write_annex_a import HEADERS

    council_dir, _ = small_council
    schema = None
    from conftest import SPECS

    if (SPECS / "annex_a" / "Annex_A_schema.yml").is_file():
        schema = yaml.safe_load((SPECS / "annex_a" / "Annex_A_schema.yml").read_text())[
            "column_map"
        ]
    wb = openpyxl.load_workbook(council_dir / label / "annex_a.xlsx", read_only=True)
    assert wb.sheetnames == [f"List {i}" for i in range(1, 10)]
    for i in range(1, 10):
        ws = wb[f"List {i}"]
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == list(HEADERS[i])
        assert len(rows) > 1, f"List {i} is empty"
        if schema is not None:
            spec_cols = list(schema[f"list_{i}"])
            assert list(rows[0]) == spec_cols, f"List {i} headings differ from Ofsted's"
        if i >= 3:
            assert "Allocated Team" in rows[0] and "Allocated Worker" in rows[0]
        genders = {r[1] for r in rows[1:]}
        assert genders <= {"a) Male", "b) Female"}
        assert all(re.match(r"^[a-t]\) [A-Z]{4}$", r[2]) for r in rows[1:])
    # lettered values for categories; every source carries its code (5D, which
    # Ofsted's letters do not cover, without a letter)
    list3 = list(wb["List 3"].iter_rows(values_only=True))
    assert {r[7] for r in list3[1:]} <= {"a) Yes", "b) No"}
    assert all(re.match(r"^([a-u]\) )?\w+: ", r[6]) for r in list3[1:])

"""The census header: the collection year and the local authority.

The year comes from Header/CollectionDetails (Year, and the ReferenceDate,
which wins when it is a 31 March census date), unless one was given when
loading; it chooses the code lists the children are checked against and the
collection year their dates are checked against. The LA comes from
Header/Source/LEA unless one was given.
"""

from __future__ import annotations

from lxml import etree

from csc_scorecard.returns.cin_census.fields import FieldReader
from csc_scorecard.returns.cin_census.spec import (
    all_sex_values,
    spec_for,
    supported_years,
)
from csc_scorecard.returns.cin_census.structure import (
    kids_by_name,
)
from csc_scorecard.returns.cin_census.values import (
    ISO_EXPECTED,
    code_key,
    code_table,
    collection_period,
    read_date,
    year_ending_from_label,
    year_ending_of,
    year_label,
)
from csc_scorecard.returns.cleaning import clean_child_id, clean_text
from csc_scorecard.returns.issue_codes import Code


class HeaderReader(FieldReader):
    def _header(self, header: etree._Element) -> None:
        self.header_line = header.sourceline
        parts = kids_by_name(header)
        details = (
            kids_by_name(parts["CollectionDetails"][0]) if "CollectionDetails" in parts else {}
        )
        year_el = details.get("Year", [None])[0]
        ref_el = details.get("ReferenceDate", [None])[0]
        from_year = from_ref = None
        year_text = clean_text(year_el.text) if year_el is not None else ""
        ref_text = clean_text(ref_el.text) if ref_el is not None else ""
        if year_text:
            if year_text.isdigit() and len(year_text) == 4 and 2000 <= int(year_text) <= 2100:
                from_year = int(
                    year_text
                )  # "Year 2025" is the census of the year ending 31/03/2025
            else:
                self.log.warning(
                    "the header's collection Year is not a year; it was ignored",
                    table="Header",
                    row=year_el.sourceline,
                    column="Year",
                    value=year_text,
                    code=Code.BAD_YEAR,
                    expected="a four-digit year such as 2025",
                )
        ref_date = None
        if ref_text:
            parsed = read_date(ref_text)
            if parsed.ok and parsed.value is not None:
                ref_date = parsed.value
                from_ref = year_ending_of(ref_date)
            else:
                self.log.warning(
                    "the header's ReferenceDate is not a date; it was ignored",
                    table="Header",
                    row=ref_el.sourceline,
                    column="ReferenceDate",
                    value=ref_text,
                    code=Code.BAD_DATE,
                    expected=ISO_EXPECTED,
                )
        census_day = ref_date is not None and (ref_date.month, ref_date.day) == (3, 31)
        if ref_date is not None and not census_day:
            self.log.warning(
                "the header's ReferenceDate is not 31 March, the census date",
                table="Header",
                row=ref_el.sourceline,
                column="ReferenceDate",
                value=ref_text,
                code=Code.BAD_DATE,
                expected="31 March of the year the collection ends",
            )
        if from_year and from_ref and from_year != from_ref:
            chosen = from_ref if census_day or not from_year else from_year
            self.log.warning(
                f"the header disagrees with itself: Year {from_year} means {year_label(from_year)} but "
                f"ReferenceDate {ref_text} falls in {year_label(from_ref)}; {year_label(chosen)} was used "
                f"(the {'ReferenceDate' if chosen == from_ref else 'Year'}"
                f"{', a 31 March census date' if chosen == from_ref else ', as the ReferenceDate is not a census date'})",
                table="Header",
                row=self.header_line,
                column="ReferenceDate",
                value=ref_text,
                code=Code.YEAR_MISMATCH,
            )
            self.header_year = chosen
        else:
            self.header_year = from_ref or from_year
        self.header_year_text = ref_text or year_text

        sources = parts.get("Source", [])
        if sources:
            lea_els = kids_by_name(sources[0]).get("LEA", [])
            if lea_els:
                lea = clean_child_id(lea_els[0].text)
                if lea.isdigit() and len(lea) == 3:
                    self.header_la = lea
                else:
                    self.log.warning(
                        "the header's LEA is not a three-digit local authority code; it was ignored",
                        table="Header",
                        row=lea_els[0].sourceline,
                        column="LEA",
                        value=lea,
                        code=Code.BAD_CODE,
                        expected="a three-digit DfE LA code, e.g. 933",
                    )
        if self.spec is not None:  # a header after the children: too late to choose the code lists
            if (
                self.header_year
                and self.result.year
                and year_label(self.header_year) != self.result.year
            ):
                self.log.warning(
                    f"the header comes after the children and names {year_label(self.header_year)}; "
                    f"the children were checked against {self.result.year}",
                    table="Header",
                    row=self.header_line,
                    code=Code.YEAR_MISMATCH,
                )

    def _settle_year(self) -> None:
        chosen = self.header_year
        if self.year_override:
            override = year_ending_from_label(self.year_override)
            if override is None:
                self.log.warning(
                    "the collection year given for this file was not understood and was ignored",
                    table="Header",
                    value=self.year_override,
                    code=Code.BAD_YEAR,
                    expected="a collection year such as 2024-25",
                )
            else:
                if self.header_year and self.header_year != override:
                    self.log.warning(
                        f"the file's header says {year_label(self.header_year)} but it was loaded as "
                        f"{year_label(override)}, as instructed",
                        table="Header",
                        row=self.header_line,
                        column="ReferenceDate",
                        value=self.header_year_text,
                        code=Code.YEAR_MISMATCH,
                        expected=year_label(override),
                    )
                chosen = override
        first, last = supported_years()
        if chosen is None:
            self.log.warning(
                f"the collection year is not in the header and was not given; codes were checked "
                f"against the {year_label(last)} lists and no dates against a collection year",
                table="Header",
                row=self.header_line,
                code=Code.YEAR_UNKNOWN,
            )
            self.spec = spec_for(last)
        else:
            self.result.year = year_label(chosen)
            self.period = collection_period(chosen)
            if chosen < first or chosen > last:
                nearest = min(max(chosen, first), last)
                self.log.warning(
                    f"this reader knows the census from {year_label(first)} to {year_label(last)}; "
                    f"{year_label(chosen)} was checked against the {year_label(nearest)} code lists",
                    table="Header",
                    row=self.header_line,
                    code=Code.YEAR_UNSUPPORTED,
                )
                self.spec = spec_for(nearest)
            else:
                self.spec = spec_for(chosen)
        self.tables = {name: code_table(self.spec.accepted(name)) for name in self.spec.codes}
        self.sex_table = {code_key(k): v for k, v in self.spec.sex_values.items()}
        self.any_sex_table = {code_key(k): v for k, v in all_sex_values().items()}

    def _settle_la(self) -> None:
        if self.la_override:
            if self.header_la and self.header_la != self.la_override:
                self.log.warning(
                    f"the file's header names LA {self.header_la} but it was loaded for LA "
                    f"{self.la_override}, as instructed",
                    table="Header",
                    column="LEA",
                    value=self.header_la,
                    code=Code.LA_MISMATCH,
                )
            self.result.la_code = self.la_override
        else:
            self.result.la_code = self.header_la

"""A CIN census XML file flattened into the tables the DfE rules talk about.

    load_cin_tables(path) -> {"Header": frame, "ChildIdentifiers": frame, ...}

The rules need the file as it is, not as the reader cleans it: a value the
reader would refuse (a bad UPN, a date in the future) is exactly what a rule
has to see. So every value is kept as the text in the file (stripped of
surrounding blanks; an absent or empty element is null) and the rules parse
dates themselves.

The tables, and the columns besides the file's own element names:

- Header: one row (Collection, Year, ReferenceDate, SourceLevel, LEA, ...).
- ChildIdentifiers: one row per <Child>. ``Sex`` holds the value of the
  year's sex element, whichever of <Sex> (2024-25 on) or <GenderCurrent>
  (earlier years) the file uses; ``SexElement`` says which it was.
- ChildCharacteristics: one row per child (Ethnicity).
- Disabilities: one row per <Disability>.
- CINdetails: one row per <CINdetails>; ``CINdetailsID`` numbers the
  episodes of a child from 1 in file order.
- Assessments: one row per <Assessments>, ``AssessmentFactors`` the list of
  factor codes (empty when none); ``AssessmentID`` numbers them per episode.
- CINplanDates, Section47: one row per element.
- ChildProtectionPlans: one row per plan; ``CPPID`` numbers them per episode.
- Reviews: one row per <CPPreviewDate> (under <Reviews>, <CPPreviews>, or
  directly in the plan), joined to its plan by CINdetailsID and CPPID.

Every row has ``_child`` (the child's LAchildID, null when missing),
``_child_no`` (the child's ordinal in the file: the key rules join a child's
rows on, since an LAchildID may be missing or repeated) and ``_row``: where the element is, as "Child 3 > CINdetails 2 > Assessments 1
(line 120)" - the child's ordinal in the file, the path of ordinals down to
the element, and its line.

The file is streamed (one <Child> in memory at a time) with the same
locked-down parser options as the census reader: no DTD, no entities, no
network; the census gate refuses anything else before a row is read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from lxml import etree

from csc_scorecard.returns.cin_census import gate
from csc_scorecard.returns.cin_census.shape import ChildShape

HEADER_FIELDS = (
    "Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode",
    "Release", "SerialNo", "DateTime",
)
IDENTIFIER_FIELDS = (
    "LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
    "ExpectedPersonBirthDate", "Sex", "SexElement", "PersonDeathDate",
)
CIN_FIELDS = (
    "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
    "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA",
)
ASSESSMENT_FIELDS = (
    "AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate",
)
PLAN_FIELDS = ("CINPlanStartDate", "CINPlanEndDate")
S47_FIELDS = ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
CPP_FIELDS = (
    "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
)

S = pl.Utf8
_BOOK = {"_row": S, "_child": S, "_child_no": pl.Int64}
SCHEMAS: dict[str, dict[str, Any]] = {
    "Header": {f: S for f in HEADER_FIELDS} | {"_row": S, "_child": S},
    "ChildIdentifiers": {f: S for f in IDENTIFIER_FIELDS} | _BOOK,
    "ChildCharacteristics": {"LAchildID": S, "Ethnicity": S} | _BOOK,
    "Disabilities": {"LAchildID": S, "Disability": S} | _BOOK,
    "CINdetails": {"LAchildID": S, "CINdetailsID": pl.Int64}
    | {f: S for f in CIN_FIELDS}
    | _BOOK,
    "Assessments": {"LAchildID": S, "CINdetailsID": pl.Int64, "AssessmentID": pl.Int64}
    | {f: S for f in ASSESSMENT_FIELDS}
    | {"AssessmentFactors": pl.List(S)}
    | _BOOK,
    "CINplanDates": {"LAchildID": S, "CINdetailsID": pl.Int64} | {f: S for f in PLAN_FIELDS} | _BOOK,
    "Section47": {"LAchildID": S, "CINdetailsID": pl.Int64} | {f: S for f in S47_FIELDS} | _BOOK,
    "ChildProtectionPlans": {"LAchildID": S, "CINdetailsID": pl.Int64, "CPPID": pl.Int64}
    | {f: S for f in CPP_FIELDS}
    | _BOOK,
    "Reviews": {"LAchildID": S, "CINdetailsID": pl.Int64, "CPPID": pl.Int64, "CPPreviewDate": S}
    | _BOOK,
}
TABLES = tuple(SCHEMAS)


def _local(tag: Any) -> str:
    """An element's name without its namespace; "" for anything not an element (an entity)."""
    if tag.__class__ is not str:
        return ""
    return tag.rpartition("}")[2] if tag.startswith("{") else tag


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    value = element.text
    if value is None:
        return None
    return value.strip() or None


def _children_by_name(element: etree._Element) -> dict[str, list[etree._Element]]:
    out: dict[str, list[etree._Element]] = {}
    for kid in element:
        tag = kid.tag
        if tag.__class__ is not str:
            continue
        name = tag.rpartition("}")[2] if tag.startswith("{") else tag
        found = out.get(name)
        if found is None:
            out[name] = [kid]
        else:
            found.append(kid)
    return out


def _first_texts(kids: dict[str, list[etree._Element]], names: tuple[str, ...]) -> list[str | None]:
    """The text of the first element of each name (null when absent or blank)."""
    out: list[str | None] = []
    for name in names:
        found = kids.get(name)
        value = found[0].text if found else None
        out.append(value.strip() or None if value is not None else None)
    return out


def _bare(texts: dict[str, str | None], names: tuple[str, ...]) -> list[str | None]:
    """_first_texts over a ChildShape's texts (stripped already, each field given once)."""
    return [*map(texts.get, names)]


KidsOf = Callable[[etree._Element], dict[str, list[etree._Element]]]


class _Collector:
    """Rows as tuples in SCHEMAS' column order, turned into columns at the end.

    `kids_of` gives an element's children by name; the census reader shares its
    memo of them (TableTap.share_kids) so each element is looked through once."""

    def __init__(self, kids_of: KidsOf = _children_by_name) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
        self.kids_of = kids_of
        self.child_no = 0

    def header(self, header: etree._Element) -> None:
        row: dict[str, Any] = {}
        for part in header:
            for element in part:
                name = _local(element.tag)
                if name in HEADER_FIELDS and name not in row:
                    row[name] = _text(element)
        row["_row"] = f"Header (line {header.sourceline})"
        row["_child"] = None
        self.rows["Header"].append(tuple(row.get(column) for column in SCHEMAS["Header"]))

    def child(self, child: etree._Element) -> None:
        self.child_no += 1
        child_no = self.child_no
        where = f"Child {child_no}"
        kids_of, rows = self.kids_of, self.rows
        parts = kids_of(child)
        ids_el = parts.get("ChildIdentifiers", [None])[0]
        ids = kids_of(ids_el) if ids_el is not None else {}
        child_id = _first_texts(ids, ("LAchildID",))[0]

        def book(path: str, element: etree._Element | None) -> tuple[str, str | None, int]:
            line = element.sourceline if element is not None else child.sourceline
            return (f"{path} (line {line})", child_id, child_no)

        # IDENTIFIER_FIELDS: the ids, then Sex and SexElement, then PersonDeathDate
        ident = _first_texts(ids, IDENTIFIER_FIELDS[:6])
        sex: list[str | None] = [None, None]
        for element_name in ("Sex", "GenderCurrent"):
            if element_name in ids:
                sex = [_first_texts(ids, (element_name,))[0], element_name]
                break
        death = _first_texts(ids, ("PersonDeathDate",))
        rows["ChildIdentifiers"].append(
            (*ident, *sex, *death, *book(f"{where} > ChildIdentifiers", ids_el))
        )

        chars_el = parts.get("ChildCharacteristics", [None])[0]
        chars = kids_of(chars_el) if chars_el is not None else {}
        rows["ChildCharacteristics"].append(
            (child_id, *_first_texts(chars, ("Ethnicity",)),
             *book(f"{where} > ChildCharacteristics", chars_el))
        )
        n = 0
        disabilities = rows["Disabilities"]
        for holder in chars.get("Disabilities", ()):
            for element in holder:
                if _local(element.tag) == "Disability":
                    n += 1
                    disabilities.append(
                        (child_id, _text(element),
                         *book(f"{where} > Disabilities > Disability {n}", element))
                    )

        for cin_no, cin_el in enumerate(parts.get("CINdetails", ()), start=1):
            self._cin(child_id, cin_no, cin_el, f"{where} > CINdetails {cin_no}", book)

    def _cin(self, child_id: str | None, cin_no: int, cin_el: etree._Element, path: str, book) -> None:
        kids_of, rows = self.kids_of, self.rows
        kids = kids_of(cin_el)
        rows["CINdetails"].append(
            (child_id, cin_no, *_first_texts(kids, CIN_FIELDS), *book(path, cin_el))
        )
        for n, element in enumerate(kids.get("Assessments", ()), start=1):
            sub = kids_of(element)
            factors = [
                value
                for holder in sub.get("FactorsIdentifiedAtAssessment", ())
                for f in holder
                if _local(f.tag) == "AssessmentFactors" and (value := _text(f)) is not None
            ]
            rows["Assessments"].append(
                (child_id, cin_no, n, *_first_texts(sub, ASSESSMENT_FIELDS), factors,
                 *book(f"{path} > Assessments {n}", element))
            )
        for n, element in enumerate(kids.get("CINPlanDates", ()), start=1):
            rows["CINplanDates"].append(
                (child_id, cin_no, *_first_texts(kids_of(element), PLAN_FIELDS),
                 *book(f"{path} > CINPlanDates {n}", element))
            )
        for n, element in enumerate(kids.get("Section47", ()), start=1):
            rows["Section47"].append(
                (child_id, cin_no, *_first_texts(kids_of(element), S47_FIELDS),
                 *book(f"{path} > Section47 {n}", element))
            )
        for n, element in enumerate(kids.get("ChildProtectionPlans", ()), start=1):
            sub = kids_of(element)
            plan_path = f"{path} > ChildProtectionPlans {n}"
            rows["ChildProtectionPlans"].append(
                (child_id, cin_no, n, *_first_texts(sub, CPP_FIELDS), *book(plan_path, element))
            )
            reviews = list(sub.get("CPPreviewDate", ()))
            for holder_name in ("Reviews", "CPPreviews"):
                for holder in sub.get(holder_name, ()):
                    reviews.extend(e for e in holder if _local(e.tag) == "CPPreviewDate")
            for r, review in enumerate(reviews, start=1):
                rows["Reviews"].append(
                    (child_id, cin_no, n, _text(review),
                     *book(f"{plan_path} > CPPreviewDate {r}", review))
                )

    def child_shape(self, shape: ChildShape) -> None:
        """The rows child() makes, from a child already walked (returns/cin_census/shape.py)."""
        self.child_no += 1
        child_no = self.child_no
        where = f"Child {child_no}"
        rows = self.rows
        ids = shape.ids
        child_id = ids.get("LAchildID")
        sex: list[str | None] = [None, None]
        for element_name in ("Sex", "GenderCurrent"):
            if element_name in ids:
                sex = [ids[element_name], element_name]
                break
        rows["ChildIdentifiers"].append(
            (*_bare(ids, IDENTIFIER_FIELDS[:6]), *sex, ids.get("PersonDeathDate"),
             f"{where} > ChildIdentifiers (line {shape.ids_line})", child_id, child_no)
        )
        rows["ChildCharacteristics"].append(
            (child_id, shape.chars.get("Ethnicity"),
             f"{where} > ChildCharacteristics (line {shape.chars_line})", child_id, child_no)
        )
        disabilities = rows["Disabilities"]
        for n, (raw, line) in enumerate(shape.disabilities or (), start=1):
            disabilities.append(
                (child_id, raw, f"{where} > Disabilities > Disability {n} (line {line})",
                 child_id, child_no)
            )
        for cin_no, cin in enumerate(shape.cins, start=1):
            self._cin_shape(child_id, child_no, cin_no, cin, f"{where} > CINdetails {cin_no}")

    def _cin_shape(self, child_id: str | None, child_no: int, cin_no: int, cin: Any, path: str) -> None:
        rows = self.rows
        rows["CINdetails"].append(
            (child_id, cin_no, *_bare(cin.fields, CIN_FIELDS), f"{path} (line {cin.line})",
             child_id, child_no)
        )
        for n, (line, texts, factors) in enumerate(cin.assessments, start=1):
            values = [value for value, _ in factors if value is not None]
            rows["Assessments"].append(
                (child_id, cin_no, n, *_bare(texts, ASSESSMENT_FIELDS), values,
                 f"{path} > Assessments {n} (line {line})", child_id, child_no)
            )
        for n, (line, texts) in enumerate(cin.plans, start=1):
            rows["CINplanDates"].append(
                (child_id, cin_no, *_bare(texts, PLAN_FIELDS),
                 f"{path} > CINPlanDates {n} (line {line})", child_id, child_no)
            )
        for n, (line, texts) in enumerate(cin.s47s, start=1):
            rows["Section47"].append(
                (child_id, cin_no, *_bare(texts, S47_FIELDS),
                 f"{path} > Section47 {n} (line {line})", child_id, child_no)
            )
        for n, (line, texts, reviews) in enumerate(cin.cpps, start=1):
            plan_path = f"{path} > ChildProtectionPlans {n}"
            rows["ChildProtectionPlans"].append(
                (child_id, cin_no, n, *_bare(texts, CPP_FIELDS), f"{plan_path} (line {line})",
                 child_id, child_no)
            )
            for r, (raw, review_line) in enumerate(reviews, start=1):
                rows["Reviews"].append(
                    (child_id, cin_no, n, raw, f"{plan_path} > CPPreviewDate {r} (line {review_line})",
                     child_id, child_no)
                )

    def frames(self) -> dict[str, pl.DataFrame]:
        out = {}
        for name in TABLES:
            schema = SCHEMAS[name]
            rows = self.rows[name]
            columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
            out[name] = pl.DataFrame(
                {
                    column: _list_column(values, dtype) if dtype == pl.List(S) else list(values)
                    for (column, dtype), values in zip(schema.items(), columns, strict=True)
                },
                schema=schema,
            )
        return out


def _list_column(values: tuple[list[str], ...], dtype: Any) -> pl.Series:
    """A column of lists (AssessmentFactors). Polars builds each list as a Series of
    its own, slowly; the same few lists recur, so each distinct one is built once."""
    index: dict[tuple[str, ...], int] = {}
    at = [index.setdefault(tuple(v), len(index)) for v in values]
    distinct = pl.Series([list(k) for k in index], dtype=dtype)
    return distinct.gather(at) if at else pl.Series([], dtype=dtype)


class TableTap:
    """The tables built from elements another reader streams (the census reader's
    `tap`), so an ingest parses the file once. It never raises: on any trouble it
    stops collecting and `frames()` gives None, and the caller reads the file
    again with load_cin_tables."""

    def __init__(self) -> None:
        self._collector: _Collector | None = _Collector()

    def share_kids(self, kids_of: KidsOf) -> None:
        """Use the reader's memo of each element's children (see _Collector)."""
        if self._collector is not None:
            self._collector.kids_of = kids_of

    def header(self, header: etree._Element) -> None:
        self._give("header", header)

    def year(self, year: str) -> None:
        """No rules in force for the year (none before 2024-25): nothing to collect."""
        from csc_scorecard.validation.core import REGISTRY

        if year and not REGISTRY.for_return("cin", year):
            self._collector = None

    def child(self, child: etree._Element) -> None:
        self._give("child", child)

    def child_shape(self, shape: ChildShape) -> None:
        self._give("child_shape", shape)

    def _give(self, part: str, element: etree._Element) -> None:
        if self._collector is None:
            return
        try:
            getattr(self._collector, part)(element)
        except Exception:  # noqa: BLE001 - see the class: the rules read the file again
            self._collector = None

    def frames(self) -> dict[str, pl.DataFrame] | None:
        if self._collector is None:
            return None
        try:
            return self._collector.frames()
        except Exception:  # noqa: BLE001
            return None


def load_cin_tables(path: Path | str) -> dict[str, pl.DataFrame]:
    """Every table of a CIN census file (see the module's docstring).

    Raises FileRejected (with the reason in words) for a file that is not a
    readable CIN census, exactly as the census reader does.
    """
    path = Path(path)
    gate.check_file(path)
    collector = _Collector()
    events = etree.iterparse(
        str(path),
        events=("end",),
        tag=("{*}Header", "{*}Child"),
        remove_comments=True,
        remove_pis=True,
        **gate.SAFE_PARSER_OPTIONS,
    )
    for _, element in events:
        if _local(element.tag) == "Header":
            parent = element.getparent()
            if parent is not None and parent.getparent() is None:
                collector.header(element)
            continue
        collector.child(element)
        # Free the child and its already-read siblings: memory holds one child.
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
    return collector.frames()


def tables_from_rows(rows: dict[str, list[dict[str, Any]]]) -> dict[str, pl.DataFrame]:
    """Tables from hand-made rows (tests, callers holding rows): absent columns are null."""
    out = {}
    ordinal = {r.get("LAchildID"): i for i, r in enumerate(rows.get("ChildIdentifiers", []), 1)}
    for name in TABLES:
        given = [
            r if "_child_no" in r or name == "Header"
            else r | {"_child_no": ordinal.get(r.get("LAchildID"))}
            for r in rows.get(name, [])
        ]
        out[name] = pl.DataFrame(
            [{c: r.get(c) for c in SCHEMAS[name]} for r in given], schema=SCHEMAS[name], orient="row"
        )
    return out

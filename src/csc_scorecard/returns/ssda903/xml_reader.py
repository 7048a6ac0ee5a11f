"""SSDA903 as XML: root EXPSSDA903, one CHILD element per child.

Each CHILD holds a HEADER (the child's details, with the review, missing,
permanence, OC2 and placed-for-adoption groups and the flat UASC, AD1 and OC3
items inside it) and its EPISODE elements. Newer groups (social worker
episodes, deprivation of liberty orders) are found by the element name the
spec gives or, failing that, by the names of their items, the way CSV tables
are recognised by their headers.

The file is parsed as a stream and safely: no DTD, no entity expansion, no
network, no huge-tree mode; every CHILD is cleared once read, so memory holds
one child at a time. A DTD, an entity declaration or XML that is not
well-formed (a truncated file) rejects the file with a plain reason.

Issues name the element (table = "EPISODE", ...) and its source line (row =
line number); messages say "line N (CHILD no. K)" because many exports put
the whole document on one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from csc_scorecard.returns.base import ReadResult, RowSink
from csc_scorecard.returns.cleaning import clean_text
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import FileRejected, IssueLog
from csc_scorecard.returns.ssda903.parsing import (
    RowParser,
    YearVotes,
    identify_csv_header,
    normalise_year,
    year_from_names,
)
from csc_scorecard.returns.ssda903.yearspec import (
    TableSpec,
    YearSpec,
    all_tables,
    load_spec,
    nearest_spec_year,
    spec_years,
)

ROOT = "EXPSSDA903"
HEAD_BYTES = 1 << 16
# Items of HEADER shared by every table built from a child's elements.
SHARED = {"CHILD": "CHILDID", "DOB": "DOB", "SEX": "SEX"}


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):  # comments, processing instructions
        return ""
    return etree.QName(tag).localname if tag.startswith("{") else tag


def _precheck(path: Path) -> None:
    name = path.name
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise FileRejected(name, f"cannot be opened: {exc.strerror or exc}") from exc
    if not head.strip():
        raise FileRejected(name, "the file is empty")
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise FileRejected(
            name,
            "the XML declares a DTD or entities; SSDA903 XML never does, and such files are "
            "not read (they can be used to exhaust memory)",
        )


def _events(path: Path, events: tuple[str, ...]) -> Iterator[tuple[str, etree._Element]]:
    name = path.name
    try:
        context = etree.iterparse(
            str(path),
            events=events,
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            remove_comments=True,
            remove_pis=True,
        )
        first = True
        for event, el in context:
            if first:
                first = False
                info = el.getroottree().docinfo
                if info.doctype or info.internalDTD is not None:
                    raise FileRejected(
                        name,
                        "the XML declares a DTD; SSDA903 XML never does, and such files are not read",
                    )
                if _local(el) != ROOT:
                    raise FileRejected(
                        name,
                        f"not SSDA903 XML: the root element is {_local(el)!r}, expected {ROOT}",
                    )
            yield event, el
        if first:
            raise FileRejected(name, "the XML holds no elements")
    except etree.XMLSyntaxError as exc:
        line = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        msg = (exc.msg or str(exc)).strip()
        hint = (
            "; the file looks truncated (it does not end with the closing root tag)"
            if _truncated(path)
            else ""
        )
        raise FileRejected(name, f"not well-formed XML: {msg}{line}{hint}") from exc
    except etree.LxmlError as exc:
        raise FileRejected(name, f"the XML cannot be read: {exc}") from exc


def _truncated(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 512))
            tail = handle.read().rstrip()
    except OSError:
        return False
    return not (tail.endswith(b">") and ROOT.encode() in tail.rsplit(b"</", 1)[-1])


def _children_of_root(path: Path) -> Iterator[etree._Element]:
    """Each top-level element under the root, complete; cleared once the caller moves on."""
    depth = 0
    for event, el in _events(path, ("start", "end")):
        if event == "start":
            depth += 1
            continue
        depth -= 1
        if depth == 1:
            yield el
            el.clear()
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]


def read_xml(
    path: Path | str,
    *,
    year: str = "",
    la_code: str = "",
    sink: RowSink | None = None,
) -> ReadResult:
    """Read an SSDA903 XML file into canonical rows (see read_csv_tables for the year rule)."""
    path = Path(path)
    result = ReadResult("ssda903", [path], la_code=la_code)
    if sink is not None:
        result.sink = sink
    log = result.log(path)
    _precheck(path)

    label = normalise_year(year) if year else year_from_names([path])
    how = "given" if year else "taken from the file or folder name"
    if label and not year:
        log.info(f"collection year {label} {how}", code=Code.YEAR_INFERRED)
    check: YearVotes | None = YearVotes() if label else None
    if not label:
        votes = YearVotes()
        for el in _children_of_root(path):
            for item in el.iter():
                name = _local(item)
                if name in ("DECOM", "DEC") and item.text:
                    votes.add(name, item.text)
        label, how = votes.decide()
        if label:
            log.info(how, code=Code.YEAR_INFERRED)
        else:
            log.warning(f"{how}; read with the {spec_years()[-1]} spec", code=Code.YEAR_UNKNOWN)
    if label and nearest_spec_year(label) != label:
        log.info(
            f"no SSDA903 spec for {label}; read with the nearest, {nearest_spec_year(label)}",
            code=Code.YEAR_UNSUPPORTED,
        )
    result.year = label
    spec = load_spec(nearest_spec_year(label) if label else spec_years()[-1])

    reader = _ChildReader(spec, result, log, check)
    number = 0
    for el in _children_of_root(path):
        if _local(el) != "CHILD":
            reader.note_once(
                f"top-level element {_local(el)} is not part of the 903 and was ignored", el
            )
            continue
        number += 1
        reader.child(el, number)
    if number == 0:
        log.info("the XML holds no CHILD elements", code=Code.NO_ROWS)
    if check is not None:
        check.check(label, how, log)
    return result.finish()


class _ChildReader:
    def __init__(
        self, spec: YearSpec, result: ReadResult, log: IssueLog, votes: YearVotes | None = None
    ):
        self.votes = votes
        self.spec = spec
        self.result = result
        self.log = log
        self.by_element: dict[str, TableSpec] = {}
        self.flat: list[TableSpec] = []
        for table in spec.tables.values():
            if table.xml_flat:
                self.flat.append(table)
            elif table.xml_element:
                self.by_element[table.xml_element] = table
        self.header = spec.tables["Header"]
        self.parsers = {name: RowParser(spec, t, log) for name, t in spec.tables.items()}
        self.header_items = {c.xml_name or c.name for c in self.header.columns.values()}
        for table in self.flat:
            self.header_items |= {c.xml_name or c.name for c in table.columns.values()}
        self.other_years = {
            t.xml_element: t
            for t in all_tables().values()
            if t.xml_element and t.name not in spec.tables
        }
        self.noted: set[str] = set()

    def note_once(
        self,
        message: str,
        el: etree._Element,
        severity: str = "info",
        key: str = "",
        code: Code = Code.EXTRA_ELEMENT,
    ) -> None:
        key = key or message
        if key in self.noted:
            return
        self.noted.add(key)
        (self.log.warning if severity == "warning" else self.log.info)(
            f"line {el.sourceline}: {message}",
            table=_local(el),
            row=el.sourceline,
            code=code,
        )

    def child(self, el: etree._Element, number: int) -> None:
        where = f"line {el.sourceline} (CHILD no. {number})"
        header = next((c for c in el if _local(c) == "HEADER"), None)
        if header is None:
            self.log.error(
                f"{where}: CHILD has no HEADER, so nothing about this child can be used",
                table="CHILD",
                row=el.sourceline,
                code=Code.MISSING_VALUE,
            )
            self.result.quarantine("child")
            return
        items = _leaves(header)
        shared = {col: items.get(tag, "") for col, tag in SHARED.items()}

        # The child, and the tables kept flat inside HEADER (UASC, AD1, OC3).
        self._row(self.header, _raw(self.header, items), header, number)
        for table in self.flat:
            if any(_present(items.get(c, "")) for c in table.present_if_any):
                self._row(table, _raw(table, {**shared, **items}), header, number)
        for tag in items:
            if tag not in self.header_items:
                self.note_once(
                    f"HEADER item {tag} is not part of the 903 and was ignored",
                    header,
                    key=f"item:{tag}",
                )

        # Groups inside HEADER and directly under CHILD.
        for group in list(header) + [c for c in el if _local(c) != "HEADER"]:
            if len(group) == 0:
                if group.getparent() is el:
                    self.note_once(
                        f"CHILD item {_local(group)} is not part of the 903 and was ignored", group
                    )
                continue
            self._group(group, shared, number)

    def _group(self, group: etree._Element, shared: dict[str, str], number: int) -> None:
        tag = _local(group)
        table = self.by_element.get(tag)
        if table is None and tag in self.other_years:
            other = self.other_years[tag]
            first = next((y for y in spec_years() if other.name in load_spec(y).tables), "")
            self.note_once(
                f"{tag} ({other.name}) is collected only from {first}; this return is for "
                f"{self.spec.year}, so it was not read",
                group,
                severity="warning",
                key=f"year:{tag}",
                code=Code.TABLE_NOT_THIS_YEAR,
            )
            return
        if table is None:
            found = identify_csv_header(["CHILD", "DOB"] + [_local(c) for c in group])
            candidate = self.spec.tables.get(found or "")
            if candidate is None or candidate.xml_flat or candidate.name == "Header":
                self.note_once(
                    f"element {tag} is not part of the 903 and was ignored", group, key=f"el:{tag}"
                )
                return
            table = candidate
            self.note_once(
                f"element {tag} read as the {table.name} table (recognised by its items)",
                group,
                key=f"as:{tag}",
            )
        items = _leaves(group)
        if not any(clean_text(v) for v in items.values()):
            return  # an empty group, e.g. <PERMANENCE/>
        raw = _raw(table, {**shared, **items})
        self._row(table, raw, group, number)

    def _row(self, table: TableSpec, raw: dict[str, str], el: etree._Element, number: int) -> None:
        self.result.source_rows[table.name] = self.result.source_rows.get(table.name, 0) + 1
        row = self.parsers[table.name].parse(
            raw,
            el.sourceline,
            where=f"line {el.sourceline} (CHILD no. {number})",
            table_label=_local(el),
        )
        if row is None:
            self.result.quarantine(table.canonical)
        else:
            self.result.add_row(table.canonical, row)
            if self.votes is not None and table.name == "Episodes":
                self.votes.add_episode(row)


def _leaves(el: etree._Element) -> dict[str, str]:
    """The item elements (no children) directly inside `el`, by name; the first wins."""
    items: dict[str, str] = {}
    for c in el:
        name = _local(c)
        if name and len(c) == 0 and name not in items:
            items[name] = c.text or ""
    return items


def _raw(table: TableSpec, items: dict[str, str]) -> dict[str, str]:
    """Column name -> text for every column of `table` (absent items read as blank)."""
    raw = {}
    for col in table.columns.values():
        tag = col.xml_name or col.name
        if tag in items:
            raw[col.name] = items[tag]
        elif col.name in items:
            raw[col.name] = items[col.name]
        elif col.source != "xml":
            raw[col.name] = ""
    return raw


def _present(text: str) -> bool:
    value = clean_text(text)
    return bool(value) and value != "0"

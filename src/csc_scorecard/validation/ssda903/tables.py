"""SSDA903 files as the tables the rules read: the 903's own column names, every
value a string exactly as the file holds it (whitespace stripped, blank = null).

- CSV: each file's table is recognised by its header row (the readers' own
  test, ``identify_csv_header``); ``_row`` is the row as Excel numbers it
  (the header is row 1).
- XML: each CHILD is flattened into the same tables (HEADER -> Header, its
  flat UASC/AD1/OC3 items, EPISODE -> Episodes, ...), named by the spec's
  element names, read with the readers' safe streaming parser; ``_row`` is the
  CHILD element's position (1 = the first CHILD).

Last year's return loads the same way with ``suffix="_last"`` (Header_last,
Episodes_last, ...), from files or from the store's previous submission.
Values are not cleaned or coerced: judging them is the rules' work.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from csc_scorecard.returns.issues import FileRejected
from csc_scorecard.returns.ssda903.parsing import header_key, identify_csv_header
from csc_scorecard.returns.ssda903.xml_reader import _children_of_root, _leaves, _local, _precheck
from csc_scorecard.returns.ssda903.yearspec import TableSpec, all_tables
from csc_scorecard.validation.core import collect_all


@dataclass
class Loaded:
    """The tables of one return, where each came from, and files not used."""

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # table -> file name
    skipped: list[str] = field(default_factory=list)  # "name: why", never a value


def _frame(rows: list[dict[str, str | None]], columns: list[str], positions: list[int]) -> pl.DataFrame:
    data: dict[str, list] = {c: [r.get(c) for r in rows] for c in columns}
    df = pl.DataFrame(data, schema={c: pl.Utf8 for c in columns})
    child = df["CHILD"] if "CHILD" in df.columns else pl.Series([None] * len(rows), dtype=pl.Utf8)
    return df.with_columns(
        pl.Series("_row", positions, dtype=pl.Int64),
        child.alias("_child"),
    )


def _value(text: object) -> str | None:
    if text is None:
        return None
    value = str(text).strip().lstrip("\ufeff").strip()
    return value or None


def is_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def load_csv(path: Path, name: str, out: Loaded, suffix: str = "") -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    records = list(csv.reader(io.StringIO(text)))
    if not records:
        out.skipped.append(f"{name}: the file is empty")
        return
    headers = [_value(h) or "" for h in records[0]]
    table = identify_csv_header(headers)
    if table is None:
        out.skipped.append(f"{name}: the header row is not one of the 903's tables")
        return
    key = table + suffix
    if key in out.tables:
        out.skipped.append(f"{name}: a second {table} table (the first, {out.sources[key]}, was used)")
        return
    # The 903's own names: a header written 'pl_post ' reads as PL_POST.
    spec = all_tables()[table]
    names = {header_key(c): c for c in spec.columns}
    columns = [names.get(header_key(h), h) for h in headers]
    kept, positions = [], []
    for number, record in enumerate(records[1:], start=2):
        if not "".join(record).strip():
            continue  # a blank line carries nothing to check
        kept.append(record)
        positions.append(number)
    named = [c for c in columns if c]
    if len(set(named)) == len(named) and all(len(r) == len(columns) for r in kept):
        out.tables[key] = _frame_by_column(kept, columns, positions)
    else:  # ragged rows or a repeated column: row by row, the later of two same-named cells winning
        rows = [{c: _value(v) for c, v in zip(columns, record, strict=False) if c} for record in kept]
        out.tables[key] = _frame(rows, [c for c in dict.fromkeys(columns) if c], positions)
    out.sources[key] = name


# A cell that starts and ends with a printable, non-space ASCII character is already as
# _value would leave it; only the others (blank, padded, a BOM, any other character at
# either end) go through _value. Python's idea of whitespace is wider than any regex's,
# so the test is on what is certainly not whitespace rather than on what is.
_CLEAN = r"^[!-~](?s:.*[!-~])?$"


def _cleaned(cells: tuple[str, ...], name: str) -> pl.Series:
    column = pl.Series(name, cells, dtype=pl.Utf8)
    empty = column == ""  # blank, as _value makes it: the commonest cell of all
    dirty = (~(column.str.contains(_CLEAN) | empty)).arg_true()
    if empty.any():
        column.scatter(empty.arg_true(), None)
    if dirty.len() == 0:
        return column
    at = dirty.to_list()
    return column.scatter(at, pl.Series([_value(cells[i]) for i in at], dtype=pl.Utf8))


def _frame_by_column(records: list[list[str]], columns: list[str], positions: list[int]) -> pl.DataFrame:
    """As _frame over the rows' dicts, for rows as long as the header with no repeated
    column: whole columns at once, so only the cells that need cleaning cost a Python call.
    Every column is blanked and tested in one query (a query per column cost more than
    the work on a 903's few thousand rows); a column holding an odd cell is cleaned again
    by _cleaned, which puts those cells through _value."""
    cells = list(zip(*records, strict=True)) if records else [()] * len(columns)
    named = [(i, c) for i, c in enumerate(columns) if c]
    raw = pl.DataFrame([pl.Series(c, cells[i], dtype=pl.Utf8) for i, c in named]).lazy()
    df, odd = collect_all([
        raw.select(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for _, c in named),
        raw.select(((pl.col(c) != "") & ~pl.col(c).str.contains(_CLEAN)).any().alias(c) for _, c in named),
    ])
    redo = [_cleaned(cells[i], c) for i, c in named if odd[c][0]]
    if redo:
        df = df.with_columns(redo)
    return df.with_columns(
        pl.Series("_row", positions, dtype=pl.Int64),
        (pl.col("CHILD") if "CHILD" in df.columns else pl.lit(None, dtype=pl.Utf8)).alias("_child"),
    )


def _xml_tables() -> tuple[TableSpec, dict[str, TableSpec], list[TableSpec]]:
    tables = all_tables()
    by_element = {t.xml_element: t for t in tables.values() if t.xml_element and not t.xml_flat}
    flat = [t for t in tables.values() if t.xml_flat]
    return tables["Header"], by_element, flat


def _columns_from(table: TableSpec, items: dict[str, str]) -> dict[str, str | None]:
    row: dict[str, str | None] = {}
    for col in table.columns.values():
        tag = col.xml_name or col.name
        if col.derived and tag not in items and col.name not in items:
            continue  # absent, not blank: the rules that need it then say "not run"
        row[col.name] = _value(items.get(tag, items.get(col.name)))
    return row


def load_xml(path: Path, name: str, out: Loaded, suffix: str = "") -> None:
    _precheck(path)
    header_spec, by_element, flat = _xml_tables()
    rows: dict[str, list[dict]] = {}
    positions: dict[str, list[int]] = {}

    def add(table: TableSpec, row: dict, number: int) -> None:
        rows.setdefault(table.name, []).append(row)
        positions.setdefault(table.name, []).append(number)

    number = 0
    for el in _children_of_root(path):
        if _local(el) != "CHILD":
            continue
        number += 1
        header = next((c for c in el if _local(c) == "HEADER"), None)
        items = _leaves(header) if header is not None else {}
        shared = {"CHILD": items.get("CHILDID", items.get("CHILD")), "DOB": items.get("DOB"),
                  "SEX": items.get("SEX")}
        if header is not None:
            add(header_spec, _columns_from(header_spec, items), number)
            for table in flat:
                if any(_value(items.get(c)) not in (None, "0") for c in table.present_if_any):
                    add(table, _columns_from(table, {**shared, **items}), number)
        groups = (list(header) if header is not None else []) + [c for c in el if _local(c) != "HEADER"]
        for group in groups:
            table = by_element.get(_local(group))
            if table is None or len(group) == 0:
                continue
            values = _leaves(group)
            if not any(_value(v) for v in values.values()):
                continue
            add(table, _columns_from(table, {**shared, **values}), number)
    specs = all_tables()
    for table, table_rows in rows.items():
        key = table + suffix
        if key in out.tables:
            out.skipped.append(f"{name}: a second {table} table (the first, {out.sources[key]}, was used)")
            continue
        columns = [
            c.name for c in specs[table].columns.values()
            if not c.derived or any(c.name in r for r in table_rows)
        ]
        out.tables[key] = _frame(table_rows, columns, positions[table])
        out.sources[key] = name
    if number == 0:
        out.skipped.append(f"{name}: the XML holds no CHILD elements")


def load_903_tables(paths: list[Path], *, suffix: str = "", names: list[str] | None = None) -> Loaded:
    """Every 903 table in `paths` (CSV files and/or one XML). `names` are the names to
    report for the files (the store keeps raw files under their checksum)."""
    out = Loaded()
    for i, path in enumerate(paths):
        name = names[i] if names else path.name
        try:
            with open(path, "rb") as handle:
                head = handle.read(512)
        except OSError as exc:
            raise FileRejected(name, f"cannot be opened: {exc.strerror or exc}") from exc
        if is_xml(head):
            load_xml(path, name, out, suffix)
        else:
            load_csv(path, name, out, suffix)
    return out

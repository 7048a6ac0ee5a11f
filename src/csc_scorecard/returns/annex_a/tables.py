"""Reading one Annex A table (a sheet, or a CSV): finding its header row,
recognising the list, and cleaning each row's values.

A list is recognised by its header row, looked for in the first 30 rows
(title rows often sit above it), never by the sheet's name; a sheet named
as another list is read as the list its columns show, with a warning.
Values are cleaned in the toolkit's parse-then-report style
(returns/cleaning.py): each cell becomes a `Parsed`, and one call to
`IssueLog.report` records its problem; a required value that is missing or
unusable quarantines the row. Good rows go to `CanonicalRows`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice

from csc_scorecard.returns.annex_a.canonical import CanonicalRows
from csc_scorecard.returns.annex_a.canonical_columns import emit_clean_rows
from csc_scorecard.returns.annex_a.codes import parse_yes_no
from csc_scorecard.returns.annex_a.columns import CHUNK_ROWS, ColumnCleaner, as_openpyxl
from csc_scorecard.returns.annex_a.spec import (
    ColumnSpec,
    ListSpec,
    identify_list,
    load_spec,
    match_columns,
)
from csc_scorecard.returns.base import ReadResult
from csc_scorecard.returns.cleaning import (
    Parsed,
    clean_text,
    column_letter,
    parse_child_id,
    parse_date,
    parse_int,
)
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import IssueLog

HEADER_SCAN_ROWS = 30  # title rows above the header are looked through this far
MAX_TEXT_CHARS = 80
MEMO_LIMIT = 100_000  # cells remembered by _parse_cell

EXCEL_ERRORS = {
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}
_UNCACHED_KINDS = frozenset({"id", "text"})
_LIST_IN_NAME = re.compile(r"list[\s_\-]*(\d{1,2})(?!\d)", re.I)


@dataclass
class ListReader:
    """Reads the tables of one Annex A (a workbook's sheets, or a set of CSVs)."""

    result: ReadResult
    lists_found: dict[int, list[str]] = field(default_factory=dict)  # list -> sources
    title_texts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.spec = load_spec()
        self.rows = CanonicalRows(self.result)
        self._cells: dict[tuple, tuple[Parsed, object]] = {}

    def read_table(
        self,
        log: IssueLog,
        rows: Iterator[tuple | list],
        *,
        source: str,
        in_workbook: bool,
        native: bool = False,
    ) -> None:
        """Find the header row of one sheet/CSV, recognise the list and read its rows
        (`native`: the rows hold calamine's values, see annex_a/columns.py)."""
        scanned: list[tuple[int, tuple | list]] = []
        header_row = 0
        number = None
        for excel_row, row in enumerate(rows, start=1):
            if native:
                row = list(map(as_openpyxl, row))
            scanned.append((excel_row, row))
            if _is_blank(row):
                if excel_row >= HEADER_SCAN_ROWS:
                    break
                continue
            number = identify_list([clean_text(v) for v in row])
            if number:
                header_row = excel_row
                break
            if excel_row >= HEADER_SCAN_ROWS:
                break
        where = f"sheet '{source}'" if in_workbook else ""
        hinted = _LIST_IN_NAME.search(source)
        if not number:
            if in_workbook:
                message = f"sheet '{source}' is not recognised as an Annex A list and was not read"
                expected = "a header row naming the list's columns within the first 30 rows"
                if hinted and int(hinted.group(1)) in self.spec.lists:
                    wanted = self.spec.lists[int(hinted.group(1))]
                    expected = f"{wanted.label}: columns for " + ", ".join(
                        [wanted.id_key, *wanted.identify]
                    )
                if any(not _is_blank(r) for _, r in scanned):
                    log.warning(message, table=source, code=Code.UNKNOWN_SHEET, expected=expected)
            return
        spec = self.spec.lists[number]
        table = f"{spec.label}, {where}" if where else spec.label
        for _excel_row, row in scanned[:-1]:
            self.title_texts.extend(
                clean_text(v) for v in row if isinstance(v, str) and clean_text(v)
            )
        if hinted and int(hinted.group(1)) != number and int(hinted.group(1)) in self.spec.lists:
            log.warning(
                f"'{source}' is named as list {hinted.group(1)} but its columns are those of {spec.label}; read as {spec.label}",
                table=table,
                row=header_row,
                code=Code.LIST_NAME_MISMATCH,
            )
        if number in self.lists_found:
            log.warning(
                f"{spec.label} was already read from {self.lists_found[number][0]}; both are read",
                table=table,
                code=Code.DUPLICATE_LIST,
            )
        self.lists_found.setdefault(number, []).append(source)
        headers = list(scanned[-1][1])
        self._read_rows(log, spec, table, headers, header_row, rows, native)

    def _read_rows(
        self,
        log: IssueLog,
        spec: ListSpec,
        table: str,
        headers: list,
        header_row: int,
        rows: Iterator,
        native: bool,
    ) -> None:
        colmap = match_columns(spec, headers)
        names = {pos: _header_name(headers[pos], pos) for pos in range(len(headers))}
        width = max((pos for pos, h in enumerate(headers) if clean_text(h)), default=-1) + 1
        for pos in range(width):
            if pos not in colmap and clean_text(headers[pos]):
                log.info(
                    "column not used: it is not one of this list's columns",
                    table=table,
                    row=header_row,
                    column=names[pos],
                    code=Code.EXTRA_COLUMN,
                )
        found = {col.key for col in colmap.values()}
        for col in spec.columns:
            if col.kind != "skip" and col.key not in found:
                log.info(
                    "column not found; its values are left empty",
                    table=table,
                    row=header_row,
                    column=col.key.replace("_", " "),
                    code=Code.MISSING_COLUMN,
                )
        # worked out once a table: the columns to read, and whether a required one
        # is absent (cannot happen for recognised lists, but never store a keyless row)
        cells = [(pos, col) for pos, col in colmap.items() if col.kind != "skip"]
        read_keys = {col.key for _, col in cells}
        keyless = any(
            col.required and col.kind != "skip" and col.key not in read_keys for col in spec.columns
        )
        label = spec.label
        self.result.source_rows.setdefault(label, 0)
        wide_reported = False
        # Rows are cleaned a block at a time, column by column (annex_a/columns.py);
        # rows with something to report are read cell by cell here, in their place.
        cleaner = ColumnCleaner(cells, self._parse_cell, native=native, text_chars=MAX_TEXT_CHARS)
        keys = [col.key for _, col in cells]
        emit = self.rows.emit
        rows_to = partial(emit_clean_rows, self.rows)
        if type(self.rows).emit is not CanonicalRows.emit:
            # a subclass that watches every row it is given (the inspection pack keeps the
            # lists' rows): clean rows go to its emit one at a time, as they always did
            def rows_to(log, spec, table, keys, values, excel_rows):  # noqa: ANN001 - as above
                for row_values, excel_row in zip(values, excel_rows, strict=True):
                    emit(log, spec, table, dict(zip(keys, row_values, strict=True)), excel_row)
        first_row = header_row + 1  # the Excel row of the block's first row
        while block := list(islice(rows, CHUNK_ROWS)):
            cleaned = cleaner.clean(block)
            blank, slow = cleaned.blank, cleaned.slow
            if keyless:
                slow = set(range(len(block)))
            self.result.source_rows[label] += len(block) - len(blank)
            wide_at = -1 if wide_reported else _first_wide_row(block, width, blank, cleaner)
            if not (blank or slow or wide_at >= 0):  # the usual block: every row is clean
                rows_to(
                    log, spec, table, keys, cleaned.values, range(first_row, first_row + len(block))
                )
                first_row += len(block)
                continue
            # clean rows are gathered into runs, each handed on (as a block) before
            # anything is said about the row after it
            run: list[tuple] = []
            run_rows: list[int] = []
            for i, cleaned_values in enumerate(cleaned.values):
                if i in blank:
                    continue
                excel_row = first_row + i
                if i != wide_at and i not in slow:
                    run.append(cleaned_values)
                    run_rows.append(excel_row)
                    continue
                if run:
                    rows_to(log, spec, table, keys, run, run_rows)
                    run, run_rows = [], []
                if i == wide_at:
                    log.warning(
                        "values in columns without a header are ignored",
                        table=table,
                        row=excel_row,
                        column=column_letter(width),
                        code=Code.EXTRA_VALUES,
                    )
                    wide_reported = True
                if i in slow:
                    row = cleaner.normalised(block[i])
                    values, ok = self._parse_row(log, spec, table, cells, names, row, excel_row)
                    if not ok or keyless:
                        if spec.table:
                            self.result.quarantine(spec.table)
                        continue
                else:
                    values = dict(zip(keys, cleaned_values, strict=True))
                emit(log, spec, table, values, excel_row)
            if run:
                rows_to(log, spec, table, keys, run, run_rows)
            first_row += len(block)
        if spec.number == 11 and self.result.source_rows[label]:
            log.info(
                "List 11 (adopters) is recognised and counted, but adopters are not stored: the case model holds children only",
                table=table,
                code=Code.NOT_STORED,
            )

    # ---- values -------------------------------------------------------------

    def _parse_row(
        self,
        log: IssueLog,
        spec: ListSpec,
        table: str,
        cells: list[tuple[int, ColumnSpec]],
        names: dict[int, str],
        row: tuple | list,
        excel_row: int,
    ) -> tuple[dict, bool]:
        """The row's cleaned values by column key, and whether it can be used
        (`cells`: the list's columns to read, by position)."""
        values: dict[str, object] = {}
        ok = True
        width = len(row)
        for pos, col in cells:
            raw = row[pos] if pos < width else None
            parsed, shown = self._parse_cell(col, raw)
            if not (parsed.error or parsed.warning) and (
                parsed.value not in (None, "") or not col.required
            ):
                values[col.key] = parsed.value  # the common case: nothing to report
                continue
            loc = {"table": table, "row": excel_row, "column": names[pos]}
            if parsed.error:
                # an over-long id can never be stored, whether or not the list needs one
                fatal = col.required or parsed.code == Code.BAD_ID
                tail = "; the row cannot be used" if fatal else "; left empty"
                log.report(parsed, fatal=fatal, error=parsed.error + tail, value=shown, **loc)
                if col.required:
                    ok = False
                values[col.key] = None
                if parsed.code == Code.EXCEL_ERROR:
                    continue
                value = None
            else:
                log.report(parsed, value=shown, **loc)
                value = parsed.value
            if col.required and value in (None, "") and ok:
                what = (
                    "child id"
                    if col.kind == "id" and spec.id_key == "child_id"
                    else col.key.replace("_", " ")
                )
                log.error(
                    f"the {what} is missing; the row cannot be used", code=Code.MISSING_VALUE, **loc
                )
                ok = False
            values[col.key] = value
        return values, ok

    def _parse_cell(self, col: ColumnSpec, raw: object) -> tuple[Parsed, object]:
        """`_parse_value`, remembered for the cells that repeat (dates, codes, yes/no,
        numbers, blanks) so a workbook's 300,000 cells are not each parsed again.
        Ids and free text are nearly all different and are parsed every time."""
        if col.kind in _UNCACHED_KINDS:
            return self._parse_value(col, raw)
        key = (col.kind, col.codes, type(raw), raw)  # the type too: True == 1 == 1.0
        try:
            return self._cells[key]
        except KeyError:
            found = self._parse_value(col, raw)
            if len(self._cells) < MEMO_LIMIT:  # a hostile workbook of distinct values
                self._cells[key] = found
            return found
        except TypeError:  # an unhashable value (none come from the readers)
            return self._parse_value(col, raw)

    def _parse_value(self, col: ColumnSpec, raw: object) -> tuple[Parsed, object]:
        """The cleaned value of one cell, and the value to show in an issue about it."""
        if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
            return Parsed(error="an Excel error value, not data", code=Code.EXCEL_ERROR), raw
        if col.kind == "id":
            parsed = parse_child_id(raw)
            if parsed.error:
                return replace(parsed, value=None, error=f"an id {parsed.error}"), parsed.value
            return parsed, parsed.value
        if col.kind == "date":
            return parse_date(raw), raw
        if col.kind == "code":
            parsed = self.spec.codes[col.codes].parse(raw)
            if parsed.ok and not parsed.value:  # blank codes are stored as ""
                parsed = replace(parsed, value="")
            return parsed, raw
        if col.kind == "bool":
            return parse_yes_no(raw), raw
        if col.kind == "int":
            parsed = parse_int(raw, minimum=0)
            return (
                parsed if parsed.ok else replace(parsed, expected="a whole number, 0 or more")
            ), raw
        text = clean_text(raw)
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if len(text) > MAX_TEXT_CHARS:
            return Parsed(
                text[:MAX_TEXT_CHARS],
                warning=f"longer than {MAX_TEXT_CHARS} characters; cut short",
                warning_code=Code.TOO_LONG,
            ), text
        return Parsed(text), text


def _first_wide_row(
    block: list[Sequence], width: int, blank: set[int], cleaner: ColumnCleaner
) -> int:
    """The block's first (non-blank) row with values past the last header, or -1."""
    if max(map(len, block)) <= width:
        return -1
    for i, row in enumerate(block):
        if len(row) <= width or i in blank:
            continue
        tail = row[width:]
        if tail.count(None) + tail.count("") == len(tail):
            continue  # empty cells, from either kind of reader: in C
        if _has_values(cleaner.normalised(tail)):
            return i
    return -1


def _has_values(cells: tuple | list) -> bool:
    # rows come padded with None up to MAX_COLUMNS: count those in C first
    if cells.count(None) == len(cells):
        return False
    return any(clean_text(v) for v in cells)


def _is_blank(row: tuple | list) -> bool:
    if row.count(None) == len(row):
        return True
    return all(v is None or (isinstance(v, str) and not clean_text(v)) for v in row)


def _header_name(header: object, pos: int) -> str:
    text = re.sub(r"\s+", " ", clean_text(header))
    if not text:
        return f"column {column_letter(pos)}"
    return text if len(text) <= 70 else text[:69] + "…"

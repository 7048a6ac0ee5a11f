"""SSDA903 as CSV files: one file per table, recognised by its headers.

Files are streamed row by row (a 200 MB episodes file never sits in memory)
after one quick pass over the bytes to settle the encoding, by the rule all
readers share (returns/textfile.py): UTF-16 when a BOM says so, else UTF-8
(with or without a byte-order mark), else Windows-1252 with an info issue.
NUL bytes or bytes no encoding accepts mean the file is not text, and it is
rejected.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from operator import itemgetter
from pathlib import Path

from csc_scorecard.returns.base import ReadResult, RowSink
from csc_scorecard.returns.cleaning import clean_text
from csc_scorecard.returns.column_memo import chunks
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import FileRejected, IssueLog
from csc_scorecard.returns.ssda903.columnwise import TableReading
from csc_scorecard.returns.ssda903.parsing import (
    RowParser,
    YearVotes,
    identify_csv_header,
    match_columns,
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
from csc_scorecard.returns.textfile import file_encoding, note_encoding

# UASC first so the child rows can carry the asylum-seeker flag.
TABLE_ORDER = [
    "UASC",
    "Header",
    "Episodes",
    "Reviews",
    "OC2",
    "OC3",
    "AD1",
    "PlacedAdoption",
    "PrevPerm",
    "Missing",
    "SWEpisodes",
    "DoLo",
]


class _CsvFile:
    def __init__(self, path: Path, encoding: str, delimiter: str, headers: list[str], table: str):
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.headers = headers
        self.table = table

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(Excel row number, cells) for every record after the header row."""
        name = self.path.name
        with open(self.path, encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            row = 0
            header_done = False
            try:
                for record in reader:
                    row += 1
                    if not header_done:
                        header_done = not _is_blank(record)
                        continue
                    yield row, record
            except csv.Error as exc:
                raise FileRejected(name, f"malformed CSV at row {row + 1}: {exc}") from exc
            except UnicodeDecodeError as exc:  # the pre-pass makes this unlikely
                raise FileRejected(
                    name, f"unreadable text near row {row + 1}: {exc.reason}"
                ) from exc


def _is_blank(record: Sequence[str]) -> bool:
    return not record or all(not clean_text(cell) for cell in record)


def detect_encoding(path: Path, log: IssueLog | None = None) -> str:
    """The encoding to read `path` with (see returns/textfile.py); FileRejected when not text."""
    encoding = file_encoding(path)
    note_encoding(log, encoding)
    return encoding


def _first_line(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, newline="") as handle:
        for line in handle:
            if line.strip():
                return line
        return ""


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t", "|")}
    if counts[","]:
        return ","
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_csv(path: Path, log: IssueLog | None = None) -> _CsvFile:
    """Check a CSV's encoding and headers; FileRejected when it is not a 903 table."""
    encoding = detect_encoding(path, log)
    line = _first_line(path, encoding)
    if not line.strip():
        raise FileRejected(path.name, "the file has no header row (it is blank)")
    delimiter = _delimiter(line)
    try:
        headers = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        raise FileRejected(path.name, f"the header row cannot be read: {exc}") from exc
    table = identify_csv_header(headers)
    if table is None:
        shown = ", ".join(clean_text(h) for h in headers[:12] if clean_text(h))
        if len(shown) > 200:
            shown = shown[:200] + "…"
        raise FileRejected(
            path.name,
            f"not recognised as an SSDA903 table: its headers ({shown or 'none'}) match none of "
            f"Header, Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing, "
            f"SWEpisodes, DoLo",
        )
    return _CsvFile(path, encoding, delimiter, headers, table)


def read_csv_tables(
    paths: Sequence[Path | str],
    *,
    year: str = "",
    la_code: str = "",
    sink: RowSink | None = None,
) -> ReadResult:
    """Read a set of SSDA903 CSV files (a folder's worth) into canonical rows.

    Each file's table is recognised by its headers, whatever it is called.
    The collection year is `year` when given, else the one the file or folder
    names carry, else inferred from the episode dates (an INFO issue says
    which). Raises FileRejected when a file cannot be used at all.
    """
    files = [Path(p) for p in paths]
    result = ReadResult("ssda903", files, la_code=la_code)
    if sink is not None:
        result.sink = sink
    opened = [open_csv(path, result.log(path)) for path in files]

    year_label = _settle_year(opened, year, result)
    spec = load_spec(nearest_spec_year(year_label) if year_label else spec_years()[-1])

    votes = YearVotes() if result.year and not _inferred(result) else None
    uasc_ids: set[str] | None = None
    for csv_file in sorted(opened, key=lambda f: TABLE_ORDER.index(f.table)):
        log = result.log(csv_file.path)
        table = spec.tables.get(csv_file.table)
        if table is None:
            first = next((y for y in spec_years() if csv_file.table in load_spec(y).tables), "")
            log.warning(
                f"{csv_file.table} is collected only from {first}; this return is for "
                f"{spec.year}, so the file was not read",
                table=csv_file.table,
                code=Code.TABLE_NOT_THIS_YEAR,
            )
            continue
        ids = _read_table(csv_file, table, spec, result, log, uasc_ids, votes)
        if csv_file.table == "UASC":
            uasc_ids = (uasc_ids or set()) | ids
    if votes is not None:
        anchor = next((f for f in opened if f.table == "Episodes"), None)
        if anchor is not None:
            how = "given" if year else "taken from the file or folder name"
            votes.check(result.year, how, result.log(anchor.path))
    return result.finish()


def _inferred(result: ReadResult) -> bool:
    return any(i.code == Code.YEAR_INFERRED and "inferred" in i.message for i in result.issues)


def _settle_year(opened: list[_CsvFile], year: str, result: ReadResult) -> str:
    # Year issues go on the episodes file when there is one (else the first file).
    anchor = next((f for f in opened if f.table == "Episodes"), opened[0] if opened else None)
    first_log = result.log(anchor.path) if anchor else None
    if year:
        label = normalise_year(year)
    else:
        label = year_from_names(f.path for f in opened)
        if label and first_log:
            first_log.info(
                f"collection year {label} taken from the file or folder name", code=Code.YEAR_INFERRED
            )
        if not label:
            votes = YearVotes()
            for f in opened:
                if f.table == "Episodes":
                    _vote(f, votes)
            label, how = votes.decide()
            if first_log:
                if label:
                    first_log.info(how, code=Code.YEAR_INFERRED)
                else:
                    first_log.warning(
                        f"{how}; read with the {spec_years()[-1]} spec", code=Code.YEAR_UNKNOWN
                    )
    if label and first_log and nearest_spec_year(label) != label:
        first_log.info(
            f"no SSDA903 spec for {label}; read with the nearest, {nearest_spec_year(label)}",
            code=Code.YEAR_UNSUPPORTED,
        )
    result.year = label
    return label


def _vote(csv_file: _CsvFile, votes: YearVotes) -> None:
    mapping, _ = match_columns(csv_file.headers, all_tables()["Episodes"])
    wanted = {i: n for i, n in mapping.items() if n in ("DEC", "DECOM")}
    for _row, record in csv_file.records():
        for i, name in wanted.items():
            if i < len(record) and record[i]:
                votes.add(name, record[i])


def _read_table(
    csv_file: _CsvFile,
    table: TableSpec,
    spec: YearSpec,
    result: ReadResult,
    log: IssueLog,
    uasc_ids: set[str] | None,
    votes: YearVotes | None = None,
) -> set[str]:
    name = csv_file.path.name
    mapping, extras = match_columns(csv_file.headers, table)
    for extra in extras:
        log.info(
            f"column {extra!r} is not part of the {table.name} table and was ignored",
            table=table.name,
            row=1,
            column=extra,
            code=Code.EXTRA_COLUMN,
        )
    present = set(mapping.values())
    for col in table.columns.values():
        if not col.in_csv or col.derived or col.name in present:
            continue  # a derived column (PL_DISTANCE) is the council's to give or not
        if col.critical:
            raise FileRejected(
                name,
                f"the {table.name} table has no {col.name} column, and its rows cannot be used without it",
            )
        (log.warning if col.required else log.info)(
            f"no {col.name} column; the values are left blank",
            table=table.name,
            row=1,
            column=col.name,
            code=Code.MISSING_COLUMN,
        )

    parser = RowParser(spec, table, log)
    width = len(csv_file.headers)
    blank_rows = 0
    long_rows = 0
    read = 0
    ids: set[str] = set()
    seen_children: set[str] | None = set() if table.name == "Header" else None
    fast = TableReading(parser, mapping)
    for chunk in chunks(csv_file.records()):
        rows = fast.rows(list(map(itemgetter(1), chunk)), list(map(itemgetter(0), chunk)))
        for (row, record), fast_row in zip(chunk, rows, strict=True):
            if (fast_row is None or not fast.never_blank) and _is_blank(record):
                blank_rows += 1
                continue
            read += 1
            if len(record) > width and any(clean_text(c) for c in record[width:]):
                long_rows += 1
                if long_rows == 1:
                    log.warning(
                        "the row has more values than there are headers; the extra values were ignored",
                        table=table.name,
                        row=row,
                        code=Code.EXTRA_VALUES,
                    )
            # a record with anything to report: RowParser.parse reports it, as always
            parsed = fast_row if fast_row is not None else _parse(parser, mapping, record, row)
            if parsed is None:
                result.quarantine(table.canonical)
                continue
            child = parsed["child_id"]
            if votes is not None and table.name == "Episodes":
                votes.add_episode(parsed)
            if table.name == "UASC":
                ids.add(child)
            if seen_children is not None:
                if child in seen_children:
                    log.warning(
                        "this child already has a Header row; both are kept",
                        table=table.name,
                        row=row,
                        column="CHILD",
                        value=child,
                        code=Code.DUPLICATE_CHILD,
                    )
                seen_children.add(child)
                if uasc_ids is not None and child in uasc_ids:
                    parsed["asylum_seeker"] = True
            result.add_row(table.canonical, parsed)
    result.source_rows[table.name] = result.source_rows.get(table.name, 0) + read
    if long_rows > 1:
        log.warning(
            f"{long_rows} rows in all had more values than headers",
            table=table.name,
            code=Code.EXTRA_VALUES,
        )
    if blank_rows:
        log.info(f"{blank_rows} blank rows skipped", table=table.name, code=Code.BLANK_ROWS)
    if read == 0:
        log.info("the file has a header row but no data rows", table=table.name, code=Code.NO_ROWS)
    return ids


def _parse(parser: RowParser, mapping: dict[int, str], record: list[str], row: int) -> dict | None:
    raw = {col: (record[i] if i < len(record) else "") for i, col in mapping.items()}
    return parser.parse(raw, row)

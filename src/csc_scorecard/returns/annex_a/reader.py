"""Reading an Ofsted Annex A workbook (one sheet per list) or its lists as CSVs.

Where each list goes in the canonical model
  List 1 contacts          -> contact
  List 2 early help        -> early_help (organisation kept)
  List 3 referrals         -> referral (date, source, NFA, team, worker)
  List 4 assessments       -> assessment (start, authorised, team, worker)
  List 5 S47 enquiries     -> s47 (start, ICPC date, ICPC not required)
  List 6 children in need  -> referral: the CIN episode that starts on the CIN
                              start date (primary need, closure date and reason,
                              team, worker). When List 3 has a referral for the
                              same child on the same date the two are one row.
  List 7 CP plans          -> cp_plan; cp_review (latest review conference);
                              visit kind CP (last statutory visit, seen alone)
  List 8 looked after      -> cla_episode: one row per child from the date they
                              started to be looked after, with the current legal
                              status, placement, provider and any ceased date and
                              reason; cla_review (latest statutory review); visit
                              kind CLA (last social work visit)
  List 9 care leavers      -> care_leaver (in touch, activity, accommodation as
                              the 903 ACCOM code: type letter + 1 suitable / 2 not)
  List 10 adoption         -> placed_for_adoption (as in the 903: the date of the
                              decision that the child should be placed, the date
                              of the decision that they no longer should, RD code);
                              adoption (decision and matching dates) for children
                              with an adoption order date
  List 11 adopters         -> recognised and counted, not stored (adopters are
                              not children; the model has no table for them)

Every child named in lists 1-10 gets one merged `child` row (sex, birth date,
ethnicity, disability, UASC, and the team and worker of their latest event),
and every row that names an allocated team gives an `allocation` row starting
on that list's event date.

The work is split by responsibility: this module opens the files (and
refuses unsafe or broken ones) and runs a read; annex_a/tables.py finds
each table's header, recognises the list and cleans the values;
annex_a/canonical.py maps each list's rows to canonical rows (a run of clean
rows a column at a time: annex_a/canonical_columns.py) and annex_a/children.py
merges the children; annex_a/years.py finds the collection year in names and titles.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from csc_scorecard.periods import financial_year_of
from csc_scorecard.returns.annex_a.spec import identify_list
from csc_scorecard.returns.annex_a.tables import ListReader
from csc_scorecard.returns.annex_a.years import as_at_from_texts, window_text, year_from_texts
from csc_scorecard.returns.base import ReadResult, RowSink
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import FileRejected, IssueLog
from csc_scorecard.returns.textfile import csv_rows, read_text

MAX_COLUMNS = 300  # Annex A's widest list has 34 columns
MAX_XLSX_BYTES = 100 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000


def identify_annex_a_header(headers: list[str]) -> int | None:
    """The Annex A list number (1-11) a CSV header row belongs to, else None."""
    return identify_list(list(headers))


def read_annex_a_workbook(
    path: str | Path, *, year: str = "", la_code: str = "", sink: RowSink | None = None
) -> ReadResult:
    """Read an Annex A workbook; raises FileRejected when it is not a usable .xlsx."""
    path = Path(path)
    result = _new_result([path], year, la_code, sink)
    log = result.log(path)
    _check_xlsx(path)
    reader = ListReader(result)
    names = [path.name]
    sheets = _calamine_sheets(path)
    if sheets is None:  # calamine could not read it: openpyxl, whose errors we explain
        _read_with_openpyxl(path, log, reader, names)
    else:
        for title, rows in sheets:
            names.append(title)
            reader.read_table(log, iter(rows), source=title, in_workbook=True, native=True)
    if not reader.lists_found:
        raise FileRejected(
            path.name,
            "no Annex A list was recognised in any sheet: no row names a list's columns "
            "(e.g. 'Child Unique ID' with 'Date of Contact' for List 1)",
        )
    _finish(reader, log, names + reader.title_texts)
    return result.finish()


def _calamine_sheets(path: Path) -> list[tuple[str, list[list]]] | None:
    """Every worksheet's rows, read by calamine (Rust, ten times openpyxl's speed).

    Values come as calamine gives them ('' for an empty cell, floats, dates),
    rows at most MAX_COLUMNS wide; the list reader turns the few it parses
    one by one into openpyxl's shape (annex_a/columns.py). None when calamine
    cannot read the file, so openpyxl can say what is wrong with it.
    """
    if _has_error_cells(path):
        return None  # calamine reads '#N/A' as an empty cell; the reader reports them
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in workbook.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1].lower() != "worksheet":
                continue  # chart sheets hold no cells (openpyxl skips them too)
            rows = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            if rows and max(map(len, rows)) > MAX_COLUMNS:
                rows = [r[:MAX_COLUMNS] for r in rows]
            sheets.append((meta.name, rows))
        return sheets
    except Exception:  # noqa: BLE001 - any failure: fall back to openpyxl
        return None


def _has_error_cells(path: Path) -> bool:
    """Whether any worksheet has a cell of Excel's error type (t="e": #N/A, #REF!, ...)."""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with zf.open(info) as part:
                        tail = b""
                        while chunk := part.read(1 << 20):
                            window = tail + chunk
                            if b't="e"' in window or b"t='e'" in window:
                                return True
                            tail = chunk[-8:]
    except (OSError, zipfile.BadZipFile, RuntimeError):
        return True  # let openpyxl open it and say what is wrong
    return False


def _read_with_openpyxl(path: Path, log: IssueLog, reader: ListReader, names: list[str]) -> None:
    import openpyxl  # imported here: only workbook reading needs it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise FileRejected(
            path.name,
            f"the workbook cannot be opened ({type(exc).__name__}); save it again from Excel as .xlsx",
        ) from exc
    try:
        for ws in wb.worksheets:
            names.append(ws.title)
            try:
                ws.reset_dimensions()  # a wrong stored size must not hide rows
                rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
                reader.read_table(log, rows, source=ws.title, in_workbook=True)
            except FileRejected:
                raise
            except Exception as exc:
                raise FileRejected(
                    path.name,
                    f"sheet '{ws.title}' cannot be read ({type(exc).__name__}); the workbook is damaged",
                ) from exc
    finally:
        wb.close()


def read_annex_a_csvs(
    paths: Iterable[str | Path], *, year: str = "", la_code: str = "", sink: RowSink | None = None
) -> ReadResult:
    """Read Annex A lists saved as CSVs (one list per file)."""
    paths = [Path(p) for p in paths]
    result = _new_result(paths, year, la_code, sink)
    reader = ListReader(result)
    last_log = None
    for path in paths:
        log = result.log(path)
        last_log = log
        text = read_text(path, log)
        before = len(reader.lists_found)
        reader.read_table(log, csv_rows(path.name, text), source=path.stem, in_workbook=False)
        if len(reader.lists_found) == before:
            raise FileRejected(
                path.name,
                "the header row is not one of Ofsted's Annex A lists: it needs the child id "
                "and the list's own columns (e.g. 'Date of Referral' and 'Referral Source' for List 3)",
            )
    if last_log is not None:
        _finish(reader, last_log, [p.name for p in paths] + reader.title_texts)
    return result.finish()


def _new_result(paths: list[Path], year: str, la_code: str, sink: RowSink | None) -> ReadResult:
    result = ReadResult(return_type="annex_a", files=paths, year=year, la_code=la_code)
    if sink is not None:
        result.sink = sink
    return result


def _check_xlsx(path: Path) -> None:
    """Refuse anything that is not a plain .xlsx before openpyxl sees it."""
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise FileRejected(name, f"the file cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise FileRejected(name, "the file is empty")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            name,
            "this is an old-style .xls workbook or a password-protected one; save it from Excel as .xlsx without a password",
        )
    if size > MAX_XLSX_BYTES:
        raise FileRejected(
            name, f"the workbook is {size // (1024 * 1024)} MB, far larger than any Annex A"
        )
    if not head.startswith(b"PK"):
        looks_text = all(32 <= b < 127 or b in (9, 10, 13) for b in head) or head.startswith(
            b"\xef\xbb\xbf"
        )
        what = "it looks like a CSV or text file" if looks_text else "its content is not a workbook"
        raise FileRejected(
            name,
            f"not an Excel .xlsx workbook ({what}); upload the .xlsx, or the lists as .csv files",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise FileRejected(name, "a zip file, but not an Excel .xlsx workbook")
            if len(infos) > MAX_ZIP_MEMBERS:
                raise FileRejected(
                    name,
                    "the workbook has an implausible number of parts; it is not a normal Excel file",
                )
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNZIPPED_BYTES or (total > 50 * 1024 * 1024 and total / packed > 200):
                raise FileRejected(
                    name,
                    "the workbook unpacks to an implausible size (a 'zip bomb'); it was not opened",
                )
            if any(i.flag_bits & 0x1 for i in infos):
                raise FileRejected(
                    name, "the workbook's parts are encrypted; remove the password and save again"
                )
    except zipfile.BadZipFile as exc:
        raise FileRejected(
            name, "not a readable .xlsx workbook (the zip structure is damaged)"
        ) from exc


def _finish(reader: ListReader, log: IssueLog, names: list[str]) -> None:
    reader.rows.finish()
    result = reader.result
    result.as_at = as_at_from_texts(reader.title_texts)
    if result.year:
        return  # given by the caller: the store checks the window against it
    end = result.as_at or result.window_end
    content_year = financial_year_of(end) if end else ""
    window = window_text(result.window_start, result.window_end, result.as_at)
    named, how = year_from_texts(names)
    if content_year and named and named != content_year:
        # a name is a guess; the dates in the lists are evidence
        log.warning(
            f"the name suggests collection year {named} ({how}), but its lists cover {window}, "
            f"which ends in {content_year}: filed under {content_year}. Give --year to file it "
            "otherwise",
            code=Code.YEAR_MISMATCH,
        )
        result.year = content_year
    elif content_year:
        result.year = content_year
        log.info(
            f"collection year {content_year} taken from the window its lists cover ({window})",
            code=Code.YEAR_INFERRED,
        )
    elif named:
        result.year = named
        log.info(f"collection year {named} taken from {how}", code=Code.YEAR_INFERRED)


__all__ = ["identify_annex_a_header", "read_annex_a_workbook", "read_annex_a_csvs"]

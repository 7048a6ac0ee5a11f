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
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from csc_scorecard.returns.annex_a.codes import parse_yes_no
from csc_scorecard.returns.annex_a.spec import (
    ColumnSpec,
    ListSpec,
    identify_list,
    load_spec,
    match_columns,
)
from csc_scorecard.returns.base import ReadResult, RowSink
from csc_scorecard.returns.cleaning import (
    clean_child_id,
    clean_text,
    parse_date,
    parse_int,
    year_from_text,
)
from csc_scorecard.returns.issues import FileRejected, IssueLog
from csc_scorecard.returns.local.textfile import csv_rows, read_text

HEADER_SCAN_ROWS = 30  # title rows above the header are looked through this far
MAX_COLUMNS = 300  # Annex A's widest list has 34 columns
MAX_XLSX_BYTES = 100 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_ID_CHARS = 50
MAX_TEXT_CHARS = 80

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
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_LIST_IN_NAME = re.compile(r"list[\s_\-]*(\d{1,2})(?!\d)", re.I)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_YEAR = re.compile(
    r"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[\s_\-.]*((?:19|20)\d{2})(?!\d)",
    re.I,
)
_YEAR_MONTH = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[\s_\-.]*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I
)


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
    import openpyxl  # imported here: only workbook reading needs it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise FileRejected(
            path.name,
            f"the workbook cannot be opened ({type(exc).__name__}); save it again from Excel as .xlsx",
        ) from exc
    reader = _AnnexAReader(result)
    names = [path.name]
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
    if not reader.lists_found:
        raise FileRejected(
            path.name,
            "no Annex A list was recognised in any sheet: no row names a list's columns "
            "(e.g. 'Child Unique ID' with 'Date of Contact' for List 1)",
        )
    reader.finish(log, names + reader.title_texts)
    return result.finish()


def read_annex_a_csvs(
    paths: Iterable[str | Path], *, year: str = "", la_code: str = "", sink: RowSink | None = None
) -> ReadResult:
    """Read Annex A lists saved as CSVs (one list per file)."""
    paths = [Path(p) for p in paths]
    result = _new_result(paths, year, la_code, sink)
    reader = _AnnexAReader(result)
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
        reader.finish(last_log, [p.name for p in paths] + reader.title_texts)
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


def _year_from_texts(texts: list[str]) -> tuple[str, str]:
    """A collection year named in file/sheet names or title rows, and how it was found."""
    for text in texts:
        found = year_from_text(text)
        if found:
            return found, f"named in '{text[:60]}'"
    for text in texts:
        match = _MONTH_YEAR.search(text)
        if match:
            month, year = _MONTHS.index(match.group(1)[:3].lower()) + 1, int(match.group(2))
        else:
            match = _YEAR_MONTH.search(text)
            if not match:
                continue
            month, year = _MONTHS.index(match.group(2)[:3].lower()) + 1, int(match.group(1))
        start = year if month >= 4 else year - 1
        label = f"{start}-{(start + 1) % 100:02d}"
        return (
            label,
            f"the collection year containing {dt.date(year, month, 1):%B %Y}, named in '{text[:60]}'",
        )
    return "", ""


@dataclass
class _ChildInfo:
    source_row: int
    where: str  # "List 1 (contacts), sheet 'List 1' row 5": for conflict messages
    sex: str = ""
    birth_date: dt.date | None = None
    ethnicity: str = ""
    disabilities: str = ""
    asylum_seeker: bool | None = None
    team: str = ""
    worker: str = ""
    team_date: dt.date | None = None
    team_seen: bool = False


@dataclass
class _Referral:
    row: dict
    from_list3: bool


@dataclass
class _AnnexAReader:
    result: ReadResult
    lists_found: dict[int, list[str]] = field(default_factory=dict)  # list -> sources
    title_texts: list[str] = field(default_factory=list)
    children: dict[str, _ChildInfo] = field(default_factory=dict)
    referrals: dict[tuple[str, dt.date], _Referral] = field(default_factory=dict)
    extra_referrals: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.spec = load_spec()

    # ---- tables -------------------------------------------------------------

    def read_table(
        self, log: IssueLog, rows: Iterator[tuple | list], *, source: str, in_workbook: bool
    ) -> None:
        """Find the header row of one sheet/CSV, recognise the list and read its rows."""
        scanned: list[tuple[int, tuple | list]] = []
        header_row = 0
        number = None
        for excel_row, row in enumerate(rows, start=1):
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
                    log.warning(message, table=source, code="unknown-sheet", expected=expected)
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
                code="list-name-mismatch",
            )
        if number in self.lists_found:
            log.warning(
                f"{spec.label} was already read from {self.lists_found[number][0]}; both are read",
                table=table,
                code="duplicate-list",
            )
        self.lists_found.setdefault(number, []).append(source)
        headers = list(scanned[-1][1])
        self._read_rows(log, spec, table, headers, header_row, rows)

    def _read_rows(
        self,
        log: IssueLog,
        spec: ListSpec,
        table: str,
        headers: list,
        header_row: int,
        rows: Iterator,
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
                    code="extra-column",
                )
        found = {col.key for col in colmap.values()}
        for col in spec.columns:
            if col.kind != "skip" and col.key not in found:
                log.info(
                    "column not found; its values are left empty",
                    table=table,
                    row=header_row,
                    column=col.key.replace("_", " "),
                    code="missing-column",
                )
        label = spec.label
        self.result.source_rows.setdefault(label, 0)
        wide_reported = False
        for excel_row, row in enumerate(rows, start=header_row + 1):
            if _is_blank(row):
                continue
            self.result.source_rows[label] += 1
            if not wide_reported and any(clean_text(v) for v in list(row)[width:]):
                log.warning(
                    "values in columns without a header are ignored",
                    table=table,
                    row=excel_row,
                    column=_column_letter(width),
                    code="extra-values",
                )
                wide_reported = True
            values, ok = self._parse_row(log, spec, table, colmap, names, row, excel_row)
            if not ok:
                if spec.table:
                    self.result.quarantine(spec.table)
                continue
            self._emit(log, spec, table, values, excel_row)
        if spec.number == 11 and self.result.source_rows[label]:
            log.info(
                "List 11 (adopters) is recognised and counted, but adopters are not stored: the case model holds children only",
                table=table,
                code="not-stored",
            )

    # ---- values -------------------------------------------------------------

    def _parse_row(
        self,
        log: IssueLog,
        spec: ListSpec,
        table: str,
        colmap: dict[int, ColumnSpec],
        names: dict[int, str],
        row: tuple | list,
        excel_row: int,
    ) -> tuple[dict, bool]:
        values: dict[str, object] = {}
        ok = True
        for pos, col in colmap.items():
            if col.kind == "skip":
                continue
            raw = row[pos] if pos < len(row) else None
            column = names[pos]
            loc = {"table": table, "row": excel_row, "column": column}
            if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
                problem = "an Excel error value, not data" + (
                    "" if not col.required else "; the row cannot be used"
                )
                if col.required:
                    log.error(problem, value=raw, code="excel-error", **loc)
                    ok = False
                else:
                    log.warning(problem + "; left empty", value=raw, code="excel-error", **loc)
                values[col.key] = None
                continue
            value = self._parse_value(log, col, raw, loc)
            if value is _BAD:
                if col.required:
                    ok = False
                value = None
            if col.required and value in (None, "") and ok:
                what = (
                    "child id"
                    if col.kind == "id" and spec.id_key == "child_id"
                    else col.key.replace("_", " ")
                )
                log.error(
                    f"the {what} is missing; the row cannot be used", code="missing-value", **loc
                )
                ok = False
            values[col.key] = value
        for col in spec.columns:
            if col.required and col.kind != "skip" and col.key not in values:
                ok = False  # cannot happen for recognised lists, but never store a keyless row
        return values, ok

    def _parse_value(self, log: IssueLog, col: ColumnSpec, raw: object, loc: dict) -> object:
        sev = log.error if col.required else log.warning
        tail = "; the row cannot be used" if col.required else "; left empty"
        if col.kind == "id":
            value = clean_child_id(raw)
            if len(value) > MAX_ID_CHARS:
                log.error(
                    f"an id longer than {MAX_ID_CHARS} characters; the row cannot be used",
                    value=value,
                    code="bad-id",
                    **loc,
                )
                return _BAD
            return value
        if col.kind == "date":
            parsed = parse_date(raw)
            if not parsed.ok:
                sev(
                    parsed.error + tail, value=raw, code="bad-date", expected=parsed.expected, **loc
                )
                return _BAD
            if parsed.warning:
                log.warning(
                    parsed.warning, value=raw, code="date-format", expected=parsed.expected, **loc
                )
            return parsed.value
        if col.kind == "code":
            codelist = self.spec.codes[col.codes]
            parsed = codelist.parse(raw)
            if not parsed.ok:
                sev(
                    parsed.error + tail, value=raw, code="bad-code", expected=parsed.expected, **loc
                )
                return _BAD
            return parsed.value or ""
        if col.kind == "bool":
            parsed = parse_yes_no(raw)
            if not parsed.ok:
                sev(
                    parsed.error + tail,
                    value=raw,
                    code="bad-yes-no",
                    expected=parsed.expected,
                    **loc,
                )
                return _BAD
            return parsed.value
        if col.kind == "int":
            parsed = parse_int(raw, minimum=0)
            if not parsed.ok:
                sev(
                    parsed.error + tail,
                    value=raw,
                    code="bad-number",
                    expected="a whole number, 0 or more",
                    **loc,
                )
                return _BAD
            return parsed.value
        text = clean_text(raw)
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if len(text) > MAX_TEXT_CHARS:
            log.warning(
                f"longer than {MAX_TEXT_CHARS} characters; cut short",
                value=text,
                code="too-long",
                **loc,
            )
            text = text[:MAX_TEXT_CHARS]
        return text

    # ---- canonical rows -----------------------------------------------------

    def _emit(self, log: IssueLog, spec: ListSpec, table: str, v: dict, excel_row: int) -> None:
        n = spec.number
        if n == 11:
            return
        cid = v["child_id"]
        base = {"child_id": cid, "source_row": excel_row}
        add = self.result.add_row
        team = v.get("team") or ""
        worker = v.get("worker") or ""
        event = v.get(spec.event) if spec.event else None
        if n == 1:
            add(
                "contact",
                {
                    **base,
                    "contact_date": v["contact_date"],
                    "source": v.get("source") or "",
                    "team": "",
                },
            )
        elif n == 2:
            self._check_order(
                log,
                table,
                excel_row,
                v.get("start_date"),
                v.get("end_date"),
                "assessment completion date",
            )
            add(
                "early_help",
                {
                    **base,
                    "start_date": v["start_date"],
                    "end_date": v.get("end_date"),
                    "organisation": v.get("organisation") or "",
                },
            )
        elif n == 3:
            row = {
                **base,
                "referral_date": v["referral_date"],
                "source": v.get("source") or "",
                "primary_need": "",
                "closure_date": None,
                "closure_reason": "",
                "nfa": v.get("nfa"),
                "team": team,
                "worker": worker,
            }
            self._add_referral(row, from_list3=True)
        elif n == 4:
            self._check_order(
                log,
                table,
                excel_row,
                v.get("start_date"),
                v.get("authorised_date"),
                "authorisation date",
            )
            add(
                "assessment",
                {
                    **base,
                    "referral_date": None,
                    "start_date": v["start_date"],
                    "authorised_date": v.get("authorised_date"),
                    "factors": "",
                    "team": team,
                    "worker": worker,
                },
            )
        elif n == 5:
            self._check_order(
                log, table, excel_row, v.get("start_date"), v.get("icpc_date"), "ICPC date"
            )
            add(
                "s47",
                {
                    **base,
                    "referral_date": None,
                    "start_date": v["start_date"],
                    "icpc_target_date": None,
                    "icpc_date": v.get("icpc_date"),
                    "icpc_not_required": v.get("icpc_not_required"),
                },
            )
        elif n == 6:
            self._check_order(
                log,
                table,
                excel_row,
                v.get("cin_start_date"),
                v.get("closure_date"),
                "CIN closure date",
            )
            row = {
                **base,
                "referral_date": v["cin_start_date"],
                "source": "",
                "primary_need": v.get("primary_need") or "",
                "closure_date": v.get("closure_date"),
                "closure_reason": v.get("closure_reason") or "",
                "nfa": None,
                "team": team,
                "worker": worker,
            }
            self._add_referral(row, from_list3=False)
        elif n == 7:
            self._check_order(
                log, table, excel_row, v.get("start_date"), v.get("end_date"), "plan end date"
            )
            add(
                "cp_plan",
                {
                    **base,
                    "referral_date": None,
                    "start_date": v["start_date"],
                    "end_date": v.get("end_date"),
                    "initial_category": v.get("initial_category") or "",
                    "latest_category": v.get("latest_category") or "",
                    "previous_plans": v.get("previous_plans"),
                    "team": team,
                    "worker": worker,
                },
            )
            if v.get("review_date"):
                add(
                    "cp_review",
                    {**base, "plan_start_date": v["start_date"], "review_date": v["review_date"]},
                )
            if v.get("last_visit_date"):
                add(
                    "visit",
                    {
                        **base,
                        "kind": "CP",
                        "visit_date": v["last_visit_date"],
                        "seen_alone": v.get("seen_alone"),
                    },
                )
        elif n == 8:
            self._check_order(
                log,
                table,
                excel_row,
                v.get("start_date"),
                v.get("end_date"),
                "date ceased to be looked after",
            )
            postcode = self._postcode(log, table, excel_row, v.get("placement_postcode") or "")
            urn = (v.get("urn") or "").upper()
            if len(urn) > 10:
                log.warning(
                    "a URN longer than 10 characters; left empty",
                    table=table,
                    row=excel_row,
                    column="URN of Placement",
                    value=urn,
                    code="bad-urn",
                )
                urn = ""
            add(
                "cla_episode",
                {
                    **base,
                    "start_date": v["start_date"],
                    "reason_new_episode": "",
                    "legal_status": v.get("legal_status") or "",
                    "cin_category": v.get("cin_category") or "",
                    "placement": v.get("placement") or "",
                    "provider": v.get("provider") or "",
                    "end_date": v.get("end_date"),
                    "reason_ceased": v.get("reason_ceased") or "",
                    "reason_place_change": "",
                    "home_postcode": "",
                    "placement_postcode": postcode,
                    "urn": urn,
                },
            )
            if v.get("review_date"):
                add("cla_review", {**base, "review_date": v["review_date"], "review_code": ""})
            if v.get("last_visit_date"):
                add(
                    "visit",
                    {**base, "kind": "CLA", "visit_date": v["last_visit_date"], "seen_alone": None},
                )
        elif n == 9:
            accommodation = v.get("accommodation") or ""
            if accommodation and v.get("suitability"):
                accommodation += v["suitability"]
            add(
                "care_leaver",
                {
                    **base,
                    "birth_date": v.get("birth_date"),
                    "in_touch": v.get("in_touch") or "",
                    "activity": v.get("activity") or "",
                    "accommodation": accommodation,
                },
            )
        elif n == 10:
            self._check_order(
                log,
                table,
                excel_row,
                v.get("decision_date"),
                v.get("ceased_date"),
                "date of the decision that the child should no longer be placed",
            )
            add(
                "placed_for_adoption",
                {
                    **base,
                    "birth_date": v.get("birth_date"),
                    "placed_date": v["decision_date"],
                    "ceased_date": v.get("ceased_date"),
                    "reason_ceased": v.get("ceased_reason") or "",
                },
            )
            if v.get("adoption_order_date"):
                add(
                    "adoption",
                    {
                        **base,
                        "birth_date": v.get("birth_date"),
                        "decision_date": v["decision_date"],
                        "match_date": v.get("match_date"),
                        "foster_care": None,
                        "number_of_adopters": None,
                        "sex_of_adopters": "",
                        "legal_status_of_adopters": "",
                    },
                )
        if team:
            add(
                "allocation",
                {**base, "team": team, "worker": worker, "start_date": event, "end_date": None},
            )
        self._merge_child(log, spec, table, v, excel_row, event)

    def _check_order(self, log, table, excel_row, start, end, what: str) -> None:
        if start and end and end < start:
            log.warning(
                f"the {what} is before the start date",
                table=table,
                row=excel_row,
                value=end.isoformat(),
                code="date-order",
            )

    def _postcode(self, log: IssueLog, table: str, excel_row: int, text: str) -> str:
        if not text:
            return ""
        compact = re.sub(r"\s+", "", text.upper())
        if len(compact) >= 5 and _POSTCODE.match(compact[:-3] + " " + compact[-3:]):
            return compact[:-3] + " " + compact[-3:]
        log.warning(
            "not a UK postcode; left empty",
            table=table,
            row=excel_row,
            column="Placement postcode",
            value=text,
            code="bad-postcode",
            expected="a postcode such as AB1 2CD",
        )
        return ""

    def _add_referral(self, row: dict, *, from_list3: bool) -> None:
        key = (row["child_id"], row["referral_date"])
        held = self.referrals.get(key)
        if held is None:
            self.referrals[key] = _Referral(row, from_list3)
            return
        if held.from_list3 == from_list3:
            self.extra_referrals.append(row)  # two referrals on one day in the same list: keep both
            return
        list3, list6 = (held.row, row) if held.from_list3 else (row, held.row)
        merged = dict(list3)
        for name in ("primary_need", "closure_date", "closure_reason"):
            merged[name] = list6[name]
        for name in ("team", "worker"):
            merged[name] = list3[name] or list6[name]
        self.referrals[key] = _Referral(merged, True)

    def _merge_child(
        self, log: IssueLog, spec: ListSpec, table: str, v: dict, excel_row: int, event
    ) -> None:
        cid = v["child_id"]
        info = self.children.get(cid)
        if info is None:
            info = self.children[cid] = _ChildInfo(excel_row, f"{table} row {excel_row}")
        for name, key in (("sex", "sex"), ("birth_date", "birth_date"), ("ethnicity", "ethnicity")):
            new = v.get(key)
            if new in (None, ""):
                continue
            old = getattr(info, name)
            if old in (None, ""):
                setattr(info, name, new)
            elif old != new:
                log.warning(
                    f"this child's {name.replace('_', ' ')} differs from the one given in {info.where}; the first is kept",
                    table=table,
                    row=excel_row,
                    column=name.replace("_", " "),
                    value=new.isoformat() if isinstance(new, dt.date) else new,
                    code="child-conflict",
                )
        disability = v.get("disability")
        if disability and (not info.disabilities or info.disabilities == "NONE"):
            info.disabilities = disability
        if v.get("uasc") is not None and info.asylum_seeker is not True:
            info.asylum_seeker = v["uasc"]
        team = v.get("team") or ""
        if team:
            later = not info.team_seen or (
                event is not None and (info.team_date is None or event >= info.team_date)
            )
            if later:
                info.team, info.worker, info.team_date, info.team_seen = (
                    team,
                    v.get("worker") or "",
                    event,
                    True,
                )

    # ---- end ----------------------------------------------------------------

    def finish(self, log: IssueLog, names: list[str]) -> None:
        for held in self.referrals.values():
            self.result.add_row("referral", held.row)
        for row in self.extra_referrals:
            self.result.add_row("referral", row)
        for cid, info in self.children.items():
            self.result.add_row(
                "child",
                {
                    "child_id": cid,
                    "source_row": info.source_row,
                    "upn": "",
                    "sex": info.sex,
                    "birth_date": info.birth_date,
                    "expected_birth_date": None,
                    "death_date": None,
                    "ethnicity": info.ethnicity,
                    "disabilities": info.disabilities,
                    "asylum_seeker": info.asylum_seeker,
                    "mother": None,
                    "child_birth_date": None,
                    "team": info.team,
                    "worker": info.worker,
                },
            )
        if not self.result.year:
            found, how = _year_from_texts(names)
            if found:
                self.result.year = found
                log.info(f"collection year {found} taken from {how}", code="year-guessed")


class _Bad:
    pass


_BAD = _Bad()


def _is_blank(row: tuple | list) -> bool:
    return all(v is None or (isinstance(v, str) and not clean_text(v)) for v in row)


def _column_letter(pos: int) -> str:
    letters = ""
    n = pos + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header_name(header: object, pos: int) -> str:
    text = re.sub(r"\s+", " ", clean_text(header))
    if not text:
        return f"column {_column_letter(pos)}"
    return text if len(text) <= 70 else text[:69] + "…"


__all__ = ["identify_annex_a_header", "read_annex_a_workbook", "read_annex_a_csvs"]

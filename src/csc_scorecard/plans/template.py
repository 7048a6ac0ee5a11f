"""The plan template: reading its sheets from xlsx, csv or yml, strict validation, writing xlsx.

A plan file has the sheets in :data:`SHEETS` (columns in order; ``*`` marks a
required column).  An xlsx workbook has one worksheet per sheet; a yml file
is a mapping of sheet name to a list of rows; csv is one file per sheet named
after it (``actions.csv`` ...) in one folder - give the folder or any of its
files.  docs/plans.md describes every column.

Validation collects every problem, each located (sheet, row as the file
numbers it, column, value, what was expected); the caller stores nothing
unless there are none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from csc_scorecard.plans.rules import Direction, Status, Trend, parse_day, parse_deadline

__all__ = [
    "SHEETS",
    "PlanFileError",
    "Problem",
    "Sheets",
    "read_sheets",
    "split_list",
    "write_xlsx",
]

#: sheet -> columns, in order; a trailing * marks a required column
SHEETS: dict[str, tuple[str, ...]] = {
    "plan": ("reference*", "title*", "period", "governing_body"),
    "programmes": ("programme*", "title*", "lead_delivery_group", "chair", "lead_sponsor",
                   "scrutiny_champion"),
    "objectives": ("programme*", "objective*", "text*"),
    "actions": ("programme*", "objective*", "action*", "text*", "owners", "deadline", "success",
                "kpi", "indicators", "outcome", "status", "direction", "recommendations"),
    "progress": ("programme*", "objective*", "action*", "date*", "note*", "author"),
    "risks": ("programme*", "risk_number*", "risk*", "impacts", "mitigations", "owner",
              "likelihood*", "impact*", "review_date", "trend"),
    "measures": ("measure_id*", "title*", "unit*", "polarity*", "decimals", "definition", "source"),
    "measure_values": ("measure_id*", "period*", "value", "numerator", "denominator", "source"),
    "highlights": ("programme*", "period*", "report_date", "status", "trend", "reason",
                   "achievements", "slippage", "voice_of_children", "next_period", "risks",
                   "issues", "variances", "decisions", "state"),
}
PLAN_SHEETS_REQUIRED = ("plan", "programmes", "objectives", "actions")


# Another template (the scrutiny app's) passes its own sheet -> columns mapping as ``spec``.
Spec = dict[str, tuple[str, ...]]


def columns(sheet: str, spec: Spec | None = None) -> list[str]:
    return [c.rstrip("*") for c in (spec or SHEETS)[sheet]]


def required(sheet: str, spec: Spec | None = None) -> list[str]:
    return [c.rstrip("*") for c in (spec or SHEETS)[sheet] if c.endswith("*")]


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # as the file numbers it (header = row 1); None for the whole sheet
    column: str
    value: str
    message: str
    letter: str = ""  # the spreadsheet column letter, when known

    def __str__(self) -> str:
        # a problem with the whole file or workbook names it, not a sheet
        where = [self.sheet.strip("()") if self.sheet.startswith("(") else f"sheet {self.sheet}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}" + (f" ({self.letter})" if self.letter else ""))
        shown = f" {self.value!r}:" if self.value else ""
        return f"{', '.join(where)}:{shown} {self.message}"


class PlanFileError(ValueError):
    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in {source}; nothing was imported")


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str] = field(default_factory=dict)

    def text(self, column: str) -> str:
        return cell_text(self.values.get(column))


@dataclass
class Sheets:
    source: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def cell_text(value: Any) -> str:
    """A cell as text: whole floats without '.0', dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_SPLIT = re.compile(r"[;\n]+")


def split_list(text: str, *, commas: bool = False) -> list[str]:
    """';' or new-line separated entries (and ',' for id lists), blanks dropped."""
    pattern = re.compile(r"[;,\n\s]+") if commas else _SPLIT
    return [part.strip() for part in pattern.split(text or "") if part.strip()]


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _add_table(sheets: Sheets, sheet: str, header: list[Any], body: Iterable[tuple[int, list[Any]]],
               *, letters: bool, spec: Spec | None = None) -> None:
    names = [cell_text(h).lower().replace(" ", "_") for h in header]
    sheets.headers[sheet] = [n for n in names if n]
    known = set(columns(sheet, spec))
    for i, name in enumerate(names):
        if name and name not in known:
            sheets.problems.append(Problem(sheet, 1, name, "", "unknown column; expected one of "
                                           + ", ".join(columns(sheet, spec)),
                                           _letter(i) if letters else ""))
    for col in required(sheet, spec):
        if col not in names:
            sheets.problems.append(Problem(sheet, 1, col, "", "required column is missing"))
    rows: list[Row] = []
    for number, cells in body:
        if all(cell_text(c) == "" for c in cells):
            continue
        values = {n: cells[i] if i < len(cells) else None for i, n in enumerate(names) if n}
        row_letters = {n: _letter(i) for i, n in enumerate(names) if n} if letters else {}
        rows.append(Row(sheet, number, values, row_letters))
    sheets.rows[sheet] = rows


def _read_xlsx(path: Path, sheets: Sheets, spec: Spec) -> None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or non-Excel file: say so, no traceback
        raise PlanFileError(path.name, [Problem("(workbook)", None, "", "", f"cannot be read as xlsx: {exc}")]) from None
    for ws in book.worksheets:
        name = ws.title.strip().lower().replace(" ", "_")
        if name not in spec:
            continue
        all_rows = list(ws.iter_rows(values_only=True))
        if not all_rows:
            continue
        _add_table(sheets, name, list(all_rows[0]),
                   ((i + 2, list(r)) for i, r in enumerate(all_rows[1:])), letters=True, spec=spec)
    book.close()


def _file_text(path: Path) -> str:
    """A csv or yml file's text, or a located refusal for bytes that are not UTF-8 text."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFileError(path.name, [Problem(f"({path.name})", None, "", "",
                                                f"not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8")]) from None


def _read_file_text(name: str, text: str, sheets: Sheets, spec: Spec | None = None) -> None:
    try:
        reader = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # a NUL byte or a broken quote: the whole sheet is unusable
        sheets.problems.append(Problem(name, None, "", "", f"cannot be read as csv: {exc}"))
        return
    if not reader:
        return
    _add_table(sheets, name, reader[0], ((i + 2, r) for i, r in enumerate(reader[1:])), letters=False,
               spec=spec)


def _read_csv(path: Path, sheets: Sheets, single_sheet: str | None, spec: Spec) -> None:
    folder = path if path.is_dir() else path.parent
    if single_sheet and path.is_file():
        _read_file_text(single_sheet, _file_text(path), sheets, spec)
        return
    for sheet in spec:
        candidate = folder / f"{sheet}.csv"
        if candidate.exists():
            _read_file_text(sheet, _file_text(candidate), sheets, spec)


def _read_yml(path: Path, sheets: Sheets, single_sheet: str | None, spec: Spec) -> None:
    try:
        data = yaml.safe_load(_file_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        why = getattr(exc, "problem", None) or "cannot be parsed"
        raise PlanFileError(path.name, [Problem("(file)", None, "", "", f"not valid YAML{where}: {why}")]) from None
    if isinstance(data, list) and single_sheet:
        data = {single_sheet: data}
    if not isinstance(data, dict):
        raise PlanFileError(path.name, [Problem("(file)", None, "", "", "expected a mapping of sheet name to a list of rows")])
    for sheet, rows in data.items():
        name = str(sheet).strip().lower()
        if name not in spec:
            sheets.problems.append(Problem(str(sheet), None, "", "", "unknown sheet; expected one of " + ", ".join(spec)))
            continue
        if isinstance(rows, dict):  # the plan sheet may be one mapping
            rows = [rows]
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            sheets.problems.append(Problem(name, None, "", "", "expected a list of rows (mappings)"))
            continue
        header: list[str] = []
        for r in rows:
            header += [str(k) for k in r if str(k) not in header]
        body = ((i + 1, [r.get(h) for h in header]) for i, r in enumerate(rows))
        _add_table(sheets, name, header, body, letters=False, spec=spec)


def read_sheets(path: Path | str, *, single_sheet: str | None = None, spec: Spec | None = None) -> Sheets:
    """Every template sheet found in ``path`` (xlsx, yml/yaml, csv or a folder of csv).

    ``spec``: the template's sheets and columns (default the plan template's :data:`SHEETS`).
    """
    spec = spec or SHEETS
    path = Path(path)
    sheets = Sheets(source=path.name)
    if not path.exists():
        raise PlanFileError(path.name, [Problem("(file)", None, "", str(path), "no such file or folder")])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _read_xlsx(path, sheets, spec)
    elif suffix in (".yml", ".yaml"):
        _read_yml(path, sheets, single_sheet, spec)
    elif suffix == ".csv" or path.is_dir():
        _read_csv(path, sheets, single_sheet, spec)
    else:
        raise PlanFileError(path.name, [Problem("(file)", None, "", path.suffix,
                                                "unknown file type; expected .xlsx, .csv or .yml")])
    return sheets


# --------------------------------------------------------------------------
# Cell checks used by the validator: each returns the parsed value or records a problem
# --------------------------------------------------------------------------


class Checker:
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def bad(self, row: Row, column: str, message: str) -> None:
        self.problems.append(Problem(row.sheet, row.number, column, row.text(column), message,
                                     row.letters.get(column, "")))

    def required(self, row: Row, column: str) -> str:
        text = row.text(column)
        if not text:
            self.problems.append(Problem(row.sheet, row.number, column, "", "is required",
                                         row.letters.get(column, "")))
        return text

    def parsed(self, row: Row, column: str, parse, default=None):
        if not row.text(column):
            return default
        raw = row.values.get(column)
        try:
            return parse(raw if isinstance(raw, dt.date) else row.text(column))
        except ValueError as exc:
            self.bad(row, column, str(exc))
            return default

    def whole(self, row: Row, column: str, low: int, high: int | None = None) -> int | None:
        text = row.text(column)
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            span = f"from {low} to {high}" if high is not None else f"of {low} or more"
            self.bad(row, column, f"expected a whole number {span}")
            return None
        return number

    def number(self, row: Row, column: str) -> float | None:
        text = row.text(column).replace(",", "")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            self.bad(row, column, "expected a number")
            return None


PARSERS = {
    "status": Status.parse,
    "direction": Direction.parse,
    "trend": Trend.parse,
    "deadline": parse_deadline,
    "day": parse_day,
}


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_xlsx(tables: dict[str, list[dict[str, Any]]], out: Path | str, spec: Spec | None = None) -> Path:
    """One worksheet per sheet, the header row bold and frozen, every column of the template."""
    import xlsxwriter

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(out))
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for sheet, rows in tables.items():
        ws = book.add_worksheet(sheet)
        cols = columns(sheet, spec)
        for c, name in enumerate(cols):
            ws.write_string(0, c, name, bold)
            ws.set_column(c, c, 40 if name in ("text", "risk", "note", "success", "kpi", "outcome",
                                                "impacts", "mitigations", "title", "reason",
                                                "agreed_outcome", "agenda_item", "override_reason",
                                                "notes") else 16)
        ws.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for c, name in enumerate(cols):
                ws.write_string(r, c, cell_text(row.get(name)), wrap)
    book.close()
    return out

"""The project's own local CSV extracts: teams, allocations, visits, workforce, and the
optional extracts for what the returns do not hold (returns/local/extracts.py).

Formats are described in docs/local_csvs.md. Each file holds one kind of
extract, recognised from its header row. Rows are checked one by one; an
unusable row is quarantined with an error naming its row (as Excel numbers
it: the header is row 1) and column. Values are cleaned in the toolkit's
parse-then-report style (returns/cleaning.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from csc_scorecard.returns.base import ReadResult, RowSink
from csc_scorecard.returns.cleaning import (
    DATE_EXPECTED,
    Parsed,
    clean_text,
    column_letter,
    parse_bool,
    parse_child_id,
    parse_date,
    parse_float,
    parse_int,
)
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import FileRejected, IssueLog
from csc_scorecard.returns.local.columnwise import FAST_PLANS, read_rows
from csc_scorecard.returns.local.extracts import (
    COLUMN_ALIASES,
    EXTRACT_ORDER,
    ExtractRows,
    extract_formats,
)
from csc_scorecard.returns.local.fields import MAX_NAME_CHARS, parse_visit_kind
from csc_scorecard.returns.textfile import csv_rows, read_text

_DATE_CACHE: dict[str, Parsed] = {}  # date text -> how parse_date read it, this file


@dataclass(frozen=True)
class LocalFormat:
    subtype: str
    table: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


FORMATS: dict[str, LocalFormat] = {
    "teams": LocalFormat("teams", "team", ("team", "area")),
    "allocations": LocalFormat(
        "allocations", "allocation", ("child_id", "team", "start_date"), ("end_date", "worker")
    ),
    "visits": LocalFormat("visits", "visit", ("child_id", "kind", "visit_date"), ("seen_alone",)),
    "workforce": LocalFormat(
        "workforce",
        "workforce_snapshot",
        ("team", "snapshot_date"),
        ("fte_in_post", "agency_fte", "vacancy_fte", "leavers_fte", "cases"),
    ),
}
FORMATS.update(extract_formats(LocalFormat))

def local_column(header: object) -> str:
    """A header as a local column name: ' Child ID ' -> 'child_id', 'Start-Date' -> 'start_date'."""
    text = clean_text(header).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _column_name(header: object) -> str:
    """A header's column name in a format: folded, then other spellings mapped (population)."""
    name = local_column(header)
    return COLUMN_ALIASES.get(name, name)


def identify_local_header(headers: list[str]) -> str | None:
    """Which local extract a header row is ('teams', 'allocations', ..., 'area_populations'), else None."""
    names = {_column_name(h) for h in headers}
    # the most specific formats first: allocations and visits name children
    for subtype in (*EXTRACT_ORDER, "allocations", "visits", "workforce", "teams"):
        if set(FORMATS[subtype].required) <= names:
            if subtype == "teams" and "child_id" in names:
                return None
            return subtype
    return None


def read_local_csv(
    path: str | Path, *, subtype: str = "", sink: RowSink | None = None
) -> ReadResult:
    """Read one local CSV extract; raises FileRejected when the file is not one."""
    path = Path(path)
    _DATE_CACHE.clear()  # two-digit years read against this year: never a stale reading
    result = ReadResult(return_type="local", files=[path])
    if sink is not None:
        result.sink = sink
    log = result.log(path)
    if subtype and subtype not in FORMATS:
        raise FileRejected(
            path.name,
            f"unknown local extract kind {subtype!r}; expected one of {', '.join(FORMATS)}",
        )
    text = read_text(path, log)
    rows = csv_rows(path.name, text)
    header: list[str] | None = None
    header_row = 0
    for excel_row, row in enumerate(rows, start=1):
        if any(clean_text(v) for v in row):
            header, header_row = row, excel_row
            break
    if header is None:
        raise FileRejected(path.name, "the file has no header row (it holds only blank lines)")
    found = identify_local_header(header)
    if not subtype:
        if not found:
            raise FileRejected(
                path.name,
                "the header row is not one of the local extract formats: "
                + "; ".join(f"{k}: {','.join(f.columns)}" for k, f in FORMATS.items()),
            )
        subtype = found
    fmt = FORMATS[subtype]
    result.subtype = subtype
    positions: dict[str, int] = {}
    for pos, h in enumerate(header):
        name = _column_name(h)
        if name in fmt.columns and name not in positions:
            positions[name] = pos
        elif clean_text(h):
            log.info(
                "column not used: not part of this extract's format",
                table=subtype,
                row=header_row,
                column=clean_text(h)[:70],
                code=Code.EXTRA_COLUMN,
                expected=", ".join(fmt.columns),
            )
    missing = [c for c in fmt.required if c not in positions]
    if missing:
        raise FileRejected(
            path.name,
            f"the {subtype} extract needs the column(s) {', '.join(missing)}; "
            f"its columns are {', '.join(fmt.columns)}",
        )
    display = {name: clean_text(header[pos])[:70] or name for name, pos in positions.items()}
    checker = _Checker(result, log, fmt, positions, len(header), display)
    read_rows(checker, FAST_PLANS.get(subtype), rows, header_row + 1)
    result.source_rows[subtype] = checker.rows_read
    return result.finish()


class _Checker(ExtractRows):
    def __init__(
        self,
        result: ReadResult,
        log: IssueLog,
        fmt: LocalFormat,
        positions: dict[str, int],
        width: int,
        display: dict[str, str],
    ):
        self.display = display  # column name -> the header as the file spells it
        self.result = result
        self.log = log
        self.fmt = fmt
        self.positions = positions
        self.width = width
        self.rows_read = 0
        self.intervals: dict[str, list[tuple[dt.date, dt.date | None, int]]] = defaultdict(list)
        self.team_areas: dict[str, tuple[str, int]] = {}
        self.parsed: dict[tuple[str, str], Parsed] = {}  # see _memo
        self.handler = getattr(self, f"_{fmt.subtype}")  # the format's row reader

    def _raw(self, row: list[str], name: str) -> str:
        pos = self.positions.get(name)
        return row[pos] if pos is not None and pos < len(row) else ""

    def _memo(self, column: str, raw: object, parse: Callable[[object], Parsed]) -> Parsed:
        """How `parse` reads `raw`, remembered: a column of codes holds a handful of
        spellings (the parse functions are pure and `Parsed` is frozen)."""
        if type(raw) is not str:
            return parse(raw)
        key = (column, raw)
        found = self.parsed.get(key)
        if found is None and len(self.parsed) < 100_000:
            found = self.parsed[key] = parse(raw)
        return found if found is not None else parse(raw)

    def _loc(self, excel_row: int, column: str = "") -> dict:
        return {
            "table": self.fmt.subtype,
            "row": excel_row,
            "column": self.display.get(column, column),
        }

    def row(self, row: list[str], excel_row: int) -> None:
        self.rows_read += 1
        extras = [
            (pos, v) for pos, v in enumerate(row[self.width :], start=self.width) if clean_text(v)
        ]
        if extras:
            pos, value = extras[0]
            self.log.warning(
                f"{len(extras)} value(s) beyond the last named column were ignored",
                value=value,
                code=Code.EXTRA_VALUES,
                **self._loc(excel_row, f"column {column_letter(pos)}"),
            )
        out = self.handler(row, excel_row)
        if out is None:
            self.result.quarantine(self.fmt.table)
        else:
            self.result.add_row(self.fmt.table, {**out, "source_row": excel_row})

    # ---- field helpers: each returns (value, ok) ---------------------------------

    def _name(self, row, excel_row, column: str, *, required: bool) -> tuple[str, bool]:
        value = re.sub(r"\s+", " ", clean_text(self._raw(row, column)))
        if not value:
            if required:
                self.log.error(
                    f"{column.replace('_', ' ')} is missing; the row cannot be used",
                    code=Code.MISSING_VALUE,
                    **self._loc(excel_row, column),
                )
                return "", False
            return "", True
        if len(value) > MAX_NAME_CHARS:
            self.log.error(
                f"longer than {MAX_NAME_CHARS} characters; the row cannot be used",
                value=value,
                code=Code.TOO_LONG,
                **self._loc(excel_row, column),
            )
            return "", False
        return value, True

    def _child(self, row, excel_row) -> tuple[str, bool]:
        parsed = parse_child_id(self._raw(row, "child_id"))
        value = parsed.value or ""
        if not value:
            self.log.error(
                "child id is missing; the row cannot be used",
                code=Code.MISSING_VALUE,
                **self._loc(excel_row, "child_id"),
            )
            return "", False
        if parsed.error:
            self.log.report(
                parsed,
                fatal=True,
                error=f"a child id {parsed.error}; the row cannot be used",
                value=value,
                **self._loc(excel_row, "child_id"),
            )
            return "", False
        return value, True

    def _date(self, row, excel_row, column: str, *, required: bool) -> tuple[dt.date | None, bool]:
        raw = self._raw(row, column)
        # an extract repeats a few hundred dates tens of thousands of times
        parsed = _DATE_CACHE.get(raw) if type(raw) is str else None
        if parsed is None:
            parsed = parse_date(raw)
            if type(raw) is str and len(_DATE_CACHE) < 100_000:
                _DATE_CACHE[raw] = parsed
        if not (parsed.error or parsed.warning) and (parsed.value is not None or not required):
            return parsed.value, True  # the common case: nothing to report
        where = {"value": raw, **self._loc(excel_row, column)}
        if not parsed.ok:
            self.log.report(parsed, fatal=True, error=f"{parsed.error}; the row cannot be used", **where)
            return None, False
        if parsed.value is None and required:
            self.log.error(
                f"{column.replace('_', ' ')} is missing; the row cannot be used",
                code=Code.MISSING_VALUE,
                expected=DATE_EXPECTED,
                **self._loc(excel_row, column),
            )
            return None, False
        self.log.report(parsed, **where)
        return parsed.value, True

    def _number(
        self, row, excel_row, column: str, *, whole: bool = False
    ) -> tuple[float | int | None, bool]:
        raw = self._raw(row, column)
        parsed: Parsed = parse_int(raw) if whole else parse_float(raw)
        if parsed.ok and parsed.value is not None and parsed.value < 0:
            parsed = Parsed(error="a negative figure", expected="0 or more", code=Code.BAD_NUMBER)
        if not parsed.ok:
            self.log.report(
                parsed,
                fatal=True,
                error=f"{parsed.error}; the row cannot be used",
                value=raw,
                **self._loc(excel_row, column),
            )
            return None, False
        return parsed.value, True

    # ---- one handler per format -------------------------------------------------

    def _teams(self, row, excel_row) -> dict | None:
        team, ok1 = self._name(row, excel_row, "team", required=True)
        area, ok2 = self._name(row, excel_row, "area", required=True)
        if not (ok1 and ok2):
            return None
        key = team.casefold()
        if key in self.team_areas:
            earlier_area, earlier_row = self.team_areas[key]
            if earlier_area.casefold() != area.casefold():
                self.log.warning(
                    f"this team is also listed at row {earlier_row} with a different area",
                    value=area,
                    code=Code.TEAM_CONFLICT,
                    **self._loc(excel_row, "area"),
                )
            else:
                self.log.warning(
                    f"this team is listed twice (also row {earlier_row})",
                    value=team,
                    code=Code.DUPLICATE_TEAM,
                    **self._loc(excel_row, "team"),
                )
        else:
            self.team_areas[key] = (area, excel_row)
        return {"team": team, "area": area}

    def _allocations(self, row, excel_row) -> dict | None:
        child, ok1 = self._child(row, excel_row)
        team, ok2 = self._name(row, excel_row, "team", required=True)
        worker, ok3 = self._name(row, excel_row, "worker", required=False)
        start, ok4 = self._date(row, excel_row, "start_date", required=True)
        end, ok5 = self._date(row, excel_row, "end_date", required=False)
        if not all((ok1, ok2, ok3, ok4, ok5)):
            return None
        assert start is not None
        if end is not None and end < start:
            self.log.error(
                "the end date is before the start date; the row cannot be used",
                value=self._raw(row, "end_date"),
                code=Code.DATE_ORDER,
                expected="an end date on or after the start date",
                **self._loc(excel_row, "end_date"),
            )
            return None
        # a handover on one day (one ends the day the next starts) is not an overlap
        for other_start, other_end, other_row in self.intervals[child]:
            if start < (other_end or dt.date.max) and other_start < (end or dt.date.max):
                self.log.warning(
                    f"this allocation overlaps the allocation of the same child at row {other_row}",
                    value=self._raw(row, "start_date"),
                    code=Code.OVERLAP,
                    **self._loc(excel_row, "start_date"),
                )
                break
        self.intervals[child].append((start, end, excel_row))
        return {
            "child_id": child,
            "team": team,
            "worker": worker,
            "start_date": start,
            "end_date": end,
        }

    def _visits(self, row, excel_row) -> dict | None:
        child, ok1 = self._child(row, excel_row)
        raw_kind = self._raw(row, "kind")
        kind = self._memo("kind", raw_kind, parse_visit_kind)
        ok2 = True
        if kind.ok and kind.value is None:
            kind = Parsed(error="kind is missing", code=Code.MISSING_VALUE)
        if not kind.ok:
            message = kind.error if kind.code == Code.MISSING_VALUE else "not a visit kind"
            self.log.report(
                kind,
                fatal=True,
                error=f"{message}; the row cannot be used",
                value=raw_kind,
                expected="CIN, CP or CLA",
                **self._loc(excel_row, "kind"),
            )
            ok2 = False
        date, ok3 = self._date(row, excel_row, "visit_date", required=True)
        raw_alone = self._raw(row, "seen_alone")
        alone = self._memo("seen_alone", raw_alone, parse_bool)
        seen_alone = alone.value
        if not alone.ok:
            self.log.report(
                alone,
                error=f"{alone.error}; left empty",
                value=raw_alone,
                expected="Y/N, yes/no, 1/0 or blank",
                **self._loc(excel_row, "seen_alone"),
            )
            seen_alone = None
        if not all((ok1, ok2, ok3)):
            return None
        return {"child_id": child, "kind": kind.value, "visit_date": date, "seen_alone": seen_alone}

    def _workforce(self, row, excel_row) -> dict | None:
        team, ok1 = self._name(row, excel_row, "team", required=True)
        date, ok2 = self._date(row, excel_row, "snapshot_date", required=True)
        out: dict = {"team": team, "snapshot_date": date}
        ok = ok1 and ok2
        for column in ("fte_in_post", "agency_fte", "vacancy_fte", "leavers_fte"):
            value, good = self._number(row, excel_row, column)
            out[column] = value
            ok = ok and good
        cases, good = self._number(row, excel_row, "cases", whole=True)
        out["cases"] = cases
        ok = ok and good
        return out if ok else None


"""Rule results as issues an analyst can work through: a summary per rule, then
one row per failing record, as a screen table, CSV, Excel or JSON.

An issue names the rule, its severity (a DfE error, a DfE query - codes ending
Q - or one of our own warnings), the return, the table, the child, where the
record is (the row as Excel numbers it for a CSV; the CHILD's position, or the
census's element path, for XML), the fields with their values, and the rule's
message.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from csc_scorecard.validation.core import BOOKKEEPING, Outcome, RuleResult, RuleSeverity
from csc_scorecard.validation.files import ValidationRun

CSV_COLUMNS = ["rule", "severity", "return", "table", "child", "row", "fields", "message"]
SEVERITY_LABEL = {RuleSeverity.ERROR: "error", RuleSeverity.QUERY: "query", RuleSeverity.WARNING: "warning"}
OUTCOME_ORDER = {Outcome.FAILED: 0, Outcome.COULD_NOT_RUN: 1, Outcome.NOT_RUN: 2, Outcome.PASSED: 3}


@dataclass(frozen=True)
class RuleIssue:
    rule: str
    severity: str
    return_type: str
    file: str
    table: str
    child: str
    row: str
    fields: str
    message: str

    def csv_row(self) -> dict[str, str]:
        return {
            "rule": self.rule, "severity": self.severity, "return": self.return_type, "table": self.table,
            "child": self.child, "row": self.row, "fields": self.fields, "message": self.message,
        }


@dataclass(frozen=True)
class RuleSummary:
    rule: str
    severity: str
    return_type: str
    outcome: str
    failures: int
    children: int
    reason: str
    message: str
    source: str = ""  # the return's file(s), when several returns were checked


def _fields(row: dict, columns: list[str]) -> str:
    return "; ".join(f"{c}={'' if row[c] is None else row[c]}" for c in columns)


def _issues_of(result: RuleResult, return_type: str, sources: dict[str, str]) -> list[RuleIssue]:
    if result.failures is None:
        return []
    frame: pl.DataFrame = result.failures
    columns = [c for c in frame.columns if c not in BOOKKEEPING and not c.startswith("_")]
    severity = SEVERITY_LABEL[result.spec.severity]
    out = []
    for row in frame.iter_rows(named=True):
        table = row["_table"] or ""
        out.append(RuleIssue(
            rule=result.spec.code, severity=severity, return_type=return_type,
            file=sources.get(table, ""), table=table,
            child="" if row["_child"] is None else str(row["_child"]),
            row="" if row["_row"] is None else str(row["_row"]),
            fields=_fields(row, columns), message=result.spec.message,
        ))
    return out


def issues(run: ValidationRun) -> list[RuleIssue]:
    out = []
    for ret in run.returns:
        for result in ret.results:
            out.extend(_issues_of(result, ret.return_type, ret.sources))
    return out


def summary(run: ValidationRun) -> list[RuleSummary]:
    rows = [
        RuleSummary(
            rule=r.spec.code, severity=SEVERITY_LABEL[r.spec.severity], return_type=ret.return_type,
            outcome=str(r.outcome), failures=r.failure_count, children=len(r.children), reason=r.reason,
            message=r.spec.message, source=ret.label if len(run.returns) > 1 else "",
        )
        for ret in run.returns
        for r in ret.results
    ]
    order = {o.value: n for o, n in OUTCOME_ORDER.items()}
    return sorted(rows, key=lambda s: (order[s.outcome], -s.failures, s.return_type, s.rule, s.source))


def _safe(value: str) -> str:
    """Stop a value from a return running as a formula when the CSV is opened in Excel."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(run: ValidationRun) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for issue in issues(run):
        writer.writerow({k: _safe(v) for k, v in issue.csv_row().items()})
    return out.getvalue()


def to_json(run: ValidationRun) -> str:
    data = {
        "returns": [
            {"return": r.return_type, "year": r.year, "year_from": r.year_how, "files": r.files} for r in run.returns
        ],
        "skipped": run.skipped,
        "summary": [_renamed(asdict(s)) for s in summary(run)],
        "issues": [_renamed(asdict(i)) for i in issues(run)],
    }
    return json.dumps(data, indent=1, ensure_ascii=False)


def _renamed(row: dict) -> dict:
    """'return' as the CSV calls it (return_type in Python, where return is a keyword)."""
    return {("return" if k == "return_type" else k): v for k, v in row.items()}


def write_xlsx(run: ValidationRun, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
    sheets = (
        ("Summary", ["rule", "severity", "return_type", "outcome", "failures", "children", "reason", "message"],
         [asdict(s) for s in summary(run)]),
        ("Issues", ["rule", "severity", "return_type", "file", "table", "child", "row", "fields", "message"],
         [asdict(i) for i in issues(run)]),
    )
    for name, columns, rows in sheets:
        sheet = book.add_worksheet(name)
        for c, col in enumerate(columns):
            sheet.write(0, c, col.replace("return_type", "return"), bold)
            sheet.set_column(c, c, 60 if col == "message" else 40 if col == "fields" else 12)
        for r, row in enumerate(rows, start=1):
            for c, col in enumerate(columns):
                value = row[col]
                if isinstance(value, int):
                    sheet.write_number(r, c, value)
                elif value:
                    sheet.write_string(r, c, str(value))
        sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
        sheet.freeze_panes(1, 0)
    about = book.add_worksheet("About")
    lines = [f"{r.return_type} {r.year} ({r.year_how}): {', '.join(r.files)}" for r in run.returns]
    lines += ["Rows are as Excel numbers them (header row 1) for CSV files, the CHILD's position for 903 XML."]
    lines += [f"Not used: {s}" for s in run.skipped]
    for i, line in enumerate(lines):
        about.write_string(i, 0, line)
    book.close()


def as_store_issues(run: ValidationRun) -> list:
    """The failures as the readers' Issue records, for ingest to keep with a submission.

    A DfE rule failure never quarantines a row (the row is stored as the council sent
    it), so every one is a WARNING; its code is "rule <code>" and its message starts
    with what the DfE calls it (error or query). Columns and values are the rule's
    fields, "; "-joined.
    """
    from csc_scorecard.returns.issues import Issue, Location, Severity

    out = []
    for issue in issues(run):
        pairs = [p.split("=", 1) for p in issue.fields.split("; ") if "=" in p]
        row = int(issue.row) if issue.row.isdigit() else None
        out.append(Issue(
            severity=Severity.WARNING,
            location=Location(
                file=issue.file, table=issue.table, row=row,
                column="; ".join(k for k, _ in pairs)[:80], value="; ".join(v for _, v in pairs)[:120],
            ),
            message=f"DfE {issue.severity} {issue.rule}: {issue.message}",
            code=f"rule {issue.rule}",
        ))
    return out

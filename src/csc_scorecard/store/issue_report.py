"""Issues of a submission as a table an analyst can filter: screen, CSV or Excel.

The readers' issues and the validation rules' (validation.at_ingest) are listed
together; ``rule`` is the rule's code (blank for a reader's issue), ``child``
the child it concerns and ``place`` where the record is when that is not a
row number (the census's element path, both records of a cross-return check).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from csc_scorecard.returns.issues import ISSUE_COLUMNS
from csc_scorecard.store.models import IssueRecord, Submission

SEVERITY_ORDER = {"error": 0, "query": 1, "warning": 2, "info": 3}
SEVERITIES = tuple(SEVERITY_ORDER)
COLUMNS = ["rule", *ISSUE_COLUMNS[:4], "child", "row", "place", *ISSUE_COLUMNS[5:]]


class NoSuchSubmission(LookupError):
    pass


def find_submission(ref: str | None) -> Submission:
    """A submission by id; the most recent one when no id is given."""
    if ref is None:
        latest = Submission.objects.order_by("-id").first()
        if latest is None:
            raise NoSuchSubmission("nothing has been ingested yet")
        return latest
    try:
        return Submission.objects.get(pk=int(ref))
    except (ValueError, Submission.DoesNotExist):
        raise NoSuchSubmission(f"there is no submission {ref!r}; `csc-scorecard status` lists them") from None


def issue_rows(submission: Submission, severity: str | None = None, rule: str | None = None) -> list[dict]:
    """The submission's issues, optionally of one severity and/or one rule (its code, any case)."""
    records = IssueRecord.objects.filter(submission=submission)
    if severity:
        records = records.filter(severity=severity)
    if rule:
        records = records.filter(rule__iexact=rule.strip())
    rows = [
        {column: getattr(r, column) for column in COLUMNS}
        for r in records.order_by("id")
    ]
    rows.sort(key=lambda r: (SEVERITY_ORDER.get(r["severity"], 9), r["file"], r["table"], r["row"] or 0))
    return rows


def _safe_cell(value: object) -> object:
    """Stop a value from a return being run as a formula when the CSV is opened in Excel."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def issues_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe_cell("" if v is None else v) for k, v in row.items()})
    return out.getvalue()


def write_issues_xlsx(rows: list[dict], path: Path, submission: Submission) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("Issues")
    header = workbook.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
    widths = {"rule": 9, "severity": 9, "code": 16, "child": 12, "place": 30, "file": 28, "table": 20, "row": 7, "column": 18,
              "value": 18, "message": 60, "expected": 40}
    for col, name in enumerate(COLUMNS):
        sheet.write(0, col, name, header)
        sheet.set_column(col, col, widths.get(name, 14))
    for r, row in enumerate(rows, start=1):
        for col, name in enumerate(COLUMNS):
            value = row[name]
            if value is None or value == "":
                continue
            if isinstance(value, int):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))
    sheet.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 1)
    sheet.freeze_panes(1, 0)
    about = workbook.add_worksheet("About")
    about.write(0, 0, f"Issues for submission {submission.pk}: {submission}")
    about.write(1, 0, "Files: " + ", ".join(submission.file_names))
    about.write(2, 0, "Row numbers are as Excel shows them: the header is row 1.")
    workbook.close()

"""The inspection pack as a report (HTML, PDF, DOCX through reporting's renderers) and an xlsx.

Builds only: every figure comes from csc_scorecard.inspection.pack.compute.
Child-level parts (the children in several lists, the data-quality rows
naming children) are included only when ``child_level`` is true; the caller
(csc_scorecard.services.inspection) decides that by the account's role and
audits it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csc_scorecard.inspection.pack.chart import journey_chart
from csc_scorecard.inspection.pack.compute import BREAKDOWNS, Pack
from csc_scorecard.inspection.pack.lists import list_label
from csc_scorecard.reporting.config import ReportConfig
from csc_scorecard.reporting.findings import long_date
from csc_scorecard.reporting.model import Cell, Chart, Para, Report, Section, Table

__all__ = ["build_pack_report", "write_pack_xlsx"]

CHILD_LISTS = range(1, 11)


def _pct(count: int, of: int | None) -> str:
    if not of:
        return ""
    return f"{100 * count / of:.1f}%"


def _num(n: int | None) -> Cell:
    return Cell("" if n is None else f"{n:,}", numeric=True)


def build_pack_report(pack: Pack, *, council: ReportConfig, la_code: str,
                      child_level: bool) -> Report:
    when = long_date(pack.as_at)
    report = Report(kind="inspection-pack", title="Annex A inspection pack",
                    subtitle=f"The Annex A lists as at {when}, as inspectors will see them "
                             f"(from {pack.source})",
                    period=pack.as_at.isoformat(), period_name=f"as at {when}", council=council,
                    draft=False, publication=False, la_code=la_code,
                    computed_at=dt.datetime.now(dt.UTC))
    counts = Table("list-counts", "Records and children in each list",
                   ["List", "Records", "Children"],
                   [[Cell(list_label(n), row_header=True), _num(r),
                     Cell("(adopters, not children)") if n == 11 else _num(c)]
                    for n, r, c in pack.counts], widths=[3, 1, 1])
    report.sections.append(Section("lists", "1", "The lists", [counts]))

    timely = Table("timeliness", "Timeliness and the figures inspectors look at first",
                   ["List", "Measure", "Number", "Of", "Per cent"],
                   [[Cell(lst, row_header=True), Cell(m), _num(c), _num(o), Cell(_pct(c, o),
                                                                                   numeric=True)]
                    for lst, m, c, o in pack.timeliness], widths=[0.8, 3.2, 0.8, 0.8, 0.8])
    total = sum(pack.assessment_bands.values())
    bands = Table("assessment-bands", "List 4: assessments by working days to authorisation",
                  ["Working days", "Assessments", "Per cent"],
                  [[Cell(k, row_header=True), _num(v), Cell(_pct(v, total), numeric=True)]
                   for k, v in pack.assessment_bands.items()], widths=[2, 1, 1])
    report.sections.append(Section("timeliness", "2", "Timeliness", [timely, bands]))

    blocks: list = [Para("Distinct children in each list (L1 contacts ... L10 adoption).",
                         css="small")]
    for b in BREAKDOWNS:
        values = pack.breakdowns[b]
        blocks.append(Table(f"by-{b}", f"Children by {b}" + (" at the as-at date" if b == "age" else ""),
                            [b.capitalize(), *[f"L{n}" for n in CHILD_LISTS]],
                            [[Cell(v, row_header=True), *[_num(by.get(n, 0)) for n in CHILD_LISTS]]
                             for v, by in values.items()], widths=[3, *[0.6] * 10]))
    report.sections.append(Section("breakdowns", "3", "Who the children are", blocks))

    report.sections.append(Section("caseloads", "4", "Caseloads", [
        Para("Open cases of lists 4-8 by allocated worker (distinct children).", css="small"),
        Table("caseload-teams", "Caseloads by team", ["Team", "Workers", "Children"],
              [[Cell(t, row_header=True), _num(w), _num(k)] for t, w, k in pack.caseload_teams],
              widths=[3, 1, 1]),
        Table("caseload-workers", "Caseloads by worker", ["Worker", "Team", "Children"],
              [[Cell(w, row_header=True), Cell(t), _num(k)] for w, t, k in pack.caseload_workers],
              widths=[2, 2, 1]),
    ]))

    steps = [s for s, *_ in pack.journey]
    data = Table("journey-data", "Children's journey: data table",
                 ["Step", "Children in the list", "Came this far", "Went on", "Did not go on"],
                 [[Cell(s, row_header=True), _num(a), _num(b), _num(c), _num(d)]
                  for s, a, b, c, d in pack.journey], css="chartdata")
    svg, png = journey_chart(steps, [a for _, a, *_ in pack.journey],
                             [b for _, _, b, *_ in pack.journey], council.accent_colour)
    first = pack.journey[0]
    alt = (f"Bar chart: of {first[2]} children with a contact, "
           + ", ".join(f"{b} reached {s.lower()}" for s, _, b, _, _ in pack.journey[1:]) + ".")
    several = Table("several-lists", "Children by the number of lists they appear in",
                    ["Lists", "Children"],
                    [[Cell(str(k), row_header=True), _num(v)] for k, v in pack.several_lists.items()])
    journey_blocks: list = [
        Para("Children in List 1 (contacts) and, of them, those also in List 3, then List 4, "
             "5, 7 and 8: at each step 'went on' and 'did not go on' add up to those who came "
             "this far.", css="small"),
        Chart("journey", "Chart 1: children's journey through the lists", alt, svg, png, data),
        several,
    ]
    if child_level:
        journey_blocks.append(Table(
            "children-several-lists", "Children in two or more lists (child level)",
            ["Child", "Lists"], [[Cell(c, row_header=True), Cell(", ".join(f"L{n}" for n in ls))]
                                 for c, ls in pack.children_lists]))
    report.sections.append(Section("journey", "5", "Journeys through the lists", journey_blocks))

    kinds: dict[str, int] = {}
    for p in pack.problems:
        key = p.what.split(" is after")[0].split(" has ")[0] if p.list_number else "implausible caseload"
        key = f"L{p.list_number}: {key}" if p.list_number else key
        kinds[key] = kinds.get(key, 0) + 1
    dq: list = [Para("What an inspector sampling a child would trip over.", css="small"),
                Table("quality-summary", "Data-quality problems by kind", ["Problem", "Rows"],
                      [[Cell(k, row_header=True), _num(v)] for k, v in sorted(kinds.items())],
                      widths=[4, 1])]
    if child_level:
        dq.append(Table("quality-rows", "Data-quality problems, row by row (child level)",
                        ["List", "Excel row", "Child", "Problem"],
                        [[Cell(f"L{p.list_number}" if p.list_number else "", row_header=True),
                          _num(p.excel_row), Cell(p.child_id), Cell(p.what)] for p in pack.problems],
                        widths=[0.6, 0.8, 1.2, 4]))
    else:
        dq.append(Para("The row-by-row list names children and is shown only to roles allowed "
                       "to see child-level data.", css="caveat"))
    report.sections.append(Section("data-quality", "6", "Data quality", dq))
    return report


def write_pack_xlsx(report: Report, path: Path | str) -> Path:
    """Every table of the pack on its own sheet (numbers as numbers)."""
    import xlsxwriter

    path = Path(path)
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    for table in report.tables():
        sheet = book.add_worksheet(table.id[:31])
        sheet.write(0, 0, table.caption, bold)
        sheet.write_row(1, 0, table.columns, bold)
        for i, row in enumerate(table.rows, start=2):
            for j, cell in enumerate(row):
                text = cell.text.replace(",", "") if cell.numeric else cell.text
                if cell.numeric and text.replace(".", "", 1).isdigit():
                    sheet.write_number(i, j, float(text))
                else:
                    sheet.write(i, j, cell.text)
        sheet.set_column(0, 0, 40)
    book.close()
    return path

"""`csc-scorecard validate`: the DfE rules on files, nothing stored. Thin: the work
is validation.files.run_files; the renderings are validation.report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from csc_scorecard.cli_support import (
    EXIT_FAILURE,
    FINANCIAL_YEAR,
    console,
    fail,
    friendly_errors,
    la_option,
    output_option,
)

FORMATS = ("table", "csv", "xlsx", "json")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--year", type=FINANCIAL_YEAR, default=None,
              help="collection year like 2024-25 (default: from the files)")
@la_option(help="3-digit DfE LA code")
@click.option("--last-year", "last_year", multiple=True, type=click.Path(path_type=Path),
              help="last year's 903 file or folder, for the rules that compare years (repeatable)")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table for reading; csv, json or an xlsx workbook")
@output_option(help="write to this file (xlsx needs one)")
@click.option("--limit", default=200, show_default=True, help="issues shown by the table format (0 = all)")
@click.option("--strict", is_flag=True, help="exit 1 when any DfE error is found (for scripts)")
@friendly_errors()
def validate(paths, year, la_code, last_year, fmt, output, limit, strict) -> None:
    """Check SSDA903 and CIN census files against the DfE's validation rules.

    Nothing is stored. Exit status 0 when the rules ran, whatever they found
    (1 with --strict when there are DfE errors); 2 when the input cannot be
    validated (no return found, an unreadable file, a bad --year).
    """
    from csc_scorecard.validation import report
    from csc_scorecard.validation.files import BadInput, run_files

    if fmt == "xlsx" and output is None:
        fail("--format xlsx needs --output FILE.xlsx")
    try:
        run = run_files(list(paths), year=year or "", la=la_code or "", last_year=list(last_year))
    except BadInput as exc:
        fail(str(exc))
    if fmt == "xlsx":
        report.write_xlsx(run, output)
        click.echo(f"wrote {output}", err=True)
    elif fmt in ("csv", "json"):
        text = report.to_csv(run) if fmt == "csv" else report.to_json(run)
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"wrote {output}", err=True)
    else:
        _print_table(run, report, limit, output)
    if strict and run.errors:  # for scripts: the rules ran and found DfE errors
        fail(f"{run.errors} DfE error(s) found (--strict)", EXIT_FAILURE)


def _print_table(run, report, limit: int, output: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    handle = output.open("w", encoding="utf-8") if output else None
    out = Console(file=handle, width=200, highlight=False) if handle else console()
    for ret in run.returns:
        out.print(f"[bold]{ret.return_type}[/] {ret.year} ({ret.year_how}): {', '.join(ret.files)}", highlight=False)
    for note in run.skipped:
        out.print(f"[dim]not used[/] {note}", highlight=False)
    rows = report.summary(run)
    failed = [s for s in rows if s.outcome == "failed"]
    passed = sum(s.outcome == "passed" for s in rows)
    out.print(f"{len(rows)} rules: {len(failed)} failed, {passed} passed, "
              f"{sum(s.outcome == 'not run' for s in rows)} not run, "
              f"{sum(s.outcome == 'could not run' for s in rows)} could not run", highlight=False)
    several = len(run.returns) > 1
    table = Table(title="Summary by rule", title_justify="left")
    columns = ["rule", "severity", "outcome", "failures", "children", "reason / message"]
    for col in (["return"] if several else []) + columns:
        table.add_column(col, justify="right" if col in ("failures", "children") else "left")
    for s in rows:
        if s.outcome == "passed":
            continue
        cells = [s.rule, s.severity, s.outcome, str(s.failures), str(s.children),
                 s.reason if s.reason else s.message[:90]]
        table.add_row(*([s.source] if several else []), *cells)
    out.print(table)
    found = report.issues(run)
    shown = found if limit == 0 else found[:limit]
    if shown:
        detail = Table(title="Issues", title_justify="left")
        for col in ("rule", "severity", "table", "child", "row", "fields"):
            detail.add_column(col)
        for i in shown:
            detail.add_row(i.rule, i.severity, i.table, i.child, i.row, i.fields)
        out.print(detail)
    if len(shown) < len(found):
        out.print(f"{len(found) - len(shown)} more issues: use --limit 0, or --format csv/xlsx", highlight=False)
    if handle:
        handle.close()
        click.echo(f"wrote {output}", err=True)

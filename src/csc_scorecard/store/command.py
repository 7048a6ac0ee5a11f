"""CLI commands over the case store: ingest, status, issues. Thin: the work is in the library."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from csc_scorecard.cli_support import (
    FINANCIAL_YEAR,
    console,
    fail,
    la_option,
    open_store_for_reading,
    output_option,
    setup_store,
)
from csc_scorecard.progress import reporter


def _account():
    """The account the CLI acts as (services.accounts), or a clear error."""
    from csc_scorecard.services.accounts import AccountError, current_account

    try:
        return current_account()
    except AccountError as exc:
        fail(str(exc))


YEAR_HELP = "collection year like 2024-25; overrides what the files say"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--year", type=FINANCIAL_YEAR, default=None, help=YEAR_HELP)
@la_option(help="3-digit DfE LA code; overrides the files")
def ingest(paths: tuple[Path, ...], year: str | None, la_code: str | None) -> None:
    """Load returns (files or folders) into the store.

    Exit status 0 when everything was stored (row-level issues are summarised),
    2 when any file was rejected (nothing from that file is stored).
    """
    setup_store()
    from csc_scorecard.store.ingest import ingest_paths

    account = _account()
    out = console()
    err = console(stderr=True)
    progress = reporter()
    try:
        outcomes = ingest_paths(
            list(paths), year=year or "", la_code=la_code or "", user=account.username, progress=progress
        )
    finally:
        progress.close()
    if not outcomes:
        fail("no files found in " + ", ".join(str(p) for p in paths))
    rejected = 0
    for o in outcomes:
        if o.status == "rejected":
            rejected += 1
            err.print(f"[bold red]rejected[/] {o.label}: {o.reason}", highlight=False)
        elif o.status == "skipped":
            out.print(f"[dim]skipped[/] {o.label}: {o.reason}", highlight=False)
        elif o.status == "duplicate":
            out.print(f"[yellow]unchanged[/] {o.label}: {o.reason}", highlight=False)
        else:
            rows = ", ".join(f"{t} {n}" for t, n in o.row_counts.items())
            out.print(
                f"[green]stored[/] {o.label} as submission {o.submission_id} "
                f"({o.return_type} {o.year or 'no year'}{' LA ' + o.la_code if o.la_code else ''}): {rows}",
                highlight=False,
            )
            issues = o.issue_counts
            quarantined = sum(o.quarantined.values())
            if any(issues.values()):
                out.print(
                    f"  issues: {issues.get('error', 0)} errors ({quarantined} rows quarantined), "
                    f"{issues.get('warning', 0)} warnings, {issues.get('info', 0)} notes; "
                    f"see `csc-scorecard issues {o.submission_id}`",
                    highlight=False,
                )
            if o.rule_counts:
                out.print("  " + _rules_line(o.rule_counts, o.submission_id), highlight=False)
            if o.superseded:
                out.print(f"  now current; supersedes submission {', '.join(map(str, o.superseded))}")
    stored = sum(o.status == "stored" for o in outcomes)
    if stored:
        progress = reporter()
        try:
            with progress.step("Recomputing the indicators"):
                _recompute(err)
        finally:
            progress.close()
    if rejected:
        fail(f"{rejected} of {len(outcomes)} file(s) rejected; nothing from them was stored")


def _rules_line(counts: dict, submission_id: int | None) -> str:
    """One line on what the validation rules found at ingest (validation.at_ingest)."""
    if "failed" in counts:
        return f"validation rules: {counts['failed']}"
    if not counts.get("rules"):
        return "validation rules: none in force for this year"
    line = (
        f"validation rules: {counts.get('error', 0)} DfE errors, {counts.get('query', 0)} queries, "
        f"{counts.get('warning', 0)} cross-return warnings in {counts.get('rules failed', 0)} of "
        f"{counts['rules']} rules"
    )
    skipped = counts.get("not run", 0) + counts.get("could not run", 0)
    if skipped:
        line += f"; {skipped} not run (never counted as passed)"
    return line + f"; see `csc-scorecard issues {submission_id} --rule CODE`"


def _rules_cell(counts: dict) -> str:
    """The validation rules' findings in a status cell: DfE errors/queries/our warnings, not run."""
    if not counts.get("rules"):
        return "could not run" if "failed" in counts else "-"
    skipped = counts.get("not run", 0) + counts.get("could not run", 0)
    return f"{counts.get('error', 0)}/{counts.get('query', 0)}/{counts.get('warning', 0)}, {skipped}"


def _recompute(err) -> None:
    from csc_scorecard.store.ingest import recompute_after_ingest

    problem = recompute_after_ingest()
    if problem:  # the data is stored; say the figures are stale rather than fail
        err.print(f"[yellow]stored, but the indicators could not be recomputed:[/] {problem}")


@click.command()
def status() -> None:
    """Show what is loaded: per return and year, children, rows, issues, current or superseded."""
    open_store_for_reading()
    from csc_scorecard.services.recompute import stale_summary
    from csc_scorecard.store.status import store_status

    rows = store_status()
    screen = console()
    if not rows:
        screen.print("Nothing loaded yet. Use `csc-scorecard ingest PATH`.")
        return
    table = Table(title="Loaded returns")
    columns = ("id", "return", "year", "LA", "children", "rows", "quarantined", "issues (e/w/i)",
               "rules (e/q/w, not run)", "state")
    for name in columns:
        table.add_column(name, justify="right" if name in ("id", "children") else "left")
    for s in rows:
        kind = s.return_type + (f"/{s.subtype}" if s.subtype else "")
        state = "current" if s.current else f"superseded by {s.superseded_by}"
        rows_text = "\n".join(f"{t}: {n}" for t, n in s.row_counts.items())
        quarantined = sum(s.quarantined.values())
        issues = s.issue_counts
        table.add_row(
            str(s.id), kind, s.year or "-", s.la_code or "-", str(s.children), rows_text,
            str(quarantined),
            f"{issues.get('error', 0)}/{issues.get('warning', 0)}/{issues.get('info', 0)}",
            _rules_cell(s.rule_counts), state,
        )
    screen.print(table)
    stale = stale_summary()
    for line in stale:
        screen.print(f"[yellow]{line}[/]", highlight=False)
    if stale:
        screen.print("Run `csc-scorecard recompute` to bring them up to date.")
    from csc_scorecard.services.freeze import frozen_summary

    for line in frozen_summary():  # their reports keep these figures (docs/freeze.md)
        screen.print(line, highlight=False)


@click.command("issues")
@click.argument("submission", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table",
              show_default=True, help="table for reading; csv or a filterable xlsx workbook")
@click.option("--severity", type=click.Choice(["error", "query", "warning", "info"]), default=None,
              help="only issues of this severity (default: all): error is a quarantined row or a DfE "
                   "error, query a DfE query, warning ours")
@click.option("--rule", default=None,
              help="only this validation rule's issues, by its code (392c, 8565, XR01)")
@output_option(help="file to write (default: standard output; for xlsx, "
                    "issues-submission-N.xlsx)")
def issues_command(
    submission: str | None, fmt: str, severity: str | None, rule: str | None, output: Path | None
) -> None:
    """List the issues found in a submission (default: the latest): the readers' and the
    validation rules' (each with its rule code)."""
    open_store_for_reading()
    from csc_scorecard.services.access import AccessDenied, submission_issues
    from csc_scorecard.store.issue_report import NoSuchSubmission, issues_csv, write_issues_xlsx

    # Issue values can be a child's id or date of birth: the service checks the role and audits.
    try:
        sub, rows = submission_issues(_account(), submission, severity=severity, fmt=fmt, rule=rule)
    except (NoSuchSubmission, AccessDenied) as exc:
        fail(str(exc))
    if fmt == "csv":
        text = issues_csv(rows)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        return
    if fmt == "xlsx":
        target = output or Path(f"issues-submission-{sub.pk}.xlsx")
        write_issues_xlsx(rows, target, sub)
        click.echo(f"wrote {len(rows)} issues to {target}")
        return
    screen = console()
    if not rows:
        screen.print(f"Submission {sub.pk} ({sub}) has no issues.")
        return
    table = Table(title=f"Issues in submission {sub.pk}: {sub}")
    for name in ("severity", "rule", "file", "table", "child", "row", "column", "value", "message"):
        table.add_column(name)
    for r in rows:
        message = r["message"] + (f" (expected {r['expected']})" if r["expected"] else "")
        table.add_row(
            r["severity"], r["rule"], r["file"], r["table"], r["child"], str(r["row"] or r["place"]),
            r["column"], r["value"], message,
        )
    screen.print(table)

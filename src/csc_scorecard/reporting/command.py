"""CLI: ``csc-scorecard report annual|quarterly`` and ``csc-scorecard commentary import``.

The lead registers both groups in cli.py::

    from csc_scorecard.reporting.command import commentary, report
    cli.add_command(report)
    cli.add_command(commentary)
"""

from __future__ import annotations

from pathlib import Path

import click

from csc_scorecard.cli_support import (
    EXIT_FAILURE,
    PERIOD_LABEL,
    console,
    fail,
    la_option,
    open_store_for_reading,
    out_dir_option,
    setup_store,
)
from csc_scorecard.progress import reporter

__all__ = ["commentary", "report"]


def _options(func):
    func = click.option("--config", "config_path", type=click.Path(path_type=Path),
                        help="reporting configuration (council name, logo, colours); default "
                             "reporting.yml in the data directory")(func)
    func = la_option(help="LA code of the council (when results for several are stored)")(func)
    func = click.option("--draft/--final", default=True, show_default=True,
                        help="draft flags missing commentary and marks every page DRAFT")(func)
    func = click.option("--publication", is_flag=True,
                        help="suppress small numbers (1-5 shown as c) throughout the document")(func)
    func = out_dir_option(help="folder to write the HTML, PDF and Word files into")(func)
    func = click.option("--period", type=PERIOD_LABEL, required=True,
                        help="the period to report")(func)
    return func


def _run(kind: str, period: str, out_dir: Path, publication: bool, draft: bool,
         la_code: str | None, config_path: Path | None) -> None:
    open_store_for_reading()  # a read: never migrates
    from csc_scorecard.reporting.config import ReportConfigError
    from csc_scorecard.reporting.produce import write_report
    from csc_scorecard.reporting.values import ReportError

    out = console()
    progress = reporter()
    try:
        with progress.step(f"Writing the {kind} report for {period} (HTML, PDF, Word)"):
            files = write_report(kind, period, out_dir, la_code=la_code, publication=publication,
                                 draft=draft, config=config_path)
    except (ReportError, ReportConfigError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the report into {out_dir}: {exc.strerror or exc}", EXIT_FAILURE)
    finally:
        progress.close()
    for fmt, path in files.paths.items():
        out.print(f"[green]wrote[/] {fmt.upper():4} {path}", highlight=False)
    err = console(stderr=True)
    for note in files.report.notes:
        err.print(f"[yellow]note:[/] {note}", highlight=False)
    missing = files.report.missing_commentary
    if missing:
        where = "flagged in the draft" if draft else "shown as 'No commentary was provided'"
        err.print(f"[yellow]{len(missing)} commentary item(s) missing[/] ({where}):", highlight=False)
        for item in missing[:20]:
            err.print(f"  - {item}", highlight=False)
        if len(missing) > 20:
            err.print(f"  ... and {len(missing) - 20} more", highlight=False)


@click.group()
def report() -> None:
    """Committee reports (HTML, PDF and Word) from the stored results."""


@report.command("annual")
@_options
def annual(period, out_dir, publication, draft, la_code, config_path) -> None:
    """The children's social care annual report for a financial year (--period 2024-25)."""
    _run("annual", period, out_dir, publication, draft, la_code, config_path)


@report.command("quarterly")
@_options
def quarterly(period, out_dir, publication, draft, la_code, config_path) -> None:
    """The quarterly performance report (--period 2024-25-Q2)."""
    _run("quarterly", period, out_dir, publication, draft, la_code, config_path)


@click.group()
def commentary() -> None:
    """Commentary for the reports, per indicator, priority or section and period."""


@commentary.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--user", default="", help="who wrote it (default: the login name)")
def import_command(path: Path, user: str) -> None:
    """Import commentary from a Markdown (.md) or YAML (.yml) file (format: docs/reports.md)."""
    setup_store()
    from csc_scorecard.reporting.commentary import CommentaryError, import_commentary
    from csc_scorecard.services.accounts import AccountError

    try:
        created, updated = import_commentary(path, author=user or "")
    except AccountError as exc:
        fail(str(exc))
    except CommentaryError as exc:
        err = console(stderr=True)
        for problem in exc.problems:
            err.print(problem, highlight=False, markup=False)
        fail(f"{len(exc.problems)} problem(s) in {path}; nothing was imported")
    console().print(f"imported {path}: {created} new, {updated} replaced", highlight=False)


def _add_plan_documents() -> None:
    from csc_scorecard.plans.command import add_report_commands

    add_report_commands(report)


def _add_committee_documents() -> None:
    from csc_scorecard.reporting.committee.command import add_committee_commands

    add_committee_commands(report)


_add_plan_documents()
_add_committee_documents()

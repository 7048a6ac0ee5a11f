"""CLI: ``scrutiny import|export`` (the template: docs/scrutiny.md).

Thin: parse, call one function in :mod:`csc_scorecard.services.scrutiny`, print.
"""

from __future__ import annotations

from pathlib import Path

import click

from csc_scorecard.cli_support import INPUT_PATH, OUTPUT_FILE, console, fail, setup_store

__all__ = ["scrutiny"]


@click.group()
def scrutiny() -> None:
    """Scrutiny committees: meetings, work programme and outcome tracker (template: docs/scrutiny.md)."""


@scrutiny.command("import")
@click.argument("path", type=INPUT_PATH)
@click.option("--user", default="", help="the account making the change (default: the CLI's account, --as)")
@click.option("--replace", is_flag=True,
              help="let the file win over rows added or changed in the browser since the last import "
                   "(without it such an import is refused, listing them)")
def import_command(path: Path, user: str, replace: bool) -> None:
    """Import committees, meetings, work programme and tracker from FILE (.xlsx, .yml, or a folder
    of .csv sheets), all or nothing."""
    setup_store()
    from csc_scorecard.plans.command import _account, _refused
    from csc_scorecard.plans.store import WebChangesWouldBeLost
    from csc_scorecard.services.scrutiny import (
        ScrutinyFileError,
        ScrutinyPermissionDenied,
        import_scrutiny_file,
    )

    try:
        summary = import_scrutiny_file(path, account=_account(user), replace=replace)
    except ScrutinyFileError as exc:
        _refused(exc)
    except (ScrutinyPermissionDenied, WebChangesWouldBeLost) as exc:
        fail(str(exc))
    counts = ", ".join(f"{n} {what}" for what, n in summary.counts.items())
    console().print(f"imported {path} ({counts}): {summary.created} new, {summary.updated} changed, "
                    f"{summary.deleted} removed, {summary.unchanged} unchanged", highlight=False)


@scrutiny.command("export")
@click.option("--output", "output", required=True, type=OUTPUT_FILE, help="the .xlsx file to write")
@click.option("--committee", "committee", default=None, metavar="ID",
              help="one committee's id (default: every committee)")
def export_command(output: Path, committee: str | None) -> None:
    """Write stored committees to an .xlsx in the import template (it imports back unchanged)."""
    from csc_scorecard import django_setup

    try:
        django_setup.open_for_reading()
    except django_setup.NoDataYet as exc:
        fail(str(exc))
    from csc_scorecard.services.scrutiny import ScrutinyNotFound, export_scrutiny_file

    if output.suffix.lower() != ".xlsx":
        fail(f"--output must be an .xlsx file, not {output.name}")
    try:
        path = export_scrutiny_file(output, committee)
    except ScrutinyNotFound as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    console().print(f"[green]wrote[/] {path}", highlight=False)

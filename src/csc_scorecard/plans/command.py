"""CLI: ``plans import|export``, ``measures import`` and the plan documents under ``report``.

Thin: parse, call one function in :mod:`csc_scorecard.services.plans`, print.
"""

from __future__ import annotations

from pathlib import Path

import click

from csc_scorecard.cli_support import (
    OUTPUT_FILE,
    PERIOD_LABEL,
    console,
    fail,
    la_option,
    out_dir_option,
    setup_store,
)

__all__ = ["add_report_commands", "measures", "plans"]


def _account(name: str = ""):
    """The account making the change: ``--user NAME``, else the CLI's account (``--as``)."""
    from csc_scorecard.services.accounts import AccountError, resolve_account

    try:
        return resolve_account(name or None)
    except AccountError as exc:
        fail(str(exc))


def _open_for_reading() -> None:
    """Documents and exports are reads: they never migrate."""
    from csc_scorecard import django_setup

    try:
        django_setup.open_for_reading()
    except django_setup.NoDataYet as exc:
        fail(str(exc))


def _refused(exc) -> None:
    err = console(stderr=True)
    for problem in exc.problems:
        err.print(f"  {problem}", highlight=False, markup=False)
    fail(str(exc))


@click.group()
def plans() -> None:
    """Improvement plans: programmes, objectives, actions, risks (template: docs/plans.md)."""


@plans.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--user", default="", help="the account making the change (default: the CLI's account, --as)")
@click.option("--replace", is_flag=True,
              help="let the file win over rows added or changed in the browser since the last import "
                   "(without it such an import is refused, listing them)")
def import_command(path: Path, user: str, replace: bool) -> None:
    """Import a plan from FILE (.xlsx, .yml, or a folder of .csv sheets), all or nothing."""
    setup_store()
    from csc_scorecard.plans.store import WebChangesWouldBeLost
    from csc_scorecard.plans.template import PlanFileError
    from csc_scorecard.services.plans import PlanPermissionDenied, import_plan_file

    try:
        summary = import_plan_file(path, account=_account(user), replace=replace)
    except PlanFileError as exc:
        _refused(exc)
    except (PlanPermissionDenied, WebChangesWouldBeLost) as exc:
        fail(str(exc))
    console().print(f"imported plan {summary.plan_reference} from {path}: {summary.created} new, "
                    f"{summary.updated} changed, {summary.deleted} removed, {summary.unchanged} unchanged",
                    highlight=False)


@plans.command("export")
@click.option("--plan", "reference", required=True, help="the plan's reference (as in its plan sheet)")
@click.option("--output", "output", required=True, type=OUTPUT_FILE,
              help="the .xlsx file to write")
def export_command(reference: str, output: Path) -> None:
    """Write a stored plan to an .xlsx in the import template (it imports back unchanged)."""
    _open_for_reading()
    from csc_scorecard.services.plans import PlanNotFound, export_plan_file

    if output.suffix.lower() != ".xlsx":
        fail(f"--output must be an .xlsx file, not {output.name}")
    try:
        path = export_plan_file(reference, output)
    except PlanNotFound as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    console().print(f"[green]wrote[/] {path}", highlight=False)


@click.group()
def measures() -> None:
    """Local measures: indicators the returns cannot give, with values entered per period."""


@measures.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--user", default="", help="the account entering the values (default: the CLI's account, --as)")
@click.option("--replace", is_flag=True,
              help="let the file win over rows added or changed in the browser since the last import "
                   "(without it such an import is refused, listing them)")
def measures_import(path: Path, user: str, replace: bool) -> None:
    """Import local-measure values (a measure_values sheet; optionally measures) from FILE."""
    setup_store()
    from csc_scorecard.plans.store import WebChangesWouldBeLost
    from csc_scorecard.plans.template import PlanFileError
    from csc_scorecard.services.plans import PlanPermissionDenied, import_measure_values

    try:
        summary = import_measure_values(path, account=_account(user), replace=replace)
    except PlanFileError as exc:
        _refused(exc)
    except (PlanPermissionDenied, WebChangesWouldBeLost) as exc:
        fail(str(exc))
    console().print(f"imported {path}: {summary.created} new, {summary.updated} changed, "
                    f"{summary.unchanged} unchanged", highlight=False)


def _write(kind: str, out_dir: Path, **options) -> None:
    _open_for_reading()
    from csc_scorecard.periods import PeriodError
    from csc_scorecard.services.council import CouncilNotChosen
    from csc_scorecard.services.plans import PlanNotFound, write_plan_document

    try:
        paths = write_plan_document(kind, out_dir, **options)
    except (PlanNotFound, PeriodError, CouncilNotChosen) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write into {out_dir}: {exc.strerror or exc}")
    for fmt, path in paths.items():
        console().print(f"[green]wrote[/] {fmt.upper():4} {path}", highlight=False)


_OUT = out_dir_option(help="folder to write the HTML, PDF and Word files into")
_DRAFT = click.option("--draft/--final", default=True, show_default=True, help="mark every page DRAFT")
_AS_AT = click.option("--as-at", "as_at", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                      help="the day overdue actions and reviews are counted on (default: today)")


def add_report_commands(report: click.Group) -> None:
    """Register the plan documents as ``report`` subcommands."""

    @report.command("highlight")
    @click.option("--programme", type=int, required=True, help="programme number")
    @click.option("--period", type=PERIOD_LABEL, required=True,
                  help="the period reported, e.g. 2024-25-Q2")
    @click.option("--plan", default=None, help="the plan's reference (when several plans have the programme)")
    @la_option(help="LA code of the council whose results are shown")
    @_OUT
    @_DRAFT
    def highlight(programme, period, plan, la_code, out_dir, draft) -> None:
        """A programme's highlight report for a period, with its outcome measures from the stored results."""
        _write("highlight", out_dir, programme=programme, period=period, plan=plan, la_code=la_code,
               draft=draft)

    @report.command("plan-summary")
    @click.option("--plan", required=True, help="the plan's reference")
    @click.option("--period", type=PERIOD_LABEL, required=True,
                  help="the period reported, e.g. 2024-25-Q2")
    @_OUT
    @_DRAFT
    def plan_summary(plan, period, out_dir, draft) -> None:
        """The executive summary across a plan's programmes for a period."""
        _write("plan-summary", out_dir, plan=plan, period=period, draft=draft)

    @report.command("action-plan")
    @click.option("--plan", required=True, help="the plan's reference")
    @_AS_AT
    @_OUT
    @_DRAFT
    def action_plan(plan, as_at, out_dir, draft) -> None:
        """Every programme's actions with owners, deadlines, status and direction (overdue shown)."""
        _write("action-plan", out_dir, plan=plan, draft=draft, on=as_at.date() if as_at else None)

    @report.command("risks")
    @click.option("--plan", required=True, help="the plan's reference")
    @_AS_AT
    @_OUT
    @_DRAFT
    def risks(plan, as_at, out_dir, draft) -> None:
        """The plan's risk register, highest score first, with the risk matrix."""
        _write("risks", out_dir, plan=plan, draft=draft, on=as_at.date() if as_at else None)

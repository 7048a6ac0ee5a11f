"""Command line: ``targets import|export|history`` and ``scorecard``.

The lead registers :data:`targets` (a click group) and :data:`scorecard` (a
click command) in cli.py.  Bad input is one ``csc-scorecard: error:`` line on
stderr with exit status 2 (cli_support); no traceback reaches the user.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from csc_scorecard.cli_support import (
    FINANCIAL_YEAR,
    PERIOD_LABEL,
    fail,
    friendly_errors,
    la_option,
    open_store_for_reading,
    output_option,
)
from csc_scorecard.rating.priorities import PriorityError
from csc_scorecard.rating.scorecard import ScorecardError
from csc_scorecard.rating.targets import TargetFileError

BREAKDOWNS = ("area", "team", "sex", "age", "ethnicity", "disability")

_friendly = friendly_errors(TargetFileError, ScorecardError, PriorityError, ValueError)


def _account(name: str = ""):
    """The account making a change: ``--user NAME``, else the CLI's account (services.accounts)."""
    from csc_scorecard.services.accounts import AccountError, resolve_account

    try:
        return resolve_account(name or None)
    except AccountError as exc:
        fail(str(exc))




def _setup() -> None:
    from csc_scorecard.cli_support import setup_store
    from csc_scorecard.config import ensure_data_home

    try:
        ensure_data_home()
    except OSError as exc:
        fail(f"cannot create the data directory: {exc.strerror or exc}")
    setup_store()


@click.group()
def targets() -> None:
    """Targets and tolerances per indicator per financial year."""


@targets.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="delete stored targets of the file's years that the file leaves out",
)
@click.option("--user", default="", help="who is making the change (default: your login name)")
@_friendly
def import_command(file: Path, replace: bool, user: str) -> None:
    """Import targets from a CSV or YAML FILE: all or nothing, every change kept in the history."""
    from csc_scorecard.rating.targets import import_specs, parse_target_file

    _setup()  # the local measures (improvement plans) are known ids too
    from csc_scorecard.services.targets import known_target_ids

    specs = parse_target_file(file, known_ids=known_target_ids())  # validate before touching any data
    summary = import_specs(specs, user=_account(user), source=file.name, replace=replace)
    click.echo(str(summary))


@targets.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "yaml"]), default="csv", show_default=True,
    help="the file format (both can be imported again)",
)
@output_option(dest="out", help="file to write (default: standard output)")
@click.option("--year", type=FINANCIAL_YEAR, default=None,
              help="only this financial year, e.g. 2024-25")
@_friendly
def export_command(fmt: str, out: Path | None, year: str | None) -> None:
    """Export the stored targets in the format `targets import` reads."""
    from csc_scorecard.rating.targets import export_targets

    open_store_for_reading()
    text = export_targets(fmt, out, year=year)
    if out is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {out}", err=True)


@targets.command("history")
@click.argument("indicator_id", required=False)
@click.option("--year", type=FINANCIAL_YEAR, default=None,
              help="only this financial year, e.g. 2024-25")
@_friendly
def history_command(indicator_id: str | None, year: str | None) -> None:
    """Every change to the targets (of one indicator): who, when, old and new value."""
    from django.utils import timezone
    from rich.console import Console
    from rich.table import Table

    from csc_scorecard.rating.targets import target_history

    open_store_for_reading()
    rows = target_history(indicator_id, year=year)
    if not rows:
        click.echo("no changes recorded" + (f" for {indicator_id}" if indicator_id else ""))
        return
    table = Table(title="Target history")
    for heading in ("When", "Who", "Indicator", "Year", "Action", "Field", "Old", "New", "File"):
        table.add_column(heading)
    for r in rows:
        table.add_row(
            timezone.localtime(r["changed_at"]).strftime("%Y-%m-%d %H:%M:%S"),
            r["changed_by"],
            r["indicator_id"],
            r["year"],
            r["action"],
            r["field"],
            r["old_value"],
            r["new_value"],
            r["source"],
        )
    Console(width=200).print(table)


@click.command()
@click.option("--period", type=PERIOD_LABEL, required=True,
              help="period label, e.g. 2024-25-Q2 or 2024-25")
@click.option(
    "--by",
    type=click.Choice(BREAKDOWNS),
    default=None,
    help="add a row per area (or other breakdown)",
)
@click.option(
    "--publication",
    is_flag=True,
    help="committee/public output: counts of 1-5 shown c, with secondary suppression",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True,
    help="table for reading, csv for a spreadsheet",
)
@output_option(dest="out", help="file to write (default: standard output)")
@la_option(help="3-digit DfE LA code (for stored values and benchmarks)")
@click.option("--summary", is_flag=True, help="show the high-level summary by priority instead")
@_friendly
def scorecard(
    period: str,
    by: str | None,
    publication: bool,
    fmt: str,
    out: Path | None,
    la_code: str | None,
    summary: bool,
) -> None:
    """The scorecard for a period: value, numerator/denominator, target, RAG, direction,
    previous value, change, SN average and England."""
    from csc_scorecard.periods import parse_period
    from csc_scorecard.services.scorecard import scorecard_view

    parse_period(period)  # a bad label fails before the store is opened
    open_store_for_reading()
    view = scorecard_view(period, by=by, publication=publication, la_code=la_code,
                          summary=summary)
    for note in view.notes:
        click.echo(f"note: {note}", err=True)
    if view.empty:
        fail(f"no indicator values for {period}; run `csc-scorecard recompute`")
    shown = view.shown
    _emit(shown, fmt, out, title=f"Scorecard {period}" + (" (publication)" if publication else ""))


def _emit(frame: Any, fmt: str, out: Path | None, *, title: str) -> None:
    if fmt == "csv":
        text = frame.write_csv()
        if out is None:
            click.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            click.echo(f"wrote {out}", err=True)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in frame.columns:
        table.add_column(col)
    for row in frame.iter_rows():
        table.add_row(*["" if v is None else str(v) for v in row])
    if out is None:
        Console(width=240).print(table)
    else:
        with out.open("w", encoding="utf-8") as fh:
            Console(file=fh, width=240).print(table)
        click.echo(f"wrote {out}", err=True)

"""``freeze``, ``unfreeze`` and ``reconcile``: thin commands over services.freeze and services.reconcile."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from csc_scorecard.cli_support import (
    PeriodType,
    console,
    fail,
    la_option,
    open_store_for_reading,
    output_option,
    period_option,
    setup_store,
)

YEAR = PeriodType(["year"], as_label=True)


def _account():
    from csc_scorecard.services.accounts import AccountError, current_account

    try:
        return current_account()
    except AccountError as exc:
        fail(str(exc))


def _bad_input() -> tuple[type[BaseException], ...]:
    from csc_scorecard.services.access import AccessDenied
    from csc_scorecard.services.council import CouncilNotChosen
    from csc_scorecard.services.freeze import FreezeError
    from csc_scorecard.services.reconcile import ReconcileError
    from csc_scorecard.services.results import NoResults

    return AccessDenied, CouncilNotChosen, FreezeError, NoResults, ReconcileError


@click.command("freeze")
@period_option(help="the financial year to freeze, e.g. 2024-25 (its quarters and months with it)",
               type=YEAR)
@click.option("--label", default="", help="what this freeze is, e.g. 'As submitted to DfE'")
@click.option("--history", is_flag=True, help="list the year's freezes (every version) instead")
@la_option(help="council code, when the store holds several")
def freeze_command(period: str, label: str, history: bool, la_code: str | None) -> None:
    """Keep a year's figures as they stand: its reports then never change (analysts, admins)."""
    from csc_scorecard.services.freeze import freeze_history, freeze_period

    if history:
        open_store_for_reading()
        from csc_scorecard.services.council import choose_council

        try:
            lines = [i.line() for i in freeze_history(choose_council(la_code).la_code, period)]
        except _bad_input() as exc:
            fail(str(exc))
        click.echo("\n".join(lines) if lines else f"{period} has never been frozen")
        return
    setup_store()
    try:
        info = freeze_period(_account(), period, la_code=la_code, label=label)
    except _bad_input() as exc:
        fail(str(exc))
    click.echo(f"LA {info.la_code or '-'} {info.year}: {info.headline}, version {info.version} "
               f"({info.rows:,} values, the year before included)")
    if info.stale:
        click.echo(f"warning: the live figures were stale when frozen ({'; '.join(info.stale)}); "
                   "run `csc-scorecard recompute` and freeze again to freeze up-to-date figures",
                   err=True)


@click.command("unfreeze")
@period_option(help="the frozen financial year, e.g. 2024-25", type=YEAR)
@click.option("--reason", required=True, help="why the freeze is withdrawn (kept in the audit log)")
@la_option(help="council code, when the store holds several")
def unfreeze_command(period: str, reason: str, la_code: str | None) -> None:
    """Withdraw a year's freeze (administrators only): its figures are live again; history is kept."""
    from csc_scorecard.services.freeze import unfreeze_period

    setup_store()
    try:
        info = unfreeze_period(_account(), period, reason=reason, la_code=la_code)
    except _bad_input() as exc:
        fail(str(exc))
    click.echo(f"LA {info.la_code or '-'} {info.year}: version {info.version} withdrawn; "
               "its figures are read live again")


def _number(value: float | None, *, signed: bool = False) -> str:
    """A figure as stored (already rounded to its decimals), with thousands separated."""
    if value is None:
        return "–"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return f"+{text}" if signed and value > 0 else text


@click.command("reconcile")
@period_option(help="the financial year to compare, e.g. 2024-25", type=YEAR)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table",
              show_default=True, help="table for reading; csv or a filterable xlsx workbook")
@output_option(help="file to write (default: standard output; for xlsx, reconcile-YEAR.xlsx)")
@la_option(help="council code, when the store holds several")
def reconcile_command(period: str, fmt: str, output: Path | None, la_code: str | None) -> None:
    """Live, frozen and DfE-published figures of a year per indicator, with the differences."""
    from csc_scorecard.services.reconcile import reconcile, reconcile_csv, write_reconcile_xlsx

    if output and fmt == "table":
        fail("--output is for --format csv or xlsx; the table is printed on the screen")
    open_store_for_reading()
    try:
        result = reconcile(period, la_code=la_code)
    except _bad_input() as exc:
        fail(str(exc))
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if fmt == "csv":
        text = reconcile_csv(result)
        if output:
            output.write_text(text, encoding="utf-8")
            click.echo(f"wrote {len(result.rows)} indicators to {output}", err=True)
        else:
            click.echo(text, nl=False)
        return
    if fmt == "xlsx":
        target = output or Path(f"reconcile-{result.year}.xlsx")
        write_reconcile_xlsx(result, target)
        click.echo(f"wrote {len(result.rows)} indicators to {target}")
        return
    table = Table(title=f"{result.year}, LA {result.la_code or '-'}: live, frozen and "
                        "DfE-published figures")
    for heading in ("Indicator", "Live", "Frozen", "Published", "Live - frozen",
                    "Live - published", "Frozen - published", "In"):
        table.add_column(heading, justify="left" if heading in ("Indicator", "In") else "right")
    for r in result.rows:
        table.add_row(
            r["title"], _number(r["live"]), _number(r["frozen"]), _number(r["published"]),
            _number(r["live_minus_frozen"], signed=True),
            _number(r["live_minus_published"], signed=True),
            _number(r["frozen_minus_published"], signed=True), r["difference_unit"],
        )
    screen = console()
    screen.print(table)
    screen.print(f"Frozen: {result.freeze.line()}" if result.freeze is not None else "Not frozen")
    screen.print(f"Published: reference data {result.reference}")
    screen.print("Where each figure came from: --format csv or xlsx (the 'from' columns).")

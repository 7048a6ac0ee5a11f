"""``csc-scorecard migrate`` and ``csc-scorecard recompute``: thin commands over the services."""

from __future__ import annotations

import click

from csc_scorecard.cli_support import fail
from csc_scorecard.progress import reporter


def _period(value: str | None):
    if value is None:
        return None
    from csc_scorecard.periods import PeriodError, parse_period

    try:
        return parse_period(value)
    except PeriodError as exc:
        fail(str(exc))


@click.command("migrate")
def migrate_command() -> None:
    """Create the database, or bring it up to date after an upgrade."""
    from csc_scorecard.django_setup import open_for_writing

    try:
        open_for_writing()
    except Exception as exc:  # the database cannot be reached or created
        fail(f"cannot migrate the database: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    click.echo("the database is up to date")


@click.command("recompute")
@click.option("--period", default=None,
              help="recompute this period's financial year (stale or not); default: every stale year")
@click.option("--la", "la_code", default=None, help="council code, when the store holds several")
def recompute_command(period: str | None, la_code: str | None) -> None:
    """Recompute the indicator figures that are stale (new returns, reference data, settings)."""
    asked = _period(period)
    from csc_scorecard.django_setup import open_for_writing
    from csc_scorecard.services.recompute import recompute

    try:
        open_for_writing()
    except Exception as exc:
        fail(f"cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    progress = reporter()
    try:
        summaries = recompute(asked, la_code=la_code, progress=progress)
    except ValueError as exc:  # a bad population in council.yml, an unreadable setting
        fail(str(exc))
    finally:
        progress.close()
    if not summaries:
        click.echo("nothing is loaded yet: csc-scorecard ingest PATH")
        return
    for summary in summaries:
        click.echo(str(summary))
        for year, reasons in summary.years.items():
            click.echo(f"  {year}: {'; '.join(reasons)}")

"""``csc-scorecard migrate`` and ``csc-scorecard recompute``: thin commands over the services."""

from __future__ import annotations

import click

from csc_scorecard.cli_support import PERIOD, fail, la_option, setup_store
from csc_scorecard.periods import Period
from csc_scorecard.progress import reporter


@click.command("migrate")
def migrate_command() -> None:
    """Create the database, or bring it up to date after an upgrade."""
    setup_store()
    click.echo("the database is up to date")


@click.command("recompute")
@click.option("--period", type=PERIOD, default=None,
              help="recompute this period's financial year (stale or not); default: every stale year")
@la_option(help="council code, when the store holds several")
def recompute_command(period: Period | None, la_code: str | None) -> None:
    """Recompute the indicator figures that are stale (new returns, reference data, settings)."""
    from csc_scorecard.services.recompute import recompute

    setup_store()
    progress = reporter()
    try:
        summaries = recompute(period, la_code=la_code, progress=progress)
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

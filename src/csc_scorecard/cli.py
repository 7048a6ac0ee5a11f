"""The `csc-scorecard` command: a thin click group over the library."""

from __future__ import annotations

import click

from csc_scorecard import __version__
from csc_scorecard.accounts.command import users
from csc_scorecard.benchmarks.command import benchmarks, reference
from csc_scorecard.cli_support import PROG, ScorecardGroup
from csc_scorecard.demo_command import demo
from csc_scorecard.indicators.command import register as register_indicator_commands
from csc_scorecard.inspection.command import inspection, inspection_pack, self_evaluation
from csc_scorecard.plans.command import measures, plans
from csc_scorecard.rating.command import scorecard, targets
from csc_scorecard.reporting.command import commentary, report
from csc_scorecard.results.command import freeze_command, reconcile_command, unfreeze_command
from csc_scorecard.scrutiny.command import scrutiny
from csc_scorecard.services.command import migrate_command, recompute_command
from csc_scorecard.store.command import ingest, issues_command, status
from csc_scorecard.synth.command import synth
from csc_scorecard.validation.command import validate
from csc_scorecard.web.serve import serve


@click.group(cls=ScorecardGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name=PROG)
@click.option("--as", "as_account", default=None, metavar="NAME",
              help="act as this account (default: CSC_SCORECARD_USER, else your login name)")
def cli(as_account: str | None) -> None:
    """Scorecards and committee reports for children's services, from the statutory returns.

    Conventions (docs/cli.md): --la CODE, --period P, --out DIR for several files,
    --output FILE for one; errors are one line, exit status 2 for bad input, 1 for a failure.
    """
    from csc_scorecard.services.accounts import act_as

    act_as(as_account)


cli.add_command(demo)
cli.add_command(synth)
cli.add_command(ingest)
cli.add_command(status)
cli.add_command(issues_command)
cli.add_command(validate)
cli.add_command(reference)
cli.add_command(benchmarks)
cli.add_command(targets)
cli.add_command(scorecard)
cli.add_command(report)
cli.add_command(commentary)
cli.add_command(serve)
cli.add_command(plans)
cli.add_command(measures)
cli.add_command(scrutiny)
register_indicator_commands(cli)
cli.add_command(users)
cli.add_command(migrate_command)
cli.add_command(recompute_command)
cli.add_command(freeze_command)
cli.add_command(unfreeze_command)
cli.add_command(reconcile_command)
cli.add_command(inspection); cli.add_command(self_evaluation); report.add_command(inspection_pack)  # noqa: E702


def main() -> None:
    cli(prog_name=PROG)


if __name__ == "__main__":
    main()

"""`csc-scorecard demo`: the demo council end to end, with a short summary."""

from __future__ import annotations

import click
from rich.table import Table

from csc_scorecard.benchmarks.errors import ReferenceDataError
from csc_scorecard.cli_support import EXIT_FAILURE, console, fail, friendly_errors
from csc_scorecard.demo import DEMO_POPULATION, DEMO_SEED, run_demo
from csc_scorecard.progress import reporter


@click.command("demo")
@click.option("--population", type=click.IntRange(min=5_000), default=DEMO_POPULATION,
              show_default=True, help="children aged 0-17 in the demo council")
@click.option("--seed", type=int, default=DEMO_SEED, show_default=True,
              help="random seed of the synthetic returns; the same seed writes the same files")
@click.option("--serve", "then_serve", is_flag=True,
              help="then serve it on 127.0.0.1 with a demo analyst's sign-in (shown once)")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="the port for --serve")
# A broken reference folder (CSC_SCORECARD_REFERENCE) is the user's to fix; anything
# else going wrong in the demo is a failure, reported in one line by the root group.
@friendly_errors(ReferenceDataError)
@click.pass_context
def demo(ctx: click.Context, population: int, seed: int, then_serve: bool, port: int) -> None:
    """Build the demo council (four years of returns), load it, compute and report."""
    out = console()
    progress = reporter()
    try:
        summary = run_demo(population=population, seed=seed, progress=progress)
    finally:
        progress.close()
    stored = [o for o in summary.outcomes if o.status == "stored"]
    unchanged = [o for o in summary.outcomes if o.status == "duplicate"]
    rejected = [o for o in summary.outcomes if o.status == "rejected"]
    errors = sum(o.issue_counts.get("error", 0) for o in stored)
    warnings = sum(o.issue_counts.get("warning", 0) for o in stored)

    out.print()
    out.print(f"[bold]{summary.council['name']}[/] (LA {summary.council['la_code']}, "
              f"{summary.council['population_0_17']:,} children aged 0-17)")
    out.print(f"Returns written to {summary.returns_dir}")
    out.print(f"Loaded {len(stored)} submissions ({len(unchanged)} already loaded); "
              f"{errors} row errors, {warnings} warnings: `csc-scorecard status`, `csc-scorecard issues N`")
    out.print(f"{summary.indicator_rows:,} indicator values stored; {summary.reference_note}")
    if summary.headline:
        table = Table(title="Headline figures, latest year")
        table.add_column("indicator")
        table.add_column("value", justify="right")
        table.add_column("numerator/denominator", justify="right")
        for row in summary.headline:
            table.add_row(*row)
        out.print(table)
    for path in summary.reports:
        out.print(f"Report: {path}")
    if summary.next_meeting is not None:
        meeting = summary.next_meeting
        out.print(f"Scrutiny: {meeting.committee.name}, next meeting {meeting.date:%d %B %Y} "
                  f"(pages under /scrutiny/{meeting.committee.slug}/)", highlight=False)
    out.print("How long each step took:")
    for line in progress.timing_lines():
        out.print(f"  {line}", highlight=False)
    err = console(stderr=True)
    for o in rejected:
        err.print(f"[red]rejected[/] {o.label}: {o.reason}")
    if rejected:  # the demo's own files: a rejection is a failure, not the user's input
        fail(f"{len(rejected)} of the demo's files were rejected", EXIT_FAILURE)
    if not then_serve:
        return
    from csc_scorecard.services.demo_account import demo_analyst
    from csc_scorecard.web.serve import serve

    name, password = demo_analyst()
    out.print()
    out.print(f"Open http://127.0.0.1:{port}/ and sign in as [bold]{name}[/] with the password "
              f"[bold]{password}[/] (shown only now). You will set up two-factor sign-in with an "
              "authenticator app first.")
    ctx.invoke(serve, host="127.0.0.1", port=port, workers=2)

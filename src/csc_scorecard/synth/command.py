"""`csc-scorecard synth`: write synthetic councils' returns."""

from __future__ import annotations

import time

import click
from rich.console import Console
from rich.table import Table

from csc_scorecard.cli_support import LA_CODE, friendly_errors, out_dir_option
from csc_scorecard.progress import Progress, reporter

from .calendar import parse_years
from .generate import generate
from .scenario import ScenarioError


@click.command("synth")
@out_dir_option(help="Folder to write into (created if missing).")
@click.option(
    "--la",
    "la_code",
    type=LA_CODE,
    default="999",
    show_default=True,
    help="3-digit DfE code of the (first) council.",
)
@click.option(
    "--population",
    default=110_000,
    show_default=True,
    type=click.IntRange(min=1000),
    help="Children aged 0-17 in the (first) council.",
)
@click.option(
    "--years",
    default="2021-22:2024-25",
    show_default=True,
    help="Collection years: a range 2021-22:2024-25 or a list 2023-24,2024-25.",
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    help="Random seed; the same seed writes the same bytes.",
)
@click.option(
    "--scenario",
    default=None,
    help="Scenario YAML file, or a built-in name (improving, struggling).",
)
@click.option(
    "--councils",
    default=1,
    show_default=True,
    type=click.IntRange(min=1, max=899),
    help="Number of councils (distinct codes and populations) to write.",
)
@click.option(
    "--xml/--no-xml",
    default=True,
    show_default=True,
    help="Also write the 903 as XML, in <year>/ssda903_xml/ (the same return as the "
    "CSVs in <year>/ssda903/: ingest one or the other, or both become submissions of "
    "the same return and year and the later one is current).",
)
@click.option(
    "--defects",
    default=None,
    metavar="FILE|RATE",
    help="Inject known defects, each breaking a named DfE rule: a RATE such as 0.05 (that share "
    "of children, one defect each) or a YAML FILE mapping rule codes to numbers of children "
    "({'103': 5, '8875': 3}). Each year folder gets defects.csv listing them; the 903 XML is "
    "left clean.",
)
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@friendly_errors(ScenarioError, ValueError)
def synth(out_dir, la_code, population, years, seed, scenario, councils, xml, defects, quiet):
    """Write a synthetic council's returns: SSDA903 (CSVs, and XML in its own
    folder unless --no-xml), CIN census XML, Annex A workbook and local CSVs, for
    each collection year."""
    console = Console(stderr=False, quiet=quiet)
    plan = None
    if defects is not None:
        from .defects import DefectsError, parse_defects

        try:
            plan = parse_defects(defects)
        except DefectsError as exc:
            raise click.UsageError(str(exc)) from exc
    started = time.perf_counter()
    progress = Progress() if quiet else reporter()
    try:
        council_years = councils * len(parse_years(years))  # bad years: UsageError below
        with progress.step("Generating council-years", total=council_years) as step:
            summary = generate(
                out_dir,
                la_code=la_code,
                population=population,
                years=years,
                seed=seed,
                scenario=scenario,
                councils=councils,
                xml=xml,
                progress=lambda msg: step.advance(item=msg),
            )
    except (ScenarioError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        progress.close()
    injected = None
    if plan is not None:
        from .defects import MANIFEST, inject_defects

        injected = inject_defects(summary.out_dir, plan, seed=seed)
    elapsed = time.perf_counter() - started
    table = Table(title=f"Synthetic returns in {summary.out_dir}")
    for col in ("council", "year", "children in need", "in the 903", "referrals (Annex A)"):
        table.add_column(col, justify="right" if col != "council" else "left")
    names = {c["la_code"]: c["name"] for c in summary.councils}
    shown = (
        summary.council_years if len(summary.council_years) <= 40 else summary.council_years[:20]
    )
    for cy in shown:
        table.add_row(
            f"{cy.la_code} {names[cy.la_code]}",
            cy.year,
            f"{cy.cin_children:,}",
            f"{cy.cla_children:,}",
            f"{cy.counts.get('annex_a List 3', 0):,}",
        )
    if len(shown) < len(summary.council_years):
        table.add_row("…", "", "", "", "")
    console.print(table)
    console.print(
        f"{len(summary.councils)} council(s), {len(summary.years)} year(s), "
        f"{summary.n_files:,} files, scenario [bold]{summary.scenario}[/bold], seed {seed}, "
        f"{elapsed:.1f}s"
    )
    if injected is not None:
        rules = len({(e.return_type, e.rule) for e in injected})
        console.print(
            f"injected {len(injected):,} defects breaking {rules} rules; listed in {MANIFEST} in each year folder"
        )

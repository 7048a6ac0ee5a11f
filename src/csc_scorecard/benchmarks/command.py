"""Command line: ``reference import DIR``, ``reference download``, ``reference status``, ``benchmarks``.

The main CLI registers :data:`reference` (a click group) and :data:`benchmarks`
(a click command). A reference-data problem is bad input: one
``csc-scorecard: error:`` line on stderr, exit status 2 (cli_support).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from csc_scorecard.benchmarks.compare import OUTPUT_COLUMNS, benchmarks_for
from csc_scorecard.benchmarks.download import download_reference
from csc_scorecard.benchmarks.errors import ReferenceDataError
from csc_scorecard.benchmarks.paths import default_reference_dir
from csc_scorecard.benchmarks.reference import import_reference
from csc_scorecard.cli_support import (
    FINANCIAL_YEAR,
    INPUT_PATH,
    friendly_errors,
    la_option,
    out_dir_option,
)
from csc_scorecard.indicators.formatting import format_figure

F = TypeVar("F", bound=Callable[..., Any])

ATTRIBUTION = (
    "Source: Department for Education, Children in need / Children looked after in England / "
    "Children's social work workforce statistics; ONS mid-year population estimates. "
    "Open Government Licence v3.0."
)

_friendly = friendly_errors(ReferenceDataError)


def _dest_option(func: F) -> F:
    return out_dir_option(
        "dest",
        required=False,
        default=None,
        help="Folder the imported parquet files go into (default: "
        "$CSC_SCORECARD_HOME/reference, i.e. ~/.csc-scorecard/reference).",
    )(func)


@click.group(name="reference")
def reference() -> None:
    """Import, download or inspect the DfE / ONS reference data used for benchmarks."""


@reference.command(name="import")
@click.argument("directory", type=INPUT_PATH)
@_dest_option
@_friendly
def import_cmd(directory: Path, dest: Path | None) -> None:
    """Validate the reference files in DIRECTORY and import them."""
    summary = import_reference(directory, dest or default_reference_dir())
    for line in summary.lines():
        click.echo(line)


@reference.command(name="download")
@_dest_option
@click.option("--timeout", type=float, default=15.0, show_default=True, help="Seconds per request.")
@_friendly
def download_cmd(dest: Path | None, timeout: float) -> None:
    """Download the reference files from Explore Education Statistics and import them."""
    summary = download_reference(dest or default_reference_dir(), timeout=timeout)
    for line in summary.lines():
        click.echo(line)


@reference.command(name="status")
@_friendly
def status_cmd() -> None:
    """Show which reference data is in use (an import or the shipped snapshot), its vintage and age."""
    from csc_scorecard.benchmarks.status import reference_status

    for line in reference_status().lines():
        click.echo(line)


def _fmt(value: Any, dp: int) -> str:
    if isinstance(value, float):
        return format_figure(value, dp)
    return "" if value is None else str(value)


def _display_rows(frame: Any) -> list[list[str]]:
    rows = []
    for r in frame.iter_rows(named=True):
        dp = int(r.get("dp") or 0)
        la_value = _fmt(r["la_value"], dp)
        if not la_value and r.get("la_raw") not in (None, "-"):
            la_value = str(r["la_raw"])  # suppressed: show DfE's code (c, x, z, u, k)
        rows.append(
            [
                r["indicator_id"],
                r["period"] or "",
                la_value,
                _fmt(r["sn_average"], dp),
                _fmt(r["england"], dp),
                _fmt(r["region"], dp),
                _fmt(r["rank"], 0),
                _fmt(r["quartile"], 0),
            ]
        )
    return rows


@click.command(name="benchmarks")
@la_option(required=True, help="3-digit DfE LA code, e.g. 933 (Somerset).")
@click.option("--period", type=FINANCIAL_YEAR, required=True, help="Financial year, e.g. 2024-25.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "table"]),
    default="table",
    show_default=True,
    help="table for reading, csv for a spreadsheet",
)
@click.option(
    "--ref-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Imported reference data (default: $CSC_SCORECARD_HOME/reference, else the shipped snapshot).",
)
@_friendly
def benchmarks(la_code: str, period: str, fmt: str, ref_dir: Path | None) -> None:
    """Published benchmarks for one LA and year: LA, neighbours, England, region, rank."""
    frame = benchmarks_for(la_code, period, ref_dir)
    rows = _display_rows(frame)
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    model = next((m for m in frame["neighbour_model"].to_list() if m), None)
    table = Table(
        title=f"Benchmarks for {la_code} {period}",
        caption=(
            (
                f"Statistical neighbours: DfE model {model}, mean of the 10 neighbours "
                "(missing left out). Rank 1 = best of all LAs; quartile 1 = best quarter. "
                if model
                else ""
            )
            + ATTRIBUTION
        ),
    )
    widths = [max([len(col)] + [len(r[i]) for r in rows]) for i, col in enumerate(OUTPUT_COLUMNS)]
    for col, width in zip(OUTPUT_COLUMNS, widths, strict=True):
        table.add_column(
            col,
            justify="left" if col in ("indicator_id", "period") else "right",
            no_wrap=True,
            min_width=width,
        )
    for row in rows:
        table.add_row(*row)
    console = Console()
    needed = sum(widths) + 3 * len(widths) + 1  # cell padding and borders
    if console.width < needed:
        console = Console(width=needed)  # never squeeze figures into ellipses
    console.print(table)

"""Command-line interface of the indicators: thin click commands over the library.

The lead's cli.py registers them::

    from csc_scorecard.indicators.command import register
    register(main)          # adds `catalogue` (list, explain), `indicators`, `children`

No traceback reaches the user: a bad period or option is a usage error
(exit 2), a data or catalogue problem a one-line error (exit 1); the
``csc-scorecard: error:`` style and the option types are cli_support's.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

import click
import polars as pl

from csc_scorecard.cli_support import PERIOD, la_option, open_store_for_reading
from csc_scorecard.indicators.breakdowns import BREAKDOWNS
from csc_scorecard.indicators.catalogue import CatalogueEntry, CatalogueError, get_catalogue
from csc_scorecard.periods import Period

CSV_COLUMNS = ("indicator_id", "period", "area", "numerator", "denominator", "value")
FORMATS = click.Choice(["csv", "json", "table"], case_sensitive=False)
BY_CHOICES = click.Choice([k for k in BREAKDOWNS if k != "all"], case_sensitive=False)


def _catalogue():
    try:
        return get_catalogue()
    except CatalogueError as exc:
        raise click.ClickException(f"the indicator catalogue is not valid: {exc}") from exc


def _note(message: str) -> None:
    click.echo(f"Note: {message}", err=True)




def _load(la_code: str | None, population: int | None):
    """The chosen council's case data (services.figures), printing how it was assembled."""
    from csc_scorecard.services.figures import StoreUnreadable, load_council_data

    open_store_for_reading()
    try:
        data = load_council_data(la_code, population)
    except StoreUnreadable as exc:
        raise click.ClickException(str(exc)) from exc
    except ValueError as exc:  # a bad population, or several councils and none chosen
        raise click.UsageError(str(exc)) from exc
    for note in getattr(data, "notes", []):
        _note(note)
    return data


def _emit(rows: list[dict[str, Any]], columns: list[str], fmt: str, title: str = "") -> None:
    fmt = fmt.lower()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in columns])
        click.echo(buffer.getvalue(), nl=False)
    elif fmt == "json":
        click.echo(json.dumps([{c: row[c] for c in columns} for row in rows], indent=2, default=str))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title or None)
        for c in columns:
            table.add_column(c, justify="right" if c in ("numerator", "denominator", "value") else "left")
        for row in rows:
            table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
        Console(file=sys.stdout, width=200).print(table)


# --------------------------------------------------------------------------
# catalogue list / explain
# --------------------------------------------------------------------------


@click.group("catalogue")
def catalogue_group() -> None:
    """The indicator catalogue: what each indicator means."""


@catalogue_group.command("list")
@click.option("--family", help="Only this family (e.g. front_door).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True,
              help="output format")
def catalogue_list(family: str | None, fmt: str) -> None:
    """List every indicator: id, family, title, unit, polarity, source."""
    catalogue = _catalogue()
    entries = list(catalogue) if family is None else catalogue.family(family)
    if family is not None and not entries:
        raise click.UsageError(
            f"no family {family!r}; families: {', '.join(catalogue.families())}"
        )
    rows = [
        {
            "id": e.id, "family": e.family, "title": e.title, "unit": e.unit,
            "polarity": e.polarity, "period_type": e.period_type, "source": e.source,
        }
        for e in entries
    ]
    _emit(rows, ["id", "family", "title", "unit", "polarity", "period_type", "source"], fmt,
          "Indicator catalogue")


def explain_text(entry: CatalogueEntry) -> str:
    lines = [
        f"{entry.id}: {entry.title}",
        "",
        entry.definition,
        "",
        f"Source:       {entry.source}" + ("" if entry.source == "DfE" else " (local measure)"),
        f"Numerator:    {entry.numerator}",
        f"Denominator:  {entry.denominator or '(none: a count)'}",
        f"Unit:         {entry.unit}, {entry.decimals} decimal place(s)",
        f"Polarity:     {entry.polarity.replace('_', ' ')}",
        f"Period type:  {entry.period_type}",
        f"DfE measure:  {entry.dfe_measure or '(none)'}",
        "Inputs:       " + "; ".join(f"{t} ({', '.join(f)})" for t, f in entry.inputs.items()),
        f"Family:       {entry.family} ({entry.file}, line {entry.line})",
    ]
    if entry.notes:
        lines += ["", f"Notes: {entry.notes}"]
    return "\n".join(lines)


@catalogue_group.command("explain")
@click.argument("indicator_id")
def catalogue_explain(indicator_id: str) -> None:
    """Explain one indicator: definition, numerator, denominator, polarity, source."""
    catalogue = _catalogue()
    if indicator_id not in catalogue:
        close = [i for i in catalogue.ids() if indicator_id.lower() in i]
        hint = f" Did you mean: {', '.join(close[:8])}?" if close else ""
        raise click.UsageError(f"no indicator {indicator_id!r} in the catalogue.{hint}")
    click.echo(explain_text(catalogue[indicator_id]))


# --------------------------------------------------------------------------
# indicators
# --------------------------------------------------------------------------


def result_rows(result: pl.DataFrame, decimals: dict[str, int]) -> list[dict[str, Any]]:
    """Rows of the CSV layout from engine results (one breakdown kind at a time)."""
    from csc_scorecard.indicators.formatting import format_count, format_figure

    rows = []
    for ident, period, _kind, bvalue, num, den, value in result.iter_rows():
        rows.append(
            {
                "indicator_id": ident,
                "period": period,
                "area": bvalue,
                "numerator": format_count(num, decimals=2, trim=True),
                "denominator": format_count(den, decimals=2, trim=True),
                "value": format_figure(value, decimals[ident]),
            }
        )
    return rows


def _json_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def number(text: str) -> float | int | None:
        if text == "":
            return None
        as_float = float(text)
        return int(as_float) if as_float.is_integer() and "." not in text else as_float

    return [
        {**row, **{k: number(row[k]) for k in ("numerator", "denominator", "value")}}
        for row in rows
    ]


@click.command("indicators")
@click.option("--period", "period", type=PERIOD, required=True,
              help="e.g. 2024-25, 2024-25-Q1, 2024-09, R12-2025-03, YTD-2024-09")
@click.option("--area", help="Only this area (as named in the team table).")
@click.option("--by", "by", type=BY_CHOICES, help="One row per value of this breakdown.")
@click.option("--population", type=click.IntRange(min=1),
              help="Children aged 0-17, for rates per 10,000.")
@click.option("--indicator", "indicator_ids", multiple=True, help="Only these indicator ids.")
@la_option(help="Council code, when the store holds several.")
@click.option("--format", "fmt", type=FORMATS, default="csv", show_default=True,
              help="output format")
def indicators_command(
    period: Period,
    area: str | None,
    by: str | None,
    population: int | None,
    indicator_ids: tuple[str, ...],
    la_code: str | None,
    fmt: str,
) -> None:
    """Indicator values for a period, for the council, one area, or by a breakdown."""
    from csc_scorecard.indicators.engine import IndicatorError
    from csc_scorecard.services.figures import FigureRequestError, live_figures

    if area and by:
        raise click.UsageError("use either --area or --by, not both")
    catalogue = _catalogue()
    for ident in indicator_ids:  # a bad id is refused before the store is opened
        if ident not in catalogue:
            raise click.UsageError(f"no indicator {ident!r} in the catalogue")
    data = _load(la_code, population)  # prints how the data was assembled
    try:
        figures = live_figures(period, area=area, by=by, indicator_ids=indicator_ids,
                               catalogue=catalogue, data=data)
    except (IndicatorError, KeyError) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from exc
    except FigureRequestError as exc:  # an area the data does not have
        raise click.UsageError(str(exc)) from exc
    if figures.population_note:
        _note(figures.population_note)
    decimals = {e.id: e.decimals for e in catalogue}
    rows = result_rows(figures.values, decimals)
    if fmt.lower() == "json":
        click.echo(json.dumps(_json_rows(rows), indent=2))
        return
    _emit(rows, list(CSV_COLUMNS), fmt, f"Indicators {period.label}")


# --------------------------------------------------------------------------
# children
# --------------------------------------------------------------------------


@click.command("children")
@click.argument("indicator_id")
@click.option("--period", "period", type=PERIOD, required=True,
              help="e.g. 2024-25, 2024-25-Q1, 2024-09, R12-2025-03, YTD-2024-09")
@click.option("--area", help="Only children placed in this area at the unit's date.")
@click.option("--population", type=click.IntRange(min=1), hidden=True)
@la_option(help="Council code, when the store holds several.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True,
              help="output format")
def children_command(
    indicator_id: str,
    period: Period,
    area: str | None,
    population: int | None,
    la_code: str | None,
    fmt: str,
) -> None:
    """The children behind an indicator's numerator and denominator."""
    catalogue = _catalogue()
    if indicator_id not in catalogue:
        raise click.UsageError(f"no indicator {indicator_id!r} in the catalogue")
    from csc_scorecard.indicators.engine import IndicatorError
    from csc_scorecard.services.access import AccessDenied, children_behind
    from csc_scorecard.services.accounts import AccountError, current_account

    open_store_for_reading()
    try:
        listing = children_behind(current_account(), indicator_id, period, area=area,
                                  la_code=la_code, population=population, catalogue=catalogue)
    except (AccessDenied, AccountError) as exc:
        raise click.ClickException(str(exc)) from exc
    except (IndicatorError, KeyError) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from exc
    except ValueError as exc:  # a bad population, or several councils and none chosen
        raise click.UsageError(str(exc)) from exc
    for note in listing.notes:
        _note(note)
    _emit(listing.rows, listing.columns, fmt,
          f"{indicator_id} {period.label}: {len(listing.rows)} rows")


def register(group: click.Group) -> None:
    """Add the indicator commands to the main CLI group."""
    group.add_command(catalogue_group)
    group.add_command(indicators_command)
    group.add_command(children_command)

"""CLI: the scrutiny committee documents under ``report``: cover, tracker, work-programme,
committee-pack.  Thin: parse, call :mod:`csc_scorecard.services.committee_docs`, print."""

from __future__ import annotations

from pathlib import Path

import click

from csc_scorecard.cli_support import (
    EXIT_FAILURE,
    PERIOD_LABEL,
    console,
    fail,
    la_option,
    open_store_for_reading,
    out_dir_option,
)

__all__ = ["add_committee_commands"]


def _print(paths: dict[str, Path]) -> None:
    for fmt, path in paths.items():
        console().print(f"[green]wrote[/] {fmt.upper():4} {path}", highlight=False)


def add_committee_commands(report: click.Group) -> None:
    """Register the committee documents as ``report`` subcommands."""

    @report.command("cover")
    @click.option("--report", "kind", type=click.Choice(["annual", "quarterly"]), required=True,
                  help="the performance report the cover report is for")
    @click.option("--period", type=PERIOD_LABEL, required=True,
                  help="its period: 2024-25 (annual) or 2024-25-Q2 (quarterly)")
    @la_option(help="LA code of the council (when results for several are stored)")
    @out_dir_option(help="folder to write the HTML, PDF and Word files into")
    @click.option("--draft/--final", default=True, show_default=True,
                  help="draft flags missing author text and commentary, and marks every page DRAFT")
    @click.option("--publication", is_flag=True, help="suppress small numbers (1-5 shown as c)")
    @click.option("--config", "config_path", type=click.Path(path_type=Path),
                  help="reporting configuration (council name, logo, colours)")
    def cover(kind, period, la_code, out_dir, draft, publication, config_path) -> None:
        """The committee cover report for a performance report: summary, recommendations,
        counts of improving and deteriorating indicators, and each deteriorating indicator."""
        open_store_for_reading()
        from csc_scorecard.reporting.config import ReportConfigError
        from csc_scorecard.reporting.values import ReportError
        from csc_scorecard.services.committee_docs import write_cover_report

        try:
            report, paths = write_cover_report(kind, period, out_dir, la_code=la_code, draft=draft,
                                               publication=publication, config=config_path)
        except (ReportError, ReportConfigError) as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write into {out_dir}: {exc.strerror or exc}", EXIT_FAILURE)
        _print(paths)
        c = report.counts
        console(stderr=True).print(
            f"{c.indicators} indicators; {c.comparable} compared: {c.improved} improved, "
            f"{c.deteriorated} deteriorated, {c.similar} broadly the same", highlight=False)
        for item in report.missing_commentary[:20]:
            console(stderr=True).print(f"[yellow]missing:[/] {item}", highlight=False)

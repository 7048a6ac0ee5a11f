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

    meeting_option = click.option("--meeting", "meeting_date", type=click.DateTime(formats=["%Y-%m-%d"]),
                                  required=True, help="the meeting's date, YYYY-MM-DD")
    committee_option = click.option("--committee", "committee_slug", default=None,
                                    help="the committee's id (when several committees meet that day)")
    draft_option = click.option("--draft/--final", default=True, show_default=True, help="mark every page DRAFT")

    def _write(call, *args, **kwargs) -> None:
        open_store_for_reading()
        from csc_scorecard.reporting.values import ReportError
        from csc_scorecard.services.scrutiny import ScrutinyNotFound

        try:
            paths = call(*args, **kwargs)
        except (ScrutinyNotFound, ReportError) as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write into {kwargs.get('out_dir') or args[-1]}: {exc.strerror or exc}", EXIT_FAILURE)
        _print(paths)

    @report.command("tracker")
    @meeting_option
    @committee_option
    @out_dir_option(help="folder to write the HTML, PDF and Word files into")
    @draft_option
    def tracker(meeting_date, committee_slug, out_dir, draft) -> None:
        """The outcome tracker as reported to a meeting, statuses derived as at its date, with the key."""
        from csc_scorecard.services.committee_docs import write_tracker

        _write(write_tracker, meeting_date.date(), out_dir, committee_slug=committee_slug, draft=draft)

    @report.command("work-programme")
    @click.option("--committee", "committee_slug", required=True, help="the committee's id")
    @out_dir_option(help="folder to write the HTML, PDF and Word files into")
    @draft_option
    def work_programme(committee_slug, out_dir, draft) -> None:
        """The committee's work programme: its meetings and their items in agenda order."""
        from csc_scorecard.services.committee_docs import write_work_programme

        _write(write_work_programme, committee_slug, out_dir, draft=draft)

    @report.command("committee-pack")
    @meeting_option
    @committee_option
    @la_option(help="LA code of the council whose results the papers show")
    @out_dir_option(help="folder to write the pack (one PDF, one Word file, and the HTML) into")
    @draft_option
    @click.option("--publication/--unsuppressed", default=True, show_default=True,
                  help="suppress small numbers (1-5 shown as c): the pack is a public paper")
    def committee_pack(meeting_date, committee_slug, la_code, out_dir, draft, publication) -> None:
        """One PDF and DOCX for a meeting: contents, outcome tracker, work programme, then each agenda
        item's papers (cover report and performance report, highlight reports, plan summary)."""
        from csc_scorecard.services.committee_docs import write_committee_pack

        _write(write_committee_pack, meeting_date.date(), out_dir, committee_slug=committee_slug,
               la_code=la_code, publication=publication, draft=draft)

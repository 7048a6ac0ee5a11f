"""CLI: ``csc-scorecard inspection import FILE`` / ``inspection list`` and
``csc-scorecard self-evaluation import|check|export``.  Thin: parse, call
csc_scorecard.services.inspection, print."""

from __future__ import annotations

from pathlib import Path

import click

from csc_scorecard.cli_support import INPUT_FILE, OUT_DIR, console, fail, la_option, setup_store


def _user_errors() -> tuple[type[BaseException], ...]:
    """The errors whose message is the answer (no council chosen, nothing stored ...)."""
    from csc_scorecard.services.council import CouncilNotChosen
    from csc_scorecard.services.results import NoResults

    return (CouncilNotChosen, NoResults)

__all__ = ["inspection", "inspection_pack", "self_evaluation"]


@click.group()
def inspection() -> None:
    """Ofsted inspections and visits, their judgements and recommendations (docs/inspection.md)."""


@inspection.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@la_option()
def import_command(file: Path, la_code: str | None) -> None:
    """Store an inspection from a .yml or .xlsx file (all or nothing; problems located)."""
    setup_store()
    from csc_scorecard.services.inspection import FileProblems, import_inspection

    try:
        visit = import_inspection(file, la_code=la_code)
    except FileProblems as exc:
        fail(str(exc))
    console().print(
        f"[green]stored[/] {visit}: {visit.judgements.count()} judgements, "
        f"{visit.recommendations.count()} recommendations", highlight=False)


@inspection.command("list")
def list_command() -> None:
    """The stored inspections and their recommendations, with the actions answering them."""
    setup_store()
    from csc_scorecard.services.inspection import inspections_overview

    out = console()
    rows = inspections_overview()
    if not rows:
        out.print("no inspections are stored (csc-scorecard inspection import FILE)")
    for line in rows:
        out.print(line, highlight=False, markup=False)


@click.group("self-evaluation")
def self_evaluation() -> None:
    """Self-evaluations whose figures are read from the stored results (docs/self-evaluation.md)."""


@self_evaluation.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@la_option()
def se_import(file: Path, la_code: str | None) -> None:
    """Store a self-evaluation from a .yml or .xlsx file (replaces one with the same title)."""
    setup_store()
    from csc_scorecard.services.inspection import FileProblems, import_self_evaluation

    try:
        doc = import_self_evaluation(file, la_code=la_code)
    except FileProblems as exc:
        fail(str(exc))
    console().print(f"[green]stored[/] self-evaluation {doc.title!r} ({doc.sections.count()} "
                    "sections)", highlight=False)


def _export(evaluation, out_dir: Path, la_code: str | None, final: bool | None) -> None:  # noqa: ANN001
    from csc_scorecard.services.inspection import EvaluationError, export_self_evaluation

    try:
        files = export_self_evaluation(evaluation, out_dir, la_code=la_code, final=final)
    except EvaluationError as exc:
        fail(str(exc))
    except _user_errors() as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write into {out_dir}: {exc.strerror or exc}")
    for fmt, path in files.items():
        console().print(f"[green]wrote[/] {fmt.upper():4} {path}", highlight=False)


@self_evaluation.command("export")
@click.argument("title")
@click.option("--out", "out_dir", required=True, type=OUT_DIR,
              help="folder to write the HTML, PDF and Word files into")
@la_option()
@click.option("--draft/--final", "draft", default=None,
              help="final refuses missing comparison figures (default: the document's status)")
def se_export(title: str, out_dir: Path, la_code: str | None, draft: bool | None) -> None:
    """Write a stored self-evaluation (TITLE or id) with its live figures."""
    setup_store()
    from csc_scorecard.services.inspection import NotFound, stored_evaluation

    try:
        evaluation = stored_evaluation(title)
    except NotFound as exc:
        fail(str(exc))
    _export(evaluation, out_dir, la_code, None if draft is None else not draft)


@self_evaluation.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=OUT_DIR, default=None,
              help="also write the HTML, PDF and Word files into this folder")
@la_option()
def se_check(file: Path, out_dir: Path | None, la_code: str | None) -> None:
    """Render a self-evaluation file's figures without storing it; every broken reference located."""
    setup_store()
    from csc_scorecard.inspection.files import read_evaluation_file
    from csc_scorecard.services.inspection import (
        EvaluationError,
        FileProblems,
        render_self_evaluation,
    )

    try:
        evaluation = read_evaluation_file(file)
        done, _code, _when = render_self_evaluation(evaluation, la_code=la_code)
    except (FileProblems, EvaluationError) as exc:
        fail(str(exc))
    except _user_errors() as exc:
        fail(str(exc))
    out = console()
    for part in done.parts:
        out.print(f"[bold]{part.part.theme}[/]: {part.part.title}", highlight=False)
        for text in part.bullets:
            out.print(f"  - {text}", highlight=False, markup=False)
    for warning in done.warnings:
        console(stderr=True).print(f"[yellow]note:[/] {warning}", highlight=False)
    if out_dir is not None:
        _export(evaluation, out_dir, la_code, None)


def _account():  # noqa: ANN202 - the account the CLI acts as, or None
    from csc_scorecard.services.accounts import AccountError, current_account

    try:
        return current_account()
    except AccountError:  # no account: the aggregate pack only
        return None


@click.command("inspection-pack")
@click.option("--as-at", "as_at", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="the date the lists run to (YYYY-MM-DD)")
@click.option("--out", "out_dir", required=True, type=OUT_DIR,
              help="folder to write the HTML, PDF, Word and Excel files into")
@click.option("--annex-a", "file", type=INPUT_FILE, default=None,
              help="an Annex A workbook (default: the current Annex A in the store)")
@la_option()
def inspection_pack(as_at, out_dir: Path, file: Path | None, la_code: str | None) -> None:  # noqa: ANN001
    """The Annex A inspection pack: lists, timeliness, caseloads, journeys, data quality."""
    setup_store()
    from csc_scorecard.services.inspection import PackError, write_inspection_pack

    try:
        files = write_inspection_pack(as_at.date(), out_dir, account=_account(), file=file,
                                      la_code=la_code)
    except PackError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write into {out_dir}: {exc.strerror or exc}")
    for fmt, path in files.items():
        console().print(f"[green]wrote[/] {fmt.upper():4} {path}", highlight=False)

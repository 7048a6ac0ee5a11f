"""A rendered self-evaluation as a report: one theme a page, a glossary, the figures used.

The document is built as the reporting package's :class:`~csc_scorecard.reporting.model.Report`
so the same renderers (HTML, tagged PDF, DOCX with real headings) write it and
each section starts a new page, like the slide-style self-evaluations
councils write.  The glossary is built from the catalogue entries of the
indicators the document uses; the last section lists every figure used, with
its period, its numerator/denominator, where the figure comes from and which
bullets use it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from csc_scorecard.indicators.catalogue import Catalogue
from csc_scorecard.indicators.formatting import format_count
from csc_scorecard.inspection.document import RenderedEvaluation
from csc_scorecard.reporting.config import ReportConfig
from csc_scorecard.reporting.model import Bullets, Cell, Notice, Para, Report, Section, Table

__all__ = ["FORMATS", "build_report", "slug", "write_outputs"]

FORMATS = ("html", "pdf", "docx")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def build_report(done: RenderedEvaluation, catalogue: Catalogue, *, council: ReportConfig,
                 la_code: str, computed_at: dt.datetime | None) -> Report:
    ev = done.evaluation
    period_name = ev.period or "latest figures stored"
    report = Report(kind="self-evaluation", title=ev.title,
                    subtitle=f"Self-evaluation{' answering ' + ev.inspection if ev.inspection else ''}",
                    period=ev.period or "latest", period_name=period_name, council=council,
                    draft=not ev.final, publication=False, la_code=la_code,
                    computed_at=computed_at)
    seen: dict[str, int] = {}
    for part in done.parts:
        base = slug(part.part.theme)
        seen[base] = seen.get(base, 0) + 1
        sid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        blocks: list = []
        if part.part.title:
            blocks.append(Para(part.part.title, css="lead"))
        if part.part.recommendations:
            blocks.append(Para("Recommendations answered: " + ", ".join(part.part.recommendations),
                               css="small"))
        blocks.append(Bullets(part.bullets))
        report.sections.append(Section(sid, "", part.part.theme, blocks))
    if done.warnings:
        report.sections[0].blocks.insert(0, Notice(
            "Draft: " + "; ".join(done.warnings) + ". A final version needs these figures."))
    rows = []
    for ident in done.indicator_ids:
        entry = catalogue[ident]
        rows.append([Cell(entry.title, row_header=True), Cell(entry.definition.strip())])
    report.sections.append(Section("glossary", "", "Glossary of measures", [Table(
        "glossary", "The measures this document quotes, as the indicator catalogue defines them",
        ["Measure", "Definition"], rows, css="definitions", widths=[1, 3])]))
    fig_rows = []
    for used in done.figures:
        u = used.use
        counts = ""
        if u.numerator is not None and u.denominator is not None:
            counts = f"{format_count(u.numerator)}/{format_count(u.denominator)}"
        elif u.numerator is not None:
            counts = format_count(u.numerator)
        fig_rows.append([
            Cell(u.title, row_header=True, source={"indicator": u.indicator_id}),
            Cell(u.period, source={"period": u.period}), Cell(u.role),
            Cell(u.value_text, numeric=True), Cell(counts, numeric=True), Cell(u.source),
            Cell("; ".join(used.where)),
        ])
    report.sections.append(Section("figures-used", "", "Figures used", [
        Para("Every figure in this document is read from the stored results when it is "
             "produced; none is typed by hand.", css="small"),
        Table("figures-used", "Figures used, with their period and source",
              ["Measure", "Period", "Used as", "Figure", "Numerator/denominator", "Source",
               "Where"], fig_rows, widths=[2.2, 1, 1.4, 0.9, 1.1, 2.4, 2])]))
    return report


def write_outputs(report: Report, out_dir: Path | str, stem: str,
                  formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    from csc_scorecard.reporting.render_docx import render_docx
    from csc_scorecard.reporting.render_html import render_html
    from csc_scorecard.reporting.render_pdf import render_pdf

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    html = render_html(report)
    if "html" in formats:
        written["html"] = out / f"{stem}.html"
        written["html"].write_text(html, encoding="utf-8")
    if "pdf" in formats:
        written["pdf"] = out / f"{stem}.pdf"
        render_pdf(html, written["pdf"])
    if "docx" in formats:
        written["docx"] = out / f"{stem}.docx"
        render_docx(report, written["docx"])
    return written

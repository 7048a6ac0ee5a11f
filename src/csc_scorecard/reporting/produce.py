"""Produce a report in all three formats from one report model."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from csc_scorecard.reporting.build import build_annual_report, build_quarterly_report
from csc_scorecard.reporting.config import ReportConfig, load_report_config
from csc_scorecard.reporting.model import Report
from csc_scorecard.reporting.render_docx import render_docx
from csc_scorecard.reporting.render_html import render_html
from csc_scorecard.reporting.render_pdf import render_pdf

__all__ = ["FORMATS", "ReportFiles", "write_report"]

FORMATS = ("html", "pdf", "docx")


@dataclass
class ReportFiles:
    report: Report
    paths: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    pdf_pages: int = 0


def write_report(
    kind: str,
    period: str,
    out_dir: Path | str,
    *,
    la_code: str | None = None,
    publication: bool = False,
    draft: bool = True,
    config: ReportConfig | Path | str | None = None,
    formats: tuple[str, ...] = FORMATS,
    **build_options,
) -> ReportFiles:
    """Build the report model once and write it as HTML, PDF and DOCX into ``out_dir``."""
    cfg = config if isinstance(config, ReportConfig) else load_report_config(config)
    builder = {"annual": build_annual_report, "quarterly": build_quarterly_report}[kind]
    if kind == "quarterly" and "programme_links" not in build_options:
        from csc_scorecard.plans.links import linked_programme_blocks

        build_options["programme_links"] = linked_programme_blocks
    t = time.perf_counter()
    report = builder(period, la_code=la_code, publication=publication, draft=draft, config=cfg,
                     **build_options)
    result = ReportFiles(report)
    result.seconds["model"] = time.perf_counter() - t
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = report.file_stem
    html = None
    if "html" in formats or "pdf" in formats:
        t = time.perf_counter()
        html = render_html(report)
        result.seconds["html"] = time.perf_counter() - t
        if "html" in formats:
            path = out / f"{stem}.html"
            path.write_text(html, encoding="utf-8")
            result.paths["html"] = path
    if "pdf" in formats:
        t = time.perf_counter()
        path = out / f"{stem}.pdf"
        _, result.pdf_pages = render_pdf(html or "", path, base_url=str(out))
        result.paths["pdf"] = path
        result.seconds["pdf"] = time.perf_counter() - t
    if "docx" in formats:
        t = time.perf_counter()
        path = out / f"{stem}.docx"
        render_docx(report, path)
        result.paths["docx"] = path
        result.seconds["docx"] = time.perf_counter() - t
    return result

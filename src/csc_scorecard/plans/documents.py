"""The action plan and the risk register of a plan, and writing any plan report (HTML, PDF, DOCX).

Every plan document goes through the reporting renderers (the same template,
CSS and Word writer as the committee reports): real headings, tables with
header rows, status and RAG in words beside any colour.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csc_scorecard.plans import models as m
from csc_scorecard.plans.highlight import (
    PlanReport,
    _config,
    build_highlight,
    build_plan_summary,
    direction_words,
    lines,
)
from csc_scorecard.plans.rules import RiskBand, Status
from csc_scorecard.reporting.model import Cell, Heading, Para, Section, Table
from csc_scorecard.services.plans import indicator_titles

__all__ = ["build_action_plan", "build_risk_register", "write_plan_report"]


def _status_cell(action: m.Action, on: dt.date) -> Cell:
    text = f"{Status(action.status).label}; {direction_words(action.direction)}"
    if action.is_overdue(on):
        text = f"OVERDUE. {text}"
    return Cell(text, css=f"rag-{action.status}")


def build_action_plan(plan: m.Plan, *, on: dt.date | None = None, draft: bool = True) -> PlanReport:
    on = on or dt.date.today()
    report = PlanReport(
        kind="action-plan", title=f"{plan.title}: action plan", subtitle=f"Actions as at {on:%d %B %Y}",
        period=plan.period, period_name=plan.period or "Plan period", council=_config(), draft=draft,
        publication=False, la_code="", computed_at=None, stem=f"action-plan-{plan.reference}",
        sections_flow=False)
    for programme in plan.programmes.all():
        blocks: list = [Table(
            id=f"programme-{programme.number}", caption="Improvement programme", columns=["Item", "Detail"],
            rows=[[Cell(k, row_header=True), Cell(v or "Not given")] for k, v in (
                ("Lead delivery group", programme.lead_delivery_group), ("Chair", programme.chair),
                ("Lead sponsor", programme.lead_sponsor),
                ("Scrutiny committee champion", programme.scrutiny_champion))], widths=[1, 3])]
        for objective in programme.objectives.all():
            blocks.append(Heading(f"({objective.letter}) {objective.text}", 3))
            rows = []
            for action in objective.actions.prefetch_related("owners__account", "notes"):
                kpi = action.kpi
                if action.indicators:
                    kpi = (kpi + ". " if kpi else "") + "Linked indicators: " + "; ".join(
                        indicator_titles(action.indicators))
                notes = list(action.notes.all())
                progress = f"{notes[-1].date:%d/%m/%Y}: {notes[-1].text}" if notes else "No progress note"
                if action.recommendations:
                    progress += " Recommendations: " + ", ".join(action.recommendations)
                rows.append([
                    Cell(action.number, row_header=True), Cell(action.text),
                    Cell(", ".join(action.owner_names) or "Not given"), Cell(action.deadline_info.text),
                    Cell(" ".join(x for x in (action.success, kpi) if x) or "Not given"),
                    Cell(action.outcome or "Not given"), _status_cell(action, on), Cell(progress)])
            if rows:
                blocks.append(Table(
                    id=f"actions-{programme.number}-{objective.letter}",
                    caption=f"Actions for objective ({objective.letter})",
                    columns=["No.", "Action", "Action owner", "Deadline for completion",
                             "What success looks like and KPI", "Outcome", "Status and direction",
                             "Latest progress"],
                    rows=rows, widths=[0.45, 2.3, 1.5, 1.35, 2.3, 1.6, 1.5, 1.8]))
            else:
                blocks.append(Para("No actions."))
        report.sections.append(Section(f"programme-{programme.number}", str(programme.number),
                                       programme.title, blocks))
    return report


def build_risk_register(plan: m.Plan, *, on: dt.date | None = None, draft: bool = True) -> PlanReport:
    on = on or dt.date.today()
    report = PlanReport(
        kind="risks", title=f"{plan.title}: risk register", subtitle=f"Key risks as at {on:%d %B %Y}",
        period=plan.period, period_name=plan.period or "Plan period", council=_config(), draft=draft,
        publication=False, la_code="", computed_at=None, stem=f"risks-{plan.reference}")
    risks = sorted(m.Risk.objects.filter(programme__plan=plan).select_related("programme"),
                   key=lambda r: (-r.score, r.programme.number, r.number))
    rows = []
    for r in risks:
        review = f"{r.review_date:%d/%m/%Y}" if r.review_date else "Not set"
        if r.review_date and r.review_date < on:
            review += " (review overdue)"
        rows.append([
            Cell(f"{r.programme.number}.{r.number}", row_header=True),
            Cell(f"{r.risk} (programme {r.programme.number}: {r.programme.title})"),
            Cell("; ".join(lines(r.impacts)) or "Not given"), Cell("; ".join(lines(r.mitigations)) or "Not given"),
            Cell(r.owner or "Not given"), Cell(f"{r.likelihood} x {r.impact}"),
            Cell(f"{r.score} {r.band.label}", css="rag-R" if r.band.red else
                 ("rag-A" if r.band is RiskBand.MEDIUM else "rag-G")),
            Cell(review), Cell(r.trend)])
    blocks: list = [Table(
        id="risks", caption="Risks by score, highest first",
        columns=["Ref", "Risk (programme)", "Impacts", "Mitigations", "Owner", "Likelihood x impact",
                 "Score and band", "Review date", "Trend"],
        rows=rows, widths=[0.5, 2.4, 2, 2.2, 1.2, 1.1, 1.1, 1.2, 0.8])] if rows else [Para("No risks recorded.")]
    blocks.append(Table(
        id="risk-matrix", caption="Risk matrix: score = likelihood x impact (each 1 to 5)",
        columns=["Score", "Band"], css="key",
        rows=[[Cell("1 to 4", row_header=True), Cell(RiskBand.LOW.label)],
              [Cell("5 to 9", row_header=True), Cell(RiskBand.MEDIUM.label)],
              [Cell("10 to 16", row_header=True), Cell(RiskBand.HIGH.label)],
              [Cell("20 to 25", row_header=True), Cell(RiskBand.VERY_HIGH.label)]]))
    report.sections.append(Section("register", "1", "Risk register", blocks))
    return report


_FLOW_CSS = """
@media print {
  .contents { break-after: auto; }
  section.section { break-before: auto; margin-top: 1.2em; }
}
"""


def write_plan_report(report: PlanReport, out_dir: Path | str) -> dict[str, Path]:
    """HTML, tagged PDF and DOCX of a plan report into ``out_dir``."""
    from csc_scorecard.reporting.render_docx import render_docx
    from csc_scorecard.reporting.render_html import render_html
    from csc_scorecard.reporting.render_pdf import render_pdf

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(report)
    if report.sections_flow:  # the report styles start each section on a new page
        html = html.replace("</style>", _FLOW_CSS + "</style>", 1)
    paths = {"html": out / f"{report.file_stem}.html", "pdf": out / f"{report.file_stem}.pdf",
             "docx": out / f"{report.file_stem}.docx"}
    paths["html"].write_text(html, encoding="utf-8")
    render_pdf(html, paths["pdf"], base_url=str(out))
    render_docx(report, paths["docx"])
    return paths


BUILDERS = {"highlight": build_highlight, "plan-summary": build_plan_summary,
            "action-plan": build_action_plan, "risks": build_risk_register}

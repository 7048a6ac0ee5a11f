"""Highlight report per programme per period, and the executive summary across a plan.

Sections in the order of the council's highlight-report template: header;
1 overall status, trend and reason; 2 progress since the last report
(achievements, slippage with reasons and remedial actions, the voice and
needs of children); 3 next period; 4 risks; 5 issues; 6 variances;
7 decisions required; then the outcome-measures table.  A section with
nothing in it prints "nil return".  Overdue actions (as at the period's
end) are offered as slippage entries and red risks as risk entries, after
the author's own lines.

The outcome-measures table reads every figure - stored indicator results
and local-measure values - through :func:`csc_scorecard.services.plans.measure_figure`;
the previous performance is the previous report's period (the quarter
before for a quarter, the month before for a month, the year before for a
year), as the council's template compares with the last report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from csc_scorecard.indicators.formatting import format_count, format_figure
from csc_scorecard.indicators.vocab import Unit
from csc_scorecard.periods import Period, PeriodKind, parse_period
from csc_scorecard.plans import models as m
from csc_scorecard.plans.rules import Direction, Status
from csc_scorecard.reporting.model import Bullets, Cell, Heading, Para, Report, Section, Table

__all__ = ["NIL_RETURN", "PlanReport", "build_highlight", "build_plan_summary", "previous_report_period"]

NIL_RETURN = "nil return"


@dataclass
class PlanReport(Report):
    stem: str = ""
    # short documents (highlight, summary, risks) run on instead of a page per section
    sections_flow: bool = True

    @property
    def file_stem(self) -> str:
        return self.stem + ("-draft" if self.draft else "")


def previous_report_period(period: Period) -> Period:
    if period.kind is PeriodKind.QUARTER:
        day = period.start - dt.timedelta(days=1)
        return Period.quarter(day.year if day.month >= 4 else day.year - 1,
                              {6: 1, 9: 2, 12: 3, 3: 4}[day.month])
    if period.kind is PeriodKind.MONTH:
        day = period.start - dt.timedelta(days=1)
        return Period.month(day.year, day.month)
    return period.previous_comparable()


def period_name(period: Period) -> str:
    if period.kind is PeriodKind.QUARTER:
        return f"Q{period.label[-1]} {period.financial_year} ({period.start:%B} to {period.end:%B %Y})"
    if period.kind is PeriodKind.MONTH:
        return f"{period.start:%B %Y}"
    return period.label


def short_name(period: Period) -> str:
    """ "Q4 2024-25", "March 2025", "2024-25": the period beside a figure."""
    from csc_scorecard.reporting.build import period_name as report_period_name

    return report_period_name(period)


def lines(text: str) -> list[str]:
    return [ln.strip().lstrip("-•* ").strip() for ln in (text or "").splitlines() if ln.strip()]


def entries(blocks: list, items: list[str]) -> None:
    """Bullets, or "nil return" when there is nothing to say."""
    if items:
        blocks.append(Bullets(items))
    else:
        blocks.append(Para(NIL_RETURN, css="nil"))


def status_words(status: str) -> str:
    return Status(status).label if status else "Not rated"


def direction_words(direction: str) -> str:
    return Direction(direction).label if direction else "Not given"


def fmt(value: float | None, unit: str, decimals: int) -> str:
    """The one formatter (half away from zero, as the rating decides), "No figure" for none."""
    text = format_figure(value, decimals, unit=unit, thousands=True, with_unit=True, blank="No figure")
    if value is not None and unit == Unit.RATE_PER_10K:
        text += " per 10,000"
    return text


def overdue_actions(programme: m.Programme, on: dt.date) -> list[m.Action]:
    actions = m.Action.objects.filter(objective__programme=programme).select_related(
        "objective__programme").prefetch_related("owners__account")
    return [a for a in actions if a.is_overdue(on)]


def overdue_entry(action: m.Action) -> str:
    owners = ", ".join(action.owner_names) or "no owner named"
    return (f"Overdue: action {action.reference} \"{action.text}\" was due by "
            f"{action.deadline_info.text} and is not complete (status "
            f"{Status(action.status).short}; owner: {owners}).")


def red_risks(programme: m.Programme) -> list[m.Risk]:
    return sorted((r for r in programme.risks.all() if r.band.red), key=lambda r: -r.score)


def risk_entry(risk: m.Risk) -> str:
    text = f"Risk {risk.programme.number}.{risk.number} (score {risk.score}, {risk.band.label}): {risk.risk}"
    if risk.mitigations:
        text = text.rstrip(".") + f". Mitigation: {'; '.join(lines(risk.mitigations))}"
    return text


def _linked_ids(programme: m.Programme) -> list[str]:
    seen: list[str] = []
    for action in m.Action.objects.filter(objective__programme=programme):
        for ident in action.indicators:
            if ident not in seen:
                seen.append(ident)
    return seen


def outcome_table(programme: m.Programme, period: Period, la_code: str | None) -> Table:
    from csc_scorecard.rating.direction import travel
    from csc_scorecard.rating.rag import rag_for_target, rag_label
    from csc_scorecard.rating.targets import targets_for_year
    from csc_scorecard.services.plans import measure_figure

    previous = previous_report_period(period)
    targets = targets_for_year(period.financial_year)
    rows: list[list[Cell]] = []
    for ident in _linked_ids(programme):
        now = measure_figure(ident, period.label, la_code=la_code)
        if now is None:
            continue
        before = measure_figure(ident, previous.label, la_code=la_code)
        spec = targets.get(ident)
        target = "No target" if spec is None or spec.target is None else fmt(float(spec.target), now.unit, now.decimals)
        rating = rag_for_target(now.value, spec, polarity=now.polarity, decimals=now.decimals)
        way = travel(now.value, before.value if before else None, polarity=now.polarity,
                     unit=now.unit, decimals=now.decimals)
        current = fmt(now.value, now.unit, now.decimals)
        if now.value is not None and now.denominator is not None and now.unit == Unit.PERCENT:
            current += f" ({format_count(now.numerator, thousands=True)}/{format_count(now.denominator, thousands=True)})"
        src = {"indicator": ident, "period": period.label}
        rows.append([
            Cell(f"{now.title}" + (" (local measure)" if now.local else ""), row_header=True),
            Cell(target, numeric=True, source={**src, "field": "target"}),
            Cell(f"{current}, {short_name(period)}", source={**src, "field": "value"}),
            Cell(f"{fmt(before.value if before else None, now.unit, now.decimals)}, {short_name(previous)}",
                 source={"indicator": ident, "period": previous.label, "field": "value"}),
            Cell(way.label),
            Cell(rag_label(rating, short=True), css=f"rag-{rating}" if rating else "rag-none"),
        ])
    return Table(
        id=f"outcomes-{programme.number}", caption="Outcome measures and performance indicators",
        columns=["Outcome measure / performance indicator", "Target", "Current performance",
                 "Previous performance", "Direction of travel", "Rating"],
        rows=rows, css="kpi", widths=[3, 1.2, 1.8, 1.8, 1.3, 1],
        notes=["Key: ↑/↓ improving - shows improvement; → steady - stayed the same; "
               "↑/↓ declining - has deteriorated. Rating: Green on or better than target; "
               "Amber off target but within tolerance; Red off target and outside tolerance."],
    )


def _config():
    from csc_scorecard.reporting.config import load_report_config

    return load_report_config(None)


def build_highlight(programme: m.Programme, period_label: str, *, la_code: str | None = None,
                    draft: bool = True) -> PlanReport:
    period = parse_period(period_label)
    h = m.HighlightReport.objects.filter(programme=programme, period=period.label).first() or m.HighlightReport(
        programme=programme, period=period.label)
    report = PlanReport(
        kind="highlight", title="Improvement programme highlight report",
        subtitle=f"Programme {programme.number}: {programme.title}", period=period.label,
        period_name=period_name(period), council=_config(), draft=draft, publication=False,
        la_code=la_code or "", computed_at=None,
        stem=f"highlight-programme-{programme.number}-{period.label}")
    header = [("Plan", programme.plan.title), ("Programme", f"{programme.number} {programme.title}"),
              ("Delivery group", programme.lead_delivery_group), ("Delivery group chair", programme.chair),
              ("Lead sponsor", programme.lead_sponsor), ("Year", period.financial_year),
              ("Report date", f"{h.report_date:%d/%m/%Y}" if h.report_date else "Not given"),
              ("Scrutiny committee champion", programme.scrutiny_champion), ("Report state", h.state)]
    report.sections.append(Section("header", "", "Programme", [Table(
        id="header", caption="Programme details", columns=["Item", "Detail"],
        rows=[[Cell(k, row_header=True), Cell(v or "Not given")] for k, v in header], widths=[1, 3])]))
    s1 = [Table(id="status", caption="Overall improvement programme status", columns=["Item", "Detail"],
                rows=[[Cell("Current status", row_header=True), Cell(status_words(h.status),
                                                                     css=f"rag-{h.status}" if h.status else "")],
                      [Cell("Status trend", row_header=True), Cell(direction_words(h.trend))]], widths=[1, 3]),
          Heading("Reason for current status", 3)]
    entries(s1, lines(h.reason))
    report.sections.append(Section("status", "1", "Overall improvement programme status", s1))
    on = period.end
    s2: list = [Heading("Achievements", 3)]
    entries(s2, lines(h.achievements))
    s2.append(Heading("Slippage (reasons and remedial actions)", 3))
    entries(s2, lines(h.slippage) + [overdue_entry(a) for a in overdue_actions(programme, on)])
    s2.append(Heading("How the plan included the voice and needs of children", 3))
    entries(s2, lines(h.voice_of_children))
    report.sections.append(Section("progress", "2", "Progress since last highlight report", s2))
    for number, ident, title, items in (
        ("3", "next", "Actions and outputs for the next period", lines(h.next_period)),
        ("4", "risks", "Most significant current risks",
         lines(h.risks) + [risk_entry(r) for r in red_risks(programme)]),
        ("5", "issues", "Most significant current issues", lines(h.issues)),
        ("6", "variances", "Variances", lines(h.variances)),
        ("7", "decisions", "Decisions required", lines(h.decisions)),
    ):
        blocks: list = []
        entries(blocks, items)
        report.sections.append(Section(ident, number, title, blocks))
    table = outcome_table(programme, period, la_code)
    outcome_blocks: list = [table] if table.rows else [Para(NIL_RETURN, css="nil")]
    report.sections.append(Section("outcomes", "", "Outcome measures and performance indicators", outcome_blocks))
    return report


def build_plan_summary(plan: m.Plan, period_label: str, *, draft: bool = True) -> PlanReport:
    """The executive summary across a plan's programmes for a period."""
    period = parse_period(period_label)
    programmes = list(plan.programmes.all())
    highlights = {h.programme_id: h for h in m.HighlightReport.objects.filter(programme__plan=plan,
                                                                             period=period.label)}
    actions = list(m.Action.objects.filter(objective__programme__plan=plan).select_related("objective__programme"))
    on = period.end
    overdue = [a for a in actions if a.is_overdue(on)]
    closed = [a for a in actions if a.status == Status.B]
    met = [a for a in actions if a.direction == Direction.ACHIEVED]
    report = PlanReport(
        kind="plan-summary", title=f"{plan.title}: executive summary", subtitle=f"Progress as at {on:%d %B %Y}",
        period=period.label, period_name=period_name(period), council=_config(), draft=draft,
        publication=False, la_code="", computed_at=None, stem=f"plan-summary-{plan.reference}-{period.label}")

    def collect(field: str) -> list[str]:
        return [f"Programme {p.number}: {line}" for p in programmes
                for line in lines(getattr(highlights.get(p.id), field, "") or "")]

    overall = [Para(f"{len(programmes)} programmes, {len(actions)} actions: {len(closed)} complete, "
                    f"{len(overdue)} overdue as at {on:%d %B %Y}.")]
    overall += [Para(line) for line in collect("reason")]
    report.sections.append(Section("overall", "1", "Overall position", overall))
    s2: list = []
    entries(s2, collect("achievements") + [f"Action {a.reference} achieved a milestone: {a.text}" for a in met])
    report.sections.append(Section("achievements", "2", "Achievements and target dates met", s2))
    s3: list = []
    entries(s3, collect("slippage") + [overdue_entry(a) for a in overdue] + collect("issues")
            + [risk_entry(r) for p in programmes for r in red_risks(p)])
    report.sections.append(Section("slippage", "3", "Slippage on target dates, issues and risks", s3))
    s4: list = []
    entries(s4, collect("next_period"))
    report.sections.append(Section("next", "4", "Planned activity for the next period", s4))
    s5: list = []
    entries(s5, collect("decisions"))
    report.sections.append(Section("decisions", "5", "Decisions required", s5))
    rows = []
    for p in programmes:
        h = highlights.get(p.id)
        late = sum(1 for a in overdue if a.objective.programme_id == p.id)
        rows.append([Cell(f"{p.number}. {p.title}", row_header=True), Cell(p.lead_delivery_group or "Not given"),
                     Cell(status_words(h.status if h else ""), css=f"rag-{h.status}" if h and h.status else ""),
                     Cell(direction_words(h.trend if h else "")), Cell(str(late), numeric=True)])
    report.sections.append(Section("programmes", "6", "Programme status", [Table(
        id="programme-status", caption=f"Programme status and trend, {period_name(period)}",
        columns=["Programme", "Delivery group", "Status", "Status trend", "Overdue actions"],
        rows=rows, widths=[3, 2, 1.5, 1.5, 1])]))
    return report

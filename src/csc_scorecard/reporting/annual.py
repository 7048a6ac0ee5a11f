"""The annual report: one section per area of service, each with its summary table,
key findings, area tables, monthly trend charts and commentary (see reporting.build)."""

from __future__ import annotations

import re
from typing import Any

from csc_scorecard.indicators.catalogue import CatalogueEntry
from csc_scorecard.indicators.vocab import Unit
from csc_scorecard.periods import Period, PeriodKind
from csc_scorecard.rating.suppression import TOTAL_AREA
from csc_scorecard.reporting.charts import trend_chart
from csc_scorecard.reporting.commentary import CommentaryStore
from csc_scorecard.reporting.config import ReportConfig
from csc_scorecard.reporting.context import (
    DASH,
    UNIT_WORDS,
    ReportContext,
    check_kind,
    numden_cell,
    period_span,
    report_config,
)
from csc_scorecard.reporting.findings import (
    format_value,
)
from csc_scorecard.reporting.layout import SectionIndicator, SectionSpec, load_sections
from csc_scorecard.reporting.model import (
    Cell,
    Chart,
    Findings,
    Heading,
    Para,
    Report,
    Section,
    Table,
)
from csc_scorecard.reporting.values import ReportError, ResultSet

# --------------------------------------------------------------------------
# Annual report
# --------------------------------------------------------------------------


def build_annual_report(
    period: Period | str,
    *,
    la_code: str | None = None,
    publication: bool = False,
    draft: bool = True,
    config: ReportConfig | None = None,
    sections: list[SectionSpec] | None = None,
    targets: Any = None,
    benchmarks_provider: Any = None,
    result_set: ResultSet | None = None,
    commentary: CommentaryStore | None = None,
) -> Report:
    """The children's social care annual report for a financial year ("2024-25")."""
    p = check_kind(period, PeriodKind.YEAR, "2024-25")
    cfg = report_config(config)
    months = p.months() + p.previous_comparable().months()
    ctx = ReportContext(p, la_code=la_code, publication=publication, draft=draft, config=cfg,
                   extra_periods=months, targets=targets, benchmarks_provider=benchmarks_provider,
                   result_set=result_set, commentary=commentary)
    specs = sections if sections is not None else load_sections()
    specs = [_known(ctx, s) for s in specs]
    report = ctx.new_report(
        "annual",
        f"Children's Social Care Annual Report {p.label}",
        f"{cfg.service_name}: performance for {period_span(p)}, compared with {ctx.prev_name}",
    )

    intro = Section("introduction", "1", "Introduction")
    intro.blocks.append(Para(
        f"This report sets out the performance of {cfg.council_name}'s children's social care "
        f"services for {period_span(p)} ({p.label}) and compares it with {ctx.prev_name}, with "
        "statistical neighbours (councils most like this one) and with England. Each section "
        "has a summary table of its indicators, the monthly trend of the main ones, figures by "
        "area, and commentary on what lies behind them."))
    intro.blocks.extend(ctx.standard_notes())
    report.sections.append(intro)

    summary = Section("key-findings", "2", "Summary of key findings")
    summary.blocks.append(Para(
        "Each finding compares the year with the year before. Where an indicator has a "
        "direction in which it is better, the finding is marked Better than last year or "
        "Worse than last year in words (and by colour and the marker's shape). Indicators that "
        "describe demand, such as the number of referrals, are described but not judged. "
        "Percentages change in percentage points (pp); numbers and rates change by a "
        "percentage of last year's figure.", css="lead"))
    for spec in specs:
        findings = [ctx.finding(i.id, i.phrase, i.rate) for i in spec.indicators if i.finding]
        summary.blocks.append(Heading(spec.title, 3, f"kf-{spec.id}"))
        summary.blocks.append(Findings(findings))
    report.sections.append(summary)

    for n, spec in enumerate(specs, start=3):
        report.sections.append(_annual_section(ctx, spec, str(n)))
    report.sections.append(ctx.definitions_section(
        str(len(specs) + 3),
        [i.id for s in specs for i in s.indicators] + [i.rate for s in specs for i in s.indicators if i.rate],
    ))
    return ctx.finish(report)


def _known(ctx: ReportContext, spec: SectionSpec) -> SectionSpec:
    """The section, if the catalogue knows every indicator in it; else a located ReportError.

    (A stale layout is an error to fix, not indicators to leave out quietly.)
    """
    for i in spec.indicators:
        for ident in (i.id, i.rate):
            if ident and ident not in ctx.catalogue:
                where = f"{spec.file}, line {i.line}: " if spec.file and i.line else ""
                raise ReportError(f"{where}section {spec.id}: {ctx.catalogue.unknown_message(ident)}")
    return spec


def _annual_section(ctx: ReportContext, spec: SectionSpec, number: str) -> Section:
    sec = Section(spec.id, number, spec.title)
    cur, prev = ctx.period.label, ctx.previous.label
    sec.blocks.append(Heading(f"{number}.1 Indicator summary", 3, f"{spec.id}-summary"))
    rows = []
    for item in spec.indicators:
        rows.append(_summary_row(ctx, item))
    sec.blocks.append(Table(
        f"{spec.id}-summary",
        f"{spec.title}: indicator summary, {ctx.pname} compared with {ctx.prev_name}",
        ["Indicator", f"{ctx.pname} number", f"{ctx.prev_name} number", "Change",
         f"{ctx.pname} rate or %", f"{ctx.prev_name} rate or %", "Statistical neighbours",
         "England", "Compared with last year"],
        rows,
        notes=["Number: the count, or for a percentage the children counted out of the group "
               "(numerator/denominator). Change: % change in the number, or percentage points "
               "(pp) for a percentage. Rate: per 10,000 children aged 0-17."],
        css="summary",
        widths=[3.2, 1.3, 1.3, 1.0, 1.0, 1.0, 1.1, 1.0, 1.3],
    ))
    sec.blocks.append(ctx.commentary_block("section", spec.id, "commentary", "Commentary",
                                           f"the {spec.title.lower()} section"))
    sub = 2
    for item in spec.indicators:
        if not item.detail:
            continue
        e = ctx.entry(item.id)
        sec.blocks.append(Heading(f"{number}.{sub} {e.title}", 3, f"{item.id}"))
        sub += 1
        f = ctx.finding(item.id, item.phrase, item.rate)
        sec.blocks.append(Findings([f]))
        chart = _trend(ctx, item.id, f"{number}.{sub - 1}")
        if chart is None:
            sec.blocks.append(Para(f"No monthly figures are stored for {e.title.lower()}, so "
                                   "there is no trend chart.", css="small"))
        else:
            sec.blocks.append(chart)
        area_table = _area_table(ctx, item.id, cur, prev, item.rate)
        if area_table is not None:
            sec.blocks.append(area_table)
        sec.blocks.append(ctx.commentary_block("indicator", item.id, "commentary", "Commentary",
                                               e.title.lower()))
    return sec


def _summary_row(ctx: ReportContext, item: SectionIndicator) -> list[Cell]:
    e = ctx.entry(item.id)
    cur, prev = ctx.period.label, ctx.previous.label
    finding = ctx.finding(item.id, item.phrase, item.rate)
    title = Cell(e.title, row_header=True)
    if e.unit == Unit.COUNT:
        num_cur = ctx.value_cell(item.id, cur)
        num_prev = ctx.value_cell(item.id, prev)
        if item.rate:
            r_cur, r_prev = ctx.value_cell(item.rate, cur), ctx.value_cell(item.rate, prev)
            sn, eng = ctx.bench_cell(item.rate, "sn_average"), ctx.bench_cell(item.rate, "england")
        else:
            r_cur = r_prev = None
            sn, eng = ctx.bench_cell(item.id, "sn_average"), ctx.bench_cell(item.id, "england")
        blank = Cell(DASH, numeric=True)
        return [title, num_cur, num_prev, ctx.change_cell(item.id), r_cur or blank,
                r_prev or blank, sn, eng, ctx.judgement_cell(finding)]
    if e.unit == Unit.RATE_PER_10K:
        blank = Cell(DASH, numeric=True)
        return [title, blank, Cell(DASH, numeric=True), ctx.change_cell(item.id),
                ctx.value_cell(item.id, cur), ctx.value_cell(item.id, prev),
                ctx.bench_cell(item.id, "sn_average"), ctx.bench_cell(item.id, "england"),
                ctx.judgement_cell(finding)]
    return [title, numden_cell(ctx, item.id, cur), numden_cell(ctx, item.id, prev),
            ctx.change_cell(item.id), ctx.value_cell(item.id, cur), ctx.value_cell(item.id, prev),
            ctx.bench_cell(item.id, "sn_average"), ctx.bench_cell(item.id, "england"),
            ctx.judgement_cell(finding)]


def _area_label(area: str) -> str:
    return "Council total" if area == TOTAL_AREA else area


def _area_population_note(ctx: ReportContext, period: str, areas: list[str]) -> str:
    """What each area's rate per 10,000 divides by (children aged 0-17, grouped by the figures'
    source), and which areas have no rate; the stored note of each area's rates says it."""
    by_source: dict[str, list[str]] = {}
    without: list[str] = []
    for area in areas:
        match = re.match(r"^([\d,]+) children aged 0-17: (.+)$", ctx.rs.population_note(period, area))
        if match:
            by_source.setdefault(match.group(2), []).append(f"{area} {match.group(1)}")
        else:
            without.append(area)
    parts = [f"{', '.join(counts)} ({source})" for source, counts in by_source.items()]
    if without:
        parts.append(f"no population known, so no rate: {', '.join(without)}")
    total = ctx.rs.population_note(period)
    if total:
        parts.append(f"council total: {total}")
    return (f"Per 10,000: per 10,000 children aged 0-17 living in the area, {ctx.pname}: "
            + "; ".join(parts) + ".")


def _area_table(ctx: ReportContext, ind: str, cur: str, prev: str,
                rate: str | None = None) -> Table | None:
    """The indicator by area, this period and the last; a count with a declared rate shows the
    rate per 10,000 of each area's own children too (empty where its population is not known)."""
    e = ctx.entry(ind)
    areas = ctx.rs.areas(ind, [cur, prev])
    if not areas:
        return None
    rows: list[list[Cell]] = []
    for area in [*areas, TOTAL_AREA]:
        head = Cell(_area_label(area), row_header=True, css="total" if area == TOTAL_AREA else "")
        if e.unit == Unit.COUNT:
            rows.append([head, ctx.value_cell(ind, cur, area), ctx.value_cell(ind, prev, area),
                         ctx.change_cell(ind, area)]
                        + ([ctx.value_cell(rate, cur, area), ctx.value_cell(rate, prev, area)]
                           if rate else []))
        else:
            rows.append([
                head,
                ctx.count_cell(ind, cur, area, "numerator"),
                ctx.count_cell(ind, cur, area, "denominator"),
                ctx.value_cell(ind, cur, area),
                ctx.count_cell(ind, prev, area, "numerator"),
                ctx.count_cell(ind, prev, area, "denominator"),
                ctx.value_cell(ind, prev, area),
                ctx.change_cell(ind, area),
            ])
    if e.unit == Unit.COUNT and rate:
        columns = ["Area", ctx.pname, ctx.prev_name, "Change (%)",
                   f"{ctx.pname} per 10,000", f"{ctx.prev_name} per 10,000"]
        widths = [2.6, 1.2, 1.2, 1.2, 1.3, 1.3]
    elif e.unit == Unit.COUNT:
        columns = ["Area", ctx.pname, ctx.prev_name, "Change (%)"]
        widths = [3.0, 1.5, 1.5, 1.5]
    else:
        word = "%" if e.unit == Unit.PERCENT else UNIT_WORDS[e.unit]
        columns = ["Area", f"{ctx.pname} number", f"{ctx.pname} out of", f"{ctx.pname} {word}",
                   f"{ctx.prev_name} number", f"{ctx.prev_name} out of", f"{ctx.prev_name} {word}",
                   "Change (pp)" if e.unit == Unit.PERCENT else "Change (%)"]
        widths = [2.4, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1]
    notes = []
    if e.unit == Unit.RATE_PER_10K or rate:
        notes.append(_area_population_note(ctx, cur, areas))
    elif e.denominator:
        notes.append(f"Number: {e.numerator}. Out of: {e.denominator}.")
    return Table(f"{ind}-areas", f"{e.title} by area, {ctx.pname} and {ctx.prev_name}",
                 columns, rows, notes=notes, css="area", widths=widths)


def _trend(ctx: ReportContext, ind: str, number: str) -> Chart | None:
    e = ctx.entry(ind)
    cur_months, prev_months = ctx.period.months(), ctx.previous.months()
    series: list[tuple[str, list[float | None]]] = []
    any_value = False
    for name, months in ((ctx.prev_name, prev_months), (ctx.pname, cur_months)):
        values: list[float | None] = []
        for m in months:
            f = ctx.fig(ind, m.label)
            v = None if f is None or f.hidden else f.value
            any_value = any_value or v is not None
            values.append(v)
        series.append((name, values))
    if not any_value:
        return None
    labels = [f"{m.start:%b}" for m in cur_months]
    rows = []
    for cm, pm in zip(cur_months, prev_months, strict=True):
        rows.append([Cell(f"{cm.start:%B}", row_header=True), ctx.value_cell(ind, pm.label),
                     ctx.value_cell(ind, cm.label)])
    table = Table(f"{ind}-trend-data", f"Data for the chart: {e.title} by month",
                  ["Month", ctx.prev_name, ctx.pname], rows, css="chartdata",
                  widths=[2.0, 1.5, 1.5])
    y_label = {Unit.PERCENT: "%", Unit.COUNT: "Number", Unit.RATE_PER_10K: "Per 10,000",
               Unit.DAYS: "Days", Unit.AVERAGE: "Average"}[e.unit]
    svg, png = trend_chart(labels, [series[0], series[1]], y_label=y_label,
                           colour=ctx.config.accent_colour, integer=e.unit == Unit.COUNT,
                           percent=e.unit == Unit.PERCENT)
    what = "at the end of each month" if e.period_type == "snapshot" else "in each month"
    alt = (f"Line chart of {e.title.lower()} {what}, April to March, {ctx.pname} (solid line) "
           f"against {ctx.prev_name} (dashed line). {_range_words(e, cur_months, series[1][1])} "
           "The figures are in the table below the chart.")
    return Chart(f"{ind}-trend", f"Chart {number}: {e.title}, {what}", alt, svg, png, table)


def _range_words(e: CatalogueEntry, months: list[Period], values: list[float | None]) -> str:
    points = [(v, m) for v, m in zip(values, months, strict=True) if v is not None]
    if not points:
        return "There are no figures to show for this year."
    lo = min(points, key=lambda t: t[0])
    hi = max(points, key=lambda t: t[0])
    fmt = lambda v: format_value(v, e.unit, e.decimals)  # noqa: E731
    if lo[0] == hi[0]:
        return f"This year the figure was {fmt(lo[0])} in every month shown."
    return (f"This year it was lowest in {lo[1].start:%B} ({fmt(lo[0])}) and highest in "
            f"{hi[1].start:%B} ({fmt(hi[0])}).")



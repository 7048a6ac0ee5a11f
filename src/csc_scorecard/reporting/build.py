"""Build the report model (model.Report) from stored results, once.

:func:`build_annual_report` and :func:`build_quarterly_report` read the
council's stored results for the period, the same period a year before and
(annual) every month of both years through one :class:`~.values.ResultSet`;
the scorecard (targets, RAG, direction, benchmarks) is built over the same
values.  Every figure, sentence and chart in the report comes from there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from csc_scorecard.indicators.catalogue import CatalogueEntry, get_catalogue
from csc_scorecard.indicators.formatting import format_count, format_number
from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.periods import Period, PeriodKind, parse_period
from csc_scorecard.rating.direction import change
from csc_scorecard.rating.priorities import ROLLUP_RULE, Priority, load_priorities, summarise
from csc_scorecard.rating.rag import rag_label
from csc_scorecard.rating.scorecard import build_scorecard
from csc_scorecard.rating.suppression import SUPPRESSED, TOTAL_AREA
from csc_scorecard.reporting.charts import trend_chart
from csc_scorecard.reporting.commentary import BOXES, CommentaryStore, text_blocks
from csc_scorecard.reporting.config import ReportConfig, load_report_config
from csc_scorecard.reporting.findings import (
    FigurePair,
    Finding,
    format_value,
    long_date,
    subject_phrase,
    write_finding,
)
from csc_scorecard.reporting.layout import SectionIndicator, SectionSpec, load_sections
from csc_scorecard.reporting.model import (
    Cell,
    Chart,
    CommentaryBlock,
    Findings,
    Heading,
    Para,
    Report,
    Section,
    Table,
)
from csc_scorecard.reporting.values import Figure, ReportError, ResultSet

__all__ = ["ReportError", "build_annual_report", "build_quarterly_report", "period_name"]

DASH = "–"
UNIT_WORDS = {
    Unit.COUNT: "number",
    Unit.PERCENT: "percentage",
    Unit.RATE_PER_10K: "rate per 10,000 children aged 0-17",
    Unit.DAYS: "days",
    Unit.AVERAGE: "average",
}
POLARITY_WORDS = {
    Polarity.HIGHER_BETTER: "Higher is better",
    Polarity.LOWER_BETTER: "Lower is better",
    Polarity.CONTEXTUAL: "Context: neither higher nor lower is better",
}
RAG_WORDS = {"G": "Green", "A": "Amber", "R": "Red", "B": "Blue"}


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------


def period_name(period: Period) -> str:
    """ "2024-25" for a year, "Q2 2024-25" for a quarter, "September 2024" for a month."""
    if period.kind is PeriodKind.QUARTER:
        return f"Q{period.label[-1]} {period.financial_year}"
    if period.kind is PeriodKind.MONTH:
        return f"{period.start:%B %Y}"
    return period.label


def _span(period: Period) -> str:
    return f"{period.start:%B %Y} to {period.end:%B %Y}"


# --------------------------------------------------------------------------
# Context shared by both reports
# --------------------------------------------------------------------------


class _Context:
    def __init__(self, period: Period, *, la_code: str | None, publication: bool, draft: bool,
                 config: ReportConfig, extra_periods: Iterable[Period] = (),
                 targets: Any = None, benchmarks_provider: Any = None,
                 result_set: ResultSet | None = None,
                 commentary: CommentaryStore | None = None) -> None:
        self.period = period
        self.previous = period.previous_comparable()
        self.publication = publication
        self.draft = draft
        self.config = config
        self.catalogue = get_catalogue()
        units = {e.id: (e.unit, e.decimals) for e in self.catalogue}
        periods = [period, self.previous, *extra_periods]
        self.rs = result_set or ResultSet.from_store(periods, la_code=la_code,
                                                     publication=publication, units=units,
                                                     context=period)
        if not self.rs.has_period(period.label):
            raise ReportError(
                f"no stored results for {period.label} (LA {self.rs.la_code or 'not coded'}); "
                "ingest that year's returns so the indicators are computed"
            )
        self.notes: list[str] = []
        self.scorecard = build_scorecard(
            period, publication=publication, values_provider=self.rs.provider,
            la_code=self.rs.la_code or None, notes=self.notes, targets=targets,
            benchmarks_provider=benchmarks_provider,
        )
        self.card = {r["indicator_id"]: r for r in self.scorecard.to_dicts() if r["area"] == TOTAL_AREA}
        self.commentary = commentary or CommentaryStore([period.label], la_code=self.rs.la_code)
        self.missing: list[str] = []
        self.pname = period_name(period)
        self.prev_name = period_name(self.previous)
        self.comparison = "the same quarter last year" if period.kind is PeriodKind.QUARTER else "last year"

    # -- figures -------------------------------------------------------
    def entry(self, indicator_id: str) -> CatalogueEntry:
        return self.catalogue[indicator_id]

    def fig(self, ind: str, period: str, area: str = TOTAL_AREA) -> Figure | None:
        return self.rs.figure(ind, period, area)

    def pair(self, ind: str, area: str = TOTAL_AREA) -> FigurePair:
        cur = self.fig(ind, self.period.label, area)
        prev = self.fig(ind, self.previous.label, area)
        return FigurePair(
            None if cur is None or cur.hidden else cur.value,
            None if prev is None or prev.hidden else prev.value,
            bool(cur and cur.hidden),
            bool(prev and prev.hidden),
        )

    def finding(self, ind: str, phrase: str | None = None, rate: str | None = None) -> Finding:
        e = self.entry(ind)
        snapshot = None
        if e.period_type == "snapshot":
            snapshot = (self.period.snapshot_date, self.previous.snapshot_date)
        rate_pair = self.pair(rate) if rate else None
        return write_finding(
            ind,
            subject=subject_phrase(e.title, e.unit, phrase),
            unit=e.unit,
            polarity=e.polarity,
            decimals=e.decimals,
            figures=self.pair(ind),
            period_name=self.pname,
            previous_name=self.prev_name,
            snapshot=snapshot,
            rate=rate_pair,
            rate_decimals=self.entry(rate).decimals if rate else 1,
            comparison=self.comparison,
        )

    # -- cells ----------------------------------------------------------
    def src(self, ind: str, period: str, area: str, field: str) -> dict[str, str]:
        return {"indicator": ind, "period": period, "area": area, "field": field}

    def value_cell(self, ind: str, period: str, area: str = TOTAL_AREA) -> Cell:
        e = self.entry(ind)
        f = self.fig(ind, period, area)
        if f is None:
            text = DASH
        elif f.hidden:
            text = SUPPRESSED
        elif f.value is None and (reason := unavailable_text(ind, f)):
            return Cell(reason)  # words, not a figure: no figure source to check against
        else:
            text = format_value(f.value, e.unit, e.decimals) or DASH
        return Cell(text, numeric=True, source=self.src(ind, period, area, "value"))

    def count_cell(self, ind: str, period: str, area: str, field: str) -> Cell:
        f = self.fig(ind, period, area)
        if f is None:
            text = DASH
        elif f.hidden:
            text = SUPPRESSED
        else:
            raw = f.numerator if field == "numerator" else f.denominator
            text = _count_text(raw) or DASH
        return Cell(text, numeric=True, source=self.src(ind, period, area, field))

    def change_cell(self, ind: str, area: str = TOTAL_AREA) -> Cell:
        e = self.entry(ind)
        p = self.pair(ind, area)
        amount = None
        if not (p.current_hidden or p.previous_hidden):
            amount = change(p.current, p.previous, e.unit, decimals=e.decimals)
        if amount is None:
            text = DASH
        else:
            text = format_number(amount, e.decimals if e.unit == Unit.PERCENT else 1)
            if not text.startswith("-") and float(text) != 0:
                text = "+" + text
            text = text.replace("-", "−") + ("pp" if e.unit == Unit.PERCENT else "%")
        return Cell(text, numeric=True, source=self.src(ind, self.period.label, area, "change"))

    def bench_cell(self, ind: str, field: str) -> Cell:
        e = self.entry(ind)
        row = self.card.get(ind) or {}
        text = format_value(row.get(field), e.unit, e.decimals) or DASH
        return Cell(text, numeric=True,
                    source={"indicator": ind, "period": str(row.get("benchmark_period") or ""),
                            "area": "benchmark", "field": field})

    def judgement_cell(self, finding: Finding) -> Cell:
        short = {"better": "Better", "worse": "Worse", "similar": "Similar",
                 "no_change": "No change", "context": "Not judged", "none": "No comparison"}
        return Cell(short[finding.judgement], css=f"mark mark-{finding.judgement}")

    # -- commentary -----------------------------------------------------
    def commentary_block(self, kind: str, subject: str, box: str, title: str, label: str) -> CommentaryBlock:
        text = self.commentary.get(kind, subject, self.period.label, box)
        if text and text.strip():
            return CommentaryBlock(title, text_blocks(text))
        self.missing.append(f"{kind} {subject} ({box}) for {self.period.label}: {label}")
        if self.draft:
            msg = (f"Commentary needed: nothing has been recorded for {label} for "
                   f"{self.pname}. Add it to a commentary file and run "
                   "'csc-scorecard commentary import FILE'.")
        else:
            msg = "No commentary was provided."
        return CommentaryBlock(title, [], missing=True, missing_text=msg)

    # -- shared sections ------------------------------------------------
    def definitions_section(self, number: str, ids: Iterable[str]) -> Section:
        rows = []
        for ind in dict.fromkeys(ids):
            e = self.entry(ind)
            rows.append([
                Cell(e.title, row_header=True),
                Cell(e.definition),
                Cell(UNIT_WORDS[e.unit]),
                Cell(POLARITY_WORDS[e.polarity]),
                Cell("DfE" if e.source == "DfE" else "Local measure"),
            ])
        table = Table("definitions", "Definitions of the indicators in this report",
                      ["Indicator", "Definition", "Shown as", "Polarity", "Source"], rows,
                      css="definitions", widths=[2.2, 5.5, 1.4, 1.6, 1.0])
        return Section("definitions", number, "Indicator definitions", [table])

    def caveat(self) -> str:
        freeze = self.rs.freeze
        if freeze is not None:  # said even under a council's own caveat: it changes what it means
            own = f"{self.config.data_caveat} " if self.config.data_caveat else ""
            return own + freeze.note()
        if self.config.data_caveat:
            return self.config.data_caveat
        when = self.rs.computed_at
        stamp = f" on {long_date(when.date())}" if when else ""
        return (
            f"This report uses the figures calculated{stamp} from the returns loaded into the "
            f"performance system for {self.prev_name} and {self.pname}. The returns are the "
            "council's live records, so a figure can change when a return is reloaded, and may "
            "differ from the figures submitted to, or published by, the Department for Education "
            "for the same year."
        )

    def new_report(self, kind: str, title: str, subtitle: str) -> Report:
        """An empty report for this context's period, council, mode and results."""
        return Report(
            kind=kind,
            title=title,
            subtitle=subtitle,
            period=self.period.label,
            period_name=self.pname,
            council=self.config,
            draft=self.draft,
            publication=self.publication,
            la_code=self.rs.la_code,
            computed_at=self.rs.computed_at,
            frozen=self.rs.freeze.headline if self.rs.freeze is not None else "",
            frozen_short=f"frozen on {self.rs.freeze.date_text}" if self.rs.freeze is not None else "",
        )

    def standard_notes(self) -> list[Para]:
        out = [Para(self.caveat(), css="caveat")]
        if self.publication:
            out.append(Para(
                "This is the publication version. A figure of 1 to 5 children, and any figure "
                "from which one could be worked out, is shown as c. Percentages, rates and "
                "changes that rest on a suppressed figure are shown as c or left blank.",
                css="info"))
        bench_years = sorted({str(r.get("benchmark_period")) for r in self.card.values()
                              if r.get("benchmark_period")})
        if bench_years:
            out.append(Para(
                "Statistical neighbour averages and England figures are the latest published by "
                f"the Department for Education ({', '.join(bench_years)}).", css="small"))
            from csc_scorecard.benchmarks.status import reference_vintage_note

            freeze = self.rs.freeze
            out.append(Para(freeze.benchmark_note() if freeze is not None
                            else reference_vintage_note(), css="small"))
        else:
            out.append(Para(
                "Statistical neighbour and England comparisons are not available for this report "
                "(the DfE reference data has not been imported); those columns show –.",
                css="small"))
        out.append(Para("In the tables, – means there is no figure, and c means the figure is "
                        "suppressed.", css="small"))
        return out

    def finish(self, report: Report) -> Report:
        report.notes = list(dict.fromkeys(self.notes))
        report.missing_commentary = list(self.missing)
        return report


def unavailable_text(indicator_id: str, figure: Figure) -> str | None:
    """The reason in words for a figure stored empty because its data is not held at all.

    The engine stores such a figure with no value, no denominator and a 0
    numerator (indicators.requirements); a percentage with nothing to divide by
    keeps a 0 denominator and stays a dash.
    """
    from csc_scorecard.indicators.requirements import missing_data_reason

    if figure.denominator is not None or (figure.numerator or 0) != 0:
        return None
    return missing_data_reason(indicator_id)


def _count_text(x: float | None) -> str:
    return format_count(x, decimals=1, thousands=True)


def _config(config: ReportConfig | None) -> ReportConfig:
    return config if config is not None else load_report_config()


def _check_kind(period: Period | str, kind: PeriodKind, example: str) -> Period:
    try:
        p = parse_period(period) if isinstance(period, str) else period
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    if p.kind is not kind:
        raise ReportError(f"period {p.label!r}: this report needs a period like {example}")
    return p


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
    p = _check_kind(period, PeriodKind.YEAR, "2024-25")
    cfg = _config(config)
    months = p.months() + p.previous_comparable().months()
    ctx = _Context(p, la_code=la_code, publication=publication, draft=draft, config=cfg,
                   extra_periods=months, targets=targets, benchmarks_provider=benchmarks_provider,
                   result_set=result_set, commentary=commentary)
    specs = sections if sections is not None else load_sections()
    specs = [_known(ctx, s) for s in specs]
    report = ctx.new_report(
        "annual",
        f"Children's Social Care Annual Report {p.label}",
        f"{cfg.service_name}: performance for {_span(p)}, compared with {ctx.prev_name}",
    )

    intro = Section("introduction", "1", "Introduction")
    intro.blocks.append(Para(
        f"This report sets out the performance of {cfg.council_name}'s children's social care "
        f"services for {_span(p)} ({p.label}) and compares it with {ctx.prev_name}, with "
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


def _known(ctx: _Context, spec: SectionSpec) -> SectionSpec:
    """The section, if the catalogue knows every indicator in it; else a located ReportError.

    (A stale layout is an error to fix, not indicators to leave out quietly.)
    """
    for i in spec.indicators:
        for ident in (i.id, i.rate):
            if ident and ident not in ctx.catalogue:
                where = f"{spec.file}, line {i.line}: " if spec.file and i.line else ""
                raise ReportError(f"{where}section {spec.id}: {ctx.catalogue.unknown_message(ident)}")
    return spec


def _annual_section(ctx: _Context, spec: SectionSpec, number: str) -> Section:
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


def _summary_row(ctx: _Context, item: SectionIndicator) -> list[Cell]:
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
    return [title, _numden_cell(ctx, item.id, cur), _numden_cell(ctx, item.id, prev),
            ctx.change_cell(item.id), ctx.value_cell(item.id, cur), ctx.value_cell(item.id, prev),
            ctx.bench_cell(item.id, "sn_average"), ctx.bench_cell(item.id, "england"),
            ctx.judgement_cell(finding)]


def _numden_cell(ctx: _Context, ind: str, period: str, area: str = TOTAL_AREA) -> Cell:
    f = ctx.fig(ind, period, area)
    if f is None:
        text = DASH
    elif f.hidden:
        text = SUPPRESSED
    else:
        n, d = _count_text(f.numerator), _count_text(f.denominator)
        text = f"{n or DASH}/{d or DASH}"
    return Cell(text, numeric=True, source=ctx.src(ind, period, area, "num_den"))


def _area_label(area: str) -> str:
    return "Council total" if area == TOTAL_AREA else area


def _area_population_note(ctx: _Context, period: str, areas: list[str]) -> str:
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


def _area_table(ctx: _Context, ind: str, cur: str, prev: str,
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


def _trend(ctx: _Context, ind: str, number: str) -> Chart | None:
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


# --------------------------------------------------------------------------
# Quarterly report
# --------------------------------------------------------------------------


def build_quarterly_report(
    period: Period | str,
    *,
    la_code: str | None = None,
    publication: bool = False,
    draft: bool = True,
    config: ReportConfig | None = None,
    priorities: list[Priority] | None = None,
    targets: Any = None,
    benchmarks_provider: Any = None,
    result_set: ResultSet | None = None,
    commentary: CommentaryStore | None = None,
    programme_links: Any = None,
) -> Report:
    """The quarterly performance report for a quarter ("2024-25-Q2").

    ``programme_links(indicator_ids, period, heading, id)`` gives the blocks
    showing the improvement programmes linked to a priority (see plans.links).
    """
    p = _check_kind(period, PeriodKind.QUARTER, "2024-25-Q2")
    cfg = _config(config)
    ctx = _Context(p, la_code=la_code, publication=publication, draft=draft, config=cfg,
                   targets=targets, benchmarks_provider=benchmarks_provider,
                   result_set=result_set, commentary=commentary)
    prios = [pr for pr in (priorities if priorities is not None else load_priorities())]
    for pr in prios:  # an unknown id is an error, never a row left out quietly
        unknown = [i for i in pr.indicators if i not in ctx.catalogue]
        if unknown:
            raise ReportError(f"priority {pr.id}: {ctx.catalogue.unknown_message(unknown[0])}")
    report = ctx.new_report(
        "quarterly",
        f"{cfg.service_name} Performance Report, Quarter {p.label[-1]} {p.financial_year}",
        f"{_span(p)}, compared with the same quarter of {ctx.previous.financial_year}",
    )
    purpose = Section("purpose", "1", "Purpose of the report")
    purpose.blocks.append(Para(
        f"This report draws together the key performance indicators for {cfg.service_name.lower()} "
        f"at {cfg.council_name} for {ctx.pname} ({_span(p)}). For each of our priorities it "
        "gives a rating against target, the direction of travel against the same quarter last "
        "year, what is working well, what we are worried about and what needs to happen next. "
        "Every indicator rated Red or Amber is listed under Exceptions."))
    purpose.blocks.extend(ctx.standard_notes())
    report.sections.append(purpose)
    report.sections.append(_key_section())

    rows = [ctx.card[i] for pr in prios for i in pr.indicators if i in ctx.card]
    summaries = summarise(rows, prios)
    high = Section("summary", "3", "High-level summary by priority")
    srows = []
    for s in summaries:
        rated = s["G"] + s["A"] + s["R"]
        counts = ", ".join(f"{w} {s[k]}" for k, w in (("G", "Green"), ("A", "Amber"), ("R", "Red"))
                           if s[k]) or "none rated"
        srows.append([
            Cell(str(s["title"]), row_header=True),
            _rag_cell(s["rag"]),
            Cell(str(s["direction_label"]), css=f"dir dir-{s['direction'] or 'none'}"),
            Cell(f"{_words(rated)} of {_words(int(s['indicators']))} rated ({counts})"
                 if rated else "No indicator rated"),
        ])
    high.blocks.append(Table("priority-summary", f"Priorities: rating and direction, {ctx.pname}",
                             ["Priority", "Rating", "Direction of travel", "Indicators"], srows,
                             notes=[ROLLUP_RULE],
                             css="priorities", widths=[5.0, 1.6, 1.8, 3.0]))
    report.sections.append(high)

    number = 4
    for pr, s in zip(prios, summaries, strict=True):
        sec = Section(f"priority-{pr.id}", str(number), pr.title)
        number += 1
        sec.blocks.append(Para(
            f"Rating: {RAG_WORDS.get(str(s['rag']), 'Not rated')}"
            f"{' (' + str(s['rag']) + ')' if s['rag'] else ''}. Direction of travel: "
            f"{s['direction_label']}.", css="lead"))
        sec.blocks.append(Heading(f"{sec.number}.1 Key performance indicators", 3, f"kpi-{pr.id}"))
        krows = [_kpi_row(ctx, i) for i in pr.indicators if i in ctx.card or ctx.fig(i, p.label)]
        if krows:
            sec.blocks.append(_kpi_table(ctx, f"kpi-{pr.id}-table",
                                         f"{pr.title}: key performance indicators, {ctx.pname}",
                                         krows))
        else:
            sec.blocks.append(Para("No figures are stored for this priority's indicators.", css="small"))
        sec.blocks.append(Heading(f"{sec.number}.2 What is working well, what we are worried about "
                                  "and what needs to happen", 3, f"boxes-{pr.id}"))
        for box, title in BOXES.items():
            sec.blocks.append(ctx.commentary_block("priority", pr.id, box, title,
                                                   f"'{title}' of the priority {pr.title!r}"))
        if programme_links is not None:  # the improvement programmes answering the priority
            sec.blocks += programme_links(pr.indicators, p, f"{sec.number}.3 Improvement programmes",
                                          f"programmes-{pr.id}")
        report.sections.append(sec)

    exc = Section("exceptions", str(number), "Exceptions: indicators rated Red or Amber")
    flagged = [r for r in rows if r["rag"] in ("R", "A")]
    flagged.sort(key=lambda r: (0 if r["rag"] == "R" else 1))
    if not flagged:
        exc.blocks.append(Para("No indicator is rated Red or Amber this quarter."))
    else:
        exc.blocks.append(Para(
            f"{_words(sum(r['rag'] == 'R' for r in flagged)).capitalize()} indicator(s) rated Red "
            f"and {_words(sum(r['rag'] == 'A' for r in flagged))} rated Amber this quarter."))
        exc.blocks.append(_kpi_table(ctx, "exceptions-table", f"Indicators rated Red or Amber, {ctx.pname}",
                                     [_kpi_row(ctx, r["indicator_id"]) for r in flagged]))
        for k, r in enumerate(flagged, start=1):
            ind = r["indicator_id"]
            e = ctx.entry(ind)
            exc.blocks.append(Heading(f"{exc.number}.{k} {e.title}: {RAG_WORDS[r['rag']]} ({r['rag']})",
                                      3, f"exception-{ind}"))
            tgt = format_value(r["target"], e.unit, e.decimals)
            exc.blocks.append(Findings([ctx.finding(ind)]))
            if tgt:
                exc.blocks.append(Para(f"Target: {tgt} ({POLARITY_WORDS[e.polarity].lower()}). "
                                       f"{rag_label(r['rag'])}.", css="small"))
            exc.blocks.append(ctx.commentary_block("indicator", ind, "commentary",
                                                   "Commentary and action", e.title.lower()))
    report.sections.append(exc)
    number += 1
    report.sections.append(ctx.definitions_section(str(number), [i for pr in prios for i in pr.indicators]))
    return ctx.finish(report)


def _words(n: int) -> str:
    names = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return names[n] if 0 <= n < len(names) else f"{n:,}"


def _rag_cell(rag: str | None) -> Cell:
    if not rag:
        return Cell("Not rated", css="rag rag-none")
    return Cell(f"{rag} {RAG_WORDS[rag]}", css=f"rag rag-{rag}")


def _kpi_row(ctx: _Context, ind: str) -> list[Cell]:
    e = ctx.entry(ind)
    r = ctx.card.get(ind) or {}
    cur, prev = ctx.period.label, ctx.previous.label
    target = format_value(r.get("target"), e.unit, e.decimals) or DASH
    num = _numden_cell(ctx, ind, cur) if e.unit not in (Unit.COUNT, Unit.RATE_PER_10K) else Cell(DASH, numeric=True)
    direction = r.get("direction_label") or "No comparison"
    return [
        Cell(e.title, row_header=True),
        ctx.value_cell(ind, cur),
        num,
        Cell(target, numeric=True, source={"indicator": ind, "period": ctx.period.financial_year,
                                           "area": TOTAL_AREA, "field": "target"}),
        _rag_cell(r.get("rag")),
        Cell(direction, css=f"dir dir-{r.get('direction') or 'none'}"),
        ctx.value_cell(ind, prev),
        ctx.change_cell(ind),
        ctx.bench_cell(ind, "sn_average"),
        ctx.bench_cell(ind, "england"),
    ]


def _kpi_table(ctx: _Context, tid: str, caption: str, rows: list[list[Cell]]) -> Table:
    return Table(tid, caption,
                 ["Indicator", ctx.pname, "Number", "Target", "Rating", "Direction of travel",
                  ctx.prev_name, "Change", "Statistical neighbours", "England"],
                 rows,
                 notes=["Number: children counted out of the group (numerator/denominator). "
                        "Change: percentage points (pp) for percentages, % for numbers and rates. "
                        "Direction compares with the same quarter last year."],
                 css="kpi", widths=[3.4, 1.1, 1.3, 1.0, 1.2, 1.5, 1.1, 1.0, 1.2, 1.0])


def _key_section() -> Section:
    sec = Section("key", "2", "Key to ratings and direction of travel")
    sec.blocks.append(Para(
        "Each indicator with a target is given a rating, shown as a letter and a word as well "
        "as a colour. The direction of travel compares the figure with the same quarter last "
        "year; the arrow shows which way the figure moved and the word whether that is better."))
    rag_rows = [
        [_rag_cell("G"), Cell("Performance is on target or better than target.")],
        [_rag_cell("A"), Cell("Performance is off target but within the agreed tolerance.")],
        [_rag_cell("R"), Cell("Performance is off target and outside the agreed tolerance.")],
        [_rag_cell("B"), Cell("The measure has been discontinued.")],
        [_rag_cell(None), Cell("No target is set, or the indicator describes demand and is not judged.")],
    ]
    sec.blocks.append(Table("key-ratings", "Performance ratings", ["Rating", "What it means"],
                            rag_rows, css="key", widths=[1.5, 6.0]))
    dir_rows = [
        [Cell("↑ improving or ↓ improving", css="dir dir-improving"),
         Cell("Performance is better than the same quarter last year (the arrow shows whether "
              "the figure rose or fell).")],
        [Cell("→ steady", css="dir dir-steady"),
         Cell("Little change: within 1 percentage point, or 2% for numbers and rates.")],
        [Cell("↑ declining or ↓ declining", css="dir dir-declining"),
         Cell("Performance is worse than the same quarter last year.")],
        [Cell("↑ increased or ↓ decreased", css="dir dir-increased"),
         Cell("The figure rose or fell; it describes demand, so neither is better.")],
        [Cell("No comparison", css="dir dir-none"),
         Cell("There is no figure for the same quarter last year.")],
    ]
    sec.blocks.append(Table("key-direction", "Direction of travel", ["Direction", "What it means"],
                            dir_rows, css="key", widths=[2.5, 6.0]))
    return sec


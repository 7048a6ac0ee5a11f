"""The quarterly report: the key indicators by priority with RAG ratings in words,
direction of travel and commentary (see reporting.build)."""

from __future__ import annotations

from typing import Any

from csc_scorecard.indicators.vocab import Unit
from csc_scorecard.periods import Period, PeriodKind
from csc_scorecard.rating.priorities import ROLLUP_RULE, Priority, load_priorities, summarise
from csc_scorecard.rating.rag import rag_label
from csc_scorecard.rating.suppression import TOTAL_AREA
from csc_scorecard.reporting.commentary import BOXES, CommentaryStore
from csc_scorecard.reporting.config import ReportConfig
from csc_scorecard.reporting.context import (
    DASH,
    POLARITY_WORDS,
    RAG_WORDS,
    ReportContext,
    check_kind,
    number_words,
    numden_cell,
    period_span,
    report_config,
)
from csc_scorecard.reporting.findings import (
    format_value,
)
from csc_scorecard.reporting.model import (
    Cell,
    Findings,
    Heading,
    Para,
    Report,
    Section,
    Table,
)
from csc_scorecard.reporting.values import ReportError, ResultSet

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
    p = check_kind(period, PeriodKind.QUARTER, "2024-25-Q2")
    cfg = report_config(config)
    ctx = ReportContext(p, la_code=la_code, publication=publication, draft=draft, config=cfg,
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
        f"{period_span(p)}, compared with the same quarter of {ctx.previous.financial_year}",
    )
    purpose = Section("purpose", "1", "Purpose of the report")
    purpose.blocks.append(Para(
        f"This report draws together the key performance indicators for {cfg.service_name.lower()} "
        f"at {cfg.council_name} for {ctx.pname} ({period_span(p)}). For each of our priorities it "
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
            Cell(f"{number_words(rated)} of {number_words(int(s['indicators']))} rated ({counts})"
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
            f"{number_words(sum(r['rag'] == 'R' for r in flagged)).capitalize()} indicator(s) rated Red "
            f"and {number_words(sum(r['rag'] == 'A' for r in flagged))} rated Amber this quarter."))
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


def _rag_cell(rag: str | None) -> Cell:
    if not rag:
        return Cell("Not rated", css="rag rag-none")
    return Cell(f"{rag} {RAG_WORDS[rag]}", css=f"rag rag-{rag}")


def _kpi_row(ctx: ReportContext, ind: str) -> list[Cell]:
    e = ctx.entry(ind)
    r = ctx.card.get(ind) or {}
    cur, prev = ctx.period.label, ctx.previous.label
    target = format_value(r.get("target"), e.unit, e.decimals) or DASH
    num = numden_cell(ctx, ind, cur) if e.unit not in (Unit.COUNT, Unit.RATE_PER_10K) else Cell(DASH, numeric=True)
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


def _kpi_table(ctx: ReportContext, tid: str, caption: str, rows: list[list[Cell]]) -> Table:
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


"""The cover report a scrutiny committee reads with a performance report (annual or quarterly).

Sections, in the order of a council's committee paper:

1. Summary; 2. Issues for consideration and recommendations - the author's
   text: commentary on the subject ``report: cover_summary`` and
   ``report: cover_recommendations`` for the covered period (imported with
   ``csc-scorecard commentary import``, docs/scrutiny.md).  Without it a
   standard wording is used, flagged in a draft.
3. Background, with the counts of :mod:`.counts` (how many indicators, how
   many can be compared, improved with the percentage, deteriorated; by
   polarity; contextual and no-baseline indicators counted apart).
4. One subsection per deteriorating indicator, grouped as in the covered
   report: the key-findings sentence (its two figures), a table of the two
   figures with the statistical-neighbour and England figures, the
   indicator's commentary for the period and the improvement-plan actions
   linked to it.
5. Summary of achievements and priorities (:mod:`.achievements`).
6. Background papers.

Every figure comes from the covered report's own context
(:class:`csc_scorecard.reporting.context.ReportContext`): the same stored results,
scorecard and benchmarks, so the cover cannot disagree with the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csc_scorecard.indicators.vocab import Polarity
from csc_scorecard.periods import Period, PeriodKind
from csc_scorecard.plans.highlight import PlanReport
from csc_scorecard.reporting.commentary import CommentaryStore, text_blocks
from csc_scorecard.reporting.committee.achievements import achievements_section
from csc_scorecard.reporting.committee.counts import (
    CoverCounts,
    JudgedIndicator,
    count_judgements,
    judge_report_indicators,
)
from csc_scorecard.reporting.committee.plan_actions import actions_table
from csc_scorecard.reporting.config import ReportConfig, load_report_config
from csc_scorecard.reporting.context import ReportContext, check_kind, number_words
from csc_scorecard.reporting.model import (
    Bullets,
    Cell,
    Findings,
    Heading,
    Notice,
    Para,
    Section,
    Table,
)
from csc_scorecard.reporting.values import ReportError, ResultSet
from csc_scorecard.services.plans import actions_linking

__all__ = ["AUTHOR_SUBJECTS", "CoverReport", "build_cover_report", "covered_title"]

#: commentary subjects (kind ``report``) holding the author's text, with what each fills
AUTHOR_SUBJECTS = {
    "cover_summary": "the summary of the cover report",
    "cover_recommendations": "the issues for consideration and recommendations of the cover report",
}
POLARITY_ROWS = ((Polarity.HIGHER_BETTER, "Higher is better"), (Polarity.LOWER_BETTER, "Lower is better"),
                 (Polarity.CONTEXTUAL, "Context (not judged)"))


@dataclass
class CoverReport(PlanReport):
    """A short paper (sections run on) written like the plan documents (plans.documents.write_plan_report)."""

    covered_kind: str = ""
    counts: CoverCounts = field(default_factory=CoverCounts)
    judged: list[JudgedIndicator] = field(default_factory=list)

    @property
    def file_stem(self) -> str:
        suffix = "-publication" if self.publication else ""
        suffix += "-draft" if self.draft else ""
        return f"cover-{self.covered_kind}-{self.period}{suffix}"

    @property
    def deteriorated(self) -> list[JudgedIndicator]:
        return [j for j in self.judged if j.judgement == "worse"]


def covered_title(kind: str, period: Period, config: ReportConfig) -> str:
    """The covered report's title, as build_annual_report / build_quarterly_report write it."""
    if kind == "annual":
        return f"Children's Social Care Annual Report {period.label}"
    return f"{config.service_name} Performance Report, Quarter {period.label[-1]} {period.financial_year}"


def build_cover_report(
    kind: str,
    period: str,
    *,
    la_code: str | None = None,
    publication: bool = False,
    draft: bool = True,
    config: ReportConfig | None = None,
    targets: Any = None,
    benchmarks_provider: Any = None,
    result_set: ResultSet | None = None,
    commentary: CommentaryStore | None = None,
) -> CoverReport:
    if kind not in ("annual", "quarterly"):
        raise ReportError(f"--report must be annual or quarterly, not {kind!r}")
    p = check_kind(period, PeriodKind.YEAR if kind == "annual" else PeriodKind.QUARTER,
                    "2024-25" if kind == "annual" else "2024-25-Q2")
    cfg = config if config is not None else load_report_config()
    ctx = ReportContext(p, la_code=la_code, publication=publication, draft=draft, config=cfg,
                   targets=targets, benchmarks_provider=benchmarks_provider,
                   result_set=result_set, commentary=commentary)
    judged = judge_report_indicators(kind, ctx)
    counts = count_judgements(judged)
    title = covered_title(kind, p, cfg)
    report = CoverReport(
        kind="cover", title=f"{title}: cover report",
        subtitle=f"For the scrutiny committee: summary of the {title}",
        period=p.label, period_name=ctx.pname, council=cfg, draft=draft, publication=publication,
        la_code=ctx.rs.la_code, computed_at=ctx.rs.computed_at, covered_kind=kind, counts=counts,
        judged=judged)
    report.sections.append(_author_section(ctx, "summary", "1", "Summary", "cover_summary", [
        f"This report gives members a summary of the {title}. It points to the areas of strong "
        "and improving performance and to any areas of concern, with the actions under way to "
        "address them."]))
    report.sections.append(_author_section(
        ctx, "recommendations", "2", "Issues for consideration and recommendations",
        "cover_recommendations", [
            "Members are asked to review the performance information in the report, recognising "
            "the areas of strong and improving performance, and, for the areas where performance "
            "has deteriorated, to review the actions being taken to address them (section 4)."]))
    report.sections.append(_background(ctx, kind, title, counts))
    report.sections.append(_deteriorating(ctx, report.deteriorated))
    report.sections.append(achievements_section(ctx, "5", ctx.period.end))
    report.sections.append(Section("papers", "6", "Background papers", [
        Para(f"The {title}, attached."),
        Para("Figures are those stored in the performance system; every count above is taken "
             "from the same figures as the report itself.", css="small")]))
    report.notes = list(dict.fromkeys(ctx.notes))
    report.missing_commentary = list(ctx.missing)
    return report


def _author_section(ctx: ReportContext, sid: str, number: str, title: str, subject: str,
                    standard: list[str]) -> Section:
    sec = Section(sid, number, title)
    text = ctx.commentary.get("report", subject, ctx.period.label)
    if text and text.strip():
        for what, content in text_blocks(text):
            sec.blocks.append(Bullets(content) if what == "ul" else Para(content))
        return sec
    ctx.missing.append(f"report {subject} for {ctx.period.label}: {AUTHOR_SUBJECTS[subject]}")
    if ctx.draft:
        sec.blocks.append(Notice(
            f"Author's text needed: the standard wording is shown. Write '## report: {subject}' "
            "in a commentary file for this period and run 'csc-scorecard commentary import FILE'."))
    sec.blocks += [Para(t) for t in standard]
    return sec


def _count_cell(n: int, what: str, polarity: str) -> Cell:
    return Cell(f"{n:,}", numeric=True, source={"count": what, "polarity": polarity})


def _background(ctx: ReportContext, kind: str, title: str, c: CoverCounts) -> Section:
    sec = Section("background", "3", "Background")
    every = "quarter" if kind == "quarterly" else "year"
    sec.blocks.append(Para(
        f"3.1 The {title} is produced by the council's performance team each {every}. It compares "
        f"performance in {ctx.pname} with {ctx.prev_name}, identifying trends and areas of "
        "improving and deteriorating performance, and compares the council with its statistical "
        "neighbours (similar councils) and with England."))
    if c.comparable:
        improved = (f"of these {c.improved:,} [{c.improved_percent}%] have shown an improvement "
                    f"when compared with {ctx.prev_name}, whilst performance has deteriorated "
                    f"against {c.deteriorated:,}")
        if c.similar:
            improved += f" and {c.similar:,} {'is' if c.similar == 1 else 'are'} broadly the same"
        compare = (f"Assessments of comparative performance can be made against {c.comparable:,} "
                   f"of {'this indicator' if c.indicators == 1 else 'these indicators'}; {improved}.")
    else:
        compare = ("No assessment of comparative performance can be made: no indicator has a "
                   f"figure for both {ctx.prev_name} and {ctx.pname}.")
    sec.blocks.append(Para(
        f"3.2 {_there_are(c.indicators, 'indicator')} included within the report. {compare}"))
    aside = []
    if c.contextual:
        aside.append(f"{c.contextual:,} describe demand or context (such as the number of "
                     "referrals) and are not judged better or worse")
    if c.no_comparison:
        aside.append(f"{c.no_comparison:,} have no figure for {ctx.prev_name} or {ctx.pname} to "
                     "compare (or the figure is suppressed)")
    if aside:
        sec.blocks.append(Para("3.3 Of the others, " + "; ".join(aside) + ". These are not counted "
                               "as improved or deteriorated."))
    rows = []
    for pol, label in POLARITY_ROWS:
        pc, key = c.by_polarity[pol.value], pol.value
        rows.append([Cell(label, row_header=True), _count_cell(pc.indicators, "indicators", key),
                     _count_cell(pc.comparable, "comparable", key), _count_cell(pc.improved, "improved", key),
                     _count_cell(pc.deteriorated, "deteriorated", key), _count_cell(pc.similar, "similar", key),
                     _count_cell(pc.no_comparison, "no_comparison", key)])
    rows.append([Cell("All indicators", row_header=True, css="total"),
                 _count_cell(c.indicators, "indicators", "all"), _count_cell(c.comparable, "comparable", "all"),
                 _count_cell(c.improved, "improved", "all"), _count_cell(c.deteriorated, "deteriorated", "all"),
                 _count_cell(c.similar, "similar", "all"), _count_cell(c.no_comparison, "no_comparison", "all")])
    sec.blocks.append(Table(
        "counts", f"Indicators compared with {ctx.prev_name}, by polarity",
        ["Polarity", "Indicators", "Can be compared", "Improved", "Deteriorated", "Broadly the same",
         "No comparison"], rows,
        notes=["Improved and deteriorated follow the report's key findings (Better or Worse than "
               f"{ctx.comparison}); changes within 1 percentage point, or 2% for numbers and rates, "
               "are broadly the same. Context indicators are never judged."],
        css="counts", widths=[2.2, 1, 1.1, 1, 1.1, 1.1, 1.1]))
    return sec


def _deteriorating(ctx: ReportContext, worse: list[JudgedIndicator]) -> Section:
    sec = Section("deteriorating", "4", "Indicators where performance has deteriorated")
    if not worse:
        sec.blocks.append(Para(f"No indicator in the report has deteriorated compared with {ctx.prev_name}."))
        return sec
    sec.blocks.append(Para(
        f"The report identifies {number_words(len(worse))} indicator{'s' if len(worse) != 1 else ''} where "
        f"performance has deteriorated compared with {ctx.prev_name}. Each is set out below with "
        "its figures, its commentary and the improvement-plan actions under way to address it."))
    group = None
    cur, prev = ctx.period.label, ctx.previous.label
    for n, j in enumerate(worse, start=1):
        if j.group_id != group:
            group = j.group_id
            sec.blocks.append(Heading(j.group_title, 3, f"det-group-{group}"))
        sec.blocks.append(Heading(f"4.{n} {j.title}", 4, f"det-{j.indicator_id}"))
        sec.blocks.append(Findings([j.finding]))
        sec.blocks.append(Table(
            f"det-{j.indicator_id}-figures", f"{j.title}: figures and benchmarks",
            ["Indicator", ctx.prev_name, ctx.pname, "Statistical neighbours", "England"],
            [[Cell(j.title, row_header=True), ctx.value_cell(j.indicator_id, prev),
              ctx.value_cell(j.indicator_id, cur), ctx.bench_cell(j.indicator_id, "sn_average"),
              ctx.bench_cell(j.indicator_id, "england")]],
            css="summary", widths=[3, 1.2, 1.2, 1.4, 1.2]))
        sec.blocks.append(ctx.commentary_block("indicator", j.indicator_id, "commentary",
                                               "Commentary", j.title.lower()))
        actions = actions_linking([j.indicator_id])
        if actions:
            sec.blocks.append(actions_table(f"det-{j.indicator_id}-actions",
                                            f"Improvement-plan actions linked to {j.title.lower()} "
                                            f"(status as at {ctx.period.end:%d %B %Y})",
                                            actions, ctx.period.end))
        else:
            sec.blocks.append(Para("No improvement-plan action is linked to this indicator.", css="small"))
    return sec


def _there_are(count: int, noun: str) -> str:
    """ "There is 1 indicator" / "There are 70 indicators": the cover's sentence agrees in number."""
    return f"There is 1 {noun}" if count == 1 else f"There are {count:,} {noun}s"

"""Which indicators of a performance report improved or deteriorated: the cover report's counts.

The counts must agree with the report they cover, so nothing here has a rule
of its own:

* the indicator list is the covered report's own: every row of the annual
  report's section summary tables (``sections.yml``), or every key-indicator
  row of the quarterly report (``priorities.yml``, an indicator shown when a
  figure or a scorecard row exists for it);
* the judgement is the key findings' one, :func:`csc_scorecard.reporting.findings.write_finding`
  through the report builder's own context (the same stored results, the same
  rounding, the same steady band), so "improved" is exactly "Better than last
  year" in the report and "deteriorated" exactly "Worse than last year".

An indicator **can be compared** when it has a direction in which it is
better (not contextual) and both figures are there to compare (not missing,
not suppressed): its judgement is better, worse, broadly the same or no
change.  Contextual indicators and those without a baseline are counted
separately and never as improved or deteriorated.  The percentage improved
is of the comparable indicators, rounded half up to a whole number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csc_scorecard.indicators.formatting import rounded
from csc_scorecard.indicators.vocab import Polarity
from csc_scorecard.reporting.findings import Finding

__all__ = ["COMPARABLE", "CoverCounts", "JudgedIndicator", "PolarityCounts", "count_judgements",
           "judge_report_indicators", "report_groups"]

#: judgements that mean "a comparison with the previous period was made"
COMPARABLE = ("better", "worse", "similar", "no_change")


@dataclass(frozen=True)
class JudgedIndicator:
    indicator_id: str
    title: str
    polarity: str
    group_id: str  # the covered report's section (annual) or priority (quarterly)
    group_title: str
    finding: Finding

    @property
    def judgement(self) -> str:
        return self.finding.judgement


@dataclass
class PolarityCounts:
    indicators: int = 0
    comparable: int = 0
    improved: int = 0
    deteriorated: int = 0
    similar: int = 0
    no_comparison: int = 0


@dataclass
class CoverCounts:
    indicators: int = 0
    comparable: int = 0
    improved: int = 0
    deteriorated: int = 0
    similar: int = 0  # broadly the same or no change
    contextual: int = 0
    no_comparison: int = 0  # judged indicators without a baseline (or figure) to compare
    by_polarity: dict[str, PolarityCounts] = field(default_factory=dict)

    @property
    def improved_percent(self) -> int | None:
        if not self.comparable:
            return None
        return int(rounded(100 * self.improved / self.comparable, 0))  # type: ignore[arg-type]


def report_groups(kind: str, ctx: Any) -> list[tuple[str, str, list[str]]]:
    """(group id, group title, indicator ids) in the covered report's order, each id once."""
    seen: set[str] = set()
    groups: list[tuple[str, str, list[str]]] = []
    if kind == "annual":
        from csc_scorecard.reporting.layout import load_sections

        for spec in load_sections():
            ids = [i.id for i in spec.indicators if i.id not in seen]
            seen.update(ids)
            groups.append((spec.id, spec.title, ids))
    else:
        from csc_scorecard.rating.priorities import load_priorities

        for pr in load_priorities():
            # the quarterly report shows a priority's row when a figure or scorecard row exists
            ids = [i for i in pr.indicators if i not in seen and i in ctx.catalogue
                   and (i in ctx.card or ctx.fig(i, ctx.period.label))]
            seen.update(ids)
            groups.append((pr.id, pr.title, ids))
    return groups


def judge_report_indicators(kind: str, ctx: Any) -> list[JudgedIndicator]:
    """Every indicator of the covered report with its key-findings judgement."""
    out: list[JudgedIndicator] = []
    for group_id, title, ids in report_groups(kind, ctx):
        for ind in ids:
            e = ctx.entry(ind)
            out.append(JudgedIndicator(ind, e.title, str(e.polarity), group_id, title, ctx.finding(ind)))
    return out


def count_judgements(judged: list[JudgedIndicator]) -> CoverCounts:
    counts = CoverCounts(by_polarity={p.value: PolarityCounts() for p in Polarity})
    for j in judged:
        counts.indicators += 1
        per = counts.by_polarity[j.polarity]
        per.indicators += 1
        if j.polarity == Polarity.CONTEXTUAL:
            counts.contextual += 1
            continue
        if j.judgement not in COMPARABLE:
            counts.no_comparison += 1
            per.no_comparison += 1
            continue
        counts.comparable += 1
        per.comparable += 1
        if j.judgement == "better":
            counts.improved += 1
            per.improved += 1
        elif j.judgement == "worse":
            counts.deteriorated += 1
            per.deteriorated += 1
        else:
            counts.similar += 1
            per.similar += 1
    return counts

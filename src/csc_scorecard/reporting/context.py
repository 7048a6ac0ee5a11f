"""What the annual and quarterly reports (and the committee cover report) are built from:
the stored results of a period and the year before, the scorecard over them, the catalogue,
commentary and the council's report settings (:class:`ReportContext`), and the words and
checks they share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from csc_scorecard.indicators.catalogue import CatalogueEntry, get_catalogue
from csc_scorecard.indicators.formatting import format_count, format_number
from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.periods import Period, PeriodKind, parse_period
from csc_scorecard.rating.direction import change
from csc_scorecard.rating.scorecard import build_scorecard
from csc_scorecard.rating.suppression import SUPPRESSED, TOTAL_AREA
from csc_scorecard.reporting.commentary import CommentaryStore, text_blocks
from csc_scorecard.reporting.config import ReportConfig, load_report_config
from csc_scorecard.reporting.findings import (
    FigurePair,
    Finding,
    format_value,
    long_date,
    subject_phrase,
    write_finding,
)
from csc_scorecard.reporting.model import (
    Cell,
    CommentaryBlock,
    Para,
    Report,
    Section,
    Table,
)
from csc_scorecard.reporting.values import Figure, ReportError, ResultSet

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


def period_span(period: Period) -> str:
    """"April 2024 to March 2025"."""
    return f"{period.start:%B %Y} to {period.end:%B %Y}"


# --------------------------------------------------------------------------
# Context shared by both reports
# --------------------------------------------------------------------------


class ReportContext:
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
            text = count_text(raw) or DASH
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


def count_text(x: float | None) -> str:
    return format_count(x, decimals=1, thousands=True)


def report_config(config: ReportConfig | None) -> ReportConfig:
    return config if config is not None else load_report_config()


def check_kind(period: Period | str, kind: PeriodKind, example: str) -> Period:
    try:
        p = parse_period(period) if isinstance(period, str) else period
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    if p.kind is not kind:
        raise ReportError(f"period {p.label!r}: this report needs a period like {example}")
    return p


def number_words(n: int) -> str:
    """Ten and under in words ("no", "one" ... "ten"), larger numbers as figures."""
    names = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return names[n] if 0 <= n < len(names) else f"{n:,}"


def numden_cell(ctx: ReportContext, ind: str, period: str, area: str = TOTAL_AREA) -> Cell:
    """The figure's numerator/denominator as one cell ("12/40"; a dash for a missing part)."""
    f = ctx.fig(ind, period, area)
    if f is None:
        text = DASH
    elif f.hidden:
        text = SUPPRESSED
    else:
        n, d = count_text(f.numerator), count_text(f.denominator)
        text = f"{n or DASH}/{d or DASH}"
    return Cell(text, numeric=True, source=ctx.src(ind, period, area, "num_den"))

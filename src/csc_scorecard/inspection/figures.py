"""A figure reference in words and numbers, from stored results.

Given a parsed :class:`~csc_scorecard.inspection.references.FigureRef` and a
:class:`FigureSource` (the stored results; tests pass a small one of their
own), :func:`render_reference` writes e.g.::

    85% at 31 March 2019, up 11 percentage points from 74% at 30 June 2018, which is better
    17% in 2017-18, 2nd lowest of 15 councils in the South West, where lower is better
    89% over the last 3 months

The wording follows the reports' key findings (csc_scorecard.reporting.findings):
both figures are rounded to the indicator's decimals before they are
compared; percentages move in percentage points, everything else by % of
the earlier figure (none from 0); better / worse / broadly the same come
from :func:`csc_scorecard.rating.direction.direction` and the indicator's
polarity; contextual indicators are described, never judged.  Snapshot
indicators are "at" a date, flows "in" or "over" a period.

A figure that is not stored, or stored without a value, raises
:class:`FigureError`; the caller adds where the reference was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from csc_scorecard.indicators.catalogue import Catalogue, CatalogueEntry
from csc_scorecard.indicators.formatting import format_number, rounded
from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.inspection.references import LATEST_WORDS, FigureRef
from csc_scorecard.periods import Period, PeriodKind, parse_period
from csc_scorecard.rating.direction import Direction, change, direction
from csc_scorecard.reporting.findings import format_value, long_date

__all__ = [
    "FigureError",
    "FigureSource",
    "FigureUse",
    "Peers",
    "Rendered",
    "StoredFigure",
    "period_phrase",
    "render_reference",
]


class FigureError(LookupError):
    """A reference that cannot be given its figure (no such indicator, no stored value)."""


@dataclass(frozen=True)
class StoredFigure:
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Peers:
    """The published figures a council is ranked among (itself excluded)."""

    group_name: str  # "the South West"
    values: dict[str, float | None]  # la_code -> published value
    source: str  # where the published figures come from


class FigureSource(Protocol):
    def figure(self, indicator_id: str, period: str) -> StoredFigure | None: ...

    def periods(self, indicator_id: str) -> list[str]:
        """Labels of the periods stored for the indicator (council total)."""
        ...

    def peers(self, indicator_id: str, year: str, group: str) -> Peers | None: ...


@dataclass(frozen=True)
class FigureUse:
    """One stored figure a document shows: for the list of figures used."""

    indicator_id: str
    title: str
    period: str
    period_name: str
    value_text: str
    numerator: float | None
    denominator: float | None
    source: str  # the catalogue's source fields
    role: str  # "figure", "comparison", "rank among ..."


@dataclass
class Rendered:
    text: str
    uses: list[FigureUse] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. no comparison figure


# ----------------------------------------------------------------- periods


def _pick_latest(source: FigureSource, indicator_id: str, kind: str | None) -> Period:
    stored = []
    for label in source.periods(indicator_id):
        try:
            stored.append(parse_period(label))
        except ValueError:
            continue
    kinds = [kind] if kind else ["month", "quarter", "year"]
    for k in kinds:
        of_kind = [p for p in stored if p.kind == k]
        if of_kind:
            return max(of_kind, key=lambda p: p.end)
    what = f"{kind} " if kind else ""
    raise FigureError(f"no {what}figures are stored for {indicator_id}")


def _resolve(word: str, source: FigureSource, indicator_id: str) -> Period:
    if word in LATEST_WORDS:
        return _pick_latest(source, indicator_id, LATEST_WORDS[word])
    return parse_period(word)


def period_phrase(period: Period, entry: CatalogueEntry, *, latest: bool = False) -> str:
    """How the figure's period is said: "at 30 June 2018", "in 2024-25", "over the last 3 months"."""
    if entry.period_type == "snapshot":
        return f"at {long_date(period.end)}"
    months = period.rolling_months
    if months is not None and period.kind is not PeriodKind.R12:
        return f"over the last {months} months" if latest else (
            f"over the {months} months to {period.end:%B %Y}")
    if period.kind is PeriodKind.R12:
        return "over the last 12 months" if latest else f"over the 12 months to {period.end:%B %Y}"
    if period.kind is PeriodKind.MONTH:
        return f"in {period.end:%B %Y}"
    if period.kind is PeriodKind.QUARTER:
        return f"in Q{period.label[-1]} {period.financial_year}"
    if period.kind is PeriodKind.YTD:
        return f"in the year to {period.end:%B %Y}"
    return f"in {period.label}"


# ----------------------------------------------------------------- words


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _source_text(entry: CatalogueEntry) -> str:
    """The definition's owner and the return fields the figure is computed from."""
    owner = "local definition" if entry.source.upper() == "LOCAL" else f"{entry.source} definition"
    fields = "; ".join(f"{table} ({', '.join(cols)})" if cols else table
                       for table, cols in entry.inputs.items())
    return f"{owner}; from {fields}" if fields else owner


class _Renderer:
    def __init__(self, ref: FigureRef, source: FigureSource, catalogue: Catalogue,
                 default_period: str | None) -> None:
        self.ref, self.source = ref, source
        entry = catalogue.get(ref.indicator_id)
        if entry is None:
            raise FigureError(catalogue.unknown_message(ref.indicator_id))
        self.entry = entry
        self.default_period = default_period
        self.out = Rendered("")

    def show(self, value: float | None) -> str:
        return format_value(value, self.entry.unit, self.entry.decimals)

    def fetch(self, period: Period, role: str, *, latest: bool = False) -> tuple[float, str]:
        """The stored value and its phrase; recorded as used. FigureError when not there."""
        e = self.entry
        got = self.source.figure(e.id, period.label)
        phrase = period_phrase(period, e, latest=latest)
        if got is None:
            raise FigureError(f"no stored figure for {e.id} ({e.title}) for {period.label}")
        if got.value is None:
            raise FigureError(
                f"{e.id} ({e.title}) has no value for {period.label} (its denominator is 0 or missing)")
        self.out.uses.append(FigureUse(
            e.id, e.title, period.label, phrase, self.show(got.value), got.numerator,
            got.denominator, _source_text(e), role))
        return got.value, phrase

    def current_period(self) -> tuple[Period, bool]:
        ref = self.ref
        word = ref.period
        if word is None and ref.compare and ref.compare not in LATEST_WORDS \
                and ref.compare != "last-year" and self.default_period is None:
            kind = parse_period(ref.compare).kind.value
            return _pick_latest(self.source, ref.indicator_id, kind), False
        if word is None and ref.rank:
            word = self.default_period or "year-latest"
        word = word or self.default_period or "latest"
        return _resolve(word, self.source, ref.indicator_id), word in LATEST_WORDS

    def render(self) -> Rendered:
        period, latest = self.current_period()
        cur, phrase = self.fetch(period, "figure", latest=latest)
        text = f"{self.show(cur)} {phrase}"
        if self.ref.compare:
            text += self.compared(cur, period)
        elif self.ref.rank:
            text += self.ranked(cur, period)
        self.out.text = text
        return self.out

    def compared(self, cur: float, period: Period) -> str:
        e = self.entry
        word = self.ref.compare or ""
        if word == "last-year":
            before = period.previous_comparable()
        else:
            before = _resolve(word, self.source, e.id)
        got = self.source.figure(e.id, before.label)
        before_phrase = period_phrase(before, e)
        if got is None or got.value is None:
            self.out.warnings.append(f"no figure for {e.id} for {before.label} to compare with")
            return f"; there is no figure {before_phrase} to compare with"
        prev, before_phrase = self.fetch(before, "comparison")
        r_cur, r_prev = rounded(cur, e.decimals), rounded(prev, e.decimals)
        if r_cur == r_prev:
            return f", the same as {before_phrase}"
        up = r_cur > r_prev  # type: ignore[operator]
        way = "up" if up else "down"
        amount = change(cur, prev, e.unit, decimals=e.decimals)
        if e.unit == Unit.PERCENT:
            points = format_number(abs(amount), e.decimals)  # type: ignore[arg-type]
            word_pp = "percentage point" if points in ("1", "1.0", "1.00") else "percentage points"
            moved = f", {way} {points} {word_pp} from {self.show(prev)} {before_phrase}"
        elif amount is None:  # from 0: no relative change
            moved = f", {way} from {self.show(prev)} {before_phrase}"
        else:
            moved = f", {way} {format_number(abs(amount), 1)}% from {self.show(prev)} {before_phrase}"
        if e.polarity == Polarity.CONTEXTUAL:
            return moved
        judged = direction(cur, prev, polarity=e.polarity, unit=e.unit, decimals=e.decimals)
        return moved + {
            Direction.IMPROVING: ", which is better",
            Direction.DECLINING: ", which is worse",
            Direction.STEADY: ", broadly the same",
        }.get(judged, "")  # type: ignore[arg-type]

    def ranked(self, cur: float, period: Period) -> str:
        e = self.entry
        if period.kind is not PeriodKind.YEAR:
            raise FigureError(
                f"{self.ref.text}: councils are ranked on published yearly figures, so the "
                f"period must be a financial year (add | period 2023-24), not {period.label}")
        peers = self.source.peers(e.id, period.label, self.ref.rank or "region")
        if peers is None:
            raise FigureError(f"no published figures for {e.id} in {period.label} to rank against")
        mine = rounded(cur, e.decimals)
        others = [rounded(v, e.decimals) for v in peers.values.values() if v is not None]
        if not others:
            raise FigureError(f"no published figures for {e.id} in {period.label} to rank against")
        n = len(others) + 1
        from_low = 1 + len([v for v in others if v < mine])  # type: ignore[operator]
        from_high = 1 + len([v for v in others if v > mine])  # type: ignore[operator]
        tied = any(v == mine for v in others)
        low_first = e.polarity == Polarity.LOWER_BETTER
        use_low = from_low < from_high or (from_low == from_high and low_first)
        place, end = (from_low, "lowest") if use_low else (from_high, "highest")
        words = ("joint " if tied else "") + ("" if place == 1 else _ordinal(place) + " ") + end
        if place == 1 and not tied:
            words = "the " + words
        self.out.uses.append(FigureUse(
            e.id, e.title, period.label, f"published, {peers.group_name}", f"{n} councils",
            None, None, peers.source, f"rank among the councils in {peers.group_name}"))
        text = f", {words} of {n} councils in {peers.group_name}"
        if e.polarity == Polarity.LOWER_BETTER:
            text += ", where lower is better"
        elif e.polarity == Polarity.HIGHER_BETTER:
            text += ", where higher is better"
        return text


def render_reference(ref: FigureRef, source: FigureSource, catalogue: Catalogue, *,
                     default_period: str | None = None) -> Rendered:
    """The reference's words and the figures they used; FigureError when it has no figure."""
    return _Renderer(ref, source, catalogue, default_period).render()

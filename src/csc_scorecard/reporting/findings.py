"""Key-findings sentences written out from the figures.

A finding compares an indicator's figure with the same period a year before,
in plain English, and says whether that is better or worse by the
indicator's polarity (contextual indicators are described, never judged)::

    The number of referrals has increased by 19.1% on 2023-24, from 4,229 to
    5,036, raising the rate per 10,000 children from 377.5 to 461.2.

Rules:

* Both figures are rounded to the indicator's decimals first, so the change
  is the difference of the printed figures (24.7% -> 20.8% is 3.9 points).
* Percentages change in **percentage points**; counts, rates, days and
  averages by **%** of the previous figure.  From 0 no % is given.
* The judgement (better, worse, similar, no change) follows
  :func:`csc_scorecard.rating.direction.direction`: within the steady band
  (1 point; 2%) the figure is "broadly the same".  It is given in words as
  well as by the colour of the marker.
* A missing figure, a suppressed figure (publication mode) and a missing or
  suppressed baseline each get their own sentence; no change is then claimed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from csc_scorecard.indicators.formatting import format_figure, format_number, rounded
from csc_scorecard.indicators.vocab import Polarity, Unit
from csc_scorecard.rating.direction import Direction, change, direction

__all__ = [
    "JUDGEMENT_LABELS",
    "Finding",
    "FigurePair",
    "format_value",
    "long_date",
    "subject_phrase",
    "write_finding",
]

#: judgement -> the words shown beside the sentence (never colour alone)
JUDGEMENT_LABELS = {
    "better": "Better than last year",
    "worse": "Worse than last year",
    "similar": "Broadly the same as last year",
    "no_change": "No change on last year",
    "context": "Context (not judged)",
    "none": "No comparison",
}


@dataclass(frozen=True)
class Finding:
    indicator_id: str
    text: str
    judgement: str  # a key of JUDGEMENT_LABELS

    @property
    def label(self) -> str:
        return JUDGEMENT_LABELS[self.judgement]


@dataclass(frozen=True)
class FigurePair:
    """One indicator's figure this period and in the comparison period."""

    current: float | None
    previous: float | None
    current_hidden: bool = False  # suppressed (publication mode)
    previous_hidden: bool = False


def format_value(value: float | None, unit: str, decimals: int, *, with_unit: bool = True) -> str:
    """The figure as printed in a report: thousands separated, ``%`` for percentages."""
    return format_figure(value, decimals, unit=unit, thousands=True, with_unit=with_unit)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def subject_phrase(title: str, unit: str, phrase: str | None = None) -> str:
    """The sentence's subject, e.g. "The number of referrals", "The percentage of ..."."""
    noun = phrase or (title[:1].lower() + title[1:])
    if unit == Unit.COUNT:
        return f"The number of {noun}"
    if unit == Unit.PERCENT:
        return f"The percentage of {noun}"
    if unit == Unit.RATE_PER_10K:
        return f"The rate of {noun}"
    if unit == Unit.DAYS:
        return f"The average number of days for {noun}"
    return f"The average {noun}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def write_finding(
    indicator_id: str,
    *,
    subject: str,
    unit: str,
    polarity: str,
    decimals: int,
    figures: FigurePair,
    period_name: str,
    previous_name: str,
    snapshot: tuple[dt.date, dt.date] | None = None,
    rate: FigurePair | None = None,
    rate_decimals: int = 1,
    comparison: str = "last year",
) -> Finding:
    """One key-findings sentence (see the module docstring).

    ``period_name`` / ``previous_name`` name the periods ("2024-25",
    "2023-24"; "Q2 2024-25").  ``snapshot`` gives the two "as at" dates for
    snapshot measures (then figures are "at 31 March 2025" rather than "in
    2024-25").  ``rate`` is the rate per 10,000 children that goes with a
    count.  ``comparison`` is the phrase for the earlier period in the
    judgement ("last year", "the same quarter last year").
    """
    subject = _cap(subject)
    if snapshot is not None:
        cur_when, prev_when = f"at {long_date(snapshot[0])}", f"at {long_date(snapshot[1])}"
    else:
        cur_when, prev_when = f"in {period_name}", f"in {previous_name}"

    def show(x: float | None) -> str:
        return format_value(x, unit, decimals)

    cur, prev = figures.current, figures.previous
    if figures.current_hidden:
        return Finding(
            indicator_id,
            f"{subject} {cur_when} is not shown (c) because it could identify a small "
            "number of children.",
            "none",
        )
    if cur is None:
        tail = ""
        if prev is not None and not figures.previous_hidden:
            tail = f"; it was {show(prev)} {prev_when}"
        return Finding(
            indicator_id,
            f"There is no figure for {_lower_first(subject)} {cur_when}{tail}.",
            "none",
        )
    if figures.previous_hidden:
        return Finding(
            indicator_id,
            f"{subject} was {show(cur)} {cur_when}; the figure {prev_when} is not shown (c) "
            "because it could identify a small number of children, so no comparison is made.",
            "none",
        )
    if prev is None:
        return Finding(
            indicator_id,
            f"{subject} was {show(cur)} {cur_when}; there is no figure {prev_when} to compare with.",
            "none",
        )

    moved = direction(cur, prev, polarity=polarity, unit=unit, decimals=decimals)
    judgement = {
        Direction.IMPROVING: "better",
        Direction.DECLINING: "worse",
        Direction.STEADY: "similar",
        Direction.INCREASED: "context",
        Direction.DECREASED: "context",
    }[moved]  # type: ignore[index]
    if polarity == Polarity.CONTEXTUAL:
        judgement = "context"  # described, never judged (not even "broadly the same")
    r_cur, r_prev = rounded(cur, decimals), rounded(prev, decimals)
    contextual = polarity == Polarity.CONTEXTUAL
    if r_cur == r_prev:
        judgement = "context" if contextual else "no_change"
        text = f"{subject} was {show(cur)} {cur_when}, the same as {prev_when}."
        if judgement == "no_change":
            text += f" There is no change on {comparison}."
        return Finding(indicator_id, text, judgement)

    went_up = r_cur > r_prev  # type: ignore[operator]
    amount = change(cur, prev, unit, decimals=decimals)
    if unit == Unit.PERCENT:
        verb = "risen" if went_up else "fallen"
        points = format_number(abs(amount), decimals)  # type: ignore[arg-type]
        unit_word = "percentage point" if points in ("1", "1.0", "1.00") else "percentage points"
        text = (
            f"{subject} has {verb} by {points} {unit_word}, "
            f"from {show(prev)} {prev_when} to {show(cur)} {cur_when}"
        )
    else:
        verb = "increased" if went_up else "decreased"
        if amount is None:  # from 0: a relative change is undefined
            text = f"{subject} has {verb} from {show(prev)} {prev_when} to {show(cur)} {cur_when}"
        elif snapshot is not None or unit != Unit.COUNT:
            text = (
                f"{subject} has {verb} by {format_number(abs(amount), 1)}%, "
                f"from {show(prev)} {prev_when} to {show(cur)} {cur_when}"
            )
        else:
            text = (
                f"{subject} has {verb} by {format_number(abs(amount), 1)}% on {previous_name}, "
                f"from {show(prev)} to {show(cur)}"
            )
    text += _rate_clause(rate, rate_decimals) + "."
    if judgement == "better":
        text += f" This is better than {comparison}."
    elif judgement == "worse":
        text += f" This is worse than {comparison}."
    elif judgement == "similar":
        text += f" This is broadly the same as {comparison}."
    return Finding(indicator_id, text, judgement)


def _rate_clause(rate: FigurePair | None, decimals: int) -> str:
    if rate is None or rate.current_hidden or rate.previous_hidden:
        return ""
    if rate.current is None or rate.previous is None:
        return ""
    a, b = rounded(rate.previous, decimals), rounded(rate.current, decimals)
    before = format_value(rate.previous, Unit.RATE_PER_10K, decimals)
    after = format_value(rate.current, Unit.RATE_PER_10K, decimals)
    if a == b:
        return f", with the rate per 10,000 children unchanged at {after}"
    verb = "raising" if b > a else "lowering"  # type: ignore[operator]
    return f", {verb} the rate per 10,000 children from {before} to {after}"

"""The plain rules of improvement plans: vocabularies, deadlines, overdue, the risk matrix.

Status (project meanings of the council's key, the same letters as the
indicator RAG):

* **G** - project is on target
* **A** - project requires attention
* **R** - project is off target
* **B** - project is closed (complete)

Direction (the key's project arrows): **achieved** a milestone, **progressing**,
**missed** or at risk of missing milestones.

Deadline: a month ("Mar-18", "2018-03", "March 2018") or a date
("2018-03-15", "15/03/2018"), or none ("Ongoing", blank).  A month deadline
falls on the **last day of that month**.

Overdue: an action is overdue on a day when it has a deadline, that day is
**after** the deadline (the deadline day itself is not overdue), and the
action is not complete (complete means status B, closed).

Risk matrix: score = likelihood x impact, each 1-5.  Bands:

=========  ===========  ====================
score      band         shown as
=========  ===========  ====================
1-4        low          Low (green)
5-9        medium       Medium (amber)
10-16      high         High (red)
20-25      very high    Very high (red)
=========  ===========  ====================

A "red" risk (offered in highlight reports) is one banded high or very high.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Deadline",
    "Direction",
    "RiskBand",
    "Status",
    "Trend",
    "is_overdue",
    "parse_deadline",
    "risk_band",
    "risk_score",
]


class Status(StrEnum):
    G = "G"
    A = "A"
    R = "R"
    B = "B"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def short(self) -> str:
        return {"G": "Green", "A": "Amber", "R": "Red", "B": "Blue"}[self.value]

    @classmethod
    def parse(cls, word: object) -> Status:
        key = str(word or "").strip().lower()
        for member in cls:
            if key in (member.value.lower(), member.short.lower()):
                return member
        raise ValueError(f"unknown status {word!r}; expected G, A, R or B (or Green, Amber, Red, Blue)")


_STATUS_LABELS = {
    Status.G: "Green: project is on target",
    Status.A: "Amber: project requires attention",
    Status.R: "Red: project is off target",
    Status.B: "Blue: project is closed",
}


class Direction(StrEnum):
    ACHIEVED = "achieved"
    PROGRESSING = "progressing"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return {
            "achieved": "↑ achieved a milestone",
            "progressing": "→ progressing",
            "missed": "↓ missed or at risk of missing milestones",
        }[self.value]

    @classmethod
    def parse(cls, word: object) -> Direction:
        key = str(word or "").strip().lower()
        for member in cls:
            if key == member.value or (key and key.startswith(member.value[:4])):
                return member
        raise ValueError(
            f"unknown direction {word!r}; expected achieved, progressing or missed"
        )


class Trend(StrEnum):
    """A risk's movement since its last review."""

    RISING = "rising"
    STEADY = "steady"
    FALLING = "falling"
    NEW = "new"

    @classmethod
    def parse(cls, word: object) -> Trend:
        key = str(word or "").strip().lower()
        try:
            return cls(key)
        except ValueError:
            raise ValueError(
                f"unknown trend {word!r}; expected rising, steady, falling or new"
            ) from None


class RiskBand(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very high"

    @property
    def label(self) -> str:
        colour = {"low": "green", "medium": "amber", "high": "red", "very high": "red"}[self.value]
        return f"{self.value.capitalize()} ({colour})"

    @property
    def red(self) -> bool:
        return self in (RiskBand.HIGH, RiskBand.VERY_HIGH)


def risk_score(likelihood: int, impact: int) -> int:
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(f"{name} must be a whole number from 1 to 5, not {value!r}")
    return likelihood * impact


def risk_band(score: int) -> RiskBand:
    if score <= 4:
        return RiskBand.LOW
    if score <= 9:
        return RiskBand.MEDIUM
    if score <= 16:
        return RiskBand.HIGH
    return RiskBand.VERY_HIGH


@dataclass(frozen=True)
class Deadline:
    """A deadline as given (a month or a day); ``due`` is the day it falls on."""

    due: dt.date | None
    precision: str  # "month", "day" or "" (ongoing / none)

    @property
    def text(self) -> str:
        if self.due is None:
            return "Ongoing"
        if self.precision == "month":
            return self.due.strftime("%B %Y")
        return f"{self.due.day} {self.due.strftime('%B %Y')}"

    @property
    def value(self) -> str:
        """The form written back to a file: 2018-03 for a month, 2018-03-15 for a day."""
        if self.due is None:
            return ""
        return self.due.strftime("%Y-%m") if self.precision == "month" else self.due.isoformat()


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})
_MON_YY = re.compile(r"^([A-Za-z]+)[-\s]+(\d{2}|\d{4})$")
_YYYY_MM = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_NONE = {"", "ongoing", "none", "n/a", "tbc"}


def _month_deadline(year: int, month: int) -> Deadline:
    if not 1 <= month <= 12:
        raise ValueError
    return Deadline(dt.date(year, month, calendar.monthrange(year, month)[1]), "month")


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def parse_deadline(value: object) -> Deadline:
    """A deadline from a cell: a date, 'Mar-18', '2018-03', '2018-03-15', '15/03/2018' or 'Ongoing'."""
    if isinstance(value, dt.datetime):
        return Deadline(value.date(), "day")
    if isinstance(value, dt.date):
        return Deadline(value, "day")
    text = str(value if value is not None else "").strip()
    if text.lower() in _NONE:
        return Deadline(None, "")
    try:
        if m := _MON_YY.match(text):
            month = _MONTHS.get(m.group(1).lower())
            if month is None:
                raise ValueError
            return _month_deadline(_year(m.group(2)), month)
        if m := _YYYY_MM.match(text):
            return _month_deadline(int(m.group(1)), int(m.group(2)))
        if m := _ISO.match(text):
            return Deadline(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day")
        if m := _UK.match(text):
            return Deadline(dt.date(_year(m.group(3)), int(m.group(2)), int(m.group(1))), "day")
    except ValueError:
        pass
    raise ValueError(
        f"not a deadline: {text!r}; expected a month (Mar-18, 2018-03), a date "
        "(2018-03-15, 15/03/2018) or Ongoing"
    )


def is_overdue(due: dt.date | None, status: str, on: dt.date) -> bool:
    """Past its deadline (strictly after the due day) and not complete (status B)."""
    return due is not None and on > due and status != Status.B


def parse_day(value: object) -> dt.date:
    """A single day (review dates, progress-note dates): a date cell, ISO or UK form."""
    deadline = parse_deadline(value)
    if deadline.due is None or deadline.precision != "day":
        raise ValueError(f"not a date: {value!r}; expected 2018-03-15 or 15/03/2018")
    return deadline.due

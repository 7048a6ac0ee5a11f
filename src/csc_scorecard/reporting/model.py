"""The report model: a plain data structure that every renderer reads.

A :class:`Report` is a list of numbered :class:`Section` s, each a list of
blocks (:class:`Heading`, :class:`Para`, :class:`Bullets`, :class:`Table`,
:class:`Chart`, :class:`Findings`, :class:`CommentaryBlock`,
:class:`Notice`).  Every figure sits in a :class:`Cell` that says which
stored result it came from (``indicator``, ``period``, ``area``, ``field``),
so the renderers can mark it (HTML ``data-*`` attributes) and tests can
check it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from csc_scorecard.reporting.config import ReportConfig
from csc_scorecard.reporting.findings import Finding

__all__ = [
    "Bullets",
    "Cell",
    "Chart",
    "CommentaryBlock",
    "Findings",
    "Heading",
    "Notice",
    "Para",
    "Report",
    "Section",
    "Table",
]


@dataclass
class Cell:
    text: str
    numeric: bool = False
    row_header: bool = False
    css: str = ""
    # where the figure came from: indicator, period, area, field (value,
    # numerator, denominator, change, sn_average, england, target)
    source: dict[str, str] = field(default_factory=dict)

    @property
    def data_attrs(self) -> list[tuple[str, str]]:
        return [(f"data-{k}", v) for k, v in self.source.items()]


@dataclass
class Heading:
    text: str
    level: int  # 3 = subsection of a section (Heading 2 in Word), 4 = below that
    anchor: str = ""
    type: str = "heading"


@dataclass
class Para:
    text: str
    css: str = ""  # "caveat", "lead", "small"
    type: str = "para"


@dataclass
class Bullets:
    items: list[str]
    type: str = "bullets"


@dataclass
class Table:
    id: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    css: str = ""  # "summary", "area", "kpi", "key", "chartdata", "definitions"
    widths: list[float] | None = None  # relative column widths
    type: str = "table"

    @property
    def col_percents(self) -> list[str]:
        if not self.widths or len(self.widths) != len(self.columns):
            return []
        total = sum(self.widths)
        return [f"{100 * w / total:.1f}%" for w in self.widths]


@dataclass
class Chart:
    id: str
    title: str
    alt: str
    svg: str
    png: bytes
    table: Table
    type: str = "chart"


@dataclass
class Findings:
    items: list[Finding]
    type: str = "findings"


@dataclass
class CommentaryBlock:
    title: str  # "Commentary", "Areas of success / what is working well", ...
    blocks: list[tuple[str, Any]]  # ("p", text) / ("ul", [items]) from commentary.text_blocks
    missing: bool = False  # no commentary stored: flagged in draft mode
    missing_text: str = ""
    type: str = "commentary"


@dataclass
class Notice:
    text: str
    css: str = "draft"  # "draft" (missing commentary, draft marks) or "info"
    type: str = "notice"


Block = Heading | Para | Bullets | Table | Chart | Findings | CommentaryBlock | Notice


@dataclass
class Section:
    id: str
    number: str
    title: str
    blocks: list[Any] = field(default_factory=list)
    # the Word heading level of the section's heading (1 in a report; 2 for a report's sections
    # inside a committee pack, whose parts are the Heading 1s); its blocks' headings sit below it
    level: int = 1

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass
class Report:
    kind: str  # "annual" or "quarterly"
    title: str
    subtitle: str
    period: str
    period_name: str
    council: ReportConfig
    draft: bool
    publication: bool
    la_code: str
    computed_at: dt.datetime | None
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing_commentary: list[str] = field(default_factory=list)
    frozen: str = ""  # 'frozen on 3 December 2026 ("As submitted")' when the figures are frozen
    frozen_short: str = ""  # 'frozen on 3 December 2026': the status line (running header) too

    @property
    def status_text(self) -> str:
        bits = ["Draft" if self.draft else "Final"]
        bits.append("publication version: small numbers suppressed" if self.publication
                    else "not for publication: contains unsuppressed figures")
        if self.frozen_short:
            bits.append(f"figures {self.frozen_short}")
        return " - ".join(bits)

    @property
    def file_stem(self) -> str:
        suffix = "-publication" if self.publication else ""
        suffix += "-draft" if self.draft else ""
        return f"{self.kind}-report-{self.period}{suffix}"

    def tables(self) -> list[Table]:
        out: list[Table] = []
        for s in self.sections:
            for b in s.blocks:
                if isinstance(b, Table):
                    out.append(b)
                elif isinstance(b, Chart):
                    out.append(b.table)
        return out

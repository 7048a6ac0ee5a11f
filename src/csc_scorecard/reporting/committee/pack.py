"""The committee pack: one document for a meeting, in agenda order, with a contents page.

Parts, in order: each item of the meeting's work programme, in agenda order:

   * performance report: its cover report, then the annual or quarterly report itself;
   * highlight report: the programme's highlight report for the item's period;
   * plan summary: the plan's executive summary for the period;
   * plan update: the plan's action plan as at the meeting;
   * other: a title page with the item's lead member, officer and notes; but the first
     "other" item whose title names the tracker or the work programme (Somerset's "Scrutiny
     work programme" item) holds the outcome tracker as at the meeting and the work
     programme.  With no such item those two come first.

The PDF is ONE HTML document rendered once by WeasyPrint: page numbers run on
through every part (``counter(page)`` in the footer) and the contents page
takes each entry's page from its heading with ``target-counter()``, so they
cannot disagree.  Each part's ids are prefixed with its number so no anchor is
duplicated.  Figures are in publication mode by default (small numbers
suppressed): the pack is a public paper, aggregate figures only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csc_scorecard.reporting.committee.scrutiny_docs import (
    build_tracker,
    build_work_programme,
    long_date,
)
from csc_scorecard.reporting.model import Para, Report, Section
from csc_scorecard.reporting.values import ReportError

__all__ = ["CommitteePack", "PackPart", "build_pack", "render_pack_html", "write_pack"]


@dataclass
class PackPart:
    number: int  # the part's place in the pack (1, 2, ...)
    title: str  # the contents entry and the part's heading
    report: Report
    item: Any = None  # the work-programme item (None for the tracker and the work programme)
    landscape: bool = False
    flow: bool = True  # sections run on rather than each starting a page

    @property
    def anchor(self) -> str:
        return f"part-{self.number}"

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    def section_anchor(self, section: Section) -> str:
        return f"p{self.number}-{section.id}"


@dataclass
class CommitteePack:
    meeting: Any
    title: str
    draft: bool
    publication: bool
    council: Any
    parts: list[PackPart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def file_stem(self) -> str:
        suffix = "-draft" if self.draft else ""
        return f"committee-pack-{self.meeting.committee.slug}-{self.meeting.date.isoformat()}{suffix}"

    @property
    def status_text(self) -> str:
        bits = ["Draft" if self.draft else "Final"]
        bits.append("publication version: small numbers suppressed" if self.publication
                    else "not for publication: contains unsuppressed figures")
        return " - ".join(bits)


def _lead(item) -> str:
    return " & ".join(x for x in (item.lead_member, item.lead_officer) if x)


def _item_parts(item, meeting, *, la_code, publication, draft, config, build_options) -> list[tuple[str, Report, bool, bool]]:
    """(title, report, landscape, flow) for one agenda item."""
    from csc_scorecard.plans.documents import build_action_plan
    from csc_scorecard.plans.highlight import PlanReport, build_highlight, build_plan_summary
    from csc_scorecard.reporting.committee.cover import build_cover_report

    kind = item.paper_type
    if kind == "performance_report":
        if item.report_kind not in ("annual", "quarterly") or not item.period:
            raise ReportError(f"agenda item {item.order} ({item.title}) is a performance report with "
                              "no report kind (annual or quarterly) or period")
        from csc_scorecard.reporting.build import build_annual_report, build_quarterly_report

        cover = build_cover_report(item.report_kind, item.period, la_code=la_code, publication=publication,
                                   draft=draft, config=config, **build_options)
        options = dict(build_options)
        if item.report_kind == "quarterly":
            from csc_scorecard.plans.links import linked_programme_blocks

            options["programme_links"] = linked_programme_blocks
        builder = build_annual_report if item.report_kind == "annual" else build_quarterly_report
        full = builder(item.period, la_code=la_code, publication=publication, draft=draft, config=config,
                       **options)
        return [(f"{item.title}: cover report", cover, False, True),
                (item.title, full, item.report_kind == "quarterly", False)]
    if kind == "highlight_report":
        if item.programme is None or not item.period:
            raise ReportError(f"agenda item {item.order} ({item.title}) is a highlight report with no "
                              "programme or period")
        return [(item.title, build_highlight(item.programme, item.period, la_code=la_code, draft=draft),
                 False, True)]
    plan = item.plan or (item.programme.plan if item.programme is not None else None)
    if kind == "plan_summary":
        if plan is None or not item.period:
            raise ReportError(f"agenda item {item.order} ({item.title}) is a plan summary with no plan "
                              "or period")
        return [(item.title, build_plan_summary(plan, item.period, draft=draft), False, True)]
    if kind == "plan_update" and plan is not None:
        return [(item.title, build_action_plan(plan, on=meeting.date, draft=draft), False, True)]
    page = PlanReport(kind="item", title=item.title, subtitle=_lead(item) or "", period="",
                      period_name=long_date(meeting.date), council=config, draft=draft,
                      publication=publication, la_code="", computed_at=None, stem="item")
    blocks: list = [Para(f"Lead member and officer: {_lead(item) or 'not given'}.")]
    blocks.append(Para(item.notes or "The paper for this item is presented at the meeting."))
    page.sections.append(Section("item", "", item.get_paper_type_display(), blocks))
    return [(item.title, page, False, True)]


def is_committee_papers_item(item) -> bool:
    """An "other" agenda item about the committee's own papers takes the tracker and work programme."""
    title = item.title.lower()
    return item.paper_type == "other" and ("tracker" in title or "work programme" in title)


def build_pack(meeting, *, la_code: str | None = None, publication: bool = True, draft: bool = True,
               config: Any = None, **build_options: Any) -> CommitteePack:
    """Every part of the meeting's pack, built from the store once."""
    from csc_scorecard.reporting.config import load_report_config
    from csc_scorecard.services.scrutiny import agenda

    cfg = config if config is not None else load_report_config()
    committee = meeting.committee
    pack = CommitteePack(meeting=meeting, title=f"{committee.name}: {long_date(meeting.date)}",
                         draft=draft, publication=publication, council=cfg)
    items = agenda(meeting)
    home = next((i for i in items if is_committee_papers_item(i)), None)

    def committee_papers(item) -> None:
        prefix = f"{item.title}: " if item is not None else ""
        pack.parts.append(PackPart(len(pack.parts) + 1, f"{prefix}outcome tracker" if item else "Outcome tracker",
                                   build_tracker(meeting, draft=draft), item))
        pack.parts.append(PackPart(len(pack.parts) + 1, f"{prefix}work programme" if item else "Work programme",
                                   build_work_programme(committee.slug, draft=draft), item))

    if home is None:  # no agenda item for them: the committee's own papers come first
        committee_papers(None)
    for item in items:
        if item is home:
            committee_papers(item)
            continue
        for title, report, landscape, flow in _item_parts(item, meeting, la_code=la_code, publication=publication,
                                                          draft=draft, config=cfg, build_options=build_options):
            pack.parts.append(PackPart(len(pack.parts) + 1, title, report, item, landscape, flow))
            pack.notes += list(getattr(report, "notes", []))
    pack.notes = list(dict.fromkeys(pack.notes))
    return pack


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------

_ID = re.compile(r'\b(id|aria-labelledby)="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')


def _prefixed(html: str, prefix: str) -> str:
    html = _ID.sub(lambda m: f'{m.group(1)}="{prefix}{m.group(2)}"', html)
    return _HREF.sub(lambda m: f'href="#{prefix}{m.group(1)}"', html)


def render_pack_html(pack: CommitteePack) -> str:
    import base64

    from django.template import Context
    from django.utils.safestring import mark_safe

    from csc_scorecard.reporting.model import Chart
    from csc_scorecard.reporting.render_html import CSS_FILE, _engine

    engine = _engine()
    part_template = engine.get_template("reporting/pack_part.html")
    bodies = []
    for part in pack.parts:
        for section in part.report.sections:
            for block in section.blocks:
                if isinstance(block, Chart) and not hasattr(block, "svg_uri"):
                    data = base64.b64encode(block.svg.encode("utf-8")).decode("ascii")
                    block.svg_uri = f"data:image/svg+xml;base64,{data}"  # type: ignore[attr-defined]
        html = part_template.render(Context({"part": part, "report": part.report}))
        bodies.append(mark_safe(_prefixed(html, f"p{part.number}-")))  # noqa: S308 (our own rendering)
    return engine.get_template("reporting/pack.html").render(Context({
        "pack": pack, "parts": list(zip(pack.parts, bodies, strict=True)),
        "css": CSS_FILE.read_text(encoding="utf-8"),
        "made": long_date(dt.date.today()),
        "meeting_day": long_date(pack.meeting.date),
    }))


def pack_as_report(pack: CommitteePack) -> Report:
    """One report model of the whole pack, for the Word file (a heading per part and section)."""
    from csc_scorecard.plans.highlight import PlanReport

    out = PlanReport(kind="committee-pack", title=pack.title, subtitle="Committee pack",
                     period=pack.meeting.date.isoformat(), period_name=long_date(pack.meeting.date),
                     council=pack.council, draft=pack.draft, publication=pack.publication, la_code="",
                     computed_at=None, stem=pack.file_stem, sections_flow=False)
    for part in pack.parts:
        intro = [Para(part.report.title), Para(part.report.subtitle)]
        out.sections.append(Section(part.anchor, str(part.number), part.title, intro))
        for section in part.report.sections:
            out.sections.append(Section(part.section_anchor(section), "",
                                        f"{part.number}.{section.heading}" if section.number
                                        else f"{part.number}. {section.heading}", section.blocks,
                                        level=2))  # under the part's Heading 1
    return out


def write_pack(pack: CommitteePack, out_dir: Path | str) -> dict[str, Path]:
    """The pack as one tagged PDF, its HTML and one DOCX."""
    from csc_scorecard.reporting.render_docx import render_docx
    from csc_scorecard.reporting.render_pdf import render_pdf

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"html": out / f"{pack.file_stem}.html", "pdf": out / f"{pack.file_stem}.pdf",
             "docx": out / f"{pack.file_stem}.docx"}
    html = render_pack_html(pack)
    paths["html"].write_text(html, encoding="utf-8")
    render_pdf(html, paths["pdf"], base_url=str(out))
    render_docx(pack_as_report(pack), paths["docx"])
    return paths

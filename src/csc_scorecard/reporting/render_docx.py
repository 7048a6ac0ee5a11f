"""Word renderer: the report model through python-docx.

Accessible by construction: the built-in Title and Heading 1-3 styles (so
the navigation pane and screen readers see the structure), tables with a
header row marked to repeat on each page (``w:tblHeader``) and a caption
(``w:tblCaption``), every chart a PNG whose drawing carries the alternative
text (``wp:docPr/@descr``) followed by its data as a table, ratings in words
as well as shading, and the document language set to English (UK).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from csc_scorecard.reporting.findings import long_date
from csc_scorecard.reporting.model import (
    Bullets,
    Cell,
    Chart,
    CommentaryBlock,
    Findings,
    Heading,
    Notice,
    Para,
    Report,
    Table,
)

__all__ = ["render_docx"]

_FILL = {
    "rag-G": ("00703C", "FFFFFF"),
    "rag-A": ("FFDD00", "0B0C0C"),
    "rag-R": ("B10E1E", "FFFFFF"),
    "rag-B": ("1D70B8", "FFFFFF"),
    "mark-better": ("00703C", "FFFFFF"),
    "mark-worse": ("B10E1E", "FFFFFF"),
}
_MARK_PREFIX = {"better": "▲ ", "worse": "▼ ", "similar": "● ", "no_change": "● "}


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _set_lang(document) -> None:
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    target = None
    if rpr_default is not None:
        target = rpr_default.find(qn("w:rPrDefault"))
        if target is not None:
            target = target.find(qn("w:rPr"))
    if target is None:
        target = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    target.append(lang)


def _page_number_field(paragraph) -> None:
    def field(instr: str) -> None:
        run = paragraph.add_run()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = instr
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        run._r.append(begin)
        run._r.append(text)
        run._r.append(end)

    paragraph.add_run("Page ")
    field("PAGE")
    paragraph.add_run(" of ")
    field("NUMPAGES")


class _Writer:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.doc = Document()
        self.primary = _hex(report.council.primary_colour)
        self.level = 1  # the Word level of the section being written
        self._setup()

    # -- document set-up ------------------------------------------------
    def _setup(self) -> None:
        doc, report = self.doc, self.report
        normal = doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(10)
        rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attr), "Arial")
        for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11),
                           ("Heading 4", 10.5)):
            style = doc.styles[name]
            style.font.name = "Arial"
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor.from_string(
                "0B0C0C" if name in ("Title", "Heading 3", "Heading 4") else self.primary)
        _set_lang(doc)
        section = doc.sections[0]
        if report.kind == "quarterly":
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(16))
        section.top_margin = section.bottom_margin = Mm(16)
        header = section.header.paragraphs[0]
        header.text = f"{report.council.council_name} · {report.status_text}"
        header.runs[0].font.size = Pt(8)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number_field(footer)
        for run in footer.runs:
            run.font.size = Pt(8)
        props = doc.core_properties
        props.title = report.title
        props.subject = report.subtitle
        props.author = report.council.author
        props.language = "en-GB"
        props.keywords = "children's social care; performance"
        stamp = report.computed_at or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        props.created = props.modified = stamp.replace(tzinfo=None)
        props.last_modified_by = report.council.author
        props.revision = 1

    @property
    def usable_width(self):
        s = self.doc.sections[0]
        return s.page_width - s.left_margin - s.right_margin

    # -- blocks -----------------------------------------------------------
    def cover(self) -> None:
        doc, report = self.doc, self.report
        if report.council.logo_data and report.council.logo_mime in ("image/png", "image/jpeg"):
            run = doc.add_paragraph().add_run()
            pic = run.add_picture(io.BytesIO(report.council.logo_data), height=Mm(15))
            pic._inline.docPr.set("descr", f"{report.council.council_name} logo")
        p = doc.add_paragraph()
        r = p.add_run(report.council.council_name)
        r.bold = True
        r.font.size = Pt(14)
        p.add_run("\n" + report.council.service_name)
        status = doc.add_paragraph()
        srun = status.add_run(report.status_text)
        srun.bold = True
        if report.draft:
            srun.font.highlight_color = 7  # yellow
        doc.add_paragraph(report.title, style="Title")
        doc.add_paragraph(report.subtitle)
        meta = [("Council", report.council.council_name + (f" (LA {report.la_code})" if report.la_code else "")),
                ("Period", report.period_name), ("Prepared by", report.council.author)]
        if report.council.contact:
            meta.append(("Contact", report.council.contact))
        if report.computed_at:
            meta.append(("Figures calculated", long_date(report.computed_at.date())))
        if report.frozen:
            meta.append(("Figures", report.frozen[:1].upper() + report.frozen[1:]))
        for k, v in meta:
            para = doc.add_paragraph()
            para.add_run(f"{k}: ").bold = True
            para.add_run(v)
            para.paragraph_format.space_after = Pt(0)
        doc.add_heading("Contents", level=1)
        for section in report.sections:
            para = doc.add_paragraph(section.heading)
            para.paragraph_format.space_after = Pt(0)
            if section.level > 1:  # a part's sections indented under the part, as in the PDF's contents
                para.paragraph_format.left_indent = Mm(6 * (section.level - 1))

    def section(self, section) -> None:
        if not getattr(self.report, "sections_flow", False):  # short plan documents flow on
            self.doc.add_page_break()
        self.doc.add_heading(section.heading, level=section.level)
        self.level = section.level
        for block in section.blocks:
            self.block(block)

    def _sub(self, depth: int) -> int:
        """The Word level ``depth`` below the current section's heading (Word stops at 9)."""
        return min(9, self.level + depth)

    def block(self, block) -> None:
        doc = self.doc
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=self._sub(1 if block.level <= 3 else 2))
        elif isinstance(block, Para):
            p = doc.add_paragraph()
            run = p.add_run(block.text)
            if block.css == "caveat":
                run.bold = run.italic = True
            if block.css == "small":
                run.font.size = Pt(8.5)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Findings):
            for f in block.items:
                p = doc.add_paragraph(style="List Bullet")
                label = p.add_run(_MARK_PREFIX.get(f.judgement, "") + f.label)
                label.bold = True
                fill = _FILL.get(f"mark-{f.judgement}")
                if fill:
                    label.font.color.rgb = RGBColor.from_string(fill[0])
                p.add_run(": " + f.text)
        elif isinstance(block, Notice):
            p = doc.add_paragraph()
            p.add_run(block.text).bold = True
        elif isinstance(block, CommentaryBlock):
            doc.add_heading(block.title, level=self._sub(2))
            if block.missing:
                p = doc.add_paragraph()
                if self.report.draft:
                    flag = p.add_run("Missing commentary. ")
                    flag.bold = True
                    flag.font.highlight_color = 7
                    p.add_run(block.missing_text).font.highlight_color = 7
                else:
                    p.add_run(block.missing_text).italic = True
            for kind, content in block.blocks:
                if kind == "ul":
                    for item in content:
                        doc.add_paragraph(item, style="List Bullet")
                else:
                    doc.add_paragraph(content)
        elif isinstance(block, Chart):
            cap = doc.add_paragraph(block.title, style="Caption")
            cap.paragraph_format.keep_with_next = True
            run = doc.add_paragraph().add_run()
            pic = run.add_picture(io.BytesIO(block.png), width=min(self.usable_width, Mm(165)))
            doc_pr = pic._inline.docPr
            doc_pr.set("descr", block.alt)
            doc_pr.set("title", block.title)
            self.table(block.table)
        elif isinstance(block, Table):
            self.table(block)

    def table(self, table: Table) -> None:
        doc = self.doc
        cap = doc.add_paragraph(table.caption, style="Caption")
        cap.paragraph_format.keep_with_next = True
        t = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
        t.style = doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.LEFT
        t.autofit = False
        tbl_pr = t._tbl.tblPr
        caption = OxmlElement("w:tblCaption")
        caption.set(qn("w:val"), table.caption[:250])
        tbl_pr.append(caption)
        widths = None
        if table.widths and len(table.widths) == len(table.columns):
            total = sum(table.widths)
            scale = 0.6 if table.css in ("chartdata", "key") else 1.0
            widths = [int(self.usable_width * scale * w / total) for w in table.widths]
        rows = t.rows
        head = rows[0]
        tr_pr = head._tr.get_or_add_trPr()
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        tr_pr.append(marker)
        for i, (cell, text) in enumerate(zip(head.cells, table.columns, strict=True)):
            self._cell(cell, Cell(text), header=True)
            _shade(cell, self.primary)
            if widths:
                cell.width = widths[i]
        for row, values in zip(rows[1:], table.rows, strict=True):
            cant = OxmlElement("w:cantSplit")
            row._tr.get_or_add_trPr().append(cant)
            for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                self._cell(cell, value)
                if widths:
                    cell.width = widths[i]
        for note in table.notes:
            p = doc.add_paragraph()
            p.add_run(note).font.size = Pt(8)

    def _cell(self, cell, value: Cell, header: bool = False) -> None:
        p = cell.paragraphs[0]
        run = p.add_run(value.text)
        run.font.size = Pt(8)
        if header:
            run.bold = True
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            return
        if value.row_header and value.css == "total":
            run.bold = True
        if value.numeric:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for css in value.css.split():
            if css in _FILL:
                fill, text = _FILL[css]
                _shade(cell, fill)
                run.font.color.rgb = RGBColor.from_string(text)
                run.bold = True
        if "mark-better" in value.css or "mark-worse" in value.css:
            run.text = _MARK_PREFIX["better" if "better" in value.css else "worse"] + value.text


def render_docx(report: Report, out: Path | str | None = None) -> bytes:
    writer = _Writer(report)
    writer.cover()
    for section in report.sections:
        writer.section(section)
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    data = buffer.getvalue()
    if out is not None:
        Path(out).write_bytes(data)
    return data

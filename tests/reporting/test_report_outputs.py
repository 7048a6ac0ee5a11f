"""The reports for a synthetic council, end to end: synth -> ingest -> results -> reports.

One small council (population 12,000, so its areas have small numbers) is
generated, ingested into the test database and computed once for the session
(the ``synthetic_council`` fixture in tests/conftest.py), which also writes
the annual and quarterly reports in every format, in draft and publication
mode.  The tests then read the files:

* every figure cell in the HTML equals the stored result named by its data-* attributes;
* the PDF is tagged, has the expected pages and none is blank (pdftoppm);
* the Word file has real headings, tables with repeating header rows, and
  alternative text on every chart;
* publication mode: no count of 1-5 appears in any table or finding.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.rating.direction import change
from csc_scorecard.rating.numbers import format_number


@pytest.fixture(scope="module")
def council(synthetic_council):
    """The session's synthetic council (tests/conftest.py): its reports and stored results."""
    stored = synthetic_council.stored.filter(pl.col("breakdown").is_in(["all", "area"]))
    return {"files": synthetic_council.reports, "stored": stored,
            "final": synthetic_council.final_quarterly}


# --------------------------------------------------------------------------
# HTML parsing
# --------------------------------------------------------------------------


class _Cells(HTMLParser):
    """Collects table cells (with their data-* attributes), headings and findings."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self.headings: list[tuple[str, str]] = []
        self.findings: list[str] = []
        self.imgs: list[dict] = []
        self._stack: list[tuple[str, dict, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.imgs.append(attrs)
        if tag in ("td", "th", "h1", "h2", "h3", "h4") or (tag == "li" and "finding" in attrs.get("class", "")):
            self._stack.append((tag, attrs, []))

    def handle_data(self, data):
        for _, _, parts in self._stack:
            parts.append(data)

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1][0] == tag:
            t, attrs, parts = self._stack.pop()
            text = "".join(parts).strip()
            if t in ("td", "th"):
                self.cells.append({"tag": t, "text": text, **attrs})
            elif t == "li":
                self.findings.append(text)
            else:
                self.headings.append((t, text))


def parse(path: Path) -> _Cells:
    p = _Cells()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").replace(" days", "").replace("−", "-")
                 .replace("pp", "").replace("+", ""))


def _lookup(stored: pl.DataFrame) -> dict[tuple[str, str, str], dict]:
    out = {}
    for r in stored.iter_rows(named=True):
        area = "all" if r["breakdown"] == "all" else r["breakdown_value"]
        out[(r["indicator_id"], r["period"], area)] = r
    return out


def _check_cells(cells: list[dict], stored: pl.DataFrame, publication: bool) -> int:
    """Every figure cell equals its stored result; returns how many were checked."""
    cat = get_catalogue()
    index = _lookup(stored)
    checked = 0
    for c in cells:
        ind, field = c.get("data-indicator"), c.get("data-field")
        if not ind or c.get("data-area") == "benchmark" or field == "target":
            continue
        e = cat[ind]
        key = (ind, c["data-period"], c["data-area"])
        row = index.get(key)
        text = c["text"]
        if row is None:
            assert text == "–", (key, text)
            continue
        if text == "c":
            assert publication, key
            checked += 1
            continue
        if field == "value":
            expected = format_number(row["value"], e.decimals)
            assert (text == "–" and not expected) or _number(text) == float(expected), (key, text, row)
        elif field in ("numerator", "denominator"):
            assert _number(text) == pytest.approx(row[field]), (key, field, text, row)
        elif field == "num_den":
            num, den = text.split("/")
            assert _number(num) == pytest.approx(row["numerator"]), (key, text, row)
            assert den == "–" or _number(den) == pytest.approx(row["denominator"]), (key, text, row)
        elif field == "change":
            prev = index.get((ind, _previous(c["data-period"]), c["data-area"]))
            amount = None if prev is None else change(row["value"], prev["value"], e.unit, decimals=e.decimals)
            if amount is None or text == "–":
                assert text == "–" and (amount is None or publication), (key, text, amount)
            else:
                places = e.decimals if e.unit == "percent" else 1
                assert _number(text) == float(format_number(amount, places)), (key, text, amount)
        else:
            raise AssertionError(f"unexpected field {field}")
        checked += 1
    return checked


def _previous(period: str) -> str:
    from csc_scorecard.periods import parse_period

    return parse_period(period).previous_comparable().label


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["annual", "quarterly"])
def test_every_html_figure_equals_the_stored_result(council, kind):
    html = council["files"][(kind, False)].paths["html"]
    parsed = parse(html)
    checked = _check_cells(parsed.cells, council["stored"], publication=False)
    assert checked > (400 if kind == "annual" else 80)
    assert not any(c["text"] == "c" for c in parsed.cells)


def test_annual_html_shape(council):
    parsed = parse(council["files"][("annual", False)].paths["html"])
    h2 = [t for tag, t in parsed.headings if tag == "h2"]
    for title in ("1. Introduction", "2. Summary of key findings",
                  "3. Contacts, referrals and assessments", "4. Child protection",
                  "5. Children in need", "6. Children looked after", "7. Care leavers",
                  "8. Workforce"):
        assert title in h2
    h3 = [t for tag, t in parsed.headings if tag == "h3"]
    assert "3.1 Indicator summary" in h3
    # findings carry their judgement in words
    assert any(f.startswith(("▲", "Better than last year")) or "Better than last year" in f
               for f in parsed.findings)
    assert any("Context (not judged)" in f for f in parsed.findings)
    # every chart has alternative text, and a data table follows it
    charts = [i for i in parsed.imgs if i.get("src", "").startswith("data:image/svg+xml")]
    assert charts and all(len(i.get("alt", "")) > 40 for i in charts)
    text = council["files"][("annual", False)].paths["html"].read_text()
    assert text.count("Data for the chart:") == len(charts)
    # draft mode flags missing commentary rather than leaving it blank
    assert 'data-missing-commentary="true"' in text and "Missing commentary." in text


def test_area_tables_show_each_areas_rate_and_its_population(council):
    """The synthetic council writes its areas' populations (12,000 children x 0.28 = 3,360 in
    North): the referrals area table has each area's rate per 10,000 and says what it divides by."""
    stored = council["stored"].filter(
        (pl.col("indicator_id") == "referrals_rate_per_10k") & (pl.col("period") == "2024-25")
        & (pl.col("breakdown") == "area")
    )
    north = stored.filter(pl.col("breakdown_value") == "North").row(0, named=True)
    assert north["denominator"] == 3360
    assert north["value"] == round(north["numerator"] * 10_000 / 3360, 1)
    disability = stored.filter(pl.col("breakdown_value") == "Disability").row(0, named=True)
    assert disability["value"] is None and disability["denominator"] is None  # county-wide team
    parsed = parse(council["files"][("annual", False)].paths["html"])
    rate_cells = [c for c in parsed.cells if c.get("data-indicator") == "referrals_rate_per_10k"
                  and c.get("data-area") == "North" and c.get("data-period") == "2024-25"]
    assert [c["text"] for c in rate_cells] == [format_number(north["value"], 1)]
    text = council["files"][("annual", False)].paths["html"].read_text(encoding="utf-8")
    # in the table's order (areas alphabetically)
    assert "East 2,880, North 3,360, South 3,120, West 2,640 (area populations extract: synthetic" in text
    assert "no population known, so no rate: Disability, Other" in text


def test_key_finding_sentence_uses_the_stored_figures(council):
    stored = _lookup(council["stored"])
    cur = stored[("referrals_count", "2024-25", "all")]["value"]
    prev = stored[("referrals_count", "2023-24", "all")]["value"]
    rate_cur = stored[("referrals_rate_per_10k", "2024-25", "all")]["value"]
    parsed = parse(council["files"][("annual", False)].paths["html"])
    sentence = next(f for f in parsed.findings if "The number of referrals" in f)
    pct = format_number(abs(change(cur, prev, "count")), 1)
    word = "increased" if cur > prev else "decreased"
    assert f"has {word} by {pct}% on 2023-24, from {int(prev):,} to {int(cur):,}" in sentence
    assert f"{rate_cur:.1f}." in sentence


def test_quarterly_html_shape(council):
    path = council["files"][("quarterly", False)].paths["html"]
    parsed = parse(path)
    h2 = [t for tag, t in parsed.headings if tag == "h2"]
    assert "2. Key to ratings and direction of travel" in h2
    assert "3. High-level summary by priority" in h2
    assert any(t.startswith("Exceptions") or "Exceptions" in t for t in h2)
    h4 = [t for tag, t in parsed.headings if tag == "h4"]
    assert "Areas of success / what is working well" in h4
    assert "Areas of concern / what are we worried about" in h4
    assert "Focus for next quarter / what needs to happen" in h4
    texts = [c["text"] for c in parsed.cells]
    # ratings carry the letter and the word, never colour alone
    for rating in ("G Green", "A Amber", "R Red", "B Blue"):
        assert rating in texts
    rated = [c for c in parsed.cells if "rag-" in c.get("class", "") and "rag-none" not in c.get("class", "")]
    assert all(re.fullmatch(r"[GARB] (Green|Amber|Red|Blue)", c["text"]) for c in rated)
    # the exceptions section lists every indicator rated Red or Amber in the KPI tables
    report = council["files"][("quarterly", False)].report
    flagged = set()
    for section in report.sections:
        if not section.id.startswith("priority-"):
            continue
        for table in (b for b in section.blocks if b.type == "table"):
            for row in table.rows:
                if any(c.css in ("rag rag-R", "rag rag-A") for c in row):
                    flagged.add(row[1].source["indicator"])
    assert flagged, "the test targets should give some Red or Amber ratings"
    exceptions = path.read_text().split('id="exceptions"')[1]
    for ind in flagged:
        assert f'data-indicator="{ind}"' in exceptions
        assert f'id="exception-{ind}"' in exceptions


def test_final_mode_does_not_flag_but_says_no_commentary(council):
    text = council["final"].paths["html"].read_text()
    assert "Missing commentary." not in text
    assert "No commentary was provided." in text
    assert "Final" in text


# --------------------------------------------------------------------------
# Publication mode
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["annual", "quarterly"])
def test_publication_mode_shows_no_count_of_one_to_five(council, kind):
    files = council["files"][(kind, True)]
    parsed = parse(files.paths["html"])
    assert any(c["text"] == "c" for c in parsed.cells), "the small council should need suppression"
    _check_cells(parsed.cells, council["stored"], publication=True)
    small = re.compile(r"^[1-5]$")
    for c in parsed.cells:
        if c.get("data-field") in ("value", "numerator", "denominator"):
            assert not small.match(c["text"].replace(",", "")), c
        if c.get("data-field") == "num_den":
            assert not any(small.match(part) for part in c["text"].split("/")), c
    # no finding states a small count: "from 3 to 7", "was 4"
    for sentence in parsed.findings:
        for number in re.findall(r"(?<![\d.,])(\d+)(?![\d.,%])(?! percentage| days| March)", sentence):
            if "The number of" in sentence:
                assert not (1 <= int(number) <= 5), sentence
    # and Word: no table cell holding a bare count of 1-5
    from docx import Document

    doc = Document(str(files.paths["docx"]))
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        if header and header[0] in ("Rating", "Direction"):
            continue
        for row in table.rows[1:]:
            for cell in row.cells[1:]:
                text = cell.text.replace(",", "")
                assert not small.match(text) and not re.match(r"^[1-5]/", text), (header, text)


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
@pytest.mark.parametrize("kind", ["annual", "quarterly"])
def test_pdf_pages_are_tagged_and_none_is_blank(council, kind, tmp_path):
    from PIL import Image, ImageStat

    pdf = council["files"][(kind, False)].paths["pdf"]
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M), info  # PDF/UA: tagged structure
    assert council["files"][(kind, False)].report.title in info
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert (25 if kind == "annual" else 10) <= len(pages) <= (80 if kind == "annual" else 40)
    for page in pages:
        image = Image.open(page).convert("L")
        dark = sum(image.histogram()[:200])
        assert dark > 150, f"{page.name} looks blank"
        assert ImageStat.Stat(image).stddev[0] > 5


# --------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["annual", "quarterly"])
def test_docx_headings_tables_and_alt_text(council, kind):
    from docx import Document
    from docx.oxml.ns import qn

    files = council["files"][(kind, False)]
    doc = Document(str(files.paths["docx"]))
    styles = [p.style.name for p in doc.paragraphs]
    assert styles.count("Title") == 1
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(h1) == len(files.report.sections) + 1  # + Contents
    assert "Heading 2" in styles
    assert len(doc.tables) == len(files.report.tables())
    for table in doc.tables:
        head = table.rows[0]._tr
        marker = head.find(qn("w:trPr")).find(qn("w:tblHeader"))
        assert marker is not None and marker.get(qn("w:val")) == "true"
        assert all(c.text for c in table.rows[0].cells)
    if kind == "annual":
        shapes = doc.inline_shapes
        assert len(shapes) == sum(1 for s in files.report.sections for b in s.blocks if b.type == "chart")
        assert all(len(s._inline.docPr.get("descr") or "") > 40 for s in shapes)
    assert doc.core_properties.title == files.report.title

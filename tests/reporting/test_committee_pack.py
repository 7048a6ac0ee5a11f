"""The committee pack, tracker and work-programme documents for a meeting the test sets up.

The pack is checked from its files: the PDF's page count, the contents entries
against the headings, the page number beside each contents entry against the
page where that heading is printed (``pdftotext -f N -l N``), the footer's
"Page N of M" on every page, and every part present.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from csc_scorecard.plans import models as pm
from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.reporting.config import ReportConfig
from csc_scorecard.results.models import IndicatorValue
from csc_scorecard.scrutiny import models as sm

pytestmark = pytest.mark.django_db
D = dt.date
NOW = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
CONFIG = ReportConfig(council_name="Anyshire")
MEETING = D(2025, 5, 16)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture
def meeting():
    from csc_scorecard.services.plans import import_plan_file

    import_plan_file(DEMO_PLAN)
    plan = pm.Plan.objects.get()
    # Q4 2024-25 against Q4 2023-24: 85.0% -> 70.0% (higher is better): deteriorated
    for period, num in (("2024-25-Q4", 70), ("2023-24-Q4", 85)):
        IndicatorValue.objects.create(indicator_id="assessments_45wd_pct", period=period, la_code="999",
                                      numerator=num, denominator=100, value=float(num), computed_at=NOW)
    c = sm.Committee.objects.create(slug="cf", name="Children and Families Scrutiny Committee")
    earlier = sm.Meeting.objects.create(committee=c, date=D(2025, 1, 17))
    sm.Meeting.objects.create(committee=c, date=D(2025, 3, 14))
    this = sm.Meeting.objects.create(committee=c, date=MEETING, location="County Hall")
    sm.Meeting.objects.create(committee=c, date=D(2025, 7, 18))
    items = [
        ("Children's social care quarterly performance report", "performance_report", dict(
            report_kind="quarterly", period="2024-25-Q4", lead_officer="Head of Performance")),
        ("Scrutiny work programme and outcome tracker", "other", dict(lead_officer="Scrutiny Manager")),
        ("Programme 1 highlight report", "highlight_report", dict(
            programme=plan.programmes.get(number=1), period="2024-25-Q4")),
        ("Improvement plan summary", "plan_summary", dict(plan=plan, period="2024-25-Q4")),
        ("Young carers update", "other", dict(lead_member="Cllr Example")),
    ]
    for order, (title, paper, extra) in enumerate(items, start=1):
        sm.WorkProgrammeItem.objects.create(meeting=this, order=order, title=title, paper_type=paper, **extra)
    # agreed 17 January 2025, no update: 3 months reached 17 April 2025 -> Incomplete at the meeting
    sm.TrackerItem.objects.create(meeting=earlier, number=1, agenda_item="Fostering",
                                  action_owner="Head of Service", agreed_outcome="Circulate the fee scheme")
    # completed 1 March 2025: shown at the next meeting (14 March), not at 16 May
    sm.TrackerItem.objects.create(meeting=earlier, number=2, agenda_item="Data handling",
                                  agreed_outcome="Report back", completed_on=D(2025, 3, 1))
    # due 30 June 2025, not passed at the meeting -> Pending
    sm.TrackerItem.objects.create(meeting=earlier, number=3, agenda_item="Exam results",
                                  agreed_outcome="Final results to the committee", due_date=D(2025, 6, 30))
    return this


def test_tracker_document_statuses_in_words(meeting):
    from csc_scorecard.reporting.committee.scrutiny_docs import build_tracker

    report = build_tracker(meeting)
    table = next(b for b in report.sections[0].blocks if b.type == "table")
    rows = {r[0].text: (r[4].text, r[4].css) for r in table.rows}
    assert rows == {"Fostering": ("Incomplete", "rag-R"), "Exam results": ("Pending", "rag-A")}
    key = next(b for b in report.sections[1].blocks if b.type == "table")
    assert [r[0].text for r in key.rows] == ["Completed", "Pending", "Incomplete"]
    assert key.rows[2][1].text.startswith("No action currently in place with a minimum of 3 months")
    march = sm.Meeting.objects.get(date=D(2025, 3, 14))
    rows = {r[0].text: r[4].text for r in next(
        b for b in build_tracker(march).sections[0].blocks if b.type == "table").rows}
    assert rows["Data handling"] == "Completed"


def test_without_an_agenda_item_for_them_the_tracker_and_work_programme_come_first(meeting):
    from csc_scorecard.reporting.committee.pack import build_pack

    july = sm.Meeting.objects.get(date=D(2025, 7, 18))
    sm.WorkProgrammeItem.objects.create(meeting=july, order=1, title="Family support", paper_type="other")
    pack = build_pack(july, config=CONFIG)
    assert [p.heading for p in pack.parts] == ["1. Outcome tracker", "2. Work programme", "3. Family support"]
    assert pack.parts[2].report.sections[0].blocks[1].text == "The paper for this item is presented at the meeting."


def test_work_programme_document(meeting):
    from csc_scorecard.reporting.committee.scrutiny_docs import build_work_programme

    report = build_work_programme("cf")
    headings = [b.text for b in report.sections[0].blocks if b.type == "heading"]
    assert headings == ["17 January 2025", "14 March 2025", "16 May 2025", "18 July 2025"]
    table = next(b for b in report.sections[0].blocks if b.type == "table")
    assert [r[0].text for r in table.rows][0] == "1. Children's social care quarterly performance report"
    assert table.rows[0][1].text == "Performance report (quarterly, 2024-25-Q4)"
    assert table.rows[4][3].text == "Cllr Example"


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.contents: list[tuple[str, str]] = []  # (href, text)
        self.headings: dict[str, str] = {}  # id -> text
        self._in_nav = False
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav":
            self._in_nav = True
        if (tag == "a" and self._in_nav) or (tag in ("h2", "h3") and a.get("id")):
            self._open = (tag, a.get("href", "") if tag == "a" else a["id"])
            self._text = []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False
        if self._open and tag == self._open[0]:
            text = "".join(self._text).strip()
            if tag == "a":
                self.contents.append((self._open[1], text))
            else:
                self.headings[self._open[1]] = text
            self._open = None


def _page_text(pdf, n: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout


@needs_poppler
def test_committee_pack(meeting, tmp_path):
    from csc_scorecard.services.committee_docs import write_committee_pack

    paths = write_committee_pack(MEETING, tmp_path, config=CONFIG, benchmarks_provider=lambda p: None)
    parser = _Html()
    parser.feed(paths["html"].read_text(encoding="utf-8"))
    # every contents entry links to a heading with exactly its text
    assert len(parser.contents) > 20
    for href, text in parser.contents:
        assert parser.headings.get(href.lstrip("#")) == text, (href, text)
    parts = [t for h, t in parser.contents if re.fullmatch(r"#part-\d+-heading", h)]
    # every part present, in agenda order: cover + report, the committee's papers at their own
    # agenda item (tracker, work programme), highlight, summary, other
    assert parts == ["1. Children's social care quarterly performance report: cover report",
                     "2. Children's social care quarterly performance report",
                     "3. Scrutiny work programme and outcome tracker: outcome tracker",
                     "4. Scrutiny work programme and outcome tracker: work programme",
                     "5. Programme 1 highlight report", "6. Improvement plan summary", "7. Young carers update"]

    info = subprocess.run(["pdfinfo", str(paths["pdf"])], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 15 <= pages <= 80
    texts = [_page_text(paths["pdf"], n) for n in range(1, pages + 1)]
    # continuous page numbers: the footer of page n says "Page n of <pages>"
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {pages}" in text, n
    # the contents' page numbers: each part heading is printed on the page its entry names
    contents = "\n".join(t for t in texts[:4])
    for heading in parts:
        found = re.search(re.escape(heading) + r"[ .]*?(\d+)\s*$", contents, re.M)
        assert found, heading
        page = int(found.group(1))
        assert heading in texts[page - 1].replace("\n", " "), (heading, page)
        assert all(heading not in t for t in texts[4:page - 1]), heading  # not printed earlier
    # the cover report's deteriorating indicator and the tracker's statuses in words are in the pack
    whole = "\n".join(texts)
    assert "85.0%" in whole and "70.0%" in whole
    assert "Incomplete" in whole and "Pending" in whole

    from docx import Document

    doc = Document(str(paths["docx"]))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert all(p in h1 for p in parts)


def test_an_agenda_item_missing_what_it_needs_is_refused_by_name(meeting):
    from csc_scorecard.reporting.committee.pack import build_pack
    from csc_scorecard.reporting.values import ReportError

    july = sm.Meeting.objects.get(date=D(2025, 7, 18))
    sm.WorkProgrammeItem.objects.create(meeting=july, order=1, title="Annual report", paper_type="performance_report",
                                        report_kind="annual")  # no period
    with pytest.raises(ReportError, match=r"agenda item 1 \(Annual report\) is a performance report with no"):
        build_pack(july, config=CONFIG)
    sm.WorkProgrammeItem.objects.filter(meeting=july).update(period="2024-25-Q4")  # a quarter for an annual
    with pytest.raises(ReportError, match="this report needs a period like 2024-25"):
        build_pack(july, config=CONFIG)


def test_pack_docx_headings_nest_parts_over_sections(meeting):
    """Word headings follow the PDF's contents: parts Heading 1, their sections Heading 2, below that 3+."""
    import io

    from docx import Document

    from csc_scorecard.reporting.committee.pack import build_pack, pack_as_report
    from csc_scorecard.reporting.model import CommentaryBlock, Heading
    from csc_scorecard.reporting.render_docx import render_docx

    pack = build_pack(sm.Meeting.objects.get(date=MEETING), config=CONFIG, benchmarks_provider=lambda p: None)
    doc = Document(io.BytesIO(render_docx(pack_as_report(pack))))
    levels = [(int(p.style.name.split()[-1]), p.text) for p in doc.paragraphs
              if p.style.name.startswith("Heading ")]
    h1 = [t for lv, t in levels if lv == 1]
    assert h1 == ["Contents"] + [p.heading for p in pack.parts]
    # every section of every part is exactly one level below its part, in order
    at = {t: lv for lv, t in levels}
    section_headings = [s.heading for part in pack.parts for s in part.report.sections]
    assert len(section_headings) > 10
    for part in pack.parts:
        for s in part.report.sections:
            title = (f"{part.number}.{s.heading}" if s.number else f"{part.number}. {s.heading}")
            assert at[title] == 2, title
    # a section's own subheadings (the cover report's "4.n" indicators, commentary titles) sit below 2
    inner = {b.text: b.level for part in pack.parts for s in part.report.sections for b in s.blocks
             if isinstance(b, Heading)}
    inner_commentary = {b.title for part in pack.parts for s in part.report.sections for b in s.blocks
                        if isinstance(b, CommentaryBlock)}
    assert inner or inner_commentary
    for text, model_level in inner.items():
        assert at[text] == (3 if model_level <= 3 else 4), text
    for title in inner_commentary:
        assert at[title] >= 3, title
    # no heading level skipped on the way down (3 never straight after 1)
    previous = 0
    for lv, text in levels:
        assert lv <= previous + 1, text
        previous = lv

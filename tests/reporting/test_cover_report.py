"""The cover report: its counts equal an independent count over the same stored results, they
agree with the annual report it covers, and every figure in it equals the stored result."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser

import polars as pl
import pytest

from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.indicators.vocab import Polarity
from csc_scorecard.rating.numbers import format_number
from csc_scorecard.reporting.build import build_annual_report
from csc_scorecard.reporting.config import ReportConfig
from csc_scorecard.reporting.layout import load_sections
from csc_scorecard.reporting.models import Commentary
from csc_scorecard.results.models import IndicatorValue

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
CUR, PREV = "2024-25", "2023-24"
CONFIG = ReportConfig(council_name="Anyshire")

# (indicator, polarity, previous numerator/denominator, current numerator/denominator)
STORED = {
    # higher is better: 300/400 = 75.0% -> 340/400 = 85.0%, +10 points: improved
    "assessments_45wd_pct": ((300, 400), (340, 400)),
    # higher is better: 80/100 = 80.0% -> 70/100 = 70.0%, -10 points: deteriorated
    "s47_completed_10wd_pct": ((80, 100), (70, 100)),
    # higher is better: 180/200 = 90.0% -> 181/200 = 90.5%, inside the 1-point band: broadly the same
    "icpc_15wd_pct": ((180, 200), (181, 200)),
    # lower is better: 100/400 = 25.0% -> 80/400 = 20.0%: improved
    "rereferrals_12m_pct": ((100, 400), (80, 400)),
    # lower is better: 287/1000 = 28.7% -> 321/1000 = 32.1%: deteriorated
    "cla_20miles_pct": ((287, 1000), (321, 1000)),
    # lower is better, no figure for 2023-24: no baseline, not compared
    "cp_repeat_2yr_pct": (None, (12, 100)),
    # contextual: 4,229 -> 5,036 referrals, described but never judged
    "referrals_count": ((4229, None), (5036, None)),
}
# SN average and England for the two deteriorating indicators (figures we control)
BENCH = {"s47_completed_10wd_pct": (76.1, 79.1), "cla_20miles_pct": (19.4, 17.0)}


def _store(indicator: str, period: str, num: float, den: float | None) -> None:
    value = num if den is None else num / den * 100
    IndicatorValue.objects.create(indicator_id=indicator, period=period, la_code="999", numerator=num,
                                  denominator=den, value=value, computed_at=NOW)


def _benchmarks(period):
    return pl.DataFrame({"indicator_id": list(BENCH), "sn_average": [v[0] for v in BENCH.values()],
                         "england": [v[1] for v in BENCH.values()],
                         "benchmark_period": ["2023-24"] * len(BENCH)})


@pytest.fixture
def stored():
    for ind, (prev, cur) in STORED.items():
        if prev is not None:
            _store(ind, PREV, *prev)
        _store(ind, CUR, *cur)
    # a draft "working well" line must never reach the public table; the approved one must
    Commentary.objects.create(subject_kind="priority", subject_id="right_help", period=CUR,
                              kind="working_well", text="- Front door embedded", status="approved")
    Commentary.objects.create(subject_kind="priority", subject_id="right_help", period=CUR,
                              kind="next", text="- Draft idea not agreed", status="draft")
    Commentary.objects.create(subject_kind="indicator", subject_id="cla_20miles_pct", period=CUR,
                              kind="commentary", text="Placement sufficiency remains the issue.")
    Commentary.objects.create(subject_kind="report", subject_id="cover_summary", period=CUR,
                              kind="commentary", text="The summary written by the author.")
    from csc_scorecard.plans import models as m

    plan = m.Plan.objects.create(reference="cypp", title="CYPP")
    programme = m.Programme.objects.create(plan=plan, number=6, title="Social work service")
    objective = m.Objective.objects.create(programme=programme, letter="A", text="Sufficiency")
    m.Action.objects.create(objective=objective, number="i", text="Run the fostering recruitment campaign",
                            indicators=["cla_20miles_pct"], deadline=dt.date(2025, 1, 31), status="A")
    m.Action.objects.create(objective=objective, number="ii", text="Unrelated action",
                            indicators=["contacts_count"])


def _cover(**kw):
    from csc_scorecard.reporting.committee.cover import build_cover_report

    return build_cover_report("annual", CUR, config=CONFIG, benchmarks_provider=_benchmarks, **kw)


def _independent_count() -> dict:
    """Straight from the stored rows: contextual by the catalogue; comparable when both figures
    are stored; better when the value moved the way the polarity prefers by more than the band."""
    cat = get_catalogue()
    ids = [i.id for s in load_sections() for i in s.indicators]
    rows = {(r.indicator_id, r.period): r.value for r in IndicatorValue.objects.all()}
    out = {"indicators": len(ids), "contextual": 0, "comparable": 0, "improved": 0,
           "deteriorated": 0, "similar": 0, "no_comparison": 0}
    for ind in ids:
        if cat[ind].polarity == Polarity.CONTEXTUAL:
            out["contextual"] += 1
            continue
        cur, prev = rows.get((ind, CUR)), rows.get((ind, PREV))
        if cur is None or prev is None:
            out["no_comparison"] += 1
            continue
        out["comparable"] += 1
        diff = cur - prev
        if abs(diff) <= 1:  # every stored pair here is a percentage: the 1-point steady band
            out["similar"] += 1
        elif (diff > 0) == (cat[ind].polarity == Polarity.HIGHER_BETTER):
            out["improved"] += 1
        else:
            out["deteriorated"] += 1
    return out


def test_counts_equal_an_independent_count(stored):
    c = _cover().counts
    expected = _independent_count()
    assert {k: getattr(c, k) for k in expected} == expected
    # hand-worked: 5 comparable (2 improved, 2 deteriorated, 1 broadly the same); 2 of 5 = 40%
    assert (c.comparable, c.improved, c.deteriorated, c.similar) == (5, 2, 2, 1)
    assert c.improved_percent == 40
    # by polarity: higher is better 3 compared (1 up, 1 down, 1 same); lower 2 compared (1, 1)
    hb, lb = c.by_polarity["higher_better"], c.by_polarity["lower_better"]
    assert (hb.comparable, hb.improved, hb.deteriorated, hb.similar) == (3, 1, 1, 1)
    assert (lb.comparable, lb.improved, lb.deteriorated, lb.similar) == (2, 1, 1, 0)
    # cp_repeat_2yr_pct (no 2023-24 figure) is among lower-is-better's "no comparison"
    assert lb.no_comparison == lb.indicators - 2
    assert c.by_polarity["contextual"].comparable == 0
    assert c.contextual == c.by_polarity["contextual"].indicators


def test_counts_agree_with_the_annual_report(stored):
    annual = build_annual_report(CUR, config=CONFIG, benchmarks_provider=_benchmarks)
    marks = [row[-1].text for s in annual.sections for b in s.blocks
             if b.type == "table" and b.css == "summary" for row in b.rows]
    c = _cover().counts
    assert len(marks) == c.indicators
    assert marks.count("Better") == c.improved
    assert marks.count("Worse") == c.deteriorated
    assert marks.count("Similar") + marks.count("No change") == c.similar


def test_deteriorating_sections_and_sentence(stored):
    report = _cover()
    assert [j.indicator_id for j in report.deteriorated] == ["s47_completed_10wd_pct", "cla_20miles_pct"]
    background = next(s for s in report.sections if s.id == "background")
    lead = next(b.text for b in background.blocks if b.type == "para" and b.text.startswith("3.2 "))
    assert "There are 70 indicators included within the report." in lead
    assert "can be made against 5 of these indicators; of these 2 [40%] have shown an improvement" in lead
    assert "deteriorated against 2 and 1 is broadly the same" in lead
    det = next(s for s in report.sections if s.id == "deteriorating")
    texts = [getattr(b, "text", "") for b in det.blocks]
    cla = get_catalogue()["cla_20miles_pct"].title
    assert f"4.2 {cla}" in texts and "Children looked after" in texts
    finding = [b for b in det.blocks if b.type == "findings"][1].items[0]
    assert "from 28.7% at 31 March 2024 to 32.1% at 31 March 2025. This is worse" in finding.text
    actions = [b for b in det.blocks if b.type == "table" and b.id == "det-cla_20miles_pct-actions"][0]
    assert [r[0].text for r in actions.rows] == ["6(A)i"]  # the unrelated action is not shown
    # deadline 31 January 2025 passed by 31 March 2025 and the action is open: overdue, in words
    assert actions.rows[0][4].text.startswith("OVERDUE. Amber")
    summary = next(s for s in report.sections if s.id == "summary")
    assert [b.text for b in summary.blocks] == ["The summary written by the author."]
    missing = report.missing_commentary
    assert any(m.startswith("indicator s47_completed_10wd_pct (commentary) for 2024-25") for m in missing)
    assert any(m.startswith("report cover_recommendations") for m in missing)
    assert not any("cover_summary" in m or "cla_20miles_pct" in m for m in missing)


def test_achievements_and_priorities_use_approved_commentary_only(stored):
    report = _cover()
    ap = next(s for s in report.sections if s.id == "achievements")
    table = next(b for b in ap.blocks if b.type == "table" and b.id == "ap-right_help-table")
    achievements = [r[0].text for r in table.rows if r[0].text]
    priorities = [r[1].text for r in table.rows if r[1].text]
    assert achievements[0] == "Front door embedded"
    assert any(a.startswith("Assessments") and "75.0% in 2023-24 to 85.0% in 2024-25, better" in a
               for a in achievements)
    assert not any("Draft idea" in p for p in priorities)
    # rereferrals (lower is better) fell 25.0% -> 20.0%: an achievement of the same area
    assert any("25.0% in 2023-24 to 20.0% in 2024-25, better than last year" in a for a in achievements)
    harm = next(b for b in ap.blocks if b.type == "table" and b.id == "ap-protected_from_harm-table")
    assert [r[1].text for r in harm.rows][0].endswith("80.0% in 2023-24 to 70.0% in 2024-25, worse than last year")
    assert harm.rows[0][0].text == "Nothing recorded"
    looked_after = next(b for b in ap.blocks if b.type == "table" and b.id == "ap-looked_after_outcomes-table")
    assert [r[1].text for r in looked_after.rows][1] == (
        "Action 6(A)i is overdue (due 31 January 2025): Run the fostering recruitment campaign")


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "td":
            self._open = {**dict(attrs), "text": ""}

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._open is not None:
            self._open["text"] = self._open["text"].strip()
            self.cells.append(self._open)
            self._open = None


def test_every_figure_equals_the_stored_result(stored, tmp_path):
    from csc_scorecard.services.committee_docs import write_cover_report

    report, paths = write_cover_report("annual", CUR, tmp_path, config=CONFIG, benchmarks_provider=_benchmarks)
    parser = _Cells()
    parser.feed(paths["html"].read_text(encoding="utf-8"))
    cat = get_catalogue()
    figures = [c for c in parser.cells if c.get("data-indicator")]
    assert len(figures) == 2 * 4  # two deteriorating indicators: two figures and two benchmarks each
    for c in figures:
        ind, field = c["data-indicator"], c["data-field"]
        if c["data-area"] == "benchmark":
            sn, eng = BENCH[ind]
            assert c["text"] == f"{sn if field == 'sn_average' else eng:.1f}%"
            continue
        row = IndicatorValue.objects.get(indicator_id=ind, period=c["data-period"])
        assert c["text"] == format_number(row.value, cat[ind].decimals) + "%", (c, row.value)
    counts = {(c["data-count"], c["data-polarity"]): int(c["text"]) for c in parser.cells if c.get("data-count")}
    assert counts[("improved", "all")] == report.counts.improved == 2
    assert counts[("deteriorated", "lower_better")] == 1
    assert paths["docx"].exists()
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(paths["pdf"])], check=True, capture_output=True, text=True).stdout
        assert re.search(r"^Tagged:\s+yes", info, re.M)


def test_quarterly_counts_agree_with_the_quarterly_report():
    from csc_scorecard.reporting.build import build_quarterly_report
    from csc_scorecard.reporting.committee.cover import build_cover_report

    # Q2 2024-25 against Q2 2023-24: assessments 75.0% -> 85.0% (better), re-referrals 20.0% -> 25.0%
    # (lower is better: worse), referrals (contextual) 1,000 -> 1,200
    for ind, prev, cur in (("assessments_45wd_pct", (300, 400), (340, 400)),
                           ("rereferrals_12m_pct", (80, 400), (100, 400)),
                           ("referrals_count", (1000, None), (1200, None))):
        _store(ind, "2023-24-Q2", *prev)
        _store(ind, "2024-25-Q2", *cur)
    quarterly = build_quarterly_report("2024-25-Q2", config=CONFIG, benchmarks_provider=lambda p: None)
    rows = [row for s in quarterly.sections if s.id.startswith("priority-") for b in s.blocks
            if b.type == "table" for row in b.rows]
    cover = build_cover_report("quarterly", "2024-25-Q2", config=CONFIG, benchmarks_provider=lambda p: None)
    c = cover.counts
    assert c.indicators == len(rows)
    assert (c.comparable, c.improved, c.deteriorated, c.improved_percent) == (2, 1, 1, 50)
    assert [j.indicator_id for j in cover.deteriorated] == ["rereferrals_12m_pct"]
    directions = {row[0].text: row[5].text for row in rows}
    assert directions["Assessments completed within 45 working days"].endswith("improving")


def test_background_paragraphs_are_all_body_text(stored):
    """3.1, 3.2 and 3.3 are numbered paragraphs of one kind: same class in the HTML, so one size."""
    import re

    from csc_scorecard.reporting.render_html import render_html

    html = render_html(_cover())
    numbered = re.findall(r"<p( class=\"[^\"]*\")?>(3\.\d) ", html)
    assert [n for _, n in numbered][:2] == ["3.1", "3.2"]
    assert {cls for cls, _ in numbered} == {""}, numbered  # no class: the body size, like 3.1


def test_the_count_sentence_agrees_in_number():
    from csc_scorecard.reporting.committee.cover import _there_are

    assert _there_are(1, "indicator") == "There is 1 indicator"
    assert _there_are(0, "indicator") == "There are 0 indicators"
    assert _there_are(1070, "indicator") == "There are 1,070 indicators"

"""Highlight report and plan documents: figures equal the stored results, nil returns, DOCX and PDF shape."""

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from docx import Document

from csc_scorecard.plans import models as m
from csc_scorecard.plans.demo import DEMO_PLAN, DEMO_PLAN_TARGETS
from csc_scorecard.plans.highlight import NIL_RETURN, build_highlight, build_plan_summary
from csc_scorecard.rating.models import Target
from csc_scorecard.rating.targets import import_targets
from csc_scorecard.results.models import IndicatorValue
from csc_scorecard.services.plans import import_plan_file, write_plan_document

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 4, 2, tzinfo=dt.UTC)


def _store(indicator, period, numerator, denominator, value):
    IndicatorValue.objects.create(indicator_id=indicator, period=period, la_code="999", numerator=numerator,
                                  denominator=denominator, value=value, computed_at=NOW)


@pytest.fixture
def plan():
    import_plan_file(DEMO_PLAN)
    import_targets(DEMO_PLAN_TARGETS, user="")
    Target.objects.create(indicator_id="assessments_45wd_pct", year="2024-25", target=Decimal(90),
                          tolerance=Decimal(5))
    Target.objects.create(indicator_id="sw_caseload_avg", year="2024-25", target=Decimal(18),
                          tolerance=Decimal(2))
    # assessments: Q4 412/480 = 85.833% -> 85.8%; Q3 390/470 = 82.979% -> 83.0%
    _store("assessments_45wd_pct", "2024-25-Q4", 412, 480, 412 / 480 * 100)
    _store("assessments_45wd_pct", "2024-25-Q3", 390, 470, 390 / 470 * 100)
    # caseloads: Q4 1,974 cases / 96 FTE = 20.5625 -> 20.6; Q3 1,881 / 99 = 19.0
    _store("sw_caseload_avg", "2024-25-Q4", 1974, 96, 1974 / 96)
    _store("sw_caseload_avg", "2024-25-Q3", 1881, 99, 1881 / 99)
    return m.Plan.objects.get()


def _table_rows(report, section_id):
    section = next(s for s in report.sections if s.id == section_id)
    table = section.blocks[0]
    return {row[0].text: [c.text for c in row[1:]] for row in table.rows}, table


def test_outcome_measures_equal_the_stored_results(plan):
    programme = plan.programmes.get(number=3)
    report = build_highlight(programme, "2024-25-Q4", la_code="999")
    rows, table = _table_rows(report, "outcomes")
    assert table.columns == ["Outcome measure / performance indicator", "Target", "Current performance",
                             "Previous performance", "Direction of travel", "Rating"]
    # 85.8 is 4.2 points under the 90 target, inside the tolerance of 5 -> Amber;
    # up 2.8 points on Q3's 83.0 (more than the 1-point steady band), higher is better -> improving
    assert rows["Assessments completed within 45 working days"] == [
        "90.0%", "85.8% (412/480), Q4 2024-25", "83.0%, Q3 2024-25", "↑ improving", "Amber"]
    # 20.6 is 2.6 over the 18 target (lower is better), beyond tolerance 2 -> Red;
    # 19.0 -> 20.6 is +8.3% (beyond the 2% band) upwards on a lower-is-better measure -> declining
    assert rows["Average social worker caseload"] == [
        "18.0", "20.6, Q4 2024-25", "19.0, Q3 2024-25", "↑ declining", "Red"]
    # an indicator linked but with nothing stored says so, it is not invented
    assert rows["Initial conferences within 15 working days"][1].startswith("No figure")
    cell = table.rows[0][2]
    assert cell.source == {"indicator": "assessments_45wd_pct", "period": "2024-25-Q4", "field": "value"}


def test_local_measures_take_targets_rag_and_direction(plan):
    report = build_highlight(plan.programmes.get(number=1), "2024-25-Q4", la_code="999")
    rows, _ = _table_rows(report, "outcomes")
    # 38,975 visits against 36,000 (higher is better) -> Green; up 16.7% on 33,410 -> improving
    assert rows["Visits to the family information website (rolling 12 months) (local measure)"] == [
        "36,000", "38,975, Q4 2024-25", "33,410, Q3 2024-25", "↑ improving", "Green"]
    # 205 budgets against 220, tolerance 10 -> 15 short -> Red; +9.0% on 188 -> improving
    assert rows["Personal budgets taken up by families of disabled children (local measure)"][3:] == [
        "↑ improving", "Red"]


def test_sections_in_order_with_nil_returns_and_offered_entries(plan):
    report = build_highlight(plan.programmes.get(number=1), "2024-25-Q4", la_code="999")
    assert [s.heading for s in report.sections] == [
        "Programme", "1. Overall improvement programme status", "2. Progress since last highlight report",
        "3. Actions and outputs for the next period", "4. Most significant current risks",
        "5. Most significant current issues", "6. Variances", "7. Decisions required",
        "Outcome measures and performance indicators"]
    # programme 1 has no highlight text stored: every prose section says nil return
    for sid in ("next", "issues", "variances", "decisions"):
        section = next(s for s in report.sections if s.id == sid)
        assert [b.text for b in section.blocks] == [NIL_RETURN]
    progress = next(s for s in report.sections if s.id == "progress").blocks
    # slippage: 1(A)ii (due 31 Dec 2024, Amber) and 1(B)ii (due 30 Nov 2024, Red) are overdue on
    # 31 March 2025; 1(B)i is due by the end of March 2025 - on its last day, not overdue
    slippage = progress[3].items
    assert [re.match(r"Overdue: action (\S+)", s).group(1) for s in slippage] == ["1(A)ii", "1(B)ii"]
    assert "due by December 2024" in slippage[0]
    # programme 1's only risk scores 3 x 4 = 12: high (red), so it is offered
    risks = next(s for s in report.sections if s.id == "risks").blocks[0].items
    assert risks == ["Risk 1.1 (score 12, High (red)): Partners do not adopt the single early help "
                     "assessment. Mitigation: Partner champions in each agency; Monthly take-up dashboard"]


def test_author_text_comes_first_and_states_are_in_words(plan):
    report = build_highlight(plan.programmes.get(number=3), "2024-25-Q4", la_code="999")
    status = report.sections[1].blocks[0]
    assert [c.text for c in status.rows[0]] == ["Current status", "Amber: project requires attention"]
    assert [c.text for c in status.rows[1]] == ["Status trend", "→ progressing"]
    decisions = next(s for s in report.sections if s.id == "decisions").blocks[0].items
    assert decisions == ["That the Executive notes the risk on local placements and supports the "
                         "foster carer campaign."]


def test_plan_summary_counts(plan):
    report = build_plan_summary(plan, "2024-25-Q4")
    # 11 actions; 1 closed (1(A)i, status B); overdue on 31/03/2025: 1(A)ii, 1(B)ii, 3(A)i (Dec-24),
    # 3(A)ii (Jan-25) -> 4
    assert report.sections[0].blocks[0].text == "3 programmes, 11 actions: 1 complete, 4 overdue as at 31 March 2025."
    table = report.sections[-1].blocks[0]
    assert [[c.text for c in r] for r in table.rows][2][2:] == ["Amber: project requires attention",
                                                                 "→ progressing", "2"]


def test_documents_in_three_formats_docx_headings_and_header_rows(plan, tmp_path):
    paths = write_plan_document("highlight", tmp_path, programme=3, period="2024-25-Q4", la_code="999")
    html = paths["html"].read_text(encoding="utf-8")
    assert '<th scope="col">Current performance</th>' in html
    assert 'data-indicator="assessments_45wd_pct" data-period="2024-25-Q4" data-field="value">85.8% (412/480), Q4 2024-25' in html
    # programme 3: slippage has its overdue actions and risks its red risks offered, so only
    # issues and variances are empty
    assert html.count(f'<p class="nil">{NIL_RETURN}</p>') == 2
    doc = Document(paths["docx"])
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:] == ["Programme", "1. Overall improvement programme status",
                            "2. Progress since last highlight report",
                            "3. Actions and outputs for the next period", "4. Most significant current risks",
                            "5. Most significant current issues", "6. Variances", "7. Decisions required",
                            "Outcome measures and performance indicators"]
    subheads = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert subheads[:3] == ["Reason for current status", "Achievements", "Slippage (reasons and remedial actions)"]
    outcome = doc.tables[-1]
    assert [c.text for c in outcome.rows[0].cells][:3] == ["Outcome measure / performance indicator", "Target",
                                                           "Current performance"]
    for table in doc.tables:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "every table repeats its header row"
    for kind in ("plan-summary", "action-plan", "risks"):
        written = write_plan_document(kind, tmp_path, plan=plan.reference, period="2024-25-Q4",
                                      on=dt.date(2025, 3, 31))
        assert all(p.stat().st_size > 1000 for p in written.values())
    actions = Document(tmp_path / "action-plan-cypp-2023-26-draft.docx")
    first = actions.tables[1]
    assert [c.text for c in first.rows[0].cells] == ["No.", "Action", "Action owner", "Deadline for completion",
                                                     "What success looks like and KPI", "Outcome",
                                                     "Status and direction", "Latest progress"]
    assert first.rows[2].cells[6].text.startswith("OVERDUE. Amber: project requires attention")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_pdf_pages_render(plan, tmp_path):
    paths = write_plan_document("highlight", tmp_path, programme=3, period="2024-25-Q4", la_code="999")
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(paths["pdf"]), str(tmp_path / "page")], check=True)
    info = subprocess.run(["pdfinfo", str(paths["pdf"])], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M), info  # PDF/UA like the other reports
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 2 <= len(pages) <= 4  # sections run on: cover and contents, then about two pages
    from PIL import Image, ImageStat

    for page in pages:  # none blank: a blank page has no spread of grey levels
        assert ImageStat.Stat(Image.open(page).convert("L")).stddev[0] > 5, page.name


def test_demo_plan_documents_carry_the_stored_figures(tmp_path):
    from csc_scorecard.plans.demo import load_demo_plan

    # what the demo's recompute would have stored: care leavers in EET, Q4 8/17 = 47.06% -> 47.1%
    _store("care_leavers_eet_pct", "2024-25-Q4", 8, 17, 8 / 17 * 100)
    written = load_demo_plan(tmp_path, "2024-25-Q4", la_code="999")
    # highlight reports for programmes 1 and 3, the summary, action plan and risks: 5 x 3 formats
    assert len(written) == 15 and all(p.exists() for p in written)
    html = (tmp_path / "highlight-programme-3-2024-25-Q4-draft.html").read_text(encoding="utf-8")
    assert ('data-indicator="care_leavers_eet_pct" data-period="2024-25-Q4" data-field="value">'
            "47.1% (8/17), Q4 2024-25") in html


def test_quarterly_report_priority_shows_linked_programmes(plan):
    from csc_scorecard.periods import parse_period
    from csc_scorecard.plans.links import linked_programme_blocks

    # assessments_45wd_pct is linked by action 3(A)i and rereferrals_12m_pct by 1(B)i
    blocks = linked_programme_blocks(["assessments_45wd_pct", "rereferrals_12m_pct", "cin_open_count"],
                                     parse_period("2024-25-Q4"), "4.3 Improvement programmes", "programmes-x")
    heading, table = blocks
    assert heading.text == "4.3 Improvement programmes"
    rows = [[c.text for c in r] for r in table.rows]
    # programme 1 has no highlight report for Q4: not rated; overdue on 31/03/2025: 1(A)ii, 1(B)ii.
    # programme 3's Q4 report: Amber, progressing; overdue 3(A)i (Dec-24) and 3(A)ii (Jan-25)
    assert rows == [
        ["Children and Young People's Plan 2023-26: programme 1, Helping families to help themselves",
         "Not rated", "Not given", "2: 1(A)ii, 1(B)ii"],
        ["Children and Young People's Plan 2023-26: programme 3, Safe, stable homes and a strong social "
         "work service", "Amber: project requires attention", "→ progressing", "2: 3(A)i, 3(A)ii"]]
    assert linked_programme_blocks(["cin_open_count"], parse_period("2024-25-Q4"), "x", "y") == []


def test_report_commands_write_three_formats(plan, tmp_path):
    from click.testing import CliRunner

    from csc_scorecard.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["report", "action-plan", "--plan", plan.reference, "--as-at", "2024-12-01",
                                 "--out", str(tmp_path), "--final"])
    assert result.exit_code == 0, result.output
    doc = Document(tmp_path / "action-plan-cypp-2023-26.docx")
    statuses = [row.cells[6].text for t in doc.tables[1:] for row in t.rows[1:] if len(row.cells) == 8]
    # on 1 December 2024 only 1(B)ii (due 30 November 2024, Red) is overdue
    assert sum(s.startswith("OVERDUE") for s in statuses) == 1
    missing = runner.invoke(cli, ["report", "highlight", "--programme", "9", "--period", "2024-25-Q4",
                                  "--out", str(tmp_path)])
    assert missing.exit_code == 2 and "no programme 9" in missing.output

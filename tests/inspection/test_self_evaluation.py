"""Self-evaluations: a file with figure references, stored, rendered from stored results, exported."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from csc_scorecard.inspection.files import FileProblems, read_evaluation_file
from csc_scorecard.results.models import IndicatorValue
from csc_scorecard.services.inspection import (
    EvaluationError,
    export_self_evaluation,
    import_self_evaluation,
    render_self_evaluation,
    stored_evaluation,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2019, 4, 5, 9, 0, tzinfo=dt.UTC)


def store(indicator: str, period: str, num: float, den: float | None, value: float | None) -> None:
    IndicatorValue.objects.create(indicator_id=indicator, period=period, la_code="933",
                                  numerator=num, denominator=den, value=value, computed_at=NOW)


@pytest.fixture
def figures(settings):
    # sw_agency_pct: 15 of 100 FTE agency in March 2019, 26 of 100 in June 2018
    store("sw_agency_pct", "2019-03", 15, 100, 15.0)
    store("sw_agency_pct", "2018-06", 26, 100, 26.0)
    # assessments: 89 of 100 in 45 working days over Jan-Mar 2019
    store("assessments_45wd_pct", "R3-2019-03", 89, 100, 89.0)
    store("icpc_15wd_pct", "2019-03", 0, 0, None)  # no conferences: no value


def write(tmp_path, text: str):
    path = tmp_path / "selfeval.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """\
    title: Self evaluation April 2019
    period: 2019-03
    sections:
      - theme: Workforce
        title: Consolidating our permanent social work force
        recommendations: [R1, R2]
        evidence:
          - "Agency social workers: {sw_agency_pct | compare 2018-06}"
          - 35 new NQSWs employed in the last year
      - theme: Quality of practice
        title: Assessment and planning
        recommendations: [r5]
        evidence:
          - "Assessments in time: {assessments_45wd_pct | period R3-latest}"
    """


def test_store_render_and_export(tmp_path, figures):
    doc = import_self_evaluation(write(tmp_path, GOOD), la_code="933")
    assert doc.sections.count() == 2 and doc.history.count() == 1
    evaluation = stored_evaluation("Self evaluation April 2019")
    done, code, _ = render_self_evaluation(evaluation)
    assert code == "933"
    # 15.0 - 26.0 = 11.0 points down; lower is better, so better
    assert done.parts[0].bullets[0] == (
        "Agency social workers: 15.0% at 31 March 2019, down 11.0 percentage points from 26.0% "
        "at 30 June 2018, which is better")
    assert done.parts[0].bullets[1] == "35 new NQSWs employed in the last year"
    assert done.parts[1].bullets == ["Assessments in time: 89.0% over the last 3 months"]
    assert done.parts[1].part.recommendations == ["R5"]
    used = {(u.use.indicator_id, u.use.period, u.use.role) for u in done.figures}
    assert used == {("sw_agency_pct", "2019-03", "figure"), ("sw_agency_pct", "2018-06", "comparison"),
                    ("assessments_45wd_pct", "R3-2019-03", "figure")}
    files = export_self_evaluation(evaluation, tmp_path / "out")
    html = files["html"].read_text(encoding="utf-8")
    assert "down 11.0 percentage points" in html and "Glossary of measures" in html
    assert "Figures used" in html and "15/100" in html and "section 1 (Workforce), bullet 1" in html
    assert files["pdf"].read_bytes().startswith(b"%PDF")
    from docx import Document

    headings = [p.text for p in Document(str(files["docx"])).paragraphs
                if p.style.name.startswith("Heading 1")]
    assert headings[-4:] == ["Workforce", "Quality of practice", "Glossary of measures",
                             "Figures used"]


def test_broken_references_fail_with_their_places(tmp_path, figures):
    path = write(tmp_path, """\
        title: Broken
        sections:
          - theme: Workforce
            title: t
            evidence:
              - "fine {sw_agency_pct | period 2019-03}"
              - "not stored {sw_agency_pct | period 2017-03}"
              - "no value {icpc_15wd_pct | period 2019-03}"
        """)
    import_self_evaluation(path, la_code="933")
    with pytest.raises(EvaluationError) as caught:
        render_self_evaluation(stored_evaluation("Broken"))
    assert caught.value.problems == [
        "section 1 (Workforce), bullet 2: {sw_agency_pct | period 2017-03}: no stored figure for "
        "sw_agency_pct (Agency social workers) for 2017-03",
        "section 1 (Workforce), bullet 3: {icpc_15wd_pct | period 2019-03}: icpc_15wd_pct "
        "(Initial conferences within 15 working days) "
        "has no value for 2019-03 (its denominator is 0 or missing)",
    ]
    # nothing is written when a figure is missing
    with pytest.raises(EvaluationError):
        export_self_evaluation(stored_evaluation("Broken"), tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_missing_comparison_is_words_in_a_draft_and_refused_when_final(tmp_path, figures):
    path = write(tmp_path, """\
        title: Compare
        period: 2019-03
        sections:
          - theme: Workforce
            title: t
            evidence: ["{sw_agency_pct | compare 2017-06}"]
        """)
    import_self_evaluation(path, la_code="933")
    done, _, _ = render_self_evaluation(stored_evaluation("Compare"))
    assert done.parts[0].bullets == [
        "15.0% at 31 March 2019; there is no figure at 30 June 2017 to compare with"]
    with pytest.raises(EvaluationError, match="not allowed in a final document"):
        render_self_evaluation(stored_evaluation("Compare"), final=True)


def test_file_problems_are_located_and_nothing_is_stored(tmp_path):
    path = write(tmp_path, """\
        title: Bad
        period: 2019-13
        sections:
          - theme: Workforce
            evidence:
              - "{no_such_thing}"
              - "{sw_agency_pct | colour red}"
              - ""
        """)
    with pytest.raises(FileProblems) as caught:
        import_self_evaluation(path)
    problems = caught.value.problems
    assert problems[0].startswith("selfeval.yml, line 2: ")
    assert any(p.startswith("selfeval.yml, line 6: {no_such_thing}: indicator id") for p in problems)
    assert any(p.startswith("selfeval.yml, line 7: unknown modifier 'colour'") for p in problems)
    assert "selfeval.yml, line 8: an empty evidence bullet" in problems
    from csc_scorecard.inspection.models import SelfEvaluation

    assert SelfEvaluation.objects.count() == 0


def test_excel_template_reads_like_the_yaml(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "document"
    sheet.append(["field", "value"])
    sheet.append(["title", "From Excel"])
    ev = book.create_sheet("evidence")
    ev.append(["theme", "title", "recommendations", "evidence"])
    ev.append(["Workforce", "Permanent workforce", "R1, R2", "{sw_agency_pct}"])
    ev.append([None, None, None, "second bullet"])
    ev.append(["Early help", "Edge of care", "R7", "third {bad"])
    book.save(tmp_path / "se.xlsx")
    with pytest.raises(FileProblems) as caught:
        read_evaluation_file(tmp_path / "se.xlsx")
    assert caught.value.problems == [
        "se.xlsx, sheet evidence, row 4: a brace is not closed (write {{ or }} for a brace itself)"]
    ev["D4"] = "third"
    book.save(tmp_path / "se.xlsx")
    got = read_evaluation_file(tmp_path / "se.xlsx")
    assert [(p.theme, p.recommendations, [b.text for b in p.bullets]) for p in got.parts] == [
        ("Workforce", ["R1", "R2"], ["{sw_agency_pct}", "second bullet"]),
        ("Early help", ["R7"], ["third"])]


def test_check_command_prints_the_words_or_every_broken_place(tmp_path, figures):
    from click.testing import CliRunner

    from csc_scorecard.cli import cli

    good = write(tmp_path, GOOD)
    result = CliRunner().invoke(cli, ["self-evaluation", "check", str(good), "--la", "933"])
    assert result.exit_code == 0, result.output
    assert "  - Assessments in time: 89.0% over the last 3 months" in result.output
    bad = tmp_path / "bad.yml"
    bad.write_text(GOOD.replace("period R3-latest", "period R6-latest").replace("    ", "", 1)
                   .replace("\n    ", "\n"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["self-evaluation", "check", str(bad), "--la", "933"])
    assert result.exit_code == 2
    assert "bad.yml, line 14: {assessments_45wd_pct | period R6-latest}: no r6 figures are " \
           "stored for assessments_45wd_pct" in result.output


def test_rank_region_against_the_published_south_west(settings):
    # Somerset (933) in 2017-18: the shipped DfE figures for the 14 other South West councils
    # with a value are 16.7, 17.9, 18.0, 19.6, ... (d3 CP plans, subsequent plan); a stored
    # 17.0 has one lower figure (16.7): 2nd lowest of 15, as Somerset's self-evaluation said.
    from csc_scorecard.inspection.document import Bullet, Evaluation, Part

    store("cp_repeat_ever_pct", "2017-18", 17, 100, 17.0)
    ev = Evaluation("Rank", [Part("Practice", "t", [], [Bullet(
        "Second plans: {cp_repeat_ever_pct | period 2017-18 | rank region}", "here")])])
    done, _, _ = render_self_evaluation(ev, la_code="933")
    assert done.parts[0].bullets == [
        "Second plans: 17.0% in 2017-18, 2nd lowest of 15 councils in the South West, "
        "where lower is better"]

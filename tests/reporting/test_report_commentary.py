"""Commentary files (Markdown and YAML), the store, draft flagging; the reporting config; the CLI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from click.testing import CliRunner

from csc_scorecard import django_setup
from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.rating.targets import TargetSpec
from csc_scorecard.reporting.build import build_quarterly_report
from csc_scorecard.reporting.command import commentary as commentary_cli
from csc_scorecard.reporting.command import report as report_cli
from csc_scorecard.reporting.commentary import (
    CommentaryError,
    CommentaryStore,
    import_commentary,
    parse_commentary_file,
    text_blocks,
)
from csc_scorecard.reporting.config import ReportConfig, ReportConfigError, load_report_config
from csc_scorecard.reporting.render_html import render_html
from csc_scorecard.reporting.values import ReportError, ResultSet

YAML = """\
period: 2024-25-Q2
la: "981"
entries:
  - indicator: rereferrals_12m_pct
    text: |
      Re-referrals rose after the front door restructure.

      - Audit of closed cases under way
      - Early help offer relaunched
  - priority: right_help
    working_well: Contacts are screened within a day.
    worried: [Re-referrals, Assessment timeliness in the East]
    next: |
      - Recruit two team managers
"""

MARKDOWN = """\
---
period: 2024-25-Q2
---
# Quarter 2 commentary

## priority: protected_from_harm

### What is working well
Conferences are held on time.

### What are we worried about
- Repeat plans

### What needs to happen
- Review repeat plans with partners

## indicator: icpc_15wd_pct

Timeliness recovered after the summer.
"""


def test_yaml_and_markdown_parse(tmp_path):
    y = tmp_path / "c.yml"
    y.write_text(YAML)
    entries = parse_commentary_file(y)
    kinds = {(e.subject_kind, e.subject_id, e.kind) for e in entries}
    assert kinds == {("indicator", "rereferrals_12m_pct", "commentary"),
                     ("priority", "right_help", "working_well"),
                     ("priority", "right_help", "worried"),
                     ("priority", "right_help", "next")}
    assert all(e.period == "2024-25-Q2" and e.la_code == "981" for e in entries)
    worried = next(e for e in entries if e.kind == "worried")
    assert worried.text == "- Re-referrals\n- Assessment timeliness in the East"
    m = tmp_path / "c.md"
    m.write_text(MARKDOWN)
    md = {(e.subject_kind, e.subject_id, e.kind): e.text for e in parse_commentary_file(m)}
    assert md[("priority", "protected_from_harm", "working_well")] == "Conferences are held on time."
    assert md[("priority", "protected_from_harm", "next")] == "- Review repeat plans with partners"
    assert md[("indicator", "icpc_15wd_pct", "commentary")] == "Timeliness recovered after the summer."


def test_import_stores_and_replaces(db, tmp_path):
    from csc_scorecard.reporting.models import Commentary

    y = tmp_path / "c.yml"
    y.write_text(YAML)
    assert import_commentary(y, author="analyst") == (4, 0)
    assert import_commentary(y, author="analyst") == (0, 4)
    row = Commentary.objects.get(subject_id="rereferrals_12m_pct")
    assert row.period == "2024-25-Q2" and row.la_code == "981" and row.author == "analyst"
    store = CommentaryStore(["2024-25-Q2"], la_code="981")
    assert store.get("priority", "right_help", "2024-25-Q2", "working_well") == (
        "Contacts are screened within a day.")


def test_bad_file_reports_every_problem_and_stores_nothing(db, tmp_path):
    from csc_scorecard.reporting.models import Commentary

    bad = tmp_path / "bad.yml"
    bad.write_text(
        "entries:\n"
        "  - indicator: no_such_indicator\n    text: hello\n"
        "  - priority: right_help\n    period: 2024-25-Q9\n    working_well: fine\n"
        "  - section: front_door\n    period: 2024-25\n    colour: red\n"
    )
    with pytest.raises(CommentaryError) as info:
        import_commentary(bad)
    text = str(info.value)
    assert "bad.yml, line 2: unknown key" not in text
    assert "line 7" in text and "unknown key 'colour'" in text
    with pytest.raises(CommentaryError) as info:
        bad.write_text("entries:\n  - indicator: no_such_indicator\n    text: hello\n"
                       "  - priority: right_help\n    period: 2024-25-Q9\n    working_well: fine\n")
        import_commentary(bad)
    problems = info.value.problems
    assert any("line 2: unknown indicator id 'no_such_indicator'" in p for p in problems)
    assert any("line 2: no period" in p for p in problems)
    assert any("line 4: period '2024-25-Q9'" in p for p in problems)
    assert Commentary.objects.count() == 0


def test_markdown_text_outside_an_entry_is_an_error(tmp_path):
    m = tmp_path / "c.md"
    m.write_text("period: 2024-25\nsome text\n## indicator: referrals_count\nok\n")
    with pytest.raises(CommentaryError, match="line 1: text before the first"):
        parse_commentary_file(m)


def test_text_blocks():
    assert text_blocks("One\ntwo.\n\n- a\n- b\n  continued\nAfter") == [
        ("p", "One two."), ("ul", ["a", "b continued"]), ("p", "After")]


# --------------------------------------------------------------------------
# Commentary in a report (a hand-made result set: no ingest needed)
# --------------------------------------------------------------------------


def _result_set(publication=False) -> ResultSet:
    cat = get_catalogue()
    rows = []
    for period, nfa in (("2024-25-Q2", (40, 200)), ("2023-24-Q2", (30, 210))):
        rows += [
            ("rereferrals_12m_pct", period, "all", "all", nfa[0], nfa[1], round(100 * nfa[0] / nfa[1], 1)),
            ("rereferrals_12m_pct", period, "area", "North", 3, 20, 15.0),
            ("rereferrals_12m_pct", period, "area", "South", nfa[0] - 3, nfa[1] - 20, None),
            ("referrals_count", period, "all", "all", nfa[1], None, nfa[1]),
        ]
    frame = pl.DataFrame(rows, schema=["indicator_id", "period", "breakdown", "breakdown_value",
                                       "numerator", "denominator", "value"], orient="row")
    frame = frame.with_columns(pl.col("numerator").cast(pl.Float64), pl.col("denominator").cast(pl.Float64),
                               pl.col("value").cast(pl.Float64),
                               pl.lit(dt.datetime(2025, 4, 2, tzinfo=dt.UTC)).alias("computed_at"))
    return ResultSet(frame, la_code="981", units={e.id: (e.unit, e.decimals) for e in cat},
                     publication=publication)


def _targets(year):
    return {"rereferrals_12m_pct": TargetSpec("rereferrals_12m_pct", year, Decimal(15), Decimal(2))}


def test_quarterly_report_shows_commentary_and_flags_what_is_missing():
    rows = [("priority", "right_help", "2024-25-Q2", "working_well", "981", "Screening is quick."),
            ("indicator", "rereferrals_12m_pct", "2024-25-Q2", "commentary", "", "- Audit under way")]
    report = build_quarterly_report(
        "2024-25-Q2", la_code="981", result_set=_result_set(), targets=_targets,
        benchmarks_provider=lambda p: None, config=ReportConfig(council_name="Anyshire"),
        commentary=CommentaryStore([], rows=rows),
    )
    html = render_html(report)
    assert "Screening is quick." in html and "<li>Audit under way</li>" in html
    # re-referrals 20.0% against 15 (lower is better, tolerance 2): Red, listed as an exception
    exceptions = html.split('id="exceptions"')[1]
    assert 'data-indicator="rereferrals_12m_pct"' in exceptions and "R Red" in exceptions
    # the two other boxes of right_help are flagged, with what to do about it
    assert html.count("Missing commentary.") == len(report.missing_commentary)
    assert any("right_help (worried)" in m for m in report.missing_commentary)
    assert not any("right_help (working_well)" in m for m in report.missing_commentary)
    assert "csc-scorecard commentary import FILE" in html
    assert "Anyshire" in html


def test_wrong_period_kind_is_a_clear_error():
    with pytest.raises(ReportError, match="needs a period like 2024-25-Q2"):
        build_quarterly_report("2024-25", result_set=_result_set(), benchmarks_provider=lambda p: None,
                               commentary=CommentaryStore([], rows=[]))
    with pytest.raises(ReportError, match="no stored results for 2022-23-Q2"):
        build_quarterly_report("2022-23-Q2", result_set=_result_set(), targets=_targets,
                               benchmarks_provider=lambda p: None, commentary=CommentaryStore([], rows=[]))


# --------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------


def test_config_file_logo_and_contrast(tmp_path):
    import base64

    logo = tmp_path / "logo.png"
    logo.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="))
    cfg = tmp_path / "reporting.yml"
    cfg.write_text("council_name: Anyshire County Council\nlogo: logo.png\nprimary_colour: '#00703C'\n")
    conf = load_report_config(cfg)
    assert conf.council_name == "Anyshire County Council"
    assert conf.primary_colour == "#00703c"
    assert conf.logo_data_uri.startswith("data:image/png;base64,")
    cfg.write_text("primary_colour: '#ffdd00'\n")
    with pytest.raises(ReportConfigError, match=r"primary_colour #ffdd00 gives a contrast of 1\.\d\d:1"):
        load_report_config(cfg)
    cfg.write_text("council: x\n")
    with pytest.raises(ReportConfigError, match="unknown key"):
        load_report_config(cfg)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def test_cli_commentary_import_and_report_errors(db, tmp_path, monkeypatch):
    monkeypatch.setattr(django_setup, "_ready", True)  # pytest-django has set Django up
    runner = CliRunner()
    md = tmp_path / "q2.md"
    md.write_text(MARKDOWN)
    result = runner.invoke(commentary_cli, ["import", str(md), "--user", "analyst"])
    assert result.exit_code == 0, result.output
    assert "4 new, 0 replaced" in result.output
    bad = tmp_path / "bad.md"
    bad.write_text("## indicator: nope\ntext\n")
    result = runner.invoke(commentary_cli, ["import", str(bad)])
    assert result.exit_code == 2
    assert "unknown indicator id 'nope'" in result.output and "nothing was imported" in result.output
    result = runner.invoke(report_cli, ["annual", "--period", "2024-25", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "no indicator results are stored" in result.output
    assert "Traceback" not in result.output

"""Progress reporting: plain line-per-step output when piped or in CI, and step timings."""

import io
import re

import pytest

from csc_scorecard.progress import PlainProgress, Progress, RichProgress, as_progress, reporter


def test_plain_mode_prints_a_line_per_step_and_per_item():
    out = io.StringIO()
    progress = PlainProgress(out)
    with progress.step("Ingesting", total=2) as step:
        step.advance(item="episodes.csv (stored)")
        step.advance(item="census.xml (stored)")
        step.note("2 stored")
    with progress.step("Recomputing the indicators"):
        pass
    lines = out.getvalue().splitlines()
    assert lines[0] == "start: Ingesting (2 items)"
    assert lines[1] == "  Ingesting: 1/2 episodes.csv (stored)"
    assert lines[2] == "  Ingesting: 2/2 census.xml (stored)"
    assert re.fullmatch(r"done: Ingesting in \d+\.\d s; 2 stored", lines[3])
    assert lines[4] == "start: Recomputing the indicators"
    assert re.fullmatch(r"done: Recomputing the indicators in \d+\.\d s", lines[5])
    assert len(lines) == 6
    assert [label for label, _ in progress.timings] == ["Ingesting", "Recomputing the indicators"]


def test_a_failing_step_says_so_and_the_error_goes_on():
    out = io.StringIO()
    progress = PlainProgress(out)
    with pytest.raises(ValueError), progress.step("Writing reports"):
        raise ValueError("boom")
    assert out.getvalue().splitlines()[-1].startswith("failed: Writing reports in ")
    assert "boom" not in out.getvalue()  # messages carry labels and counts, nothing else


def test_timing_lines_list_each_step_and_the_total():
    progress = Progress()
    progress.timings = [("synth", 1.25), ("ingest", 10.0)]
    # labels padded to the longest (6), two spaces, seconds in 6 characters with one
    # decimal (1.25 rounds half to even: 1.2); the total is 11.25 -> 11.2
    assert progress.timing_lines() == [
        "synth      1.2 s", "ingest    10.0 s", "total     11.2 s"
    ]


def test_piped_output_and_ci_get_plain_lines_a_terminal_gets_bars(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for name in ("CI", "GITHUB_ACTIONS", "NO_PROGRESS", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(reporter(io.StringIO()), PlainProgress)  # a pipe or a file
    bars = reporter(Terminal())
    assert isinstance(bars, RichProgress)
    bars.close()
    monkeypatch.setenv("CI", "true")
    assert isinstance(reporter(Terminal()), PlainProgress)
    monkeypatch.setenv("NO_PROGRESS", "1")
    quiet = reporter(Terminal())
    assert type(quiet) is Progress


def test_an_old_style_callable_hears_each_step_and_item():
    heard = []
    progress = as_progress(heard.append)
    with progress.step("Ingesting", total=1) as step:
        step.advance(item="a.csv")
    assert heard == ["Ingesting", "a.csv"]
    assert type(as_progress(None)) is Progress


@pytest.mark.django_db
def test_ingest_reports_each_submission_in_plain_mode(tmp_path):
    from csc_scorecard.store.ingest import ingest_paths

    extract = tmp_path / "teams.csv"
    extract.write_text("team,area\nAssessment 1,North\nAssessment 2,South\n", encoding="utf-8")
    out = io.StringIO()
    [outcome] = ingest_paths([extract], progress=PlainProgress(out))
    assert outcome.status == "stored", outcome.reason
    lines = out.getvalue().splitlines()
    assert lines[0] == "start: Ingesting (1 items)"
    assert lines[1] == f"  Ingesting: 1/1 {extract} (stored, 2 rows)"
    assert re.fullmatch(r"done: Ingesting in \d+\.\d s; 1 stored, 2 rows", lines[2])

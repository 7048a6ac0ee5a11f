"""A census's own DfE rules run by the read-ahead worker that read it (store/read_worker.py
own_rules), and used by the ingest only for the year and LA it files the census under."""

from types import SimpleNamespace

import pytest

from csc_scorecard.returns import detect
from csc_scorecard.store import read_ahead
from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.store.models import RuleOutcome, Submission
from csc_scorecard.store.read_worker import ReadJob, RulesRun, WorkerRead, read_one
from csc_scorecard.synth import generate
from csc_scorecard.validation import at_ingest, cin

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def council_year(tmp_path_factory):
    root = tmp_path_factory.mktemp("worker_rules")
    generate(root, la_code="999", population=3000, years=["2024-25"], seed=5, xml=False)
    return root / "999" / "2024-25"


@pytest.fixture
def census_group(council_year):
    return detect.plan_groups([detect.classify(council_year / "cin_census.xml")])[0]


def cin_outcomes() -> list[tuple]:
    return sorted(RuleOutcome.objects.filter(return_type="cin").values_list("rule", "outcome", "failures"))


def test_the_census_rules_run_in_its_worker_and_are_stored_as_if_run_here(council_year, monkeypatch):
    here = ingest_paths([council_year])
    assert all(o.status == "stored" for o in here)
    outcomes_here = cin_outcomes()
    assert len(outcomes_here) > 100 and any(failures for _, _, failures in outcomes_here)
    Submission.objects.all().delete()

    def not_here(*args, **kwargs):
        raise AssertionError("the census rules ran in the ingest's process")

    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 0)
    monkeypatch.setattr(cin, "check_cin_tables", not_here)  # this process only: not the worker's
    ahead = ingest_paths([council_year])
    census = Submission.objects.get(return_type="cin_census")
    assert "failed" not in census.rule_counts and census.rule_counts["rules"] >= len(outcomes_here)
    assert cin_outcomes() == outcomes_here
    assert [o.rule_counts.get("rules") for o in ahead] == [o.rule_counts.get("rules") for o in here]


def test_a_worker_runs_the_rules_for_the_year_and_la_the_ingest_will_use(census_group):
    read = read_one(ReadJob(1, census_group, "", "", True, "123"))
    assert isinstance(read, WorkerRead) and read.rules is not None
    assert (read.rules.year, read.rules.la_code) == ("2024-25", "999")  # the file's LA beats the council's
    assert "ChildIdentifiers" in read.rules.tables and len(read.rules.results) > 100
    given = read_one(ReadJob(1, census_group, "", "888", True, "123"))
    assert given.rules is not None and given.rules.la_code == "888"  # --la beats the file's and the council's


def test_a_worker_gives_no_rules_for_a_year_without_them_or_when_they_fail(census_group, monkeypatch):
    older = read_one(ReadJob(1, census_group, "2023-24", "", True))
    assert isinstance(older, WorkerRead) and older.batches and older.rules is None  # no list held before 2024-25
    assert read_one(ReadJob(1, census_group, "", "", False)).rules is None  # not asked for

    def broken(*args, **kwargs):
        raise ValueError("a child's name")

    monkeypatch.setattr(cin, "check_cin_tables", broken)
    failed = read_one(ReadJob(1, census_group, "", "", True))
    assert isinstance(failed, WorkerRead) and failed.batches and failed.rules is None  # the ingest runs them


def test_rules_run_for_another_year_or_la_are_run_again_here(council_year):
    census = council_year / "cin_census.xml"
    submission = SimpleNamespace(return_type="cin_census", year="2024-25", la_code="999")
    sentinel: list = []
    used = at_ingest._own_rules(submission, [census], None, RulesRun("2024-25", "999", ["ChildIdentifiers"], sentinel))
    assert used is not None and used.results is sentinel and used.sources == {"ChildIdentifiers": "cin_census.xml"}
    for other in (RulesRun("2024-25", "123", ["ChildIdentifiers"], sentinel), RulesRun("2025-26", "999", ["ChildIdentifiers"], sentinel)):
        again = at_ingest._own_rules(submission, [census], None, other)
        assert again is not None and again.results is not sentinel and len(again.results) > 100
    no_la = SimpleNamespace(return_type="cin_census", year="2024-25", la_code="")
    assert at_ingest._own_rules(no_la, [census], None, RulesRun("2024-25", "", [], sentinel)).results is sentinel

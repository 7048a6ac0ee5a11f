"""Reading returns in worker processes (store/parallel_read.py) stores exactly what
reading them in the main process stores, and fails the same way."""

import datetime as dt
import logging
import os
import pickle
from pathlib import Path

import pytest

from csc_scorecard.store import ingest as ingest_module
from csc_scorecard.store import parallel_read
from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.store.models import CANONICAL_TABLES, IssueRecord, RuleOutcome, Submission
from csc_scorecard.store.sinks import DatabaseSink
from csc_scorecard.synth import generate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(parallel_read.worker_count() == 0 and os.name != "posix",
                       reason="workers are forked, on Linux only"),
]


@pytest.fixture(scope="module")
def council_year(tmp_path_factory) -> list[Path]:
    """One small synthetic year: a 903 folder, a census, an Annex A and local extracts."""
    root = tmp_path_factory.mktemp("returns")
    generate(root, la_code="999", population=2500, years=["2023-24", "2024-25"], seed=11, xml=False)
    year = root / "999" / "2024-25"
    return [year / "ssda903", year / "cin_census.xml", year / "annex_a.xlsx", year / "local"]


@pytest.fixture()
def workers(monkeypatch):
    """Read in two workers, however small the files."""
    monkeypatch.setenv(parallel_read.WORKERS_SETTING, "2")
    monkeypatch.setattr(parallel_read, "MIN_TOTAL_BYTES", 0)
    started = []
    real = parallel_read.ProcessPoolExecutor

    def counting(*args, **kwargs):
        started.append(kwargs.get("max_workers"))
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel_read, "ProcessPoolExecutor", counting)
    return started


def stored_everything() -> dict:
    """Every stored row of every case table, issue and rule outcome, keyed by the
    submission's return and subtype rather than its id; the submissions' counts."""
    names = {s.pk: (s.return_type, s.subtype) for s in Submission.objects.all()}
    tables = dict(CANONICAL_TABLES, issue=IssueRecord, rule=RuleOutcome)
    out: dict = {}
    for table, model in tables.items():
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id",)]
        rows = model.objects.values_list(*fields)
        at = fields.index("submission_id")
        out[table] = sorted(
            repr((names[r[at]], *r[:at], *r[at + 1:])) for r in rows
        )
    out["submissions"] = sorted(
        (s.return_type, s.subtype, s.year, s.la_code, repr(s.row_counts), repr(s.quarantined_counts),
         repr(s.issue_counts), repr({k: v for k, v in s.rule_counts.items() if k != "seconds"}))
        for s in Submission.objects.all()
    )
    return out


def test_workers_store_exactly_what_one_process_stores(council_year, workers, monkeypatch):
    monkeypatch.setenv(parallel_read.WORKERS_SETTING, "0")
    serial = ingest_paths(council_year)
    alone = stored_everything()
    assert not workers  # no worker was started
    Submission.objects.all().delete()

    monkeypatch.setenv(parallel_read.WORKERS_SETTING, "2")
    parallel = ingest_paths(council_year)
    assert workers == [2]
    assert [(o.label, o.status, o.year, o.row_counts) for o in parallel] == [
        (o.label, o.status, o.year, o.row_counts) for o in serial
    ]
    assert {o.status for o in parallel} == {"stored"} and len(parallel) >= 7
    together = stored_everything()
    assert together == alone
    # the census's own rules (run in its worker) and the 903's (in the main process) are there
    ran = set(RuleOutcome.objects.values_list("return_type", flat=True))
    assert {"ssda903", "cin", "cross"} <= ran


def test_a_reader_failing_in_a_worker_is_reported_as_in_one_process(council_year, workers,
                                                                    monkeypatch, caplog):
    real = ingest_module.read_group

    def census_breaks(group, **kw):
        if group.return_type == "cin_census":
            raise RuntimeError("a child's name, say")  # never shown: the message may hold data
        return real(group, **kw)

    monkeypatch.setattr(ingest_module, "read_group", census_breaks)  # the fork inherits it
    with caplog.at_level(logging.ERROR):
        outcomes = ingest_paths(council_year)
    assert workers == [2]
    census = [o for o in outcomes if o.return_type == "cin_census"]
    assert [o.status for o in census] == ["rejected"]
    assert "could not be read (RuntimeError); nothing was stored" in census[0].reason
    assert "child's name" not in census[0].reason and "child's name" not in caplog.text
    assert "unexpected RuntimeError while reading a cin_census file (test_parallel_read.py:" in caplog.text
    assert not Submission.objects.filter(return_type="cin_census").exists()
    assert {o.status for o in outcomes if o.return_type != "cin_census"} == {"stored"}


def test_a_file_refused_in_a_worker_gets_the_same_reason(tmp_path, council_year, workers,
                                                         monkeypatch):
    # a 903 folder whose episodes file is junk is refused as a whole
    broken = tmp_path / "ssda903"
    broken.mkdir()
    for path in council_year[0].glob("*.csv"):
        (broken / path.name).write_bytes(path.read_bytes())
    (broken / "episodes.csv").write_text("CHILD,DECOM\n" + "x,not a date\n" * 3, encoding="utf-8")
    monkeypatch.setenv(parallel_read.WORKERS_SETTING, "0")
    alone = [(o.status, o.reason) for o in ingest_paths([broken, council_year[1]])]
    Submission.objects.all().delete()
    monkeypatch.setenv(parallel_read.WORKERS_SETTING, "2")
    together = [(o.status, o.reason) for o in ingest_paths([broken, council_year[1]])]
    assert workers == [2]
    assert together == alone
    assert alone[0][0] == "rejected" and alone[1][0] == "stored"


def test_a_worker_that_dies_leaves_its_return_to_the_main_process(council_year, workers,
                                                                  monkeypatch, caplog):
    main = os.getpid()
    real = ingest_module.read_group

    def killed_in_a_worker(group, **kw):
        if os.getpid() != main:
            os._exit(9)  # as the kernel's out-of-memory killer would leave it
        return real(group, **kw)

    monkeypatch.setattr(ingest_module, "read_group", killed_in_a_worker)
    with caplog.at_level(logging.WARNING):
        outcomes = ingest_paths(council_year)
    assert workers == [2]
    assert {o.status for o in outcomes} == {"stored"}
    assert "a reading worker stopped; reading the rest in this process" in caplog.text


def test_returns_stored_already_are_not_read_again(council_year, workers):
    ingest_paths(council_year)
    assert workers == [2]
    again = ingest_paths(council_year)
    assert {o.status for o in again} == {"duplicate"}
    assert workers == [2]  # no second pool: nothing was worth reading


def test_small_ingests_and_a_single_return_are_read_in_the_main_process(council_year, monkeypatch):
    monkeypatch.setenv(parallel_read.WORKERS_SETTING, "2")
    started = []
    monkeypatch.setattr(parallel_read, "ProcessPoolExecutor", lambda *a, **k: started.append(k))
    ingest_paths([council_year[1]])  # one return: nothing to read side by side
    ingest_paths([council_year[3]])  # the local extracts: well under 2 MB in all
    assert started == []


@pytest.mark.parametrize(("setting", "expected"), [("0", 0), ("1", 1), ("3", 3), ("two", 0)])
def test_the_worker_setting(monkeypatch, caplog, setting, expected):
    monkeypatch.setenv(parallel_read.WORKERS_SETTING, setting)
    assert parallel_read.worker_count() == expected
    assert ("not a whole number" in caplog.text) == (setting == "two")


def test_only_a_collecting_sink_crosses_between_processes():
    writing = DatabaseSink(7)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(writing)
    collecting = DatabaseSink(None)
    collecting.add("contact", {"child_id": "C1", "contact_date": dt.date(2024, 5, 1)})
    copy = pickle.loads(pickle.dumps(collecting))
    assert copy.event_dates == {dt.date(2024, 5, 1): 1}
    (batch,) = copy._collected["contact"]
    assert "2024-05-01" in batch[0] and "C1" in batch[0]  # dates go as ISO text


def test_worker_rules_are_used_only_for_the_year_and_la_they_were_run_for():
    done = parallel_read.ReadDone(own_rules=("2024-25", "999", "the run"))
    assert done.own_rules_for("2024-25", "999") == "the run"
    assert done.own_rules_for("2023-24", "999") is None
    assert done.own_rules_for("2024-25", "888") is None

"""Read-ahead workers (store/read_ahead.py): the same store as reading in one process,
the same refusals, and nothing lost when a worker fails."""

import logging
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csc_scorecard.returns import detect
from csc_scorecard.returns.base import ColumnBatch, ListSink
from csc_scorecard.store import ingest as ingest_module
from csc_scorecard.store import read_ahead
from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.store.models import CANONICAL_TABLES, IssueRecord, RuleOutcome, Submission
from csc_scorecard.store.read_worker import (
    ReadJob,
    RecordingSink,
    WorkerCrashed,
    WorkerRead,
    read_one,
)
from csc_scorecard.synth import generate

pytestmark = pytest.mark.django_db

MODELS = {**CANONICAL_TABLES, "issue_record": IssueRecord, "rule_outcome": RuleOutcome}


@pytest.fixture(scope="module")
def council_year(tmp_path_factory):
    """A small council's year of every return: 903 CSVs, census, Annex A and local extracts."""
    root = tmp_path_factory.mktemp("read_ahead")
    generate(root, la_code="999", population=3000, years=["2024-25"], seed=3, xml=False)
    return root / "999" / "2024-25"


def stored_everything() -> dict:
    """Every stored row of every table, each submission's in id order, with the
    submission named by its return (ids left out: with read-ahead, a group read sooner
    may be stored before one earlier in the plan, so tables shared by returns number
    their rows otherwise; within a submission the order is compared)."""
    names = {s.pk: (s.return_type, s.subtype) for s in Submission.objects.all()}
    out = {}
    for table, model in MODELS.items():
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "submission_id")]
        rows = [
            (names[row["submission_id"]], *(row[f] for f in fields))
            for row in model.objects.order_by("id").values("submission_id", *fields)
        ]
        out[table] = sorted(rows, key=lambda row: row[0])  # stable: id order within each
    out["submissions"] = sorted(
        (s.return_type, s.subtype, s.year, s.la_code, str(s.row_counts), str(s.issue_counts))
        for s in Submission.objects.all()
    )
    return out


def forget_everything() -> None:
    Submission.objects.all().delete()


def test_share_out_keeps_the_first_group_here_and_balances_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 1)
    sizes = {"a.csv": 10, "b.xml": 6_000_000, "c.xlsx": 2_000_000, "d.csv": 1_000_000, "e.csv": 500_000}
    groups = []
    for name, size in sizes.items():
        path = tmp_path / name
        path.write_bytes(b"x" * size)
        kind = {"xml": detect.CIN_XML, "xlsx": detect.ANNEX_A_XLSX}.get(name.split(".")[1], detect.LOCAL_CSV)
        groups.append(detect.FileGroup(kind, [path]))
    # costs: b 1.2, c 1.0, d 0.25, e 0.125; largest first to the less loaded worker:
    # b (1.2 | 0), c (1.2 | 1.0), d (1.2 | 1.25), e (1.325 | 1.25)
    assert read_ahead.share_out(groups) == [[1, 4], [2, 3]]
    monkeypatch.setattr(read_ahead, "MAX_GROUP_BYTES", 5_000_000)  # b is read here, streamed
    assert read_ahead.share_out(groups) == [[2], [3, 4]]
    monkeypatch.setattr(read_ahead, "MAX_GROUP_BYTES", 10**12)
    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 10_000_000)
    assert read_ahead.share_out(groups) == []  # too little to be worth a worker
    assert read_ahead.share_out(groups[:1]) == []  # nothing after the first


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["child", "referral", "s47"]),
        st.sampled_from([("a", "b"), ("b", "a"), ("a",), ()]),
        st.integers(0, 3),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(rows_strategy, st.sets(st.integers(0, 39)))
def test_a_recording_replays_each_tables_rows_as_the_reader_gave_them(calls, as_batches):
    """Rows one at a time and in batches, tables interleaved, fields changing: replayed,
    each table gets exactly the rows it would have got, in the same order."""
    direct, recording = ListSink(), RecordingSink()
    for n, (table, keys, value) in enumerate(calls):
        row = {k: f"{k}{value}{n}" for k in keys}
        if n in as_batches:
            batch = ColumnBatch(2, {k: [v, v + "!"] for k, v in row.items()}, {"fixed": value})
            direct.add_columns(table, batch)
            recording.add_columns(table, batch)
        else:
            direct.add(table, row)
            recording.add(table, row)
    replayed = ListSink()
    for table, batch in recording.finish():
        replayed.add_columns(table, batch)
    assert dict(replayed.tables) == dict(direct.tables)


def test_a_recording_does_not_see_later_changes_to_a_row():
    recording = RecordingSink()
    row = {"a": 1}
    recording.add("child", row)
    row["a"] = 2
    columns = [1, 2]
    recording.add_columns("child", ColumnBatch(2, {"a": columns}))
    columns.append(3)
    replayed = ListSink()
    for table, batch in recording.finish():
        replayed.add_columns(table, batch)
    assert replayed.tables["child"] == [{"a": 1}, {"a": 1}, {"a": 2}]


def test_read_ahead_stores_exactly_what_reading_here_stores(council_year, monkeypatch, caplog):
    started = []
    real_start = read_ahead.ReadAhead.start.__func__

    def watched_start(cls, *args, **kwargs):
        found = real_start(cls, *args, **kwargs)
        started.append(found)
        return found

    monkeypatch.setattr(read_ahead.ReadAhead, "start", classmethod(watched_start))
    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 10**15)
    here = ingest_paths([council_year])
    assert started == [None]
    alone = stored_everything()
    forget_everything()

    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 0)
    with caplog.at_level(logging.WARNING):
        ahead = ingest_paths([council_year])
    assert started[1] is not None and len(started[1].workers) == 2
    assert not [r for r in caplog.records if "read-ahead" in r.getMessage()]  # no worker failed
    assert [(o.label, o.status, o.row_counts, o.issue_counts) for o in ahead] == [
        (o.label, o.status, o.row_counts, o.issue_counts) for o in here
    ]
    assert len(ahead) >= 10 and all(o.status == "stored" for o in ahead)
    assert stored_everything() == alone
    assert not list(ingest_module.data_home().glob(".read-ahead-*"))  # the workers' folder is gone


def test_a_file_a_worker_refuses_is_refused_in_the_same_words(council_year, tmp_path, monkeypatch):
    folder = tmp_path / "year"
    folder.mkdir()
    (folder / "annex_a.xlsx").write_bytes((council_year / "annex_a.xlsx").read_bytes())
    (folder / "cin_census.xml").write_text(
        "<Message><Header><Collection>CIN</Collection></Header><Children><Child>", encoding="utf-8"
    )  # cut short
    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 10**15)
    here = {o.label: (o.status, o.reason) for o in ingest_paths([folder])}
    forget_everything()
    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 0)
    ahead = {o.label: (o.status, o.reason) for o in ingest_paths([folder])}
    assert ahead == here
    assert sorted(status for status, _ in ahead.values()) == ["rejected", "stored"]


def test_a_worker_that_cannot_run_costs_only_time(council_year, monkeypatch, caplog):
    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 0)
    monkeypatch.setattr(read_ahead.sys, "executable", "/bin/false")  # starts, then dies at once
    with caplog.at_level(logging.WARNING):
        outcomes = ingest_paths([council_year])
    assert all(o.status == "stored" for o in outcomes) and len(outcomes) >= 10
    assert any("read-ahead worker ended early" in r.getMessage() for r in caplog.records)
    stored = stored_everything()
    assert len(stored["cla_episode"]) > 0 and len(stored["contact"]) > 0 and len(stored["child"]) > 0


def test_a_reader_bug_in_a_worker_is_told_as_here_by_type_and_place(council_year, monkeypatch):
    """read_one keeps the type and place of a reader's exception, never its message; the
    ingest turns it into the same refusal as a bug in a reader running here."""
    from csc_scorecard.store import reading

    def broken(*args, **kwargs):
        raise KeyError("a child's name")

    monkeypatch.setattr(reading, "read_group", broken)
    group = detect.plan_groups([detect.classify(council_year / "cin_census.xml")])[0]
    answer = read_one(ReadJob(1, group, "", "", True))
    assert isinstance(answer, WorkerCrashed)
    assert answer.name == "KeyError" and answer.filename.endswith("test_read_ahead.py")
    assert "child" not in repr(answer)

    class OneCrash:
        def take(self, index):
            raise read_ahead.ReaderCrashed(answer)

    outcome = ingest_module.ingest_group(group, read_ahead=(OneCrash(), 1))
    assert outcome.status == "rejected"
    assert outcome.reason.startswith("could not be read (KeyError); nothing was stored")
    assert Submission.objects.count() == 0


def test_the_workers_folder_is_private_and_removed(council_year, monkeypatch, tmp_path):
    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 0)
    groups = detect.plan_groups([detect.classify(p) for p in sorted(council_year.glob("*.*"))])
    ahead = read_ahead.ReadAhead.start(groups, year="", la_code="", home=tmp_path)
    assert ahead is not None
    assert stat.S_IMODE(ahead.folder.stat().st_mode) == 0o700
    taken = ahead.take(1)
    assert isinstance(taken, WorkerRead) and taken.batches
    ahead.close()  # with answers not taken and perhaps a worker still running
    assert not ahead.folder.exists()
    assert all(w.process.poll() is not None for w in ahead.workers)


def test_the_next_group_is_the_first_ready_that_no_earlier_one_of_its_kind_must_precede(tmp_path):
    import threading

    keys = [("ssda903", ""), ("cin_census", ""), ("annex_a", ""), ("local", "teams"), ("cin_census", "")]
    census_worker, other_worker = read_ahead._Worker(None), read_ahead._Worker(None)
    owner = {1: census_worker, 4: census_worker, 2: other_worker, 3: other_worker}
    ahead = read_ahead.ReadAhead(tmp_path, [], owner, keys)
    assert ahead.next_index([0, 1, 2, 3, 4]) == 0  # read here: always ready
    other_worker.done.add(2)
    assert ahead.next_index([1, 2, 3, 4]) == 2  # the census is still being read
    census_worker.done.add(4)  # a later census: it must wait for the earlier one
    other_worker.done.add(3)
    assert ahead.next_index([1, 3, 4]) == 3

    def census_in():
        with ahead.changed:
            census_worker.done.add(1)
            ahead.changed.notify_all()

    timer = threading.Timer(0.2, census_in)
    timer.start()
    assert ahead.next_index([1, 4]) == 1  # waited for it
    timer.join()
    assert ahead.next_index([4]) == 4
    dead = read_ahead._Worker(None, ended=True)
    ahead.owner[5] = dead
    ahead.keys.append(("annex_a", ""))
    assert ahead.next_index([5]) == 5  # its worker is gone: read here


def test_a_tie_between_years_goes_to_the_latest_whatever_order_the_dates_came_in():
    """The workers' replay counts a census's event dates in another order than its reader
    (each table's rows together), so the year a misfiled return goes under must not
    depend on that order."""
    import datetime as dt
    from collections import Counter
    from types import SimpleNamespace

    dates = [dt.date(2021, 5, 1)] * 3 + [dt.date(2022, 6, 1)] * 3  # 2021-22 and 2022-23 tie
    for order in (dates, dates[::-1]):
        sink = SimpleNamespace(event_dates=Counter(order))
        assert ingest_module._year_misfit("2024-25", sink) == (0, 6, "2022-23", 3)


def test_a_killed_ingests_folder_is_removed_by_a_later_one_once_a_day_old(council_year, tmp_path, monkeypatch):
    import os
    import time

    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 0)
    old, young = tmp_path / ".read-ahead-old", tmp_path / ".read-ahead-young"
    for folder in (old, young):
        folder.mkdir()
        (folder / "3.pickle").write_bytes(b"child data")
    day_and_more = time.time() - 25 * 3600
    os.utime(old, (day_and_more, day_and_more))
    groups = detect.plan_groups([detect.classify(p) for p in sorted(council_year.glob("*.*"))])
    ahead = read_ahead.ReadAhead.start(groups, year="", la_code="", home=tmp_path)
    assert ahead is not None
    ahead.close()
    assert not old.exists() and young.exists()  # another ingest may still be using a young one


def test_groups_already_stored_are_not_read_ahead(council_year, monkeypatch):
    monkeypatch.setattr(read_ahead, "MIN_BYTES_AHEAD", 0)
    started = []
    real_start = read_ahead.ReadAhead.start.__func__

    def watched_start(cls, *args, **kwargs):
        found = real_start(cls, *args, **kwargs)
        started.append(found)
        return found

    monkeypatch.setattr(read_ahead.ReadAhead, "start", classmethod(watched_start))
    first = ingest_paths([council_year])
    assert started[0] is not None and all(o.status == "stored" for o in first)
    again = ingest_paths([council_year])
    assert started[1] is None  # every group is a duplicate: nothing to read
    assert [o.status for o in again] == ["duplicate"] * len(first)

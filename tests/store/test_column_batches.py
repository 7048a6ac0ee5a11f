"""Rows handed on a column at a time (returns.base.ColumnBatch) are stored and counted exactly as
the same rows handed on one dict at a time; and the ingest's hold on the garbage collector."""

from __future__ import annotations

import datetime as dt
import gc
import random

import pytest

from csc_scorecard.returns.base import ColumnBatch, ListSink, ReadResult
from csc_scorecard.store import bulk
from csc_scorecard.store.bulk import TableWriter
from csc_scorecard.store.collection import INGEST_THRESHOLD, collecting_less
from csc_scorecard.store.models import Referral, Submission
from csc_scorecard.store.sinks import DatabaseSink


def _referrals(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    days = [None, dt.date(2024, 4, 1), dt.date(2024, 6, 30), dt.date(2025, 3, 31)]
    return [
        {
            "child_id": f"C{i}",
            "source_row": i + 2,
            "referral_date": rng.choice(days),
            "closure_date": rng.choice(days),
            "nfa": rng.choice([None, True, False]),
            "team": rng.choice(["", "North"]),
        }
        for i in range(n)
    ]


def _batch(rows: list[dict], fixed: dict | None = None) -> ColumnBatch:
    names = list(rows[0]) if rows else []
    return ColumnBatch(len(rows), {n: [r[n] for r in rows] for n in names}, fixed or {})


def _stored(submission: Submission) -> list[dict]:
    rows = Referral.objects.filter(submission=submission).order_by("id").values()
    return [{k: v for k, v in row.items() if k not in ("id", "submission_id")} for row in rows]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, 1, 7, 30])
def test_a_batch_is_stored_as_its_rows_one_by_one(monkeypatch, count):
    monkeypatch.setattr(bulk, "BATCH_ROWS", 8)  # batches that fill in the middle of one
    rows = _referrals(count, seed=count)
    by_row = Submission.objects.create(return_type="annex_a", year="2024-25", sha256="a" * 64)
    by_batch = Submission.objects.create(return_type="annex_a", year="2024-25", sha256="b" * 64)
    one_by_one = DatabaseSink(by_row.pk)
    for row in rows:
        one_by_one.add("referral", {**row, "source": "1A"})
    one_by_one.flush()
    batched = DatabaseSink(by_batch.pk)
    half = count // 2
    batched.add_columns("referral", _batch(rows[:half], {"source": "1A"}))
    batched.add_columns("referral", _batch(rows[half:], {"source": "1A"}))
    batched.flush()
    assert _stored(by_batch) == _stored(by_row)
    # the event dates counted alike, in the same order (the year check's ties)
    assert list(batched.event_dates.items()) == list(one_by_one.event_dates.items())


@pytest.mark.django_db
def test_an_unknown_field_in_a_batch_is_refused():
    writer = TableWriter(Referral, 1)
    with pytest.raises(TypeError, match="no field"):
        writer.add_columns(ColumnBatch(1, {"child_id": ["C1"]}, {"colour": "red"}))
    assert writer.pending == []


def test_a_sink_without_add_columns_gets_one_dict_a_row():
    class DictSink:
        def __init__(self) -> None:
            self.rows: list = []

        def add(self, table: str, row: dict) -> None:
            self.rows.append((table, row))

    rows = _referrals(5, seed=1)
    plain, listed = DictSink(), ListSink()
    for sink in (plain, listed):
        result = ReadResult("annex_a", [], sink=sink)
        result.add_columns("referral", _batch(rows, {"source": ""}))
        assert result.counts == {"referral": 5}
    expected = [{**row, "source": ""} for row in rows]
    assert plain.rows == [("referral", row) for row in expected]
    assert listed.tables["referral"] == expected


def test_the_collector_is_held_back_for_an_ingest_and_restored_after():
    before = gc.get_threshold()
    seen = []

    @collecting_less
    def inner() -> None:
        seen.append(gc.get_threshold()[0])

    @collecting_less
    def ingest(fail: bool) -> None:
        seen.append(gc.get_threshold()[0])
        inner()  # nested: keeps the outer setting
        if fail:
            raise RuntimeError("a reader failed")

    ingest(False)
    with pytest.raises(RuntimeError):
        ingest(True)
    assert seen == [INGEST_THRESHOLD] * 4
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("batch_rows", [1, 3, 8, 1000])
def test_batches_and_single_rows_mixed_keep_their_order(monkeypatch, batch_rows):
    # rows one at a time between batches, batches that fill a batch of the writer's
    # exactly, part way and many times over: stored in the order given
    monkeypatch.setattr(bulk, "BATCH_ROWS", batch_rows)
    rows = [{**row, "source": "1A"} for row in _referrals(40, seed=batch_rows)]
    by_row = Submission.objects.create(return_type="annex_a", year="2024-25", sha256="c" * 64)
    mixed = Submission.objects.create(return_type="annex_a", year="2024-25", sha256="d" * 64)
    one_by_one = TableWriter(Referral, by_row.pk)
    one_by_one.add_many(rows)
    one_by_one.flush()
    writer = TableWriter(Referral, mixed.pk)
    cuts = [0, 1, 2, 5, 5, 13, 14, 22, 30, 31, 40]
    for n, (start, end) in enumerate(zip(cuts, cuts[1:], strict=False)):
        if n % 2:
            writer.add_many(rows[start:end])
        else:
            writer.add_columns(_batch(rows[start:end]))
    writer.flush()
    assert _stored(mixed) == _stored(by_row)
    assert len(_stored(mixed)) == 40


@pytest.mark.django_db
def test_a_batch_with_a_short_column_is_refused():
    writer = TableWriter(Referral, 1)
    with pytest.raises(ValueError, match="column source_row"):
        writer.add_columns(ColumnBatch(2, {"child_id": ["C1", "C2"], "source_row": [1]}))

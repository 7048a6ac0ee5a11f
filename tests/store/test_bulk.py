"""store.bulk.TableWriter: rows written in bulk are stored exactly as the ORM stores them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from csc_scorecard.store import bulk
from csc_scorecard.store.bulk import TableWriter
from csc_scorecard.store.models import Child, Submission, WorkforceSnapshot

pytestmark = pytest.mark.django_db


def _submission(sha: str) -> Submission:
    return Submission.objects.create(return_type="cin_census", year="2024-25", sha256=sha)


def _stored(model, submission: Submission) -> list[dict]:
    rows = model.objects.filter(submission=submission).order_by("id").values()
    return [{k: v for k, v in row.items() if k not in ("id", "submission_id")} for row in rows]


def _child_rows(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        row = {"child_id": f"C{i:05d}", "source_row": i + 2}
        if i % 3 == 0:
            row["birth_date"] = dt.date(2010, 1, 1) + dt.timedelta(days=i)
        if i % 4 == 1:
            row["asylum_seeker"] = i % 8 == 1
        if i % 5 == 2:
            row["sex"] = "MF"[i % 2]  # otherwise the field's default, ""
        rows.append(row)
    return rows


@pytest.mark.parametrize("count", [0, 1, 9, 10, 11, 25, 250])
def test_any_number_of_rows_is_stored_as_the_orm_stores_them(count, monkeypatch):
    # 10 rows to a statement: batches of 9, 10, 11 and 25 rows end short of, at and past a
    # statement's worth; 250 rows with a batch of 100 write three batches
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 10)
    monkeypatch.setattr(bulk, "BATCH_ROWS", 100)
    rows = _child_rows(count)
    by_orm, by_writer = _submission("a" * 64), _submission("b" * 64)
    Child.objects.bulk_create([Child(submission=by_orm, **row) for row in rows])
    writer = TableWriter(Child, by_writer.pk)
    writer.add_many(rows)
    writer.flush()
    stored = _stored(Child, by_writer)
    assert len(stored) == count
    assert stored == _stored(Child, by_orm)
    # in the order given
    assert [r["child_id"] for r in stored] == [r["child_id"] for r in rows]


def test_statements_stay_within_sqlite_parameter_limit(monkeypatch):
    # 12 fields and a limit of 30 parameters: 2 rows to a statement, not 100
    monkeypatch.setattr(bulk, "_sqlite_variable_limit", lambda connection: 30)
    rows = _child_rows(7)
    submission = _submission("c" * 64)
    writer = TableWriter(Child, submission.pk)
    writer.add_many(rows)
    writer.flush()
    assert [r["child_id"] for r in _stored(Child, submission)] == [r["child_id"] for r in rows]


def test_values_of_other_types_go_through_the_fields_own_conversion():
    submission, by_orm = _submission("d" * 64), _submission("e" * 64)
    # a Decimal for a float, a date as text, an int in a text field, a datetime for a date
    row = {"team": 7, "snapshot_date": "2024-03-31", "fte_in_post": Decimal("12.5"),
           "cases": 40}
    odd = {"team": "North", "snapshot_date": dt.datetime(2024, 3, 31, 9, 30), "agency_fte": 2}
    writer = TableWriter(WorkforceSnapshot, submission.pk)
    writer.add_many([row, odd])
    writer.flush()
    WorkforceSnapshot.objects.bulk_create(
        [WorkforceSnapshot(submission=by_orm, **r) for r in (row, odd)])
    stored = _stored(WorkforceSnapshot, submission)
    assert stored == _stored(WorkforceSnapshot, by_orm)
    assert stored[0]["team"] == "7" and stored[0]["fte_in_post"] == 12.5
    assert stored[1]["snapshot_date"] == dt.date(2024, 3, 31)


def test_an_unknown_field_is_refused_before_anything_is_written():
    submission = _submission("f" * 64)
    writer = TableWriter(Child, submission.pk)
    with pytest.raises(TypeError, match="no field"):
        writer.add({"child_id": "C1", "shoe_size": 3})
    writer.flush()
    assert _stored(Child, submission) == []

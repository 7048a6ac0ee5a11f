"""store.frames.read_frame: stored rows as a typed Polars frame, equal to what the ORM gives."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from csc_scorecard.indicators.casedata import SCHEMAS
from csc_scorecard.store.frames import read_frame
from csc_scorecard.store.models import Child, Submission

pytestmark = pytest.mark.django_db


def _submission(sha: str) -> Submission:
    return Submission.objects.create(return_type="cin_census", year="2024-25", sha256=sha)


def test_dates_booleans_and_blanks_come_back_typed_as_the_orm_gives_them():
    first, second, other = _submission("a" * 64), _submission("b" * 64), _submission("c" * 64)
    Child.objects.create(submission=first, child_id="C1", source_row=2, sex="F",
                         birth_date=dt.date(2015, 6, 1), asylum_seeker=True, mother=False)
    # a leap day, nulls for every optional value, and a child of a submission not asked for
    Child.objects.create(submission=second, child_id="C2", birth_date=dt.date(2016, 2, 29))
    Child.objects.create(submission=other, child_id="C3", birth_date=dt.date(2017, 1, 1))
    schema = {"submission_id": pl.Int64, "source_row": pl.Int64} | SCHEMAS["child"]
    frame = read_frame(Child, schema, [first.pk, second.pk])
    orm = pl.DataFrame(
        list(Child.objects.filter(submission_id__in=[first.pk, second.pk]).values_list(*schema)),
        schema=schema, orient="row",
    )
    assert_frame_equal(frame, orm)
    assert frame.schema == pl.Schema(schema)
    assert frame["child_id"].to_list() == ["C1", "C2"]
    assert frame["birth_date"].to_list() == [dt.date(2015, 6, 1), dt.date(2016, 2, 29)]
    assert frame["asylum_seeker"].to_list() == [True, None]
    assert frame["mother"].to_list() == [False, None]
    assert frame["death_date"].to_list() == [None, None]


def test_no_submissions_is_an_empty_frame_of_the_schema():
    schema = {"child_id": pl.Utf8, "birth_date": pl.Date}
    frame = read_frame(Child, schema, [])
    assert frame.is_empty() and frame.schema == pl.Schema(schema)


ROW_SCHEMA = {"n": pl.Int64, "x": pl.Float64, "s": pl.Utf8}


@pytest.mark.parametrize("rows", [
    [(1, 1.5, "a"), (None, None, None), (3, 2, "")],  # an int in a float column, nulls, a blank
    [(1, 1.5, "a"), ("7", 1.0, "b")],  # text in an integer column: built from the rows
    [(1, 1.5, 5)],  # a number in a text column: built from the rows
    [(1.0, 1.5, "a")],  # a float in an integer column: built from the rows
    [],
])
def test_the_column_build_is_the_row_build(rows):
    from csc_scorecard.store.frames import _by_column

    want = pl.DataFrame(rows, schema=ROW_SCHEMA, orient="row")
    got = _by_column(rows, ROW_SCHEMA)
    assert_frame_equal(got, want)


@pytest.mark.parametrize("kept", ["2.5", "'x1'"])
def test_a_value_sqlite_kept_against_its_column_type_reads_as_before(kept):
    from django.db import connection

    if connection.vendor != "sqlite":  # PostgreSQL refuses such a value when it is written
        pytest.skip("only SQLite keeps a value its column's type cannot take")
    sub = _submission("d" * 64)
    Child.objects.create(submission=sub, child_id="C1", source_row=2)
    Child.objects.create(submission=sub, child_id="C2", source_row=3)
    with connection.cursor() as cursor:  # SQLite keeps a real or text an integer column cannot take
        cursor.execute(f"UPDATE store_child SET source_row = {kept} WHERE child_id = 'C2'")
        cursor.execute("SELECT source_row, child_id FROM store_child WHERE submission_id = %s", [sub.pk])
        rows = cursor.fetchall()
    assert not isinstance(rows[1][0], int)
    schema = {"source_row": pl.Int64, "child_id": pl.Utf8}
    try:
        want = pl.DataFrame(rows, schema=schema, orient="row")
    except pl.exceptions.ComputeError:  # the row build refuses text: so must read_frame
        with pytest.raises(pl.exceptions.ComputeError):
            read_frame(Child, schema, [sub.pk])
    else:
        assert_frame_equal(read_frame(Child, schema, [sub.pk]), want)

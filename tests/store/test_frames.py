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

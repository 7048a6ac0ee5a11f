"""The cross checks over a tiny store: only the year's current submissions are compared."""

from __future__ import annotations

import datetime as dt
import itertools

from csc_scorecard.validation.core import Outcome
from csc_scorecard.validation.cross import check_cross, load_cross_tables

D = dt.date
_sha = itertools.count(9000)


def submission(return_type, year, current=True, la_code="933"):
    from csc_scorecard.store.models import Submission

    return Submission.objects.create(return_type=return_type, year=year, la_code=la_code,
                                     sha256=f"{next(_sha):064d}", is_current=current)


def test_check_cross_on_the_store(db):
    from csc_scorecard.store import models as m

    cin = submission("cin_census", "2024-25")
    cin_old = submission("cin_census", "2023-24")
    cin_replaced = submission("cin_census", "2024-25", current=False)
    lac = submission("ssda903", "2024-25")

    # Child A: looked after from 1 June 2024 (episode at 903 row 2), CIN episode open: fine.
    # Child B: looked after from 1 July 2024, no CIN episode this year (one in 2023-24 and one
    # in a replaced submission, neither current for 2024-25): XR01.
    m.ClaEpisode.objects.create(submission=lac, source_row=2, child_id="A", start_date=D(2024, 6, 1),
                                legal_status="C2")
    m.ClaEpisode.objects.create(submission=lac, source_row=3, child_id="B", start_date=D(2024, 7, 1),
                                legal_status="V2")
    m.Referral.objects.create(submission=cin, source_row=30, child_id="A", referral_date=D(2024, 4, 5))
    m.Referral.objects.create(submission=cin_old, source_row=30, child_id="B",
                              referral_date=D(2024, 1, 5))
    m.Referral.objects.create(submission=cin_replaced, source_row=30, child_id="B",
                              referral_date=D(2024, 4, 5))
    # A's CP plan runs on past the full care order of 1 June: XR02.
    m.CpPlan.objects.create(submission=cin, source_row=40, child_id="A", start_date=D(2024, 4, 20))
    # A's birth date agrees; B's sex differs: XR04 for B only.
    m.Child.objects.create(submission=cin, source_row=10, child_id="A", sex="M", birth_date=D(2012, 1, 1))
    m.Child.objects.create(submission=cin, source_row=20, child_id="B", sex="F", birth_date=D(2013, 1, 1))
    m.Child.objects.create(submission=lac, source_row=2, child_id="A", sex="M", birth_date=D(2012, 1, 1))
    m.Child.objects.create(submission=lac, source_row=3, child_id="B", sex="M", birth_date=D(2013, 1, 1))

    tables = load_cross_tables("2024-25", "933")
    assert tables["cin_referral"]["child_id"].to_list() == ["A"]
    assert "annexa_referral" not in tables  # no Annex A loaded

    results = {r.spec.code: r for r in check_cross("2024-25", "933")}
    assert results["XR01"].children == {"B"}
    assert results["XR01"].failures["_row"].to_list() == ["SSDA903 row 3"]
    assert results["XR02"].children == {"A"}
    assert results["XR03"].outcome == Outcome.PASSED
    assert results["XR04"].children == {"B"}
    assert results["XR04"].failures["_row"].to_list() == ["CIN census line 20 / SSDA903 row 3"]
    assert results["XR05"].outcome == Outcome.PASSED  # no ethnicity recorded in either
    assert results["XR06"].outcome == Outcome.NOT_RUN
    assert "annexa_" in results["XR06"].reason

    # Another council's data is not mixed in.
    assert {r.outcome for r in check_cross("2024-25", "201")} == {Outcome.NOT_RUN}


def test_inside_shared_reads_a_table_is_read_once_for_the_same_submissions(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from csc_scorecard.store import models as m
    from csc_scorecard.validation.cross import shared_reads

    cin = submission("cin_census", "2024-25", la_code="933")
    lac = submission("ssda903", "2024-25", la_code="")
    m.Referral.objects.create(submission=cin, source_row=30, child_id="A", referral_date=D(2024, 4, 5))
    m.ClaEpisode.objects.create(submission=lac, source_row=2, child_id="A", start_date=D(2024, 6, 1))

    def frames(la_code):
        with CaptureQueriesContext(connection) as queries:
            tables = load_cross_tables("2024-25", la_code)
        return tables, len(queries.captured_queries)

    alone, reads = frames("933")
    with shared_reads():
        first, first_reads = frames("933")
        again, again_reads = frames(None)  # the same submissions, asked for another way
        # one more submission of the census: its tables are read again, the 903's are not
        extra = submission("cin_census", "2024-25", la_code="")
        m.Referral.objects.create(submission=extra, source_row=31, child_id="B", referral_date=D(2024, 5, 5))
        more, more_reads = frames(None)
    after, after_reads = frames("933")

    assert first_reads == reads and again_reads == 1  # only the submissions' own query
    assert more_reads == 1 + 5  # the census's five tables again (child, referral, assessment, s47, cp_plan)
    assert more["cin_referral"]["child_id"].to_list() == ["A", "B"]
    assert more["cla_episode"] is first["cla_episode"]
    assert after_reads == reads  # outside the block every call reads
    assert all(again[name].equals(frame) for name, frame in alone.items())
    assert all(after[name].equals(frame) for name, frame in more.items())  # the same store

"""The page cache's version: any write a page shows makes a new one; one read per request."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csc_scorecard.services import page_cache

pytestmark = pytest.mark.django_db


def test_each_kind_of_write_makes_a_new_version():
    from csc_scorecard.rating.models import Target
    from csc_scorecard.reporting.models import Commentary
    from csc_scorecard.results.models import IndicatorValue
    from csc_scorecard.store.models import Submission

    seen = [page_cache.data_version()]

    def changed() -> None:
        now = page_cache.data_version()
        assert now != seen[-1]
        seen.append(now)

    from django.utils import timezone

    IndicatorValue.objects.create(indicator_id="cp_repeat_ever_pct", period="2024-25", breakdown="all",
                                  breakdown_value="all", la_code="999", numerator=5, denominator=40,
                                  value=12.5, computed_at=timezone.now())
    changed()
    target = Target.objects.create(indicator_id="cp_repeat_ever_pct", year="2024-25", target=10)
    changed()
    target.target = 11
    target.save()  # updated_at moves on
    changed()
    note = Commentary.objects.create(subject_kind="indicator", subject_id="cp_repeat_ever_pct",
                                     period="2024-25", text="Worried about repeat plans")
    changed()
    note.delete()
    changed()
    Submission.objects.create(return_type="cin_census", year="2024-25", la_code="999", sha256="d" * 64)
    changed()
    assert page_cache.data_version() == seen[-1]  # nothing written: the same version


def test_council_yml_edited_is_a_new_version_and_is_read_again(home):
    from csc_scorecard.config import read_council_file

    path = home / "council.yml"
    path.write_text("la_code: '999'\nname: Synthshire\n")
    before = page_cache.data_version()
    assert read_council_file()[0]["name"] == "Synthshire"
    path.write_text("la_code: '999'\nname: Synthshire County Council\n")
    os.utime(path, ns=(1, 1))  # a different time even on a coarse clock
    assert page_cache.data_version() != before
    assert read_council_file()[0]["name"] == "Synthshire County Council"
    # the copy handed out is the caller's own: changing it changes nothing kept
    read_council_file()[0]["name"] = "changed by a caller"
    assert read_council_file()[0]["name"] == "Synthshire County Council"


def test_within_a_request_the_version_is_read_once_and_kept_values_are_reused():
    built = []

    def build():
        built.append(1)
        return len(built)

    with page_cache.request_scope(), CaptureQueriesContext(connection) as queries:
        first = page_cache.remember("test-thing", ("a",), build)
        second = page_cache.remember("test-thing", ("a",), build)
        page_cache.data_version()
    assert first == second == 1 and len(built) == 1
    assert len(queries.captured_queries) == 1  # the one version query

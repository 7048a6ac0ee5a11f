"""Loading case data from the store, stored results, recompute, and the CLI end to end."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import polars as pl
import pytest
from click.testing import CliRunner

from csc_scorecard.indicators import command as command_module
from csc_scorecard.indicators.casedata import SCHEMAS, load_case_data
from csc_scorecard.indicators.results import (
    compute_and_store,
    covered_financial_years,
    recompute_after_ingest,
    stored_values,
)

D = dt.date
_sha = itertools.count()


def submission(return_type, year="", subtype="", la_code="123", current=True):
    from csc_scorecard.store.models import Submission

    return Submission.objects.create(
        return_type=return_type, year=year, subtype=subtype, la_code=la_code,
        sha256=f"{next(_sha):064d}", is_current=current,
    )


def test_schemas_match_the_store_models(db):
    from csc_scorecard.store.models import CANONICAL_TABLES, table_fields

    assert set(SCHEMAS) == set(CANONICAL_TABLES)
    for table in CANONICAL_TABLES:
        fields = [f for f in table_fields(table) if f != "source_row"]
        assert list(SCHEMAS[table]) == fields, table


@pytest.fixture()
def store(db):
    from csc_scorecard.store import models as m

    cin_old = submission("cin_census", "2023-24")
    cin_new = submission("cin_census", "2024-25")
    cin_withdrawn = submission("cin_census", "2022-23", current=False)
    ssda = submission("ssda903", "2024-25")
    alloc_old = submission("local", "2023-24", subtype="allocations")
    alloc_new = submission("local", "2024-25", subtype="allocations")
    teams = submission("local", subtype="teams")

    # An episode open across 31 March 2024: in both censuses; the 2024-25 copy wins.
    m.Referral.objects.create(submission=cin_old, child_id="A", referral_date=D(2024, 2, 1))
    m.Referral.objects.create(
        submission=cin_new, child_id="A", referral_date=D(2024, 2, 1), closure_date=D(2024, 6, 1)
    )
    m.Referral.objects.create(submission=cin_new, child_id="A", referral_date=D(2024, 9, 1))
    m.Referral.objects.create(submission=cin_new, child_id="B", referral_date=D(2024, 5, 1), nfa=True)
    m.Referral.objects.create(submission=cin_withdrawn, child_id="Z", referral_date=D(2024, 5, 1))
    m.CpPlan.objects.create(submission=cin_new, child_id="A", start_date=D(2024, 10, 1))
    m.ClaEpisode.objects.create(submission=ssda, child_id="C", start_date=D(2024, 7, 1))

    # Child characteristics: each from the latest submission that records it.
    m.Child.objects.create(submission=cin_old, child_id="A", sex="M", ethnicity="WBRI",
                           birth_date=D(2012, 1, 1))
    m.Child.objects.create(submission=cin_new, child_id="A", sex="F", ethnicity="",
                           disabilities="NONE")
    m.Child.objects.create(submission=ssda, child_id="C", sex="M", birth_date=D(2010, 3, 3))

    # Allocation extracts are histories: each year's adds to the others, and an
    # allocation in both (open at the first's year end) is kept once, from the latest.
    m.Allocation.objects.create(submission=alloc_old, child_id="A", team="Old team",
                                start_date=D(2020, 1, 1), end_date=D(2023, 12, 31))
    m.Allocation.objects.create(submission=alloc_old, child_id="A", team="T1",
                                start_date=D(2024, 1, 1), end_date=D(2024, 3, 1))
    m.Allocation.objects.create(submission=alloc_new, child_id="A", team="T1",
                                start_date=D(2024, 1, 1))
    m.Allocation.objects.create(submission=alloc_new, child_id="B", team="T2",
                                start_date=D(2024, 1, 1))
    m.Team.objects.create(submission=teams, team="T1", area="North")
    m.Team.objects.create(submission=teams, team="T2", area="South")
    return {"cin_old": cin_old, "cin_new": cin_new, "ssda": ssda, "alloc_new": alloc_new}


def test_load_case_data_rules(store):
    data = load_case_data("123")
    ref = data["referral"].sort("referral_date")
    # Z's withdrawn return is ignored; A's February episode kept once, from 2024-25
    assert ref["child_id"].to_list() == ["A", "B", "A"]
    feb = ref.row(0, named=True)
    assert feb["collection_year"] == "2024-25" and feb["closure_date"] == D(2024, 6, 1)
    assert ref.schema["referral_date"] == pl.Date and ref.schema["nfa"] == pl.Boolean
    alloc = data["allocation"].sort("child_id", "start_date")
    assert alloc["team"].to_list() == ["Old team", "T1", "T2"]
    assert alloc["end_date"].to_list() == [D(2023, 12, 31), None, None]
    child = {r["child_id"]: r for r in data["child"].iter_rows(named=True)}
    assert child["A"]["sex"] == "F"  # latest
    assert child["A"]["ethnicity"] == "WBRI"  # latest that records one
    assert child["A"]["birth_date"] == D(2012, 1, 1)
    assert child["A"]["disabilities"] == "NONE"
    assert data["cla_episode"].height == 1
    assert data["contact"].is_empty() and data["contact"].schema["contact_date"] == pl.Date
    assert set(data.submissions) >= {store["cin_old"].pk, store["cin_new"].pk, store["ssda"].pk}
    assert not any("Annex A" in n for n in data.notes)


def test_annex_a_fallback_when_no_census(db):
    from csc_scorecard.store import models as m

    annex = submission("annex_a", "2024-25")
    m.Referral.objects.create(submission=annex, child_id="A", referral_date=D(2024, 5, 1))
    m.Contact.objects.create(submission=annex, child_id="A", contact_date=D(2024, 4, 30))
    data = load_case_data()
    assert data["referral"].height == 1 and data["contact"].height == 1
    assert any("referral: no CIN census loaded; read from Annex A" in n for n in data.notes)


def test_compute_and_store_replaces_values(store):
    from csc_scorecard.results.models import IndicatorValue
    from csc_scorecard.store import models as m

    written = compute_and_store(["2024-25", "2024-25-Q2"], la_code="123", population=10_000)
    assert written == IndicatorValue.objects.count() > 0
    values = stored_values("2024-25", la_code="123", breakdown="all")
    row = values.filter(pl.col("indicator_id") == "referrals_count").row(0, named=True)
    # A 1 Sep 2024 and B 1 May 2024 (A's February referral is in 2023-24)
    assert (row["numerator"], row["value"]) == (2, 2)
    rate = IndicatorValue.objects.get(
        indicator_id="referrals_rate_per_10k", period="2024-25", breakdown="all", la_code="123"
    )
    assert (rate.denominator, rate.value) == (10_000, 2.0)
    assert store["cin_new"].pk in rate.submissions
    north = IndicatorValue.objects.get(
        indicator_id="referrals_count", period="2024-25", breakdown="area", breakdown_value="North"
    )
    assert north.value == 1

    # A new referral, recompute: the old values are replaced, not duplicated.
    m.Referral.objects.create(submission=store["cin_new"], child_id="B", referral_date=D(2025, 1, 5))
    again = compute_and_store(["2024-25", "2024-25-Q2"], la_code="123", population=10_000)
    assert again == IndicatorValue.objects.count()  # replaced: no duplicates left
    row = stored_values("2024-25", la_code="123", breakdown="all").filter(
        pl.col("indicator_id") == "referrals_count"
    ).row(0, named=True)
    assert row["value"] == 3


def test_unique_key(store):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from csc_scorecard.results.models import IndicatorValue

    fields = dict(indicator_id="x", period="2024-25", breakdown="all", breakdown_value="all",
                  la_code="123", numerator=1, computed_at=timezone.now())
    IndicatorValue.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(**fields)


def test_recompute_after_ingest_covers_the_store_years(store):
    from csc_scorecard.results.models import IndicatorValue

    assert covered_financial_years("123") == ["2023-24", "2024-25"]
    written = recompute_after_ingest()
    assert set(written) == {"123"}
    periods = set(IndicatorValue.objects.values_list("period", flat=True))
    assert {"2023-24", "2024-25", "2024-25-Q4", "2024-03", "2025-03"} <= periods
    assert "2022-23" not in periods  # only a withdrawn return covers it


def test_cli_end_to_end_through_the_store(store, monkeypatch):
    from csc_scorecard import django_setup

    monkeypatch.setattr(django_setup, "_ready", True)  # pytest-django has set Django up
    runner = CliRunner()
    out = runner.invoke(
        command_module.indicators_command,
        ["--period", "2024-25", "--by", "area", "--indicator", "cin_open_count", "--la", "123"],
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    # open at 31 Mar 2025: A's September episode (T1, North); B's is NFA
    assert [(r["area"], r["numerator"]) for r in rows] == [("North", "1"), ("South", "0")]
    bad = runner.invoke(command_module.indicators_command, ["--period", "2025-27"])
    assert bad.exit_code == 2 and "not a valid period" in bad.output

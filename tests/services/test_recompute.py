"""Stale is decided from what results were computed from; recompute touches only stale years."""

import json

import polars as pl
import pytest
from services_storekit import D, referrals, submission, teams

from csc_scorecard.services.recompute import recompute, stale_summary, stale_years

pytestmark = pytest.mark.django_db

QUICK = {"quarters": False, "months": False}  # whole years only: the rule is per year


@pytest.fixture()
def three_years():
    """Council 123 with a CIN census for 2022-23, 2023-24 and 2024-25."""
    subs = {}
    for n, year in enumerate(("2022-23", "2023-24", "2024-25")):
        subs[year] = submission("cin_census", year)
        start = 2022 + n
        referrals(subs[year], (f"C{n}", D(start, 6, 1)), (f"D{n}", D(start, 9, 1)))
    teams(allocations=[])
    return subs


def _stale(**kw):
    return {s.year: s.reasons for s in stale_years(**kw)}


def _computed_at():
    from csc_scorecard.results.models import ComputedYear

    return {c.year: c.computed_at for c in ComputedYear.objects.filter(la_code="123")}


def test_nothing_computed_is_stale_and_recompute_computes_each_year_once(three_years):
    assert _stale() == {y: ("not computed yet",) for y in three_years}
    [summary] = recompute(**QUICK)
    assert sorted(summary.years) == ["2022-23", "2023-24", "2024-25"] and summary.rows > 0
    assert _stale() == {}
    assert stale_summary() == []
    [again] = recompute(**QUICK)
    assert again.years == {} and again.rows == 0
    assert "nothing is stale" in str(again)


def test_a_new_submission_makes_exactly_its_neighbouring_years_stale(three_years):
    from csc_scorecard.results.models import IndicatorValue

    recompute(**QUICK)
    before = _computed_at()
    # a 903 of 2023-24 feeds 2022-23 (a later return repeats open records), 2023-24 itself,
    # and 2024-25 (whose look-backs read it): all three here
    s903 = submission("ssda903", "2023-24")
    assert set(_stale()) == {"2022-23", "2023-24", "2024-25"}
    recompute(**QUICK)
    # a 2024-25 return feeds 2023-24, 2024-25 (and 2025-26, 2026-27, not loaded): not 2022-23
    new = submission("cin_census", "2024-25", la_code="123")
    stale = _stale()
    assert stale == {y: (f"new submission #{new.pk}",) for y in ("2023-24", "2024-25")}
    assert f"results for 2024-25 (LA 123) are stale: new submission #{new.pk}" in stale_summary()
    mid = _computed_at()
    [summary] = recompute(**QUICK)
    assert sorted(summary.years) == ["2023-24", "2024-25"]
    after = _computed_at()
    assert after["2022-23"] == mid["2022-23"]  # untouched
    assert after["2023-24"] > mid["2023-24"] and after["2024-25"] > mid["2024-25"]
    old_values = IndicatorValue.objects.filter(period="2022-23")
    assert {v.computed_at for v in old_values} == {mid["2022-23"]}
    assert before["2022-23"] < mid["2022-23"]  # recomputed once, for the 903
    recorded = IndicatorValue.objects.filter(period="2024-25").first().computed_year
    assert [s903.pk, s903.sha256] in recorded.submissions and [new.pk, new.sha256] in recorded.submissions


def test_superseding_a_return_marks_the_same_years(three_years):
    from csc_scorecard.store.models import Submission

    recompute(**QUICK)
    Submission.objects.filter(pk=three_years["2022-23"].pk).update(is_current=False)
    gone = three_years["2022-23"].pk
    # 2022-23's return fed 2022-23, 2023-24 and 2024-25 (look-backs of two years)
    assert _stale() == {y: (f"submission #{gone} superseded or removed",)
                        for y in ("2023-24", "2024-25")}
    # 2022-23 is no longer covered by a current return, so it is not listed at all


def test_council_yml_changes_mark_only_what_they_change(three_years, home):
    recompute(**QUICK)
    (home / "council.yml").write_text("la_code: '123'\nname: Testshire\nneighbours_like: '933'\n")
    assert _stale() == {}  # the name and the neighbours feed no stored figure
    (home / "council.yml").write_text("la_code: '123'\npopulation_0_17: 20000\n")
    assert _stale() == {y: ("council settings changed (0-17 population)",) for y in three_years}
    recompute(**QUICK)
    from csc_scorecard.results.models import IndicatorValue

    rate = IndicatorValue.objects.get(indicator_id="referrals_rate_per_10k", period="2024-25",
                                      breakdown="all")
    # 2 referrals in 2024-25 per 20,000 children: 2 / 20000 * 10000 = 1.0
    assert (rate.denominator, rate.value) == (20_000, 1.0)


def _import_reference(home, populations, label):
    """What `reference import` leaves: the population parquet and a manifest (hand-made)."""
    folder = home / "reference"
    folder.mkdir(exist_ok=True)
    rows = [
        {"la_code": "123", "ons_code": "E10000123", "la_name": "Testshire",
         "geographic_level": "Local authority", "region_code": "E12000009", "mid_year": year,
         "population_0_17": value, "raw": str(value), "vintage": f"mid-{year}",
         "release": label, "source_file": "population.csv"}
        for year, value in populations.items()
    ]
    pl.DataFrame(rows).write_parquet(folder / "population.parquet")
    (folder / "manifest.json").write_text(json.dumps({"imported_at": label, "files": []}))


def test_reference_import_restales_only_the_years_whose_population_changed(three_years, home):
    from csc_scorecard.results.models import IndicatorValue

    def rate(period):
        return IndicatorValue.objects.get(indicator_id="referrals_rate_per_10k", period=period,
                                          breakdown="all")

    # the first import runs to mid-2023: 2024-25 (which needs mid-2024) has no population
    _import_reference(home, {2022: 50_000, 2023: 40_000}, "first")
    recompute(**QUICK)
    assert rate("2023-24").denominator == 40_000 and "mid-2023" in rate("2023-24").population_note
    assert rate("2024-25").value is None
    before = _computed_at()

    # a new import adds mid-2024 and leaves the older estimates as they were
    _import_reference(home, {2022: 50_000, 2023: 40_000, 2024: 25_000}, "second")
    assert _stale() == {"2024-25": ("reference data changed (0-17 population)",)}
    assert "results for 2024-25 (LA 123) are stale: reference data changed (0-17 population)" \
        in stale_summary()
    [summary] = recompute(**QUICK)
    assert list(summary.years) == ["2024-25"]
    after = _computed_at()
    assert after["2022-23"] == before["2022-23"] and after["2023-24"] == before["2023-24"]
    # the rate now uses the ONS mid-2024 estimate: 2 referrals / 25,000 * 10,000 = 0.8
    assert (rate("2024-25").denominator, rate("2024-25").value) == (25_000, 0.8)
    assert "ONS mid-2024 estimate" in rate("2024-25").population_note
    assert _stale() == {}


def test_recompute_of_one_period_recomputes_its_year_only(three_years):
    recompute(**QUICK)
    before = _computed_at()
    [summary] = recompute("2023-24-Q2", **QUICK)
    assert summary.years == {"2023-24": ["asked for"]}
    after = _computed_at()
    assert after["2023-24"] > before["2023-24"]
    assert after["2022-23"] == before["2022-23"] and after["2024-25"] == before["2024-25"]


def test_recompute_and_status_commands(three_years):
    from click.testing import CliRunner

    from csc_scorecard.cli import cli

    runner = CliRunner()
    status = runner.invoke(cli, ["status"])
    assert status.exit_code == 0, status.output
    assert "results for 2024-25 (LA 123) are stale: not computed yet" in status.output
    done = runner.invoke(cli, ["recompute", "--period", "2024-25"])
    assert done.exit_code == 0, done.output
    assert "LA 123: recomputed 2024-25" in done.output
    status = runner.invoke(cli, ["status"])
    assert "2024-25 (LA 123) are stale" not in status.output
    assert "2023-24 (LA 123) are stale" in status.output
    bad = runner.invoke(cli, ["recompute", "--period", "2024-26"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_recompute_stores_the_newest_stale_year_first(three_years):
    # Each year is computed and stored on its own, newest first, so the year a council
    # has just uploaded is on the scorecard before the older years it made stale.
    import io

    from csc_scorecard.progress import PlainProgress

    progress = PlainProgress(io.StringIO())
    [summary] = recompute(progress=progress, **QUICK)
    labels = [label for label, _ in progress.timings]
    assert labels == ["Recomputing 2024-25 (LA 123)", "Recomputing 2023-24 (LA 123)",
                      "Recomputing 2022-23 (LA 123)"]
    stored = _computed_at()
    assert stored["2024-25"] <= stored["2023-24"] <= stored["2022-23"]
    assert summary.rows > 0

"""Consistency on a synthetic council, through the real path: synth -> ingest -> store -> engine.

The council is the session's shared one (``synthetic_council``, tests/conftest.py):
generated, ingested and loaded back from the store once.

- the four quarters' flows add up to the year (each event falls in exactly one quarter);
- area and team breakdowns add up to the whole council for counts.
"""

import polars as pl
import pytest

from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.indicators.engine import compute

YEAR = "2024-25"
QUARTERS = [f"{YEAR}-Q{q}" for q in range(1, 5)]

# Flow counts of children rather than events: a child counted once in the year
# can start (or stop) being looked after in two quarters.
COUNTS_OF_CHILDREN = {"cla_starts_count", "cla_ends_count"}
# Percentages over events in the period: numerator and denominator both add up.
EVENT_PERCENTAGES = [
    "rereferrals_12m_pct",
    "referrals_nfa_pct",
    "referrals_to_assessment_pct",
    "assessments_45wd_pct",
    "icpc_15wd_pct",
    "cp_repeat_ever_pct",
]


@pytest.fixture(scope="module")
def results(synthetic_council):
    """The session's synthetic council (tests/conftest.py), computed for the year and its quarters."""
    return compute(synthetic_council.case_data, [YEAR, *QUARTERS], breakdowns=["all", "area", "team"])


def whole(results, period, ident):
    return results.filter(
        pl.col("period") == period, pl.col("breakdown") == "all", pl.col("indicator_id") == ident
    ).row(0, named=True)


def test_quarterly_flows_add_up_to_the_year(results):
    catalogue = get_catalogue()
    flows = [e for e in catalogue if e.period_type == "flow" and e.unit == "count"]
    assert len(flows) >= 8
    checked = 0
    for entry in flows:
        year = whole(results, YEAR, entry.id)["numerator"]
        quarters = sum(whole(results, q, entry.id)["numerator"] for q in QUARTERS)
        if entry.id in COUNTS_OF_CHILDREN:
            assert year <= quarters <= year * 1.1, entry.id
        else:
            assert quarters == year, f"{entry.id}: quarters {quarters} != year {year}"
            checked += year > 0
    assert checked >= 6  # real numbers were compared, not zeros
    for ident in EVENT_PERCENTAGES:
        year = whole(results, YEAR, ident)
        assert year["denominator"] > 0, ident
        for part in ("numerator", "denominator"):
            total = sum(whole(results, q, ident)[part] for q in QUARTERS)
            assert total == year[part], f"{ident} {part}"


@pytest.mark.parametrize("breakdown", ["area", "team"])
def test_area_and_team_counts_add_up_to_the_whole_council(results, breakdown):
    counts = [e.id for e in get_catalogue() if e.unit == "count"]
    parts = (
        results.filter(pl.col("breakdown") == breakdown, pl.col("indicator_id").is_in(counts))
        .group_by("indicator_id", "period")
        .agg(pl.col("numerator").sum().alias("parts"), pl.len().alias("n"))
    )
    totals = results.filter(pl.col("breakdown") == "all", pl.col("indicator_id").is_in(counts)).select(
        "indicator_id", "period", pl.col("numerator").alias("total")
    )
    joined = totals.join(parts, on=["indicator_id", "period"], how="left")
    assert joined.filter(pl.col("n").is_null()).is_empty()
    mismatched = joined.filter(pl.col("parts") != pl.col("total"))
    assert mismatched.is_empty(), mismatched
    assert joined["total"].sum() > 1000
    # the synthetic county has several areas, each with work in it
    areas = results.filter(pl.col("breakdown") == "area", pl.col("indicator_id") == "referrals_count",
                           pl.col("period") == YEAR)
    assert (areas["numerator"] > 0).sum() >= 4

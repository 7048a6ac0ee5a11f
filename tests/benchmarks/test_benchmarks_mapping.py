"""measures.yml: every indicator id is mapped to a published figure that exists."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from csc_scorecard.benchmarks.mapping import (
    INDICATOR_IDS,
    MeasuresError,
    load_mapping,
    parse_mapping_text,
)
from csc_scorecard.indicators.catalogue import get_catalogue
from csc_scorecard.indicators.vocab import Polarity, Unit


@pytest.fixture(scope="module")
def mapping():
    return load_mapping()


@pytest.fixture(scope="module")
def measures_2025(ref_dir: Path) -> pl.DataFrame:
    return pl.read_parquet(ref_dir / "measures.parquet").filter(pl.col("year") == "2024-25")


def test_every_indicator_is_mapped_or_explained(mapping) -> None:
    covered = set(mapping.indicators) | set(mapping.unmapped)
    assert covered == set(INDICATOR_IDS)
    assert not set(mapping.indicators) & set(mapping.unmapped)
    for reason in mapping.unmapped.values():
        assert reason.strip()


def test_every_mapped_figure_exists_for_2024_25(mapping, measures_2025: pl.DataFrame) -> None:
    for ind in mapping.indicators.values():
        rows = measures_2025.filter(pl.col("measure_id") == ind.published.measure_id)
        las = rows.filter(
            pl.col("geographic_level") == "Local authority", pl.col("value").is_not_null()
        )
        assert las.height >= 60, (
            f"{ind.indicator_id}: {ind.published.describe()} has {las.height} LAs"
        )
        assert rows.filter(pl.col("geographic_level") == "National").height == 1, ind.indicator_id


def test_polarity_agrees_with_the_lait_dictionary(mapping, ref_dir: Path) -> None:
    # The polarity is the catalogue's (one vocabulary); LAIT's High/Low must agree with it.
    dictionary = pl.read_parquet(ref_dir / "lait_dictionary.parquet")
    polarity = dict(zip(dictionary["short_desc"], dictionary["polarity"], strict=True))
    checked = 0
    for ind in mapping.indicators.values():
        lait = ind.published.lait or (ind.also_in.lait if ind.also_in else None)
        if lait is None or ind.unit == "count":
            continue
        published = Polarity.parse(polarity[lait] if polarity[lait] in ("High", "Low") else "contextual")
        if ind.transform == "complement":  # "not in touch" turned into "in touch"
            published = {
                Polarity.HIGHER_BETTER: Polarity.LOWER_BETTER,
                Polarity.LOWER_BETTER: Polarity.HIGHER_BETTER,
            }.get(published, published)
        assert ind.polarity is published, f"{ind.indicator_id}: LAIT {lait} is {polarity[lait]}"
        assert ind.polarity is get_catalogue()[ind.indicator_id].polarity
        checked += 1
    assert checked >= 25


@pytest.mark.parametrize("la_code", ["E92000001", "335", "933"])
def test_open_data_and_lait_agree(mapping, measures_2025: pl.DataFrame, la_code: str) -> None:
    compared = 0
    for ind in mapping.indicators.values():
        if ind.also_in is None:
            continue
        values = {}
        for src in (ind.published, ind.also_in):
            hit = measures_2025.filter(
                pl.col("measure_id") == src.measure_id, pl.col("la_code") == la_code
            )["value"]
            values[src.measure_id] = hit[0] if hit.len() else None
        a, b = values.values()
        if a is None or b is None:
            continue
        assert a == pytest.approx(b, abs=0.051), f"{ind.indicator_id} for {la_code}: {values}"
        compared += 1
    assert compared >= 15


@pytest.mark.parametrize(
    ("la_code", "count_measure", "rate_measure"),
    [
        (
            "E92000001",
            "c1_children_in_need_referrals_and_rereferrals:referral_count",
            "lait:CPP_Total_Rateper10,000",
        ),
        (
            "335",
            "c1_children_in_need_referrals_and_rereferrals:referral_count",
            "lait:CPP_Total_Rateper10,000",
        ),
        ("E92000001", "b1_children_in_need:At31_episodes", "lait:CIN"),
        ("335", "d5_cpps_at31march_by_duration:CPP_At31", "lait:CPP_rate"),
    ],
)
def test_lait_rates_are_counts_over_the_mid_2024_population(
    measures_2025: pl.DataFrame, ref_dir: Path, la_code: str, count_measure: str, rate_measure: str
) -> None:
    pop = (
        pl.read_parquet(ref_dir / "population.parquet")
        .filter(pl.col("la_code") == la_code, pl.col("mid_year") == 2024)["population_0_17"]
        .item()
    )

    def value(measure_id: str) -> float:
        return measures_2025.filter(
            pl.col("measure_id") == measure_id, pl.col("la_code") == la_code
        )["value"].item()

    assert round(value(count_measure) / pop * 10_000, 1) == pytest.approx(value(rate_measure))


GOOD = """\
version: 1
indicators:
  referrals_count:
    polarity_basis: a volume
    dp: 0
    period: year ending 31 March
    published: {dataset: c1_children_in_need_referrals_and_rereferrals, column: referral_count}
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        # ids are the catalogue's: an unknown one is an error at its line
        ("  referrals_count:", "  referrals_cnt:", 3, "'referrals_cnt' is not in the indicator catalogue"),
        # unit, polarity and title are the catalogue's, not repeated here
        ("    dp: 0", "    dp: 0\n    polarity: low", 6, "unknown key 'polarity' (it is the catalogue's)"),
        ("    dp: 0", "    dp: 0\n    unit: ratio", 6, "unknown key 'unit'"),
        ("    dp: 0", "    dp: one", 5, "dp must be a whole number"),
        ("column: referral_count}", "column: referral_count, filters: {a: b}}", 7,
         "needs filters on exactly"),
        ("dataset: c1_children_in_need_referrals_and_rereferrals", "dataset: nope", 7,
         "unknown dataset"),
        ("    period: year ending 31 March\n", "", 3, "lacks period"),
        ("version: 1", "version: 1\ncolour: red", 2, "unknown key 'colour'"),
        ("    dp: 0", "    dp: [0", 6, "not valid YAML"),  # seen where the list fails to close
    ],
)
def test_bad_mapping_is_a_located_error(old, new, line, words) -> None:
    assert old in GOOD
    assert "referrals_count" in parse_mapping_text(GOOD, "m.yml").indicators
    with pytest.raises(MeasuresError) as caught:
        parse_mapping_text(GOOD.replace(old, new, 1), "m.yml")
    assert words in str(caught.value) and str(caught.value).startswith("m.yml, line")
    assert caught.value.line == line, str(caught.value)


def test_a_mapped_indicator_must_name_its_dfe_measure_in_the_catalogue() -> None:
    text = GOOD.replace("referrals_count:", "contacts_count:")  # a LOCAL measure: dfe_measure null
    with pytest.raises(MeasuresError, match=r"m\.yml, line 3: contacts_count has no dfe_measure"):
        parse_mapping_text(text, "m.yml")


def test_unit_and_polarity_come_from_the_catalogue(mapping) -> None:
    caseload = mapping["sw_caseload_avg"]  # measures.yml once said "ratio" and "low"
    assert caseload.unit is Unit.AVERAGE and caseload.polarity is Polarity.LOWER_BETTER
    entry = get_catalogue()["referrals_count"]
    assert mapping["referrals_count"].title == entry.dfe_measure

"""What the importer knows about each published reference file.

A :class:`DatasetSpec` says how to recognise a DfE open-data CSV by its file
name, which columns must be there, which columns describe a breakdown
(dimensions) and how its ``time_period`` is to be read. The values of every
other column become tidy rows in ``measures.parquet``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Columns common to every DfE open-data CSV at national/regional/LA level.
GEOGRAPHY_COLUMNS: tuple[str, ...] = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)

# Columns the importer needs from each CSV (the rest are optional).
REQUIRED_GEOGRAPHY: tuple[str, ...] = (
    "time_period",
    "geographic_level",
    "country_code",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)

# Reference-date conventions.
#   "march": time_period 2025 = year ending (or snapshot at) 31 March 2025.
#   "september": time_period 2025 = snapshot at 30 September 2025 (workforce).
PERIOD_MARCH = "march"
PERIOD_SEPTEMBER = "september"


@dataclass(frozen=True)
class DatasetSpec:
    key: str
    description: str
    dimensions: tuple[str, ...] = ()
    required_values: tuple[str, ...] = ()
    period: str = PERIOD_MARCH
    ignore: tuple[str, ...] = ("category",)
    aliases: tuple[str, ...] = field(default_factory=tuple)

    def matches(self, file_name: str) -> bool:
        stem = normalise_stem(file_name)
        return stem == self.key or stem in self.aliases


def normalise_stem(file_name: str) -> str:
    """``c1_children_in_need_..._2013_to_2025.csv`` -> ``c1_children_in_need_...``."""
    stem = file_name.rsplit("/", 1)[-1]
    stem = re.sub(r"\.csv$", "", stem, flags=re.IGNORECASE).lower()
    stem = re.sub(r"_\d{4}_to_\d{4}$", "", stem)
    return stem


DFE_DATASETS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        "b1_children_in_need",
        "Children in need episodes: at any point, starting, ending, at 31 March",
        required_values=("At31_episodes", "Started_episodes"),
    ),
    DatasetSpec(
        "c1_children_in_need_referrals_and_rereferrals",
        "Referrals, re-referrals within 12 months, no further action",
        required_values=("referral_count", "rereferral_percent", "no_further_action_percent"),
    ),
    DatasetSpec(
        "c3_factors_identified_at_end_of_assessment",
        "Factors identified at the end of assessment",
    ),
    DatasetSpec(
        "c4_children_in_need_section_47s_and_icpcs",
        "Section 47 enquiries, initial child protection conferences, ICPC timeliness bands",
        required_values=("Section47", "ICPC"),
    ),
    DatasetSpec(
        "d3_cpps_subsequent_plan",
        "Child protection plans starting, second or subsequent plans",
        required_values=("CPP_start", "CPP_subsequent_percent"),
    ),
    DatasetSpec(
        "d5_cpps_at31march_by_duration",
        "Child protection plans at 31 March by length",
        required_values=("CPP_At31", "2_years_or_more_percent"),
    ),
    DatasetSpec(
        "cla_number_and_rate_per_10k_children",
        "Children looked after at 31 March, starting, ceasing; rate per 10,000",
        dimensions=("population_type",),
        required_values=("children_count", "rate_per_10000"),
    ),
    DatasetSpec(
        "la_cla_placement_stability",
        "Placement stability: 3+ placements; long-term stability",
        dimensions=("cla_group", "placement_stability"),
        required_values=("children_count", "children_percent"),
    ),
    DatasetSpec(
        "la_cla_during_year_new_placements",
        "New placements during the year by location and reason for change",
        dimensions=("characteristic", "breakdown"),
        required_values=("children_count", "children_percent"),
    ),
    DatasetSpec(
        "la_conviction_health_outcome_cla",
        "Health assessments, dental checks, immunisations, SDQ, convictions",
        dimensions=("characteristic", "breakdown"),
        required_values=("children_count", "children_percent"),
    ),
    DatasetSpec(
        "la_care_leavers_activity",
        "Care leavers' activity (EET/NEET) by age group",
        dimensions=("care_leaver_age", "breakdown"),
        required_values=("care_leaver_count", "care_leaver_percent"),
    ),
    DatasetSpec(
        "la_care_leavers_accommodation_suitability",
        "Care leavers' accommodation suitability by age group",
        dimensions=("care_leaver_age", "breakdown"),
        required_values=("care_leaver_count", "care_leaver_percent"),
    ),
    DatasetSpec(
        "la_cla_swcount",
        "Children looked after with 3 or more social workers in the year",
        dimensions=("cla_group", "sw_stability"),
        required_values=("number", "percentage"),
    ),
    DatasetSpec(
        "csww_indicators",
        "Children's social work workforce at 30 September",
        period=PERIOD_SEPTEMBER,
        required_values=(
            "caseload_fte",
            "agency_rate_fte",
            "turnover_rate_fte",
            "vacancy_rate_fte",
        ),
    ),
    DatasetSpec(
        "csww_headline_measures",
        "Children's social work workforce headline measures (older series)",
        period=PERIOD_SEPTEMBER,
    ),
)

POPULATION_KEY = "ons_mid-year_population_estimates"
POPULATION_REQUIRED: tuple[str, ...] = REQUIRED_GEOGRAPHY + ("population_estimate",)

LAIT_FILE = "bds_long_0.parquet"
LAIT_REQUIRED: tuple[str, ...] = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
LAIT_DICTIONARY_FILE = "lait_data_dictionary.csv"
LAIT_DICTIONARY_REQUIRED: tuple[str, ...] = ("Measure_short", "Polarity", "Year_Type")

# Statistical neighbour files: a 3-digit code column and SN1..SN10.
NEIGHBOUR_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^sn_model_(\d{4})_wide\.csv$", re.IGNORECASE),
    re.compile(r"statistical_neighbour_groupings_\w*?(\d{4})\.csv$", re.IGNORECASE),
)


def find_dfe_spec(file_name: str) -> DatasetSpec | None:
    for spec in DFE_DATASETS:
        if spec.matches(file_name):
            return spec
    return None


def neighbour_model_of(file_name: str) -> str | None:
    """The model year a neighbour file belongs to ("2025"), or None."""
    for pattern in NEIGHBOUR_PATTERNS:
        m = pattern.search(file_name.rsplit("/", 1)[-1])
        if m:
            return m.group(1)
    return None

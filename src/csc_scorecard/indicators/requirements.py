"""What an indicator needs that a council may not have loaded, in words.

An indicator function raises :class:`~csc_scorecard.indicators.registry.Unavailable`
with one of these reasons when the data it needs is not held at all; the
engine then leaves the value empty (never 0). Stored results keep no reason,
so the reports read it from here: a figure stored empty with no denominator
for an indicator listed here is shown as its reason.
"""

from __future__ import annotations

LOCAL_CSVS = "see docs/local_csvs.md"


def needs_extract(name: str) -> str:
    return f"no data: needs the {name} extract ({LOCAL_CSVS})"


ASSESSMENT_TIMESCALES = needs_extract("assessment timescales")
S47_COMPLETIONS = needs_extract("S47 completions")
HEALTH_ASSESSMENTS = needs_extract("initial health assessments")
EARLY_HELP = needs_extract("early help")
EARLY_HELP_ASSESSMENTS = (
    f"no data: needs Annex A list 2 (early help assessments) or the early help extract ({LOCAL_CSVS})"
)
STRATEGY_DISCUSSIONS = (
    "no data: needs Annex A list 5 (the date of the strategy discussion initiating each "
    "section 47 enquiry); the CIN census does not record strategy discussions"
)

#: indicator id -> why it can have no value (declared rates take their count's reason)
MISSING_DATA: dict[str, str] = {
    "assessments_on_time_by_priority_pct": ASSESSMENT_TIMESCALES,
    "assessments_cancelled_count": ASSESSMENT_TIMESCALES,
    "s47_completed_10wd_pct": S47_COMPLETIONS,
    "cla_iha_timely_pct": HEALTH_ASSESSMENTS,
    "early_help_open_count": EARLY_HELP,
    "early_help_starts_count": EARLY_HELP,
    "early_help_closed_count": EARLY_HELP,
    "early_help_closed_outcomes_met_pct": EARLY_HELP,
    "early_help_stepped_up_pct": EARLY_HELP,
    "early_help_assessments_count": EARLY_HELP_ASSESSMENTS,
    "strategy_discussions_count": STRATEGY_DISCUSSIONS,
}


def missing_data_reason(indicator_id: str) -> str | None:
    """The reason ``indicator_id`` may have no value, or None when it always has data."""
    from csc_scorecard.indicators.catalogue import get_catalogue

    catalogue = get_catalogue()
    if indicator_id in catalogue and catalogue[indicator_id].rate_of:
        indicator_id = catalogue[indicator_id].rate_of or indicator_id
    return MISSING_DATA.get(indicator_id)

"""Front door: contacts, referrals, assessments, section 47 enquiries, ICPCs.

Definitions are in catalogue/front_door.yml; each function returns unit rows.
"""

from __future__ import annotations

import polars as pl

from csc_scorecard.indicators import requirements
from csc_scorecard.indicators.casedata import within_working_days
from csc_scorecard.indicators.registry import CaseData, Unavailable, indicator, units
from csc_scorecard.periods import Period, in_period_expr

ONE = pl.lit(1.0)


def _referrals_in(data: CaseData, period: Period) -> pl.DataFrame:
    return data["referral"].filter(in_period_expr("referral_date", period))


@indicator("contacts_count")
def contacts_count(data: CaseData, period: Period) -> pl.DataFrame:
    contacts = data["contact"].filter(in_period_expr("contact_date", period))
    return units(contacts, date=pl.col("contact_date"), numerator=ONE)


@indicator("referrals_count")
def referrals_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(_referrals_in(data, period), date=pl.col("referral_date"), numerator=ONE)


def _rereferrals(data: CaseData, period: Period) -> pl.DataFrame:
    """Referrals in the period, with ``_rereferral`` true when one of the same child preceded
    it within 12 months: on or after the same calendar day one year before (29 Feb -> 28 Feb),
    and strictly before."""
    dates = (
        data["referral"]
        .select("child_id", "referral_date")
        .filter(pl.col("referral_date").is_not_null())
        .unique()
        .sort("child_id", "referral_date")
        .with_columns(
            pl.when(pl.col("child_id") == pl.col("child_id").shift(1))
            .then(pl.col("referral_date").shift(1))
            .alias("previous")
        )
    )
    referrals = _referrals_in(data, period).join(
        dates, on=["child_id", "referral_date"], how="left"
    )
    rereferral = (
        pl.col("previous").is_not_null()
        & (pl.col("previous") >= pl.col("referral_date").dt.offset_by("-1y"))
    ).fill_null(False)
    return referrals.with_columns(rereferral.alias("_rereferral"))


@indicator("rereferrals_12m_pct")
def rereferrals_12m_pct(data: CaseData, period: Period) -> pl.DataFrame:
    return units(
        _rereferrals(data, period),
        date=pl.col("referral_date"),
        numerator=pl.col("_rereferral"),
        denominator=ONE,
    )


@indicator("rereferrals_12m_count")
def rereferrals_12m_count(data: CaseData, period: Period) -> pl.DataFrame:
    rereferrals = _rereferrals(data, period).filter(pl.col("_rereferral"))
    return units(rereferrals, date=pl.col("referral_date"), numerator=ONE)


@indicator("referrals_nfa_pct")
def referrals_nfa_pct(data: CaseData, period: Period) -> pl.DataFrame:
    return units(
        _referrals_in(data, period),
        date=pl.col("referral_date"),
        numerator=pl.col("nfa").fill_null(False),
        denominator=ONE,
    )


@indicator("referrals_to_assessment_pct")
def referrals_to_assessment_pct(data: CaseData, period: Period) -> pl.DataFrame:
    referrals = _referrals_in(data, period).with_row_index("_row")
    assessments = data["assessment"].select(
        "child_id",
        pl.col("referral_date").alias("a_referral"),
        pl.col("start_date").alias("a_start"),
    ).filter(pl.col("a_start").is_not_null())
    same_episode = pl.col("a_referral") == pl.col("referral_date")
    # Without the episode's referral date on the assessment, it belongs to the
    # episode when it starts before the episode's closure.
    inside_episode = pl.col("a_referral").is_null() & (
        pl.col("closure_date").is_null() | (pl.col("a_start") <= pl.col("closure_date"))
    )
    followed = (
        referrals.select("_row", "child_id", "referral_date", "closure_date")
        .join(assessments, on="child_id", how="inner")
        .filter((pl.col("a_start") >= pl.col("referral_date")) & (same_episode | inside_episode))
        .select("_row")
        .unique()
        .with_columns(pl.lit(True).alias("_assessed"))
    )
    frame = referrals.join(followed, on="_row", how="left")
    return units(
        frame,
        date=pl.col("referral_date"),
        numerator=pl.col("_assessed").fill_null(False),
        denominator=ONE,
    )


def _assessments_authorised(data: CaseData, period: Period) -> pl.DataFrame:
    return data["assessment"].filter(in_period_expr("authorised_date", period))


@indicator("assessments_completed_count")
def assessments_completed_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(_assessments_authorised(data, period), date=pl.col("authorised_date"), numerator=ONE)


@indicator("assessments_45wd_pct")
def assessments_45wd_pct(data: CaseData, period: Period) -> pl.DataFrame:
    return units(
        _assessments_authorised(data, period),
        date=pl.col("authorised_date"),
        numerator=within_working_days("start_date", "authorised_date", 45),
        denominator=ONE,
    )


def _s47_started(data: CaseData, period: Period) -> pl.DataFrame:
    return data["s47"].filter(in_period_expr("start_date", period))


@indicator("s47_count")
def s47_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(_s47_started(data, period), date=pl.col("start_date"), numerator=ONE)


def _icpcs_held(data: CaseData, period: Period) -> pl.DataFrame:
    return data["s47"].filter(in_period_expr("icpc_date", period))


@indicator("icpc_count")
def icpc_count(data: CaseData, period: Period) -> pl.DataFrame:
    return units(_icpcs_held(data, period), date=pl.col("icpc_date"), numerator=ONE)


@indicator("icpc_15wd_pct")
def icpc_15wd_pct(data: CaseData, period: Period) -> pl.DataFrame:
    return units(
        _icpcs_held(data, period),
        date=pl.col("icpc_date"),
        numerator=within_working_days("start_date", "icpc_date", 15),
        denominator=ONE,
    )


def _s47_from_annex_a(data: CaseData) -> bool:
    # load_case_data notes when the enquiries come from Annex A (no CIN census loaded)
    return any(note.startswith("s47: no CIN census loaded") for note in data.notes)


@indicator("strategy_discussions_count")
def strategy_discussions_count(data: CaseData, period: Period) -> pl.DataFrame:
    if not _s47_from_annex_a(data):
        raise Unavailable(requirements.STRATEGY_DISCUSSIONS)
    discussions = (
        data["s47"]
        .filter(in_period_expr("start_date", period))
        .unique(subset=["child_id", "start_date"], maintain_order=True)
    )
    return units(discussions, date=pl.col("start_date"), numerator=ONE)

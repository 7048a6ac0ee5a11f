"""Care leavers (SSDA903 OC3): in touch, activity and accommodation.

The cohort is the OC3 rows of young people whose 19th, 20th or 21st birthday
falls in the period (DfE's "care leavers aged 19 to 21"); the ``_17_18``
measures use the 17th or 18th birthday instead.  Someone born on 29 February
has their birthday on 1 March in other years.

Young people recorded as having died (IN_TOUCH ``DIED``) or as having
returned home to parents for six months or more (``RHOM``) are left out of
every measure, as DfE does.  Young people the council is not in touch with,
who refused contact or no longer need services stay in, with whatever
activity and accommodation is recorded (often "0", not known).

Activity codes (ACTIV): F = full time, P = part time; 1 higher education,
2 other education, 4 training or apprenticeship, 5 employment (3, training
or employment, in returns before 2019-20); G4 to G6 not in education,
employment or training (illness or disability, other reasons, pregnancy or
parenting); 0 not known.

Accommodation codes (ACCOM): a letter for the type and a digit for the
council's judgement, 1 suitable and 2 not suitable; 0 not known.  As DfE,
the suitability measure leaves out those gone abroad (G), deported (H) or
whose residence is not known (R).

If the case data holds more than one OC3 row for a young person (returns
of several years), the row from the return of the year in which the
birthday falls is used; failing that the latest return's.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.indicators.casedata import per_case_data
from csc_scorecard.indicators.children_looked_after import age_expr, code_expr
from csc_scorecard.indicators.registry import CaseData, indicator, units
from csc_scorecard.periods import Period

EET_ACTIVITIES = tuple(f"{mode}{n}" for mode in "FP" for n in (1, 2, 3, 4, 5))
NEET_ACTIVITIES = ("G4", "G5", "G6")
EXCLUDED_IN_TOUCH = ("DIED", "RHOM")
SUITABILITY_NOT_APPLICABLE = ("G", "H", "R")  # gone abroad, deported, residence not known

AGES_19_21 = (19, 20, 21)
AGES_17_18 = (17, 18)
ONE_FLOAT = pl.lit(1.0)


def _birthday(birth: pl.Expr, age: pl.Expr) -> pl.Expr:
    """The date someone born on ``birth`` turns ``age`` (29 Feb -> 1 Mar in other years)."""
    year = birth.dt.year().cast(pl.Int32) + age
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    feb29 = (birth.dt.month() == 2) & (birth.dt.day() == 29)
    return (
        pl.when(feb29 & ~leap)
        .then(pl.date(year, 3, 1))
        .otherwise(pl.date(year, birth.dt.month(), birth.dt.day()))
    )


@per_case_data
def _oc3_rows(data: CaseData) -> pl.DataFrame:
    """The OC3 rows with codes trimmed and upper-cased (once per CaseData)."""
    raw = data["care_leaver"]
    year = (
        pl.col("collection_year").cast(pl.Utf8)
        if "collection_year" in raw.columns
        else pl.lit(None, dtype=pl.Utf8)
    )
    return raw.select(
        pl.col("child_id").cast(pl.Utf8),
        pl.col("birth_date").cast(pl.Date),
        code_expr("in_touch").alias("in_touch"),
        code_expr("activity").alias("activity"),
        code_expr("accommodation").alias("accommodation"),
        year.alias("collection_year"),
    )


@per_case_data
def _cohorts(data: CaseData) -> dict[tuple[Period, tuple[int, ...]], pl.DataFrame]:
    """Per-CaseData store of cohorts by (period, ages): each is shared by several measures."""
    return {}


def cohort(data: CaseData, period: Period, ages: tuple[int, ...]) -> pl.DataFrame:
    """OC3 rows of young people turning one of ``ages`` in the period.

    Columns: child_id, birthday, in_touch, activity, accommodation.  Found once
    per CaseData, period and ages (shared: treat as read-only).
    """
    cache = _cohorts(data)
    key = (period, tuple(ages))
    if key not in cache:
        cache[key] = _cohort(data, period, ages)
    return cache[key]


def _cohort(data: CaseData, period: Period, ages: tuple[int, ...]) -> pl.DataFrame:
    day_before = period.start - dt.timedelta(days=1)
    oc3 = _oc3_rows(data)
    age_at_end = age_expr("birth_date", period.end)
    turned = (age_at_end > age_expr("birth_date", day_before)) & age_at_end.is_in(ages)
    birthday = _birthday(pl.col("birth_date"), age_at_end)
    # Several rows for one young person (returns of several years): prefer the
    # return of the year of this birthday, then the latest return, then the last row.
    return (
        oc3.filter(pl.col("child_id").is_not_null() & turned.fill_null(False))
        .with_columns(birthday.alias("birthday"))
        .with_columns(
            (pl.col("collection_year") == _financial_year(pl.col("birthday")))
            .fill_null(False)
            .alias("_this_year")
        )
        .sort(["_this_year", "collection_year"], nulls_last=False, maintain_order=True)
        .unique(subset="child_id", keep="last", maintain_order=True)
        .filter(~pl.col("in_touch").is_in(EXCLUDED_IN_TOUCH).fill_null(False))
        .drop("_this_year")
    )


def _financial_year(day: pl.Expr) -> pl.Expr:
    """Label of the financial year containing ``day``, e.g. '2024-25'."""
    start = day.dt.year().cast(pl.Int32) - (day.dt.month() < 4).cast(pl.Int32)
    return pl.format("{}-{}", start.cast(pl.Utf8), ((start + 1) % 100).cast(pl.Utf8).str.zfill(2))


def _share(frame: pl.DataFrame, numerator: pl.Expr, denominator: pl.Expr) -> pl.DataFrame:
    return units(
        frame,
        date=pl.col("birthday"),
        numerator=numerator.fill_null(False).cast(pl.Float64),
        denominator=denominator.fill_null(False).cast(pl.Float64),
    )


def _in_touch(data: CaseData, period: Period, ages: tuple[int, ...]) -> pl.DataFrame:
    return _share(cohort(data, period, ages), pl.col("in_touch") == "YES", pl.lit(True))


def _eet(data: CaseData, period: Period, ages: tuple[int, ...]) -> pl.DataFrame:
    return _share(
        cohort(data, period, ages), pl.col("activity").is_in(EET_ACTIVITIES), pl.lit(True)
    )


def _neet(data: CaseData, period: Period, ages: tuple[int, ...]) -> pl.DataFrame:
    return _share(
        cohort(data, period, ages), pl.col("activity").is_in(NEET_ACTIVITIES), pl.lit(True)
    )


def _suitable(data: CaseData, period: Period, ages: tuple[int, ...]) -> pl.DataFrame:
    frame = cohort(data, period, ages)
    letter = pl.col("accommodation").str.slice(0, 1)
    counted = ~letter.is_in(SUITABILITY_NOT_APPLICABLE).fill_null(False)
    suitable = (pl.col("accommodation").str.len_chars() == 2) & (
        pl.col("accommodation").str.slice(1, 1) == "1"
    )
    return _share(frame, suitable & counted, counted)


@indicator("care_leavers_in_touch_pct")
def care_leavers_in_touch_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Care leavers aged 19-21: share the council is in touch with (IN_TOUCH YES)."""
    return _in_touch(data, period, AGES_19_21)


@indicator("care_leavers_eet_pct")
def care_leavers_eet_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Care leavers aged 19-21: share in education, employment or training."""
    return _eet(data, period, AGES_19_21)


@indicator("care_leavers_neet_pct")
def care_leavers_neet_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Care leavers aged 19-21: share not in education, employment or training."""
    return _neet(data, period, AGES_19_21)


@indicator("care_leavers_suitable_accom_pct")
def care_leavers_suitable_accom_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Care leavers aged 19-21: share in accommodation judged suitable."""
    return _suitable(data, period, AGES_19_21)


@indicator("care_leavers_17_18_in_touch_pct")
def care_leavers_17_18_in_touch_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Care leavers aged 17-18: share the council is in touch with."""
    return _in_touch(data, period, AGES_17_18)


@indicator("care_leavers_17_18_eet_pct")
def care_leavers_17_18_eet_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Care leavers aged 17-18: share in education, employment or training."""
    return _eet(data, period, AGES_17_18)


@indicator("care_leavers_17_18_suitable_accom_pct")
def care_leavers_17_18_suitable_accom_pct(data: CaseData, period: Period) -> pl.DataFrame:
    """Care leavers aged 17-18: share in accommodation judged suitable."""
    return _suitable(data, period, AGES_17_18)


@indicator("care_leavers_count")
def care_leavers_count(data: CaseData, period: Period) -> pl.DataFrame:
    """Care leavers aged 19-21: the OC3 cohort of the period, one young person each."""
    return units(cohort(data, period, AGES_19_21), date=pl.col("birthday"), numerator=ONE_FLOAT)

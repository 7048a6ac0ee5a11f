"""Children looked after indicators: each checked against a tiny case worked by hand.

Every test builds the few frames it needs, calls the registered function for
2024-25 (1 April 2024 - 31 March 2025), adds the numerators and denominators
up itself and compares them with the figures worked out in the comments.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import csc_scorecard.indicators.children_looked_after as cla
from csc_scorecard.indicators.registry import INDICATORS, CaseData
from csc_scorecard.periods import parse_period

YEAR = parse_period("2024-25")

S, D, B, INT, F = pl.Utf8, pl.Date, pl.Boolean, pl.Int64, pl.Float64
SCHEMAS = {
    "child": {"child_id": S, "birth_date": D, "sex": S, "asylum_seeker": B},
    "cla_episode": {
        "child_id": S, "start_date": D, "reason_new_episode": S, "legal_status": S,
        "cin_category": S, "placement": S, "provider": S, "end_date": D, "reason_ceased": S,
        "reason_place_change": S, "home_postcode": S, "placement_postcode": S, "urn": S,
    },
    "cla_review": {"child_id": S, "review_date": D, "review_code": S},
    "health_outcome": {
        "child_id": S, "birth_date": D, "sdq_score": INT, "sdq_reason": S, "health_check": B,
        "teeth_check": B, "immunisations": B, "health_assessment": B,
    },
    "care_leaver": {"child_id": S, "birth_date": D, "in_touch": S, "activity": S, "accommodation": S},
    "missing_episode": {"child_id": S, "birth_date": D, "kind": S, "start_date": D, "end_date": D},
    "uasc": {"child_id": S, "birth_date": D, "sex": S, "ceased_uasc_date": D},
    "workforce_snapshot": {
        "team": S, "snapshot_date": D, "fte_in_post": F, "agency_fte": F, "vacancy_fte": F,
        "leavers_fte": F, "cases": INT,
    },
    "team": {"team": S, "area": S},
}


def make_data(**given: list[dict] | pl.DataFrame) -> CaseData:
    """CaseData with the given tables (rows as dicts, dates as ISO text); the rest empty."""
    tables = {}
    for name, schema in SCHEMAS.items():
        rows = given.pop(name, None)
        frame = pl.DataFrame(rows) if isinstance(rows, list) else rows
        if frame is None or frame.is_empty():
            tables[name] = pl.DataFrame(schema=schema)
            continue
        cols = []
        for col, dtype in schema.items():
            if col not in frame.columns:
                cols.append(pl.lit(None, dtype=dtype).alias(col))
            elif dtype == D and frame.schema[col] == pl.Utf8:
                cols.append(pl.col(col).str.to_date())
            else:
                cols.append(pl.col(col).cast(dtype))
        extra = [pl.col(c) for c in frame.columns if c not in schema]
        tables[name] = frame.select(*cols, *extra)
    assert not given, f"unknown tables {list(given)}"
    tables.update({k: v for k, v in given.items()})
    return CaseData(tables=tables)


def ep(child, start, rne="S", ls="C2", place="U1", end=None, rec=None, home=None, pl_post=None,
       urn=None):
    return {
        "child_id": child, "start_date": start, "reason_new_episode": rne, "legal_status": ls,
        "placement": place, "end_date": end, "reason_ceased": rec, "home_postcode": home,
        "placement_postcode": pl_post, "urn": urn,
    }


def run(indicator_id, data, period=YEAR):
    frame = INDICATORS[indicator_id](data, period)
    assert set(frame.columns) >= {"date", "numerator", "denominator"}
    return frame


def totals(frame):
    num = frame.get_column("numerator").sum()
    den_col = frame.get_column("denominator")
    den = None if den_col.null_count() == frame.height else den_col.sum()
    return num, den


def ids(frame, where=None):
    frame = frame if where is None else frame.filter(where)
    return sorted(frame.get_column("child_id").to_list())


# --------------------------------------------------------------------------
# One small council used by the number, flow and 3+ placement tests
# --------------------------------------------------------------------------

EPISODES = [
    # A: in care since 2023, one placement all year.
    ep("A", "2023-01-10"),
    # B: starts in May; moves in August; legal status only (L) in October; moves in January.
    ep("B", "2024-05-01", ls="V2", end="2024-08-01", rec="X1"),
    ep("B", "2024-08-01", rne="P", ls="V2", place="U4", end="2024-10-01", rec="X1"),
    ep("B", "2024-10-01", rne="L", ls="C2", place="U4", end="2025-01-15", rec="X1"),
    ep("B", "2025-01-15", rne="P", ls="C2", place="R1"),
    # C: short breaks only (V3 then V4): never looked after.
    ep("C", "2024-06-01", ls="V3", place="R1", end="2024-06-03", rec="E8"),
    ep("C", "2024-09-01", ls="V4", place="R1"),
    # D: ceased exactly on 31 March 2025.
    ep("D", "2022-02-01", end="2025-03-31", rec="E11"),
    # E: ceased in July, came back in November placed with parents.
    ep("E", "2023-05-01", end="2024-07-01", rec="E13"),
    ep("E", "2024-11-01", ls="C2", place="P1"),
    # F: two short periods of care in the year.
    ep("F", "2024-04-10", ls="V2", end="2024-05-10", rec="E13"),
    ep("F", "2024-06-01", ls="V2", end="2024-12-01", rec="E13"),
    # G: foster placement; 4 days in hospital (T1); back to the same carers; moves in September.
    ep("G", "2023-03-01", pl_post="X1 1AA", urn="SC1", end="2024-07-01", rec="X1"),
    ep("G", "2024-07-01", rne="P", place="T1", end="2024-07-05", rec="X1"),
    ep("G", "2024-07-05", rne="P", pl_post="X1 1AA", urn="SC1", end="2024-09-01", rec="X1"),
    ep("G", "2024-09-01", rne="P", place="U3", pl_post="X2 2BB"),
    # H: starts on 1 April; new foster carers in June; placed for adoption with them (A5, RNE U).
    ep("H", "2024-04-01", place="U4", end="2024-06-01", rec="X1"),
    ep("H", "2024-06-01", rne="P", place="U4", end="2024-08-01", rec="X1"),
    ep("H", "2024-08-01", rne="U", ls="E1", place="A5"),
    # I: starts after the period.
    ep("I", "2025-04-01"),
]


@pytest.fixture
def council():
    return make_data(cla_episode=EPISODES)


def test_open_count(council):
    # At 31 March 2025: A, B, E, G, H. Not C (short breaks), not D (ceased on 31 March),
    # not F (ceased in December), not I (starts in April 2025).
    frame = run("cla_open_count", council)
    assert totals(frame) == (5, None)
    assert ids(frame) == ["A", "B", "E", "G", "H"]
    assert frame.get_column("date").unique().to_list() == [dt.date(2025, 3, 31)]


def test_ceased_on_31_march_is_looked_after_the_day_before():
    data = make_data(cla_episode=[ep("D", "2022-02-01", end="2025-03-31", rec="E11")])
    assert totals(run("cla_open_count", data))[0] == 0
    # ... but was looked after at the end of February 2025.
    assert totals(run("cla_open_count", data, parse_period("2025-02")))[0] == 1


def test_rate_units_carry_no_denominator(council):
    # Same children as the count; the engine divides by the 0-17 population.
    frame = run("cla_rate_per_10k", council)
    assert totals(frame) == (5, None)


def test_starts_count_children_once(council):
    # B (1 May), E (1 Nov, after ceasing in July), F (10 Apr, first of two starts), H (1 Apr).
    # Not C (short breaks), not I (after the period).
    frame = run("cla_starts_count", council)
    assert totals(frame) == (4, None)
    dates = dict(zip(frame["child_id"], frame["date"], strict=True))
    assert dates == {
        "B": dt.date(2024, 5, 1), "E": dt.date(2024, 11, 1),
        "F": dt.date(2024, 4, 10), "H": dt.date(2024, 4, 1),
    }


def test_ends_count_children_once(council):
    # D (31 March counts as ceasing in the year), E (July), F (last of two: 1 Dec).
    frame = run("cla_ends_count", council)
    assert totals(frame) == (3, None)
    dates = dict(zip(frame["child_id"], frame["date"], strict=True))
    assert dates == {
        "D": dt.date(2025, 3, 31), "E": dt.date(2024, 7, 1), "F": dt.date(2024, 12, 1),
    }


def test_start_after_short_breaks_on_the_same_day_is_a_start():
    # Respite (V3) ends and full-time care (V2, recorded as RNE L) begins the same day:
    # with the short-break episode removed, the V2 episode begins a period of care.
    data = make_data(cla_episode=[
        ep("K", "2024-05-01", ls="V3", end="2024-07-01", rec="X1"),
        ep("K", "2024-07-01", rne="L", ls="V2"),
    ])
    frame = run("cla_starts_count", data)
    assert totals(frame) == (1, None)
    assert frame["date"].to_list() == [dt.date(2024, 7, 1)]


def test_three_or_more_placements(council):
    # Looked after at 31 March: A, B, E, G, H (denominator 5). Placements in the year:
    #   A 1 (held on 1 April)
    #   B 3 (start May, move Aug, move Jan; the October legal-status change L is not one)
    #   E 2 (held on 1 April until July; new period of care in November)
    #   G 2 (held on 1 April; the hospital stay T1 and the return to the same carers are
    #        not placements; the September move is)
    #   H 2 (start 1 April; June move; adoption with the same carers, A5 by RNE U, is not)
    # Numerator: B only.
    frame = run("cla_3plus_placements_pct", council)
    assert totals(frame) == (1, 5)
    assert ids(frame, pl.col("numerator") == 1) == ["B"]


def test_placement_counts_by_child(council):
    eps = cla.prepared_episodes(council)
    counts = dict(cla.placements_in_period(eps, YEAR).iter_rows())
    assert counts == {"A": 1, "B": 3, "D": 1, "E": 2, "F": 2, "G": 2, "H": 2}


def test_foster_and_placed_with_parents(council):
    # At 31 March: A U1, B R1, E P1, G U3, H A5.
    assert totals(run("cla_foster_pct", council)) == (2, 5)  # A, G
    assert totals(run("cla_placed_with_parents_pct", council)) == (1, 5)  # E


def test_uasc_count():
    data = make_data(
        cla_episode=[
            ep("U1", "2024-01-01", ls="V2"),
            ep("U2", "2024-01-01", ls="V2"),
            ep("U3", "2024-01-01", ls="V2"),
            ep("U4", "2024-01-01", ls="V3"),
            ep("U5", "2024-01-01", ls="V2", end="2024-12-01", rec="E5"),
        ],
        child=[
            {"child_id": "U1", "asylum_seeker": True},
            {"child_id": "U2", "asylum_seeker": True},
            {"child_id": "U3", "asylum_seeker": False},
            {"child_id": "U4", "asylum_seeker": True},
            {"child_id": "U5", "asylum_seeker": True},
        ],
        uasc=[{"child_id": "U2", "ceased_uasc_date": "2025-01-01"}],
    )
    # U1 only: U2 stopped being UASC in January, U3 is not one, U4 is on short breaks,
    # U5 ceased to be looked after.
    frame = run("cla_uasc_count", data)
    assert totals(frame) == (1, None)
    assert ids(frame) == ["U1"]


# --------------------------------------------------------------------------
# Long-term stability
# --------------------------------------------------------------------------


def test_long_term_stability():
    # At 31 March 2025: aged under 16, in care since 1 Oct 2022 or earlier (2.5 years by the
    # end of 31 March), with the same carers since 1 April 2023 or earlier (2 years).
    episodes = [
        # L1: same carers since 2020; a legal-status change (L) in 2024 does not break it.
        ep("L1", "2020-01-01", ls="V2", end="2024-01-01", rec="X1"),
        ep("L1", "2024-01-01", rne="L", ls="C2"),
        # L2: moved in June 2023: in care 2.5 years, but not 2 years with these carers.
        ep("L2", "2021-01-01", end="2023-06-01", rec="X1"),
        ep("L2", "2023-06-01", rne="P", place="U4"),
        # L3: 16 on 31 March 2025: out of the cohort.
        ep("L3", "2019-01-01"),
        # L4: 16 on 1 April 2025, so 15 on 31 March: in, and stable.
        ep("L4", "2019-01-01"),
        # L5: foster carers from 1 Jan 2023, placed for adoption with new adopters (A4, RNE B)
        # in Sept 2024: the adoptive placement joined to the one before lasts 2 years+.
        ep("L5", "2021-06-01", place="U4", end="2023-01-01", rec="X1"),
        ep("L5", "2023-01-01", rne="P", end="2024-09-01", rec="X1"),
        ep("L5", "2024-09-01", rne="B", ls="E1", place="A4"),
        # L6: in care only since January 2023: out of the cohort.
        ep("L6", "2023-01-01"),
        # L7: continuous care across two episodes (legal status change L in Jan 2023).
        ep("L7", "2022-06-01", ls="V2", end="2023-01-01", rec="X1"),
        ep("L7", "2023-01-01", rne="L", ls="C2"),
        # L8: left care in 2023 and came back: care not continuous for 2.5 years.
        ep("L8", "2020-01-01", end="2023-01-01", rec="E13"),
        ep("L8", "2023-02-01"),
        # L9: in care from exactly 1 Oct 2022: just 2.5 years, and stable.
        ep("L9", "2022-10-01"),
        # L10: short breaks for years: never counted.
        ep("L10", "2018-01-01", ls="V4"),
    ]
    births = {
        "L1": "2015-01-01", "L2": "2012-06-01", "L3": "2009-03-31", "L4": "2009-04-01",
        "L5": "2020-05-01", "L6": "2014-01-01", "L7": "2013-01-01", "L8": "2013-01-01",
        "L9": "2014-01-01", "L10": "2014-01-01",
    }
    data = make_data(
        cla_episode=episodes,
        child=[{"child_id": k, "birth_date": v} for k, v in births.items()],
    )
    frame = run("cla_longterm_stability_pct", data)
    # Denominator: L1, L2, L4, L5, L7, L9 = 6.  Numerator: all but L2 = 5.
    assert ids(frame) == ["L1", "L2", "L4", "L5", "L7", "L9"]
    assert ids(frame, pl.col("numerator") == 1) == ["L1", "L4", "L5", "L7", "L9"]
    assert totals(frame) == (5, 6)


def test_long_term_stability_temporary_absence_and_same_carer_move():
    # M1: a holiday placement (T3) and the return do not break the spell.
    # M2: a change of placement with the same carers (RNE T) does not break it either.
    data = make_data(
        cla_episode=[
            ep("M1", "2020-01-01", pl_post="X1 1AA", end="2024-07-01", rec="X1"),
            ep("M1", "2024-07-01", rne="P", place="T3", end="2024-07-14", rec="X1"),
            ep("M1", "2024-07-14", rne="P", pl_post="X1 1AA"),
            ep("M2", "2020-01-01", end="2024-07-01", rec="X1"),
            ep("M2", "2024-07-01", rne="T", place="U2"),
        ],
        child=[{"child_id": "M1", "birth_date": "2014-01-01"},
               {"child_id": "M2", "birth_date": "2014-01-01"}],
    )
    assert totals(run("cla_longterm_stability_pct", data)) == (2, 2)
    # For the 3+ placements measure M2's same-carer move still counts as a placement:
    # M1 1 (held; T3 and the return are not placements), M2 2.
    counts = dict(cla.placements_in_period(cla.prepared_episodes(data), YEAR).iter_rows())
    assert counts == {"M1": 1, "M2": 2}


# --------------------------------------------------------------------------
# Distance
# --------------------------------------------------------------------------


def test_placed_more_than_20_miles():
    # Centroids on one meridian: 0.1 degree of latitude is 6.91 miles.
    centroids = pl.DataFrame({
        "postcode": ["AB1 1AA", "AB2 2BB", "AB1 2CC"],
        "latitude": [52.0, 52.5, 52.2],
        "longitude": [-1.0, -1.0, -1.0],
    })
    episodes = pl.DataFrame([
        # N1: 0.5 degree = 34.5 miles -> more than 20.
        ep("N1", "2024-01-01", home="AB1 1AA", pl_post="AB2 2BB"),
        # N2: 0.2 degree = 13.8 miles (postcode written in lower case without the space).
        ep("N2", "2024-01-01", home="AB1 1AA", pl_post="ab12cc"),
        # N3: no placement postcode and no other source: distance unknown, left out.
        ep("N3", "2024-01-01", home="AB1 1AA"),
        # N4: postcodes not in the centroid list; the distance lookup says 25 miles.
        ep("N4", "2024-01-01", home="ZZ9 9ZZ", pl_post="ZZ8 8ZZ"),
        # N5: short breaks: not counted.
        ep("N5", "2024-01-01", ls="V3", home="AB1 1AA", pl_post="AB2 2BB"),
        # N6: a distance already on the episode (25 miles) wins over the centroids (0 miles).
        ep("N6", "2024-01-01", home="AB1 1AA", pl_post="AB1 1AA"),
    ]).with_columns(
        distance_miles=pl.when(pl.col("child_id") == "N6").then(25.0).otherwise(None)
    )
    data = make_data(cla_episode=episodes)
    data.tables["postcode_centroid"] = centroids
    data.tables["postcode_distance"] = pl.DataFrame({"child_id": ["N4"], "miles": [25.0]})
    frame = run("cla_20miles_pct", data)
    # Numerator N1, N4, N6 = 3; denominator N1, N2, N4, N6 = 4.
    assert totals(frame) == (3, 4)
    assert ids(frame, pl.col("denominator") == 0) == ["N3"]


def test_distance_unknown_without_a_source(council):
    frame = run("cla_20miles_pct", council)
    assert totals(frame) == (0, 0)
    assert frame.height == 5


# --------------------------------------------------------------------------
# Reviews
# --------------------------------------------------------------------------


def test_reviews_on_time():
    # 20 working days after Monday 2 Sept 2024 is Monday 30 Sept 2024 (no bank holidays).
    # The review data begins 1 Sept 2023 (the earliest review): for care that began before
    # then, the first review seen is a 6-monthly one due by 1 March 2024 at the latest.
    episodes = [
        ep("R1", "2024-09-02"), ep("R2", "2024-09-02"),
        ep("R3", "2020-01-06"), ep("R4", "2020-01-06"), ep("R5", "2020-01-06"),
        ep("R6", "2025-03-17"),  # first review due 14 April 2025: not yet counted
        ep("R7", "2024-09-02", end="2025-01-10", rec="E13"),  # not looked after at 31 March
        ep("R8", "2024-09-02", ls="V3"),  # short breaks
        ep("R9", "2020-01-06"),
    ]
    reviews = {
        # R1: first on its due day 30 Sept; second 20 Dec (due 30 Dec); third due 20 June 2025.
        "R1": ["2024-09-30", "2024-12-20"],
        # R2: first review a day late (1 Oct).
        "R2": ["2024-10-01", "2024-12-20"],
        # R3: 1 Aug on its due day; next due 1 Feb 2025, held 3 Feb: late.
        "R3": ["2024-02-01", "2024-08-01", "2025-02-03"],
        # R4: 15 June on time, then none: due 15 Dec 2024, overdue at 31 March.
        "R4": ["2023-12-15", "2024-06-15"],
        # R5: late in March 2024 (before the year), then on time: 10 Sept, 1 March.
        "R5": ["2023-09-01", "2024-03-20", "2024-09-10", "2025-03-01"],
        "R7": ["2024-09-20"],
        # R9: due 1 March 2024, held 10 April 2024: overdue on 1-9 April, inside the year.
        "R9": ["2023-09-01", "2024-04-10"],
    }
    data = make_data(
        cla_episode=episodes,
        cla_review=[
            {"child_id": c, "review_date": d} for c, dates in reviews.items() for d in dates
        ],
    )
    frame = run("cla_reviews_timely_pct", data)
    # Denominator R1, R2, R3, R4, R5, R9 = 6; numerator R1, R5 = 2.
    assert ids(frame) == ["R1", "R2", "R3", "R4", "R5", "R9"]
    assert ids(frame, pl.col("numerator") == 1) == ["R1", "R5"]
    assert totals(frame) == (2, 6)


def test_reviews_second_review_within_three_months():
    # Care from 2 Sept 2024 (history covers it): first review 30 Sept, the second is due
    # within 3 months (30 Dec 2024); held 10 Jan 2025 -> late.
    period = YEAR
    assert not cla.reviews_on_time(
        dt.date(2024, 9, 2), [dt.date(2024, 9, 30), dt.date(2025, 1, 10)], period,
        history_from=dt.date(2024, 4, 1),
    )
    assert cla.reviews_on_time(
        dt.date(2024, 9, 2), [dt.date(2024, 9, 30), dt.date(2024, 12, 30)], period,
        history_from=dt.date(2024, 4, 1),
    )


# --------------------------------------------------------------------------
# Health (OC2)
# --------------------------------------------------------------------------


@pytest.fixture
def health():
    # OC2 cohort: looked after at 31 March 2025 and continuously since 1 April 2024 or earlier.
    episodes = [
        ep("H1", "2023-01-01"),
        ep("H2", "2024-04-01"),  # exactly twelve months: in
        ep("H3", "2024-04-02"),  # a day short: out, although it has an OC2 row
        ep("H4", "2022-01-01"),  # in, no OC2 row
        ep("H5", "2020-01-01", end="2025-03-31", rec="E11"),  # ceased on 31 March: out
        ep("H6", "2020-01-01", ls="V4"),  # short breaks: out
        ep("H7", "2021-01-01"),
        ep("H8", "2021-01-01"),
    ]
    births = {
        "H1": "2014-05-01", "H2": "2018-01-01", "H3": "2015-01-01", "H4": "2021-01-01",
        "H5": "2015-01-01", "H6": "2015-01-01", "H7": "2008-06-01", "H8": "2008-03-30",
    }
    oc2 = [
        {"child_id": "H1", "health_assessment": True, "teeth_check": True, "immunisations": True,
         "sdq_score": 12},
        {"child_id": "H2", "health_assessment": False, "teeth_check": True, "immunisations": False},
        {"child_id": "H3", "health_assessment": True, "teeth_check": True, "immunisations": True,
         "sdq_score": 5},
        {"child_id": "H5", "health_assessment": True, "teeth_check": True, "immunisations": True},
        {"child_id": "H7", "health_assessment": True, "teeth_check": False, "immunisations": True,
         "sdq_score": 20},
        {"child_id": "H8", "health_assessment": True, "teeth_check": True, "sdq_score": 15},
    ]
    return make_data(
        cla_episode=episodes,
        child=[{"child_id": k, "birth_date": v} for k, v in births.items()],
        health_outcome=oc2,
    )


def test_health_checks(health):
    # Cohort H1, H2, H4, H7, H8 = 5.
    frame = run("cla_health_check_pct", health)
    assert ids(frame) == ["H1", "H2", "H4", "H7", "H8"]
    assert totals(frame) == (3, 5)  # H1, H7, H8


def test_health_assessment_is_read_not_the_under_fives_health_check():
    # OC2 has two health fields: HEALTH_ASSESSMENT (the annual health assessment, what the
    # indicator counts) and HEALTH_CHECK (health promotion for under-5s, left blank for older
    # children). Cohort A, B, C, D (all looked after since 2020):
    #   A: assessment 1, check blank (aged 10)  -> counted
    #   B: assessment 0, check 1 (aged 3)       -> not counted, although its check was done
    #   C: assessment 1, check 0 (aged 4)       -> counted
    #   D: assessment blank, check blank        -> not counted
    # Numerator A, C = 2 of 4 (50%); reading HEALTH_CHECK would give B alone, 1 of 4.
    data = make_data(
        cla_episode=[ep(c, "2020-01-01") for c in "ABCD"],
        child=[{"child_id": "A", "birth_date": "2014-06-01"}, {"child_id": "B", "birth_date": "2021-06-01"},
               {"child_id": "C", "birth_date": "2020-06-01"}, {"child_id": "D", "birth_date": "2012-06-01"}],
        health_outcome=[
            {"child_id": "A", "health_assessment": True, "health_check": None},
            {"child_id": "B", "health_assessment": False, "health_check": True},
            {"child_id": "C", "health_assessment": True, "health_check": False},
            {"child_id": "D", "health_assessment": None, "health_check": None},
        ],
    )
    assert totals(run("cla_health_check_pct", data)) == (2, 4)


def test_dental_checks(health):
    assert totals(run("cla_dental_check_pct", health)) == (3, 5)  # H1, H2, H8


def test_immunisations(health):
    assert totals(run("cla_immunisations_pct", health)) == (2, 5)  # H1, H7


def test_sdq(health):
    # Aged 5 to 16 on 31 March 2025: H1 (10), H2 (7), H7 (16). Not H4 (4), not H8 (17).
    frame = run("cla_sdq_pct", health)
    assert ids(frame) == ["H1", "H2", "H7"]
    assert totals(frame) == (2, 3)  # H1, H7 have a score
    # Average score: (12 + 20) / 2.
    assert totals(run("cla_sdq_avg_score", health)) == (32, 2)


def test_oc2_row_of_the_period_year_is_preferred():
    data = make_data(
        cla_episode=[ep("H1", "2020-01-01")],
        health_outcome=pl.DataFrame({
            "child_id": ["H1", "H1"],
            "health_assessment": [True, False],
            "collection_year": ["2024-25", "2023-24"],
        }),
    )
    assert totals(run("cla_health_check_pct", data)) == (1, 1)


# --------------------------------------------------------------------------
# Missing
# --------------------------------------------------------------------------


def test_missing_and_away():
    episodes = [
        ep("X1", "2023-01-01"),
        ep("X2", "2024-03-01", end="2024-08-01", rec="E13"),
        ep("X3", "2023-01-01"),
        ep("X4", "2023-01-01"),
        ep("X5", "2024-05-01", ls="V3"),  # short breaks
        ep("X6", "2022-01-01", end="2024-03-01", rec="E13"),  # left before the year
        ep("X7", "2023-01-01", end="2024-04-01", rec="E13"),  # looked after on 1 April
    ]
    missing = [
        {"child_id": "X1", "kind": "M", "start_date": "2024-06-01", "end_date": "2024-06-02"},
        # X2: missing from 30 March to 2 April 2024: carried into the year.
        {"child_id": "X2", "kind": "M", "start_date": "2024-03-30", "end_date": "2024-04-02"},
        {"child_id": "X3", "kind": "A", "start_date": "2024-07-01", "end_date": "2024-07-01"},
        {"child_id": "X4", "kind": "M", "start_date": "2025-04-05", "end_date": None},
        {"child_id": "X5", "kind": "M", "start_date": "2024-06-01", "end_date": "2024-06-01"},
        {"child_id": "X6", "kind": "M", "start_date": "2024-06-01", "end_date": "2024-06-01"},
    ]
    data = make_data(cla_episode=episodes, missing_episode=missing)
    # Looked after during the year: X1, X2, X3, X4, X7 = 5.
    frame = run("cla_missing_pct", data)
    assert ids(frame) == ["X1", "X2", "X3", "X4", "X7"]
    assert totals(frame) == (2, 5)  # X1, X2
    assert totals(run("cla_away_pct", data)) == (1, 5)  # X3


# --------------------------------------------------------------------------
# Empty data and helpers
# --------------------------------------------------------------------------


CLA_IDS = [
    "cla_open_count", "cla_rate_per_10k", "cla_starts_count", "cla_ends_count",
    "cla_uasc_count", "cla_foster_pct", "cla_placed_with_parents_pct",
    "cla_3plus_placements_pct", "cla_longterm_stability_pct", "cla_20miles_pct",
    "cla_reviews_timely_pct", "cla_health_check_pct", "cla_dental_check_pct",
    "cla_immunisations_pct", "cla_sdq_pct", "cla_sdq_avg_score", "cla_missing_pct",
    "cla_away_pct",
]


@pytest.mark.parametrize("indicator_id", CLA_IDS)
def test_empty_data_gives_no_units(indicator_id):
    frame = run(indicator_id, make_data())
    assert frame.is_empty()
    assert frame.schema["date"] == pl.Date
    assert frame.schema["numerator"] == pl.Float64
    assert frame.schema["denominator"] == pl.Float64
    assert "child_id" in frame.columns


def test_quarter_period(council):
    # At 30 June 2024 (Q1): A, B, D (until March 2025), E (until July), F (second period
    # from 1 June), G, H = 7.
    frame = run("cla_open_count", council, parse_period("2024-25-Q1"))
    assert ids(frame) == ["A", "B", "D", "E", "F", "G", "H"]


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        ("2009-03-31", "2025-03-31", 16),
        ("2009-04-01", "2025-03-31", 15),
        ("2008-02-29", "2025-02-28", 16),
        ("2008-02-29", "2025-03-01", 17),
    ],
)
def test_age(birth, on, age):
    frame = pl.DataFrame({"b": [dt.date.fromisoformat(birth)]})
    assert frame.select(cla.age_expr("b", dt.date.fromisoformat(on))).item() == age


def test_continuous_since():
    end = dt.date(2025, 3, 31)
    assert cla.continuous_since(end, 12) == dt.date(2024, 4, 1)
    assert cla.continuous_since(end, 24) == dt.date(2023, 4, 1)
    assert cla.continuous_since(end, 30) == dt.date(2022, 10, 1)


# --------------------------------------------------------------------------
# The catalogue entries of the three families written here
# --------------------------------------------------------------------------

FAMILIES = ("children_looked_after", "care_leavers", "workforce")


@pytest.fixture
def catalogue(tmp_path):
    import shutil

    from csc_scorecard.indicators.catalogue import CATALOGUE_DIR, load_catalogue

    for family in FAMILIES:
        shutil.copy(CATALOGUE_DIR / f"{family}.yml", tmp_path)
    return load_catalogue(tmp_path)


def test_catalogue_matches_the_functions(catalogue):
    import csc_scorecard.indicators.care_leavers  # noqa: F401
    import csc_scorecard.indicators.workforce  # noqa: F401

    def family_of(fn) -> str:
        # a family is a module, or a sub-package (children_looked_after) of modules
        return fn.__module__.removeprefix("csc_scorecard.indicators.").split(".")[0]

    registered = {k for k, fn in INDICATORS.items() if family_of(fn) in FAMILIES}
    assert set(catalogue.ids()) == registered
    for entry in catalogue:
        fn = INDICATORS[entry.id]
        assert family_of(fn) == entry.family, entry.id
        for table in entry.inputs:
            assert table in SCHEMAS, (entry.id, table)


def test_denominators_follow_the_unit(catalogue):
    import csc_scorecard.indicators.care_leavers  # noqa: F401
    import csc_scorecard.indicators.workforce  # noqa: F401

    data = make_data(
        cla_episode=[*EPISODES, ep("J", "2020-01-01")],
        child=[{"child_id": c, "birth_date": "2015-01-01", "asylum_seeker": True}
               for c in "ABCDEFGHIJ"],
        care_leaver=[{"child_id": "Z", "birth_date": "2005-06-01", "in_touch": "YES",
                      "activity": "F1", "accommodation": "U1"},
                     {"child_id": "Y", "birth_date": "2007-06-01", "in_touch": "YES",
                      "activity": "F1", "accommodation": "U1"}],
        workforce_snapshot=[{"team": "North", "snapshot_date": "2025-03-31",
                             "fte_in_post": 10.0, "agency_fte": 1.0, "vacancy_fte": 1.0,
                             "leavers_fte": 1.0, "cases": 150}],
        health_outcome=[{"child_id": "A", "sdq_score": 10}],
    )
    for entry in catalogue:
        frame = run(entry.id, data)
        assert not frame.is_empty(), entry.id
        nulls = frame["denominator"].null_count()
        if entry.unit in ("count", "rate_per_10k"):
            assert nulls == frame.height, entry.id
        else:
            assert nulls == 0, entry.id
        assert frame["numerator"].null_count() == 0, entry.id
        assert frame["date"].null_count() == 0, entry.id

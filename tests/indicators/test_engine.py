"""The engine: breakdowns, aggregation, values, rounding, and the CLI (no database)."""

from __future__ import annotations

import csv
import io
import json
import textwrap

import polars as pl
import pytest
from click.testing import CliRunner

from csc_scorecard.indicators import command as command_module
from csc_scorecard.indicators.breakdowns import team_at_dates
from csc_scorecard.indicators.casedata import case_data, resolve_population
from csc_scorecard.indicators.catalogue import get_catalogue, load_catalogue
from csc_scorecard.indicators.engine import (
    compute,
    format_value,
    load_indicator_modules,
    round_value,
    unit_rows,
)
from csc_scorecard.indicators.registry import INDICATORS, units
from csc_scorecard.periods import parse_period

MINE = [
    e.id
    for e in get_catalogue()
    if e.family in ("front_door", "child_protection", "children_in_need")
]


def value_of(result, indicator_id, breakdown="all", value="all", period=None):
    rows = result.filter(
        (pl.col("indicator_id") == indicator_id)
        & (pl.col("breakdown") == breakdown)
        & (pl.col("breakdown_value") == value)
        & (pl.lit(True) if period is None else pl.col("period") == period)
    )
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def moving_child_data(**extra):
    """Child A moves from team T1 (North) to T2 (South) on 1 Oct 2024."""
    return case_data(
        referral=[
            {"child_id": "A", "referral_date": "2024-06-01"},  # T1
            {"child_id": "A", "referral_date": "2024-09-30"},  # T1's last day
            {"child_id": "A", "referral_date": "2024-10-01"},  # T2's first day
            {"child_id": "A", "referral_date": "2025-01-15"},  # T2
            {"child_id": "B", "referral_date": "2024-05-01"},  # no allocation yet: Unallocated
            {"child_id": "B", "referral_date": "2024-07-01"},  # T3 (East)
            {"child_id": "C", "referral_date": "2024-08-01"},  # overlapping allocations: latest start
        ],
        allocation=[
            {"child_id": "A", "team": "T1", "start_date": "2024-04-01", "end_date": "2024-09-30"},
            {"child_id": "A", "team": "T2", "start_date": "2024-10-01"},
            {"child_id": "B", "team": "T3", "start_date": "2024-06-15"},
            {"child_id": "C", "team": "T1", "start_date": "2024-01-01"},
            {"child_id": "C", "team": "T3", "start_date": "2024-07-01"},
        ],
        team=[
            {"team": "T1", "area": "North"},
            {"team": "T2", "area": "South"},
            {"team": "T3", "area": "East"},
            {"team": "T4", "area": "East"},
        ],
        **extra,
    )


def test_team_at_event_date_for_a_child_moving_team():
    result = compute(moving_child_data(), "2024-25", ["referrals_count"])
    # T1: A 1 Jun, A 30 Sep; T2: A 1 Oct, A 15 Jan; T3: B 1 Jul, C 1 Aug; Unallocated: B 1 May
    assert value_of(result, "referrals_count", "team", "T1")["numerator"] == 2
    assert value_of(result, "referrals_count", "team", "T2")["numerator"] == 2
    assert value_of(result, "referrals_count", "team", "T3")["numerator"] == 2
    assert value_of(result, "referrals_count", "team", "T4")["numerator"] == 0  # listed, zero
    assert value_of(result, "referrals_count", "team", "Unallocated")["numerator"] == 1
    assert value_of(result, "referrals_count", "area", "North")["numerator"] == 2
    assert value_of(result, "referrals_count", "area", "East")["numerator"] == 2
    assert value_of(result, "referrals_count", "area", "Unallocated")["numerator"] == 1


def test_team_at_dates_unit():
    pairs = pl.DataFrame(
        {"child_id": ["A", "A", "A"], "date": ["2024-01-01", "2024-05-01", "2024-08-01"]}
    ).with_columns(pl.col("date").str.to_date())
    alloc = pl.DataFrame(
        {
            "child_id": ["A", "A"],
            "team": ["Old", "New"],
            "start_date": ["2024-02-01", "2024-05-01"],
            "end_date": [None, "2024-06-30"],
        }
    ).with_columns(pl.col("start_date").str.to_date(), pl.col("end_date").str.to_date())
    got = dict(team_at_dates(pairs, alloc).sort("date").select("date", "team").iter_rows())
    # 1 Jan: before both; 1 May: New starts that day (latest start wins over the open Old);
    # 1 Aug: New ended 30 Jun, Old (still open) holds the child
    assert list(got.values()) == ["Unallocated", "New", "Old"]


@pytest.fixture()
def mixed():
    return moving_child_data(
        assessment=[
            {"child_id": "A", "referral_date": "2024-06-01", "start_date": "2024-06-02",
             "authorised_date": "2024-07-01"},
            {"child_id": "B", "start_date": "2024-07-02", "authorised_date": "2024-12-20"},
            {"child_id": "C", "start_date": "2024-08-02", "authorised_date": "2024-09-01"},
        ],
        s47=[
            {"child_id": "A", "start_date": "2024-06-03", "icpc_date": "2024-06-20"},
            {"child_id": "C", "start_date": "2024-11-01", "icpc_date": "2025-01-20"},
        ],
        cp_plan=[
            {"child_id": "A", "start_date": "2024-06-20", "end_date": "2024-12-01"},
            {"child_id": "C", "start_date": "2025-01-20"},
            {"child_id": "B", "start_date": "2022-01-01", "end_date": "2024-05-01"},
        ],
        contact=[{"child_id": "A", "contact_date": "2024-05-30"},
                 {"child_id": "D", "contact_date": "2024-11-11"}],
        child=[
            {"child_id": "A", "sex": "F", "birth_date": "2015-06-01", "ethnicity": "BAFR",
             "disabilities": "NONE"},
            {"child_id": "B", "sex": "M", "birth_date": "2024-06-01", "ethnicity": "MWBC",
             "disabilities": "MOB,HAND"},
            {"child_id": "C", "sex": "U", "birth_date": None, "ethnicity": "REFU"},
        ],
        population_0_17=20_000,
    )


@pytest.mark.parametrize("kind", ["area", "team", "sex", "age", "ethnicity", "disability"])
def test_breakdowns_add_up_to_all(mixed, kind):
    result = compute(mixed, ["2024-25", "2024-25-Q3"], MINE)
    for ident in MINE:
        for period in ("2024-25", "2024-25-Q3"):
            rows = result.filter((pl.col("indicator_id") == ident) & (pl.col("period") == period))
            total = value_of(rows, ident)
            parts = rows.filter(pl.col("breakdown") == kind)
            assert parts["numerator"].sum() == total["numerator"], (ident, kind)
            if total["denominator"] is not None and get_catalogue()[ident].has_denominator:
                assert parts["denominator"].sum() == total["denominator"], (ident, kind)


def test_quarters_flows_add_up_to_the_year(mixed):
    year = parse_period("2024-25")
    flows = [i for i in MINE if get_catalogue()[i].period_type == "flow"]
    result = compute(mixed, [year, *year.quarters()], flows, breakdowns=["all"])
    for ident in flows:
        rows = result.filter(pl.col("indicator_id") == ident)
        annual = rows.filter(pl.col("period") == "2024-25").row(0, named=True)
        quarters = rows.filter(pl.col("period") != "2024-25")
        assert quarters.height == 4
        assert quarters["numerator"].sum() == annual["numerator"], ident
        if get_catalogue()[ident].has_denominator:
            assert quarters["denominator"].sum() == annual["denominator"], ident


def test_characteristic_breakdowns(mixed):
    result = compute(mixed, "2024-25", ["referrals_count"])
    # A (female, Black, not disabled, aged 8/9), B (male, Mixed, disabled; born 1 Jun 2024:
    # unborn at 1 May, Under 1 at 1 Jul), C (sex U, ethnicity refused, disability not recorded)
    assert value_of(result, "referrals_count", "sex", "Female")["numerator"] == 4
    assert value_of(result, "referrals_count", "sex", "Male")["numerator"] == 2
    assert value_of(result, "referrals_count", "sex", "Not known")["numerator"] == 1
    assert value_of(result, "referrals_count", "ethnicity", "Black")["numerator"] == 4
    assert value_of(result, "referrals_count", "ethnicity", "Mixed")["numerator"] == 2
    assert value_of(result, "referrals_count", "ethnicity", "Not known")["numerator"] == 1
    assert value_of(result, "referrals_count", "disability", "Yes")["numerator"] == 2
    assert value_of(result, "referrals_count", "disability", "No")["numerator"] == 4
    assert value_of(result, "referrals_count", "disability", "Not known")["numerator"] == 1
    # A was born 1 Jun 2015: 9 on 1 Jun 2024 (her birthday), 9 all year -> 5-9
    assert value_of(result, "referrals_count", "age", "5-9")["numerator"] == 4
    assert value_of(result, "referrals_count", "age", "Unborn")["numerator"] == 1
    assert value_of(result, "referrals_count", "age", "Under 1")["numerator"] == 1
    assert value_of(result, "referrals_count", "age", "Not known")["numerator"] == 1


@pytest.mark.parametrize(
    ("birth", "on", "band"),
    [
        ("2024-06-01", "2025-05-31", "Under 1"),
        ("2024-06-01", "2025-06-01", "1-4"),  # first birthday
        ("2020-06-01", "2025-05-31", "1-4"),
        ("2020-06-01", "2025-06-01", "5-9"),
        ("2015-06-01", "2025-06-01", "10-15"),
        ("2009-06-01", "2025-05-31", "10-15"),
        ("2009-06-01", "2025-06-01", "16-17"),
        ("2007-06-01", "2025-05-31", "16-17"),
        ("2007-06-01", "2025-06-01", "18+"),  # 18th birthday
        ("2008-02-29", "2026-02-28", "16-17"),  # leap-day birthday: 18 on 1 Mar
        ("2008-02-29", "2026-03-01", "18+"),
    ],
)
def test_age_band_boundaries(birth, on, band):
    data = case_data(
        referral=[{"child_id": "A", "referral_date": on}],
        child=[{"child_id": "A", "birth_date": birth}],
    )
    period = parse_period(f"M-{on[:7]}")
    result = compute(data, period, ["referrals_count"], breakdowns=["age"])
    assert value_of(result, "referrals_count", "age", band)["numerator"] == 1


def test_area_rates_are_empty_without_area_populations(mixed):
    result = compute(mixed, "2024-25", ["referrals_rate_per_10k", "s47_rate_per_10k"])
    # 7 referrals / 20,000 x 10,000 = 3.5; 2 S47s -> 1.0
    row = value_of(result, "referrals_rate_per_10k")
    assert (row["numerator"], row["denominator"], row["value"]) == (7, 20_000, 3.5)
    assert value_of(result, "s47_rate_per_10k")["value"] == 1.0
    by_area = value_of(result, "referrals_rate_per_10k", "area", "North")
    assert by_area["value"] is None and by_area["denominator"] is None
    # no population at all: empty rates
    no_pop = compute(mixed, "2024-25", ["referrals_rate_per_10k"], population=None)
    assert value_of(no_pop, "referrals_rate_per_10k")["value"] == 3.5  # data's own population
    mixed.population_0_17 = None
    no_pop = compute(mixed, "2024-25", ["referrals_rate_per_10k"])
    assert value_of(no_pop, "referrals_rate_per_10k")["value"] is None


def test_rounding_half_away_from_zero():
    assert round_value(2.675, 2) == 2.68  # binary float 2.67499..., still rounds as written
    assert round_value(0.25, 1) == 0.3
    assert round_value(0.35, 1) == 0.4
    assert round_value(100 / 3, 1) == 33.3
    assert round_value(200 / 3, 1) == 66.7
    assert round_value(2.5, 0) == 3.0
    assert round_value(None, 1) is None
    assert format_value(5.0, 1) == "5.0" and format_value(None, 1) == ""
    assert format_value(12.0, 0) == "12"


def test_percent_values_empty_denominators_and_counts(mixed):
    result = compute(mixed, "2024-25", ["rereferrals_12m_pct", "referrals_count", "icpc_15wd_pct"])
    # re-referrals: A 30 Sep (after 1 Jun), A 1 Oct, A 15 Jan, B 1 Jul: 4 of 7 = 57.142.. -> 57.1
    row = value_of(result, "rereferrals_12m_pct")
    assert (row["numerator"], row["denominator"], row["value"]) == (4, 7, 57.1)
    # T4 has no referrals: 0/0 -> empty value
    empty = value_of(result, "rereferrals_12m_pct", "team", "T4")
    assert (empty["numerator"], empty["denominator"], empty["value"]) == (0, 0, None)
    count = value_of(result, "referrals_count")
    assert count["denominator"] is None and count["value"] == 7
    # no ICPC in a period: empty value, not 0 %
    q4 = compute(mixed, "2024-25-Q2", ["icpc_15wd_pct"], breakdowns=["all"])
    assert value_of(q4, "icpc_15wd_pct")["value"] is None


def test_team_keyed_units_break_down_by_team_and_area_only(tmp_path, monkeypatch):
    (tmp_path / "test.yml").write_text(
        textwrap.dedent(
            """\
            - id: test_team_cases
              title: Cases
              definition: Cases held by a team at period end.
              source: LOCAL
              numerator: cases
              denominator: null
              unit: count
              polarity: contextual
              period_type: snapshot
              decimals: 0
              inputs:
                workforce_snapshot: [team, cases]
              dfe_measure: null
            """
        )
    )
    catalogue = load_catalogue(tmp_path)

    def team_cases(data, period):
        frame = data["workforce_snapshot"]
        return units(frame, date=pl.lit(period.end), numerator=pl.col("cases"), key="team")

    load_indicator_modules()
    monkeypatch.setitem(INDICATORS, "test_team_cases", team_cases)
    data = case_data(
        workforce_snapshot=[{"team": "T1", "cases": 20}, {"team": "T2", "cases": 15},
                            {"team": "T3", "cases": 5}],
        team=[{"team": "T1", "area": "North"}, {"team": "T2", "area": "North"},
              {"team": "T3", "area": "South"}],
    )
    result = compute(data, "2024-25", ["test_team_cases"], catalogue=catalogue)
    assert value_of(result, "test_team_cases")["value"] == 40
    assert value_of(result, "test_team_cases", "area", "North")["value"] == 35
    assert value_of(result, "test_team_cases", "team", "T3")["value"] == 5
    assert set(result["breakdown"].unique()) == {"all", "area", "team"}


def test_unit_rows_list_children(mixed):
    rows = unit_rows(mixed, "rereferrals_12m_pct", "2024-25")
    assert rows.columns[:6] == ["child_id", "date", "team", "area", "in_numerator", "in_denominator"]
    assert rows.height == 7
    assert rows["in_numerator"].sum() == 4 and rows["in_denominator"].all()
    counts = unit_rows(mixed, "referrals_count", "2024-25")
    assert counts["in_denominator"].null_count() == counts.height


def test_resolve_population(monkeypatch, tmp_path):
    monkeypatch.setenv("CSC_SCORECARD_HOME", str(tmp_path))
    monkeypatch.delenv("CSC_SCORECARD_POPULATION", raising=False)
    assert resolve_population()[0] is None
    (tmp_path / "council.yml").write_text("name: Test\npopulation_0_17: 123456\n")
    assert resolve_population()[0] == 123456
    monkeypatch.setenv("CSC_SCORECARD_POPULATION", "98,765")
    assert resolve_population() == (98765, "CSC_SCORECARD_POPULATION")
    assert resolve_population(5000) == (5000, "--population option")


# --------------------------------------------------------------------------
# CLI (the store is replaced by hand-made data)
# --------------------------------------------------------------------------


@pytest.fixture()
def cli_data(mixed, monkeypatch):
    def fake_load(la_code, population):
        if population is not None:
            mixed.population_0_17 = population
        return mixed

    monkeypatch.setattr(command_module, "_load", fake_load)
    # `children` reads through services.access, which loads the case data itself
    import csc_scorecard.indicators.casedata as casedata

    monkeypatch.setattr(casedata, "load_case_data",
                        lambda la_code=None, *, population=None: fake_load(la_code, population))
    return mixed


def invoke(args):
    return CliRunner().invoke(command_module.indicators_command, args)


def test_cli_csv_has_exactly_the_columns(cli_data):
    out = invoke(["--period", "2024-25", "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == "indicator_id,period,area,numerator,denominator,value"
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["area"] for r in rows} == {"all"}
    by_id = {r["indicator_id"]: r for r in rows}
    assert by_id["referrals_count"] == {
        "indicator_id": "referrals_count", "period": "2024-25", "area": "all",
        "numerator": "7", "denominator": "", "value": "7",
    }
    assert by_id["rereferrals_12m_pct"]["value"] == "57.1"
    assert by_id["referrals_rate_per_10k"]["denominator"] == "20000"
    # ICPCs: A 3 Jun -> 20 Jun 2024 is 13 working days (in time); C 1 Nov -> 20 Jan is late
    assert by_id["icpc_15wd_pct"]["value"] == "50.0"


def test_cli_area_and_by(cli_data):
    out = invoke(["--period", "2024-25", "--area", "north", "--indicator", "referrals_count"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[1] == "referrals_count,2024-25,North,2,,2"
    by = invoke(["--period", "2024-25", "--by", "team", "--indicator", "referrals_count"])
    teams = [line.split(",")[2] for line in by.stdout.splitlines()[1:]]
    assert teams == ["T1", "T2", "T3", "T4", "Unallocated"]
    unknown = invoke(["--period", "2024-25", "--area", "Atlantis"])
    assert unknown.exit_code == 2 and "no area 'Atlantis'" in unknown.output


def test_cli_population_option_and_missing_population_note(cli_data):
    cli_data.population_0_17 = None
    cli_data.population_note = "no 0-17 population set"
    out = invoke(["--period", "2024-25", "--indicator", "referrals_rate_per_10k"])
    assert out.exit_code == 0
    assert out.stdout.splitlines()[1] == "referrals_rate_per_10k,2024-25,all,7,,"
    assert "no 0-17 population" in out.stderr
    out = invoke(["--period", "2024-25", "--indicator", "referrals_rate_per_10k",
                  "--population", "70000"])
    assert out.stdout.splitlines()[1] == "referrals_rate_per_10k,2024-25,all,7,70000,1.0"


def test_cli_json_and_table(cli_data):
    # Q1 (Apr-Jun 2024): B 1 May, A 1 Jun
    out = invoke(["--period", "2024-25-Q1", "--format", "json", "--indicator", "referrals_count"])
    assert json.loads(out.stdout) == [
        {"indicator_id": "referrals_count", "period": "2024-25-Q1", "area": "all",
         "numerator": 2, "denominator": None, "value": 2}
    ]
    table = invoke(["--period", "2024-25", "--format", "table"])
    assert table.exit_code == 0 and "rereferrals_12m_pct" in table.stdout


@pytest.mark.parametrize("bad", ["2024-26", "2024-13", "Q5", "2024-25-Q5", ""])
def test_cli_bad_period_exits_2_with_a_message(cli_data, bad):
    out = invoke(["--period", bad])
    assert out.exit_code == 2
    assert "not a valid period" in out.output
    assert "Traceback" not in out.output and out.exception is None or isinstance(
        out.exception, SystemExit
    )


def test_cli_children(cli_data, db):
    from csc_scorecard.store.models import AuditEvent

    runner = CliRunner()
    out = runner.invoke(
        command_module.children_command,
        ["rereferrals_12m_pct", "--period", "2024-25", "--format", "csv", "--area", "South"],
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    # A's referrals on 1 Oct and 15 Jan were in T2 (South), both re-referrals
    assert [(r["child_id"], r["date"], r["in_numerator"], r["in_denominator"]) for r in rows] == [
        ("A", "2024-10-01", "yes", "yes"), ("A", "2025-01-15", "yes", "yes"),
    ]
    # the listing is audited: what was asked for and how many rows, no child ids
    event = AuditEvent.objects.get()
    assert event.action == "children" and event.rows == 2
    assert "rereferrals_12m_pct" in event.detail and "South" in event.detail and "A" not in event.detail.split()
    bad = runner.invoke(command_module.children_command, ["nope", "--period", "2024-25"])
    assert bad.exit_code == 2 and "no indicator 'nope'" in bad.output


def test_per_case_data_caches_on_the_data_object():
    from csc_scorecard.indicators.casedata import per_case_data

    calls = []

    @per_case_data
    def prepare(data):
        calls.append(1)
        return data["referral"].height

    first, second = case_data(referral=[{"child_id": "A", "referral_date": "2024-05-01"}]), case_data()
    assert (prepare(first), prepare(first), prepare(second)) == (1, 1, 0)
    assert len(calls) == 2

"""The scorecard built from injected values, targets and benchmarks; the CLI on top of it."""

from decimal import Decimal

import polars as pl
import pytest
from click.testing import CliRunner

from csc_scorecard.rating.command import scorecard as scorecard_cli
from csc_scorecard.rating.scorecard import ScorecardError, build_scorecard, display_frame
from csc_scorecard.rating.targets import TargetSpec

META = {
    "assessments_45wd_pct": {
        "title": "Assessments within 45 working days",
        "unit": "percent",
        "polarity": "higher_better",
        "decimals": 1,
    },
    "cp_repeat_2yr_pct": {
        "title": "Repeat CP plans within 2 years",
        "unit": "percent",
        "polarity": "lower_better",
        "decimals": 1,
    },
    "referrals_count": {
        "title": "Referrals",
        "unit": "count",
        "polarity": "contextual",
        "decimals": 0,
    },
    "sw_caseload_avg": {
        "title": "Average caseload",
        "unit": "average",
        "polarity": "lower_better",
        "decimals": 1,
    },
}

VALUES = {
    "2024-25-Q2": [
        # indicator, area, numerator, denominator, value
        ("assessments_45wd_pct", "all", 850, 1000, 85.0),
        ("assessments_45wd_pct", "North", 400, 500, 80.0),
        ("assessments_45wd_pct", "South", 450, 500, 90.0),
        ("cp_repeat_2yr_pct", "all", 12, 100, 12.0),
        ("cp_repeat_2yr_pct", "North", 3, 40, 7.5),
        ("cp_repeat_2yr_pct", "South", 9, 60, 15.0),
        ("referrals_count", "all", 1300, None, 1300.0),
        ("referrals_count", "North", 650, None, 650.0),
        ("referrals_count", "South", 650, None, 650.0),
        ("sw_caseload_avg", "all", 380, 20, 19.0),
    ],
    "2023-24-Q2": [
        ("assessments_45wd_pct", "all", 800, 1000, 80.0),
        ("assessments_45wd_pct", "North", 400, 500, 80.0),
        ("assessments_45wd_pct", "South", 400, 500, 80.0),
        ("cp_repeat_2yr_pct", "all", 10, 100, 10.0),
        ("cp_repeat_2yr_pct", "North", 2, 40, 5.0),
        ("cp_repeat_2yr_pct", "South", 8, 60, 13.3),
        ("referrals_count", "all", 1000, None, 1000.0),
        ("sw_caseload_avg", "all", 360, 20, 18.0),
    ],
}

TARGETS = {
    "assessments_45wd_pct": TargetSpec("assessments_45wd_pct", "2024-25", Decimal(85), Decimal(5)),
    "cp_repeat_2yr_pct": TargetSpec(
        "cp_repeat_2yr_pct", "2024-25", Decimal(10), Decimal("0.1"), "relative"
    ),
    "sw_caseload_avg": TargetSpec("sw_caseload_avg", "2024-25", None, discontinued=True),
}

calls = []


def values(period, by):
    calls.append((period.label, by))
    return pl.DataFrame(
        VALUES.get(period.label, []),
        schema={
            "indicator_id": pl.String,
            "area": pl.String,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
            "value": pl.Float64,
        },
        orient="row",
    )


def benchmarks(period):
    return pl.DataFrame(
        {
            "indicator_id": ["assessments_45wd_pct", "cp_repeat_2yr_pct"],
            "sn_average": [82.1, 9.0],
            "england": [83.0, 8.5],
            "benchmark_period": ["2023-24", "2023-24"],
        }
    )


def build(**kw):
    kw.setdefault("values_provider", values)
    kw.setdefault("benchmarks_provider", benchmarks)
    kw.setdefault("targets", TARGETS)
    kw.setdefault("indicators", META)
    return build_scorecard("2024-25-Q2", **kw)


def rows_by(frame, area="all"):
    return {r["indicator_id"]: r for r in frame.filter(pl.col("area") == area).to_dicts()}


def test_scorecard_rows():
    calls.clear()
    frame = build()
    assert calls == [("2024-25-Q2", None), ("2023-24-Q2", None)]
    assert frame["area"].unique().to_list() == ["all"]
    # ordered by priority then indicator order in priorities.yml
    assert frame["indicator_id"].to_list() == [
        "referrals_count",
        "assessments_45wd_pct",
        "cp_repeat_2yr_pct",
        "sw_caseload_avg",
    ]
    r = rows_by(frame)
    a = r["assessments_45wd_pct"]
    assert (a["value_display"], a["num_den"], a["target_display"], a["rag"], a["rag_label"]) == (
        "85.0",
        "850/1000",
        "85.0",
        "G",
        "Green: on or better than target",
    )
    assert (a["direction"], a["direction_label"], a["previous_display"], a["change_display"]) == (
        "improving",
        "↑ improving",
        "80.0",
        "+5.0pp",
    )
    assert (a["sn_display"], a["england_display"], a["benchmark_period"]) == (
        "82.1",
        "83.0",
        "2023-24",
    )
    assert a["priority"] == "Children get the right help at the right time"
    cp = r["cp_repeat_2yr_pct"]  # lower is better, 10% relative tolerance of 10 = 1: 12 is R
    assert (cp["rag"], cp["direction_label"], cp["change"]) == (
        "R",
        "↑ declining",
        pytest.approx(2.0),
    )
    assert cp["tolerance_display"] == "10% of target"
    ref = r["referrals_count"]
    assert (ref["rag"], ref["rag_label"], ref["direction_label"], ref["change_display"]) == (
        None,
        "Not rated",
        "↑ increased",
        "+30.0%",
    )
    assert ref["num_den"] == "1300"
    sw = r["sw_caseload_avg"]
    assert (sw["rag"], sw["direction_label"], sw["change_display"]) == ("B", "↑ declining", "+5.6%")


def test_scorecard_by_area_and_missing_previous():
    frame = build(by="area")
    assert calls[-2:] == [("2024-25-Q2", "area"), ("2023-24-Q2", "area")]
    north = rows_by(frame, "North")
    assert north["assessments_45wd_pct"]["rag"] == "A"  # 80 is exactly on the 5-point edge
    assert north["assessments_45wd_pct"]["direction_label"] == "→ steady"
    assert north["referrals_count"]["direction_label"] == "No comparison"  # no previous by area
    assert north["referrals_count"]["previous_display"] == ""
    # council row first, then areas
    assert frame.filter(pl.col("indicator_id") == "assessments_45wd_pct")["area"].to_list() == [
        "all",
        "North",
        "South",
    ]


def test_publication_mode_suppresses_and_blanks_the_change():
    frame = build(by="area", publication=True)
    north = rows_by(frame, "North")["cp_repeat_2yr_pct"]
    south = rows_by(frame, "South")["cp_repeat_2yr_pct"]
    assert north["suppressed"] and north["value_display"] == "c" and north["num_den"] == "c/c"
    assert north["value"] is None and north["numerator"] is None
    assert north["change"] is None and north["change_display"] == ""
    assert north["previous_display"] == "c"  # 2 of 40 last year
    # the council total is shown, so one more area is suppressed (secondary)
    assert south["suppressed"] and south["value_display"] == "c"
    assert north["rag"] == "G"  # the rating stays: a range, not a number
    assert not rows_by(frame)["cp_repeat_2yr_pct"]["suppressed"]
    # without publication nothing is hidden
    plain = rows_by(build(by="area"), "North")["cp_repeat_2yr_pct"]
    assert (
        plain["value_display"] == "7.5" and plain["num_den"] == "3/40" and not plain["suppressed"]
    )


def test_targets_callable_gets_the_financial_year_and_meta_from_frame():
    seen = []

    def targets(year):
        seen.append(year)
        return {}

    def provider(period, by):
        return pl.DataFrame(
            {
                "indicator_id": ["x_pct"],
                "numerator": [1.0],
                "denominator": [4.0],
                "value": [25.0],
                "unit": ["percent"],
                "polarity": ["higher_better"],
                "decimals": [0],
                "title": ["X"],
            }
        )

    frame = build_scorecard(
        "2024-25-Q2",
        values_provider=provider,
        benchmarks_provider=lambda p: None,
        targets=targets,
        indicators={},
    )
    assert seen == ["2024-25"]
    row = frame.row(0, named=True)
    assert (row["title"], row["value_display"], row["rag"], row["sn_average"], row["priority"]) == (
        "X",
        "25",
        None,
        None,
        "Other indicators",
    )
    assert row["direction_label"] == "→ steady"


def test_bad_period_is_a_clear_error():
    with pytest.raises(ScorecardError, match="not a valid period"):
        build_scorecard(
            "2024-Q9", values_provider=values, targets={}, benchmarks_provider=lambda p: None
        )


def test_display_frame_headings():
    shown = display_frame(build())
    assert shown.columns == [
        "Priority",
        "Indicator",
        "Value",
        "Numerator/denominator",
        "Target",
        "RAG",
        "Direction",
        "Previous",
        "Change",
        "SN average",
        "England",
    ]
    assert "Area" in display_frame(build(by="area"), by="area").columns


@pytest.mark.django_db
def test_default_provider_reads_stored_results():
    pytest.importorskip("csc_scorecard.results.models")
    from django.utils import timezone

    from csc_scorecard.results.models import IndicatorValue

    now = timezone.now()
    for period, v in (("2024-25-Q2", 90.0), ("2023-24-Q2", 80.0)):
        IndicatorValue.objects.create(
            indicator_id="assessments_45wd_pct",
            period=period,
            numerator=v * 10,
            denominator=1000,
            value=v,
            computed_at=now,
        )
    frame = build_scorecard(
        "2024-25-Q2", targets={}, benchmarks_provider=lambda p: None, indicators=META
    )
    row = frame.row(0, named=True)
    assert (row["value_display"], row["previous_display"], row["change_display"]) == (
        "90.0",
        "80.0",
        "+10.0pp",
    )


@pytest.mark.django_db
def test_cli_scorecard(monkeypatch):
    import csc_scorecard.rating.scorecard as sc

    real = sc.build_scorecard

    def injected(period, **kw):
        kw.update(
            values_provider=values, benchmarks_provider=benchmarks, targets=TARGETS, indicators=META
        )
        kw.pop("la_code", None)
        return real(period, **kw)

    monkeypatch.setattr(sc, "build_scorecard", injected)
    runner = CliRunner()
    result = runner.invoke(scorecard_cli, ["--period", "2024-25-Q2", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Priority,Indicator,Value")
    assert any("Assessments within 45 working days,85.0,850/1000,85.0" in line for line in lines)
    result = runner.invoke(
        scorecard_cli,
        ["--period", "2024-25-Q2", "--by", "area", "--publication", "--format", "csv"],
    )
    assert result.exit_code == 0 and ",c,c/c," in result.output
    result = runner.invoke(
        scorecard_cli, ["--period", "2024-25-Q2", "--summary", "--format", "table"]
    )
    assert result.exit_code == 0 and "Children are protected from harm" in result.output
    assert "↓ declining" in result.output and "Red" in result.output
    result = runner.invoke(scorecard_cli, ["--period", "2024-25-Q2"])
    assert result.exit_code == 0 and "Scorecard 2024-25-Q2" in result.output


def test_cli_bad_period_no_traceback():
    result = CliRunner().invoke(scorecard_cli, ["--period", "someday"])
    assert result.exit_code == 2
    assert "not a valid period" in result.output and "Traceback" not in result.output


def test_published_benchmarks_fall_back_to_the_year_before(monkeypatch):
    import csc_scorecard.benchmarks.compare as compare
    from csc_scorecard.rating.scorecard import published_benchmarks_provider

    asked = []

    def fake(la_code, year, *args, **kwargs):
        asked.append((la_code, year))
        published = year == "2023-24"
        return pl.DataFrame(
            {
                "indicator_id": ["assessments_45wd_pct"],
                "sn_average": [80.0 if published else None],
                "england": [82.0 if published else None],
            },
            schema={"indicator_id": pl.String, "sn_average": pl.Float64, "england": pl.Float64},
        )

    monkeypatch.setattr(compare, "benchmarks_for", fake)
    frame = build(benchmarks_provider=published_benchmarks_provider("933"))
    assert asked == [("933", "2024-25"), ("933", "2023-24")]
    row = rows_by(frame)["assessments_45wd_pct"]
    assert (row["sn_display"], row["england_display"], row["benchmark_period"]) == (
        "80.0",
        "82.0",
        "2023-24",
    )

    notes = []
    monkeypatch.setattr(
        compare,
        "benchmarks_for",
        lambda *a, **k: (_ for _ in ()).throw(ValueError("no reference data")),
    )
    frame = build(benchmarks_provider=published_benchmarks_provider("933", notes))
    assert rows_by(frame)["assessments_45wd_pct"]["sn_average"] is None
    assert notes == ["benchmarks unavailable: no reference data"]

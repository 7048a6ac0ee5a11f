"""Freezing a year: who may, what is kept, which figures every reader then gets, the audit trail.

The stores are hand-made: stored values written straight into results.IndicatorValue, so
each figure below is known exactly.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from services_storekit import account

from csc_scorecard.cli import cli

pytestmark = pytest.mark.django_db

LA = "123"
NOW = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def value(indicator, period, numerator, denominator=None, value=None, *, breakdown="all",
          breakdown_value="all", la_code=LA, submissions=(1,)):
    from csc_scorecard.results.models import IndicatorValue

    IndicatorValue.objects.update_or_create(
        indicator_id=indicator, period=period, breakdown=breakdown,
        breakdown_value=breakdown_value, la_code=la_code,
        defaults={"numerator": numerator, "denominator": denominator,
                  "value": numerator if value is None and denominator is None else value,
                  "computed_at": NOW, "submissions": list(submissions)},
    )


def two_years():
    """2023-24 and 2024-25 figures: the year, a quarter and an area row of each."""
    value("referrals_count", "2023-24", 400)
    value("referrals_count", "2024-25", 500)
    value("referrals_count", "2024-25-Q1", 120)
    value("referrals_count", "2024-25", 300, breakdown="area", breakdown_value="North")
    value("rereferrals_12m_pct", "2024-25", 100, 500, 20.0)
    value("rereferrals_12m_pct", "2023-24", 60, 400, 15.0)
    value("referrals_count", "2025-26", 50)


def figure(frame, indicator, period, area="all"):
    import polars as pl

    rows = frame.filter((pl.col("indicator_id") == indicator) & (pl.col("period") == period)
                        & (pl.col("breakdown_value") == area))
    return rows["value"].to_list()


def audit_actions():
    from csc_scorecard.store.models import AuditEvent

    return [(e.action, e.account.username if e.account else None, e.rows)
            for e in AuditEvent.objects.order_by("id")]


def test_a_frozen_year_reads_frozen_while_live_figures_move():
    from csc_scorecard.services.freeze import freeze_period
    from csc_scorecard.services.results import council_values, live_values, stored_values

    two_years()
    info = freeze_period(account("ann", "analyst"), "2024-25", la_code=LA, label="As submitted")
    # own year: 2024-25, 2024-25-Q1 and the North row (4 rows); the year before: 2 rows
    assert (info.version, info.rows) == (1, 6)
    assert info.headline.endswith('("As submitted")')
    # a recompute (here: the rows rewritten) changes the live figures of both years
    value("referrals_count", "2024-25", 510)
    value("referrals_count", "2024-25-Q1", 125)
    value("referrals_count", "2023-24", 410)
    value("referrals_count", "2025-26", 55)
    live = live_values("2024-25", la_code=LA)
    assert figure(live, "referrals_count", "2024-25") == [510]
    # a read of the frozen year: the freeze; its quarter too; the next year stays live
    assert figure(stored_values("2024-25", la_code=LA), "referrals_count", "2024-25") == [500]
    assert figure(stored_values("2024-25-Q1", la_code=LA), "referrals_count", "2024-25-Q1") == [120]
    assert figure(stored_values("2025-26", la_code=LA), "referrals_count", "2025-26") == [55]
    # the year before: read for the frozen year (a report's comparison) -> as frozen;
    # read for itself (2023-24 is not frozen) -> live
    _, for_report = council_values(["2024-25", "2023-24"], la_code=LA, context="2024-25")
    assert figure(for_report, "referrals_count", "2023-24") == [400]
    assert figure(for_report, "referrals_count", "2024-25", "North") == [300]
    assert figure(stored_values("2023-24", la_code=LA), "referrals_count", "2023-24") == [410]
    # every period at once (the indicator page's trend) without a context: per year
    everything = stored_values(la_code=LA, breakdown="all")
    assert figure(everything, "referrals_count", "2024-25") == [500]
    assert figure(everything, "referrals_count", "2023-24") == [410]
    assert figure(everything, "referrals_count", "2025-26") == [55]


def test_the_scorecard_of_a_frozen_year_rates_its_frozen_figures_and_says_so():
    from csc_scorecard.services.freeze import freeze_period
    from csc_scorecard.services.scorecard import scorecard_view

    two_years()
    freeze_period(account("ann", "analyst"), "2024-25", la_code=LA, label="Published")
    value("rereferrals_12m_pct", "2024-25", 150, 500, 30.0)
    value("rereferrals_12m_pct", "2023-24", 40, 400, 10.0)
    view = scorecard_view("2024-25", la_code=LA)
    row = view.frame.filter(view.frame["indicator_id"] == "rereferrals_12m_pct").to_dicts()[0]
    # frozen 20.0 against the frozen year before 15.0: +5.0pp (live would be 30.0 and 10.0)
    assert (row["value"], row["previous_value"]) == (20.0, 15.0)
    assert any('frozen on ' in n and '("Published")' in n for n in view.notes), view.notes


def test_a_frozen_year_is_rated_against_the_targets_it_was_frozen_with():
    from csc_scorecard.services.freeze import freeze_period, unfreeze_period
    from csc_scorecard.services.scorecard import scorecard_view
    from csc_scorecard.services.targets import save_target

    two_years()
    value("rereferrals_12m_pct", "2025-26", 44, 200, 22.0)
    ann = account("ann", "analyst")
    # re-referrals, lower is better: 20.0 against a target of 18 (tolerance 1) is Red
    save_target(ann, "rereferrals_12m_pct", "2024-25", {"target": "18", "tolerance": "1"})
    save_target(ann, "rereferrals_12m_pct", "2025-26", {"target": "18", "tolerance": "1"})
    freeze_period(ann, "2024-25", la_code=LA)
    # the targets are edited afterwards: 25 would make 20.0 (and 22.0) Green
    save_target(ann, "rereferrals_12m_pct", "2024-25", {"target": "25", "tolerance": "1"})
    save_target(ann, "rereferrals_12m_pct", "2025-26", {"target": "25", "tolerance": "1"})

    def rated(period):
        frame = scorecard_view(period, la_code=LA).frame
        row = frame.filter(frame["indicator_id"] == "rereferrals_12m_pct").to_dicts()[0]
        return row["target"], row["rag"]

    assert rated("2024-25") == (18.0, "R")  # frozen: the target kept with the freeze
    assert rated("2025-26") == (25.0, "G")  # not frozen: the target as it stands
    unfreeze_period(account("root", "admin"), "2024-25", la_code=LA, reason="figures reissued")
    assert rated("2024-25") == (25.0, "G")  # withdrawn: live again


def test_freezing_again_keeps_history_and_the_latest_wins():
    from csc_scorecard.services.freeze import freeze_history, freeze_period
    from csc_scorecard.services.results import stored_values

    two_years()
    ann = account("ann", "analyst")
    freeze_period(ann, "2024-25", la_code=LA, label="first")
    value("referrals_count", "2024-25", 520)
    second = freeze_period(ann, "2024-25", la_code=LA, label="second")
    value("referrals_count", "2024-25", 530)
    assert second.version == 2
    assert [(i.version, i.label) for i in freeze_history(LA, "2024-25")] == [(1, "first"), (2, "second")]
    assert figure(stored_values("2024-25", la_code=LA), "referrals_count", "2024-25") == [520]


def test_a_frozen_year_before_is_copied_as_frozen():
    from csc_scorecard.services.freeze import freeze_period
    from csc_scorecard.services.results import council_values

    two_years()
    ann = account("ann", "analyst")
    freeze_period(ann, "2023-24", la_code=LA)
    value("referrals_count", "2023-24", 999)  # live moves after 2023-24 was frozen
    freeze_period(ann, "2024-25", la_code=LA)
    _, frame = council_values(["2023-24"], la_code=LA, context="2024-25")
    assert figure(frame, "referrals_count", "2023-24") == [400]  # 2023-24's frozen figure


def test_unfreeze_is_for_administrators_with_a_reason_and_audited():
    from csc_scorecard.services.access import AccessDenied
    from csc_scorecard.services.freeze import FreezeError, freeze_period, unfreeze_period
    from csc_scorecard.services.results import stored_values

    two_years()
    ann, root = account("ann", "analyst"), account("root", "admin")
    freeze_period(ann, "2024-25", la_code=LA)
    value("referrals_count", "2024-25", 510)
    with pytest.raises(AccessDenied, match="only an administrator"):
        unfreeze_period(ann, "2024-25", reason="wrong", la_code=LA)
    with pytest.raises(FreezeError, match="say why"):
        unfreeze_period(root, "2024-25", reason="  ", la_code=LA)
    info = unfreeze_period(root, "2024-25", reason="DfE restated the year", la_code=LA)
    assert info.withdrawn_by == "root"
    assert figure(stored_values("2024-25", la_code=LA), "referrals_count", "2024-25") == [510]
    with pytest.raises(FreezeError, match="is not frozen"):
        unfreeze_period(root, "2024-25", reason="again", la_code=LA)
    # a later freeze is the next version
    assert freeze_period(ann, "2024-25", la_code=LA).version == 2
    assert [a[:2] for a in audit_actions()] == [
        ("freeze", "ann"), ("unfreeze-refused", "ann"), ("unfreeze", "root"), ("freeze", "ann"),
    ]


@pytest.mark.parametrize("role", ["viewer", "manager"])
def test_only_analysts_and_admins_freeze(role):
    from csc_scorecard.results.models import Freeze
    from csc_scorecard.services.access import AccessDenied
    from csc_scorecard.services.freeze import freeze_period

    two_years()
    with pytest.raises(AccessDenied, match="analysts and administrators"):
        freeze_period(account("val", role), "2024-25", la_code=LA)
    assert not Freeze.objects.exists()
    assert audit_actions() == [("freeze-refused", "val", None)]
    freeze_period(account("root", "admin"), "2024-25", la_code=LA)
    assert audit_actions()[-1] == ("freeze", "root", 6)


def test_freezing_a_year_without_results_or_not_a_year_changes_nothing():
    from csc_scorecard.results.models import Freeze, FrozenValue
    from csc_scorecard.services.freeze import FreezeError, freeze_period

    two_years()
    ann = account("ann", "analyst")
    with pytest.raises(FreezeError, match="no stored results for 2021-22"):
        freeze_period(ann, "2021-22", la_code=LA)
    with pytest.raises(FreezeError, match="not a financial year"):
        freeze_period(ann, "2024-25-Q1", la_code=LA)
    with pytest.raises(FreezeError, match="at most 200"):
        freeze_period(ann, "2024-25", la_code=LA, label="x" * 201)
    assert not Freeze.objects.exists() and not FrozenValue.objects.exists()


def test_cli_freeze_history_and_errors(home):
    account("ann", "analyst")
    account("root", "admin")
    two_years()
    runner = CliRunner()
    out = runner.invoke(cli, ["--as", "ann", "freeze", "--period", "2024-25", "--label",
                              "Annual return", "--la", LA])
    assert out.exit_code == 0, out.output
    assert 'frozen on' in out.output and '("Annual return"), version 1 (6 values' in out.output
    hist = runner.invoke(cli, ["freeze", "--period", "2024-25", "--history", "--la", LA])
    assert hist.exit_code == 0 and "version 1" in hist.output and "by ann" in hist.output
    from services_storekit import submission

    submission("cin_census", "2024-25", LA)  # so status has something loaded to list
    shown = runner.invoke(cli, ["status"])
    assert shown.exit_code == 0
    assert "frozen: LA 123 2024-25 version 1" in shown.output, shown.output
    empty = runner.invoke(cli, ["--as", "ann", "freeze", "--period", "2019-20", "--la", LA])
    assert empty.exit_code == 2
    assert "csc-scorecard: error: no stored results for 2019-20" in empty.stderr
    refused = runner.invoke(cli, ["--as", "ann", "unfreeze", "--period", "2024-25",
                                  "--reason", "x", "--la", LA])
    assert refused.exit_code == 2 and "only an administrator" in refused.stderr
    done = runner.invoke(cli, ["--as", "root", "unfreeze", "--period", "2024-25",
                               "--reason", "restated", "--la", LA])
    assert done.exit_code == 0 and "withdrawn" in done.output


def test_a_frozen_year_keeps_its_population_notes():
    # The area rates' population notes are part of what a frozen report shows beside its
    # figures: a later recompute with a new population must not change them either.
    from csc_scorecard.results.models import IndicatorValue
    from csc_scorecard.services.freeze import freeze_period
    from csc_scorecard.services.results import stored_population_notes

    value("referrals_rate_per_10k", "2024-25", 300, 10_000, 300.0, breakdown="area",
          breakdown_value="North")
    value("referrals_rate_per_10k", "2025-26", 310, 10_000, 310.0, breakdown="area",
          breakdown_value="North")
    IndicatorValue.objects.update(population_note="10,000 children aged 0-17: council CSV 2024")
    freeze_period(account("ann", "analyst"), "2024-25", la_code=LA)
    IndicatorValue.objects.update(population_note="10,400 children aged 0-17: council CSV 2025")
    notes = stored_population_notes(["2024-25", "2025-26"], la_code=LA)
    assert notes[("2024-25", "North")] == "10,000 children aged 0-17: council CSV 2024"  # frozen
    assert notes[("2025-26", "North")] == "10,400 children aged 0-17: council CSV 2025"  # live

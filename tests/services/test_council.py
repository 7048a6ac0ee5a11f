"""One council rule: every reader chooses (or refuses) the same council the same way."""

import pytest
from services_storekit import D, account, referrals, submission, teams

from csc_scorecard.services.council import CouncilNotChosen, choose_council

pytestmark = pytest.mark.django_db


@pytest.fixture()
def two_councils():
    """Council 123 has 2 referrals in 2024-25, council 456 has 3 (so a count tells them apart)."""
    from csc_scorecard.indicators.results import compute_and_store

    a = submission("cin_census", "2024-25", la_code="123")
    referrals(a, ("A", D(2024, 5, 1)), ("B", D(2024, 6, 1)))
    b = submission("cin_census", "2024-25", la_code="456")
    referrals(b, ("X", D(2024, 5, 1)), ("Y", D(2024, 6, 1)), ("Z", D(2024, 7, 1)))
    teams(la_code="", allocations=[("A", "T1"), ("B", "T1"), ("X", "T1"), ("Y", "T1"), ("Z", "T1")])
    for code in ("123", "456"):
        compute_and_store(["2024-25"], la_code=code, population=10_000,
                          indicator_ids=["referrals_count"])
    return account("ana", "analyst")


def _readers(analyst, la_code=None):
    """What each reader reports on: (council code, referrals in 2024-25) per reader."""
    import polars as pl

    from csc_scorecard.indicators.casedata import load_case_data
    from csc_scorecard.periods import parse_period
    from csc_scorecard.rating.scorecard import results_values_provider
    from csc_scorecard.reporting.values import ResultSet
    from csc_scorecard.services.access import children_behind

    data = load_case_data(la_code)
    listing = children_behind(analyst, "referrals_count", "2024-25", la_code=la_code)
    values = results_values_provider(la_code)(parse_period("2024-25"), None)
    scorecard_count = values.filter(pl.col("indicator_id") == "referrals_count")["value"].item()
    report = ResultSet.from_store([parse_period("2024-25")], la_code=la_code, publication=False,
                                  units={"referrals_count": ("count", 0)})
    return {
        "indicators": (data.la_code, data["referral"].height),
        "children": (listing.la_code, len(listing.rows)),
        "scorecard": (None, scorecard_count),
        "report": (report.la_code, report.figure("referrals_count", "2024-25").value),
    }


def test_several_councils_and_none_chosen_is_refused_by_every_reader(two_councils):
    from csc_scorecard.indicators.casedata import load_case_data
    from csc_scorecard.periods import parse_period
    from csc_scorecard.rating.scorecard import ScorecardError, results_values_provider
    from csc_scorecard.reporting.values import ReportError, ResultSet
    from csc_scorecard.services.access import children_behind

    with pytest.raises(CouncilNotChosen) as refused:
        choose_council()
    assert refused.value.choices == ["123", "456"]
    message = str(refused.value)
    assert "123, 456" in message and "--la" in message
    # the same refusal, in each reader's own error type, with the same words
    with pytest.raises(CouncilNotChosen, match="123, 456"):
        load_case_data()
    with pytest.raises(CouncilNotChosen, match="123, 456"):
        children_behind(two_councils, "referrals_count", "2024-25")
    with pytest.raises(ScorecardError) as scorecard:
        results_values_provider(None)(parse_period("2024-25"), None)
    with pytest.raises(ReportError) as report:
        ResultSet.from_store([parse_period("2024-25")], la_code=None, publication=False, units={})
    assert str(scorecard.value) == str(report.value) == message


@pytest.mark.parametrize("how", ["--la", "env", "council.yml"])
def test_a_chosen_council_is_the_one_every_reader_reads(two_councils, monkeypatch, home, how):
    la_code = None
    if how == "--la":
        la_code = "456"
    elif how == "env":
        monkeypatch.setenv("CSC_SCORECARD_LA_CODE", "456")
    else:
        (home / "council.yml").write_text("la_code: '456'\nname: Southshire\n")
    # 456 has X, Y and Z's referrals: 3 everywhere, never 123's 2 or the merged 5
    assert _readers(two_councils, la_code) == {
        "indicators": ("456", 3), "children": ("456", 3), "scorecard": (None, 3.0),
        "report": ("456", 3.0),
    }
    source = {"--la": "--la", "env": "CSC_SCORECARD_LA_CODE", "council.yml": "council.yml"}[how]
    assert choose_council(la_code).source == source


def test_explicit_choice_beats_env_which_beats_council_yml(db, monkeypatch, home):
    (home / "council.yml").write_text("la_code: '111'\nname: Fileshire\n")
    assert (choose_council().la_code, choose_council().name) == ("111", "Fileshire")
    monkeypatch.setenv("CSC_SCORECARD_LA_CODE", "222")
    assert choose_council().la_code == "222"
    assert choose_council("333").la_code == "333"


def test_the_only_council_in_the_store_is_chosen(db):
    sub = submission("cin_census", "2024-25", la_code="123")
    referrals(sub, ("A", D(2024, 5, 1)))
    submission("local", la_code="", subtype="teams")  # uncoded extracts belong to every council
    council = choose_council()
    assert (council.la_code, council.source) == ("123", "the store")


def test_an_empty_store_has_no_council_and_reports_nothing_stored(db):
    from csc_scorecard.reporting.values import ReportError, resolve_la_code

    assert choose_council() == choose_council(None)
    assert choose_council().la_code == "" and choose_council().source == "none"
    with pytest.raises(ReportError, match="no indicator results are stored"):
        resolve_la_code(None)


def test_a_council_without_results_is_named(two_councils):
    from csc_scorecard.reporting.values import ReportError, resolve_la_code

    with pytest.raises(ReportError, match=r"no stored results for LA 789; results are stored for 123, 456"):
        resolve_la_code("789")


def test_every_command_refuses_the_same_way(two_councils, tmp_path):
    from click.testing import CliRunner

    from csc_scorecard.cli import cli

    commands = [
        ["indicators", "--period", "2024-25"],
        ["children", "referrals_count", "--period", "2024-25"],
        ["scorecard", "--period", "2024-25"],
        ["report", "annual", "--period", "2024-25", "--out", str(tmp_path / "out")],
    ]
    for args in commands:
        out = CliRunner().invoke(cli, ["--as", "ana", *args])
        assert out.exit_code == 2, (args, out.output)
        assert "the store holds several councils (123, 456); choose one with --la" in out.output, args
        assert "Traceback" not in out.output
    chosen = CliRunner().invoke(cli, ["--as", "ana", "indicators", "--period", "2024-25", "--la",
                                      "456", "--indicator", "referrals_count"])
    assert chosen.exit_code == 0, chosen.output
    # 456 has three referrals in 2024-25
    assert "referrals_count,2024-25,all,3,,3" in chosen.stdout

"""The rules run at ingest: failures stored as issues with their rule, every outcome kept."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.store.models import IssueRecord, RuleOutcome, Submission
from csc_scorecard.validation import at_ingest
from csc_scorecard.validation.core import REGISTRY, Rule

pytestmark = pytest.mark.django_db

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
EPISODE = "1,01/05/2024,S,C2,N1,U1,PR1,,,,AB1 2CD,AB3 4EF,\n"


def _903(folder, header_rows, episode_rows=EPISODE):
    folder.mkdir()
    (folder / "header.csv").write_text(HEADER + header_rows)
    (folder / "episodes.csv").write_text(EPISODES + episode_rows)
    return folder


def _stored(outcomes):
    assert [o.status for o in outcomes] == ["stored"], [(o.label, o.reason) for o in outcomes]
    return Submission.objects.get(pk=outcomes[0].submission_id), outcomes[0]


def test_failures_are_stored_with_their_rule_and_not_run_rules_are_kept(tmp_path):
    # Child 1's ethnicity XXXX is no DfE code: rule 103 fails on header.csv row 2 (row 1 is
    # the column names). Child 2 is a valid record. No 2023-24 903 is stored, so rule 202
    # (sex changed since last year) needs Header_last and is "not run", not passed.
    folder = _903(tmp_path / "903_2024_25", "1,M,01/01/2012,XXXX,UN2,,\n2,F,01/01/2013,WBRI,UN2,,\n",
                  EPISODE + EPISODE.replace("1,", "2,", 1))
    sub, outcome = _stored(ingest_paths([folder], year="2024-25", la_code="933"))
    found = IssueRecord.objects.filter(submission=sub, rule="103")
    assert [(i.severity, i.child, i.file, i.table, i.row, i.value) for i in found] == [
        ("error", "1", "header.csv", "Header", 2, "XXXX")
    ]
    assert found[0].code == "rule 103" and "thnic" in found[0].message
    outcomes = {(o.return_type, o.rule): o for o in RuleOutcome.objects.filter(submission=sub)}
    assert outcomes[("ssda903", "103")].outcome == "failed" and outcomes[("ssda903", "103")].children == 1
    assert outcomes[("ssda903", "202")].outcome == "not run"
    assert "Header_last" in outcomes[("ssda903", "202")].reason
    assert outcomes[("ssda903", "101")].outcome == "passed"  # M and F are the 2024-25 codes
    # The counts on the submission and the outcome agree with the stored records.
    errors = IssueRecord.objects.filter(submission=sub, severity="error").exclude(rule="").count()
    assert outcome.rule_counts["error"] == sub.rule_counts["error"] == errors >= 1
    not_run = sum(o.outcome == "not run" for o in outcomes.values())
    assert sub.rule_counts["not run"] == not_run > 0
    # The readers' own issues are kept apart: issue_counts holds theirs only.
    assert sum(sub.issue_counts.values()) == IssueRecord.objects.filter(submission=sub, rule="").count()


def test_last_years_903_in_the_store_lets_the_year_on_year_rules_run(tmp_path):
    # 2023-24: child 1 recorded as sex 1 (M). 2024-25: as F (the codes are M/F from 2024-25,
    # 1 = M): the sex changed, rule 202 flags child 1.
    last = _903(tmp_path / "903_2023_24", "1,1,01/01/2012,WBRI,UN2,,\n",
                "1,01/05/2023,S,C2,N1,U1,PR1,,,,AB1 2CD,AB3 4EF,\n")
    _stored(ingest_paths([last], year="2023-24", la_code="933"))
    this = _903(tmp_path / "903_2024_25", "1,F,01/01/2012,WBRI,UN2,,\n")
    sub, _ = _stored(ingest_paths([this], year="2024-25", la_code="933"))
    outcome = RuleOutcome.objects.get(submission=sub, return_type="ssda903", rule="202")
    assert (outcome.outcome, outcome.failures) == ("failed", 1)
    assert IssueRecord.objects.get(submission=sub, rule="202").child == "1"


def test_a_crashing_rule_is_could_not_run_and_a_crashing_validation_never_fails_the_ingest(
    tmp_path, monkeypatch
):
    def boom(tables, ctx):
        raise RuntimeError("child 1 has value XXXX")  # the text must not be kept

    key = "ssda903:103"
    monkeypatch.setitem(REGISTRY.rules, key, Rule(REGISTRY.rules[key].spec, boom))
    sub, _ = _stored(ingest_paths([_903(tmp_path / "a", "1,1,01/01/2012,XXXX,UN2,,\n")],
                                  year="2024-25", la_code="933"))
    broken = RuleOutcome.objects.get(submission=sub, return_type="ssda903", rule="103")
    assert broken.outcome == "could not run" and broken.reason.startswith("RuntimeError")
    assert "XXXX" not in broken.reason and sub.rule_counts["could not run"] == 1
    assert not IssueRecord.objects.filter(submission=sub, rule="103").exists()

    def worse(submission, paths, *rest):
        raise OSError("disk gone")

    monkeypatch.setattr(at_ingest, "_validate", worse)
    sub2, outcome = _stored(ingest_paths([_903(tmp_path / "b", "2,1,01/01/2012,WBRI,UN2,,\n")],
                                         year="2024-25", la_code="933"))
    assert sub2.is_current and sub2.row_counts["child"] == 1  # stored all the same
    assert sub2.rule_counts["failed"].startswith("OSError") and "disk" not in sub2.rule_counts["failed"]
    # the 903's own rules left nothing; the cross checks run on their own (validate_cross)
    assert not RuleOutcome.objects.filter(submission=sub2, return_type="ssda903").exists()

    def cross_worse(submission):
        raise OSError("disk gone again")

    monkeypatch.setattr(at_ingest, "_cross_checks", cross_worse)
    sub3, outcome = _stored(ingest_paths([_903(tmp_path / "c", "3,1,01/01/2012,WBRI,UN2,,\n")],
                                         year="2024-25", la_code="933"))
    assert sub3.is_current and sub3.row_counts["child"] == 1  # stored all the same
    assert outcome.rule_counts["failed"] == sub3.rule_counts["failed"]
    assert sub3.rule_counts["failed"].startswith("OSError") and "disk" not in sub3.rule_counts["failed"]
    assert not RuleOutcome.objects.filter(submission=sub3, return_type="cross").exists()


def test_cross_checks_run_after_each_ingest_and_the_latest_run_replaces_earlier_ones(tmp_path):
    first, _ = _stored(ingest_paths([_903(tmp_path / "a", "1,1,01/01/2012,WBRI,UN2,,\n")],
                                    year="2024-25", la_code="933"))
    cross = RuleOutcome.objects.filter(submission=first, return_type="cross")
    # No CIN census or Annex A is stored for 2024-25: the checks needing them are not run.
    assert cross.filter(rule="XR01").get().outcome == "not run"
    assert "cin" in cross.get(rule="XR01").reason
    second, _ = _stored(ingest_paths([_903(tmp_path / "b", "1,1,01/01/2012,WBRI,UN2,,\n2,1,01/01/2012,WBRI,UN2,,\n")],
                                     year="2024-25", la_code="933"))
    assert not RuleOutcome.objects.filter(submission=first, return_type="cross").exists()
    assert RuleOutcome.objects.filter(submission=second, return_type="cross").count() == cross.model.objects.filter(
        return_type="cross").count() >= 6
    # The first submission's own 903 outcomes stay: they describe its files.
    assert RuleOutcome.objects.filter(submission=first, return_type="ssda903").exists()


def test_issues_command_filters_by_rule_and_severity_and_exports_the_rule(tmp_path):
    # Child 1: ethnicity XXXX (103) and sex 7 (101, not a code); child 2: valid.
    folder = _903(tmp_path / "903_2024_25", "1,7,01/01/2012,XXXX,UN2,,\n2,M,01/01/2013,WBRI,UN2,,\n",
                  EPISODE + EPISODE.replace("1,", "2,", 1))
    sub, _ = _stored(ingest_paths([folder], year="2024-25", la_code="933"))
    runner = CliRunner()
    out = runner.invoke(cli, ["issues", str(sub.pk), "--rule", "103", "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert list(rows[0])[:2] == ["rule", "severity"] and "child" in rows[0]
    assert [(r["rule"], r["child"], r["row"], r["value"]) for r in rows] == [("103", "1", "2", "XXXX")]
    both = runner.invoke(cli, ["issues", str(sub.pk), "--severity", "error", "--format", "csv"])
    rules = {r["rule"] for r in csv.DictReader(io.StringIO(both.output))}
    assert {"101", "103"} <= rules
    none = runner.invoke(cli, ["issues", str(sub.pk), "--rule", "103", "--severity", "query", "--format", "csv"])
    assert list(csv.DictReader(io.StringIO(none.output))) == []
    # status shows the rules' counts beside the readers': DfE errors/queries/warnings, not run.
    c = sub.rule_counts
    status = runner.invoke(cli, ["status"])
    cell = f"{c['error']}/{c.get('query', 0)}/{c.get('warning', 0)}, {c['not run'] + c.get('could not run', 0)}"
    assert status.exit_code == 0 and cell in status.output.replace("\n", ""), status.output


def test_the_returns_service_filters_by_rule(tmp_path):
    from csc_scorecard.services import returns as service

    folder = _903(tmp_path / "903_2024_25", "1,7,01/01/2012,XXXX,UN2,,\n")
    sub, _ = _stored(ingest_paths([folder], year="2024-25", la_code="933"))
    rows, choices = service._filtered_issues(sub, {"rule": "103"})
    assert [r["rule"] for r in rows] == ["103"]
    assert {"101", "103"} <= set(choices["rule"])


def test_a_census_gets_the_cin_rules_with_the_element_path_as_its_place(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "cin"))
    from cin_census_builder import copy_of, good_return, to_xml

    # The builder's return passes every rule; child C1's UPN gets a wrong check letter
    # (K is right for 933 12345678 1, see the builder): rule 1510 flags C1.
    census = copy_of(good_return())
    census["children"][0]["ids"]["UPN"] = "A933123456781"
    path = tmp_path / "cin_census_2024_25.xml"
    path.write_text(to_xml(census), encoding="utf-8")
    sub, _ = _stored(ingest_paths([path], year="2024-25", la_code="933"))
    issue = IssueRecord.objects.get(submission=sub, rule="1510")
    assert (issue.severity, issue.child, issue.row, issue.file) == ("error", "C1", None, path.name)
    assert issue.place.startswith("Child 1") and "line" in issue.place
    assert RuleOutcome.objects.get(submission=sub, return_type="cin", rule="1510").outcome == "failed"
    # The same census ran the cross checks: no 903 is stored, so XR01 is not run.
    assert RuleOutcome.objects.get(submission=sub, return_type="cross", rule="XR01").outcome == "not run"


def test_one_ingest_of_a_903_and_a_census_runs_the_cross_checks_once_after_both(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "cin"))
    from cin_census_builder import good_return, to_xml

    census = tmp_path / "cin_census_2024_25.xml"
    census.write_text(to_xml(good_return()), encoding="utf-8")
    folder = _903(tmp_path / "903_2024_25", "1,1,01/01/2012,WBRI,UN2,,\n")
    outcomes = ingest_paths([folder, census], year="2024-25", la_code="933")
    assert [o.status for o in outcomes] == ["stored", "stored"], [(o.label, o.reason) for o in outcomes]
    by_type = {o.return_type: o for o in outcomes}
    first, last = (Submission.objects.get(pk=by_type[t].submission_id) for t in ("ssda903", "cin_census"))
    # One run, kept with the census (stored last), made with both returns in the store:
    # XR01 (903 children against the census) ran, where a run at the 903's own ingest
    # would have found no census and left it "not run".
    assert not RuleOutcome.objects.filter(submission=first, return_type="cross").exists()
    assert RuleOutcome.objects.get(submission=last, return_type="cross", rule="XR01").outcome != "not run"
    # Each keeps its own rules' outcomes; the census's counts include the cross checks'.
    assert RuleOutcome.objects.filter(submission=first, return_type="ssda903").exists()
    cross = RuleOutcome.objects.filter(submission=last, return_type="cross").count()
    own = RuleOutcome.objects.filter(submission=last, return_type="cin").count()
    assert last.rule_counts["rules"] == own + cross == by_type["cin_census"].rule_counts["rules"]
    assert first.rule_counts["rules"] == RuleOutcome.objects.filter(submission=first).count()

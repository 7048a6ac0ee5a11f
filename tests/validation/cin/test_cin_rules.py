"""Every CIN census rule on its failing and passing examples (cin_examples_*.py),
the good return on every rule, and the outcomes not run / could not run."""

from __future__ import annotations

import polars as pl
import pytest
from cin_census_builder import copy_of, good_return, tables_of
from cin_examples_children import EXAMPLES
from cin_examples_episodes import EXAMPLES as _ALL  # noqa: F401 - adds its examples to EXAMPLES

from csc_scorecard.validation.cin import check_cin_tables, rule_list
from csc_scorecard.validation.core import REGISTRY, Context, Outcome, run_rule

CTX = Context("2024-25", la_code="933")


def _rule(code: str):
    return REGISTRY.rules[f"cin:{code}"]


def _run(code: str, change, tmp_path):
    census = copy_of(good_return())
    change(census)
    return run_rule(_rule(code), tables_of(census, tmp_path), CTX)


def test_every_rule_has_an_example():
    covered = {e.get("code", key) for key, e in EXAMPLES.items()}
    assert covered == set(rule_list())


def test_the_good_return_passes_every_rule(tmp_path):
    results = check_cin_tables(tables_of(good_return(), tmp_path), CTX)
    assert len(results) == len(rule_list()) == 109
    assert {r.spec.code: r.outcome for r in results if r.outcome != Outcome.PASSED} == {}


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_failing_example(key, tmp_path):
    e = EXAMPLES[key]
    result = _run(e.get("code", key), e["fail"], tmp_path)
    assert result.outcome == Outcome.FAILED, result.reason
    assert result.children == e["children"]
    assert {"_table", "_row", "_child"} <= set(result.failures.columns)
    assert result.failures["_row"].null_count() == 0


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_passing_example(key, tmp_path):
    e = EXAMPLES[key]
    result = _run(e.get("code", key), e["ok"], tmp_path)
    assert result.outcome == Outcome.PASSED, (result.reason, result.failures)


def test_failure_names_the_element_and_value(tmp_path):
    census = copy_of(good_return())
    census["children"][0]["ids"]["UPN"] = "A933123456781"
    result = run_rule(_rule("1510"), tables_of(census, tmp_path), CTX)
    row = result.failures.row(0, named=True)
    assert row["_table"] == "ChildIdentifiers"
    assert row["_row"].startswith("Child 1 > ChildIdentifiers (line ")
    assert row["UPN"] == "A933123456781"


def test_a_missing_table_means_not_run(tmp_path):
    tables = tables_of(good_return(), tmp_path)
    del tables["Reviews"]
    results = {r.spec.code: r for r in check_cin_tables(tables, CTX)}
    assert results["8842Q"].outcome == Outcome.NOT_RUN
    assert "Reviews" in results["8842Q"].reason
    assert results["1510"].outcome == Outcome.PASSED


def test_a_rule_that_breaks_could_not_run_and_the_others_go_on(tmp_path):
    tables = tables_of(good_return(), tmp_path)
    tables["CINdetails"] = tables["CINdetails"].drop("ReferralNFA")  # a rule's column gone
    results = {r.spec.code: r for r in check_cin_tables(tables, CTX)}
    assert results["8568"].outcome == Outcome.COULD_NOT_RUN
    assert results["8568"].reason.startswith("ColumnNotFoundError")
    assert results["1510"].outcome == Outcome.PASSED


def test_queries_and_errors():
    assert _rule("8525Q").spec.severity == "query"
    assert _rule("8500").spec.severity == "error"


def test_year_aware_codes(tmp_path):
    # 2024-25 codes sex M/F/U: the old GenderCurrent value 1 is not valid any more.
    census = copy_of(good_return())
    ids = census["children"][0]["ids"]
    ids.update(Sex=None, GenderCurrent="1")
    result = run_rule(_rule("4180"), tables_of(census, tmp_path), CTX)
    assert result.outcome == Outcome.FAILED
    assert result.failures["Sex"].to_list() == ["1"]


def test_fields_show_list_values_joined(tmp_path):
    census = copy_of(good_return())
    census["children"][0]["cin"][0]["Assessments"][0]["factors"] = ["1A", "1A"]
    result = run_rule(_rule("8898"), tables_of(census, tmp_path), CTX)
    assert result.failures["AssessmentFactors"].to_list() == ["1A,1A"]
    assert result.failures.schema["AssessmentFactors"] == pl.Utf8


def test_a_return_without_a_header_fails_rule_100(tmp_path):
    tables = tables_of(good_return(), tmp_path)
    tables["Header"] = tables["Header"].head(0)
    result = run_rule(_rule("100"), tables, CTX)
    assert result.outcome == Outcome.FAILED
    assert result.failures["_row"].to_list() == ["the whole return"]

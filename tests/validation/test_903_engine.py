"""The 903 rule set as a whole: coverage of the DfE lists, year deltas, not run
versus could not run."""

from __future__ import annotations

import polars as pl

from csc_scorecard.validation import ssda903
from csc_scorecard.validation.core import REGISTRY, Context, Outcome, Registry, run_rules
from csc_scorecard.validation.ssda903.catalogue import EXAMPLES, coverage, facts, rule903
from csc_scorecard.validation.ssda903.common import NotRunnable, fail, get

YEARS = ("2024-25", "2025-26", "2026-27")


def test_coverage_of_each_years_list():
    # The figure reported to the lead: codes with a function / codes in the year's list.
    # 2024-25: 286/305, 2025-26: 295/316, 2026-27: 305/327 when this was written.
    for year in YEARS:
        cov = coverage(year)
        print(f"{year}: {len(cov.implemented)}/{len(cov.listed)} ({cov.share:.0%}); missing {' '.join(cov.missing)}")
        assert len(cov.listed) == {"2024-25": 305, "2025-26": 316, "2026-27": 327}[year]
        assert cov.share >= 0.9


def test_every_registered_903_rule_has_worked_examples():
    registered = {r.spec.code for r in REGISTRY.rules.values() if r.spec.return_type == "ssda903"}
    assert registered == set(EXAMPLES)


def test_rule_years_follow_the_lists():
    # 233 first appears in the 2025-26 list; SW01aSTG1 is in 2024-25's only; 700 from 2026-27.
    assert facts()["233"].first_year == "2025-26" and facts()["233"].retired_in is None
    assert facts()["SW01aSTG1"].first_year == "2024-25" and facts()["SW01aSTG1"].retired_in == "2025-26"
    assert facts()["700"].first_year == "2026-27"
    codes_2425 = {r.spec.code for r in run_rules("ssda903", {}, Context("2024-25"))}
    codes_2526 = {r.spec.code for r in run_rules("ssda903", {}, Context("2025-26"))}
    codes_2627 = {r.spec.code for r in run_rules("ssda903", {}, Context("2026-27"))}
    assert "233" not in codes_2425 and "233" in codes_2526
    assert "700" not in codes_2526 and "700" in codes_2627


def test_a_rule_retired_in_2025_26_does_not_run_for_2025_26():
    registry = Registry()
    rule903("SW01aSTG1", fails={}, passes={}, registry=registry)(lambda t, ctx: fail(get(t, "SWEpisodes"), "SWEpisodes",
                                                                                   None, []))
    tables = {"SWEpisodes": pl.DataFrame({"CHILD": ["1"], "_row": [2], "_child": ["1"]})}
    assert [r.spec.code for r in run_rules("ssda903", tables, Context("2024-25"), registry)] == ["SW01aSTG1"]
    assert run_rules("ssda903", tables, Context("2025-26"), registry) == []


def test_missing_table_is_not_run_with_the_reason_never_passed():
    results = {r.spec.code: r for r in ssda903.run_903({"Header": pl.DataFrame(
        {"CHILD": ["1"], "SEX": ["M"], "_row": [2], "_child": ["1"]})}, Context("2024-25"))}
    assert results["101"].outcome is Outcome.PASSED
    assert results["141"].outcome is Outcome.NOT_RUN
    assert "Episodes" in results["141"].reason
    # Derived placement columns: not in a council's files, so 169 is not run, and says why.
    ep = pl.DataFrame({"CHILD": ["1"], "DECOM": ["01/05/2024"], "_row": [2], "_child": ["1"]})
    results = {r.spec.code: r for r in ssda903.run_903({"Episodes": ep}, Context("2024-25"))}
    assert results["169"].outcome is Outcome.NOT_RUN and "PL_LA" in results["169"].reason


def test_a_rule_that_raises_could_not_run_and_the_others_go_on():
    registry = Registry()

    @rule903("101", fails={}, passes={}, registry=registry)
    def broken(t, ctx):
        return t["Header"].select(pl.col("NO_SUCH_COLUMN"))

    @rule903("103", fails={}, passes={}, registry=registry)
    def fine(t, ctx):
        return fail(get(t, "Header", "ETHNIC"), "Header", pl.col("ETHNIC") == "XXXX", ["ETHNIC"])

    @rule903("102", fails={}, passes={}, registry=registry)
    def needs(t, ctx):
        raise NotRunnable("needs a lookup, not supplied")

    header = pl.DataFrame({"CHILD": ["1"], "ETHNIC": ["XXXX"], "_row": [2], "_child": ["1"]})
    results = {r.spec.code: r for r in run_rules("ssda903", {"Header": header}, Context("2024-25"), registry)}
    assert results["101"].outcome is Outcome.COULD_NOT_RUN
    assert "ColumnNotFoundError" in results["101"].reason and "XXXX" not in results["101"].reason
    assert results["102"].outcome is Outcome.NOT_RUN and results["102"].reason == "needs a lookup, not supplied"
    assert results["103"].outcome is Outcome.FAILED and results["103"].failures["_row"].to_list() == [2]


def test_queries_and_errors_take_their_severity_from_the_code():
    from csc_scorecard.validation.core import RuleSeverity

    specs = {r.spec.code: r.spec for r in REGISTRY.rules.values() if r.spec.return_type == "ssda903"}
    assert specs["103"].severity is RuleSeverity.ERROR
    assert all(s.severity is RuleSeverity.QUERY for c, s in specs.items() if c.endswith("Q"))

"""Every 903 rule flags its own failing example and passes its passing one.

The examples sit beside each rule (``rule903(code, fails=..., passes=...)``),
written from the DfE's description of the rule.
"""

from __future__ import annotations

import pytest

from csc_scorecard.returns.ssda903.yearspec import all_tables
from csc_scorecard.validation import ssda903  # noqa: F401  (registers the rules)
from csc_scorecard.validation.core import REGISTRY, Context, Outcome, run_rule
from csc_scorecard.validation.ssda903.catalogue import EXAMPLES
from csc_scorecard.validation.ssda903.catalogue import example_tables as frames

CODES = sorted(EXAMPLES)


def _rule(code):
    return REGISTRY.rules[f"ssda903:{code}"]


def _tables(code, example):
    """The example's tables; a table the rule needs that the example leaves out is
    given as one bare row for child 1 (the Header of a rule about episodes)."""
    rows = dict(example)
    for table in _rule(code).spec.tables:
        rows.setdefault(table, [{}])
    return frames(rows)


@pytest.mark.parametrize("code", CODES)
def test_failing_example_is_flagged(code):
    ex = EXAMPLES[code]
    result = run_rule(_rule(code), _tables(code, ex.fails), Context(ex.year, "933"))
    assert result.outcome is Outcome.FAILED, result.reason
    assert result.failures["_child"].to_list()[0] is not None
    tables = {name.removesuffix("_last") for name in result.failures["_table"].to_list()}
    assert tables <= set(all_tables())


@pytest.mark.parametrize("code", CODES)
def test_passing_example_passes(code):
    ex = EXAMPLES[code]
    result = run_rule(_rule(code), _tables(code, ex.passes), Context(ex.year, "933"))
    assert result.outcome is Outcome.PASSED, result.reason or result.failures

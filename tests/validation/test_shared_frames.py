"""validation.core.shared / memo: a helper many rules use is worked out once per run.

Counted by hand: the helper below appends to `calls` each time it really runs.
"""

from __future__ import annotations

import polars as pl
import pytest

from csc_scorecard.validation import core
from csc_scorecard.validation.core import Context, Outcome, Registry, rule, run_rules, shared

CTX = Context("2024-25")


def _frame(*children: str) -> pl.DataFrame:
    return pl.DataFrame({"CHILD": list(children), "_row": list(range(2, 2 + len(children))),
                         "_child": list(children)})


@pytest.fixture
def counted():
    calls: list[tuple] = []

    @shared("Header")
    def children(t, ctx, suffix=""):
        calls.append((id(t["Header"]), suffix))
        return frozenset(c + suffix for c in t["Header"]["CHILD"].to_list())

    core.clear_memo()
    yield children, calls
    core.clear_memo()


def test_the_same_tables_and_arguments_reuse_the_answer(counted):
    children, calls = counted
    header = _frame("1", "2")
    assert children({"Header": header}, CTX) == {"1", "2"}
    assert children({"Header": header, "Episodes": _frame("9")}, CTX) == {"1", "2"}  # other tables: same key
    assert len(calls) == 1
    assert children({"Header": header}, CTX, "x") == {"1x", "2x"}  # other arguments: worked out again
    assert children({"Header": header}, Context("2025-26")) == {"1", "2"}
    assert len(calls) == 3


def test_another_frame_is_never_given_the_first_ones_answer(counted):
    children, calls = counted
    assert children({"Header": _frame("1")}, CTX) == {"1"}
    assert children({"Header": _frame("2")}, CTX) == {"2"}  # equal shape, another frame
    assert len(calls) == 2


def test_a_missing_table_is_left_to_the_helper(counted):
    children, calls = counted
    with pytest.raises(KeyError):
        children({}, CTX)
    assert core._MEMO == {}


def test_run_rules_shares_within_a_run_and_keeps_nothing_after(counted):
    children, calls = counted
    registry = Registry()
    for code in ("A1", "A2", "A3"):
        @rule(code, return_type="test", message="m", tables=("Header",), registry=registry)
        def check(t, ctx):
            ids = children(t, ctx)
            return t["Header"].filter(pl.col("CHILD").is_in(list(ids)) & (pl.col("CHILD") == "2")).select(
                pl.lit("Header").alias("_table"), "_row", "_child")

    header = _frame("1", "2")
    results = run_rules("test", {"Header": header}, CTX, registry)
    assert [r.outcome for r in results] == [Outcome.FAILED] * 3
    assert [r.failures["_row"].to_list() for r in results] == [[3]] * 3
    assert len(calls) == 1
    assert core._MEMO == {}  # the run's frames are not kept alive
    run_rules("test", {"Header": header}, CTX, registry)
    assert len(calls) == 2  # a new run works it out afresh

"""validation.runs: each sorted-run expression against the ``over`` form it replaces.

The frames are hostile by hand: a null key among the others, null values at a
run's start, middle and end, one-row runs, a frame of one row and an empty one.
"""

from __future__ import annotations

import polars as pl
import pytest

from csc_scorecard.validation.runs import after, before, ends_run, running_sum, starts_run

KEYS = [None, None, "1", "1", "1", "2", "3", "3", "4", "4", "4", "4"]
DATES = [None, "2024-01-02", "2024-01-01", None, "2024-03-01", None, "2024-05-01", "2024-05-02",
         None, None, "2024-06-01", "2024-06-02"]
FLAGS = [True, None, None, True, False, True, False, None, True, True, None, False]


def _frames() -> list[pl.DataFrame]:
    full = pl.DataFrame({"CHILD": KEYS, "_row": list(range(2, 2 + len(KEYS))), "d": DATES, "f": FLAGS},
                        schema={"CHILD": pl.Utf8, "_row": pl.Int64, "d": pl.Utf8, "f": pl.Boolean})
    full = full.with_columns(pl.col("d").str.to_date("%Y-%m-%d")).sort(["CHILD", "d", "_row"])
    return [full, full.head(1), full.head(0), full.filter(pl.col("CHILD").is_not_null())]


CASES = {
    "first": (starts_run("CHILD"), pl.col("_row").cum_count().over("CHILD") == 1),
    "last": (ends_run("CHILD"), pl.col("_row").cum_count(reverse=True).over("CHILD") == 1),
    "before date": (before(pl.col("d"), "CHILD"), pl.col("d").shift(1).over("CHILD")),
    "after date": (after(pl.col("d"), "CHILD"), pl.col("d").shift(-1).over("CHILD")),
    "before key": (before(pl.col("CHILD"), "CHILD"), pl.col("CHILD").shift(1).over("CHILD")),
    "running sum": (running_sum(pl.col("f").cast(pl.Int32), "CHILD"), pl.col("f").cast(pl.Int32).cum_sum().over("CHILD")),
    "running sum, shifted": (
        before(running_sum(pl.col("f").cast(pl.Int32), "CHILD"), "CHILD").fill_null(0),
        pl.col("f").cast(pl.Int32).cum_sum().shift(1).over("CHILD").fill_null(0),
    ),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("which", range(4))
def test_the_run_form_equals_the_over_form(case, which):
    frame = _frames()[which]
    new, old = CASES[case]
    got = frame.select(new.alias("x"))
    want = frame.select(old.alias("x"))
    assert got.schema == want.schema
    assert got["x"].to_list() == want["x"].to_list()


def test_the_values_are_the_ones_worked_by_hand():
    frame = _frames()[0]
    out = frame.select("CHILD", first=starts_run("CHILD"), prev=before(pl.col("_row"), "CHILD"),
                       total=running_sum(pl.col("f").cast(pl.Int32), "CHILD"))
    # sorted: the null key's two rows first (null date first), then 1, 2, 3, 4
    assert out["first"].to_list() == [True, False, True, False, False, True, True, False, True, False, False, False]
    assert out["prev"].to_list()[:3] == [None, 2, None]
    assert out.filter(pl.col("CHILD") == "4")["total"].to_list() == [1, 2, None, 2]
